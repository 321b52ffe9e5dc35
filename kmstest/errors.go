package kmstest

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"slices"

	"github.com/kmskit/kms/internal/kmsmodel"
)

// The exception codes the custom key store operations document
// (internal/kmsmodel), as the __type codes that kmstest sends. Pass them to
// [Fake.FailNext] to inject one.
const (
	CodeCloudHsmClusterInUse                           = kmsmodel.CodeCloudHsmClusterInUse
	CodeCloudHsmClusterInvalidConfiguration            = kmsmodel.CodeCloudHsmClusterInvalidConfiguration
	CodeCloudHsmClusterNotActive                       = kmsmodel.CodeCloudHsmClusterNotActive
	CodeCloudHsmClusterNotFound                        = kmsmodel.CodeCloudHsmClusterNotFound
	CodeCloudHsmClusterNotRelated                      = kmsmodel.CodeCloudHsmClusterNotRelated
	CodeCustomKeyStoreHasCMKs                          = kmsmodel.CodeCustomKeyStoreHasCMKs
	CodeCustomKeyStoreInvalidState                     = kmsmodel.CodeCustomKeyStoreInvalidState
	CodeCustomKeyStoreNameInUse                        = kmsmodel.CodeCustomKeyStoreNameInUse
	CodeCustomKeyStoreNotFound                         = kmsmodel.CodeCustomKeyStoreNotFound
	CodeIncorrectTrustAnchor                           = kmsmodel.CodeIncorrectTrustAnchor
	CodeInvalidMarker                                  = kmsmodel.CodeInvalidMarker
	CodeKMSInternal                                    = kmsmodel.CodeKMSInternal
	CodeLimitExceeded                                  = kmsmodel.CodeLimitExceeded
	CodeXksProxyIncorrectAuthenticationCredential      = kmsmodel.CodeXksProxyIncorrectAuthenticationCredential
	CodeXksProxyInvalidConfiguration                   = kmsmodel.CodeXksProxyInvalidConfiguration
	CodeXksProxyInvalidResponse                        = kmsmodel.CodeXksProxyInvalidResponse
	CodeXksProxyUriEndpointInUse                       = kmsmodel.CodeXksProxyUriEndpointInUse
	CodeXksProxyUriInUse                               = kmsmodel.CodeXksProxyUriInUse
	CodeXksProxyUriUnreachable                         = kmsmodel.CodeXksProxyUriUnreachable
	CodeXksProxyVpcEndpointServiceInUse                = kmsmodel.CodeXksProxyVpcEndpointServiceInUse
	CodeXksProxyVpcEndpointServiceInvalidConfiguration = kmsmodel.CodeXksProxyVpcEndpointServiceInvalidConfiguration
	CodeXksProxyVpcEndpointServiceNotFound             = kmsmodel.CodeXksProxyVpcEndpointServiceNotFound
)

// Common AWS errors. kmstest answers protocol, input and signature problems
// with the first six; tests may inject any of them with [Fake.FailNext].
const (
	CodeValidation           = kmsmodel.CodeValidation
	CodeSerialization        = kmsmodel.CodeSerialization
	CodeUnknownOperation     = kmsmodel.CodeUnknownOperation
	CodeIncompleteSignature  = kmsmodel.CodeIncompleteSignature
	CodeInvalidSignature     = kmsmodel.CodeInvalidSignature
	CodeUnrecognizedClient   = kmsmodel.CodeUnrecognizedClient
	CodeThrottling           = kmsmodel.CodeThrottling
	CodeAccessDenied         = kmsmodel.CodeAccessDenied
	CodeServiceUnavailable   = kmsmodel.CodeServiceUnavailable
	CodeInternalFailure      = kmsmodel.CodeInternalFailure
	CodeRequestLimitExceeded = kmsmodel.CodeRequestLimitExceeded
)

// DocumentedCodes returns the seventeen exception codes that
// UpdateCustomKeyStore documents, in alphabetical order.
func DocumentedCodes() []string {
	out := slices.Clone(kmsmodel.UpdateCustomKeyStore.Errors)
	slices.Sort(out)
	return out
}

// AllDocumentedCodes returns every exception code any of the six custom
// key store operations documents, in alphabetical order.
func AllDocumentedCodes() []string { return kmsmodel.DocumentedCodes() }

// StatusFor returns the HTTP status KMS uses for code: 500 for
// KMSInternalException and InternalFailure, 503 for
// ServiceUnavailableException; 400 for every other code.
func StatusFor(code string) int { return kmsmodel.StatusFor(code) }

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
