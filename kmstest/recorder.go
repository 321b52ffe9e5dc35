package kmstest

import "sync"

// Redacted is the one marker kmstest puts in place of a secret value
// (KeyStorePassword and XksProxyAuthenticationCredential's AccessKeyId and
// RawSecretAccessKey, the members the KMS model marks sensitive): in the
// messages it sends, as AWS does, and in recorded inputs.
const Redacted = "*** Sensitive Data Redacted ***"

// DefaultMaxCalls is how many calls a fake keeps for [Fake.Calls] unless
// [WithMaxCalls] says otherwise.
const DefaultMaxCalls = 10000

// DefaultMaxCallBytes is how many bytes of calls a fake keeps for
// [Fake.Calls] unless [WithMaxCallBytes] says otherwise: room for the
// last 10 000 calls of the size KMS requests have, or for the last 250 or
// so whose input was cut at [MaxRecordedInput].
const DefaultMaxCallBytes = 16 << 20

// Call is the record of one request the fake answered. Its strings are
// bounded: Target is cut after 2 KiB, and Input after [MaxRecordedInput]
// bytes, each cut marked with [InputCut].
type Call struct {
	// RequestID is the x-amzn-RequestId the fake answered with.
	RequestID string
	// Target is the X-Amz-Target header, e.g. TargetUpdateCustomKeyStore.
	Target string
	// Input is the decoded JSON body with secrets replaced by Redacted; nil
	// when the body was not a JSON object.
	Input map[string]any
	// Code is the error code answered; "" on success (and for a fault with
	// no code).
	Code string
	// Status is the HTTP status answered; 0 when the client gave up during
	// injected latency and nothing was answered.
	Status int
	// Message is the error message answered; "" on success.
	Message string
}

// callOverhead is what a kept call takes besides its strings and input, in
// the bytes that [WithMaxCallBytes] counts: the record and its place in
// the log.
const callOverhead = 160

// size is how many bytes c counts for [WithMaxCallBytes].
func (c Call) size() int {
	n := callOverhead + len(c.RequestID) + len(c.Target) + len(c.Code) + len(c.Message)
	if c.Input != nil {
		n += valueSize(c.Input)
	}
	return n
}

// callLog keeps the last calls: at most max of them, together at most
// maxBytes (as add is told each call's size), dropping the oldest first.
// The fake KMS and the fake XKS proxy each keep one.
type callLog[T any] struct {
	mu       sync.Mutex
	max      int
	maxBytes int
	calls    []keptCall[T] // calls[head:] are kept, oldest first
	head     int
	bytes    int // of the kept calls
}

// keptCall is a call and the bytes it counts.
type keptCall[T any] struct {
	call T
	size int
}

// add records c, which counts size bytes, dropping the oldest calls until
// it fits. The newest call is kept even when it alone is larger than
// maxBytes.
func (r *callLog[T]) add(c T, size int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.max <= 0 || r.maxBytes <= 0 {
		return
	}
	for len(r.calls) > r.head && (len(r.calls)-r.head >= r.max || r.bytes+size > r.maxBytes) {
		r.bytes -= r.calls[r.head].size
		r.calls[r.head] = keptCall[T]{} // let the dropped call go
		r.head++
	}
	if r.head > 0 && r.head*2 >= len(r.calls) {
		n := copy(r.calls, r.calls[r.head:])
		clear(r.calls[n:])
		r.calls, r.head = r.calls[:n], 0
	}
	r.calls = append(r.calls, keptCall[T]{call: c, size: size})
	r.bytes += size
}

// list returns copies (made by clone) of the kept calls, oldest first.
func (r *callLog[T]) list(clone func(T) T) []T {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]T, 0, len(r.calls)-r.head)
	for _, k := range r.calls[r.head:] {
		out = append(out, clone(k.call))
	}
	return out
}

// reset forgets the kept calls.
func (r *callLog[T]) reset() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.calls, r.head, r.bytes = nil, 0, 0
}

// keptCalls is how many calls a log keeps for an option's n: nil means
// DefaultMaxCalls, a negative n none.
func keptCalls(n *int) int { return keptOr(n, DefaultMaxCalls) }

// keptBytes is how many bytes of calls a log keeps for an option's n: nil
// means DefaultMaxCallBytes, a negative n none.
func keptBytes(n *int) int { return keptOr(n, DefaultMaxCallBytes) }

// keptOr is *n, at least 0, or def when n is nil.
func keptOr(n *int, def int) int {
	if n == nil {
		return def
	}
	return max(*n, 0)
}

// Calls returns copies of the calls answered so far, oldest first: the
// last [DefaultMaxCalls] of them, or as many as [WithMaxCalls] says, and
// no more than [DefaultMaxCallBytes] (or [WithMaxCallBytes]) of them. A
// call is recorded before it is answered, but after its update is applied:
// with concurrent clients, the order of two updates of one store in Calls
// may differ from the order in which they were applied.
func (f *Fake) Calls() []Call { return f.rec.list(Call.clone) }

// clone returns a deep copy of c.
func (c Call) clone() Call {
	if c.Input != nil {
		c.Input = deepCopy(c.Input).(map[string]any)
	}
	return c
}

// deepCopy copies a decoded JSON value.
func deepCopy(v any) any {
	switch v := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, e := range v {
			out[k] = deepCopy(e)
		}
		return out
	case []any:
		out := make([]any, len(v))
		for i, e := range v {
			out[i] = deepCopy(e)
		}
		return out
	}
	return v
}

// ResetCalls forgets the recorded calls.
func (f *Fake) ResetCalls() { f.rec.reset() }
