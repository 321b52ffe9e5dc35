package kms

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/kmskit/kms/internal/awsjson"
	"github.com/kmskit/kms/internal/kmsmodel"
)

// Redaction, written once over the member tables. A member the KMS model
// marks sensitive (KeyStorePassword, the credential's AccessKeyId and
// RawSecretAccessKey, XksProxyConfiguration's AccessKeyId) leaves this
// package only in the request body sent to KMS. Every other way of turning
// a value into text or bytes shows it as "[REDACTED]" when it is set and
// leaves it out when it is nil: fmt with any verb (Format, String,
// GoString), log/slog (LogValue) and encoding/json (MarshalJSON, the wire
// form for logging). An input's GobEncode and MarshalText (encoding/gob,
// encoding/xml) refuse a value with a secret set rather than write the
// marker, which decoding would turn into the secret's value; Validate
// rejects the marker as a secret's value. The structures Describe returns
// encode redacted. The secrets are also scrubbed out of whatever a server
// sends back (awsjson.Scrubber): the sender scrubs every text of the
// response and every error down its chain, the decoders every string they
// return.

// redactedText stands for a secret that is set: "[REDACTED]", the one
// marker of the library's own printing.
const redactedText = awsjson.Redacted

// appendText appends the text form of in: {Name:"value" ...}, the members
// that are set in member order; with goSyntax the Go syntax form,
// kms.T{Name:aws.String("value"), ...}.
func (t *table[T]) appendText(dst []byte, in T, goSyntax bool) []byte {
	if goSyntax {
		dst = append(dst, "kms."+t.shape.Name...)
	}
	dst = append(dst, '{')
	c := t.cursor(in, t.order)
	for m, r, ok := c.next(); ok; m, r, ok = c.next() {
		if c.closed {
			dst = append(dst, '}')
		}
		if c.sep && goSyntax {
			dst = append(dst, ", "...)
		} else if c.sep {
			dst = append(dst, ' ')
		}
		dst = append(append(dst, m.Name...), ':')
		switch {
		case r.obj:
			if goSyntax {
				dst = append(dst, "&kms."+m.Target...)
			}
			dst = append(dst, '{')
			c.enter()
		case m.Sensitive:
			dst = goCall(dst, goSyntax, "aws.String", redactedText, goSyntax)
		case r.str != nil:
			dst = goCall(dst, goSyntax, "aws.String", **r.str, true)
		case r.enum != nil:
			dst = goCall(dst, goSyntax, "kms."+m.Target, *r.enum, true)
		case r.num != nil:
			dst = goCall(dst, goSyntax, "aws.Int32", strconv.Itoa(int(**r.num)), false)
		case r.when != nil && goSyntax:
			dst = goCall(dst, true, "aws.Time", (*r.when).GoString(), false)
		case r.when != nil:
			dst = (*r.when).AppendFormat(dst, time.RFC3339Nano)
		}
	}
	if c.open {
		dst = append(dst, '}')
	}
	return append(dst, '}')
}

// text is appendText as a string.
func (t *table[T]) text(in T, goSyntax bool) string { return string(t.appendText(nil, in, goSyntax)) }

// marshalJSON is MarshalJSON: the wire form, secrets redacted.
func (t *table[T]) marshalJSON(in T) ([]byte, error) { return t.appendJSON(nil, in, true), nil }

// goCall appends v, quoted when quote is set, wrapped as fn(v) in Go syntax.
func goCall(dst []byte, goSyntax bool, fn, v string, quote bool) []byte {
	if goSyntax {
		dst = append(append(dst, fn...), '(')
	}
	if quote {
		dst = strconv.AppendQuote(dst, v)
	} else {
		dst = append(dst, v...)
	}
	if goSyntax {
		dst = append(dst, ')')
	}
	return dst
}

// logValue returns in as a slog group of the members that are set, a
// structure as a group of its own.
func (t *table[T]) logValue(in T) slog.Value {
	var top, sub []slog.Attr
	group := ""
	flush := func() {
		if group != "" {
			top = append(top, slog.Attr{Key: group, Value: slog.GroupValue(sub...)})
		}
		group, sub = "", nil
	}
	c := t.cursor(in, t.order)
	for m, r, ok := c.next(); ok; m, r, ok = c.next() {
		if m.parent < 0 {
			flush()
		}
		var a slog.Attr
		switch {
		case r.obj:
			group = m.Name
			continue
		case m.Sensitive:
			a = slog.String(m.Name, redactedText)
		case r.str != nil:
			a = slog.String(m.Name, **r.str)
		case r.enum != nil:
			a = slog.String(m.Name, *r.enum)
		case r.num != nil:
			a = slog.Int(m.Name, int(**r.num))
		case r.when != nil:
			a = slog.Time(m.Name, **r.when)
		}
		if m.parent < 0 {
			top = append(top, a)
		} else {
			sub = append(sub, a)
		}
	}
	flush()
	return slog.GroupValue(top...)
}

// format implements fmt.Formatter: %v, %+v and %s print the text form,
// %#v the Go syntax form, %q the quoted text form, and any other verb
// %!verb(kms.T). Width and the '-' flag pad.
func (t *table[T]) format(f fmt.State, verb rune, in T) {
	var out []byte
	switch verb {
	case 'v':
		out = t.appendText(nil, in, f.Flag('#'))
	case 's':
		out = t.appendText(nil, in, false)
	case 'q':
		text := string(t.appendText(nil, in, false))
		switch {
		case f.Flag('#') && strconv.CanBackquote(text):
			out = append(append(append(out, '`'), text...), '`')
		case f.Flag('+'):
			out = strconv.AppendQuoteToASCII(nil, text)
		default:
			out = strconv.AppendQuote(nil, text)
		}
	default:
		out = append(utf8.AppendRune(append(out, "%!"...), verb), "(kms."+t.shape.Name+")"...)
	}
	if width, ok := f.Width(); ok {
		if pad := width - utf8.RuneCount(out); pad > 0 {
			if spaces := strings.Repeat(" ", pad); f.Flag('-') {
				out = append(out, spaces...)
			} else {
				out = append([]byte(spaces), out...)
			}
		}
	}
	_, _ = f.Write(out)
}

// refused is the error of GobEncode and MarshalText for an input with a
// secret set, or nil.
func (t *table[T]) refused(in T) error {
	if _, fields := t.secrets(in); t.refuse && len(fields) > 0 {
		return fmt.Errorf("kms: refusing to encode a secret: %s of this %s is set; encoding it would write %q in its place, "+
			"which would be sent as its value once decoded: store the secret yourself (in a secrets manager, say) and set it again before the call",
			strings.Join(fields, ", "), t.shape.Name, redactedText)
	}
	return nil
}

// gobEncode is GobEncode: the wire form, secrets redacted, refused for an
// input with a secret.
func (t *table[T]) gobEncode(in T) ([]byte, error) {
	if err := t.refused(in); err != nil {
		return nil, err
	}
	return t.appendJSON(nil, in, true), nil
}

// marshalText is MarshalText: the text form, refused for an input with a
// secret.
func (t *table[T]) marshalText(in T) ([]byte, error) {
	if err := t.refused(in); err != nil {
		return nil, err
	}
	return t.appendText(nil, in, false), nil
}

// decodeJSON is GobDecode: it decodes what GobEncode wrote into a zeroed *v.
func decodeJSON[X any](b []byte, v *X) error {
	if v == nil {
		return errors.New("kms: GobDecode into a nil pointer")
	}
	var zero X
	*v = zero
	return json.Unmarshal(b, v)
}

// redactWireBody is the client's awsjson.RedactFunc: it makes a request body
// this package encoded safe to log. Only Create and Update bodies hold
// secrets; those are decoded and encoded again with the secrets redacted,
// and not shown at all if that fails.
func redactWireBody(op string, body []byte) []byte {
	switch op {
	case kmsmodel.OpUpdateCustomKeyStore:
		return redactBody(updateTable, new(UpdateCustomKeyStoreInput), body)
	case kmsmodel.OpCreateCustomKeyStore:
		return redactBody(createTable, new(CreateCustomKeyStoreInput), body)
	}
	return body
}

func redactBody[T any](t *table[T], in T, body []byte) []byte {
	if err := json.Unmarshal(body, in); err != nil {
		return []byte(`"[body not shown]"`)
	}
	return t.appendJSON(nil, in, true)
}

// The methods of each type that holds a secret, all over its table. An
// input's GobEncode and MarshalText refuse a secret; a structure Describe
// returns encodes it redacted.

// Format prints in for every verb with secrets as [REDACTED]: %v, %+v and %s
// list the members set, %#v is Go syntax, %q quotes, other verbs print %!verb(kms.UpdateCustomKeyStoreInput).
func (in UpdateCustomKeyStoreInput) Format(f fmt.State, verb rune) { updateTable.format(f, verb, &in) }

// String returns the %v form of in, secrets redacted.
func (in UpdateCustomKeyStoreInput) String() string { return updateTable.text(&in, false) }

// GoString returns the %#v form of in, secrets redacted.
func (in UpdateCustomKeyStoreInput) GoString() string { return updateTable.text(&in, true) }

// LogValue returns in as a slog group of the members set, secrets redacted.
func (in UpdateCustomKeyStoreInput) LogValue() slog.Value { return updateTable.logValue(&in) }

// MarshalJSON returns the body KMS would receive with secrets as "[REDACTED]": it is for
// logging, and decoding it does not give back what was redacted.
func (in UpdateCustomKeyStoreInput) MarshalJSON() ([]byte, error) {
	return updateTable.marshalJSON(&in)
}

// GobEncode encodes in as its wire form, or returns an error when a secret
// is set, rather than write the marker in its place.
func (in UpdateCustomKeyStoreInput) GobEncode() ([]byte, error) { return updateTable.gobEncode(&in) }

// GobDecode decodes what GobEncode wrote.
func (in *UpdateCustomKeyStoreInput) GobDecode(b []byte) error { return decodeJSON(b, in) }

// MarshalText returns the %v form of in (for encoding/xml), or an error
// when a secret is set.
func (in UpdateCustomKeyStoreInput) MarshalText() ([]byte, error) {
	return updateTable.marshalText(&in)
}

// Format prints in for every verb, secrets redacted; see [UpdateCustomKeyStoreInput.Format].
func (in CreateCustomKeyStoreInput) Format(f fmt.State, verb rune) { createTable.format(f, verb, &in) }

// String returns the %v form of in, secrets redacted.
func (in CreateCustomKeyStoreInput) String() string { return createTable.text(&in, false) }

// GoString returns the %#v form of in, secrets redacted.
func (in CreateCustomKeyStoreInput) GoString() string { return createTable.text(&in, true) }

// LogValue returns in as a slog group of the members set, secrets redacted.
func (in CreateCustomKeyStoreInput) LogValue() slog.Value { return createTable.logValue(&in) }

// MarshalJSON returns the body KMS would receive with secrets as "[REDACTED]": it is for
// logging, and decoding it does not give back what was redacted.
func (in CreateCustomKeyStoreInput) MarshalJSON() ([]byte, error) {
	return createTable.marshalJSON(&in)
}

// GobEncode encodes in as its wire form, or returns an error when a secret
// is set, rather than write the marker in its place.
func (in CreateCustomKeyStoreInput) GobEncode() ([]byte, error) { return createTable.gobEncode(&in) }

// GobDecode decodes what GobEncode wrote.
func (in *CreateCustomKeyStoreInput) GobDecode(b []byte) error { return decodeJSON(b, in) }

// MarshalText returns the %v form of in (for encoding/xml), or an error
// when a secret is set.
func (in CreateCustomKeyStoreInput) MarshalText() ([]byte, error) {
	return createTable.marshalText(&in)
}

// Format prints c for every verb, AccessKeyId and RawSecretAccessKey redacted; see [UpdateCustomKeyStoreInput.Format].
func (c XksProxyAuthenticationCredentialType) Format(f fmt.State, verb rune) {
	credTable.format(f, verb, &c)
}

// String returns the %v form of c, AccessKeyId and RawSecretAccessKey redacted.
func (c XksProxyAuthenticationCredentialType) String() string { return credTable.text(&c, false) }

// GoString returns the %#v form of c, AccessKeyId and RawSecretAccessKey redacted.
func (c XksProxyAuthenticationCredentialType) GoString() string { return credTable.text(&c, true) }

// LogValue returns c as a slog group of the members set, AccessKeyId and RawSecretAccessKey redacted.
func (c XksProxyAuthenticationCredentialType) LogValue() slog.Value { return credTable.logValue(&c) }

// MarshalJSON returns c as KMS would receive it with AccessKeyId and RawSecretAccessKey as "[REDACTED]": it is for
// logging, and decoding it does not give back what was redacted.
func (c XksProxyAuthenticationCredentialType) MarshalJSON() ([]byte, error) {
	return credTable.marshalJSON(&c)
}

// GobEncode encodes c as its wire form, or returns an error when a secret
// is set, rather than write the marker in its place.
func (c XksProxyAuthenticationCredentialType) GobEncode() ([]byte, error) {
	return credTable.gobEncode(&c)
}

// GobDecode decodes what GobEncode wrote.
func (c *XksProxyAuthenticationCredentialType) GobDecode(b []byte) error { return decodeJSON(b, c) }

// MarshalText returns the %v form of c (for encoding/xml), or an error
// when a secret is set.
func (c XksProxyAuthenticationCredentialType) MarshalText() ([]byte, error) {
	return credTable.marshalText(&c)
}

// Format prints c for every verb, AccessKeyId redacted; see [UpdateCustomKeyStoreInput.Format].
func (c XksProxyConfigurationType) Format(f fmt.State, verb rune) { xksConfigTable.format(f, verb, &c) }

// String returns the %v form of c, AccessKeyId redacted.
func (c XksProxyConfigurationType) String() string { return xksConfigTable.text(&c, false) }

// GoString returns the %#v form of c, AccessKeyId redacted.
func (c XksProxyConfigurationType) GoString() string { return xksConfigTable.text(&c, true) }

// LogValue returns c as a slog group of the members set, AccessKeyId redacted.
func (c XksProxyConfigurationType) LogValue() slog.Value { return xksConfigTable.logValue(&c) }

// MarshalJSON returns c as KMS sends it with AccessKeyId as "[REDACTED]": it is for
// logging, and decoding it does not give back what was redacted.
func (c XksProxyConfigurationType) MarshalJSON() ([]byte, error) {
	return xksConfigTable.marshalJSON(&c)
}

// GobEncode encodes c as MarshalJSON does, AccessKeyId redacted.
func (c XksProxyConfigurationType) GobEncode() ([]byte, error) { return xksConfigTable.gobEncode(&c) }

// MarshalText returns the %v form of c, AccessKeyId redacted.
func (c XksProxyConfigurationType) MarshalText() ([]byte, error) {
	return xksConfigTable.marshalText(&c)
}

// GobDecode decodes what GobEncode wrote; AccessKeyId comes back as "[REDACTED]".
func (c *XksProxyConfigurationType) GobDecode(b []byte) error { return decodeJSON(b, c) }

// Format prints e for every verb, XksProxyConfiguration.AccessKeyId redacted; see [UpdateCustomKeyStoreInput.Format].
func (e CustomKeyStoresListEntry) Format(f fmt.State, verb rune) { entryTable.format(f, verb, &e) }

// String returns the %v form of e, XksProxyConfiguration.AccessKeyId redacted.
func (e CustomKeyStoresListEntry) String() string { return entryTable.text(&e, false) }

// GoString returns the %#v form of e, XksProxyConfiguration.AccessKeyId redacted.
func (e CustomKeyStoresListEntry) GoString() string { return entryTable.text(&e, true) }

// LogValue returns e as a slog group of the members set, XksProxyConfiguration.AccessKeyId redacted.
func (e CustomKeyStoresListEntry) LogValue() slog.Value { return entryTable.logValue(&e) }

// MarshalJSON returns e as KMS sends it with XksProxyConfiguration.AccessKeyId as "[REDACTED]": it is for
// logging, and decoding it does not give back what was redacted.
func (e CustomKeyStoresListEntry) MarshalJSON() ([]byte, error) { return entryTable.marshalJSON(&e) }

// GobEncode encodes e as MarshalJSON does, XksProxyConfiguration.AccessKeyId redacted.
func (e CustomKeyStoresListEntry) GobEncode() ([]byte, error) { return entryTable.gobEncode(&e) }

// MarshalText returns the %v form of e, XksProxyConfiguration.AccessKeyId redacted.
func (e CustomKeyStoresListEntry) MarshalText() ([]byte, error) { return entryTable.marshalText(&e) }

// GobDecode decodes what GobEncode wrote; XksProxyConfiguration.AccessKeyId comes back as "[REDACTED]".
func (e *CustomKeyStoresListEntry) GobDecode(b []byte) error {
	if e == nil {
		return errors.New("kms: GobDecode into a nil pointer")
	}
	*e = CustomKeyStoresListEntry{}
	return e.decode(json.NewDecoder(bytes.NewReader(b)))
}
