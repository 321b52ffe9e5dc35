package kms

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/aws/smithy-go"
)

// APIError is an error response from KMS (or from something in front of it).
// Every error that a response causes is, or wraps, an *APIError: test it with
// errors.As, or test the documented codes with errors.Is and the Err values
// below. It also satisfies smithy.APIError, so code written for
// aws-sdk-go-v2 that does errors.As(err, &smithyAPIErr) keeps working.
type APIError struct {
	// Code is the error code without namespace or suffix, such as
	// "CustomKeyStoreNotFoundException". Empty when the response carried none
	// (for example an HTML page from a load balancer).
	Code string
	// Message is the service's message, or, for a response that is not a KMS
	// error, a short bounded excerpt of its body.
	Message string
	// RequestID is the x-amzn-RequestId header of the response.
	RequestID string
	// StatusCode is the HTTP status of the response.
	StatusCode int
}

// Error returns "kms: <Code>: <Message>" with the status and request ID.
func (e *APIError) Error() string {
	var b strings.Builder
	b.WriteString("kms: ")
	if e.Code != "" {
		b.WriteString(e.Code)
	} else {
		b.WriteString("HTTP ")
		b.WriteString(strconv.Itoa(e.StatusCode))
		if t := http.StatusText(e.StatusCode); t != "" {
			b.WriteByte(' ')
			b.WriteString(t)
		}
	}
	if e.Message != "" {
		b.WriteString(": ")
		b.WriteString(e.Message)
	}
	if e.Code != "" {
		b.WriteString(" (status ")
		b.WriteString(strconv.Itoa(e.StatusCode))
		b.WriteByte(')')
	}
	if e.RequestID != "" {
		b.WriteString(" (request id ")
		b.WriteString(e.RequestID)
		b.WriteByte(')')
	}
	return b.String()
}

// ErrorCode returns Code, or "HTTP <status>" when the response had no code.
func (e *APIError) ErrorCode() string {
	if e.Code == "" {
		return "HTTP " + strconv.Itoa(e.StatusCode)
	}
	return e.Code
}

// ErrorMessage returns Message.
func (e *APIError) ErrorMessage() string { return e.Message }

// ErrorFault is smithy.FaultServer for a 5xx status and smithy.FaultClient
// for a 4xx status.
func (e *APIError) ErrorFault() smithy.ErrorFault {
	switch {
	case e.StatusCode >= 500:
		return smithy.FaultServer
	case e.StatusCode >= 400:
		return smithy.FaultClient
	}
	return smithy.FaultUnknown
}

// HTTPStatusCode returns StatusCode. Retryers use it to classify 5xx errors.
func (e *APIError) HTTPStatusCode() int { return e.StatusCode }

// Is reports whether target is the Err value of e's code, so that
// errors.Is(err, kms.ErrCustomKeyStoreNotFound) works. An unknown code
// matches none of them.
func (e *APIError) Is(target error) bool {
	c, ok := target.(*codeError)
	return ok && c.code == e.Code
}

// codeError is the type of the Err values: a documented KMS error code.
type codeError struct{ code string }

func (c *codeError) Error() string { return "kms: " + c.code }

// The documented UpdateCustomKeyStore errors. Each matches, with errors.Is,
// exactly the *APIError that carries its code.
var (
	// ErrCloudHsmClusterInvalidConfiguration: the cluster does not meet the
	// requirements for a custom key store (HSMs, security group, ...).
	ErrCloudHsmClusterInvalidConfiguration error = &codeError{"CloudHsmClusterInvalidConfigurationException"}
	// ErrCloudHsmClusterNotActive: the cluster is not ACTIVE.
	ErrCloudHsmClusterNotActive error = &codeError{"CloudHsmClusterNotActiveException"}
	// ErrCloudHsmClusterNotFound: no cluster has that ID.
	ErrCloudHsmClusterNotFound error = &codeError{"CloudHsmClusterNotFoundException"}
	// ErrCloudHsmClusterNotRelated: the cluster does not share backup history
	// with the store's original cluster.
	ErrCloudHsmClusterNotRelated error = &codeError{"CloudHsmClusterNotRelatedException"}
	// ErrCustomKeyStoreInvalidState: the store's connection state does not
	// allow the update; most properties need DISCONNECTED.
	ErrCustomKeyStoreInvalidState error = &codeError{"CustomKeyStoreInvalidStateException"}
	// ErrCustomKeyStoreNameInUse: another store in the account has that name.
	ErrCustomKeyStoreNameInUse error = &codeError{"CustomKeyStoreNameInUseException"}
	// ErrCustomKeyStoreNotFound: no store has that ID in this account and Region.
	ErrCustomKeyStoreNotFound error = &codeError{"CustomKeyStoreNotFoundException"}
	// ErrKMSInternal: an internal KMS error; retried by default.
	ErrKMSInternal error = &codeError{"KMSInternalException"}
	// ErrXksProxyIncorrectAuthenticationCredential: the proxy rejected the
	// authentication credential.
	ErrXksProxyIncorrectAuthenticationCredential error = &codeError{"XksProxyIncorrectAuthenticationCredentialException"}
	// ErrXksProxyInvalidConfiguration: the proxy configuration cannot work.
	ErrXksProxyInvalidConfiguration error = &codeError{"XksProxyInvalidConfigurationException"}
	// ErrXksProxyInvalidResponse: the proxy's answer was not understood.
	ErrXksProxyInvalidResponse error = &codeError{"XksProxyInvalidResponseException"}
	// ErrXksProxyUriEndpointInUse: another store uses that endpoint.
	ErrXksProxyUriEndpointInUse error = &codeError{"XksProxyUriEndpointInUseException"}
	// ErrXksProxyUriInUse: another store uses that endpoint and path.
	ErrXksProxyUriInUse error = &codeError{"XksProxyUriInUseException"}
	// ErrXksProxyUriUnreachable: KMS cannot reach the proxy.
	ErrXksProxyUriUnreachable error = &codeError{"XksProxyUriUnreachableException"}
	// ErrXksProxyVpcEndpointServiceInUse: another store uses that VPC
	// endpoint service.
	ErrXksProxyVpcEndpointServiceInUse error = &codeError{"XksProxyVpcEndpointServiceInUseException"}
	// ErrXksProxyVpcEndpointServiceInvalidConfiguration: the VPC endpoint
	// service does not meet the requirements.
	ErrXksProxyVpcEndpointServiceInvalidConfiguration error = &codeError{"XksProxyVpcEndpointServiceInvalidConfigurationException"}
	// ErrXksProxyVpcEndpointServiceNotFound: no VPC endpoint service has that
	// name, or KMS may not use it.
	ErrXksProxyVpcEndpointServiceNotFound error = &codeError{"XksProxyVpcEndpointServiceNotFoundException"}
)
