package kmstest

import (
	"encoding/json"
	"sync"
)

// Redacted replaces secret values (KeyStorePassword and
// XksProxyAuthenticationCredential.RawSecretAccessKey) in recorded inputs.
const Redacted = "REDACTED"

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

// recorder keeps the calls.
type recorder struct {
	mu    sync.Mutex
	calls []Call
}

// add records c.
func (r *recorder) add(c Call) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.calls = append(r.calls, c)
}

// Calls returns copies of the calls answered so far, oldest first. A call
// is recorded before it is answered, but after its update is applied: with
// concurrent clients, the order of two updates of one store in Calls may
// differ from the order in which they were applied.
func (f *Fake) Calls() []Call {
	f.rec.mu.Lock()
	defer f.rec.mu.Unlock()
	out := make([]Call, len(f.rec.calls))
	for i, c := range f.rec.calls {
		out[i] = c.clone()
	}
	return out
}

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
func (f *Fake) ResetCalls() {
	f.rec.mu.Lock()
	defer f.rec.mu.Unlock()
	f.rec.calls = nil
}

// redactedInput decodes body as a JSON object and redacts its secrets.
func redactedInput(body []byte) map[string]any {
	var m map[string]any
	if json.Unmarshal(body, &m) != nil || m == nil {
		return nil
	}
	if _, ok := m["KeyStorePassword"]; ok {
		m["KeyStorePassword"] = Redacted
	}
	switch cred := m["XksProxyAuthenticationCredential"].(type) {
	case nil:
	case map[string]any:
		if _, ok := cred["RawSecretAccessKey"]; ok {
			cred["RawSecretAccessKey"] = Redacted
		}
	default:
		// Not a structure: it might still hold the secret.
		m["XksProxyAuthenticationCredential"] = Redacted
	}
	return m
}
