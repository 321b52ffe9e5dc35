package kmstest_test

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kmskit/kms"
	"github.com/kmskit/kms/kmstest"
)

// TestKmstestSuccessEveryMutableMember changes every mutable member, through
// our client, in every connection state that allows it, and checks that the
// fake holds exactly the values sent and that no other store changed.
func TestKmstestSuccessEveryMutableMember(t *testing.T) {
	const (
		newName = "renamed-store"
		newEp   = "https://xks-moved.example.com"
		newVpc  = "https://vpce-moved.example.com"
	)
	setCred := func(s *kmstest.Store, akid, secret string) {
		s.XksProxyConfiguration.AccessKeyId, s.XksProxyConfiguration.RawSecretAccessKey = akid, secret
	}
	tests := []struct {
		name  string
		id    string
		state kmstest.ConnectionState // the state the store must be in
		prep  func(t *testing.T, srv *kmstest.Server)
		in    kms.UpdateCustomKeyStoreInput
		apply func(s *kmstest.Store)
	}{
		// CloudHSM key stores.
		{name: "CloudHSM name CONNECTED", id: scenarioHsmConnected, state: kmstest.StateConnected,
			in:    kms.UpdateCustomKeyStoreInput{NewCustomKeyStoreName: aws.String(newName)},
			apply: func(s *kmstest.Store) { s.CustomKeyStoreName = newName }},
		{name: "CloudHSM name DISCONNECTED", id: scenarioHsmDisconnected, state: kmstest.StateDisconnected,
			in:    kms.UpdateCustomKeyStoreInput{NewCustomKeyStoreName: aws.String(newName)},
			apply: func(s *kmstest.Store) { s.CustomKeyStoreName = newName }},
		{name: "CloudHSM password DISCONNECTED", id: scenarioHsmDisconnected, state: kmstest.StateDisconnected,
			in:    kms.UpdateCustomKeyStoreInput{KeyStorePassword: aws.String(scenarioRotatedPassword)},
			apply: func(s *kmstest.Store) { s.KeyStorePassword = scenarioRotatedPassword }},
		{name: "CloudHSM cluster DISCONNECTED", id: scenarioHsmDisconnected, state: kmstest.StateDisconnected,
			in:    kms.UpdateCustomKeyStoreInput{CloudHsmClusterId: aws.String(scenarioClusterRelated)},
			apply: func(s *kmstest.Store) { s.CloudHsmClusterId = scenarioClusterRelated }},
		{name: "CloudHSM name, password and cluster DISCONNECTED", id: scenarioHsmDisconnected, state: kmstest.StateDisconnected,
			in: kms.UpdateCustomKeyStoreInput{NewCustomKeyStoreName: aws.String(newName),
				KeyStorePassword: aws.String(scenarioRotatedPassword), CloudHsmClusterId: aws.String(scenarioClusterRelated)},
			apply: func(s *kmstest.Store) {
				s.CustomKeyStoreName, s.KeyStorePassword, s.CloudHsmClusterId = newName, scenarioRotatedPassword, scenarioClusterRelated
			}},
		{name: "CloudHSM own name CONNECTED", id: scenarioHsmConnected, state: kmstest.StateConnected,
			in:    kms.UpdateCustomKeyStoreInput{NewCustomKeyStoreName: aws.String(scenarioHsmConnectedName)},
			apply: func(*kmstest.Store) {}},

		// External key stores, members allowed while CONNECTED.
		{name: "external name CONNECTED", id: scenarioXksConnected, state: kmstest.StateConnected,
			in:    kms.UpdateCustomKeyStoreInput{NewCustomKeyStoreName: aws.String(newName)},
			apply: func(s *kmstest.Store) { s.CustomKeyStoreName = newName }},
		{name: "external name DISCONNECTED", id: scenarioXksDisconnected, state: kmstest.StateDisconnected,
			in:    kms.UpdateCustomKeyStoreInput{NewCustomKeyStoreName: aws.String(newName)},
			apply: func(s *kmstest.Store) { s.CustomKeyStoreName = newName }},
		{name: "external credential CONNECTED", id: scenarioXksConnected, state: kmstest.StateConnected,
			prep: func(t *testing.T, srv *kmstest.Server) {
				// The proxy now expects the new credential.
				require.NoError(t, srv.SetXksProxy(kmstest.XksProxy{UriEndpoint: scenarioEndpointConnected, AccessKeyId: scenarioAccessKeyID2, RawSecretAccessKey: scenarioSecret2}))
			},
			in:    kms.UpdateCustomKeyStoreInput{XksProxyAuthenticationCredential: scenarioCredential(scenarioAccessKeyID2, scenarioSecret2)},
			apply: func(s *kmstest.Store) { setCred(s, scenarioAccessKeyID2, scenarioSecret2) }},
		{name: "external credential DISCONNECTED", id: scenarioXksDisconnected, state: kmstest.StateDisconnected,
			in:    kms.UpdateCustomKeyStoreInput{XksProxyAuthenticationCredential: scenarioCredential(scenarioAccessKeyID2, scenarioSecret2)},
			apply: func(s *kmstest.Store) { setCred(s, scenarioAccessKeyID2, scenarioSecret2) }},
		{name: "external path CONNECTED", id: scenarioXksConnected, state: kmstest.StateConnected,
			in:    kms.UpdateCustomKeyStoreInput{XksProxyUriPath: aws.String(scenarioPathWithPrefix)},
			apply: func(s *kmstest.Store) { s.XksProxyConfiguration.UriPath = scenarioPathWithPrefix }},
		{name: "external path DISCONNECTED", id: scenarioXksDisconnected, state: kmstest.StateDisconnected,
			in:    kms.UpdateCustomKeyStoreInput{XksProxyUriPath: aws.String(scenarioPathWithPrefix)},
			apply: func(s *kmstest.Store) { s.XksProxyConfiguration.UriPath = scenarioPathWithPrefix }},
		{name: "external name, credential and path CONNECTED", id: scenarioXksConnected, state: kmstest.StateConnected,
			prep: func(t *testing.T, srv *kmstest.Server) {
				require.NoError(t, srv.SetXksProxy(kmstest.XksProxy{UriEndpoint: scenarioEndpointConnected, UriPath: scenarioPathWithPrefix,
					AccessKeyId: scenarioAccessKeyID2, RawSecretAccessKey: scenarioSecret2}))
			},
			in: kms.UpdateCustomKeyStoreInput{NewCustomKeyStoreName: aws.String(newName),
				XksProxyAuthenticationCredential: scenarioCredential(scenarioAccessKeyID2, scenarioSecret2), XksProxyUriPath: aws.String(scenarioPathWithPrefix)},
			apply: func(s *kmstest.Store) {
				s.CustomKeyStoreName, s.XksProxyConfiguration.UriPath = newName, scenarioPathWithPrefix
				setCred(s, scenarioAccessKeyID2, scenarioSecret2)
			}},

		// External key stores, members that need DISCONNECTED.
		{name: "switch to VPC_ENDPOINT_SERVICE", id: scenarioXksDisconnected, state: kmstest.StateDisconnected,
			in: kms.UpdateCustomKeyStoreInput{XksProxyConnectivity: kms.XksProxyConnectivityTypeVpcEndpointService,
				XksProxyUriEndpoint: aws.String(newVpc), XksProxyVpcEndpointServiceName: aws.String(scenarioServiceFree),
				XksProxyVpcEndpointServiceOwner: aws.String(scenarioServiceOwner)},
			apply: func(s *kmstest.Store) {
				x := &s.XksProxyConfiguration
				x.Connectivity, x.UriEndpoint, x.VpcEndpointServiceName, x.VpcEndpointServiceOwner =
					kmstest.ConnectivityVpcEndpointService, newVpc, scenarioServiceFree, scenarioServiceOwner
			}},
		{name: "switch to VPC_ENDPOINT_SERVICE without owner", id: scenarioXksDisconnected, state: kmstest.StateDisconnected,
			in: kms.UpdateCustomKeyStoreInput{XksProxyConnectivity: kms.XksProxyConnectivityTypeVpcEndpointService,
				XksProxyUriEndpoint: aws.String(newVpc), XksProxyVpcEndpointServiceName: aws.String(scenarioServiceFree)},
			apply: func(s *kmstest.Store) {
				x := &s.XksProxyConfiguration
				x.Connectivity, x.UriEndpoint, x.VpcEndpointServiceName = kmstest.ConnectivityVpcEndpointService, newVpc, scenarioServiceFree
			}},
		{name: `switch to PUBLIC_ENDPOINT with "" service name`, id: scenarioXksVpc, state: kmstest.StateDisconnected,
			in: kms.UpdateCustomKeyStoreInput{XksProxyConnectivity: kms.XksProxyConnectivityTypePublicEndpoint,
				XksProxyUriEndpoint: aws.String(newEp), XksProxyVpcEndpointServiceName: aws.String("")},
			apply: func(s *kmstest.Store) {
				// The owner is cleared too: a public store has no VPC
				// endpoint service (documented in kmstest).
				x := &s.XksProxyConfiguration
				x.Connectivity, x.UriEndpoint, x.VpcEndpointServiceName, x.VpcEndpointServiceOwner =
					kmstest.ConnectivityPublicEndpoint, newEp, "", ""
			}},
		{name: "switch to PUBLIC_ENDPOINT without service name", id: scenarioXksVpc, state: kmstest.StateDisconnected,
			in: kms.UpdateCustomKeyStoreInput{XksProxyConnectivity: kms.XksProxyConnectivityTypePublicEndpoint,
				XksProxyUriEndpoint: aws.String(newEp)},
			apply: func(s *kmstest.Store) {
				x := &s.XksProxyConfiguration
				x.Connectivity, x.UriEndpoint, x.VpcEndpointServiceName, x.VpcEndpointServiceOwner =
					kmstest.ConnectivityPublicEndpoint, newEp, "", ""
			}},
		{name: "PUBLIC endpoint DISCONNECTED", id: scenarioXksDisconnected, state: kmstest.StateDisconnected,
			in:    kms.UpdateCustomKeyStoreInput{XksProxyUriEndpoint: aws.String(newEp)},
			apply: func(s *kmstest.Store) { s.XksProxyConfiguration.UriEndpoint = newEp }},
		{name: "VPC endpoint DISCONNECTED", id: scenarioXksVpc, state: kmstest.StateDisconnected,
			in:    kms.UpdateCustomKeyStoreInput{XksProxyUriEndpoint: aws.String(newVpc)},
			apply: func(s *kmstest.Store) { s.XksProxyConfiguration.UriEndpoint = newVpc }},
		{name: "service name DISCONNECTED", id: scenarioXksVpc2, state: kmstest.StateDisconnected,
			in:    kms.UpdateCustomKeyStoreInput{XksProxyVpcEndpointServiceName: aws.String(scenarioServiceFree)},
			apply: func(s *kmstest.Store) { s.XksProxyConfiguration.VpcEndpointServiceName = scenarioServiceFree }},
		{name: "owner DISCONNECTED", id: scenarioXksVpc2, state: kmstest.StateDisconnected,
			in:    kms.UpdateCustomKeyStoreInput{XksProxyVpcEndpointServiceOwner: aws.String(scenarioOtherServiceOwner)},
			apply: func(s *kmstest.Store) { s.XksProxyConfiguration.VpcEndpointServiceOwner = scenarioOtherServiceOwner }},
		{name: "service name and owner DISCONNECTED", id: scenarioXksVpc, state: kmstest.StateDisconnected,
			prep: func(t *testing.T, srv *kmstest.Server) {
				require.NoError(t, srv.SetVpcEndpointService(kmstest.VpcEndpointService{ServiceName: scenarioServiceMissing, Owner: scenarioOtherServiceOwner}))
			},
			in: kms.UpdateCustomKeyStoreInput{XksProxyVpcEndpointServiceName: aws.String(scenarioServiceMissing),
				XksProxyVpcEndpointServiceOwner: aws.String(scenarioOtherServiceOwner)},
			apply: func(s *kmstest.Store) {
				s.XksProxyConfiguration.VpcEndpointServiceName, s.XksProxyConfiguration.VpcEndpointServiceOwner = scenarioServiceMissing, scenarioOtherServiceOwner
			}},
		{name: "only the ID changes nothing", id: scenarioXksConnected, state: kmstest.StateConnected,
			in:    kms.UpdateCustomKeyStoreInput{},
			apply: func(*kmstest.Store) {}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv := newWorld(t)
			if tc.prep != nil {
				tc.prep(t, srv)
			}
			before := srv.Stores()
			want, ok := srv.Store(tc.id)
			require.True(t, ok)
			require.Equal(t, tc.state, want.ConnectionState, "fixture")
			tc.apply(&want)

			in := tc.in
			in.CustomKeyStoreId = aws.String(tc.id)
			out, err := scenarioClient(srv, nil).UpdateCustomKeyStore(context.Background(), &in)
			require.NoError(t, err)
			require.NotNil(t, out)
			calls := srv.Calls()
			require.Len(t, calls, 1)
			assert.Equal(t, calls[0].RequestID, out.RequestID)
			assert.Equal(t, 200, calls[0].Status)

			got, ok := srv.Store(tc.id)
			require.True(t, ok)
			assert.Equal(t, want, got, "the store holds exactly the members sent")
			for _, s := range before {
				if s.CustomKeyStoreId == tc.id {
					continue
				}
				now, ok := srv.Store(s.CustomKeyStoreId)
				require.True(t, ok)
				assert.Equal(t, s, now, "store %s is untouched", s.CustomKeyStoreId)
			}
			assert.Len(t, srv.Stores(), len(before))
		})
	}
}

// TestKmstestSuccessDisconnectThenUpdate replays the documented sequence:
// the password change fails on the CONNECTED store, succeeds once the store
// is disconnected, and the store connects again afterwards.
func TestKmstestSuccessDisconnectThenUpdate(t *testing.T) {
	srv := newWorld(t)
	client := scenarioClient(srv, nil)
	in := &kms.UpdateCustomKeyStoreInput{CustomKeyStoreId: aws.String(scenarioHsmConnected), KeyStorePassword: aws.String(scenarioRotatedPassword)}
	require.True(t, in.RequiresDisconnect())

	_, err := client.UpdateCustomKeyStore(context.Background(), in)
	require.ErrorIs(t, err, kms.ErrCustomKeyStoreInvalidState)
	st, _ := srv.Store(scenarioHsmConnected)
	assert.Equal(t, scenarioInitialPassword, st.KeyStorePassword)

	require.NoError(t, srv.SetConnectionState(scenarioHsmConnected, kmstest.StateDisconnected))
	_, err = client.UpdateCustomKeyStore(context.Background(), in)
	require.NoError(t, err)
	require.NoError(t, srv.SetConnectionState(scenarioHsmConnected, kmstest.StateConnected))

	st, _ = srv.Store(scenarioHsmConnected)
	assert.Equal(t, scenarioRotatedPassword, st.KeyStorePassword)
	assert.Equal(t, kmstest.StateConnected, st.ConnectionState)
}
