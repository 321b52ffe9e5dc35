package kmstest

import "github.com/kmskit/kms/internal/xksmodel"

// XksCall is the record of one request a fake XKS proxy answered. It holds
// no credential, plaintext, ciphertext or AAD. Its strings are bounded:
// each is cut after 2 KiB, the cut marked "..." and [InputCut], so that a
// 500 KB path is neither kept nor logged whole.
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

// bounded returns c with each string cut after maxRecordedValue bytes.
func (c XksCall) bounded() XksCall {
	for _, s := range c.strings() {
		*s = recordedValue(*s)
	}
	return c
}

// size is how many bytes c counts for [WithXksMaxCallBytes].
func (c XksCall) size() int {
	n := callOverhead
	for _, s := range c.strings() {
		n += valueOverhead + len(*s)
	}
	return n
}

// strings returns c's strings, the request metadata's included.
func (c *XksCall) strings() []*string {
	md := &c.RequestMetadata
	return []*string{&c.Method, &c.Path, &c.Operation, &c.ExternalKeyId, &c.ErrorName, &c.Message,
		&md.AwsPrincipalArn, &md.AwsSourceVpc, &md.AwsSourceVpce, &md.KmsKeyArn, &md.KmsOperation, &md.KmsRequestId, &md.KmsViaService}
}

// Calls returns the calls answered so far, oldest first: the last
// [DefaultMaxCalls] of them, or as many as [WithXksMaxCalls] says, and no
// more than [DefaultMaxCallBytes] (or [WithXksMaxCallBytes]) of them.
func (p *XksProxyFake) Calls() []XksCall {
	return p.calls.list(func(c XksCall) XksCall { return c })
}

// ResetCalls forgets the recorded calls.
func (p *XksProxyFake) ResetCalls() { p.calls.reset() }
