package kmstest

import (
	"encoding/json"
	"sync"

	"github.com/kmskit/kms/internal/kmsmodel"
)

// Redacted is the one marker kmstest puts in place of a secret value
// (KeyStorePassword and XksProxyAuthenticationCredential's AccessKeyId and
// RawSecretAccessKey, the members the KMS model marks sensitive): in the
// messages it sends, as AWS does, and in recorded inputs.
const Redacted = "*** Sensitive Data Redacted ***"

// DefaultMaxCalls is how many calls a fake keeps for [Fake.Calls] unless
// [WithMaxCalls] says otherwise.
const DefaultMaxCalls = 10000

// Call is the record of one request the fake answered.
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

// callRing keeps the last max calls in a ring: calls[start] is the oldest
// once the ring is full. The fake KMS and the fake XKS proxy each keep one.
type callRing[T any] struct {
	mu    sync.Mutex
	max   int
	calls []T
	start int
}

// add records c, dropping the oldest call when max are kept.
func (r *callRing[T]) add(c T) {
	r.mu.Lock()
	defer r.mu.Unlock()
	switch {
	case r.max <= 0:
	case len(r.calls) < r.max:
		r.calls = append(r.calls, c)
	default:
		r.calls[r.start] = c
		r.start = (r.start + 1) % r.max
	}
}

// list returns copies (made by clone) of the kept calls, oldest first.
func (r *callRing[T]) list(clone func(T) T) []T {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := len(r.calls)
	out := make([]T, n)
	for i := range n {
		out[i] = clone(r.calls[(r.start+i)%n])
	}
	return out
}

// reset forgets the kept calls.
func (r *callRing[T]) reset() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.calls, r.start = nil, 0
}

// keptCalls is how many calls a ring keeps for an option's n: nil means
// DefaultMaxCalls, a negative n none.
func keptCalls(n *int) int {
	if n == nil {
		return DefaultMaxCalls
	}
	return max(*n, 0)
}

// Calls returns copies of the calls answered so far, oldest first: the
// last [DefaultMaxCalls] of them, or as many as [WithMaxCalls] says. A call
// is recorded before it is answered, but after its update is applied: with
// concurrent clients, the order of two updates of one store in Calls may
// differ from the order in which they were applied.
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

// redactedInput decodes body as a JSON object and redacts its secrets:
// every member that internal/kmsmodel marks sensitive in the input of any
// of the operations (whatever the target, so an unknown or mistaken target
// records no secret either). A member whose shape holds secrets but whose
// value is not an object is redacted whole: it might still hold one.
func redactedInput(body []byte) map[string]any {
	var m map[string]any
	if json.Unmarshal(body, &m) != nil || m == nil {
		return nil
	}
	for _, op := range kmsmodel.Operations {
		redactShape(m, op.Input)
	}
	return m
}

// redactShape redacts in obj the sensitive members of shape s, and those of
// the structures it holds.
func redactShape(obj map[string]any, s *kmsmodel.Shape) {
	for i := range s.Members {
		mem := &s.Members[i]
		v, ok := obj[mem.Name]
		if !ok {
			continue
		}
		if mem.Sensitive {
			obj[mem.Name] = Redacted
			continue
		}
		if sub := secretShape(mem); sub != nil && v != nil {
			if o, isObj := v.(map[string]any); isObj {
				redactShape(o, sub)
			} else {
				obj[mem.Name] = Redacted
			}
		}
	}
}

// secretShape returns the shape of a structure member that holds sensitive
// members, or nil.
func secretShape(mem *kmsmodel.Member) *kmsmodel.Shape {
	if mem.Kind != kmsmodel.KindStructure {
		return nil
	}
	if s := kmsmodel.XksProxyAuthenticationCredentialType; mem.Target == s.Name {
		return s
	}
	return nil
}
