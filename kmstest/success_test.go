package kmstest_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kmskit/kms/kmstest"
)

// TestSuccessPaths changes every mutable member, in every state that allows
// it, and checks that the store holds exactly the sent values and nothing
// else changed.
func TestSuccessPaths(t *testing.T) {
	tests := []struct {
		name  string
		id    string
		state kmstest.ConnectionState
		setup func(t *testing.T, srv *kmstest.Server)
		body  m
		apply func(s *kmstest.Store)
	}{
		{name: "CloudHSM rename CONNECTED", id: hsmConnected, state: kmstest.StateConnected,
			body:  m{"NewCustomKeyStoreName": "hsm-renamed"},
			apply: func(s *kmstest.Store) { s.CustomKeyStoreName = "hsm-renamed" }},
		{name: "CloudHSM rename DISCONNECTED", id: hsmConnected, state: kmstest.StateDisconnected,
			body:  m{"NewCustomKeyStoreName": "hsm-renamed"},
			apply: func(s *kmstest.Store) { s.CustomKeyStoreName = "hsm-renamed" }},
		{name: "CloudHSM password", id: hsmDisconnected, state: kmstest.StateDisconnected,
			body:  m{"KeyStorePassword": "new-password"},
			apply: func(s *kmstest.Store) { s.KeyStorePassword = "new-password" }},
		{name: "CloudHSM cluster", id: hsmDisconnected, state: kmstest.StateDisconnected,
			body:  m{"CloudHsmClusterId": clusterRelated},
			apply: func(s *kmstest.Store) { s.CloudHsmClusterId = clusterRelated }},
		{name: "CloudHSM all three", id: hsmDisconnected, state: kmstest.StateDisconnected,
			body: m{"NewCustomKeyStoreName": "hsm-renamed", "KeyStorePassword": "new-password", "CloudHsmClusterId": clusterRelated},
			apply: func(s *kmstest.Store) {
				s.CustomKeyStoreName, s.KeyStorePassword, s.CloudHsmClusterId = "hsm-renamed", "new-password", clusterRelated
			}},
		{name: "CloudHSM nothing to change", id: hsmConnected, state: kmstest.StateFailed,
			body: m{}, apply: func(s *kmstest.Store) {}},

		{name: "external rename CONNECTED", id: xksPublic, state: kmstest.StateConnected,
			body:  m{"NewCustomKeyStoreName": "xks-renamed"},
			apply: func(s *kmstest.Store) { s.CustomKeyStoreName = "xks-renamed" }},
		{name: "external rename DISCONNECTED", id: xksVpc, state: kmstest.StateDisconnected,
			body:  m{"NewCustomKeyStoreName": "xks-renamed"},
			apply: func(s *kmstest.Store) { s.CustomKeyStoreName = "xks-renamed" }},
		{name: "credential rotation CONNECTED", id: xksPublic, state: kmstest.StateConnected,
			setup: func(t *testing.T, srv *kmstest.Server) {
				require.NoError(t, srv.SetXksProxy(kmstest.XksProxy{UriEndpoint: endpointPublic, UriPath: pathV1,
					AccessKeyId: akidNew, RawSecretAccessKey: secretNew}))
			},
			body: m{"XksProxyAuthenticationCredential": cred(akidNew, secretNew)},
			apply: func(s *kmstest.Store) {
				s.XksProxyConfiguration.AccessKeyId, s.XksProxyConfiguration.RawSecretAccessKey = akidNew, secretNew
			}},
		{name: "credential rotation DISCONNECTED", id: xksVpc, state: kmstest.StateDisconnected,
			body: m{"XksProxyAuthenticationCredential": cred(akidNew, secretNew)},
			apply: func(s *kmstest.Store) {
				s.XksProxyConfiguration.AccessKeyId, s.XksProxyConfiguration.RawSecretAccessKey = akidNew, secretNew
			}},
		{name: "path CONNECTED", id: xksPublic, state: kmstest.StateConnected,
			setup: func(t *testing.T, srv *kmstest.Server) {
				require.NoError(t, srv.SetXksProxy(kmstest.XksProxy{UriEndpoint: endpointPublic, UriPath: pathPrefixed,
					AccessKeyId: akidOld, RawSecretAccessKey: secretOld}))
			},
			body:  m{"XksProxyUriPath": pathPrefixed},
			apply: func(s *kmstest.Store) { s.XksProxyConfiguration.UriPath = pathPrefixed }},
		{name: "path DISCONNECTED", id: xksVpc, state: kmstest.StateDisconnected,
			body:  m{"XksProxyUriPath": "/kms/xks/v2"},
			apply: func(s *kmstest.Store) { s.XksProxyConfiguration.UriPath = "/kms/xks/v2" }},
		{name: "endpoint PUBLIC", id: xksPublicDisc, state: kmstest.StateDisconnected,
			body:  m{"XksProxyUriEndpoint": "https://xks9.example.com"},
			apply: func(s *kmstest.Store) { s.XksProxyConfiguration.UriEndpoint = "https://xks9.example.com" }},
		{name: "endpoint VPC", id: xksVpc, state: kmstest.StateDisconnected,
			body:  m{"XksProxyUriEndpoint": "https://xks9.vpce.example.com"},
			apply: func(s *kmstest.Store) { s.XksProxyConfiguration.UriEndpoint = "https://xks9.vpce.example.com" }},
		{name: "VPC service name", id: xksVpc, state: kmstest.StateDisconnected,
			body:  m{"XksProxyVpcEndpointServiceName": svcFree},
			apply: func(s *kmstest.Store) { s.XksProxyConfiguration.VpcEndpointServiceName = svcFree }},
		{name: "VPC service name and owner", id: xksVpc, state: kmstest.StateDisconnected,
			body: m{"XksProxyVpcEndpointServiceName": svcOther, "XksProxyVpcEndpointServiceOwner": ownerElse},
			apply: func(s *kmstest.Store) {
				s.XksProxyConfiguration.VpcEndpointServiceName, s.XksProxyConfiguration.VpcEndpointServiceOwner = svcOther, ownerElse
			}},
		{name: "VPC service owner alone", id: xksVpc, state: kmstest.StateDisconnected,
			setup: func(t *testing.T, srv *kmstest.Server) {
				require.NoError(t, srv.SetVpcEndpointService(kmstest.VpcEndpointService{ServiceName: svcUsed}))
			},
			body:  m{"XksProxyVpcEndpointServiceOwner": ownerElse},
			apply: func(s *kmstest.Store) { s.XksProxyConfiguration.VpcEndpointServiceOwner = ownerElse }},
		{name: "switch to VPC", id: xksPublicDisc, state: kmstest.StateDisconnected,
			body: m{"XksProxyConnectivity": "VPC_ENDPOINT_SERVICE", "XksProxyUriEndpoint": "https://xks3.vpce.example.com",
				"XksProxyVpcEndpointServiceName": svcFree, "XksProxyVpcEndpointServiceOwner": ownerMain},
			apply: func(s *kmstest.Store) {
				x := &s.XksProxyConfiguration
				x.Connectivity, x.UriEndpoint = kmstest.ConnectivityVpcEndpointService, "https://xks3.vpce.example.com"
				x.VpcEndpointServiceName, x.VpcEndpointServiceOwner = svcFree, ownerMain
			}},
		{name: "switch to PUBLIC", id: xksVpc, state: kmstest.StateDisconnected,
			body: m{"XksProxyConnectivity": "PUBLIC_ENDPOINT", "XksProxyUriEndpoint": "https://xks2.example.com",
				"XksProxyVpcEndpointServiceName": ""},
			apply: func(s *kmstest.Store) {
				x := &s.XksProxyConfiguration
				x.Connectivity, x.UriEndpoint = kmstest.ConnectivityPublicEndpoint, "https://xks2.example.com"
				x.VpcEndpointServiceName, x.VpcEndpointServiceOwner = "", ""
			}},
		{name: "every external member at once", id: xksVpc, state: kmstest.StateDisconnected,
			body: m{"NewCustomKeyStoreName": "xks-renamed", "XksProxyAuthenticationCredential": cred(akidNew, secretNew),
				"XksProxyConnectivity": "VPC_ENDPOINT_SERVICE", "XksProxyUriEndpoint": "https://xks9.vpce.example.com",
				"XksProxyUriPath": pathPrefixed, "XksProxyVpcEndpointServiceName": svcFree, "XksProxyVpcEndpointServiceOwner": ownerMain},
			apply: func(s *kmstest.Store) {
				s.CustomKeyStoreName = "xks-renamed"
				s.XksProxyConfiguration = kmstest.XksProxyConfiguration{AccessKeyId: akidNew, RawSecretAccessKey: secretNew,
					Connectivity: kmstest.ConnectivityVpcEndpointService, UriEndpoint: "https://xks9.vpce.example.com",
					UriPath: pathPrefixed, VpcEndpointServiceName: svcFree, VpcEndpointServiceOwner: ownerMain}
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newWorld(t)
			require.NoError(t, srv.SetConnectionState(tt.id, tt.state))
			if tt.setup != nil {
				tt.setup(t, srv)
			}
			before := srv.Stores()

			requireOK(t, update(t, srv, withID(tt.id, tt.body)))

			for _, s := range before {
				if s.CustomKeyStoreId == tt.id {
					tt.apply(&s)
				}
				assert.Equal(t, s, store(t, srv, s.CustomKeyStoreId), "store %s", s.CustomKeyStoreId)
			}
			calls := srv.Calls()
			require.Len(t, calls, 1)
			assert.Empty(t, calls[0].Code)
			assert.Equal(t, 200, calls[0].Status)
		})
	}
}

// TestSequentialUpdates walks one store through a disconnect-update-connect
// cycle, as a user would.
func TestSequentialUpdates(t *testing.T) {
	srv := newWorld(t)
	requireCode(t, update(t, srv, m{"CustomKeyStoreId": hsmConnected, "KeyStorePassword": "new-password"}),
		kmstest.CodeCustomKeyStoreInvalidState)
	require.NoError(t, srv.SetConnectionState(hsmConnected, kmstest.StateDisconnected))
	requireOK(t, update(t, srv, m{"CustomKeyStoreId": hsmConnected, "KeyStorePassword": "new-password"}))
	require.NoError(t, srv.SetConnectionState(hsmConnected, kmstest.StateConnected))
	requireOK(t, update(t, srv, m{"CustomKeyStoreId": hsmConnected, "NewCustomKeyStoreName": "hsm-renamed"}))

	s := store(t, srv, hsmConnected)
	assert.Equal(t, "new-password", s.KeyStorePassword)
	assert.Equal(t, "hsm-renamed", s.CustomKeyStoreName)
	assert.Equal(t, kmstest.StateConnected, s.ConnectionState)

	// The old name is free again.
	requireOK(t, update(t, srv, m{"CustomKeyStoreId": hsmDisconnected, "NewCustomKeyStoreName": "hsm-one"}))
}
