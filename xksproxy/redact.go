package xksproxy

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/kmskit/kms/internal/awsjson"
)

// Redaction. The credential (both members) and plaintexts never leave this
// package except in the signed request itself. Credential, EncryptInput and
// DecryptOutput print them as "[REDACTED]" when set under every fmt verb
// (Format, String, GoString), as slog values (LogValue) and through
// encoding/json (MarshalJSON, for logging only), also inside other values
// such as Options; a *Client prints as its options. Encoders that would
// lose the value (encoding/gob, and encoding.TextMarshaler, which
// encoding/xml uses) refuse instead: they return an error while a secret is
// set, so nothing can queue or cache a value whose secret came back as the
// marker.
//
// fmt calls no method of a value it reaches through an unexported field of
// another struct: it prints that field by reflection, and with a verb such
// as %s or %q even what a pointer there points to. A Client keeps its
// credential in a func, which fmt shows only as an address; keep a
// Credential, Options, EncryptInput or DecryptOutput of your own in an
// exported field (or an exported field's pointer), where fmt calls their
// methods.

// redactedText stands for a secret that is set: the library's one marker.
const redactedText = awsjson.Redacted

// secretText returns redactedText for a set secret, "" otherwise.
func secretText[T ~string | ~[]byte](v T) string {
	if len(v) == 0 {
		return ""
	}
	return redactedText
}

// format prints the %v / %+v / %s / %q form (str) or the %#v form (gostr).
func format(f fmt.State, verb rune, typeName, str, gostr string) {
	switch {
	case verb == 'v' && f.Flag('#'):
		fmt.Fprint(f, gostr)
	case verb == 'v' || verb == 's':
		fmt.Fprint(f, str)
	case verb == 'q':
		fmt.Fprintf(f, "%q", str)
	default:
		fmt.Fprintf(f, "%%!%c(%s)", verb, typeName)
	}
}

// credentialView is how a Credential prints.
type credentialView struct{ AccessKeyID, SecretAccessKey string }

func (c Credential) view() credentialView {
	return credentialView{secretText(c.AccessKeyID), secretText(c.SecretAccessKey)}
}

// Format prints c with both members redacted, under every verb.
func (c Credential) Format(f fmt.State, verb rune) {
	format(f, verb, "xksproxy.Credential", c.String(), c.GoString())
}

// String returns c's members as "[REDACTED]" (or empty when unset).
func (c Credential) String() string { return fmt.Sprintf("%+v", c.view()) }

// GoString returns the Go syntax of c with its members redacted.
func (c Credential) GoString() string {
	return "xksproxy.Credential" + strings.TrimPrefix(fmt.Sprintf("%#v", c.view()), "xksproxy.credentialView")
}

// LogValue returns c as a slog group with both members redacted.
func (c Credential) LogValue() slog.Value {
	v := c.view()
	return slog.GroupValue(slog.String("AccessKeyID", v.AccessKeyID), slog.String("SecretAccessKey", v.SecretAccessKey))
}

// MarshalJSON returns c with both members redacted; for logging only.
func (c Credential) MarshalJSON() ([]byte, error) { return json.Marshal(c.view()) }

// encryptInputView is how an EncryptInput prints.
type encryptInputView struct {
	ExternalKeyId                         string
	RequestMetadata                       RequestMetadata
	Plaintext                             string
	AdditionalAuthenticatedData           []byte
	EncryptionAlgorithm                   EncryptionAlgorithm
	CiphertextDataIntegrityValueAlgorithm CiphertextDataIntegrityValueAlgorithm
}

func (in EncryptInput) view() encryptInputView {
	return encryptInputView{in.ExternalKeyId, in.RequestMetadata, secretText(in.Plaintext),
		in.AdditionalAuthenticatedData, in.EncryptionAlgorithm, in.CiphertextDataIntegrityValueAlgorithm}
}

// Format prints in with Plaintext redacted, under every verb.
func (in EncryptInput) Format(f fmt.State, verb rune) {
	format(f, verb, "xksproxy.EncryptInput", in.String(), in.GoString())
}

// String returns the %+v form of in with Plaintext redacted.
func (in EncryptInput) String() string { return fmt.Sprintf("%+v", in.view()) }

// GoString returns the Go syntax of in with Plaintext redacted.
func (in EncryptInput) GoString() string {
	return "xksproxy.EncryptInput" + strings.TrimPrefix(fmt.Sprintf("%#v", in.view()), "xksproxy.encryptInputView")
}

// LogValue returns in as a slog group with Plaintext redacted.
func (in EncryptInput) LogValue() slog.Value {
	v := in.view()
	return slog.GroupValue(
		slog.String("ExternalKeyId", v.ExternalKeyId),
		slog.Any("RequestMetadata", v.RequestMetadata),
		slog.String("Plaintext", v.Plaintext),
		slog.Any("AdditionalAuthenticatedData", v.AdditionalAuthenticatedData),
		slog.String("EncryptionAlgorithm", string(v.EncryptionAlgorithm)),
		slog.String("CiphertextDataIntegrityValueAlgorithm", string(v.CiphertextDataIntegrityValueAlgorithm)),
	)
}

// MarshalJSON returns in with Plaintext redacted; for logging only.
func (in EncryptInput) MarshalJSON() ([]byte, error) { return json.Marshal(in.view()) }

// decryptOutputView is how a DecryptOutput prints.
type decryptOutputView struct {
	Plaintext string
	Latency   string
}

func (out DecryptOutput) view() decryptOutputView {
	return decryptOutputView{secretText(out.Plaintext), out.Latency.String()}
}

// Format prints out with Plaintext redacted, under every verb.
func (out DecryptOutput) Format(f fmt.State, verb rune) {
	format(f, verb, "xksproxy.DecryptOutput", out.String(), out.GoString())
}

// String returns the %+v form of out with Plaintext redacted.
func (out DecryptOutput) String() string { return fmt.Sprintf("%+v", out.view()) }

// GoString returns the Go syntax of out with Plaintext redacted.
func (out DecryptOutput) GoString() string {
	return "xksproxy.DecryptOutput" + strings.TrimPrefix(fmt.Sprintf("%#v", out.view()), "xksproxy.decryptOutputView")
}

// LogValue returns out as a slog group with Plaintext redacted.
func (out DecryptOutput) LogValue() slog.Value {
	v := out.view()
	return slog.GroupValue(slog.String("Plaintext", v.Plaintext), slog.String("Latency", v.Latency))
}

// MarshalJSON returns out with Plaintext redacted; for logging only.
func (out DecryptOutput) MarshalJSON() ([]byte, error) { return json.Marshal(out.view()) }

// The standard library's other encoders. encoding/gob and encoding/xml (as
// encoding.TextMarshaler) would store a redacted form that decodes back as
// "[REDACTED]" and is then signed with: they get an error instead while a
// secret is set, and the value as it is otherwise.

// refuse returns the error of an encoder asked to encode a set secret.
func refuse(typeName, what string) error {
	return fmt.Errorf("xksproxy: refusing to encode a secret: %s holds %s, which would be lost as %q; store the value yourself (in a secrets manager)", typeName, what, redactedText)
}

// encodeUnless returns encode's result, or the refusal when secret is set.
func encodeUnless(secret bool, typeName, what string, encode func() ([]byte, error)) ([]byte, error) {
	if secret {
		return nil, refuse(typeName, what)
	}
	return encode()
}

// errLost is what GobDecode returns for a secret that an older encoder
// wrote as the marker: its value was lost.
func errLost(typeName, what string) error {
	return fmt.Errorf("xksproxy: %s: %s was lost when the value was encoded (it reads %q)", typeName, what, redactedText)
}

// GobEncode encodes c as MarshalJSON does; it returns an error (refusing
// to encode a secret) while AccessKeyID or SecretAccessKey is set.
func (c Credential) GobEncode() ([]byte, error) {
	return encodeUnless(c != Credential{}, "xksproxy.Credential", "AccessKeyID and SecretAccessKey", c.MarshalJSON)
}

// GobDecode decodes what GobEncode wrote: a Credential without secrets.
func (c *Credential) GobDecode(b []byte) error {
	var v credentialView
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	if v != (credentialView{}) {
		return errLost("xksproxy.Credential", "AccessKeyID or SecretAccessKey")
	}
	*c = Credential{}
	return nil
}

// MarshalText returns the %v form of c; it returns an error (refusing to
// encode a secret) while AccessKeyID or SecretAccessKey is set.
func (c Credential) MarshalText() ([]byte, error) {
	return encodeUnless(c != Credential{}, "xksproxy.Credential", "AccessKeyID and SecretAccessKey", func() ([]byte, error) { return []byte(c.String()), nil })
}

// GobEncode encodes in as MarshalJSON does; it returns an error (refusing
// to encode a secret) while Plaintext is set.
func (in EncryptInput) GobEncode() ([]byte, error) {
	return encodeUnless(len(in.Plaintext) > 0, "xksproxy.EncryptInput", "Plaintext", in.MarshalJSON)
}

// GobDecode decodes what GobEncode wrote: an EncryptInput without
// Plaintext.
func (in *EncryptInput) GobDecode(b []byte) error {
	var v encryptInputView
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	if v.Plaintext != "" {
		return errLost("xksproxy.EncryptInput", "Plaintext")
	}
	*in = EncryptInput{ExternalKeyId: v.ExternalKeyId, RequestMetadata: v.RequestMetadata, AdditionalAuthenticatedData: v.AdditionalAuthenticatedData,
		EncryptionAlgorithm: v.EncryptionAlgorithm, CiphertextDataIntegrityValueAlgorithm: v.CiphertextDataIntegrityValueAlgorithm}
	return nil
}

// MarshalText returns the %v form of in; it returns an error (refusing to
// encode a secret) while Plaintext is set.
func (in EncryptInput) MarshalText() ([]byte, error) {
	return encodeUnless(len(in.Plaintext) > 0, "xksproxy.EncryptInput", "Plaintext", func() ([]byte, error) { return []byte(in.String()), nil })
}

// GobEncode encodes out as MarshalJSON does; it returns an error (refusing
// to encode a secret) while Plaintext is set.
func (out DecryptOutput) GobEncode() ([]byte, error) {
	return encodeUnless(len(out.Plaintext) > 0, "xksproxy.DecryptOutput", "Plaintext", out.MarshalJSON)
}

// GobDecode decodes what GobEncode wrote: a DecryptOutput without
// Plaintext.
func (out *DecryptOutput) GobDecode(b []byte) error {
	var v decryptOutputView
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	if v.Plaintext != "" {
		return errLost("xksproxy.DecryptOutput", "Plaintext")
	}
	*out = DecryptOutput{}
	if v.Latency != "" {
		d, err := time.ParseDuration(v.Latency)
		if err != nil {
			return err
		}
		out.Latency = d
	}
	return nil
}

// MarshalText returns the %v form of out; it returns an error (refusing to
// encode a secret) while Plaintext is set.
func (out DecryptOutput) MarshalText() ([]byte, error) {
	return encodeUnless(len(out.Plaintext) > 0, "xksproxy.DecryptOutput", "Plaintext", func() ([]byte, error) { return []byte(out.String()), nil })
}

// Format prints c as its options, the credential redacted (see
// Credential), under every verb; a nil *Client prints as <nil>.
func (c *Client) Format(f fmt.State, verb rune) {
	format(f, verb, "xksproxy.Client", c.String(), c.GoString())
}

// String returns the %+v form of c's options, the credential redacted.
func (c *Client) String() string {
	if c == nil {
		return "<nil>"
	}
	return fmt.Sprintf("%+v", c.Options())
}

// GoString returns the Go syntax of c's options, the credential redacted.
func (c *Client) GoString() string {
	if c == nil {
		return "(*xksproxy.Client)(nil)"
	}
	return "&xksproxy.Client{" + fmt.Sprintf("%#v", c.Options()) + "}"
}

// LogValue returns c as a slog group of its endpoint, path, Region and
// credential, redacted.
func (c *Client) LogValue() slog.Value {
	o := c.Options()
	return slog.GroupValue(slog.String("Endpoint", o.Endpoint), slog.String("UriPath", o.UriPath),
		slog.String("Region", o.Region), slog.Any("Credential", o.Credential))
}

// GobEncode returns an error: a Client holds a credential, and is rebuilt
// with New rather than encoded.
func (c *Client) GobEncode() ([]byte, error) {
	return nil, refuse("*xksproxy.Client", "its credential")
}
