package kmstest_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kmskit/kms/kmstest"
)

// TestSeedDefaultsHealthy: a seed written before the lifecycle fields
// existed gives the healthy case: its cluster is ACTIVE with HSMs and
// accepts the store's password, a store can be created on a fresh cluster
// of it, and the store gets the clock's CreationDate.
func TestSeedDefaultsHealthy(t *testing.T) {
	seed, err := kmstest.ReadSeed(strings.NewReader(`{
	  "Stores": [{"CustomKeyStoreId": "cks-1234567890abcdef0", "CustomKeyStoreName": "old", "CustomKeyStoreType": "AWS_CLOUDHSM",
	              "CloudHsmClusterId": "cluster-2a34b5cdefg", "KeyStorePassword": "whatever-it-is"}],
	  "Clusters": [{"ClusterId": "cluster-2a34b5cdefg", "BackupLineage": "prod"}, {"ClusterId": "cluster-3b45c6defgh"}]
	}`))
	require.NoError(t, err)
	clk := kmstest.NewManualClock(t0)
	srv := kmstest.NewServer(kmstest.WithClock(clk.Now), kmstest.WithTransitionDelay(delay))
	t.Cleanup(srv.Close)
	require.NoError(t, srv.Load(seed))

	s := store(t, srv, "cks-1234567890abcdef0")
	assert.Equal(t, t0, s.CreationDate)
	assert.Zero(t, s.KeyCount)
	assert.Empty(t, s.ConnectionErrorCode)
	requireOK(t, connect(t, srv, "cks-1234567890abcdef0"))
	clk.Advance(delay)
	requireState(t, srv, "cks-1234567890abcdef0", kmstest.StateConnected, "")

	createdID(t, create(t, srv, m{"CustomKeyStoreName": "new", "CloudHsmClusterId": "cluster-3b45c6defgh",
		"KeyStorePassword": "any-password", "TrustAnchorCertificate": "any certificate"}))
}

// TestSeedLifecycleFields: the seed format carries clusters' HSM count,
// kmsuser password and state, trust anchor and forced connection error,
// proxies' connection error, stores' key count, error code and creation
// date, and the store limit.
func TestSeedLifecycleFields(t *testing.T) {
	seed, err := kmstest.ReadSeed(strings.NewReader(`{
	  "Stores": [
	    {"CustomKeyStoreId": "cks-a", "CustomKeyStoreName": "a", "CustomKeyStoreType": "AWS_CLOUDHSM", "CloudHsmClusterId": "cluster-2a34b5cdefg",
	     "TrustAnchorCertificate": "anchor", "KeyCount": 2, "CreationDate": "2024-05-06T07:08:09.5Z"},
	    {"CustomKeyStoreId": "cks-b", "CustomKeyStoreName": "b", "CustomKeyStoreType": "EXTERNAL_KEY_STORE",
	     "ConnectionState": "FAILED", "ConnectionErrorCode": "XKS_PROXY_TIMED_OUT"}
	  ],
	  "Clusters": [{"ClusterId": "cluster-2a34b5cdefg", "HsmCount": 0, "TrustAnchorCertificate": "anchor",
	                "KmsuserPassword": "pw-in-cluster", "KmsuserState": "LOCKED_OUT", "ConnectionErrorCode": "SUBNET_NOT_FOUND"}],
	  "XksProxies": [{"UriEndpoint": "https://p.example.com", "ConnectionErrorCode": "XKS_PROXY_ACCESS_DENIED"}],
	  "CustomKeyStoreLimit": 2
	}`))
	require.NoError(t, err)
	require.Len(t, seed.Clusters, 1)
	c := seed.Clusters[0]
	require.NotNil(t, c.HsmCount)
	assert.Equal(t, 0, *c.HsmCount)
	assert.Equal(t, kmstest.KmsuserLockedOut, c.KmsuserState)
	assert.Equal(t, "pw-in-cluster", c.KmsuserPassword)
	assert.Equal(t, "anchor", c.TrustAnchorCertificate)
	assert.Equal(t, "SUBNET_NOT_FOUND", c.ConnectionErrorCode)
	assert.Equal(t, "XKS_PROXY_ACCESS_DENIED", seed.XksProxies[0].ConnectionErrorCode)
	assert.Equal(t, 2, seed.CustomKeyStoreLimit)

	srv := kmstest.NewServer()
	t.Cleanup(srv.Close)
	require.NoError(t, srv.Load(seed))
	a := store(t, srv, "cks-a")
	assert.Equal(t, 2, a.KeyCount)
	assert.Equal(t, time.Date(2024, 5, 6, 7, 8, 9, 500_000_000, time.UTC), a.CreationDate)
	assert.Equal(t, 1714979289.5, describeOne(t, srv, "cks-a").CreationDate)
	requireState(t, srv, "cks-b", kmstest.StateFailed, "XKS_PROXY_TIMED_OUT")
	requireCode(t, deleteStore(t, srv, "cks-a"), kmstest.CodeCustomKeyStoreHasCMKs)
	requireCode(t, create(t, srv, m{"CustomKeyStoreName": "third", "CloudHsmClusterId": "cluster-3b45c6defgh",
		"KeyStorePassword": "any-password", "TrustAnchorCertificate": "x"}), kmstest.CodeLimitExceeded)
}

// TestSeedLifecycleErrors: seeds that cannot be right are refused whole.
func TestSeedLifecycleErrors(t *testing.T) {
	for name, seed := range map[string]kmstest.Seed{
		"error code without FAILED": {Stores: []kmstest.Store{{CustomKeyStoreId: "cks-a", CustomKeyStoreType: kmstest.TypeCloudHSM,
			ConnectionErrorCode: "NETWORK_ERRORS"}}},
		"negative key count": {Stores: []kmstest.Store{{CustomKeyStoreId: "cks-a", CustomKeyStoreType: kmstest.TypeCloudHSM, KeyCount: -1}}},
		"trust anchor on an external store": {Stores: []kmstest.Store{{CustomKeyStoreId: "cks-a", CustomKeyStoreType: kmstest.TypeExternal,
			TrustAnchorCertificate: "x"}}},
		"negative limit": {CustomKeyStoreLimit: -1},
	} {
		t.Run(name, func(t *testing.T) {
			srv := newWorld(t)
			before := srv.Stores()
			require.Error(t, srv.Load(seed))
			assert.Equal(t, before, srv.Stores())
		})
	}
}
