package kmstest_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kmskit/kms/kmstest"
)

// TestAddStoreDefaultsAndErrors checks AddStore's defaults and refusals.
func TestAddStoreDefaultsAndErrors(t *testing.T) {
	f := kmstest.NewFake()
	require.NoError(t, f.AddStore(kmstest.Store{CustomKeyStoreId: "cks-a", CustomKeyStoreName: "a", CustomKeyStoreType: kmstest.TypeExternal}))
	a, ok := f.Store("cks-a")
	require.True(t, ok)
	assert.Equal(t, kmstest.StateDisconnected, a.ConnectionState)
	assert.Equal(t, kmstest.ConnectivityPublicEndpoint, a.XksProxyConfiguration.Connectivity)

	bad := []struct {
		name string
		s    kmstest.Store
		want string
	}{
		{"no id", kmstest.Store{CustomKeyStoreType: kmstest.TypeCloudHSM}, "no CustomKeyStoreId"},
		{"duplicate id", kmstest.Store{CustomKeyStoreId: "cks-a", CustomKeyStoreType: kmstest.TypeCloudHSM}, "already exists"},
		{"duplicate name", kmstest.Store{CustomKeyStoreId: "cks-b", CustomKeyStoreName: "a", CustomKeyStoreType: kmstest.TypeCloudHSM}, "is used by"},
		{"no type", kmstest.Store{CustomKeyStoreId: "cks-b"}, "CustomKeyStoreType"},
		{"bad state", kmstest.Store{CustomKeyStoreId: "cks-b", CustomKeyStoreType: kmstest.TypeCloudHSM, ConnectionState: "ON"}, "ConnectionState"},
		{"bad connectivity", kmstest.Store{CustomKeyStoreId: "cks-b", CustomKeyStoreType: kmstest.TypeExternal,
			XksProxyConfiguration: kmstest.XksProxyConfiguration{Connectivity: "LAN"}}, "Connectivity"},
		{"CloudHSM with proxy", kmstest.Store{CustomKeyStoreId: "cks-b", CustomKeyStoreType: kmstest.TypeCloudHSM,
			XksProxyConfiguration: kmstest.XksProxyConfiguration{UriPath: pathV1}}, "no XksProxyConfiguration"},
		{"external with cluster", kmstest.Store{CustomKeyStoreId: "cks-b", CustomKeyStoreType: kmstest.TypeExternal,
			CloudHsmClusterId: clusterOrigin}, "no CloudHsmClusterId"},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			err := f.AddStore(tt.s)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
		})
	}
	assert.Len(t, f.Stores(), 1)
}

// TestStoreReturnsCopies: changing a returned Store does not change the
// fake.
func TestStoreReturnsCopies(t *testing.T) {
	srv := newWorld(t)
	s := store(t, srv, xksVpc)
	s.CustomKeyStoreName = "changed"
	s.XksProxyConfiguration.UriPath = "/changed/kms/xks/v1"
	all := srv.Stores()
	all[0].CustomKeyStoreName = "changed"
	assert.Equal(t, "xks-two", store(t, srv, xksVpc).CustomKeyStoreName)
	assert.Equal(t, pathV1, store(t, srv, xksVpc).XksProxyConfiguration.UriPath)
	assert.NotEqual(t, "changed", srv.Stores()[0].CustomKeyStoreName)
	_, ok := srv.Store("cks-nope")
	assert.False(t, ok)
}

// TestStoresSorted: Stores orders by ID.
func TestStoresSorted(t *testing.T) {
	srv := newWorld(t)
	var ids []string
	for _, s := range srv.Stores() {
		ids = append(ids, s.CustomKeyStoreId)
	}
	var want []string
	for _, s := range worldSeed().Stores {
		want = append(want, s.CustomKeyStoreId)
	}
	slices.Sort(want)
	assert.Equal(t, want, ids)
	assert.Subset(t, ids, []string{hsmConnected, hsmDisconnected, xksPublic, xksVpc, xksPublicDisc})
}

// TestSetConnectionState checks state changes and their refusals.
func TestSetConnectionState(t *testing.T) {
	srv := newWorld(t)
	for _, st := range allStates {
		require.NoError(t, srv.SetConnectionState(hsmConnected, st))
		assert.Equal(t, st, store(t, srv, hsmConnected).ConnectionState)
	}
	require.Error(t, srv.SetConnectionState("cks-nope", kmstest.StateConnected))
	require.Error(t, srv.SetConnectionState(hsmConnected, "UP"))
}

// TestSetRefusesEmptyKeys: clusters, proxies and services need their keys.
func TestSetRefusesEmptyKeys(t *testing.T) {
	f := kmstest.NewFake()
	require.Error(t, f.SetCluster(kmstest.Cluster{}))
	require.Error(t, f.SetXksProxy(kmstest.XksProxy{}))
	require.Error(t, f.SetVpcEndpointService(kmstest.VpcEndpointService{}))
}

// TestLoadIsAllOrNothing: a seed with one bad entry adds nothing.
func TestLoadIsAllOrNothing(t *testing.T) {
	srv := newWorld(t)
	before := srv.Stores()
	seed := kmstest.Seed{
		Stores: []kmstest.Store{
			{CustomKeyStoreId: "cks-new", CustomKeyStoreName: "new", CustomKeyStoreType: kmstest.TypeCloudHSM, CloudHsmClusterId: "cluster-fresh2345abc"},
			{CustomKeyStoreId: hsmConnected, CustomKeyStoreType: kmstest.TypeCloudHSM}, // duplicate
		},
		Clusters: []kmstest.Cluster{{ClusterId: "cluster-fresh2345abc"}},
	}
	require.Error(t, srv.Load(seed))
	assert.Equal(t, before, srv.Stores())
	// The cluster was not added either: using it is CloudHsmClusterNotFound.
	requireCode(t, update(t, srv, m{"CustomKeyStoreId": hsmDisconnected, "CloudHsmClusterId": "cluster-fresh2345abc"}),
		kmstest.CodeCloudHsmClusterNotFound)

	for name, s := range map[string]kmstest.Seed{
		"repeated cluster": {Clusters: []kmstest.Cluster{{ClusterId: "cluster-x"}, {ClusterId: "cluster-x"}}},
		"keyless proxy":    {XksProxies: []kmstest.XksProxy{{UriPath: pathV1}}},
		"keyless service":  {VpcEndpointServices: []kmstest.VpcEndpointService{{Owner: ownerMain}}},
		"half credential":  {Credentials: []kmstest.Credential{{AccessKeyId: "AKID"}}},
	} {
		assert.Error(t, srv.Load(s), name)
	}
	// A failed load with credentials does not turn SigV4 on.
	requireOK(t, update(t, srv, m{"CustomKeyStoreId": hsmConnected}))
}

// TestLoadCredentialsTurnOnSigV4: a seed with credentials turns SigV4 on.
func TestLoadCredentialsTurnOnSigV4(t *testing.T) {
	srv := newWorld(t)
	require.NoError(t, srv.Load(kmstest.Seed{Credentials: []kmstest.Credential{testCred}}))
	requireCode(t, update(t, srv, m{"CustomKeyStoreId": hsmConnected}), kmstest.CodeIncompleteSignature)
	requireOK(t, do(t, srv.Client(), signedRequest(t, srv, `{"CustomKeyStoreId":"`+hsmConnected+`"}`, signOpts{})))
}

// TestReadSeed decodes the JSON seed format and refuses unknown members.
func TestReadSeed(t *testing.T) {
	seed, err := kmstest.ReadSeed(strings.NewReader(`{
		"Stores": [{"CustomKeyStoreId": "cks-1", "CustomKeyStoreName": "one", "CustomKeyStoreType": "EXTERNAL_KEY_STORE",
			"ConnectionState": "CONNECTED", "XksProxyConfiguration": {"AccessKeyId": "AKID", "RawSecretAccessKey": "s",
			"Connectivity": "VPC_ENDPOINT_SERVICE", "UriEndpoint": "https://e", "UriPath": "/kms/xks/v1",
			"VpcEndpointServiceName": "svc", "VpcEndpointServiceOwner": "111122223333"}}],
		"Clusters": [{"ClusterId": "cluster-1", "BackupLineage": "l", "State": "DEGRADED", "InvalidConfiguration": true}],
		"XksProxies": [{"UriEndpoint": "https://e", "UriPath": "/kms/xks/v1", "AccessKeyId": "AKID", "RawSecretAccessKey": "s",
			"Unreachable": true, "InvalidResponse": true}],
		"VpcEndpointServices": [{"ServiceName": "svc", "Owner": "111122223333", "InvalidConfiguration": true}],
		"Credentials": [{"AccessKeyId": "AKIDEXAMPLE", "SecretAccessKey": "secret", "SessionToken": "tok"}]
	}`))
	require.NoError(t, err)
	assert.Equal(t, kmstest.Seed{
		Stores: []kmstest.Store{{CustomKeyStoreId: "cks-1", CustomKeyStoreName: "one", CustomKeyStoreType: kmstest.TypeExternal,
			ConnectionState: kmstest.StateConnected, XksProxyConfiguration: kmstest.XksProxyConfiguration{AccessKeyId: "AKID",
				RawSecretAccessKey: "s", Connectivity: kmstest.ConnectivityVpcEndpointService, UriEndpoint: "https://e",
				UriPath: "/kms/xks/v1", VpcEndpointServiceName: "svc", VpcEndpointServiceOwner: "111122223333"}}},
		Clusters: []kmstest.Cluster{{ClusterId: "cluster-1", BackupLineage: "l", State: "DEGRADED", InvalidConfiguration: true}},
		XksProxies: []kmstest.XksProxy{{UriEndpoint: "https://e", UriPath: "/kms/xks/v1", AccessKeyId: "AKID",
			RawSecretAccessKey: "s", Unreachable: true, InvalidResponse: true}},
		VpcEndpointServices: []kmstest.VpcEndpointService{{ServiceName: "svc", Owner: "111122223333", InvalidConfiguration: true}},
		Credentials:         []kmstest.Credential{{AccessKeyId: "AKIDEXAMPLE", SecretAccessKey: "secret", SessionToken: "tok"}},
	}, seed)

	for name, in := range map[string]string{
		"unknown member": `{"Storez": []}`,
		"nested typo":    `{"Stores": [{"CustomKeyStoreIdd": "cks-1"}]}`,
		"not JSON":       `stores: []`,
		"trailing data":  `{} {}`,
		"wrong type":     `{"Stores": {}}`,
	} {
		_, err := kmstest.ReadSeed(strings.NewReader(in))
		assert.Error(t, err, name)
	}
}
