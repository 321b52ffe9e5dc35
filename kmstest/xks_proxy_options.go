package kmstest

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/kmskit/kms/internal/xksmodel"
)

// XksOption configures a fake XKS proxy ([NewXksProxyServer],
// [NewXksProxyFake]).
type XksOption func(*xksConfig)

// xksConfig is what the options set.
type xksConfig struct {
	endpoint  string
	prefixes  []string
	creds     []XksCredential
	keys      []XksKey
	fleet     []XksEkm
	certHosts []string
	now       func() time.Time
	onCall    func(XksCall)
	maxCalls  *int

	maxCallBytes *int // see WithXksMaxCallBytes
}

// XksCredential is a SigV4 credential that a fake XKS proxy accepts. Both
// members print as [Redacted], kmstest's one marker, under fmt, log/slog,
// encoding/json, encoding/xml and MarshalText; encoding/gob refuses to
// encode a set credential rather than write or lose it. A test that must
// keep one keeps the fields' values itself.
//
// Its methods redact, but fmt calls no method of a value in an unexported
// field of your own struct and prints it raw (under %s and %q even through
// a pointer): keep it in an exported field, or out of printed structs.
type XksCredential struct {
	// AccessKeyID identifies the secret. Required.
	AccessKeyID string
	// SecretAccessKey is the shared secret. Required.
	SecretAccessKey string
	// URIPrefix, when set, is the one path prefix (see WithXksURIPrefix)
	// under which the proxy accepts the credential, as proxies that hold one
	// credential per path do (AWS's sample XKS proxy); "" accepts it under
	// every prefix.
	URIPrefix string
}

// String returns c with both members redacted.
func (c XksCredential) String() string {
	return fmt.Sprintf("{AccessKeyID:%s SecretAccessKey:%s}", redactIfSet(c.AccessKeyID), redactIfSet(c.SecretAccessKey))
}

// GoString returns the Go syntax of c with both members redacted.
func (c XksCredential) GoString() string {
	return fmt.Sprintf("kmstest.XksCredential{AccessKeyID:%q, SecretAccessKey:%q}", redactIfSet(c.AccessKeyID), redactIfSet(c.SecretAccessKey))
}

// Format prints c with both members redacted, under every verb.
func (c XksCredential) Format(f fmt.State, verb rune) {
	if verb == 'v' && f.Flag('#') {
		fmt.Fprint(f, c.GoString())
		return
	}
	fmt.Fprint(f, c.String())
}

// LogValue returns c with both members redacted.
func (c XksCredential) LogValue() slog.Value {
	return slog.GroupValue(slog.String("AccessKeyID", redactIfSet(c.AccessKeyID)), slog.String("SecretAccessKey", redactIfSet(c.SecretAccessKey)))
}

// MarshalJSON returns c with both members redacted; for logging only.
func (c XksCredential) MarshalJSON() ([]byte, error) {
	return json.Marshal(map[string]string{"AccessKeyID": redactIfSet(c.AccessKeyID), "SecretAccessKey": redactIfSet(c.SecretAccessKey)})
}

// plainXksCredential is XksCredential without its methods.
type plainXksCredential XksCredential

// GobEncode encodes an unset c, and refuses to encode a set one: gob would
// have to write the secret or lose it.
func (c XksCredential) GobEncode() ([]byte, error) {
	return gobEncode(plainXksCredential(c), "kmstest.XksCredential", setSecrets(&c))
}

// GobDecode decodes what GobEncode wrote.
func (c *XksCredential) GobDecode(b []byte) error { return gobDecode(b, (*plainXksCredential)(c)) }

// MarshalText returns c with both members redacted, for encoders such as
// encoding/xml.
func (c XksCredential) MarshalText() ([]byte, error) { return []byte(c.String()), nil }

// XksKey is an external key that a fake XKS proxy holds. The zero value of
// each member but ID is the key KMS needs: AES_256, ENCRYPT and DECRYPT,
// ENABLED, random key material.
type XksKey struct {
	// ID is the externalKeyId: 1 to 128 of A-Z, a-z, 0-9, '-', '.' and '_'.
	// Required.
	ID string
	// KeySpec is reported by GetKeyMetadata; "" means AES_256. Encrypt and
	// Decrypt with another spec are InvalidKeyUsageException.
	KeySpec string
	// KeyUsage lists the usages: nil means ENCRYPT and DECRYPT; an empty,
	// non-nil slice means none.
	KeyUsage []string
	// KeyStatus is ENABLED or DISABLED; "" means ENABLED. A DISABLED key
	// refuses Encrypt and Decrypt with InvalidStateException.
	KeyStatus string
	// Material is the 32-byte AES key; nil means random. Give two proxies
	// the same material to model one key manager behind two endpoints.
	Material []byte
	// CiphertextMetadata, when set (at most 20 bytes), is returned by every
	// Encrypt and bound to the ciphertext, as vendors do for key versions.
	CiphertextMetadata []byte
}

// XksEkm is one external key manager that GetHealthStatus reports.
type XksEkm struct {
	// ID identifies it, e.g. "hsm-1".
	ID string
	// Model is its product and version.
	Model string
	// HealthStatus is ACTIVE, DEGRADED or UNAVAILABLE.
	HealthStatus string
}

// WithXksEndpoint sets the proxy's XksProxyUriEndpoint, "https://" and a
// host name without port, e.g. "https://xks.example.com". The server's
// certificate is for that name and [XksProxyServer.Client] reaches the
// server by it. The default is "https://xks.example.com".
func WithXksEndpoint(endpoint string) XksOption {
	return func(c *xksConfig) { c.endpoint = endpoint }
}

// WithXksURIPrefix sets the path prefixes the proxy serves: "/example-prefix"
// serves /example-prefix/kms/xks/v1/...; "" (the default) serves
// /kms/xks/v1/... A missing leading '/' is added, and a prefix that already
// ends in /kms/xks/v1 is taken as the whole XksProxyUriPath. Several
// prefixes serve the same keys. Requests under any other path are
// InvalidUriPathException.
func WithXksURIPrefix(prefixes ...string) XksOption {
	return func(c *xksConfig) { c.prefixes = append(c.prefixes, prefixes...) }
}

// WithXksCredentials sets the credentials the proxy accepts; several at once
// model a rotation. At least one is required.
func WithXksCredentials(creds ...XksCredential) XksOption {
	return func(c *xksConfig) { c.creds = append(c.creds, creds...) }
}

// WithXksKeys adds external keys.
func WithXksKeys(keys ...XksKey) XksOption {
	return func(c *xksConfig) { c.keys = append(c.keys, keys...) }
}

// WithXksEkmFleet sets the external key managers that GetHealthStatus
// reports. The default is two ACTIVE ones.
func WithXksEkmFleet(ekms ...XksEkm) XksOption {
	return func(c *xksConfig) { c.fleet = append([]XksEkm(nil), ekms...) }
}

// WithXksCertificateHosts makes the server's certificate name these hosts
// instead of the endpoint's, to provoke a TLS name mismatch.
func WithXksCertificateHosts(hosts ...string) XksOption {
	return func(c *xksConfig) { c.certHosts = append([]string(nil), hosts...) }
}

// WithXksClock sets the clock that signing times are checked against (5
// minutes either way); the default is time.Now.
func WithXksClock(now func() time.Time) XksOption {
	return func(c *xksConfig) { c.now = now }
}

// WithXksCallHook calls fn after each call has been answered, with the same
// record that [XksProxyFake.Calls] returns (no secrets). fn may be called
// from several goroutines at once.
func WithXksCallHook(fn func(XksCall)) XksOption {
	return func(c *xksConfig) { c.onCall = fn }
}

// WithXksMaxCalls keeps at most n calls for [XksProxyFake.Calls], dropping
// the oldest first; 0 keeps none (a negative n counts as 0). The default is
// [DefaultMaxCalls], as for the fake KMS ([WithMaxCalls]), so a
// long-running proxy's memory stays bounded. The call hook
// ([WithXksCallHook]) sees every call either way.
func WithXksMaxCalls(n int) XksOption {
	return func(c *xksConfig) { c.maxCalls = &n }
}

// WithXksMaxCallBytes keeps at most about n bytes of calls for
// [XksProxyFake.Calls] (a string's bytes plus a fixed overhead per call),
// dropping the oldest first, on top of [WithXksMaxCalls]; 0 keeps none (a
// negative n counts as 0). The newest call is kept even when it alone is
// larger. The default is [DefaultMaxCallBytes], as for the fake KMS
// ([WithMaxCallBytes]).
func WithXksMaxCallBytes(n int) XksOption {
	return func(c *xksConfig) { c.maxCallBytes = &n }
}

// normalizePrefix turns a WithXksURIPrefix argument into the prefix served.
func normalizePrefix(p string) string {
	p = strings.TrimSuffix(p, xksmodel.APIPath)
	p = strings.TrimRight(p, "/")
	if p != "" && !strings.HasPrefix(p, "/") {
		p = "/" + p
	}
	return p
}
