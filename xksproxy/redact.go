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
// such as Options.

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
// encoding.TextMarshaler) get the redacted forms too, so no encoder writes
// a credential or a plaintext; what gob decodes back holds "[REDACTED]"
// where a secret was set.

// GobEncode encodes c as MarshalJSON does, both members redacted.
func (c Credential) GobEncode() ([]byte, error) { return c.MarshalJSON() }

// GobDecode decodes what GobEncode wrote.
func (c *Credential) GobDecode(b []byte) error {
	var v credentialView
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*c = Credential(v)
	return nil
}

// MarshalText returns the %v form of c, both members redacted.
func (c Credential) MarshalText() ([]byte, error) { return []byte(c.String()), nil }

// GobEncode encodes in as MarshalJSON does, Plaintext redacted.
func (in EncryptInput) GobEncode() ([]byte, error) { return in.MarshalJSON() }

// GobDecode decodes what GobEncode wrote.
func (in *EncryptInput) GobDecode(b []byte) error {
	var v encryptInputView
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*in = EncryptInput{ExternalKeyId: v.ExternalKeyId, RequestMetadata: v.RequestMetadata, AdditionalAuthenticatedData: v.AdditionalAuthenticatedData,
		EncryptionAlgorithm: v.EncryptionAlgorithm, CiphertextDataIntegrityValueAlgorithm: v.CiphertextDataIntegrityValueAlgorithm}
	if v.Plaintext != "" {
		in.Plaintext = []byte(v.Plaintext)
	}
	return nil
}

// MarshalText returns the %v form of in, Plaintext redacted.
func (in EncryptInput) MarshalText() ([]byte, error) { return []byte(in.String()), nil }

// GobEncode encodes out as MarshalJSON does, Plaintext redacted.
func (out DecryptOutput) GobEncode() ([]byte, error) { return out.MarshalJSON() }

// GobDecode decodes what GobEncode wrote.
func (out *DecryptOutput) GobDecode(b []byte) error {
	var v decryptOutputView
	if err := json.Unmarshal(b, &v); err != nil {
		return err
	}
	*out = DecryptOutput{}
	if v.Plaintext != "" {
		out.Plaintext = []byte(v.Plaintext)
	}
	if v.Latency != "" {
		d, err := time.ParseDuration(v.Latency)
		if err != nil {
			return err
		}
		out.Latency = d
	}
	return nil
}

// MarshalText returns the %v form of out, Plaintext redacted.
func (out DecryptOutput) MarshalText() ([]byte, error) { return []byte(out.String()), nil }
