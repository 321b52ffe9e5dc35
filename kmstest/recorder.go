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

// Calls returns the calls answered so far, oldest first.
func (f *Fake) Calls() []Call {
	f.rec.mu.Lock()
	defer f.rec.mu.Unlock()
	return append([]Call(nil), f.rec.calls...)
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
