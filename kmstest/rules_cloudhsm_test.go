package kmstest_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kmskit/kms/kmstest"
)

var allStates = []kmstest.ConnectionState{
	kmstest.StateConnected, kmstest.StateConnecting, kmstest.StateDisconnected,
	kmstest.StateDisconnecting, kmstest.StateFailed,
}

// TestCloudHSMRejectsXksMembers: only NewCustomKeyStoreName, KeyStorePassword
// and CloudHsmClusterId apply to a CloudHSM store.
func TestCloudHSMRejectsXksMembers(t *testing.T) {
	members := m{
		"XksProxyAuthenticationCredential": cred(akidNew, secretNew),
		"XksProxyConnectivity":             "PUBLIC_ENDPOINT",
		"XksProxyUriEndpoint":              "https://xks9.example.com",
		"XksProxyUriPath":                  pathV1,
		"XksProxyVpcEndpointServiceName":   svcFree,
		"XksProxyVpcEndpointServiceOwner":  ownerMain,
	}
	for name, v := range members {
		t.Run(name, func(t *testing.T) {
			srv := newWorld(t)
			before := srv.Stores()
			r := update(t, srv, m{"CustomKeyStoreId": hsmDisconnected, "NewCustomKeyStoreName": "renamed", name: v})
			requireCode(t, r, kmstest.CodeValidation)
			assert.Contains(t, r.Message, name)
			assert.Contains(t, r.Message, "AWS_CLOUDHSM")
			assert.Equal(t, before, srv.Stores())
		})
	}
}

// TestCloudHSMStateRules: the name changes when CONNECTED or DISCONNECTED;
// the password and cluster only when DISCONNECTED.
func TestCloudHSMStateRules(t *testing.T) {
	members := []struct {
		name         string
		body         m
		disconnected bool // needs DISCONNECTED, not just CONNECTED|DISCONNECTED
	}{
		{"NewCustomKeyStoreName", m{"NewCustomKeyStoreName": "renamed"}, false},
		{"KeyStorePassword", m{"KeyStorePassword": "new-password"}, true},
		{"CloudHsmClusterId", m{"CloudHsmClusterId": clusterRelated}, true},
	}
	for _, mem := range members {
		for _, st := range allStates {
			allowed := st == kmstest.StateDisconnected || st == kmstest.StateConnected && !mem.disconnected
			t.Run(mem.name+"/"+string(st), func(t *testing.T) {
				srv := newWorld(t)
				require.NoError(t, srv.SetConnectionState(hsmConnected, st))
				before := store(t, srv, hsmConnected)
				body := m{"CustomKeyStoreId": hsmConnected}
				for k, v := range mem.body {
					body[k] = v
				}
				r := update(t, srv, body)
				if allowed {
					requireOK(t, r)
					assert.NotEqual(t, before, store(t, srv, hsmConnected))
					return
				}
				requireCode(t, r, kmstest.CodeCustomKeyStoreInvalidState)
				assert.Contains(t, r.Message, mem.name)
				assert.Contains(t, r.Message, string(st))
				assert.Equal(t, before, store(t, srv, hsmConnected))
			})
		}
	}
}

// TestCloudHSMClusterRules: unknown, unrelated, inactive and misconfigured
// clusters are refused, in that order; a related active cluster is taken.
func TestCloudHSMClusterRules(t *testing.T) {
	tests := []struct {
		name    string
		cluster kmstest.Cluster // seeded before the call when ClusterId is set
		id      string
		code    string
	}{
		{name: "related", id: clusterRelated},
		{name: "same cluster", id: clusterOrigin},
		{name: "unknown", id: clusterMissing, code: kmstest.CodeCloudHsmClusterNotFound},
		{name: "unrelated", id: clusterUnrelated, code: kmstest.CodeCloudHsmClusterNotRelated},
		{name: "no lineage is unrelated", cluster: kmstest.Cluster{ClusterId: "cluster-nolineage234"}, id: "cluster-nolineage234",
			code: kmstest.CodeCloudHsmClusterNotRelated},
		{name: "inactive", id: clusterInactive, code: kmstest.CodeCloudHsmClusterNotActive},
		{name: "explicit ACTIVE", cluster: kmstest.Cluster{ClusterId: "cluster-explicit234a", BackupLineage: "lineage-1", State: "ACTIVE"},
			id: "cluster-explicit234a"},
		{name: "degraded", cluster: kmstest.Cluster{ClusterId: "cluster-degraded234a", BackupLineage: "lineage-1", State: "DEGRADED"},
			id: "cluster-degraded234a", code: kmstest.CodeCloudHsmClusterNotActive},
		{name: "invalid configuration", id: clusterBadConfig, code: kmstest.CodeCloudHsmClusterInvalidConfiguration},
		{name: "unrelated wins over inactive", cluster: kmstest.Cluster{ClusterId: "cluster-unrelinact23", BackupLineage: "lineage-9", State: "UNINITIALIZED"},
			id: "cluster-unrelinact23", code: kmstest.CodeCloudHsmClusterNotRelated},
		{name: "inactive wins over misconfigured", cluster: kmstest.Cluster{ClusterId: "cluster-inactbadcfg2", BackupLineage: "lineage-1", State: "UNINITIALIZED", InvalidConfiguration: true},
			id: "cluster-inactbadcfg2", code: kmstest.CodeCloudHsmClusterNotActive},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newWorld(t)
			if tt.cluster.ClusterId != "" {
				require.NoError(t, srv.SetCluster(tt.cluster))
			}
			before := store(t, srv, hsmDisconnected)
			r := update(t, srv, m{"CustomKeyStoreId": hsmDisconnected, "CloudHsmClusterId": tt.id})
			if tt.code == "" {
				requireOK(t, r)
				want := before
				want.CloudHsmClusterId = tt.id
				assert.Equal(t, want, store(t, srv, hsmDisconnected))
				return
			}
			requireCode(t, r, tt.code)
			assert.Contains(t, r.Message, tt.id)
			assert.Equal(t, before, store(t, srv, hsmDisconnected))
		})
	}
}

// TestCloudHSMUnseededCurrentCluster: when the store's own cluster is not
// seeded, no other cluster is related to it.
func TestCloudHSMUnseededCurrentCluster(t *testing.T) {
	srv := newWorld(t)
	require.NoError(t, srv.AddStore(kmstest.Store{CustomKeyStoreId: "cks-orphan", CustomKeyStoreName: "orphan",
		CustomKeyStoreType: kmstest.TypeCloudHSM, CloudHsmClusterId: "cluster-unseeded234a"}))
	requireCode(t, update(t, srv, m{"CustomKeyStoreId": "cks-orphan", "CloudHsmClusterId": clusterOrigin}),
		kmstest.CodeCloudHsmClusterNotRelated)
	requireCode(t, update(t, srv, m{"CustomKeyStoreId": "cks-orphan", "CloudHsmClusterId": "cluster-unseeded234a"}),
		kmstest.CodeCloudHsmClusterNotFound)
}

// TestCloudHSMAllOrNothing: when one member of an update fails, the others
// are not applied either.
func TestCloudHSMAllOrNothing(t *testing.T) {
	tests := []struct {
		name string
		body m
		code string
	}{
		{"rename and password with unknown cluster", m{"NewCustomKeyStoreName": "renamed", "KeyStorePassword": "new-password",
			"CloudHsmClusterId": clusterMissing}, kmstest.CodeCloudHsmClusterNotFound},
		{"password and cluster with a taken name", m{"NewCustomKeyStoreName": "xks-two", "KeyStorePassword": "new-password",
			"CloudHsmClusterId": clusterRelated}, kmstest.CodeCustomKeyStoreNameInUse},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newWorld(t)
			before := srv.Stores()
			body := m{"CustomKeyStoreId": hsmDisconnected}
			for k, v := range tt.body {
				body[k] = v
			}
			requireCode(t, update(t, srv, body), tt.code)
			assert.Equal(t, before, srv.Stores())
		})
	}
}

// TestNamesAreUnique: a name used by any other store, of either type, is
// refused; a store may be renamed to its own name.
func TestNamesAreUnique(t *testing.T) {
	tests := []struct {
		id, name string
		code     string
	}{
		{hsmConnected, "hsm-two", kmstest.CodeCustomKeyStoreNameInUse},
		{hsmConnected, "xks-one", kmstest.CodeCustomKeyStoreNameInUse},
		{xksPublic, "hsm-one", kmstest.CodeCustomKeyStoreNameInUse},
		{xksPublic, "xks-two", kmstest.CodeCustomKeyStoreNameInUse},
		{hsmConnected, "hsm-one", ""},
		{hsmConnected, "HSM-TWO", ""},
	}
	for _, tt := range tests {
		t.Run(tt.id+"->"+tt.name, func(t *testing.T) {
			srv := newWorld(t)
			before := srv.Stores()
			r := update(t, srv, m{"CustomKeyStoreId": tt.id, "NewCustomKeyStoreName": tt.name})
			if tt.code == "" {
				requireOK(t, r)
				assert.Equal(t, tt.name, store(t, srv, tt.id).CustomKeyStoreName)
				return
			}
			requireCode(t, r, tt.code)
			assert.Contains(t, r.Message, tt.name)
			assert.Equal(t, before, srv.Stores())
		})
	}
}

// TestUnknownStore: an ID that no store has is CustomKeyStoreNotFoundException,
// whatever else the request holds.
func TestUnknownStore(t *testing.T) {
	srv := newWorld(t)
	for _, body := range []m{
		{"CustomKeyStoreId": "cks-unknown"},
		{"CustomKeyStoreId": "cks-unknown", "KeyStorePassword": "new-password", "XksProxyUriPath": pathV1},
		{"CustomKeyStoreId": "CKS-HSM0000000000001"}, // IDs are case-sensitive
	} {
		r := update(t, srv, body)
		requireCode(t, r, kmstest.CodeCustomKeyStoreNotFound)
		assert.Contains(t, r.Message, body["CustomKeyStoreId"])
	}
}
