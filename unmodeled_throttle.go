package kms

import "net/http"

// unmodeledThrottle marks a 429 Too Many Requests whose code is not one of
// the documented UpdateCustomKeyStore errors, typically from a proxy or load
// balancer. aws-sdk-go-v2's retryers retry such a response because they see
// it as an unmodeled error; they cannot tell that of an *APIError, so this
// says it outright through the RetryableError method they consult. It
// unwraps to the *APIError, so errors.As and errors.Is see through it.
type unmodeledThrottle struct{ *APIError }

// RetryableError reports that the error is worth retrying.
func (unmodeledThrottle) RetryableError() bool { return true }

// Unwrap returns the *APIError.
func (e unmodeledThrottle) Unwrap() error { return e.APIError }

// markUnmodeledThrottle wraps e in an unmodeledThrottle when it is a 429
// with an undocumented code, and returns it unchanged otherwise.
func markUnmodeledThrottle(e *APIError) error {
	if e.StatusCode != http.StatusTooManyRequests {
		return e
	}
	for _, v := range documentedErrs {
		if e.Is(v) {
			return e
		}
	}
	return unmodeledThrottle{e}
}

// documentedErrs are the Err values of the documented errors.
var documentedErrs = [...]error{
	ErrCloudHsmClusterInvalidConfiguration, ErrCloudHsmClusterNotActive, ErrCloudHsmClusterNotFound,
	ErrCloudHsmClusterNotRelated, ErrCustomKeyStoreInvalidState, ErrCustomKeyStoreNameInUse,
	ErrCustomKeyStoreNotFound, ErrKMSInternal, ErrXksProxyIncorrectAuthenticationCredential,
	ErrXksProxyInvalidConfiguration, ErrXksProxyInvalidResponse, ErrXksProxyUriEndpointInUse,
	ErrXksProxyUriInUse, ErrXksProxyUriUnreachable, ErrXksProxyVpcEndpointServiceInUse,
	ErrXksProxyVpcEndpointServiceInvalidConfiguration, ErrXksProxyVpcEndpointServiceNotFound,
}
