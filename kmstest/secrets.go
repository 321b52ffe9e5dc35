package kmstest

import (
	"bytes"
	"encoding/gob"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"log/slog"
	"strings"
)

// How the types that hold secrets print and encode: see "Secrets" in the
// package documentation.

// secretField is a secret field of a seed type: its name and where it is.
type secretField struct {
	name  string
	value *string
}

// secretHolder is a pointer to a seed type that holds secrets.
type secretHolder[T any] interface {
	*T
	secrets() []secretField
}

// redactedCopy returns v with each set secret replaced by Redacted.
func redactedCopy[T any, P secretHolder[T]](v T) T {
	for _, f := range P(&v).secrets() {
		*f.value = redactIfSet(*f.value)
	}
	return v
}

// redactIfSet returns Redacted for a set secret, "" for an unset one.
func redactIfSet(s string) string {
	if s == "" {
		return ""
	}
	return Redacted
}

// setSecrets returns the names of v's secrets that are set.
func setSecrets[T any, P secretHolder[T]](v *T) []string {
	var out []string
	for _, f := range P(v).secrets() {
		if *f.value != "" {
			out = append(out, f.name)
		}
	}
	return out
}

// checkNotLost returns an error naming what (e.g. "store cks-1") and the
// first of v's secrets whose value is Redacted: a value lost when v was
// printed or encoded, which must not be seeded as the secret.
func checkNotLost[T any, P secretHolder[T]](v *T, what string) error {
	for _, f := range P(v).secrets() {
		if *f.value == Redacted {
			return fmt.Errorf("kmstest: %s: %s is the redaction marker %q: its value was lost when it was printed or encoded (write seed files with WriteSeed)",
				what, f.name, Redacted)
		}
	}
	return nil
}

// formatRedacted prints plain (a method-free copy, its secrets redacted) as
// verb with f's flags asks; %#v names it typeName.
func formatRedacted(f fmt.State, verb rune, plain any, typeName string) {
	if verb == 'v' && f.Flag('#') {
		_, _ = io.WriteString(f, goStringRedacted(plain, typeName))
		return
	}
	_, _ = fmt.Fprintf(f, fmt.FormatString(f, verb), plain)
}

// goStringRedacted is the Go syntax of plain, named typeName.
func goStringRedacted(plain any, typeName string) string {
	s := fmt.Sprintf("%#v", plain)
	return typeName + s[strings.IndexByte(s, '{'):]
}

// gobEncode encodes plain, or refuses when secrets (the names of the set
// secrets of a typeName) is not empty: gob would have to write them or
// lose them.
func gobEncode(plain any, typeName string, secrets []string) ([]byte, error) {
	if len(secrets) > 0 {
		return nil, fmt.Errorf("kmstest: refusing to encode a secret: a %s with %s set is not gob-encoded (it would write or lose it)",
			typeName, strings.Join(secrets, ", "))
	}
	var b bytes.Buffer
	if err := gob.NewEncoder(&b).Encode(plain); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// gobDecode decodes what gobEncode wrote into plain.
func gobDecode(b []byte, plain any) error { return gob.NewDecoder(bytes.NewReader(b)).Decode(plain) }

// The seed types without their methods: what they print, log and encode
// once their secrets are redacted, and what WriteSeed writes.
type (
	plainStore                 Store
	plainXksProxyConfiguration XksProxyConfiguration
	plainCluster               Cluster
	plainXksProxy              XksProxy
	plainCredential            Credential
)

func (s *Store) secrets() []secretField {
	x := &s.XksProxyConfiguration
	return []secretField{{"KeyStorePassword", &s.KeyStorePassword},
		{"XksProxyConfiguration.AccessKeyId", &x.AccessKeyId}, {"XksProxyConfiguration.RawSecretAccessKey", &x.RawSecretAccessKey}}
}

func (x *XksProxyConfiguration) secrets() []secretField {
	return []secretField{{"AccessKeyId", &x.AccessKeyId}, {"RawSecretAccessKey", &x.RawSecretAccessKey}}
}

func (c *Cluster) secrets() []secretField {
	return []secretField{{"KmsuserPassword", &c.KmsuserPassword}}
}

func (p *XksProxy) secrets() []secretField {
	return []secretField{{"AccessKeyId", &p.AccessKeyId}, {"RawSecretAccessKey", &p.RawSecretAccessKey}}
}

func (c *Credential) secrets() []secretField {
	return []secretField{{"AccessKeyId", &c.AccessKeyId}, {"SecretAccessKey", &c.SecretAccessKey}, {"SessionToken", &c.SessionToken}}
}

func (c *XksCredential) secrets() []secretField {
	return []secretField{{"AccessKeyID", &c.AccessKeyID}, {"SecretAccessKey", &c.SecretAccessKey}}
}

// redacted is s, its secrets redacted, without methods.
func (s Store) redacted() plainStore { return plainStore(redactedCopy(s)) }

// Format prints s with its secrets redacted, under every verb.
func (s Store) Format(f fmt.State, verb rune) { formatRedacted(f, verb, s.redacted(), "kmstest.Store") }

// String returns s with its secrets redacted.
func (s Store) String() string { return fmt.Sprint(s.redacted()) }

// GoString returns the Go syntax of s with its secrets redacted.
func (s Store) GoString() string { return goStringRedacted(s.redacted(), "kmstest.Store") }

// LogValue returns s with its secrets redacted.
func (s Store) LogValue() slog.Value { return slog.AnyValue(s.redacted()) }

// MarshalJSON returns s with its secrets redacted; it is for logging, and
// [WriteSeed] writes seed files.
func (s Store) MarshalJSON() ([]byte, error) { return json.Marshal(s.redacted()) }

// MarshalXML writes s with its secrets redacted.
func (s Store) MarshalXML(e *xml.Encoder, start xml.StartElement) error {
	return e.EncodeElement(s.redacted(), start)
}

// GobEncode encodes s, or refuses when it holds a secret.
func (s Store) GobEncode() ([]byte, error) {
	return gobEncode(plainStore(s), "kmstest.Store", setSecrets(&s))
}

// GobDecode decodes what GobEncode wrote.
func (s *Store) GobDecode(b []byte) error { return gobDecode(b, (*plainStore)(s)) }

// redacted is x, its secrets redacted, without methods.
func (x XksProxyConfiguration) redacted() plainXksProxyConfiguration {
	return plainXksProxyConfiguration(redactedCopy(x))
}

// Format prints x with its secrets redacted, under every verb.
func (x XksProxyConfiguration) Format(f fmt.State, verb rune) {
	formatRedacted(f, verb, x.redacted(), "kmstest.XksProxyConfiguration")
}

// String returns x with its secrets redacted.
func (x XksProxyConfiguration) String() string { return fmt.Sprint(x.redacted()) }

// GoString returns the Go syntax of x with its secrets redacted.
func (x XksProxyConfiguration) GoString() string {
	return goStringRedacted(x.redacted(), "kmstest.XksProxyConfiguration")
}

// LogValue returns x with its secrets redacted.
func (x XksProxyConfiguration) LogValue() slog.Value { return slog.AnyValue(x.redacted()) }

// MarshalJSON returns x with its secrets redacted; it is for logging, and
// [WriteSeed] writes seed files.
func (x XksProxyConfiguration) MarshalJSON() ([]byte, error) { return json.Marshal(x.redacted()) }

// MarshalXML writes x with its secrets redacted.
func (x XksProxyConfiguration) MarshalXML(e *xml.Encoder, start xml.StartElement) error {
	return e.EncodeElement(x.redacted(), start)
}

// GobEncode encodes x, or refuses when it holds a secret.
func (x XksProxyConfiguration) GobEncode() ([]byte, error) {
	return gobEncode(plainXksProxyConfiguration(x), "kmstest.XksProxyConfiguration", setSecrets(&x))
}

// GobDecode decodes what GobEncode wrote.
func (x *XksProxyConfiguration) GobDecode(b []byte) error {
	return gobDecode(b, (*plainXksProxyConfiguration)(x))
}

// redacted is c, its secret redacted, without methods.
func (c Cluster) redacted() plainCluster { return plainCluster(redactedCopy(c)) }

// Format prints c with its secret redacted, under every verb.
func (c Cluster) Format(f fmt.State, verb rune) {
	formatRedacted(f, verb, c.redacted(), "kmstest.Cluster")
}

// String returns c with its secret redacted.
func (c Cluster) String() string { return fmt.Sprint(c.redacted()) }

// GoString returns the Go syntax of c with its secret redacted.
func (c Cluster) GoString() string { return goStringRedacted(c.redacted(), "kmstest.Cluster") }

// LogValue returns c with its secret redacted.
func (c Cluster) LogValue() slog.Value { return slog.AnyValue(c.redacted()) }

// MarshalJSON returns c with its secret redacted; it is for logging, and
// [WriteSeed] writes seed files.
func (c Cluster) MarshalJSON() ([]byte, error) { return json.Marshal(c.redacted()) }

// MarshalXML writes c with its secret redacted.
func (c Cluster) MarshalXML(e *xml.Encoder, start xml.StartElement) error {
	return e.EncodeElement(c.redacted(), start)
}

// GobEncode encodes c, or refuses when it holds a secret.
func (c Cluster) GobEncode() ([]byte, error) {
	return gobEncode(plainCluster(c), "kmstest.Cluster", setSecrets(&c))
}

// GobDecode decodes what GobEncode wrote.
func (c *Cluster) GobDecode(b []byte) error { return gobDecode(b, (*plainCluster)(c)) }

// redacted is p, its secrets redacted, without methods.
func (p XksProxy) redacted() plainXksProxy { return plainXksProxy(redactedCopy(p)) }

// Format prints p with its secrets redacted, under every verb.
func (p XksProxy) Format(f fmt.State, verb rune) {
	formatRedacted(f, verb, p.redacted(), "kmstest.XksProxy")
}

// String returns p with its secrets redacted.
func (p XksProxy) String() string { return fmt.Sprint(p.redacted()) }

// GoString returns the Go syntax of p with its secrets redacted.
func (p XksProxy) GoString() string { return goStringRedacted(p.redacted(), "kmstest.XksProxy") }

// LogValue returns p with its secrets redacted.
func (p XksProxy) LogValue() slog.Value { return slog.AnyValue(p.redacted()) }

// MarshalJSON returns p with its secrets redacted; it is for logging, and
// [WriteSeed] writes seed files.
func (p XksProxy) MarshalJSON() ([]byte, error) { return json.Marshal(p.redacted()) }

// MarshalXML writes p with its secrets redacted.
func (p XksProxy) MarshalXML(e *xml.Encoder, start xml.StartElement) error {
	return e.EncodeElement(p.redacted(), start)
}

// GobEncode encodes p, or refuses when it holds a secret.
func (p XksProxy) GobEncode() ([]byte, error) {
	return gobEncode(plainXksProxy(p), "kmstest.XksProxy", setSecrets(&p))
}

// GobDecode decodes what GobEncode wrote.
func (p *XksProxy) GobDecode(b []byte) error { return gobDecode(b, (*plainXksProxy)(p)) }

// redacted is c, its secrets redacted, without methods.
func (c Credential) redacted() plainCredential { return plainCredential(redactedCopy(c)) }

// Format prints c with its secrets redacted, under every verb.
func (c Credential) Format(f fmt.State, verb rune) {
	formatRedacted(f, verb, c.redacted(), "kmstest.Credential")
}

// String returns c with its secrets redacted.
func (c Credential) String() string { return fmt.Sprint(c.redacted()) }

// GoString returns the Go syntax of c with its secrets redacted.
func (c Credential) GoString() string { return goStringRedacted(c.redacted(), "kmstest.Credential") }

// LogValue returns c with its secrets redacted.
func (c Credential) LogValue() slog.Value { return slog.AnyValue(c.redacted()) }

// MarshalJSON returns c with its secrets redacted; it is for logging, and
// [WriteSeed] writes seed files.
func (c Credential) MarshalJSON() ([]byte, error) { return json.Marshal(c.redacted()) }

// MarshalXML writes c with its secrets redacted.
func (c Credential) MarshalXML(e *xml.Encoder, start xml.StartElement) error {
	return e.EncodeElement(c.redacted(), start)
}

// GobEncode encodes c, or refuses when it holds a secret.
func (c Credential) GobEncode() ([]byte, error) {
	return gobEncode(plainCredential(c), "kmstest.Credential", setSecrets(&c))
}

// GobDecode decodes what GobEncode wrote.
func (c *Credential) GobDecode(b []byte) error { return gobDecode(b, (*plainCredential)(c)) }

// The fakes hold secrets (stores, credentials) in unexported fields, which
// fmt would print: they print a summary instead.

// String describes f without its state's secrets, e.g.
// "kmstest.Fake(3 stores, SigV4 on)".
func (f *Fake) String() string {
	if f == nil {
		return "kmstest.Fake(nil)"
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	sig := "off"
	if f.verify {
		sig = "on"
	}
	return fmt.Sprintf("kmstest.Fake(%d stores, SigV4 %s)", len(f.stores), sig)
}

// GoString is String.
func (f *Fake) GoString() string { return f.String() }

// Format prints String under every verb.
func (f *Fake) Format(s fmt.State, _ rune) { _, _ = io.WriteString(s, f.String()) }

// String describes s by its URL and fake, without secrets.
func (s Server) String() string { return "kmstest.Server(" + s.URL + ", " + s.Fake.String() + ")" }

// GoString is String.
func (s Server) GoString() string { return s.String() }

// Format prints String under every verb.
func (s Server) Format(st fmt.State, _ rune) { _, _ = io.WriteString(st, s.String()) }

// String describes p by its paths and keys, without credentials or key
// material.
func (p *XksProxyFake) String() string {
	if p == nil {
		return "kmstest.XksProxyFake(nil)"
	}
	paths := p.URIPaths()
	p.mu.Lock()
	defer p.mu.Unlock()
	return fmt.Sprintf("kmstest.XksProxyFake(%s, %d keys, %d credentials)", strings.Join(paths, " "), len(p.keys), len(p.creds))
}

// GoString is String.
func (p *XksProxyFake) GoString() string { return p.String() }

// Format prints String under every verb.
func (p *XksProxyFake) Format(s fmt.State, _ rune) { _, _ = io.WriteString(s, p.String()) }

// String describes s by its endpoint and fake, without secrets.
func (s XksProxyServer) String() string {
	return "kmstest.XksProxyServer(" + s.URL + ", " + s.XksProxyFake.String() + ")"
}

// GoString is String.
func (s XksProxyServer) GoString() string { return s.String() }

// Format prints String under every verb.
func (s XksProxyServer) Format(st fmt.State, _ rune) { _, _ = io.WriteString(st, s.String()) }
