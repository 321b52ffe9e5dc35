package kms

import (
	"bytes"
	"encoding/json"
	"errors"
	"testing"
)

// wireBody is the request body as a server would decode it.
type wireBody struct {
	CustomKeyStoreId                 *string
	CloudHsmClusterId                *string
	KeyStorePassword                 *string
	NewCustomKeyStoreName            *string
	XksProxyAuthenticationCredential *struct {
		AccessKeyId        *string
		RawSecretAccessKey *string
	}
	XksProxyConnectivity            *string
	XksProxyUriEndpoint             *string
	XksProxyUriPath                 *string
	XksProxyVpcEndpointServiceName  *string
	XksProxyVpcEndpointServiceOwner *string
}

// Bits of the fuzz mask: which members are non-nil.
const (
	fuzzSetStoreID = 1 << iota
	fuzzSetCluster
	fuzzSetPassword
	fuzzSetName
	fuzzSetCredential
	fuzzSetAccessKeyID
	fuzzSetSecret
	fuzzSetEndpoint
	fuzzSetPath
	fuzzSetServiceName
	fuzzSetServiceOwner
)

// FuzzValidate checks that Validate never panics and that an input Validate accepts encodes to
// a body that decodes back to the same values.
func FuzzValidate(f *testing.F) {
	all := uint16(1<<11 - 1)
	f.Add(all, validStoreID, validClusterID, validPassword, validName, validAccessKeyID, validSecretAccessKey, "VPC_ENDPOINT_SERVICE", validEndpoint, validPath, validServiceName, validServiceOwner)
	f.Add(uint16(fuzzSetStoreID|fuzzSetCredential|fuzzSetAccessKeyID|fuzzSetSecret|fuzzSetPath|fuzzSetName), validStoreID, "", "", "名前\u2028\"\\\x01", validAccessKeyID, validSecretAccessKey, "", "", "/kms/xks/v1", "", "")
	f.Add(uint16(fuzzSetStoreID|fuzzSetEndpoint|fuzzSetServiceName), validStoreID, "", "", "", "", "", "PUBLIC_ENDPOINT", validEndpoint, "", "", "")
	f.Add(uint16(fuzzSetStoreID|fuzzSetCluster|fuzzSetPassword), validStoreID, "cluster-1a23b4cdefg", "p\xffssword", "", "", "", "", "", "", "", "")

	f.Fuzz(func(t *testing.T, mask uint16, id, cluster, password, name, akid, secret, conn, endpoint, path, svc, owner string) {
		opt := func(bit uint16, s string) *string {
			if mask&bit == 0 {
				return nil
			}
			return &s
		}
		in := &UpdateCustomKeyStoreInput{
			CustomKeyStoreId:                opt(fuzzSetStoreID, id),
			CloudHsmClusterId:               opt(fuzzSetCluster, cluster),
			KeyStorePassword:                opt(fuzzSetPassword, password),
			NewCustomKeyStoreName:           opt(fuzzSetName, name),
			XksProxyConnectivity:            XksProxyConnectivityType(conn),
			XksProxyUriEndpoint:             opt(fuzzSetEndpoint, endpoint),
			XksProxyUriPath:                 opt(fuzzSetPath, path),
			XksProxyVpcEndpointServiceName:  opt(fuzzSetServiceName, svc),
			XksProxyVpcEndpointServiceOwner: opt(fuzzSetServiceOwner, owner),
		}
		if mask&fuzzSetCredential != 0 {
			in.XksProxyAuthenticationCredential = credentialOf(opt(fuzzSetAccessKeyID, akid), opt(fuzzSetSecret, secret))
		}

		if got, want := len(in.DisconnectRequiredFields()) > 0, in.RequiresDisconnect(); got != want {
			t.Fatalf("DisconnectRequiredFields and RequiresDisconnect disagree: %v vs %v", got, want)
		}
		err := in.Validate()
		if reqErr := updateTable.validate(in, false); reqErr != nil && err == nil {
			t.Fatalf("Validate accepted what validateRequired rejects: %v", reqErr)
		}
		if err != nil {
			var ve *ValidationError
			if !errors.As(err, &ve) || len(ve.Problems()) == 0 {
				t.Fatalf("Validate error %T %v is not a non-empty *ValidationError", err, err)
			}
			_ = ve.Error()
			_ = ve.Fields()
			return
		}

		body := updateTable.appendJSON(nil, in, false)
		if !json.Valid(body) {
			t.Fatalf("accepted input encodes to invalid JSON: %q", body)
		}
		var got wireBody
		dec := json.NewDecoder(bytes.NewReader(body))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&got); err != nil {
			t.Fatalf("decoding %q: %v", body, err)
		}
		same := func(member string, want, got *string) {
			t.Helper()
			switch {
			case want == nil && got == nil:
			case want == nil || got == nil:
				t.Errorf("%s: sent %v, decoded %v (body %q)", member, want != nil, got != nil, body)
			case *want != *got:
				t.Errorf("%s: sent %q, decoded %q", member, *want, *got)
			}
		}
		same("CustomKeyStoreId", in.CustomKeyStoreId, got.CustomKeyStoreId)
		same("CloudHsmClusterId", in.CloudHsmClusterId, got.CloudHsmClusterId)
		same("KeyStorePassword", in.KeyStorePassword, got.KeyStorePassword)
		same("NewCustomKeyStoreName", in.NewCustomKeyStoreName, got.NewCustomKeyStoreName)
		if c := in.XksProxyAuthenticationCredential; c == nil {
			if got.XksProxyAuthenticationCredential != nil {
				t.Errorf("XksProxyAuthenticationCredential: not sent, but decoded")
			}
		} else if got.XksProxyAuthenticationCredential == nil {
			t.Errorf("XksProxyAuthenticationCredential: sent, but not decoded")
		} else {
			same("AccessKeyId", c.AccessKeyId, got.XksProxyAuthenticationCredential.AccessKeyId)
			same("RawSecretAccessKey", c.RawSecretAccessKey, got.XksProxyAuthenticationCredential.RawSecretAccessKey)
		}
		var connSent *string
		if in.XksProxyConnectivity != "" {
			connSent = &conn
		}
		same("XksProxyConnectivity", connSent, got.XksProxyConnectivity)
		same("XksProxyUriEndpoint", in.XksProxyUriEndpoint, got.XksProxyUriEndpoint)
		same("XksProxyUriPath", in.XksProxyUriPath, got.XksProxyUriPath)
		same("XksProxyVpcEndpointServiceName", in.XksProxyVpcEndpointServiceName, got.XksProxyVpcEndpointServiceName)
		same("XksProxyVpcEndpointServiceOwner", in.XksProxyVpcEndpointServiceOwner, got.XksProxyVpcEndpointServiceOwner)
	})
}
