package kmstest

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"net/http"
)

// The seventeen exceptions that UpdateCustomKeyStore documents, as the
// __type codes that kmstest sends. Pass them to [Fake.FailNext] to inject
// one.
const (
	CodeCloudHsmClusterInvalidConfiguration            = "CloudHsmClusterInvalidConfigurationException"
	CodeCloudHsmClusterNotActive                       = "CloudHsmClusterNotActiveException"
	CodeCloudHsmClusterNotFound                        = "CloudHsmClusterNotFoundException"
	CodeCloudHsmClusterNotRelated                      = "CloudHsmClusterNotRelatedException"
	CodeCustomKeyStoreInvalidState                     = "CustomKeyStoreInvalidStateException"
	CodeCustomKeyStoreNameInUse                        = "CustomKeyStoreNameInUseException"
	CodeCustomKeyStoreNotFound                         = "CustomKeyStoreNotFoundException"
	CodeKMSInternal                                    = "KMSInternalException"
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

// Common AWS errors. kmstest answers protocol, input and signature problems
// with the first six; tests may inject any of them with [Fake.FailNext].
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

// DocumentedCodes returns the seventeen exception codes that
// UpdateCustomKeyStore documents, in alphabetical order.
func DocumentedCodes() []string {
	return []string{
		CodeCloudHsmClusterInvalidConfiguration,
		CodeCloudHsmClusterNotActive,
		CodeCloudHsmClusterNotFound,
		CodeCloudHsmClusterNotRelated,
		CodeCustomKeyStoreInvalidState,
		CodeCustomKeyStoreNameInUse,
		CodeCustomKeyStoreNotFound,
		CodeKMSInternal,
		CodeXksProxyIncorrectAuthenticationCredential,
		CodeXksProxyInvalidConfiguration,
		CodeXksProxyInvalidResponse,
		CodeXksProxyUriEndpointInUse,
		CodeXksProxyUriInUse,
		CodeXksProxyUriUnreachable,
		CodeXksProxyVpcEndpointServiceInUse,
		CodeXksProxyVpcEndpointServiceInvalidConfiguration,
		CodeXksProxyVpcEndpointServiceNotFound,
	}
}

// StatusFor returns the HTTP status KMS uses for code: 500 for
// KMSInternalException, InternalFailure and 503 for
// ServiceUnavailableException; 400 for every other code.
func StatusFor(code string) int {
	switch code {
	case CodeKMSInternal, CodeInternalFailure:
		return http.StatusInternalServerError
	case CodeServiceUnavailable:
		return http.StatusServiceUnavailable
	}
	return http.StatusBadRequest
}

// apiError is an error answer: its code, message and HTTP status.
type apiError struct {
	code    string
	message string
	status  int
}

func (e *apiError) Error() string { return e.code + ": " + e.message }

// newError returns an apiError with the model's status for code.
func newError(code, message string) *apiError {
	return &apiError{code: code, message: message, status: StatusFor(code)}
}

// contentType is the awsJson1.1 media type of requests and answers.
const contentType = "application/x-amz-json-1.1"

// writeError writes e in KMS's error envelope.
func writeError(w http.ResponseWriter, requestID string, e *apiError) {
	body, _ := json.Marshal(struct {
		Type    string `json:"__type"`
		Message string `json:"message"`
	}{e.code, e.message})
	writeJSON(w, requestID, e.status, body)
}

// writeJSON writes an awsJson1.1 answer.
func writeJSON(w http.ResponseWriter, requestID string, status int, body []byte) {
	h := w.Header()
	h.Set("Content-Type", contentType)
	h.Set("X-Amzn-Requestid", requestID)
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// newRequestID returns a random UUID-like request ID.
func newRequestID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b[:])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}
