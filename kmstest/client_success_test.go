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
		{name: "CloudHSM name CONNECTED", id: ktHsmOn, state: kmstest.StateConnected,
			in:    kms.UpdateCustomKeyStoreInput{NewCustomKeyStoreName: aws.String(newName)},
			apply: func(s *kmstest.Store) { s.CustomKeyStoreName = newName }},
		{name: "CloudHSM name DISCONNECTED", id: ktHsmOff, state: kmstest.StateDisconnected,
			in:    kms.UpdateCustomKeyStoreInput{NewCustomKeyStoreName: aws.String(newName)},
			apply: func(s *kmstest.Store) { s.CustomKeyStoreName = newName }},
		{name: "CloudHSM password DISCONNECTED", id: ktHsmOff, state: kmstest.StateDisconnected,
			in:    kms.UpdateCustomKeyStoreInput{KeyStorePassword: aws.String(ktNewPassword)},
			apply: func(s *kmstest.Store) { s.KeyStorePassword = ktNewPassword }},
		{name: "CloudHSM cluster DISCONNECTED", id: ktHsmOff, state: kmstest.StateDisconnected,
			in:    kms.UpdateCustomKeyStoreInput{CloudHsmClusterId: aws.String(ktClRelated)},
			apply: func(s *kmstest.Store) { s.CloudHsmClusterId = ktClRelated }},
		{name: "CloudHSM name, password and cluster DISCONNECTED", id: ktHsmOff, state: kmstest.StateDisconnected,
			in: kms.UpdateCustomKeyStoreInput{NewCustomKeyStoreName: aws.String(newName),
				KeyStorePassword: aws.String(ktNewPassword), CloudHsmClusterId: aws.String(ktClRelated)},
			apply: func(s *kmstest.Store) {
				s.CustomKeyStoreName, s.KeyStorePassword, s.CloudHsmClusterId = newName, ktNewPassword, ktClRelated
			}},
		{name: "CloudHSM own name CONNECTED", id: ktHsmOn, state: kmstest.StateConnected,
			in:    kms.UpdateCustomKeyStoreInput{NewCustomKeyStoreName: aws.String(ktHsmOnName)},
			apply: func(*kmstest.Store) {}},

		// External key stores, members allowed while CONNECTED.
		{name: "external name CONNECTED", id: ktXksOn, state: kmstest.StateConnected,
			in:    kms.UpdateCustomKeyStoreInput{NewCustomKeyStoreName: aws.String(newName)},
			apply: func(s *kmstest.Store) { s.CustomKeyStoreName = newName }},
		{name: "external name DISCONNECTED", id: ktXksOff, state: kmstest.StateDisconnected,
			in:    kms.UpdateCustomKeyStoreInput{NewCustomKeyStoreName: aws.String(newName)},
			apply: func(s *kmstest.Store) { s.CustomKeyStoreName = newName }},
		{name: "external credential CONNECTED", id: ktXksOn, state: kmstest.StateConnected,
			prep: func(t *testing.T, srv *kmstest.Server) {
				// The proxy now expects the new credential.
				require.NoError(t, srv.SetXksProxy(kmstest.XksProxy{UriEndpoint: ktEpOn, AccessKeyId: ktAKID2, RawSecretAccessKey: ktSecret2}))
			},
			in:    kms.UpdateCustomKeyStoreInput{XksProxyAuthenticationCredential: ktCred(ktAKID2, ktSecret2)},
			apply: func(s *kmstest.Store) { setCred(s, ktAKID2, ktSecret2) }},
		{name: "external credential DISCONNECTED", id: ktXksOff, state: kmstest.StateDisconnected,
			in:    kms.UpdateCustomKeyStoreInput{XksProxyAuthenticationCredential: ktCred(ktAKID2, ktSecret2)},
			apply: func(s *kmstest.Store) { setCred(s, ktAKID2, ktSecret2) }},
		{name: "external path CONNECTED", id: ktXksOn, state: kmstest.StateConnected,
			in:    kms.UpdateCustomKeyStoreInput{XksProxyUriPath: aws.String(ktPathPrefx)},
			apply: func(s *kmstest.Store) { s.XksProxyConfiguration.UriPath = ktPathPrefx }},
		{name: "external path DISCONNECTED", id: ktXksOff, state: kmstest.StateDisconnected,
			in:    kms.UpdateCustomKeyStoreInput{XksProxyUriPath: aws.String(ktPathPrefx)},
			apply: func(s *kmstest.Store) { s.XksProxyConfiguration.UriPath = ktPathPrefx }},
		{name: "external name, credential and path CONNECTED", id: ktXksOn, state: kmstest.StateConnected,
			prep: func(t *testing.T, srv *kmstest.Server) {
				require.NoError(t, srv.SetXksProxy(kmstest.XksProxy{UriEndpoint: ktEpOn, UriPath: ktPathPrefx,
					AccessKeyId: ktAKID2, RawSecretAccessKey: ktSecret2}))
			},
			in: kms.UpdateCustomKeyStoreInput{NewCustomKeyStoreName: aws.String(newName),
				XksProxyAuthenticationCredential: ktCred(ktAKID2, ktSecret2), XksProxyUriPath: aws.String(ktPathPrefx)},
			apply: func(s *kmstest.Store) {
				s.CustomKeyStoreName, s.XksProxyConfiguration.UriPath = newName, ktPathPrefx
				setCred(s, ktAKID2, ktSecret2)
			}},

		// External key stores, members that need DISCONNECTED.
		{name: "switch to VPC_ENDPOINT_SERVICE", id: ktXksOff, state: kmstest.StateDisconnected,
			in: kms.UpdateCustomKeyStoreInput{XksProxyConnectivity: kms.XksProxyConnectivityTypeVpcEndpointService,
				XksProxyUriEndpoint: aws.String(newVpc), XksProxyVpcEndpointServiceName: aws.String(ktSvcFree),
				XksProxyVpcEndpointServiceOwner: aws.String(ktOwner)},
			apply: func(s *kmstest.Store) {
				x := &s.XksProxyConfiguration
				x.Connectivity, x.UriEndpoint, x.VpcEndpointServiceName, x.VpcEndpointServiceOwner =
					kmstest.ConnectivityVpcEndpointService, newVpc, ktSvcFree, ktOwner
			}},
		{name: "switch to VPC_ENDPOINT_SERVICE without owner", id: ktXksOff, state: kmstest.StateDisconnected,
			in: kms.UpdateCustomKeyStoreInput{XksProxyConnectivity: kms.XksProxyConnectivityTypeVpcEndpointService,
				XksProxyUriEndpoint: aws.String(newVpc), XksProxyVpcEndpointServiceName: aws.String(ktSvcFree)},
			apply: func(s *kmstest.Store) {
				x := &s.XksProxyConfiguration
				x.Connectivity, x.UriEndpoint, x.VpcEndpointServiceName = kmstest.ConnectivityVpcEndpointService, newVpc, ktSvcFree
			}},
		{name: `switch to PUBLIC_ENDPOINT with "" service name`, id: ktXksVpc, state: kmstest.StateDisconnected,
			in: kms.UpdateCustomKeyStoreInput{XksProxyConnectivity: kms.XksProxyConnectivityTypePublicEndpoint,
				XksProxyUriEndpoint: aws.String(newEp), XksProxyVpcEndpointServiceName: aws.String("")},
			apply: func(s *kmstest.Store) {
				// The owner is cleared too: a public store has no VPC
				// endpoint service (documented in kmstest).
				x := &s.XksProxyConfiguration
				x.Connectivity, x.UriEndpoint, x.VpcEndpointServiceName, x.VpcEndpointServiceOwner =
					kmstest.ConnectivityPublicEndpoint, newEp, "", ""
			}},
		{name: "switch to PUBLIC_ENDPOINT without service name", id: ktXksVpc, state: kmstest.StateDisconnected,
			in: kms.UpdateCustomKeyStoreInput{XksProxyConnectivity: kms.XksProxyConnectivityTypePublicEndpoint,
				XksProxyUriEndpoint: aws.String(newEp)},
			apply: func(s *kmstest.Store) {
				x := &s.XksProxyConfiguration
				x.Connectivity, x.UriEndpoint, x.VpcEndpointServiceName, x.VpcEndpointServiceOwner =
					kmstest.ConnectivityPublicEndpoint, newEp, "", ""
			}},
		{name: "PUBLIC endpoint DISCONNECTED", id: ktXksOff, state: kmstest.StateDisconnected,
			in:    kms.UpdateCustomKeyStoreInput{XksProxyUriEndpoint: aws.String(newEp)},
			apply: func(s *kmstest.Store) { s.XksProxyConfiguration.UriEndpoint = newEp }},
		{name: "VPC endpoint DISCONNECTED", id: ktXksVpc, state: kmstest.StateDisconnected,
			in:    kms.UpdateCustomKeyStoreInput{XksProxyUriEndpoint: aws.String(newVpc)},
			apply: func(s *kmstest.Store) { s.XksProxyConfiguration.UriEndpoint = newVpc }},
		{name: "service name DISCONNECTED", id: ktXksVpc2, state: kmstest.StateDisconnected,
			in:    kms.UpdateCustomKeyStoreInput{XksProxyVpcEndpointServiceName: aws.String(ktSvcFree)},
			apply: func(s *kmstest.Store) { s.XksProxyConfiguration.VpcEndpointServiceName = ktSvcFree }},
		{name: "owner DISCONNECTED", id: ktXksVpc2, state: kmstest.StateDisconnected,
			in:    kms.UpdateCustomKeyStoreInput{XksProxyVpcEndpointServiceOwner: aws.String(ktOtherOwner)},
			apply: func(s *kmstest.Store) { s.XksProxyConfiguration.VpcEndpointServiceOwner = ktOtherOwner }},
		{name: "service name and owner DISCONNECTED", id: ktXksVpc, state: kmstest.StateDisconnected,
			prep: func(t *testing.T, srv *kmstest.Server) {
				require.NoError(t, srv.SetVpcEndpointService(kmstest.VpcEndpointService{ServiceName: ktSvcMissing, Owner: ktOtherOwner}))
			},
			in: kms.UpdateCustomKeyStoreInput{XksProxyVpcEndpointServiceName: aws.String(ktSvcMissing),
				XksProxyVpcEndpointServiceOwner: aws.String(ktOtherOwner)},
			apply: func(s *kmstest.Store) {
				s.XksProxyConfiguration.VpcEndpointServiceName, s.XksProxyConfiguration.VpcEndpointServiceOwner = ktSvcMissing, ktOtherOwner
			}},
		{name: "only the ID changes nothing", id: ktXksOn, state: kmstest.StateConnected,
			in:    kms.UpdateCustomKeyStoreInput{},
			apply: func(*kmstest.Store) {}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv := ktWorld(t)
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
			out, err := ktClient(srv, nil).UpdateCustomKeyStore(context.Background(), &in)
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
	srv := ktWorld(t)
	client := ktClient(srv, nil)
	in := &kms.UpdateCustomKeyStoreInput{CustomKeyStoreId: aws.String(ktHsmOn), KeyStorePassword: aws.String(ktNewPassword)}
	require.True(t, in.RequiresDisconnect())

	_, err := client.UpdateCustomKeyStore(context.Background(), in)
	require.ErrorIs(t, err, kms.ErrCustomKeyStoreInvalidState)
	st, _ := srv.Store(ktHsmOn)
	assert.Equal(t, ktPassword, st.KeyStorePassword)

	require.NoError(t, srv.SetConnectionState(ktHsmOn, kmstest.StateDisconnected))
	_, err = client.UpdateCustomKeyStore(context.Background(), in)
	require.NoError(t, err)
	require.NoError(t, srv.SetConnectionState(ktHsmOn, kmstest.StateConnected))

	st, _ = srv.Store(ktHsmOn)
	assert.Equal(t, ktNewPassword, st.KeyStorePassword)
	assert.Equal(t, kmstest.StateConnected, st.ConnectionState)
}
