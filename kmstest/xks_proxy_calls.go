package kmstest

import (
	"sync"

	"github.com/kmskit/kms/internal/xksmodel"
)

// XksCall is the record of one request a fake XKS proxy answered. It holds
// no credential, plaintext, ciphertext or AAD.
type XksCall struct {
	// Method and Path are the request's, e.g. "POST" and
	// "/example-prefix/kms/xks/v1/keys/foo/encrypt".
	Method string
	Path   string
	// Operation is GetHealthStatus, GetKeyMetadata, Encrypt or Decrypt; ""
	// for a path that is no XKS API URI.
	Operation string
	// ExternalKeyId is the key of the path; "" for GetHealthStatus.
	ExternalKeyId string
	// RequestMetadata is what the request sent, once it authenticated.
	RequestMetadata XksRequestMetadata
	// Status is the HTTP status answered; 0 when the client gave up during
	// injected latency.
	Status int
	// ErrorName is the errorName answered; "" on success.
	ErrorName string
	// Message is the errorMessage answered (or why nothing was).
	Message string
}

// XksRequestMetadata is the requestMetadata of a call.
type XksRequestMetadata = xksmodel.RequestMetadata

// xksRecorder keeps the calls.
type xksRecorder struct {
	mu    sync.Mutex
	calls []XksCall
}

// add records c.
func (r *xksRecorder) add(c XksCall) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.calls = append(r.calls, c)
}

// Calls returns the calls answered so far, oldest first.
func (p *XksProxyFake) Calls() []XksCall {
	p.calls.mu.Lock()
	defer p.calls.mu.Unlock()
	return append([]XksCall(nil), p.calls.calls...)
}

// ResetCalls forgets the recorded calls.
func (p *XksProxyFake) ResetCalls() {
	p.calls.mu.Lock()
	defer p.calls.mu.Unlock()
	p.calls.calls = nil
}
