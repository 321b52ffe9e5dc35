package xksmodel

import "net/http"

// The error names of the specification's error table.
const (
	ValidationException           = "ValidationException"
	InvalidStateException         = "InvalidStateException"
	InvalidCiphertextException    = "InvalidCiphertextException"
	InvalidKeyUsageException      = "InvalidKeyUsageException"
	AuthenticationFailedException = "AuthenticationFailedException"
	AccessDeniedException         = "AccessDeniedException"
	KeyNotFoundException          = "KeyNotFoundException"
	InvalidUriPathException       = "InvalidUriPathException"
	ThrottlingException           = "ThrottlingException"
	UnsupportedOperationException = "UnsupportedOperationException"
	DependencyTimeoutException    = "DependencyTimeoutException"
	InternalException             = "InternalException"
)

// ErrorSpec is one row of the specification's error table.
type ErrorSpec struct {
	// Name is the errorName, e.g. "KeyNotFoundException".
	Name string
	// Status is the HTTP status that carries it.
	Status int
	// Ops lists the operations that may answer it; nil means all four.
	Ops []string
	// Scenario is the table's description.
	Scenario string
}

// Errors is the specification's error table, in its order.
var Errors = []ErrorSpec{
	{ValidationException, http.StatusBadRequest, []string{OpGetKeyMetadata, OpEncrypt, OpDecrypt},
		"one or more input parameters is invalid"},
	{InvalidStateException, http.StatusBadRequest, nil,
		"the specified external key or key store is disabled, deactivated or blocked"},
	{InvalidCiphertextException, http.StatusBadRequest, []string{OpDecrypt},
		"the specified ciphertext, initialization vector, additional authenticated data or authentication tag is corrupted, missing, or otherwise invalid"},
	{InvalidKeyUsageException, http.StatusBadRequest, []string{OpDecrypt, OpEncrypt},
		"the specified key does not support the requested operation"},
	{AuthenticationFailedException, http.StatusUnauthorized, nil,
		"invalid AWS SigV4 signature"},
	{AccessDeniedException, http.StatusForbidden, []string{OpGetKeyMetadata, OpEncrypt, OpDecrypt},
		"the operation is not authorized based on request metadata"},
	{KeyNotFoundException, http.StatusNotFound, []string{OpGetKeyMetadata, OpEncrypt, OpDecrypt},
		"the specified external key is not found"},
	{InvalidUriPathException, http.StatusNotFound, nil,
		"the specified URI path is not valid"},
	{ThrottlingException, http.StatusTooManyRequests, nil,
		"the request rate is too high"},
	{UnsupportedOperationException, http.StatusNotImplemented, nil,
		"the specified cryptographic operation is not implemented, or a parameter value exceeded the maximum size this implementation supports"},
	{DependencyTimeoutException, http.StatusServiceUnavailable, nil,
		"the proxy timed out while trying to access a dependency layer"},
	{InternalException, http.StatusInternalServerError, nil,
		"a generic server error, e.g. failure of the backing key manager"},
}

// StatusFor returns the HTTP status of an error name; ok is false for a
// name that is not in the table.
func StatusFor(name string) (status int, ok bool) {
	for _, e := range Errors {
		if e.Name == name {
			return e.Status, true
		}
	}
	return 0, false
}
