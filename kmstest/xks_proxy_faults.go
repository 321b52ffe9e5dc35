package kmstest

import (
	"net/http"
	"time"

	"github.com/kmskit/kms/internal/xksmodel"
)

// XksFault is an answer that [XksProxyFake.FailNextWith] makes calls get,
// after SigV4 verification and before anything else.
type XksFault struct {
	// ErrorName is the errorName sent, e.g. "ThrottlingException". Empty
	// with Body set sends Body instead of an error object.
	ErrorName string
	// Status is the HTTP status; 0 means the status of ErrorName in the
	// specification's table (500 for a name not in it, 200 for a Body
	// without ErrorName).
	Status int
	// Message is the errorMessage sent; "" means a default.
	Message string
	// Body, when set, is sent as is instead of the JSON error object: a
	// malformed answer, e.g. "<html>" or "{}".
	Body string
	// ContentType of Body; "" means text/plain.
	ContentType string
}

// xksError returns the answer of f.
func (f XksFault) xksError() *xksError {
	if f.Body != "" {
		st := f.Status
		if st == 0 {
			st = http.StatusOK
			if f.ErrorName != "" {
				st, _ = xksmodel.StatusFor(f.ErrorName)
			}
		}
		return &xksError{name: f.ErrorName, status: st, rawBody: f.Body, rawType: f.ContentType, message: "injected malformed answer"}
	}
	msg := f.Message
	if msg == "" {
		msg = "kmstest: injected fault"
	}
	e := xksErr(f.ErrorName, msg)
	if f.Status != 0 {
		e.status = f.Status
	}
	return e
}

// FailNext makes the next n authenticated calls answer errorName (one of the
// specification's twelve, e.g. "AuthenticationFailedException") with its
// HTTP status. Calls queue up behind earlier faults.
func (p *XksProxyFake) FailNext(n int, errorName string) {
	p.FailNextWith(n, XksFault{ErrorName: errorName})
}

// FailNextWith makes the next n authenticated calls answer f.
func (p *XksProxyFake) FailNextWith(n int, f XksFault) { p.faults.add(n, f) }

// PendingFaults returns how many injected faults are still to be served.
func (p *XksProxyFake) PendingFaults() int { return p.faults.count() }

// ClearFaults drops the pending faults and the latency.
func (p *XksProxyFake) ClearFaults() { p.faults.clear() }

// SetLatency delays every answer by d (e.g. beyond KMS's 250 ms), until set
// again; 0 turns it off. A call whose client gives up during the delay is
// not processed.
func (p *XksProxyFake) SetLatency(d time.Duration) { p.faults.setLatency(d) }
