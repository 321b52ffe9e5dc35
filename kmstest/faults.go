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

// faultQueue holds the pending faults of a fake (the fake KMS's Fault or
// the fake XKS proxy's XksFault) and the injected latency.
type faultQueue[T any] struct {
	mu      sync.Mutex
	pending []T
	latency time.Duration
}

// next pops the next pending fault.
func (q *faultQueue[T]) next() (T, bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if len(q.pending) == 0 {
		var zero T
		return zero, false
	}
	f := q.pending[0]
	q.pending = q.pending[1:]
	return f, true
}

// add queues f for the next n calls, behind earlier faults.
func (q *faultQueue[T]) add(n int, f T) {
	q.mu.Lock()
	defer q.mu.Unlock()
	for range n {
		q.pending = append(q.pending, f)
	}
}

// count returns how many faults are pending.
func (q *faultQueue[T]) count() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return len(q.pending)
}

// clear drops the pending faults and the latency.
func (q *faultQueue[T]) clear() {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.pending = nil
	q.latency = 0
}

// setLatency delays every answer by d; 0 turns it off.
func (q *faultQueue[T]) setLatency(d time.Duration) {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.latency = d
}

// wait sleeps for the injected latency, or until ctx is done.
func (q *faultQueue[T]) wait(ctx context.Context) error {
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
func (f *Fake) FailNext(n int, fault Fault) { f.faults.add(n, fault) }

// PendingFaults returns how many injected faults are still to be served.
func (f *Fake) PendingFaults() int { return f.faults.count() }

// ClearFaults drops the pending faults and the latency.
func (f *Fake) ClearFaults() { f.faults.clear() }

// SetLatency delays every answer by d, until set again; 0 turns it off. A
// call whose client gives up during the delay is not processed.
func (f *Fake) SetLatency(d time.Duration) { f.faults.setLatency(d) }
