package kmstest

import "time"

// Option configures a [Fake] or [Server].
type Option func(*config)

// config is what the options set.
type config struct {
	creds    []Credential
	region   string
	onCall   func(Call)
	now      func() time.Time
	maxCalls *int

	maxCallBytes *int // see WithMaxCallBytes

	signatureWindow time.Duration // see WithSignatureWindow

	transitionDelay    time.Duration // see WithTransitionDelay
	transitionDelaySet bool
	xksTimeout         time.Duration // see WithXksProxyTimeout
}

// Credential is an AWS credential that the fake accepts when SigV4
// verification is on.
//
// Its methods redact, but fmt calls no method of a value in an unexported
// field of your own struct and prints it raw (under %s and %q even through
// a pointer): keep it in an exported field, or out of printed structs.
type Credential struct {
	// AccessKeyId is the access key ID, e.g. "AKIDEXAMPLE". Required.
	AccessKeyId string `json:"AccessKeyId"`
	// SecretAccessKey is the secret the signature is computed with. Required.
	SecretAccessKey string `json:"SecretAccessKey"`
	// SessionToken, when set, must arrive in X-Amz-Security-Token.
	SessionToken string `json:"SessionToken,omitempty"`
}

// WithSigV4 turns on SigV4 verification: every request must be signed for
// service "kms" with one of creds. Off by default, when any signature, or
// none, is accepted.
func WithSigV4(creds ...Credential) Option {
	return func(c *config) { c.creds = append(c.creds, creds...) }
}

// WithRegion sets the Region that signatures must be scoped to when SigV4
// verification is on. By default any Region is accepted.
func WithRegion(region string) Option {
	return func(c *config) { c.region = region }
}

// WithCallHook calls fn after each call has been answered, with the same
// record that [Fake.Calls] returns (secrets redacted). fn may be called from
// several goroutines at once.
func WithCallHook(fn func(Call)) Option {
	return func(c *config) { c.onCall = fn }
}

// WithClock sets the fake's clock: the time store transitions (see
// [WithTransitionDelay]) and CreationDate are read from, and that SigV4
// verification checks request times against. The default is time.Now;
// [ManualClock.Now] lets a test move time itself.
func WithClock(now func() time.Time) Option {
	return func(c *config) { c.now = now }
}

// WithMaxCalls keeps at most n calls for [Fake.Calls], dropping the oldest
// first; 0 keeps none (a negative n counts as 0). The default is
// [DefaultMaxCalls], so a long-running fake's memory stays bounded. The
// call hook ([WithCallHook]) sees every call either way.
func WithMaxCalls(n int) Option {
	return func(c *config) { c.maxCalls = &n }
}

// WithMaxCallBytes keeps at most about n bytes of calls for [Fake.Calls]
// (as [MaxRecordedInput] says how they are counted), dropping the oldest
// first, on top of [WithMaxCalls]; 0 keeps none (a negative n counts as
// 0). The newest call is kept even when it alone is larger. The default is
// [DefaultMaxCallBytes], so a long-running fake's memory stays bounded
// whatever its clients send.
func WithMaxCallBytes(n int) Option {
	return func(c *config) { c.maxCallBytes = &n }
}
