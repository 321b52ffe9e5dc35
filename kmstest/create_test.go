package kmstest_test

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kmskit/kms/internal/selfsigned"
	"github.com/kmskit/kms/kmstest"
)

// A CloudHSM cluster that no store uses yet, and its trust anchor.
const (
	clusterFree = "cluster-free23456abc"
	anchorFree  = "-----BEGIN CERTIFICATE-----\nMIIfree\n-----END CERTIFICATE-----"
)

// newCreateWorld is newClockedWorld plus a free cluster with a trust anchor.
func newCreateWorld(t *testing.T) *kmstest.Server {
	t.Helper()
	srv, _ := newClockedWorld(t)
	require.NoError(t, srv.SetCluster(kmstest.Cluster{ClusterId: clusterFree, BackupLineage: "lineage-free",
		TrustAnchorCertificate: anchorFree, KmsuserPassword: "kmsuser-free"}))
	return srv
}

// hsmCreate is a valid CloudHSM create request for clusterFree.
func hsmCreate() m {
	return m{"CustomKeyStoreName": "new-hsm", "CloudHsmClusterId": clusterFree,
		"KeyStorePassword": "kmsuser-free", "TrustAnchorCertificate": anchorFree}
}

// xksCreate is a valid PUBLIC_ENDPOINT create request for a new proxy.
func xksCreate() m {
	return m{"CustomKeyStoreName": "new-xks", "CustomKeyStoreType": "EXTERNAL_KEY_STORE",
		"XksProxyConnectivity": "PUBLIC_ENDPOINT", "XksProxyUriEndpoint": "https://new.example.com",
		"XksProxyUriPath": pathPrefixed, "XksProxyAuthenticationCredential": cred(akidNew, secretNew)}
}

// vpcCreate is a valid VPC_ENDPOINT_SERVICE create request.
func vpcCreate() m {
	return m{"CustomKeyStoreName": "new-vpc", "CustomKeyStoreType": "EXTERNAL_KEY_STORE",
		"XksProxyConnectivity": "VPC_ENDPOINT_SERVICE", "XksProxyUriEndpoint": "https://private.vpce.example.com",
		"XksProxyUriPath": pathV1, "XksProxyAuthenticationCredential": cred(akidNew, secretNew),
		"XksProxyVpcEndpointServiceName": svcFree, "XksProxyVpcEndpointServiceOwner": ownerMain}
}

// create sends CreateCustomKeyStore.
func create(t *testing.T, srv *kmstest.Server, body m) reply {
	t.Helper()
	return call(t, srv, kmstest.TargetCreateCustomKeyStore, body)
}

// createdID decodes a successful create and returns the new ID.
func createdID(t *testing.T, r reply) string {
	t.Helper()
	require.Equal(t, 200, r.Status, "answer: %s", r.Raw)
	var out struct{ CustomKeyStoreId string }
	require.NoError(t, json.Unmarshal([]byte(r.Raw), &out))
	return out.CustomKeyStoreId
}

// with returns body with the members of more set (nil deletes).
func with(body m, more m) m {
	out := m{}
	for k, v := range body {
		out[k] = v
	}
	for k, v := range more {
		if v == nil {
			delete(out, k)
		} else {
			out[k] = v
		}
	}
	return out
}

var cksID = regexp.MustCompile(`^cks-[0-9a-f]{17}$`)

// TestCreateCloudHSM: a CloudHSM store is created DISCONNECTED with an ID
// of KMS's shape, Describe shows it, and it connects to its cluster.
func TestCreateCloudHSM(t *testing.T) {
	srv := newCreateWorld(t)
	id := createdID(t, create(t, srv, hsmCreate()))
	assert.Regexp(t, cksID, id)
	s := store(t, srv, id)
	assert.Equal(t, kmstest.Store{CustomKeyStoreId: id, CustomKeyStoreName: "new-hsm", CustomKeyStoreType: kmstest.TypeCloudHSM,
		ConnectionState: kmstest.StateDisconnected, CreationDate: t0, CloudHsmClusterId: clusterFree,
		TrustAnchorCertificate: anchorFree, KeyStorePassword: "kmsuser-free"}, s)
	e := describeOne(t, srv, id)
	assert.Equal(t, "AWS_CLOUDHSM", e.CustomKeyStoreType)
	assert.Equal(t, anchorFree, e.TrustAnchorCertificate)
	assert.Equal(t, float64(t0.Unix()), e.CreationDate)
	assert.Nil(t, e.XksProxyConfiguration)

	// CustomKeyStoreType is optional and defaults to AWS_CLOUDHSM; giving it
	// explicitly works too.
	require.NoError(t, srv.SetCluster(kmstest.Cluster{ClusterId: "cluster-second234abc", BackupLineage: "lineage-second"}))
	id2 := createdID(t, create(t, srv, with(hsmCreate(), m{"CustomKeyStoreName": "second", "CloudHsmClusterId": "cluster-second234abc",
		"CustomKeyStoreType": "AWS_CLOUDHSM"})))
	assert.NotEqual(t, id, id2)
	assert.Equal(t, kmstest.TypeCloudHSM, store(t, srv, id2).CustomKeyStoreType)
}

// TestCreateExternal: PUBLIC_ENDPOINT and VPC_ENDPOINT_SERVICE stores are
// created with their proxy configuration; the secret is kept but never
// described.
func TestCreateExternal(t *testing.T) {
	srv := newCreateWorld(t)
	require.NoError(t, srv.SetXksProxy(kmstest.XksProxy{UriEndpoint: "https://new.example.com"}))
	id := createdID(t, create(t, srv, xksCreate()))
	assert.Regexp(t, cksID, id)
	s := store(t, srv, id)
	assert.Equal(t, kmstest.XksProxyConfiguration{AccessKeyId: akidNew, RawSecretAccessKey: secretNew,
		Connectivity: kmstest.ConnectivityPublicEndpoint, UriEndpoint: "https://new.example.com", UriPath: pathPrefixed},
		s.XksProxyConfiguration)
	r := call(t, srv, kmstest.TargetDescribeCustomKeyStores, m{"CustomKeyStoreId": id})
	assert.NotContains(t, r.Raw, secretNew)
	e := describeOne(t, srv, id)
	require.NotNil(t, e.XksProxyConfiguration)
	assert.Equal(t, akidNew, e.XksProxyConfiguration.AccessKeyId)
	assert.Empty(t, e.XksProxyConfiguration.VpcEndpointServiceName)
	assert.Empty(t, e.CloudHsmClusterId)

	vid := createdID(t, create(t, srv, vpcCreate()))
	e = describeOne(t, srv, vid)
	require.NotNil(t, e.XksProxyConfiguration)
	assert.Equal(t, "VPC_ENDPOINT_SERVICE", e.XksProxyConfiguration.Connectivity)
	assert.Equal(t, svcFree, e.XksProxyConfiguration.VpcEndpointServiceName)
	assert.Equal(t, ownerMain, e.XksProxyConfiguration.VpcEndpointServiceOwner)
}

// TestCreateErrors: every exception CreateCustomKeyStore documents that the
// fake produces from the seeded world, and its validation.
func TestCreateErrors(t *testing.T) {
	tests := []struct {
		name  string
		setup func(t *testing.T, srv *kmstest.Server)
		body  m
		code  string
		in    string // in the message
	}{
		{name: "name in use", body: with(hsmCreate(), m{"CustomKeyStoreName": "hsm-one"}), code: kmstest.CodeCustomKeyStoreNameInUse},
		{name: "cluster not found", body: with(hsmCreate(), m{"CloudHsmClusterId": clusterMissing}), code: kmstest.CodeCloudHsmClusterNotFound},
		{name: "cluster in use", body: with(hsmCreate(), m{"CloudHsmClusterId": clusterOrigin}), code: kmstest.CodeCloudHsmClusterInUse},
		{name: "related cluster in use", body: with(hsmCreate(), m{"CloudHsmClusterId": clusterRelated}), code: kmstest.CodeCloudHsmClusterInUse},
		{name: "cluster not active", setup: func(t *testing.T, srv *kmstest.Server) {
			require.NoError(t, srv.SetCluster(kmstest.Cluster{ClusterId: clusterFree, BackupLineage: "lineage-free", State: "UNINITIALIZED"}))
		}, body: hsmCreate(), code: kmstest.CodeCloudHsmClusterNotActive},
		{name: "wrong trust anchor", body: with(hsmCreate(), m{"TrustAnchorCertificate": "another certificate"}), code: kmstest.CodeIncorrectTrustAnchor},
		{name: "cluster misconfigured", setup: func(t *testing.T, srv *kmstest.Server) {
			require.NoError(t, srv.SetCluster(kmstest.Cluster{ClusterId: clusterFree, BackupLineage: "lineage-free", InvalidConfiguration: true}))
		}, body: hsmCreate(), code: kmstest.CodeCloudHsmClusterInvalidConfiguration},
		{name: "one HSM", setup: func(t *testing.T, srv *kmstest.Server) {
			require.NoError(t, srv.SetCluster(kmstest.Cluster{ClusterId: clusterFree, BackupLineage: "lineage-free", HsmCount: intp(1)}))
		}, body: hsmCreate(), code: kmstest.CodeCloudHsmClusterInvalidConfiguration, in: "1 active HSMs"},
		{name: "limit", setup: func(t *testing.T, srv *kmstest.Server) {
			require.NoError(t, srv.SetCustomKeyStoreLimit(5))
		}, body: hsmCreate(), code: kmstest.CodeLimitExceeded},

		{name: "uri in use", body: with(xksCreate(), m{"XksProxyUriEndpoint": endpointPublic, "XksProxyUriPath": pathV1}),
			code: kmstest.CodeXksProxyUriInUse},
		{name: "vpc endpoint in use", body: with(vpcCreate(), m{"XksProxyUriEndpoint": endpointPublic, "XksProxyUriPath": pathPrefixed}), code: kmstest.CodeXksProxyUriEndpointInUse},
		{name: "public endpoint of a vpc store", body: with(xksCreate(), m{"XksProxyUriEndpoint": endpointVpc}),
			code: kmstest.CodeXksProxyUriEndpointInUse},
		{name: "unreachable", body: with(xksCreate(), m{"XksProxyUriEndpoint": endpointDown}), code: kmstest.CodeXksProxyUriUnreachable},
		{name: "no proxy", body: xksCreate(), code: kmstest.CodeXksProxyUriUnreachable},
		{name: "wrong credential", setup: func(t *testing.T, srv *kmstest.Server) {
			require.NoError(t, srv.SetXksProxy(kmstest.XksProxy{UriEndpoint: "https://new.example.com", AccessKeyId: akidOld, RawSecretAccessKey: secretOld}))
		}, body: xksCreate(), code: kmstest.CodeXksProxyIncorrectAuthenticationCredential},
		{name: "invalid response", setup: func(t *testing.T, srv *kmstest.Server) {
			require.NoError(t, srv.SetXksProxy(kmstest.XksProxy{UriEndpoint: "https://new.example.com", InvalidResponse: true}))
		}, body: xksCreate(), code: kmstest.CodeXksProxyInvalidResponse},
		{name: "service on a public store", body: with(xksCreate(), m{"XksProxyVpcEndpointServiceName": svcFree}),
			code: kmstest.CodeXksProxyInvalidConfiguration},
		{name: "vpc service in use", body: with(vpcCreate(), m{"XksProxyVpcEndpointServiceName": svcUsed}), code: kmstest.CodeXksProxyVpcEndpointServiceInUse},
		{name: "vpc service not found", body: with(vpcCreate(), m{"XksProxyVpcEndpointServiceName": svcAbsent}), code: kmstest.CodeXksProxyVpcEndpointServiceNotFound},
		{name: "vpc service other owner", body: with(vpcCreate(), m{"XksProxyVpcEndpointServiceOwner": ownerElse}), code: kmstest.CodeXksProxyVpcEndpointServiceNotFound},
		{name: "vpc service misconfigured", body: with(vpcCreate(), m{"XksProxyVpcEndpointServiceName": svcBad}),
			code: kmstest.CodeXksProxyVpcEndpointServiceInvalidConfiguration},

		{name: "no name", body: with(hsmCreate(), m{"CustomKeyStoreName": nil}), code: kmstest.CodeValidation, in: "customKeyStoreName"},
		{name: "short password", body: with(hsmCreate(), m{"KeyStorePassword": "short"}), code: kmstest.CodeValidation, in: "keyStorePassword"},
		{name: "bad cluster id", body: with(hsmCreate(), m{"CloudHsmClusterId": "cluster-1"}), code: kmstest.CodeValidation, in: "cloudHsmClusterId"},
		{name: "empty trust anchor", body: with(hsmCreate(), m{"TrustAnchorCertificate": ""}), code: kmstest.CodeValidation, in: "trustAnchorCertificate"},
		{name: "bad type", body: with(hsmCreate(), m{"CustomKeyStoreType": "aws_cloudhsm"}), code: kmstest.CodeValidation, in: "customKeyStoreType"},
		{name: "cloudhsm without cluster", body: with(hsmCreate(), m{"CloudHsmClusterId": nil}), code: kmstest.CodeValidation, in: "CloudHsmClusterId"},
		{name: "cloudhsm without anchor", body: with(hsmCreate(), m{"TrustAnchorCertificate": nil}), code: kmstest.CodeValidation, in: "TrustAnchorCertificate"},
		{name: "cloudhsm with xks member", body: with(hsmCreate(), m{"XksProxyUriPath": pathV1}), code: kmstest.CodeValidation, in: "XksProxyUriPath"},
		{name: "external without credential", body: with(xksCreate(), m{"XksProxyAuthenticationCredential": nil}), code: kmstest.CodeValidation,
			in: "XksProxyAuthenticationCredential"},
		{name: "external with password", body: with(xksCreate(), m{"KeyStorePassword": "kmsuser-free"}), code: kmstest.CodeValidation, in: "KeyStorePassword"},
		{name: "vpc without service", body: with(vpcCreate(), m{"XksProxyVpcEndpointServiceName": nil}), code: kmstest.CodeValidation,
			in: "XksProxyVpcEndpointServiceName"},
		{name: "bad endpoint", body: with(xksCreate(), m{"XksProxyUriEndpoint": "http://new.example.com"}), code: kmstest.CodeValidation, in: "xksProxyUriEndpoint"},
		{name: "short secret", body: with(xksCreate(), m{"XksProxyAuthenticationCredential": cred(akidNew, "short")}), code: kmstest.CodeValidation,
			in: "xksProxyAuthenticationCredential.rawSecretAccessKey"},
		{name: "credential not a structure", body: with(xksCreate(), m{"XksProxyAuthenticationCredential": "x"}), code: kmstest.CodeValidation},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newCreateWorld(t)
			if tt.setup != nil {
				tt.setup(t, srv)
			}
			before := srv.Stores()
			r := create(t, srv, tt.body)
			requireCode(t, r, tt.code)
			if tt.in != "" {
				assert.Contains(t, r.Message, tt.in)
			}
			assert.Equal(t, before, srv.Stores(), "a failed create adds nothing")
			for _, secret := range []string{"kmsuser-free", secretNew} {
				assert.NotContains(t, r.Raw, secret)
			}
		})
	}
}

// TestCreateLimitSeed: a seeded limit counts the seeded stores.
func TestCreateLimitSeed(t *testing.T) {
	srv := kmstest.NewServer()
	t.Cleanup(srv.Close)
	seed := worldSeed()
	seed.CustomKeyStoreLimit = len(seed.Stores) + 1
	seed.Clusters = append(seed.Clusters, kmstest.Cluster{ClusterId: clusterFree, BackupLineage: "lineage-free"},
		kmstest.Cluster{ClusterId: "cluster-second234abc", BackupLineage: "lineage-second"})
	require.NoError(t, srv.Load(seed))
	createdID(t, create(t, srv, hsmCreate()))
	r := create(t, srv, with(hsmCreate(), m{"CustomKeyStoreName": "one-too-many", "CloudHsmClusterId": "cluster-second234abc"}))
	requireCode(t, r, kmstest.CodeLimitExceeded)
	require.NoError(t, srv.SetCustomKeyStoreLimit(0))
	createdID(t, create(t, srv, with(hsmCreate(), m{"CustomKeyStoreName": "one-too-many", "CloudHsmClusterId": "cluster-second234abc"})))
	require.Error(t, srv.SetCustomKeyStoreLimit(-1))
}

// TestCreateConnectDelete: a created store lives the whole lifecycle.
func TestCreateConnectDelete(t *testing.T) {
	clk := kmstest.NewManualClock(t0)
	srv := kmstest.NewServer(kmstest.WithClock(clk.Now), kmstest.WithTransitionDelay(delay))
	t.Cleanup(srv.Close)
	require.NoError(t, srv.SetCluster(kmstest.Cluster{ClusterId: clusterFree, TrustAnchorCertificate: anchorFree, KmsuserPassword: "kmsuser-free"}))
	id := createdID(t, create(t, srv, hsmCreate()))
	requireOK(t, connect(t, srv, id))
	clk.Advance(delay)
	requireState(t, srv, id, kmstest.StateConnected, "")
	requireCode(t, deleteStore(t, srv, id), kmstest.CodeCustomKeyStoreInvalidState)
	requireOK(t, disconnect(t, srv, id))
	clk.Advance(delay)
	requireOK(t, deleteStore(t, srv, id))
	assert.Empty(t, srv.Stores())
	// The name and the cluster are free again.
	id2 := createdID(t, create(t, srv, hsmCreate()))
	assert.NotEqual(t, id, id2)
	assert.True(t, strings.HasPrefix(id2, "cks-"))
}

// TestCreateSecretsNotRecorded: the recorded calls of CreateCustomKeyStore
// hold neither the kmsuser password nor the proxy's secret access key.
func TestCreateSecretsNotRecorded(t *testing.T) {
	srv := newCreateWorld(t)
	require.NoError(t, srv.SetXksProxy(kmstest.XksProxy{UriEndpoint: "https://new.example.com"}))
	createdID(t, create(t, srv, hsmCreate()))
	createdID(t, create(t, srv, xksCreate()))
	calls := srv.Calls()
	require.Len(t, calls, 2)
	b, err := json.Marshal(calls)
	require.NoError(t, err)
	assert.NotContains(t, string(b), "kmsuser-free")
	assert.NotContains(t, string(b), secretNew)
	assert.Equal(t, kmstest.Redacted, calls[0].Input["KeyStorePassword"])
	assert.Equal(t, kmstest.TargetCreateCustomKeyStore, calls[1].Target)
}

// TestCreateTrustAnchorWhiteSpace: the trust anchor of a PEM file, with
// the newline it ends with (aws kms create-custom-key-store
// --trust-anchor-certificate file://customerCA.crt sends it) or CRLF line
// ends, is the cluster's trust anchor; another certificate is not.
func TestCreateTrustAnchorWhiteSpace(t *testing.T) {
	ca, _, err := selfsigned.Issue([]string{"hsm.example.com"}, time.Hour)
	require.NoError(t, err)
	realPEM := string(selfsigned.CertificatesPEM(ca.Raw)) // ends with "\n", as a file does
	other, _, err := selfsigned.Issue([]string{"hsm.example.com"}, time.Hour)
	require.NoError(t, err)
	otherPEM := string(selfsigned.CertificatesPEM(other.Raw))
	require.True(t, strings.HasSuffix(realPEM, "-----\n"))

	tests := []struct {
		name          string
		cluster, sent string
		code          string
	}{
		{"seeded without, sent with the file's newline", anchorFree, anchorFree + "\n", ""},
		{"seeded with, sent without", anchorFree + "\n", anchorFree, ""},
		{"CRLF line ends", anchorFree, strings.ReplaceAll(anchorFree, "\n", "\r\n") + "\r\n", ""},
		{"a PEM file as it is", realPEM, realPEM, ""},
		{"a PEM file without its newline", realPEM, strings.TrimSuffix(realPEM, "\n"), ""},
		{"a PEM file with CRLF", strings.TrimSuffix(realPEM, "\n"), strings.ReplaceAll(realPEM, "\n", "\r\n"), ""},
		{"another certificate", realPEM, otherPEM, kmstest.CodeIncorrectTrustAnchor},
		{"other text", anchorFree, strings.Replace(anchorFree, "free", "fret", 1) + "\n", kmstest.CodeIncorrectTrustAnchor},
		{"the same text inside", anchorFree, "x" + anchorFree, kmstest.CodeIncorrectTrustAnchor},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, _ := newClockedWorld(t)
			require.NoError(t, srv.SetCluster(kmstest.Cluster{ClusterId: clusterFree, TrustAnchorCertificate: tt.cluster}))
			r := call(t, srv, kmstest.TargetCreateCustomKeyStore, with(hsmCreate(), m{"TrustAnchorCertificate": tt.sent}))
			if tt.code != "" {
				requireCode(t, r, tt.code)
				return
			}
			require.Equal(t, 200, r.Status, r.Raw)
			var out struct{ CustomKeyStoreId string }
			require.NoError(t, json.Unmarshal([]byte(r.Raw), &out))
			assert.Equal(t, tt.sent, store(t, srv, out.CustomKeyStoreId).TrustAnchorCertificate, "kept as sent")
		})
	}
}
