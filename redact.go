package kms

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/kmskit/kms/internal/awsjson"
)

// Redaction. KeyStorePassword and XksProxyAuthenticationCredential's
// AccessKeyId and RawSecretAccessKey (the members the KMS model marks
// sensitive) never leave this package except in the request body sent to
// KMS (appendWire). Every other way of turning an input into text or bytes
// shows them as redactedText when they are set and leaves them out when
// they are nil:
//
//   - fmt, with any verb and flags (Format, String, GoString), whether the
//     value or a pointer is printed, alone or inside another value;
//   - log/slog (LogValue);
//   - encoding/json (MarshalJSON), which a user's logger may use. It writes
//     the wire form with the secrets replaced, so it is for logging only:
//     unmarshalling it yields "[REDACTED]" as the secret;
//   - encoding/gob (GobEncode, GobDecode: the same redacted JSON) and
//     encoding/xml and other text encoders (MarshalText: the %v form).
//
// All other members are shown as they are, for debugging. The methods have
// value receivers so that a value prints redacted too; the Go syntax form
// (%#v) shows pointers to strings as aws.String calls.
//
// The secrets are also scrubbed out of what a server sends back (see
// awsjson.Scrubber): the sender scrubs every text of the response, and the
// decoders every string they return.

// redactedText stands for a secret that is set: "[REDACTED]", the one
// marker of the library's own printing.
const redactedText = awsjson.Redacted

// secretValues returns the values of in's secret members, the ones the KMS
// model marks sensitive: KeyStorePassword and the credential's AccessKeyId
// and RawSecretAccessKey. TestSecretValuesFollowTheModel checks it against
// internal/kmsmodel's Sensitive marks (reading them here would take
// reflection per call).
func (in *UpdateCustomKeyStoreInput) secretValues() []string {
	if in == nil {
		return nil
	}
	return secretValuesOf(in.KeyStorePassword, in.XksProxyAuthenticationCredential)
}

// secretValues returns the values of in's secret members, as for
// UpdateCustomKeyStoreInput: both inputs hold the same three.
func (in *CreateCustomKeyStoreInput) secretValues() []string {
	if in == nil {
		return nil
	}
	return secretValuesOf(in.KeyStorePassword, in.XksProxyAuthenticationCredential)
}

// secretValuesOf is the one list of the secret members of the client's
// inputs: a KeyStorePassword and a credential's AccessKeyId and
// RawSecretAccessKey, those that are set.
func secretValuesOf(password *string, cred *XksProxyAuthenticationCredentialType) []string {
	out := make([]string, 0, 3)
	if password != nil {
		out = append(out, *password)
	}
	if cred != nil {
		if cred.AccessKeyId != nil {
			out = append(out, *cred.AccessKeyId)
		}
		if cred.RawSecretAccessKey != nil {
			out = append(out, *cred.RawSecretAccessKey)
		}
	}
	return out
}

// Format prints in with its secrets redacted, for every verb: %v, %+v and %s
// print {Member:"value" ...} listing the members that are set, %#v prints
// Go syntax, %q quotes the %v text, and any other verb prints
// %!verb(kms.UpdateCustomKeyStoreInput). Width and the '-' flag pad.
func (in UpdateCustomKeyStoreInput) Format(f fmt.State, verb rune) {
	formatRedacted(f, verb, "kms.UpdateCustomKeyStoreInput", in.appendRedacted)
}

// String returns the %v form of in, secrets redacted.
func (in UpdateCustomKeyStoreInput) String() string {
	return string(in.appendRedacted(nil, false))
}

// GoString returns the %#v form of in, secrets redacted.
func (in UpdateCustomKeyStoreInput) GoString() string {
	return string(in.appendRedacted(nil, true))
}

// LogValue returns in as a slog group of the members that are set, with
// KeyStorePassword, AccessKeyId and RawSecretAccessKey as "[REDACTED]".
func (in UpdateCustomKeyStoreInput) LogValue() slog.Value {
	attrs := make([]slog.Attr, 0, 10)
	str := func(name string, v *string) {
		if v != nil {
			attrs = append(attrs, slog.String(name, *v))
		}
	}
	str("CustomKeyStoreId", in.CustomKeyStoreId)
	str("CloudHsmClusterId", in.CloudHsmClusterId)
	if in.KeyStorePassword != nil {
		attrs = append(attrs, slog.String("KeyStorePassword", redactedText))
	}
	str("NewCustomKeyStoreName", in.NewCustomKeyStoreName)
	if c := in.XksProxyAuthenticationCredential; c != nil {
		attrs = append(attrs, slog.Attr{Key: "XksProxyAuthenticationCredential", Value: c.LogValue()})
	}
	if in.XksProxyConnectivity != "" {
		attrs = append(attrs, slog.String("XksProxyConnectivity", string(in.XksProxyConnectivity)))
	}
	str("XksProxyUriEndpoint", in.XksProxyUriEndpoint)
	str("XksProxyUriPath", in.XksProxyUriPath)
	str("XksProxyVpcEndpointServiceName", in.XksProxyVpcEndpointServiceName)
	str("XksProxyVpcEndpointServiceOwner", in.XksProxyVpcEndpointServiceOwner)
	return slog.GroupValue(attrs...)
}

// MarshalJSON returns the request body KMS would receive, with the secrets
// replaced by "[REDACTED]". It is meant for logging; the client itself does
// not use encoding/json and sends the real values.
func (in UpdateCustomKeyStoreInput) MarshalJSON() ([]byte, error) {
	r := in.redacted()
	return r.appendWire(nil), nil
}

// GobEncode encodes in as MarshalJSON does, secrets redacted, so that
// encoding/gob never writes them either.
func (in UpdateCustomKeyStoreInput) GobEncode() ([]byte, error) { return in.MarshalJSON() }

// GobDecode decodes what GobEncode wrote: the secrets that were set come
// back as "[REDACTED]".
func (in *UpdateCustomKeyStoreInput) GobDecode(b []byte) error {
	*in = UpdateCustomKeyStoreInput{}
	return json.Unmarshal(b, in)
}

// MarshalText returns the %v form of in, secrets redacted, for encoders
// such as encoding/xml that use encoding.TextMarshaler.
func (in UpdateCustomKeyStoreInput) MarshalText() ([]byte, error) {
	return in.appendRedacted(nil, false), nil
}

// Format prints c with AccessKeyId and RawSecretAccessKey redacted; see
// [UpdateCustomKeyStoreInput.Format] for the verbs.
func (c XksProxyAuthenticationCredentialType) Format(f fmt.State, verb rune) {
	formatRedacted(f, verb, "kms.XksProxyAuthenticationCredentialType", c.appendRedacted)
}

// String returns the %v form of c, both members redacted.
func (c XksProxyAuthenticationCredentialType) String() string {
	return string(c.appendRedacted(nil, false))
}

// GoString returns the %#v form of c, both members redacted.
func (c XksProxyAuthenticationCredentialType) GoString() string {
	return string(c.appendRedacted(nil, true))
}

// LogValue returns c as a slog group with AccessKeyId and
// RawSecretAccessKey as "[REDACTED]".
func (c XksProxyAuthenticationCredentialType) LogValue() slog.Value {
	attrs := make([]slog.Attr, 0, 2)
	if c.AccessKeyId != nil {
		attrs = append(attrs, slog.String("AccessKeyId", redactedText))
	}
	if c.RawSecretAccessKey != nil {
		attrs = append(attrs, slog.String("RawSecretAccessKey", redactedText))
	}
	return slog.GroupValue(attrs...)
}

// MarshalJSON returns c as KMS would receive it, with AccessKeyId and
// RawSecretAccessKey replaced by "[REDACTED]". It is meant for logging.
func (c XksProxyAuthenticationCredentialType) MarshalJSON() ([]byte, error) {
	in := UpdateCustomKeyStoreInput{XksProxyAuthenticationCredential: &c}
	wire := in.redacted().appendWire(nil)
	// Unwrap {"XksProxyAuthenticationCredential":{...}}.
	return wire[len(`{"XksProxyAuthenticationCredential":`) : len(wire)-1], nil
}

// GobEncode encodes c as MarshalJSON does, both members redacted.
func (c XksProxyAuthenticationCredentialType) GobEncode() ([]byte, error) { return c.MarshalJSON() }

// GobDecode decodes what GobEncode wrote: the members that were set come
// back as "[REDACTED]".
func (c *XksProxyAuthenticationCredentialType) GobDecode(b []byte) error {
	*c = XksProxyAuthenticationCredentialType{}
	return json.Unmarshal(b, c)
}

// MarshalText returns the %v form of c, both members redacted.
func (c XksProxyAuthenticationCredentialType) MarshalText() ([]byte, error) {
	return c.appendRedacted(nil, false), nil
}

// redacted returns a shallow copy of in whose set secrets point to
// redactedText.
func (in UpdateCustomKeyStoreInput) redacted() *UpdateCustomKeyStoreInput {
	if in.KeyStorePassword != nil {
		s := redactedText
		in.KeyStorePassword = &s
	}
	if c := in.XksProxyAuthenticationCredential; c != nil && (c.AccessKeyId != nil || c.RawSecretAccessKey != nil) {
		s := redactedText
		var rc XksProxyAuthenticationCredentialType
		if c.AccessKeyId != nil {
			rc.AccessKeyId = &s
		}
		if c.RawSecretAccessKey != nil {
			rc.RawSecretAccessKey = &s
		}
		in.XksProxyAuthenticationCredential = &rc
	}
	return &in
}

// redactWireBody is the client's awsjson.RedactFunc: it turns a request body
// this package encoded back into an input and encodes that with the secrets
// redacted. Anything it cannot decode is not shown at all.
func redactWireBody(op string, body []byte) []byte {
	const notShown = `"[body not shown]"`
	if b, ok := redactLifecycleBody(op, body); ok {
		return b
	}
	if op != "UpdateCustomKeyStore" {
		return []byte(notShown)
	}
	var in UpdateCustomKeyStoreInput
	if err := json.Unmarshal(body, &in); err != nil {
		return []byte(notShown)
	}
	return in.redacted().appendWire(nil)
}

// appendRedacted appends the text (or, with goSyntax, the Go syntax) form of
// in to dst.
func (in UpdateCustomKeyStoreInput) appendRedacted(dst []byte, goSyntax bool) []byte {
	w := redactWriter{dst: dst, goSyntax: goSyntax}
	w.open("kms.UpdateCustomKeyStoreInput")
	w.str("CustomKeyStoreId", in.CustomKeyStoreId)
	w.str("CloudHsmClusterId", in.CloudHsmClusterId)
	w.secret("KeyStorePassword", in.KeyStorePassword)
	w.str("NewCustomKeyStoreName", in.NewCustomKeyStoreName)
	if c := in.XksProxyAuthenticationCredential; c != nil {
		w.member("XksProxyAuthenticationCredential")
		if goSyntax {
			w.dst = append(w.dst, '&')
		}
		w.dst = c.appendRedacted(w.dst, goSyntax)
	}
	if in.XksProxyConnectivity != "" {
		w.member("XksProxyConnectivity")
		w.dst = strconv.AppendQuote(w.dst, string(in.XksProxyConnectivity))
	}
	w.str("XksProxyUriEndpoint", in.XksProxyUriEndpoint)
	w.str("XksProxyUriPath", in.XksProxyUriPath)
	w.str("XksProxyVpcEndpointServiceName", in.XksProxyVpcEndpointServiceName)
	w.str("XksProxyVpcEndpointServiceOwner", in.XksProxyVpcEndpointServiceOwner)
	return append(w.dst, '}')
}

// appendRedacted appends the text or Go syntax form of c to dst.
func (c XksProxyAuthenticationCredentialType) appendRedacted(dst []byte, goSyntax bool) []byte {
	w := redactWriter{dst: dst, goSyntax: goSyntax}
	w.open("kms.XksProxyAuthenticationCredentialType")
	w.secret("AccessKeyId", c.AccessKeyId)
	w.secret("RawSecretAccessKey", c.RawSecretAccessKey)
	return append(w.dst, '}')
}

// redactWriter writes a struct's members in fmt's style: {A:x B:y} as text,
// T{A:x, B:y} as Go syntax.
type redactWriter struct {
	dst      []byte
	goSyntax bool
	n        int // members written
}

func (w *redactWriter) open(typeName string) {
	if w.goSyntax {
		w.dst = append(w.dst, typeName...)
	}
	w.dst = append(w.dst, '{')
}

func (w *redactWriter) member(name string) {
	if w.n > 0 {
		if w.goSyntax {
			w.dst = append(w.dst, ',')
		}
		w.dst = append(w.dst, ' ')
	}
	w.n++
	w.dst = append(w.dst, name...)
	w.dst = append(w.dst, ':')
}

// str writes a set *string member: "v" as text, aws.String("v") as Go.
func (w *redactWriter) str(name string, v *string) {
	if v == nil {
		return
	}
	w.member(name)
	if w.goSyntax {
		w.dst = append(w.dst, "aws.String("...)
		w.dst = strconv.AppendQuote(w.dst, *v)
		w.dst = append(w.dst, ')')
		return
	}
	w.dst = strconv.AppendQuote(w.dst, *v)
}

// secret writes a set secret member without its value.
func (w *redactWriter) secret(name string, v *string) {
	if v == nil {
		return
	}
	w.member(name)
	if w.goSyntax {
		w.dst = append(w.dst, `aws.String("`+redactedText+`")`...)
		return
	}
	w.dst = append(w.dst, redactedText...)
}

// formatRedacted implements fmt.Formatter for a type whose appendRedacted
// is appendFn.
func formatRedacted(f fmt.State, verb rune, typeName string, appendFn func(dst []byte, goSyntax bool) []byte) {
	var out []byte
	switch verb {
	case 'v':
		out = appendFn(nil, f.Flag('#'))
	case 's':
		out = appendFn(nil, false)
	case 'q':
		text := string(appendFn(nil, false))
		switch {
		case f.Flag('#') && strconv.CanBackquote(text):
			out = append(append(append(out, '`'), text...), '`')
		case f.Flag('+'):
			out = strconv.AppendQuoteToASCII(nil, text)
		default:
			out = strconv.AppendQuote(nil, text)
		}
	default:
		out = append(out, "%!"...)
		out = utf8.AppendRune(out, verb)
		out = append(out, '(')
		out = append(out, typeName...)
		out = append(out, ')')
	}
	if width, ok := f.Width(); ok {
		if pad := width - utf8.RuneCount(out); pad > 0 {
			spaces := strings.Repeat(" ", pad)
			if f.Flag('-') {
				out = append(out, spaces...)
			} else {
				out = append([]byte(spaces), out...)
			}
		}
	}
	_, _ = f.Write(out)
}
