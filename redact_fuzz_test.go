package kms

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"testing"
)

// Bits of FuzzWireAndRedaction's mask: which members are non-nil.
const (
	redactFuzzStoreID = 1 << iota
	redactFuzzPassword
	redactFuzzName
	redactFuzzCredential
	redactFuzzAccessKeyID
	redactFuzzSecret
	redactFuzzPath
)

// FuzzWireAndRedaction feeds arbitrary strings, invalid UTF-8 included and
// without validation, through the wire encoder and every redacting printer:
//
//   - appendWire writes valid JSON that encoding/json decodes to exactly
//     what encoding/json itself would make of each string, secrets included;
//   - no printed form (fmt verbs, String, GoString, MarshalJSON, LogValue,
//     the logged body, the refusal of GobEncode and MarshalText) depends on
//     the secrets' values: swapping them for other strings changes nothing;
//   - MarshalJSON and the logged body carry "[REDACTED]" for each set secret
//     and the same non-secret values as the wire.
//
// FuzzValidate covers what Validate accepts; this covers what it is never
// asked about (DisableClientValidation, printing an invalid input).
func FuzzWireAndRedaction(f *testing.F) {
	all := uint8(1<<7 - 1)
	f.Add(all, "cks-1", "Pw-Secret-4242!", "name", "AKID", "RAWSECRET+/=", "/kms/xks/v1", "PUBLIC_ENDPOINT")
	f.Add(all, "\xff\xfe", "\x00\"\\\u2028", "名前", "\u2029<>&", "\xed\xa0\x80", "\t\n\r\b\f", "\x7f")
	f.Add(uint8(redactFuzzStoreID|redactFuzzCredential|redactFuzzSecret), "", "", "", "", "[REDACTED]", "", "")
	f.Add(uint8(redactFuzzStoreID|redactFuzzPassword), "Pw", "Pw", "", "", "", "", "")

	f.Fuzz(func(t *testing.T, mask uint8, id, password, name, akid, secret, path, conn string) {
		opt := func(bit uint8, s string) *string {
			if mask&bit == 0 {
				return nil
			}
			return &s
		}
		build := func(password, akid, secret string) UpdateCustomKeyStoreInput {
			in := UpdateCustomKeyStoreInput{
				CustomKeyStoreId:      opt(redactFuzzStoreID, id),
				KeyStorePassword:      opt(redactFuzzPassword, password),
				NewCustomKeyStoreName: opt(redactFuzzName, name),
				XksProxyConnectivity:  XksProxyConnectivityType(conn),
				XksProxyUriPath:       opt(redactFuzzPath, path),
			}
			if mask&redactFuzzCredential != 0 {
				in.XksProxyAuthenticationCredential = &XksProxyAuthenticationCredentialType{
					AccessKeyId: opt(redactFuzzAccessKeyID, akid), RawSecretAccessKey: opt(redactFuzzSecret, secret)}
			}
			return in
		}
		in := build(password, akid, secret)

		// The wire carries every value, secrets included, as encoding/json
		// would.
		wire := updateTable.appendJSON(nil, &in, false)
		if !json.Valid(wire) {
			t.Fatalf("appendWire wrote invalid JSON: %q", wire)
		}
		var got UpdateCustomKeyStoreInput
		if err := json.Unmarshal(wire, &got); err != nil {
			t.Fatalf("decode wire %q: %v", wire, err)
		}
		want := viaEncodingJSON(t, in)
		if rawString(got) != rawString(want) {
			t.Fatalf("wire decodes to\n%s\nencoding/json to\n%s", rawString(got), rawString(want))
		}

		// Nothing printed depends on the secrets.
		other := build(password+"x", akid+"z", "y"+secret)
		if a, b := printAll(t, in), printAll(t, other); a != b {
			t.Fatalf("printed forms depend on a secret:\n%s\n%s", a, b)
		}

		// MarshalJSON and the logged body: secrets redacted, the rest as on
		// the wire.
		redacted, err := json.Marshal(in)
		if err != nil {
			t.Fatalf("MarshalJSON: %v", err)
		}
		logged := redactWireBody("UpdateCustomKeyStore", wire)
		wantBack := got
		if wantBack.KeyStorePassword != nil {
			s := redactedText
			wantBack.KeyStorePassword = &s
		}
		if c := wantBack.XksProxyAuthenticationCredential; c != nil && (c.AccessKeyId != nil || c.RawSecretAccessKey != nil) {
			s := redactedText
			rc := XksProxyAuthenticationCredentialType{}
			if c.AccessKeyId != nil {
				rc.AccessKeyId = &s
			}
			if c.RawSecretAccessKey != nil {
				rc.RawSecretAccessKey = &s
			}
			wantBack.XksProxyAuthenticationCredential = &rc
		}
		for _, form := range [][]byte{redacted, logged} {
			var back UpdateCustomKeyStoreInput
			if err := json.Unmarshal(form, &back); err != nil {
				t.Fatalf("decode %q: %v", form, err)
			}
			if rawString(back) != rawString(wantBack) {
				t.Fatalf("%q decodes to\n%s\nwant\n%s", form, rawString(back), rawString(wantBack))
			}
		}
	})
}

// viaEncodingJSON returns in as encoding/json's own round trip makes it.
func viaEncodingJSON(t *testing.T, in UpdateCustomKeyStoreInput) UpdateCustomKeyStoreInput {
	t.Helper()
	type plainCred struct{ AccessKeyId, RawSecretAccessKey *string }
	type plain struct {
		CustomKeyStoreId                 *string `json:",omitempty"`
		KeyStorePassword                 *string `json:",omitempty"`
		NewCustomKeyStoreName            *string `json:",omitempty"`
		XksProxyAuthenticationCredential *plainCred
		XksProxyConnectivity             string  `json:",omitempty"`
		XksProxyUriPath                  *string `json:",omitempty"`
	}
	p := plain{
		CustomKeyStoreId:      in.CustomKeyStoreId,
		KeyStorePassword:      in.KeyStorePassword,
		NewCustomKeyStoreName: in.NewCustomKeyStoreName,
		XksProxyConnectivity:  string(in.XksProxyConnectivity),
		XksProxyUriPath:       in.XksProxyUriPath,
	}
	if c := in.XksProxyAuthenticationCredential; c != nil {
		p.XksProxyAuthenticationCredential = &plainCred{c.AccessKeyId, c.RawSecretAccessKey}
	}
	b, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	var out UpdateCustomKeyStoreInput
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

// rawString prints every member of in, secrets included.
func rawString(in UpdateCustomKeyStoreInput) string {
	s := func(p *string) string {
		if p == nil {
			return "nil"
		}
		return fmt.Sprintf("%q", *p)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "id=%s cluster=%s pw=%s name=%s conn=%q endpoint=%s path=%s svc=%s owner=%s",
		s(in.CustomKeyStoreId), s(in.CloudHsmClusterId), s(in.KeyStorePassword), s(in.NewCustomKeyStoreName),
		in.XksProxyConnectivity, s(in.XksProxyUriEndpoint), s(in.XksProxyUriPath),
		s(in.XksProxyVpcEndpointServiceName), s(in.XksProxyVpcEndpointServiceOwner))
	if c := in.XksProxyAuthenticationCredential; c != nil {
		fmt.Fprintf(&b, " cred={%s %s}", s(c.AccessKeyId), s(c.RawSecretAccessKey))
	}
	return b.String()
}

// printAll returns the printed forms of in, one per line: each fmt verb
// (pointers, nesting and widths are the unit tests' business), MarshalJSON,
// a slog record and the logged body.
func printAll(t *testing.T, in UpdateCustomKeyStoreInput) string {
	t.Helper()
	var b strings.Builder
	fmt.Fprintf(&b, "%v|%+v|%#v|%s|%q|%x|%v\n", in, in, in, in, in, in, []any{in.XksProxyAuthenticationCredential})
	j, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	b.Write(j)
	// GobEncode and MarshalText refuse exactly the inputs with a secret
	// set, with an error that does not depend on its value.
	for _, enc := range []func() ([]byte, error){in.GobEncode, in.MarshalText} {
		out, err := enc()
		if _, fields := updateTable.secrets(&in); (err != nil) != (len(fields) > 0) {
			t.Fatalf("encoding with secrets %v set returned error %v", fields, err)
		}
		if err != nil {
			b.WriteString(err.Error())
		}
		b.Write(out)
	}
	noTime := &slog.HandlerOptions{ReplaceAttr: func(groups []string, a slog.Attr) slog.Attr {
		if a.Key == slog.TimeKey && len(groups) == 0 {
			return slog.Attr{}
		}
		return a
	}}
	slog.New(slog.NewJSONHandler(&b, noTime)).Info("m", "in", in)
	b.Write(redactWireBody("UpdateCustomKeyStore", updateTable.appendJSON(nil, &in, false)))
	return b.String()
}
