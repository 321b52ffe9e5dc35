package kmstest_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kmskit/kms/kmstest"
)

// TestConnectTransitions: Connect moves DISCONNECTED to CONNECTING and,
// exactly when the transition delay has passed on the fake's clock, to
// CONNECTED; Disconnect moves through DISCONNECTING to DISCONNECTED.
func TestConnectTransitions(t *testing.T) {
	for _, id := range []string{hsmDisconnected, xksPublicDisc} {
		t.Run(id, func(t *testing.T) {
			srv, clk := newClockedWorld(t)
			if id == xksPublicDisc {
				require.NoError(t, srv.SetXksProxy(kmstest.XksProxy{UriEndpoint: endpointPublicDisc, UriPath: pathV1,
					AccessKeyId: akidOld, RawSecretAccessKey: secretOld}))
			}
			requireOK(t, connect(t, srv, id))
			requireState(t, srv, id, kmstest.StateConnecting, "")
			clk.Advance(delay - time.Nanosecond)
			requireState(t, srv, id, kmstest.StateConnecting, "")
			clk.Advance(time.Nanosecond)
			requireState(t, srv, id, kmstest.StateConnected, "")

			requireOK(t, disconnect(t, srv, id))
			requireState(t, srv, id, kmstest.StateDisconnecting, "")
			clk.Advance(delay - time.Nanosecond)
			requireState(t, srv, id, kmstest.StateDisconnecting, "")
			clk.Advance(time.Nanosecond)
			requireState(t, srv, id, kmstest.StateDisconnected, "")
		})
	}
}

// TestConnectStateRules: Connect is a no-op success while CONNECTED or
// CONNECTING and CustomKeyStoreInvalidStateException while DISCONNECTING or
// FAILED; Disconnect is valid in CONNECTED, CONNECTING and FAILED and
// CustomKeyStoreInvalidStateException in DISCONNECTED and DISCONNECTING.
func TestConnectStateRules(t *testing.T) {
	states := []kmstest.ConnectionState{kmstest.StateConnected, kmstest.StateConnecting, kmstest.StateDisconnected,
		kmstest.StateDisconnecting, kmstest.StateFailed}
	connectOK := map[kmstest.ConnectionState]bool{kmstest.StateConnected: true, kmstest.StateConnecting: true, kmstest.StateDisconnected: true}
	disconnectOK := map[kmstest.ConnectionState]bool{kmstest.StateConnected: true, kmstest.StateConnecting: true, kmstest.StateFailed: true}
	for _, cs := range states {
		t.Run("connect "+string(cs), func(t *testing.T) {
			srv, _ := newClockedWorld(t)
			require.NoError(t, srv.SetConnectionState(hsmDisconnected, cs))
			r := connect(t, srv, hsmDisconnected)
			if !connectOK[cs] {
				requireCode(t, r, kmstest.CodeCustomKeyStoreInvalidState)
				assert.Contains(t, r.Message, string(cs))
				assert.Equal(t, cs, store(t, srv, hsmDisconnected).ConnectionState, "a refused connect changes nothing")
				return
			}
			requireOK(t, r)
			want := cs
			if cs == kmstest.StateDisconnected {
				want = kmstest.StateConnecting
			}
			assert.Equal(t, want, store(t, srv, hsmDisconnected).ConnectionState)
		})
		t.Run("disconnect "+string(cs), func(t *testing.T) {
			srv, _ := newClockedWorld(t)
			require.NoError(t, srv.SetConnectionState(hsmDisconnected, cs))
			r := disconnect(t, srv, hsmDisconnected)
			if !disconnectOK[cs] {
				requireCode(t, r, kmstest.CodeCustomKeyStoreInvalidState)
				assert.Equal(t, cs, store(t, srv, hsmDisconnected).ConnectionState)
				return
			}
			requireOK(t, r)
			assert.Equal(t, kmstest.StateDisconnecting, store(t, srv, hsmDisconnected).ConnectionState)
		})
	}
}

// TestConnectingNoOpKeepsSchedule: a second Connect while CONNECTING does
// not restart the transition.
func TestConnectingNoOpKeepsSchedule(t *testing.T) {
	srv, clk := newClockedWorld(t)
	requireOK(t, connect(t, srv, hsmDisconnected))
	clk.Advance(delay / 2)
	requireOK(t, connect(t, srv, hsmDisconnected))
	clk.Advance(delay / 2)
	requireState(t, srv, hsmDisconnected, kmstest.StateConnected, "")
}

// TestDisconnectWhileConnecting: Disconnect during CONNECTING wins; the
// store never becomes CONNECTED.
func TestDisconnectWhileConnecting(t *testing.T) {
	srv, clk := newClockedWorld(t)
	requireOK(t, connect(t, srv, hsmDisconnected))
	clk.Advance(delay / 2)
	requireOK(t, disconnect(t, srv, hsmDisconnected))
	requireState(t, srv, hsmDisconnected, kmstest.StateDisconnecting, "")
	clk.Advance(delay / 2)
	requireState(t, srv, hsmDisconnected, kmstest.StateDisconnecting, "")
	clk.Advance(delay / 2)
	requireState(t, srv, hsmDisconnected, kmstest.StateDisconnected, "")
}

// TestFailedRecovery: a FAILED store must be disconnected before it can
// connect again, and Disconnect clears its ConnectionErrorCode.
func TestFailedRecovery(t *testing.T) {
	srv, clk := newClockedWorld(t)
	require.NoError(t, srv.SetCluster(kmstest.Cluster{ClusterId: clusterOrigin, BackupLineage: "lineage-1", KmsuserPassword: "the-real-one"}))
	requireOK(t, connect(t, srv, hsmDisconnected))
	clk.Advance(delay)
	requireState(t, srv, hsmDisconnected, kmstest.StateFailed, "INVALID_CREDENTIALS")
	requireCode(t, connect(t, srv, hsmDisconnected), kmstest.CodeCustomKeyStoreInvalidState)

	requireOK(t, disconnect(t, srv, hsmDisconnected))
	requireState(t, srv, hsmDisconnected, kmstest.StateDisconnecting, "")
	clk.Advance(delay)
	requireState(t, srv, hsmDisconnected, kmstest.StateDisconnected, "")

	requireOK(t, update(t, srv, m{"CustomKeyStoreId": hsmDisconnected, "KeyStorePassword": "the-real-one"}))
	requireOK(t, connect(t, srv, hsmDisconnected))
	clk.Advance(delay)
	requireState(t, srv, hsmDisconnected, kmstest.StateConnected, "")
}

// TestWrongPasswordWhileDisconnected is the scenario: change the
// password while disconnected to a wrong value, connect: FAILED with
// INVALID_CREDENTIALS, as in KMS.
func TestWrongPasswordWhileDisconnected(t *testing.T) {
	srv, clk := newClockedWorld(t)
	require.NoError(t, srv.SetCluster(kmstest.Cluster{ClusterId: clusterOrigin, BackupLineage: "lineage-1", KmsuserPassword: "kmsuser-pass-2"}))
	requireOK(t, connect(t, srv, hsmDisconnected))
	clk.Advance(delay)
	requireState(t, srv, hsmDisconnected, kmstest.StateConnected, "")
	requireOK(t, disconnect(t, srv, hsmDisconnected))
	clk.Advance(delay)

	requireOK(t, update(t, srv, m{"CustomKeyStoreId": hsmDisconnected, "KeyStorePassword": "not-the-password"}))
	requireOK(t, connect(t, srv, hsmDisconnected))
	requireState(t, srv, hsmDisconnected, kmstest.StateConnecting, "")
	clk.Advance(delay)
	requireState(t, srv, hsmDisconnected, kmstest.StateFailed, "INVALID_CREDENTIALS")
}

// TestCloudHSMConnectOutcomes: a CloudHSM store connects only to a seeded
// ACTIVE cluster with an HSM whose usable kmsuser has the store's password;
// otherwise it ends FAILED with the code KMS gives, or Connect fails at once.
func TestCloudHSMConnectOutcomes(t *testing.T) {
	base := kmstest.Cluster{ClusterId: clusterOrigin, BackupLineage: "lineage-1"}
	with := func(f func(*kmstest.Cluster)) *kmstest.Cluster { c := base; f(&c); return &c }
	tests := []struct {
		name    string
		cluster *kmstest.Cluster // nil: the cluster is not seeded
		code    string           // FAILED with this code ("" = CONNECTED)
		exc     string           // or this exception at once
	}{
		{name: "healthy default", cluster: &base},
		{name: "password matches", cluster: with(func(c *kmstest.Cluster) { c.KmsuserPassword = "kmsuser-pass-2" })},
		{name: "one HSM is enough", cluster: with(func(c *kmstest.Cluster) { c.HsmCount = intp(1) })},
		{name: "cluster not seeded", code: "CLUSTER_NOT_FOUND"},
		{name: "no HSM", cluster: with(func(c *kmstest.Cluster) { c.HsmCount = intp(0) }), code: "INSUFFICIENT_CLOUDHSM_HSMS"},
		{name: "wrong password", cluster: with(func(c *kmstest.Cluster) { c.KmsuserPassword = "other-password" }), code: "INVALID_CREDENTIALS"},
		{name: "user locked out", cluster: with(func(c *kmstest.Cluster) { c.KmsuserState = kmstest.KmsuserLockedOut }), code: "USER_LOCKED_OUT"},
		{name: "user logged in", cluster: with(func(c *kmstest.Cluster) { c.KmsuserState = kmstest.KmsuserLoggedIn }), code: "USER_LOGGED_IN"},
		{name: "user not found", cluster: with(func(c *kmstest.Cluster) { c.KmsuserState = kmstest.KmsuserNotFound }), code: "USER_NOT_FOUND"},
		{name: "subnet deleted", cluster: with(func(c *kmstest.Cluster) { c.ConnectionErrorCode = "SUBNET_NOT_FOUND" }), code: "SUBNET_NOT_FOUND"},
		{name: "no free address", cluster: with(func(c *kmstest.Cluster) { c.ConnectionErrorCode = "INSUFFICIENT_FREE_ADDRESSES_IN_SUBNET" }),
			code: "INSUFFICIENT_FREE_ADDRESSES_IN_SUBNET"},
		{name: "network", cluster: with(func(c *kmstest.Cluster) { c.ConnectionErrorCode = "NETWORK_ERRORS" }), code: "NETWORK_ERRORS"},
		{name: "not active", cluster: with(func(c *kmstest.Cluster) { c.State = "UNINITIALIZED" }), exc: kmstest.CodeCloudHsmClusterNotActive},
		{name: "invalid configuration", cluster: with(func(c *kmstest.Cluster) { c.InvalidConfiguration = true }),
			exc: kmstest.CodeCloudHsmClusterInvalidConfiguration},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			seed := worldSeed()
			seed.Clusters = nil
			if tt.cluster != nil {
				seed.Clusters = []kmstest.Cluster{*tt.cluster}
			}
			clk := kmstest.NewManualClock(t0)
			srv := kmstest.NewServer(kmstest.WithClock(clk.Now), kmstest.WithTransitionDelay(delay))
			t.Cleanup(srv.Close)
			require.NoError(t, srv.Load(seed))

			r := connect(t, srv, hsmDisconnected)
			if tt.exc != "" {
				requireCode(t, r, tt.exc)
				requireState(t, srv, hsmDisconnected, kmstest.StateDisconnected, "")
				return
			}
			requireOK(t, r)
			requireState(t, srv, hsmDisconnected, kmstest.StateConnecting, "")
			clk.Advance(delay)
			if tt.code == "" {
				requireState(t, srv, hsmDisconnected, kmstest.StateConnected, "")
			} else {
				requireState(t, srv, hsmDisconnected, kmstest.StateFailed, tt.code)
			}
		})
	}
}

// TestExternalConnectOutcomes: an external store connects only when its
// seeded proxy is reachable at endpoint and path with the store's
// credential (and, for VPC connectivity, its endpoint service is found and
// configured right); otherwise it ends FAILED with the fitting code.
func TestExternalConnectOutcomes(t *testing.T) {
	good := kmstest.XksProxy{UriEndpoint: endpointPublicDisc, UriPath: pathV1, AccessKeyId: akidOld, RawSecretAccessKey: secretOld}
	with := func(f func(*kmstest.XksProxy)) *kmstest.XksProxy { p := good; f(&p); return &p }
	tests := []struct {
		name  string
		id    string
		proxy *kmstest.XksProxy // nil: none at the endpoint
		svc   *kmstest.VpcEndpointService
		code  string
	}{
		{name: "reachable", id: xksPublicDisc, proxy: &good},
		{name: "any path, any credential", id: xksPublicDisc, proxy: &kmstest.XksProxy{UriEndpoint: endpointPublicDisc}},
		{name: "no proxy", id: xksPublicDisc, code: "XKS_PROXY_NOT_REACHABLE"},
		{name: "unreachable", id: xksPublicDisc, proxy: with(func(p *kmstest.XksProxy) { p.Unreachable = true }), code: "XKS_PROXY_NOT_REACHABLE"},
		{name: "other path", id: xksPublicDisc, proxy: with(func(p *kmstest.XksProxy) { p.UriPath = pathPrefixed }), code: "XKS_PROXY_INVALID_CONFIGURATION"},
		{name: "other secret", id: xksPublicDisc, proxy: with(func(p *kmstest.XksProxy) { p.RawSecretAccessKey = secretNew }), code: "INVALID_CREDENTIALS"},
		{name: "other key id", id: xksPublicDisc, proxy: with(func(p *kmstest.XksProxy) { p.AccessKeyId = akidNew }), code: "INVALID_CREDENTIALS"},
		{name: "bad answer", id: xksPublicDisc, proxy: with(func(p *kmstest.XksProxy) { p.InvalidResponse = true }), code: "XKS_PROXY_INVALID_RESPONSE"},
		{name: "timed out", id: xksPublicDisc, proxy: with(func(p *kmstest.XksProxy) { p.ConnectionErrorCode = "XKS_PROXY_TIMED_OUT" }), code: "XKS_PROXY_TIMED_OUT"},
		{name: "vpc reachable", id: xksVpc, proxy: with(func(p *kmstest.XksProxy) { p.UriEndpoint = endpointVpc })},
		{name: "vpc service gone", id: xksVpc, proxy: with(func(p *kmstest.XksProxy) { p.UriEndpoint = endpointVpc }),
			svc: &kmstest.VpcEndpointService{ServiceName: svcUsed, Owner: ownerElse}, code: "XKS_VPC_ENDPOINT_SERVICE_NOT_FOUND"},
		{name: "vpc service misconfigured", id: xksVpc, proxy: with(func(p *kmstest.XksProxy) { p.UriEndpoint = endpointVpc }),
			svc:  &kmstest.VpcEndpointService{ServiceName: svcUsed, Owner: ownerMain, InvalidConfiguration: true},
			code: "XKS_VPC_ENDPOINT_SERVICE_INVALID_CONFIGURATION"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, clk := newClockedWorld(t)
			if tt.proxy != nil {
				require.NoError(t, srv.SetXksProxy(*tt.proxy))
			}
			if tt.svc != nil {
				require.NoError(t, srv.SetVpcEndpointService(*tt.svc))
			}
			requireOK(t, connect(t, srv, tt.id))
			requireState(t, srv, tt.id, kmstest.StateConnecting, "")
			clk.Advance(delay)
			if tt.code == "" {
				requireState(t, srv, tt.id, kmstest.StateConnected, "")
			} else {
				requireState(t, srv, tt.id, kmstest.StateFailed, tt.code)
			}
		})
	}
}

// TestZeroTransitionDelay: with WithTransitionDelay(0) transitions are
// immediate.
func TestZeroTransitionDelay(t *testing.T) {
	srv := newWorld(t, kmstest.WithTransitionDelay(0))
	requireOK(t, connect(t, srv, hsmDisconnected))
	requireState(t, srv, hsmDisconnected, kmstest.StateConnected, "")
	requireOK(t, disconnect(t, srv, hsmDisconnected))
	requireState(t, srv, hsmDisconnected, kmstest.StateDisconnected, "")
}

// TestDefaultTransitionDelay: by default the transition takes
// DefaultTransitionDelay of the fake's clock: not instant, not forever.
func TestDefaultTransitionDelay(t *testing.T) {
	require.Positive(t, kmstest.DefaultTransitionDelay)
	clk := kmstest.NewManualClock(t0)
	srv := newWorld(t, kmstest.WithClock(clk.Now))
	requireOK(t, connect(t, srv, hsmDisconnected))
	clk.Advance(kmstest.DefaultTransitionDelay - time.Nanosecond)
	requireState(t, srv, hsmDisconnected, kmstest.StateConnecting, "")
	clk.Advance(time.Nanosecond)
	requireState(t, srv, hsmDisconnected, kmstest.StateConnected, "")
}

// TestSetConnectionStateCancelsTransition: seeding a state by hand stops a
// transition in progress and clears a stale error code.
func TestSetConnectionStateCancelsTransition(t *testing.T) {
	srv, clk := newClockedWorld(t)
	requireOK(t, connect(t, srv, hsmDisconnected))
	require.NoError(t, srv.SetConnectionState(hsmDisconnected, kmstest.StateDisconnected))
	clk.Advance(delay)
	requireState(t, srv, hsmDisconnected, kmstest.StateDisconnected, "")

	require.NoError(t, srv.SetConnectionFailed(hsmDisconnected, "NETWORK_ERRORS"))
	requireState(t, srv, hsmDisconnected, kmstest.StateFailed, "NETWORK_ERRORS")
	require.NoError(t, srv.SetConnectionState(hsmDisconnected, kmstest.StateConnected))
	requireState(t, srv, hsmDisconnected, kmstest.StateConnected, "")
	require.Error(t, srv.SetConnectionFailed(hsmDisconnected, ""))
	require.Error(t, srv.SetConnectionFailed("cks-nope", "NETWORK_ERRORS"))
}

// TestDeleteRules: Delete needs a DISCONNECTED store without KMS keys.
func TestDeleteRules(t *testing.T) {
	for _, cs := range []kmstest.ConnectionState{kmstest.StateConnected, kmstest.StateConnecting,
		kmstest.StateDisconnecting, kmstest.StateFailed} {
		t.Run(string(cs), func(t *testing.T) {
			srv, _ := newClockedWorld(t)
			require.NoError(t, srv.SetConnectionState(hsmDisconnected, cs))
			requireCode(t, deleteStore(t, srv, hsmDisconnected), kmstest.CodeCustomKeyStoreInvalidState)
			_, ok := srv.Store(hsmDisconnected)
			assert.True(t, ok, "a refused delete keeps the store")
		})
	}
	t.Run("has keys", func(t *testing.T) {
		srv, _ := newClockedWorld(t)
		require.NoError(t, srv.SetKeyCount(hsmDisconnected, 3))
		r := deleteStore(t, srv, hsmDisconnected)
		requireCode(t, r, kmstest.CodeCustomKeyStoreHasCMKs)
		assert.Contains(t, r.Message, "3 KMS keys")
		require.NoError(t, srv.SetKeyCount(hsmDisconnected, 0))
		requireOK(t, deleteStore(t, srv, hsmDisconnected))
		_, ok := srv.Store(hsmDisconnected)
		assert.False(t, ok)
		requireCode(t, deleteStore(t, srv, hsmDisconnected), kmstest.CodeCustomKeyStoreNotFound)
	})
	t.Run("seeded key count", func(t *testing.T) {
		srv := kmstest.NewServer()
		t.Cleanup(srv.Close)
		require.NoError(t, srv.AddStore(kmstest.Store{CustomKeyStoreId: "cks-keys", CustomKeyStoreName: "with-keys",
			CustomKeyStoreType: kmstest.TypeCloudHSM, KeyCount: 1}))
		requireCode(t, deleteStore(t, srv, "cks-keys"), kmstest.CodeCustomKeyStoreHasCMKs)
		require.Error(t, srv.SetKeyCount("cks-keys", -1))
		require.Error(t, srv.SetKeyCount("cks-nope", 1))
	})
}

// TestStoreIDOperationsErrors: Connect, Disconnect and Delete answer
// CustomKeyStoreNotFoundException for an unknown store and
// ValidationException for a missing or malformed ID.
func TestStoreIDOperationsErrors(t *testing.T) {
	srv := newWorld(t)
	for _, target := range []string{kmstest.TargetConnectCustomKeyStore, kmstest.TargetDisconnectCustomKeyStore, kmstest.TargetDeleteCustomKeyStore} {
		t.Run(target, func(t *testing.T) {
			requireCode(t, call(t, srv, target, m{"CustomKeyStoreId": "cks-00000000000000000"}), kmstest.CodeCustomKeyStoreNotFound)
			r := call(t, srv, target, m{})
			requireCode(t, r, kmstest.CodeValidation)
			assert.Contains(t, r.Message, "customKeyStoreId")
			requireCode(t, call(t, srv, target, m{"CustomKeyStoreId": ""}), kmstest.CodeValidation)
			requireCode(t, call(t, srv, target, m{"CustomKeyStoreId": 7}), kmstest.CodeValidation)
			requireCode(t, sendRaw(t, srv, target, `{"CustomKeyStoreId":`), kmstest.CodeSerialization)
		})
	}
}

// TestUpdateDuringTransition: Update sees the state the clock says: refused
// while CONNECTING, allowed once DISCONNECTED.
func TestUpdateDuringTransition(t *testing.T) {
	srv, clk := newClockedWorld(t)
	requireOK(t, disconnect(t, srv, hsmConnected))
	requireCode(t, update(t, srv, m{"CustomKeyStoreId": hsmConnected, "NewCustomKeyStoreName": "renamed"}),
		kmstest.CodeCustomKeyStoreInvalidState)
	clk.Advance(delay)
	requireOK(t, update(t, srv, m{"CustomKeyStoreId": hsmConnected, "KeyStorePassword": "another-pass"}))
}

// TestUpdateClusterNeedsTwoHsms: UpdateCustomKeyStore to a related cluster
// with fewer than two HSMs is CloudHsmClusterInvalidConfigurationException,
// as the API documents for Create, Update and CreateKey.
func TestUpdateClusterNeedsTwoHsms(t *testing.T) {
	srv, _ := newClockedWorld(t)
	require.NoError(t, srv.SetCluster(kmstest.Cluster{ClusterId: clusterRelated, BackupLineage: "lineage-1", HsmCount: intp(1)}))
	r := update(t, srv, m{"CustomKeyStoreId": hsmDisconnected, "CloudHsmClusterId": clusterRelated})
	requireCode(t, r, kmstest.CodeCloudHsmClusterInvalidConfiguration)
	assert.Contains(t, r.Message, "1 active HSMs")
	require.NoError(t, srv.SetCluster(kmstest.Cluster{ClusterId: clusterRelated, BackupLineage: "lineage-1", HsmCount: intp(2)}))
	requireOK(t, update(t, srv, m{"CustomKeyStoreId": hsmDisconnected, "CloudHsmClusterId": clusterRelated}))
}
