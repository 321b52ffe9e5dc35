package kmstest_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kmskit/kms/kmstest"
)

// withID returns body with CustomKeyStoreId set to id.
func withID(id string, body m) m {
	out := m{"CustomKeyStoreId": id}
	for k, v := range body {
		out[k] = v
	}
	return out
}

// TestExternalRejectsCloudHSMMembers: CloudHsmClusterId and KeyStorePassword
// do not apply to an external key store.
func TestExternalRejectsCloudHSMMembers(t *testing.T) {
	for name, v := range map[string]string{"CloudHsmClusterId": clusterRelated, "KeyStorePassword": "new-password"} {
		t.Run(name, func(t *testing.T) {
			srv := newWorld(t)
			before := srv.Stores()
			r := update(t, srv, m{"CustomKeyStoreId": xksPublicDisc, "NewCustomKeyStoreName": "renamed", name: v})
			requireCode(t, r, kmstest.CodeValidation)
			assert.Contains(t, r.Message, name)
			assert.Contains(t, r.Message, "EXTERNAL_KEY_STORE")
			assert.NotContains(t, r.Message, "new-password")
			assert.Equal(t, before, srv.Stores())
		})
	}
}

// TestExternalStateRules: name, credential and path change when CONNECTED or
// DISCONNECTED; connectivity, endpoint, VPC service name and owner only when
// DISCONNECTED.
func TestExternalStateRules(t *testing.T) {
	members := []struct {
		name         string
		id           string
		body         m
		disconnected bool
	}{
		{"NewCustomKeyStoreName", xksPublic, m{"NewCustomKeyStoreName": "renamed"}, false},
		// The proxy at endpointPublic accepts the old credential and path.
		{"XksProxyAuthenticationCredential", xksPublic, m{"XksProxyAuthenticationCredential": cred(akidOld, secretOld)}, false},
		{"XksProxyUriPath", xksPublic, m{"XksProxyUriPath": pathV1}, false},
		{"XksProxyConnectivity", xksPublic, m{"XksProxyConnectivity": "PUBLIC_ENDPOINT"}, true},
		{"XksProxyUriEndpoint", xksPublic, m{"XksProxyUriEndpoint": "https://xks9.example.com"}, true},
		{"XksProxyVpcEndpointServiceName", xksVpc, m{"XksProxyVpcEndpointServiceName": svcFree}, true},
		{"XksProxyVpcEndpointServiceOwner", xksVpc, m{"XksProxyVpcEndpointServiceOwner": ownerMain}, true},
	}
	for _, mem := range members {
		for _, st := range allStates {
			allowed := st == kmstest.StateDisconnected || st == kmstest.StateConnected && !mem.disconnected
			t.Run(mem.name+"/"+string(st), func(t *testing.T) {
				srv := newWorld(t)
				require.NoError(t, srv.SetConnectionState(mem.id, st))
				before := srv.Stores()
				r := update(t, srv, withID(mem.id, mem.body))
				if allowed {
					requireOK(t, r)
					return
				}
				requireCode(t, r, kmstest.CodeCustomKeyStoreInvalidState)
				assert.Contains(t, r.Message, mem.name)
				assert.Equal(t, before, srv.Stores())
			})
		}
	}
}

// TestExternalConnectivityRules covers the documented rules for switching
// connectivity and for the VPC endpoint service name and owner.
func TestExternalConnectivityRules(t *testing.T) {
	tests := []struct {
		name string
		id   string
		body m
		code string // "" for success
		want func(x *kmstest.XksProxyConfiguration)
	}{
		{name: "to VPC with endpoint and service", id: xksPublicDisc,
			body: m{"XksProxyConnectivity": "VPC_ENDPOINT_SERVICE", "XksProxyUriEndpoint": "https://xks3.vpce.example.com",
				"XksProxyVpcEndpointServiceName": svcFree},
			want: func(x *kmstest.XksProxyConfiguration) {
				x.Connectivity, x.UriEndpoint, x.VpcEndpointServiceName = kmstest.ConnectivityVpcEndpointService, "https://xks3.vpce.example.com", svcFree
			}},
		{name: "to VPC without endpoint", id: xksPublicDisc,
			body: m{"XksProxyConnectivity": "VPC_ENDPOINT_SERVICE", "XksProxyVpcEndpointServiceName": svcFree},
			code: kmstest.CodeXksProxyInvalidConfiguration},
		{name: "to VPC with the same endpoint", id: xksPublicDisc,
			body: m{"XksProxyConnectivity": "VPC_ENDPOINT_SERVICE", "XksProxyUriEndpoint": endpointPublicDisc,
				"XksProxyVpcEndpointServiceName": svcFree},
			code: kmstest.CodeXksProxyInvalidConfiguration},
		{name: "to VPC without service", id: xksPublicDisc,
			body: m{"XksProxyConnectivity": "VPC_ENDPOINT_SERVICE", "XksProxyUriEndpoint": "https://xks3.vpce.example.com"},
			code: kmstest.CodeXksProxyInvalidConfiguration},
		{name: "to PUBLIC with endpoint and empty service", id: xksVpc,
			body: m{"XksProxyConnectivity": "PUBLIC_ENDPOINT", "XksProxyUriEndpoint": "https://xks2.example.com",
				"XksProxyVpcEndpointServiceName": ""},
			want: func(x *kmstest.XksProxyConfiguration) {
				x.Connectivity, x.UriEndpoint = kmstest.ConnectivityPublicEndpoint, "https://xks2.example.com"
				x.VpcEndpointServiceName, x.VpcEndpointServiceOwner = "", ""
			}},
		{name: "to PUBLIC with endpoint and null service", id: xksVpc,
			body: m{"XksProxyConnectivity": "PUBLIC_ENDPOINT", "XksProxyUriEndpoint": "https://xks2.example.com",
				"XksProxyVpcEndpointServiceName": nil},
			want: func(x *kmstest.XksProxyConfiguration) {
				x.Connectivity, x.UriEndpoint = kmstest.ConnectivityPublicEndpoint, "https://xks2.example.com"
				x.VpcEndpointServiceName, x.VpcEndpointServiceOwner = "", ""
			}},
		{name: "to PUBLIC without endpoint", id: xksVpc,
			body: m{"XksProxyConnectivity": "PUBLIC_ENDPOINT", "XksProxyVpcEndpointServiceName": ""},
			code: kmstest.CodeXksProxyInvalidConfiguration},
		{name: "to PUBLIC keeping a service", id: xksVpc,
			body: m{"XksProxyConnectivity": "PUBLIC_ENDPOINT", "XksProxyUriEndpoint": "https://xks2.example.com",
				"XksProxyVpcEndpointServiceName": svcUsed},
			code: kmstest.CodeXksProxyInvalidConfiguration},
		{name: "to PUBLIC with an owner", id: xksVpc,
			body: m{"XksProxyConnectivity": "PUBLIC_ENDPOINT", "XksProxyUriEndpoint": "https://xks2.example.com",
				"XksProxyVpcEndpointServiceOwner": ownerMain},
			code: kmstest.CodeXksProxyInvalidConfiguration},
		{name: "service name on a PUBLIC store", id: xksPublicDisc,
			body: m{"XksProxyVpcEndpointServiceName": svcFree}, code: kmstest.CodeXksProxyInvalidConfiguration},
		{name: "owner on a PUBLIC store", id: xksPublicDisc,
			body: m{"XksProxyVpcEndpointServiceOwner": ownerMain}, code: kmstest.CodeXksProxyInvalidConfiguration},
		{name: "PUBLIC to PUBLIC is not a switch", id: xksPublicDisc,
			body: m{"XksProxyConnectivity": "PUBLIC_ENDPOINT", "XksProxyVpcEndpointServiceName": ""},
			want: func(x *kmstest.XksProxyConfiguration) {}},
		{name: "VPC to VPC is not a switch", id: xksVpc,
			body: m{"XksProxyConnectivity": "VPC_ENDPOINT_SERVICE"},
			want: func(x *kmstest.XksProxyConfiguration) {}},
		{name: "http endpoint", id: xksPublicDisc,
			body: m{"XksProxyUriEndpoint": "http://xks3.example.com"}, code: kmstest.CodeValidation},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newWorld(t)
			before := srv.Stores()
			r := update(t, srv, withID(tt.id, tt.body))
			if tt.code != "" {
				requireCode(t, r, tt.code)
				assert.Equal(t, before, srv.Stores())
				return
			}
			requireOK(t, r)
			want := beforeStore(t, before, tt.id)
			tt.want(&want.XksProxyConfiguration)
			assert.Equal(t, want, store(t, srv, tt.id))
		})
	}
}

// beforeStore finds id in a snapshot.
func beforeStore(t *testing.T, snapshot []kmstest.Store, id string) kmstest.Store {
	t.Helper()
	for _, s := range snapshot {
		if s.CustomKeyStoreId == id {
			return s
		}
	}
	t.Fatalf("no store %s in snapshot", id)
	return kmstest.Store{}
}

// TestExternalURIUniqueness: endpoint+path must be unique among external
// stores; a VPC store's endpoint must be unique.
func TestExternalURIUniqueness(t *testing.T) {
	tests := []struct {
		name string
		id   string
		body m
		code string
	}{
		{name: "same endpoint and path", id: xksPublicDisc, body: m{"XksProxyUriEndpoint": endpointPublic},
			code: kmstest.CodeXksProxyUriInUse},
		{name: "same path makes the pair taken", id: xksPublicDisc,
			body: m{"XksProxyUriEndpoint": endpointVpc, "XksProxyUriPath": pathV1}, code: kmstest.CodeXksProxyUriInUse},
		{name: "public store may share an endpoint with another path", id: xksPublicDisc,
			body: m{"XksProxyUriEndpoint": endpointPublic, "XksProxyUriPath": pathPrefixed}},
		{name: "VPC store may not share an endpoint", id: xksVpc,
			body: m{"XksProxyUriEndpoint": endpointPublic, "XksProxyUriPath": pathPrefixed}, code: kmstest.CodeXksProxyUriEndpointInUse},
		{name: "switch to VPC onto a used endpoint", id: xksPublicDisc,
			body: m{"XksProxyConnectivity": "VPC_ENDPOINT_SERVICE", "XksProxyUriEndpoint": endpointVpc, "XksProxyUriPath": pathPrefixed,
				"XksProxyVpcEndpointServiceName": svcFree}, code: kmstest.CodeXksProxyUriEndpointInUse},
		{name: "a store's own URI is not a conflict", id: xksVpc, body: m{"XksProxyUriEndpoint": endpointVpc}},
		{name: "a new unique endpoint", id: xksVpc, body: m{"XksProxyUriEndpoint": "https://xks7.vpce.example.com"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newWorld(t)
			before := srv.Stores()
			r := update(t, srv, withID(tt.id, tt.body))
			if tt.code == "" {
				requireOK(t, r)
				return
			}
			requireCode(t, r, tt.code)
			assert.Equal(t, before, srv.Stores())
		})
	}
}

// TestExternalVpcServiceRules: the VPC endpoint service must exist (with a
// matching owner), be unused by other stores and be configured right.
func TestExternalVpcServiceRules(t *testing.T) {
	tests := []struct {
		name string
		body m
		code string
	}{
		{name: "free service", body: m{"XksProxyVpcEndpointServiceName": svcFree}},
		{name: "free service with its owner", body: m{"XksProxyVpcEndpointServiceName": svcFree, "XksProxyVpcEndpointServiceOwner": ownerMain}},
		{name: "unknown service", body: m{"XksProxyVpcEndpointServiceName": svcAbsent}, code: kmstest.CodeXksProxyVpcEndpointServiceNotFound},
		{name: "wrong owner", body: m{"XksProxyVpcEndpointServiceName": svcFree, "XksProxyVpcEndpointServiceOwner": ownerElse},
			code: kmstest.CodeXksProxyVpcEndpointServiceNotFound},
		{name: "stored owner does not match the new service", body: m{"XksProxyVpcEndpointServiceName": svcOther},
			code: kmstest.CodeXksProxyVpcEndpointServiceNotFound},
		{name: "other owner given", body: m{"XksProxyVpcEndpointServiceName": svcOther, "XksProxyVpcEndpointServiceOwner": ownerElse}},
		{name: "owner alone must match", body: m{"XksProxyVpcEndpointServiceOwner": ownerElse},
			code: kmstest.CodeXksProxyVpcEndpointServiceNotFound},
		{name: "misconfigured", body: m{"XksProxyVpcEndpointServiceName": svcBad}, code: kmstest.CodeXksProxyVpcEndpointServiceInvalidConfiguration},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newWorld(t)
			before := srv.Stores()
			r := update(t, srv, withID(xksVpc, tt.body))
			if tt.code == "" {
				requireOK(t, r)
				x := store(t, srv, xksVpc).XksProxyConfiguration
				assert.Equal(t, tt.body["XksProxyVpcEndpointServiceName"], x.VpcEndpointServiceName)
				return
			}
			requireCode(t, r, tt.code)
			assert.Equal(t, before, srv.Stores())
		})
	}

	t.Run("in use by another store", func(t *testing.T) {
		srv := newWorld(t)
		require.NoError(t, srv.AddStore(kmstest.Store{CustomKeyStoreId: "cks-vpc-other", CustomKeyStoreName: "vpc-other",
			CustomKeyStoreType: kmstest.TypeExternal, XksProxyConfiguration: kmstest.XksProxyConfiguration{
				Connectivity: kmstest.ConnectivityVpcEndpointService, UriEndpoint: "https://other.vpce.example.com",
				UriPath: pathV1, VpcEndpointServiceName: svcFree}}))
		before := srv.Stores()
		requireCode(t, update(t, srv, withID(xksVpc, m{"XksProxyVpcEndpointServiceName": svcFree})),
			kmstest.CodeXksProxyVpcEndpointServiceInUse)
		assert.Equal(t, before, srv.Stores())
	})
	t.Run("in use wins over misconfigured", func(t *testing.T) {
		srv := newWorld(t)
		require.NoError(t, srv.SetVpcEndpointService(kmstest.VpcEndpointService{ServiceName: svcUsed, InvalidConfiguration: true}))
		requireCode(t, update(t, srv, withID(xksPublicDisc, m{"XksProxyConnectivity": "VPC_ENDPOINT_SERVICE",
			"XksProxyUriEndpoint": "https://xks3.vpce.example.com", "XksProxyVpcEndpointServiceName": svcUsed})),
			kmstest.CodeXksProxyVpcEndpointServiceInUse)
	})
}

// TestExternalProxyRules: on a CONNECTED store, a new credential or path is
// tried against the proxy; a DISCONNECTED store is not tried.
func TestExternalProxyRules(t *testing.T) {
	tests := []struct {
		name  string
		proxy *kmstest.XksProxy // replaces the proxy at endpointPublic; nil keeps it
		body  m
		code  string
	}{
		{name: "accepted credential", body: m{"XksProxyAuthenticationCredential": cred(akidOld, secretOld)}},
		{name: "new credential the proxy accepts",
			proxy: &kmstest.XksProxy{UriEndpoint: endpointPublic, UriPath: pathV1, AccessKeyId: akidNew, RawSecretAccessKey: secretNew},
			body:  m{"XksProxyAuthenticationCredential": cred(akidNew, secretNew)}},
		{name: "proxy accepting any credential", proxy: &kmstest.XksProxy{UriEndpoint: endpointPublic},
			body: m{"XksProxyAuthenticationCredential": cred(akidNew, secretNew), "XksProxyUriPath": pathPrefixed}},
		{name: "wrong secret", body: m{"XksProxyAuthenticationCredential": cred(akidOld, secretNew)},
			code: kmstest.CodeXksProxyIncorrectAuthenticationCredential},
		{name: "wrong access key", body: m{"XksProxyAuthenticationCredential": cred(akidNew, secretOld)},
			code: kmstest.CodeXksProxyIncorrectAuthenticationCredential},
		{name: "path the proxy does not serve", body: m{"XksProxyUriPath": pathPrefixed}, code: kmstest.CodeXksProxyInvalidConfiguration},
		{name: "path the proxy serves",
			proxy: &kmstest.XksProxy{UriEndpoint: endpointPublic, UriPath: pathPrefixed, AccessKeyId: akidOld, RawSecretAccessKey: secretOld},
			body:  m{"XksProxyUriPath": pathPrefixed}},
		{name: "unreachable proxy",
			proxy: &kmstest.XksProxy{UriEndpoint: endpointPublic, Unreachable: true},
			body:  m{"XksProxyUriPath": pathV1}, code: kmstest.CodeXksProxyUriUnreachable},
		{name: "invalid response",
			proxy: &kmstest.XksProxy{UriEndpoint: endpointPublic, InvalidResponse: true},
			body:  m{"XksProxyUriPath": pathV1}, code: kmstest.CodeXksProxyInvalidResponse},
		{name: "unreachable wins over wrong credential",
			proxy: &kmstest.XksProxy{UriEndpoint: endpointPublic, Unreachable: true, AccessKeyId: akidOld, RawSecretAccessKey: secretOld},
			body:  m{"XksProxyAuthenticationCredential": cred(akidNew, secretNew)}, code: kmstest.CodeXksProxyUriUnreachable},
		{name: "wrong credential wins over invalid response",
			proxy: &kmstest.XksProxy{UriEndpoint: endpointPublic, InvalidResponse: true, AccessKeyId: akidOld, RawSecretAccessKey: secretOld},
			body:  m{"XksProxyAuthenticationCredential": cred(akidNew, secretNew)}, code: kmstest.CodeXksProxyIncorrectAuthenticationCredential},
		{name: "rename alone does not try the proxy",
			proxy: &kmstest.XksProxy{UriEndpoint: endpointPublic, Unreachable: true},
			body:  m{"NewCustomKeyStoreName": "renamed"}},
		{name: "rename with a rejected credential changes nothing",
			body: m{"NewCustomKeyStoreName": "renamed", "XksProxyAuthenticationCredential": cred(akidNew, secretNew)},
			code: kmstest.CodeXksProxyIncorrectAuthenticationCredential},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newWorld(t)
			if tt.proxy != nil {
				require.NoError(t, srv.SetXksProxy(*tt.proxy))
			}
			before := srv.Stores()
			r := update(t, srv, withID(xksPublic, tt.body))
			if tt.code == "" {
				requireOK(t, r)
				return
			}
			requireCode(t, r, tt.code)
			assert.Equal(t, before, srv.Stores())
		})
	}

	t.Run("no proxy at the endpoint", func(t *testing.T) {
		srv := newWorld(t)
		require.NoError(t, srv.AddStore(kmstest.Store{CustomKeyStoreId: "cks-noproxy", CustomKeyStoreName: "no-proxy",
			CustomKeyStoreType: kmstest.TypeExternal, ConnectionState: kmstest.StateConnected,
			XksProxyConfiguration: kmstest.XksProxyConfiguration{UriEndpoint: "https://nothing.example.com", UriPath: pathV1}}))
		requireCode(t, update(t, srv, m{"CustomKeyStoreId": "cks-noproxy", "XksProxyUriPath": pathV1}),
			kmstest.CodeXksProxyUriUnreachable)
	})
	t.Run("disconnected store is not tried", func(t *testing.T) {
		srv := newWorld(t)
		require.NoError(t, srv.SetConnectionState(xksPublic, kmstest.StateDisconnected))
		requireOK(t, update(t, srv, withID(xksPublic, m{"XksProxyAuthenticationCredential": cred(akidNew, secretNew),
			"XksProxyUriPath": pathPrefixed})))
		x := store(t, srv, xksPublic).XksProxyConfiguration
		assert.Equal(t, akidNew, x.AccessKeyId)
		assert.Equal(t, pathPrefixed, x.UriPath)
	})
}

// TestExternalAllOrNothing: a failure late in the checks leaves every member
// unchanged.
func TestExternalAllOrNothing(t *testing.T) {
	srv := newWorld(t)
	before := srv.Stores()
	r := update(t, srv, withID(xksVpc, m{
		"NewCustomKeyStoreName":            "renamed",
		"XksProxyAuthenticationCredential": cred(akidNew, secretNew),
		"XksProxyUriEndpoint":              "https://xks8.vpce.example.com",
		"XksProxyUriPath":                  pathPrefixed,
		"XksProxyVpcEndpointServiceName":   svcAbsent,
	}))
	requireCode(t, r, kmstest.CodeXksProxyVpcEndpointServiceNotFound)
	assert.Equal(t, before, srv.Stores())
}
