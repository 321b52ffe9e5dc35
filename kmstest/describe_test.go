package kmstest_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kmskit/kms/kmstest"
)

// manyStores seeds n CloudHSM stores named store-NNNN.
func manyStores(t *testing.T, n int) *kmstest.Server {
	t.Helper()
	srv := kmstest.NewServer()
	t.Cleanup(srv.Close)
	seed := kmstest.Seed{}
	for i := range n {
		seed.Stores = append(seed.Stores, kmstest.Store{CustomKeyStoreId: fmt.Sprintf("cks-%017d", i),
			CustomKeyStoreName: fmt.Sprintf("store-%04d", i), CustomKeyStoreType: kmstest.TypeCloudHSM,
			CloudHsmClusterId: "cluster-2a34b5cdefg"})
	}
	require.NoError(t, srv.Load(seed))
	return srv
}

// TestDescribePagination: walking NextMarker with Limit 1, 7 and 1000 over
// 2 500 stores returns each store exactly once, pages of exactly Limit
// (the last one the rest), Truncated on every page but the last, and no
// NextMarker on the last.
func TestDescribePagination(t *testing.T) {
	const n = 2500
	srv := manyStores(t, n)
	for _, limit := range []int{1, 7, 1000} {
		t.Run(fmt.Sprint(limit), func(t *testing.T) {
			seen := map[string]bool{}
			body := m{"Limit": limit}
			pages := 0
			for {
				p := describe(t, srv, body)
				pages++
				for _, e := range p.CustomKeyStores {
					require.False(t, seen[e.CustomKeyStoreId], "store %s twice", e.CustomKeyStoreId)
					seen[e.CustomKeyStoreId] = true
				}
				if !*p.Truncated {
					require.Nil(t, p.NextMarker, "the last page has no NextMarker")
					require.Len(t, p.CustomKeyStores, n-(pages-1)*limit)
					break
				}
				require.Len(t, p.CustomKeyStores, limit)
				require.NotNil(t, p.NextMarker)
				require.LessOrEqual(t, len(*p.NextMarker), 1024)
				body = m{"Limit": limit, "Marker": *p.NextMarker}
			}
			assert.Len(t, seen, n)
			assert.Equal(t, (n+limit-1)/limit, pages)
		})
	}
}

// TestDescribeDefaultLimit: without Limit a page has DefaultDescribeLimit
// stores.
func TestDescribeDefaultLimit(t *testing.T) {
	srv := manyStores(t, kmstest.DefaultDescribeLimit+1)
	p := describe(t, srv, m{})
	assert.Len(t, p.CustomKeyStores, kmstest.DefaultDescribeLimit)
	assert.True(t, *p.Truncated)
	require.NotNil(t, p.NextMarker)
	p = describe(t, srv, m{"Marker": *p.NextMarker})
	assert.Len(t, p.CustomKeyStores, 1)
	assert.False(t, *p.Truncated)
}

// TestDescribeOrderAndChanges: stores are listed in creation order; a
// store deleted or created during a walk does not disturb the others.
func TestDescribeOrderAndChanges(t *testing.T) {
	clk := kmstest.NewManualClock(t0)
	srv := kmstest.NewServer(kmstest.WithClock(clk.Now))
	t.Cleanup(srv.Close)
	for i := range 5 {
		require.NoError(t, srv.AddStore(kmstest.Store{CustomKeyStoreId: fmt.Sprintf("cks-%d", 9-i), CustomKeyStoreName: fmt.Sprint("s", i),
			CustomKeyStoreType: kmstest.TypeCloudHSM}))
		clk.Advance(time.Second)
	}
	p := describe(t, srv, m{"Limit": 2})
	require.Len(t, p.CustomKeyStores, 2)
	assert.Equal(t, "cks-9", p.CustomKeyStores[0].CustomKeyStoreId)
	assert.Equal(t, "cks-8", p.CustomKeyStores[1].CustomKeyStoreId)
	requireOK(t, deleteStore(t, srv, "cks-7"))
	require.NoError(t, srv.AddStore(kmstest.Store{CustomKeyStoreId: "cks-0", CustomKeyStoreName: "late", CustomKeyStoreType: kmstest.TypeCloudHSM}))
	p = describe(t, srv, m{"Limit": 10, "Marker": *p.NextMarker})
	var ids []string
	for _, e := range p.CustomKeyStores {
		ids = append(ids, e.CustomKeyStoreId)
	}
	assert.Equal(t, []string{"cks-6", "cks-5", "cks-0"}, ids)
}

// TestDescribeInvalidMarker: a marker the fake did not issue is
// InvalidMarkerException, including one tampered with or issued by
// another fake.
func TestDescribeInvalidMarker(t *testing.T) {
	srv := manyStores(t, 3)
	other := manyStores(t, 3)
	p := describe(t, srv, m{"Limit": 1})
	require.NotNil(t, p.NextMarker)
	good := *p.NextMarker
	foreign := *describe(t, other, m{"Limit": 1}).NextMarker
	tampered := strings.Replace(good, good[:1], string(rune(good[0]^1)), 1)
	for _, marker := range []string{"garbage", "x.y", foreign, tampered, good + "A"} {
		r := call(t, srv, kmstest.TargetDescribeCustomKeyStores, m{"Marker": marker})
		requireCode(t, r, kmstest.CodeInvalidMarker)
	}
	describe(t, srv, m{"Marker": good}) // still fine
}

// TestDescribeNotFound: by ID or by name, a store that does not exist is
// CustomKeyStoreNotFoundException.
func TestDescribeNotFound(t *testing.T) {
	srv := newWorld(t)
	requireCode(t, call(t, srv, kmstest.TargetDescribeCustomKeyStores, m{"CustomKeyStoreId": "cks-00000000000000000"}),
		kmstest.CodeCustomKeyStoreNotFound)
	requireCode(t, call(t, srv, kmstest.TargetDescribeCustomKeyStores, m{"CustomKeyStoreName": "nope"}),
		kmstest.CodeCustomKeyStoreNotFound)
	e := describe(t, srv, m{"CustomKeyStoreName": "xks-two"}).CustomKeyStores
	require.Len(t, e, 1)
	assert.Equal(t, xksVpc, e[0].CustomKeyStoreId)
}

// TestDescribeValidation: model constraints and the one-of rule.
func TestDescribeValidation(t *testing.T) {
	srv := newWorld(t)
	for _, tt := range []struct {
		body m
		in   string
	}{
		{m{"Limit": 0}, "limit"},
		{m{"Limit": 1001}, "limit"},
		{m{"Limit": "10"}, "limit"},
		{m{"Limit": 1.5}, "limit"},
		{m{"Marker": ""}, "marker"},
		{m{"CustomKeyStoreId": ""}, "customKeyStoreId"},
		{m{"CustomKeyStoreName": strings.Repeat("n", 257)}, "customKeyStoreName"},
		{m{"CustomKeyStoreId": hsmConnected, "CustomKeyStoreName": "hsm-one"}, "not both"},
	} {
		r := call(t, srv, kmstest.TargetDescribeCustomKeyStores, tt.body)
		requireCode(t, r, kmstest.CodeValidation)
		assert.Contains(t, r.Message, tt.in, "body %v", tt.body)
	}
	describe(t, srv, m{"Limit": 1000})
	describe(t, srv, m{"Limit": 1})
}

// TestDescribeEntries: each member of CustomKeyStoresListEntry as KMS
// answers it: CloudHSM members only for CloudHSM stores, the proxy
// configuration (without the secret, service only for VPC) only for
// external ones, ConnectionErrorCode only when FAILED, CreationDate in
// epoch seconds with a fraction.
func TestDescribeEntries(t *testing.T) {
	created := time.Date(2025, 6, 7, 8, 9, 10, 250_000_000, time.UTC)
	srv := kmstest.NewServer()
	t.Cleanup(srv.Close)
	require.NoError(t, srv.Load(kmstest.Seed{Stores: []kmstest.Store{
		{CustomKeyStoreId: "cks-a", CustomKeyStoreName: "hsm", CustomKeyStoreType: kmstest.TypeCloudHSM, ConnectionState: kmstest.StateFailed,
			ConnectionErrorCode: "USER_LOCKED_OUT", CreationDate: created, CloudHsmClusterId: "cluster-2a34b5cdefg",
			TrustAnchorCertificate: "anchor", KeyStorePassword: "secret-password"},
		{CustomKeyStoreId: "cks-b", CustomKeyStoreName: "vpc", CustomKeyStoreType: kmstest.TypeExternal, ConnectionState: kmstest.StateConnected,
			CreationDate: created.Add(time.Second), XksProxyConfiguration: kmstest.XksProxyConfiguration{AccessKeyId: akidOld, RawSecretAccessKey: secretOld,
				Connectivity: kmstest.ConnectivityVpcEndpointService, UriEndpoint: endpointVpc, UriPath: pathV1,
				VpcEndpointServiceName: svcUsed, VpcEndpointServiceOwner: ownerMain}},
	}}))
	r := call(t, srv, kmstest.TargetDescribeCustomKeyStores, m{})
	require.Equal(t, 200, r.Status)
	assert.NotContains(t, r.Raw, "secret-password")
	assert.NotContains(t, r.Raw, secretOld)
	var raw struct{ CustomKeyStores []map[string]any }
	require.NoError(t, json.Unmarshal([]byte(r.Raw), &raw))
	require.Len(t, raw.CustomKeyStores, 2)
	assert.Equal(t, map[string]any{
		"CustomKeyStoreId": "cks-a", "CustomKeyStoreName": "hsm", "CustomKeyStoreType": "AWS_CLOUDHSM",
		"ConnectionState": "FAILED", "ConnectionErrorCode": "USER_LOCKED_OUT", "CreationDate": 1749283750.25,
		"CloudHsmClusterId": "cluster-2a34b5cdefg", "TrustAnchorCertificate": "anchor",
	}, raw.CustomKeyStores[0])
	assert.Equal(t, map[string]any{
		"CustomKeyStoreId": "cks-b", "CustomKeyStoreName": "vpc", "CustomKeyStoreType": "EXTERNAL_KEY_STORE",
		"ConnectionState": "CONNECTED", "CreationDate": 1749283751.25,
		"XksProxyConfiguration": map[string]any{"AccessKeyId": akidOld, "Connectivity": "VPC_ENDPOINT_SERVICE",
			"UriEndpoint": endpointVpc, "UriPath": pathV1, "VpcEndpointServiceName": svcUsed, "VpcEndpointServiceOwner": ownerMain},
	}, raw.CustomKeyStores[1])
	assert.Contains(t, r.Raw, `"Truncated":false`)
	assert.NotContains(t, r.Raw, "NextMarker")
}
