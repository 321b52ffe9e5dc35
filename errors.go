package kms

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/aws/smithy-go"

	"github.com/kmskit/kms/internal/kmsmodel"
)

// APIError is an error response from KMS (or from something in front of it).
// Every error that a response causes is, or wraps, an *APIError: test it with
// errors.As, or test the documented codes with errors.Is and the Err values
// below. It also satisfies smithy.APIError, so code written for
// aws-sdk-go-v2 that does errors.As(err, &smithyAPIErr) keeps working.
//
// Code, Message and RequestID are safe to log: each is printable, valid
// UTF-8 without control or format (Unicode Cf) characters, bounded, and
// holds no secret of the call's input (KeyStorePassword, AccessKeyId,
// RawSecretAccessKey), even when the server echoed one, whole, altered or
// cut. A redirect (3xx) is never followed: it is an *APIError with an empty
// Code and a Message naming where the Location pointed (scheme and host).
type APIError struct {
	// Code is the error code without namespace or suffix, such as
	// "CustomKeyStoreNotFoundException". Empty when the response carried none
	// (for example an HTML page from a load balancer, or a redirect).
	Code string
	// Message is the service's message (at most 4 KiB), or, for a response
	// that is not a KMS error, a short bounded excerpt of its body.
	Message string
	// RequestID is the x-amzn-RequestId header of the response (at most 256
	// bytes).
	RequestID string
	// StatusCode is the HTTP status of the response.
	StatusCode int
}

// Error returns "kms: <Code>: <Message>" with the status and request ID.
func (e *APIError) Error() string {
	e = e.orZero()
	s := "kms: " + e.Code
	if e.Code == "" {
		s = strings.TrimSpace("kms: HTTP " + strconv.Itoa(e.StatusCode) + " " + http.StatusText(e.StatusCode))
	}
	if e.Message != "" {
		s += ": " + e.Message
	}
	if e.Code != "" {
		s += " (status " + strconv.Itoa(e.StatusCode) + ")"
	}
	if e.RequestID != "" {
		s += " (request id " + e.RequestID + ")"
	}
	return s
}

// ErrorCode returns Code, or "HTTP <status>" when the response had no code.
func (e *APIError) ErrorCode() string {
	if e = e.orZero(); e.Code == "" {
		return "HTTP " + strconv.Itoa(e.StatusCode)
	}
	return e.Code
}

// ErrorMessage returns Message.
func (e *APIError) ErrorMessage() string { return e.orZero().Message }

// ErrorFault is smithy.FaultServer for a 5xx status and smithy.FaultClient
// for a 4xx status.
func (e *APIError) ErrorFault() smithy.ErrorFault {
	switch e = e.orZero(); {
	case e.StatusCode >= 500:
		return smithy.FaultServer
	case e.StatusCode >= 400:
		return smithy.FaultClient
	}
	return smithy.FaultUnknown
}

// HTTPStatusCode returns StatusCode. Retryers use it to classify 5xx errors.
func (e *APIError) HTTPStatusCode() int { return e.orZero().StatusCode }

// orZero is e, or the zero APIError for a nil one.
func (e *APIError) orZero() *APIError {
	if e == nil {
		return &APIError{}
	}
	return e
}

// Is reports whether target is the Err value of e's code, so that
// errors.Is(err, kms.ErrCustomKeyStoreNotFound) works. An unknown code
// matches none of them.
func (e *APIError) Is(target error) bool {
	c, ok := target.(*codeError)
	return ok && e != nil && c != nil && c.code == e.Code
}

// codeError is the type of the Err values: a documented KMS error code.
type codeError struct{ code string }

func (c *codeError) Error() string { return "kms: " + c.code }

// The Err values, one per error code the custom key store operations
// document (the codes and their HTTP status are internal/kmsmodel's). Each
// matches, with errors.Is, exactly the *APIError that carries its code.
var (
	// ErrCloudHsmClusterInUse: another CloudHSM key store uses the cluster or one of its backup lineage.
	ErrCloudHsmClusterInUse error
	// ErrCloudHsmClusterInvalidConfiguration: the cluster lacks what a key store needs (HSMs, security group).
	ErrCloudHsmClusterInvalidConfiguration error
	// ErrCloudHsmClusterNotActive: the cluster is not ACTIVE.
	ErrCloudHsmClusterNotActive error
	// ErrCloudHsmClusterNotFound: no cluster has that ID.
	ErrCloudHsmClusterNotFound error
	// ErrCloudHsmClusterNotRelated: the cluster shares no backup history with the store's cluster.
	ErrCloudHsmClusterNotRelated error
	// ErrCustomKeyStoreHasCMKs: the store still holds KMS keys, so it cannot be deleted.
	ErrCustomKeyStoreHasCMKs error
	// ErrCustomKeyStoreInvalidState: the store's ConnectionState does not allow the operation.
	ErrCustomKeyStoreInvalidState error
	// ErrCustomKeyStoreNameInUse: another store in the account has that name.
	ErrCustomKeyStoreNameInUse error
	// ErrCustomKeyStoreNotFound: no store has that ID or name in this account and Region.
	ErrCustomKeyStoreNotFound error
	// ErrIncorrectTrustAnchor: the trust anchor certificate is not the cluster's.
	ErrIncorrectTrustAnchor error
	// ErrInvalidMarker: the pagination marker is not one KMS issued.
	ErrInvalidMarker error
	// ErrKMSInternal: an internal KMS error; retried by default.
	ErrKMSInternal error
	// ErrLimitExceeded: a quota was exceeded, such as the number of custom key stores.
	ErrLimitExceeded error
	// ErrXksProxyIncorrectAuthenticationCredential: the proxy rejected the authentication credential.
	ErrXksProxyIncorrectAuthenticationCredential error
	// ErrXksProxyInvalidConfiguration: the proxy configuration cannot work.
	ErrXksProxyInvalidConfiguration error
	// ErrXksProxyInvalidResponse: the proxy's answer was not understood.
	ErrXksProxyInvalidResponse error
	// ErrXksProxyUriEndpointInUse: another store uses that endpoint.
	ErrXksProxyUriEndpointInUse error
	// ErrXksProxyUriInUse: another store uses that endpoint and path.
	ErrXksProxyUriInUse error
	// ErrXksProxyUriUnreachable: KMS cannot reach the proxy.
	ErrXksProxyUriUnreachable error
	// ErrXksProxyVpcEndpointServiceInUse: another store uses that VPC endpoint service.
	ErrXksProxyVpcEndpointServiceInUse error
	// ErrXksProxyVpcEndpointServiceInvalidConfiguration: the VPC endpoint service lacks what KMS needs.
	ErrXksProxyVpcEndpointServiceInvalidConfiguration error
	// ErrXksProxyVpcEndpointServiceNotFound: no VPC endpoint service of that name that KMS may use.
	ErrXksProxyVpcEndpointServiceNotFound error
)

// errorValues are the Err values in the order of kmsmodel.Exceptions,
// whose codes they carry (TestEveryErrValueCarriesItsCode checks each).
var errorValues = [...]*error{
	&ErrCloudHsmClusterInUse, &ErrCloudHsmClusterInvalidConfiguration, &ErrCloudHsmClusterNotActive,
	&ErrCloudHsmClusterNotFound, &ErrCloudHsmClusterNotRelated, &ErrCustomKeyStoreHasCMKs,
	&ErrCustomKeyStoreInvalidState, &ErrCustomKeyStoreNameInUse, &ErrCustomKeyStoreNotFound,
	&ErrIncorrectTrustAnchor, &ErrInvalidMarker, &ErrKMSInternal, &ErrLimitExceeded,
	&ErrXksProxyIncorrectAuthenticationCredential, &ErrXksProxyInvalidConfiguration,
	&ErrXksProxyInvalidResponse, &ErrXksProxyUriEndpointInUse, &ErrXksProxyUriInUse, &ErrXksProxyUriUnreachable,
	&ErrXksProxyVpcEndpointServiceInUse, &ErrXksProxyVpcEndpointServiceInvalidConfiguration,
	&ErrXksProxyVpcEndpointServiceNotFound,
}

func init() {
	for i, e := range errorValues {
		*e = &codeError{kmsmodel.Exceptions[i].Code}
	}
}

// ErrorForCode returns the Err value of a documented KMS error code, such as
// ErrCustomKeyStoreNotFound for "CustomKeyStoreNotFoundException", or nil
// for a code no custom key store operation documents.
func ErrorForCode(code string) error {
	for _, e := range errorValues {
		if (*e).(*codeError).code == code {
			return *e
		}
	}
	return nil
}

// unmodeledThrottle marks a 429 Too Many Requests whose code is not one of
// the documented errors, typically from a proxy or load balancer.
// aws-sdk-go-v2's retryers retry such a response because they see it as an
// unmodeled error; they cannot tell that of an *APIError, so this says it
// outright through the RetryableError method they consult. It unwraps to
// the *APIError, so errors.As and errors.Is see through it.
type unmodeledThrottle struct{ *APIError }

// RetryableError reports that the error is worth retrying.
func (unmodeledThrottle) RetryableError() bool { return true }

// Unwrap returns the *APIError.
func (e unmodeledThrottle) Unwrap() error { return e.APIError }

// markUnmodeledThrottle wraps e in an unmodeledThrottle when it is a 429
// with an undocumented code, and returns it unchanged otherwise.
func markUnmodeledThrottle(e *APIError) error {
	if e.StatusCode != http.StatusTooManyRequests || kmsmodel.IsDocumented(e.Code) {
		return e
	}
	return unmodeledThrottle{e}
}
