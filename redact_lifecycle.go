package kms

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"strconv"
	"time"
)

// Redaction of the custom key store lifecycle types, as for
// UpdateCustomKeyStoreInput (see redact.go): KeyStorePassword,
// RawSecretAccessKey and XksProxyConfiguration.AccessKeyId (sensitive in the
// KMS model) show as "[REDACTED]" in fmt, log/slog and encoding/json
// output; every other member is shown as it is.

// Format prints in with its secrets redacted, for every verb; see
// [UpdateCustomKeyStoreInput.Format].
func (in CreateCustomKeyStoreInput) Format(f fmt.State, verb rune) {
	formatRedacted(f, verb, "kms.CreateCustomKeyStoreInput", in.appendRedacted)
}

// String returns the %v form of in, secrets redacted.
func (in CreateCustomKeyStoreInput) String() string { return string(in.appendRedacted(nil, false)) }

// GoString returns the %#v form of in, secrets redacted.
func (in CreateCustomKeyStoreInput) GoString() string { return string(in.appendRedacted(nil, true)) }

// LogValue returns in as a slog group of the members that are set, with
// KeyStorePassword, AccessKeyId and RawSecretAccessKey as "[REDACTED]".
func (in CreateCustomKeyStoreInput) LogValue() slog.Value {
	var a attrList
	a.str("CustomKeyStoreName", in.CustomKeyStoreName)
	a.str("CloudHsmClusterId", in.CloudHsmClusterId)
	a.enum("CustomKeyStoreType", string(in.CustomKeyStoreType))
	a.secret("KeyStorePassword", in.KeyStorePassword)
	a.str("TrustAnchorCertificate", in.TrustAnchorCertificate)
	if c := redactAccessKey(in.XksProxyAuthenticationCredential); c != nil {
		a = append(a, slog.Attr{Key: "XksProxyAuthenticationCredential", Value: c.LogValue()})
	}
	a.enum("XksProxyConnectivity", string(in.XksProxyConnectivity))
	a.str("XksProxyUriEndpoint", in.XksProxyUriEndpoint)
	a.str("XksProxyUriPath", in.XksProxyUriPath)
	a.str("XksProxyVpcEndpointServiceName", in.XksProxyVpcEndpointServiceName)
	a.str("XksProxyVpcEndpointServiceOwner", in.XksProxyVpcEndpointServiceOwner)
	return slog.GroupValue(a...)
}

// MarshalJSON returns the request body KMS would receive, with the secrets
// replaced by "[REDACTED]". It is meant for logging.
func (in CreateCustomKeyStoreInput) MarshalJSON() ([]byte, error) {
	return in.redacted().appendWire(nil), nil
}

// redacted returns a shallow copy of in whose set secrets are redactedText.
func (in CreateCustomKeyStoreInput) redacted() *CreateCustomKeyStoreInput {
	u := UpdateCustomKeyStoreInput{KeyStorePassword: in.KeyStorePassword, XksProxyAuthenticationCredential: in.XksProxyAuthenticationCredential}
	r := u.redacted()
	in.KeyStorePassword = r.KeyStorePassword
	in.XksProxyAuthenticationCredential = redactAccessKey(r.XksProxyAuthenticationCredential)
	return &in
}

// redactAccessKey returns a copy of c with AccessKeyId, sensitive in the
// KMS model, as redactedText.
func redactAccessKey(c *XksProxyAuthenticationCredentialType) *XksProxyAuthenticationCredentialType {
	if c == nil || c.AccessKeyId == nil {
		return c
	}
	s := redactedText
	rc := *c
	rc.AccessKeyId = &s
	return &rc
}

func (in CreateCustomKeyStoreInput) appendRedacted(dst []byte, goSyntax bool) []byte {
	w := redactWriter{dst: dst, goSyntax: goSyntax}
	w.open("kms.CreateCustomKeyStoreInput")
	w.str("CustomKeyStoreName", in.CustomKeyStoreName)
	w.str("CloudHsmClusterId", in.CloudHsmClusterId)
	w.enum("CustomKeyStoreType", "kms.CustomKeyStoreType", string(in.CustomKeyStoreType))
	w.secret("KeyStorePassword", in.KeyStorePassword)
	w.str("TrustAnchorCertificate", in.TrustAnchorCertificate)
	if c := redactAccessKey(in.XksProxyAuthenticationCredential); c != nil {
		w.member("XksProxyAuthenticationCredential")
		if goSyntax {
			w.dst = append(w.dst, '&')
		}
		w.dst = c.appendRedacted(w.dst, goSyntax)
	}
	w.enum("XksProxyConnectivity", "kms.XksProxyConnectivityType", string(in.XksProxyConnectivity))
	w.str("XksProxyUriEndpoint", in.XksProxyUriEndpoint)
	w.str("XksProxyUriPath", in.XksProxyUriPath)
	w.str("XksProxyVpcEndpointServiceName", in.XksProxyVpcEndpointServiceName)
	w.str("XksProxyVpcEndpointServiceOwner", in.XksProxyVpcEndpointServiceOwner)
	return append(w.dst, '}')
}

// Format prints c with AccessKeyId redacted, for every verb.
func (c XksProxyConfigurationType) Format(f fmt.State, verb rune) {
	formatRedacted(f, verb, "kms.XksProxyConfigurationType", c.appendRedacted)
}

// String returns the %v form of c, AccessKeyId redacted.
func (c XksProxyConfigurationType) String() string { return string(c.appendRedacted(nil, false)) }

// GoString returns the %#v form of c, AccessKeyId redacted.
func (c XksProxyConfigurationType) GoString() string { return string(c.appendRedacted(nil, true)) }

// LogValue returns c as a slog group with AccessKeyId as "[REDACTED]".
func (c XksProxyConfigurationType) LogValue() slog.Value {
	var a attrList
	a.secret("AccessKeyId", c.AccessKeyId)
	a.enum("Connectivity", string(c.Connectivity))
	a.str("UriEndpoint", c.UriEndpoint)
	a.str("UriPath", c.UriPath)
	a.str("VpcEndpointServiceName", c.VpcEndpointServiceName)
	a.str("VpcEndpointServiceOwner", c.VpcEndpointServiceOwner)
	return slog.GroupValue(a...)
}

// MarshalJSON returns c as KMS sends it, with AccessKeyId replaced by
// "[REDACTED]". It is meant for logging.
func (c XksProxyConfigurationType) MarshalJSON() ([]byte, error) {
	return c.appendWireRedacted(nil), nil
}

func (c XksProxyConfigurationType) appendWireRedacted(dst []byte) []byte {
	o := openObject(dst)
	if c.AccessKeyId != nil {
		s := redactedText
		o.str("AccessKeyId", &s)
	}
	o.enum("Connectivity", string(c.Connectivity))
	o.str("UriEndpoint", c.UriEndpoint)
	o.str("UriPath", c.UriPath)
	o.str("VpcEndpointServiceName", c.VpcEndpointServiceName)
	o.str("VpcEndpointServiceOwner", c.VpcEndpointServiceOwner)
	return o.close()
}

func (c XksProxyConfigurationType) appendRedacted(dst []byte, goSyntax bool) []byte {
	w := redactWriter{dst: dst, goSyntax: goSyntax}
	w.open("kms.XksProxyConfigurationType")
	w.secret("AccessKeyId", c.AccessKeyId)
	w.enum("Connectivity", "kms.XksProxyConnectivityType", string(c.Connectivity))
	w.str("UriEndpoint", c.UriEndpoint)
	w.str("UriPath", c.UriPath)
	w.str("VpcEndpointServiceName", c.VpcEndpointServiceName)
	w.str("VpcEndpointServiceOwner", c.VpcEndpointServiceOwner)
	return append(w.dst, '}')
}

// Format prints e with XksProxyConfiguration.AccessKeyId redacted, for
// every verb.
func (e CustomKeyStoresListEntry) Format(f fmt.State, verb rune) {
	formatRedacted(f, verb, "kms.CustomKeyStoresListEntry", e.appendRedacted)
}

// String returns the %v form of e, AccessKeyId redacted.
func (e CustomKeyStoresListEntry) String() string { return string(e.appendRedacted(nil, false)) }

// GoString returns the %#v form of e, AccessKeyId redacted.
func (e CustomKeyStoresListEntry) GoString() string { return string(e.appendRedacted(nil, true)) }

// LogValue returns e as a slog group of the members that are set, with
// XksProxyConfiguration.AccessKeyId as "[REDACTED]".
func (e CustomKeyStoresListEntry) LogValue() slog.Value {
	var a attrList
	a.str("CloudHsmClusterId", e.CloudHsmClusterId)
	a.enum("ConnectionErrorCode", string(e.ConnectionErrorCode))
	a.enum("ConnectionState", string(e.ConnectionState))
	if e.CreationDate != nil {
		a = append(a, slog.Time("CreationDate", *e.CreationDate))
	}
	a.str("CustomKeyStoreId", e.CustomKeyStoreId)
	a.str("CustomKeyStoreName", e.CustomKeyStoreName)
	a.enum("CustomKeyStoreType", string(e.CustomKeyStoreType))
	a.str("TrustAnchorCertificate", e.TrustAnchorCertificate)
	if x := e.XksProxyConfiguration; x != nil {
		a = append(a, slog.Attr{Key: "XksProxyConfiguration", Value: x.LogValue()})
	}
	return slog.GroupValue(a...)
}

// MarshalJSON returns e as KMS sends it (CreationDate in epoch seconds),
// with XksProxyConfiguration.AccessKeyId replaced by "[REDACTED]". It is
// meant for logging.
func (e CustomKeyStoresListEntry) MarshalJSON() ([]byte, error) {
	o := openObject(nil)
	o.str("CloudHsmClusterId", e.CloudHsmClusterId)
	o.enum("ConnectionErrorCode", string(e.ConnectionErrorCode))
	o.enum("ConnectionState", string(e.ConnectionState))
	if e.CreationDate != nil {
		o.member("CreationDate")
		o.dst = strconv.AppendFloat(o.dst, float64(e.CreationDate.UnixMilli())/1000, 'f', -1, 64)
	}
	o.str("CustomKeyStoreId", e.CustomKeyStoreId)
	o.str("CustomKeyStoreName", e.CustomKeyStoreName)
	o.enum("CustomKeyStoreType", string(e.CustomKeyStoreType))
	o.str("TrustAnchorCertificate", e.TrustAnchorCertificate)
	if x := e.XksProxyConfiguration; x != nil {
		o.member("XksProxyConfiguration")
		o.dst = x.appendWireRedacted(o.dst)
	}
	return o.close(), nil
}

func (e CustomKeyStoresListEntry) appendRedacted(dst []byte, goSyntax bool) []byte {
	w := redactWriter{dst: dst, goSyntax: goSyntax}
	w.open("kms.CustomKeyStoresListEntry")
	w.str("CloudHsmClusterId", e.CloudHsmClusterId)
	w.enum("ConnectionErrorCode", "kms.ConnectionErrorCodeType", string(e.ConnectionErrorCode))
	w.enum("ConnectionState", "kms.ConnectionStateType", string(e.ConnectionState))
	if t := e.CreationDate; t != nil {
		w.member("CreationDate")
		if goSyntax {
			w.dst = append(w.dst, "aws.Time("...)
			w.dst = append(w.dst, t.GoString()...)
			w.dst = append(w.dst, ')')
		} else {
			w.dst = t.AppendFormat(w.dst, time.RFC3339Nano)
		}
	}
	w.str("CustomKeyStoreId", e.CustomKeyStoreId)
	w.str("CustomKeyStoreName", e.CustomKeyStoreName)
	w.enum("CustomKeyStoreType", "kms.CustomKeyStoreType", string(e.CustomKeyStoreType))
	w.str("TrustAnchorCertificate", e.TrustAnchorCertificate)
	if x := e.XksProxyConfiguration; x != nil {
		w.member("XksProxyConfiguration")
		if goSyntax {
			w.dst = append(w.dst, '&')
		}
		w.dst = x.appendRedacted(w.dst, goSyntax)
	}
	return append(w.dst, '}')
}

// enum writes a non-empty enum member: "v" as text, kms.T("v") as Go.
func (w *redactWriter) enum(name, goType, v string) {
	if v == "" {
		return
	}
	w.member(name)
	if w.goSyntax {
		w.dst = append(w.dst, goType...)
		w.dst = append(w.dst, '(')
		w.dst = strconv.AppendQuote(w.dst, v)
		w.dst = append(w.dst, ')')
		return
	}
	w.dst = strconv.AppendQuote(w.dst, v)
}

// attrList builds a slog group of the members that are set.
type attrList []slog.Attr

func (a *attrList) str(name string, v *string) {
	if v != nil {
		*a = append(*a, slog.String(name, *v))
	}
}

func (a *attrList) enum(name, v string) {
	if v != "" {
		*a = append(*a, slog.String(name, v))
	}
}

func (a *attrList) secret(name string, v *string) {
	if v != nil {
		*a = append(*a, slog.String(name, redactedText))
	}
}

// redactLifecycleBody makes a request body of the lifecycle operations safe
// to log. Only CreateCustomKeyStore's body holds secrets; the others carry
// IDs, names, a limit and a marker, and are shown as they are.
func redactLifecycleBody(op string, body []byte) ([]byte, bool) {
	switch op {
	case "CreateCustomKeyStore":
		var in CreateCustomKeyStoreInput
		if err := json.Unmarshal(body, &in); err != nil {
			return nil, false
		}
		return in.redacted().appendWire(nil), true
	case "DescribeCustomKeyStores", "ConnectCustomKeyStore", "DisconnectCustomKeyStore", "DeleteCustomKeyStore":
		return body, true
	}
	return nil, false
}

// GobEncode encodes in as MarshalJSON does, secrets redacted, so that
// encoding/gob never writes them either.
func (in CreateCustomKeyStoreInput) GobEncode() ([]byte, error) { return in.MarshalJSON() }

// GobDecode decodes what GobEncode wrote: the secrets that were set come
// back as "[REDACTED]".
func (in *CreateCustomKeyStoreInput) GobDecode(b []byte) error {
	*in = CreateCustomKeyStoreInput{}
	return json.Unmarshal(b, in)
}

// MarshalText returns the %v form of in, secrets redacted, for encoders
// such as encoding/xml.
func (in CreateCustomKeyStoreInput) MarshalText() ([]byte, error) {
	return in.appendRedacted(nil, false), nil
}

// GobEncode encodes c as MarshalJSON does, AccessKeyId redacted.
func (c XksProxyConfigurationType) GobEncode() ([]byte, error) { return c.MarshalJSON() }

// GobDecode decodes what GobEncode wrote; AccessKeyId, when set, comes back
// as "[REDACTED]".
func (c *XksProxyConfigurationType) GobDecode(b []byte) error {
	*c = XksProxyConfigurationType{}
	r := &jsonReader{b: b}
	if err := readObject(r, c, xksConfigMember); err != nil {
		return err
	}
	return r.end()
}

// MarshalText returns the %v form of c, AccessKeyId redacted.
func (c XksProxyConfigurationType) MarshalText() ([]byte, error) {
	return c.appendRedacted(nil, false), nil
}

// GobEncode encodes e as MarshalJSON does, AccessKeyId redacted.
func (e CustomKeyStoresListEntry) GobEncode() ([]byte, error) { return e.MarshalJSON() }

// GobDecode decodes what GobEncode wrote; XksProxyConfiguration.AccessKeyId,
// when set, comes back as "[REDACTED]".
func (e *CustomKeyStoresListEntry) GobDecode(b []byte) error {
	*e = CustomKeyStoresListEntry{}
	r := &jsonReader{b: b}
	if err := readObject(r, e, entryMember); err != nil {
		return err
	}
	return r.end()
}

// MarshalText returns the %v form of e, AccessKeyId redacted.
func (e CustomKeyStoresListEntry) MarshalText() ([]byte, error) {
	return e.appendRedacted(nil, false), nil
}
