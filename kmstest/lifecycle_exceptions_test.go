package kmstest_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kmskit/kms/internal/kmsmodel"
	"github.com/kmskit/kms/kmstest"
)

// TestLifecycleDocumentedExceptions: for each of Create, Describe,
// Connect, Disconnect and Delete, every exception the model documents for
// it is provoked by a scenario (KMSInternalException, which KMS gives for
// its own failures, by injection), and the table covers exactly the
// documented codes.
func TestLifecycleDocumentedExceptions(t *testing.T) {
	type scenario struct {
		setup func(t *testing.T, srv *kmstest.Server)
		body  m
	}
	inject := func(t *testing.T, srv *kmstest.Server) {
		srv.FailNext(1, kmstest.Fault{Code: kmstest.CodeKMSInternal})
	}
	setCluster := func(c kmstest.Cluster) func(t *testing.T, srv *kmstest.Server) {
		return func(t *testing.T, srv *kmstest.Server) { require.NoError(t, srv.SetCluster(c)) }
	}
	id := func(s string) m { return m{"CustomKeyStoreId": s} }
	table := map[*kmsmodel.Operation]map[string]scenario{
		kmsmodel.CreateCustomKeyStore: {
			kmstest.CodeCloudHsmClusterInUse:                {body: with(hsmCreate(), m{"CloudHsmClusterId": clusterOrigin})},
			kmstest.CodeCustomKeyStoreNameInUse:             {body: with(hsmCreate(), m{"CustomKeyStoreName": "hsm-one"})},
			kmstest.CodeCloudHsmClusterNotFound:             {body: with(hsmCreate(), m{"CloudHsmClusterId": clusterMissing})},
			kmstest.CodeKMSInternal:                         {setup: inject, body: hsmCreate()},
			kmstest.CodeCloudHsmClusterNotActive:            {setup: setCluster(kmstest.Cluster{ClusterId: clusterFree, State: "DEGRADED"}), body: hsmCreate()},
			kmstest.CodeIncorrectTrustAnchor:                {body: with(hsmCreate(), m{"TrustAnchorCertificate": "not it"})},
			kmstest.CodeCloudHsmClusterInvalidConfiguration: {setup: setCluster(kmstest.Cluster{ClusterId: clusterFree, HsmCount: intp(1)}), body: hsmCreate()},
			kmstest.CodeLimitExceeded:                       {setup: func(t *testing.T, srv *kmstest.Server) { require.NoError(t, srv.SetCustomKeyStoreLimit(1)) }, body: hsmCreate()},
			kmstest.CodeXksProxyUriInUse:                    {body: with(xksCreate(), m{"XksProxyUriEndpoint": endpointPublic, "XksProxyUriPath": pathV1})},
			kmstest.CodeXksProxyUriEndpointInUse:            {body: with(xksCreate(), m{"XksProxyUriEndpoint": endpointVpc})},
			kmstest.CodeXksProxyUriUnreachable:              {body: with(xksCreate(), m{"XksProxyUriEndpoint": endpointDown})},
			kmstest.CodeXksProxyIncorrectAuthenticationCredential: {setup: func(t *testing.T, srv *kmstest.Server) {
				require.NoError(t, srv.SetXksProxy(kmstest.XksProxy{UriEndpoint: "https://new.example.com", AccessKeyId: akidOld, RawSecretAccessKey: secretOld}))
			}, body: xksCreate()},
			kmstest.CodeXksProxyVpcEndpointServiceInUse:                {body: with(vpcCreate(), m{"XksProxyVpcEndpointServiceName": svcUsed})},
			kmstest.CodeXksProxyVpcEndpointServiceNotFound:             {body: with(vpcCreate(), m{"XksProxyVpcEndpointServiceName": svcAbsent})},
			kmstest.CodeXksProxyVpcEndpointServiceInvalidConfiguration: {body: with(vpcCreate(), m{"XksProxyVpcEndpointServiceName": svcBad})},
			kmstest.CodeXksProxyInvalidResponse: {setup: func(t *testing.T, srv *kmstest.Server) {
				require.NoError(t, srv.SetXksProxy(kmstest.XksProxy{UriEndpoint: "https://new.example.com", InvalidResponse: true}))
			}, body: xksCreate()},
			kmstest.CodeXksProxyInvalidConfiguration: {body: with(xksCreate(), m{"XksProxyVpcEndpointServiceOwner": ownerMain})},
		},
		kmsmodel.DescribeCustomKeyStores: {
			kmstest.CodeCustomKeyStoreNotFound: {body: m{"CustomKeyStoreName": "no-such-store"}},
			kmstest.CodeInvalidMarker:          {body: m{"Marker": "not-a-marker"}},
			kmstest.CodeKMSInternal:            {setup: inject, body: m{}},
		},
		kmsmodel.ConnectCustomKeyStore: {
			kmstest.CodeCloudHsmClusterNotActive: {setup: setCluster(kmstest.Cluster{ClusterId: clusterOrigin, BackupLineage: "lineage-1",
				State: "UNINITIALIZED"}), body: id(hsmDisconnected)},
			kmstest.CodeCustomKeyStoreInvalidState: {setup: func(t *testing.T, srv *kmstest.Server) {
				require.NoError(t, srv.SetConnectionFailed(hsmDisconnected, "NETWORK_ERRORS"))
			}, body: id(hsmDisconnected)},
			kmstest.CodeCustomKeyStoreNotFound: {body: id("cks-00000000000000000")},
			kmstest.CodeKMSInternal:            {setup: inject, body: id(hsmDisconnected)},
			kmstest.CodeCloudHsmClusterInvalidConfiguration: {setup: setCluster(kmstest.Cluster{ClusterId: clusterOrigin, BackupLineage: "lineage-1",
				InvalidConfiguration: true}), body: id(hsmDisconnected)},
		},
		kmsmodel.DisconnectCustomKeyStore: {
			kmstest.CodeCustomKeyStoreInvalidState: {body: id(hsmDisconnected)},
			kmstest.CodeCustomKeyStoreNotFound:     {body: id("cks-00000000000000000")},
			kmstest.CodeKMSInternal:                {setup: inject, body: id(hsmConnected)},
		},
		kmsmodel.DeleteCustomKeyStore: {
			kmstest.CodeCustomKeyStoreHasCMKs: {setup: func(t *testing.T, srv *kmstest.Server) {
				require.NoError(t, srv.SetKeyCount(hsmDisconnected, 1))
			}, body: id(hsmDisconnected)},
			kmstest.CodeCustomKeyStoreInvalidState: {body: id(hsmConnected)},
			kmstest.CodeCustomKeyStoreNotFound:     {body: id("cks-00000000000000000")},
			kmstest.CodeKMSInternal:                {setup: inject, body: id(hsmDisconnected)},
		},
	}
	for op, scenarios := range table {
		covered := make([]string, 0, len(scenarios))
		for code := range scenarios {
			covered = append(covered, code)
		}
		assert.ElementsMatch(t, op.Errors, covered, "%s: the scenarios cover exactly the documented codes", op.Name)
		for code, sc := range scenarios {
			t.Run(op.Name+"/"+code, func(t *testing.T) {
				srv := newCreateWorld(t)
				if sc.setup != nil {
					sc.setup(t, srv)
				}
				before := srv.Stores()
				r := call(t, srv, op.Target(), sc.body)
				requireCode(t, r, code)
				assert.Equal(t, before, srv.Stores(), "a failed call changes no store")
			})
		}
	}
}
