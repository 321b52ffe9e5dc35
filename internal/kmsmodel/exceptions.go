package kmsmodel

import (
	"slices"
	"sync"
)

// Fault says whose fault an error is, as Smithy's error trait does.
type Fault string

// The faults.
const (
	FaultClient Fault = "client"
	FaultServer Fault = "server"
)

// Exception is an error code with the HTTP status KMS answers it with and
// its fault.
type Exception struct {
	Code    string
	Status  int
	Fault   Fault
	Meaning string
}

// The exception codes any of the six custom key store operations
// documents.
const (
	CodeCloudHsmClusterInUse                           = "CloudHsmClusterInUseException"
	CodeCloudHsmClusterInvalidConfiguration            = "CloudHsmClusterInvalidConfigurationException"
	CodeCloudHsmClusterNotActive                       = "CloudHsmClusterNotActiveException"
	CodeCloudHsmClusterNotFound                        = "CloudHsmClusterNotFoundException"
	CodeCloudHsmClusterNotRelated                      = "CloudHsmClusterNotRelatedException"
	CodeCustomKeyStoreHasCMKs                          = "CustomKeyStoreHasCMKsException"
	CodeCustomKeyStoreInvalidState                     = "CustomKeyStoreInvalidStateException"
	CodeCustomKeyStoreNameInUse                        = "CustomKeyStoreNameInUseException"
	CodeCustomKeyStoreNotFound                         = "CustomKeyStoreNotFoundException"
	CodeIncorrectTrustAnchor                           = "IncorrectTrustAnchorException"
	CodeInvalidMarker                                  = "InvalidMarkerException"
	CodeKMSInternal                                    = "KMSInternalException"
	CodeLimitExceeded                                  = "LimitExceededException"
	CodeXksProxyIncorrectAuthenticationCredential      = "XksProxyIncorrectAuthenticationCredentialException"
	CodeXksProxyInvalidConfiguration                   = "XksProxyInvalidConfigurationException"
	CodeXksProxyInvalidResponse                        = "XksProxyInvalidResponseException"
	CodeXksProxyUriEndpointInUse                       = "XksProxyUriEndpointInUseException"
	CodeXksProxyUriInUse                               = "XksProxyUriInUseException"
	CodeXksProxyUriUnreachable                         = "XksProxyUriUnreachableException"
	CodeXksProxyVpcEndpointServiceInUse                = "XksProxyVpcEndpointServiceInUseException"
	CodeXksProxyVpcEndpointServiceInvalidConfiguration = "XksProxyVpcEndpointServiceInvalidConfigurationException"
	CodeXksProxyVpcEndpointServiceNotFound             = "XksProxyVpcEndpointServiceNotFoundException"
)

// Exceptions lists every exception the six operations document, in
// alphabetical order. All are client faults answered with 400, except
// KMSInternalException (500, server).
var Exceptions = []Exception{
	{CodeCloudHsmClusterInUse, 400, FaultClient, "The CloudHSM cluster is already associated with a CloudHSM key store in the account, or shares a backup history with one."},
	{CodeCloudHsmClusterInvalidConfiguration, 400, FaultClient, "The CloudHSM cluster does not meet the configuration requirements for a CloudHSM key store (subnets, security group, number of HSMs)."},
	{CodeCloudHsmClusterNotActive, 400, FaultClient, "The CloudHSM cluster is not active."},
	{CodeCloudHsmClusterNotFound, 400, FaultClient, "KMS cannot find the CloudHSM cluster with the specified cluster ID."},
	{CodeCloudHsmClusterNotRelated, 400, FaultClient, "The CloudHSM cluster has a different cluster certificate than the original cluster (no shared backup history)."},
	{CodeCustomKeyStoreHasCMKs, 400, FaultClient, "The custom key store contains KMS keys; delete them (ScheduleKeyDeletion) first."},
	{CodeCustomKeyStoreInvalidState, 400, FaultClient, "The ConnectionState of the custom key store does not allow the operation."},
	{CodeCustomKeyStoreNameInUse, 400, FaultClient, "The custom key store name is already assigned to another custom key store in the account."},
	{CodeCustomKeyStoreNotFound, 400, FaultClient, "KMS cannot find a custom key store with the specified key store name or ID."},
	{CodeIncorrectTrustAnchor, 400, FaultClient, "The trust anchor certificate is not the trust anchor certificate of the specified CloudHSM cluster."},
	{CodeInvalidMarker, 400, FaultClient, "The marker that specifies where pagination should next begin is not valid."},
	{CodeKMSInternal, 500, FaultServer, "An internal exception occurred; the request can be retried."},
	{CodeLimitExceeded, 400, FaultClient, "A length constraint or quota was exceeded."},
	{CodeXksProxyIncorrectAuthenticationCredential, 400, FaultClient, "The proxy credentials failed to authenticate to the external key store proxy."},
	{CodeXksProxyInvalidConfiguration, 400, FaultClient, "The external key store proxy is not configured correctly."},
	{CodeXksProxyInvalidResponse, 400, FaultClient, "KMS cannot interpret the response it received from the external key store proxy."},
	{CodeXksProxyUriEndpointInUse, 400, FaultClient, "The XksProxyUriEndpoint is already associated with another external key store in this Region."},
	{CodeXksProxyUriInUse, 400, FaultClient, "The XksProxyUriEndpoint and XksProxyUriPath are already associated with another external key store in this Region."},
	{CodeXksProxyUriUnreachable, 400, FaultClient, "KMS was unable to reach the specified XksProxyUriPath."},
	{CodeXksProxyVpcEndpointServiceInUse, 400, FaultClient, "The VPC endpoint service is already associated with another external key store in this Region."},
	{CodeXksProxyVpcEndpointServiceInvalidConfiguration, 400, FaultClient, "The VPC endpoint service configuration does not fulfill the requirements for an external key store."},
	{CodeXksProxyVpcEndpointServiceNotFound, 400, FaultClient, "KMS could not find the VPC endpoint service, or may not use it."},
}

// Common AWS error codes (not in the KMS model's operation lists) that any
// AWS JSON service may answer.
const (
	CodeValidation           = "ValidationException"
	CodeSerialization        = "SerializationException"
	CodeUnknownOperation     = "UnknownOperationException"
	CodeIncompleteSignature  = "IncompleteSignatureException"
	CodeInvalidSignature     = "InvalidSignatureException"
	CodeUnrecognizedClient   = "UnrecognizedClientException"
	CodeThrottling           = "ThrottlingException"
	CodeAccessDenied         = "AccessDeniedException"
	CodeServiceUnavailable   = "ServiceUnavailableException"
	CodeInternalFailure      = "InternalFailure"
	CodeRequestLimitExceeded = "RequestLimitExceeded"
)

// CommonErrors are the common AWS errors with the status AWS answers them
// with.
var CommonErrors = []Exception{
	{CodeValidation, 400, FaultClient, "The input fails to satisfy the constraints of the service model."},
	{CodeSerialization, 400, FaultClient, "The request body could not be deserialized."},
	{CodeUnknownOperation, 400, FaultClient, "The X-Amz-Target names no operation of the service."},
	{CodeIncompleteSignature, 400, FaultClient, "The request signature does not conform to AWS standards."},
	{CodeInvalidSignature, 400, FaultClient, "The request signature does not match."},
	{CodeUnrecognizedClient, 400, FaultClient, "The access key ID or security token is invalid."},
	{CodeThrottling, 400, FaultClient, "The request was denied due to request throttling."},
	{CodeAccessDenied, 400, FaultClient, "The caller does not have permission for the action."},
	{CodeServiceUnavailable, 503, FaultServer, "The service is unavailable."},
	{CodeInternalFailure, 500, FaultServer, "The request failed because of an unknown error, exception or failure."},
	{CodeRequestLimitExceeded, 400, FaultClient, "The request rate is too high."},
}

// ThrottlingCodes are the error codes that mean "slow down": AWS SDK
// retryers (aws-sdk-go-v2's retry.DefaultThrottleErrorCodes) retry them with
// throttling backoff. KMS throttles with ThrottlingException; the others are
// what other AWS services or proxies send. LimitExceededException is one of
// them, and also a documented KMS error (quota exceeded on create).
var ThrottlingCodes = []string{
	"Throttling",
	CodeThrottling,
	"ThrottledException",
	"RequestThrottledException",
	"TooManyRequestsException",
	"ProvisionedThroughputExceededException",
	"TransactionInProgressException",
	CodeRequestLimitExceeded,
	"BandwidthLimitExceeded",
	CodeLimitExceeded,
	"RequestThrottled",
	"SlowDown",
	"PriorRequestNotComplete",
	"EC2ThrottledException",
}

// ClockSkewCodes are the error codes a server answers a request whose
// signing time is outside its window with, as the AWS SDKs list them (the
// JavaScript SDK v3's CLOCK_SKEW_ERROR_CODES). Each is also used for other
// faults, so a client corrects its clock only when the response's Date is
// skewed too.
var ClockSkewCodes = []string{
	"AuthFailure",
	CodeInvalidSignature,
	"RequestExpired",
	"RequestInTheFuture",
	"RequestTimeTooSkewed",
	"SignatureDoesNotMatch",
}

// IsClockSkew reports whether code is one of ClockSkewCodes.
func IsClockSkew(code string) bool { return slices.Contains(ClockSkewCodes, code) }

// IsKnownWord reports whether word is a name this model knows: an error
// code (a documented exception, a common AWS error, a throttling or clock
// skew code), an enum value (a ConnectionErrorCode or ConnectionState,
// ...), or the name of a member, shape or operation. A scrubber never
// alters one (see internal/awsjson.Scrubber), so an error code and the
// member names in a message stay whole whatever a secret shares with them.
func IsKnownWord(word string) bool {
	_, ok := knownWords()[word]
	return ok
}

// knownWords is the set of IsKnownWord, built once.
var knownWords = sync.OnceValue(func() map[string]struct{} {
	words := map[string]struct{}{}
	add := func(list ...string) {
		for _, w := range list {
			words[w] = struct{}{}
		}
	}
	for _, list := range [...][]Exception{Exceptions, CommonErrors} {
		for _, e := range list {
			add(e.Code)
		}
	}
	add(ThrottlingCodes...)
	add(ClockSkewCodes...)
	add(ConnectionStateValues...)
	for _, s := range Shapes {
		add(s.Name)
		for _, m := range s.Members {
			add(m.Name, m.GoName, m.Target)
			add(m.Enum...)
		}
	}
	for _, o := range Operations {
		add(o.Name)
	}
	return words
})

// IsThrottling reports whether code is one of ThrottlingCodes.
func IsThrottling(code string) bool {
	for _, c := range ThrottlingCodes {
		if c == code {
			return true
		}
	}
	return false
}

// ExceptionFor returns the documented exception or common error with code.
func ExceptionFor(code string) (Exception, bool) {
	for _, list := range [...][]Exception{Exceptions, CommonErrors} {
		for _, e := range list {
			if e.Code == code {
				return e, true
			}
		}
	}
	return Exception{}, false
}

// IsDocumented reports whether code is one of Exceptions.
func IsDocumented(code string) bool {
	for _, e := range Exceptions {
		if e.Code == code {
			return true
		}
	}
	return false
}

// StatusFor returns the HTTP status KMS answers code with; 400 for a code
// it does not know.
func StatusFor(code string) int {
	if e, ok := ExceptionFor(code); ok {
		return e.Status
	}
	return 400
}

// DocumentedCodes returns the codes of Exceptions, in alphabetical order.
// The slice is new.
func DocumentedCodes() []string {
	out := make([]string, len(Exceptions))
	for i, e := range Exceptions {
		out[i] = e.Code
	}
	return out
}
