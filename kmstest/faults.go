package kmstest

import (
	"context"
	"net/http"
	"sync"
	"time"
)

// Fault is an error that [Fake.FailNext] makes calls answer with, before
// any rule is checked and without changing any store.
type Fault struct {
	// Code is the __type sent, e.g. CodeThrottling or CodeKMSInternal. When
	// it is "", the answer is a bare Status with a plain-text body, as from
	// a load balancer in front of KMS.
	Code string
	// Status is the HTTP status; 0 means StatusFor(Code).
	Status int
	// Message is the message sent; "" means a default naming the fault.
	Message string
}

// apiError returns the answer for the fault.
func (f Fault) apiError() *apiError {
	e := &apiError{code: f.Code, message: f.Message, status: f.Status}
	if e.status == 0 {
		e.status = StatusFor(f.Code)
		if f.Code == "" {
			e.status = http.StatusServiceUnavailable
		}
	}
	if e.message == "" {
		e.message = "kmstest: injected fault"
	}
	return e
}

// faults holds the pending faults and the injected latency.
type faults struct {
	mu      sync.Mutex
	pending []Fault
	latency time.Duration
}

// next pops the next pending fault.
func (q *faults) next() (Fault, bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if len(q.pending) == 0 {
		return Fault{}, false
	}
	f := q.pending[0]
	q.pending = q.pending[1:]
	return f, true
}

// wait sleeps for the injected latency, or until ctx is done.
func (q *faults) wait(ctx context.Context) error {
	q.mu.Lock()
	d := q.latency
	q.mu.Unlock()
	if d <= 0 {
		return nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// FailNext makes the next n calls fail with fault, after SigV4 verification
// (when on) and before anything else. Calls to FailNext queue up: two calls
// of FailNext(1, ...) fail the next two calls, in order.
func (f *Fake) FailNext(n int, fault Fault) {
	f.faults.mu.Lock()
	defer f.faults.mu.Unlock()
	for range n {
		f.faults.pending = append(f.faults.pending, fault)
	}
}

// PendingFaults returns how many injected faults are still to be served.
func (f *Fake) PendingFaults() int {
	f.faults.mu.Lock()
	defer f.faults.mu.Unlock()
	return len(f.faults.pending)
}

// ClearFaults drops the pending faults and the latency.
func (f *Fake) ClearFaults() {
	f.faults.mu.Lock()
	defer f.faults.mu.Unlock()
	f.faults.pending = nil
	f.faults.latency = 0
}

// SetLatency delays every answer by d, until set again; 0 turns it off. A
// call whose client gives up during the delay is not processed.
func (f *Fake) SetLatency(d time.Duration) {
	f.faults.mu.Lock()
	defer f.faults.mu.Unlock()
	f.faults.latency = d
}
