package kmstest_test

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kmskit/kms/kmstest"
)

// TestDocumentedExceptions provokes each of the seventeen documented
// exceptions with a scenario and checks that no store changed.
func TestDocumentedExceptions(t *testing.T) {
	tests := []struct {
		code  string
		setup func(t *testing.T, srv *kmstest.Server)
		body  m
	}{
		{code: kmstest.CodeCloudHsmClusterInvalidConfiguration,
			body: m{"CustomKeyStoreId": hsmDisconnected, "CloudHsmClusterId": clusterBadConfig}},
		{code: kmstest.CodeCloudHsmClusterNotActive,
			body: m{"CustomKeyStoreId": hsmDisconnected, "CloudHsmClusterId": clusterInactive}},
		{code: kmstest.CodeCloudHsmClusterNotFound,
			body: m{"CustomKeyStoreId": hsmDisconnected, "CloudHsmClusterId": clusterMissing}},
		{code: kmstest.CodeCloudHsmClusterNotRelated,
			body: m{"CustomKeyStoreId": hsmDisconnected, "CloudHsmClusterId": clusterUnrelated}},
		{code: kmstest.CodeCustomKeyStoreInvalidState,
			body: m{"CustomKeyStoreId": hsmConnected, "KeyStorePassword": "new-password"}},
		{code: kmstest.CodeCustomKeyStoreNameInUse,
			body: m{"CustomKeyStoreId": hsmConnected, "NewCustomKeyStoreName": "xks-one"}},
		{code: kmstest.CodeCustomKeyStoreNotFound,
			body: m{"CustomKeyStoreId": "cks-doesnotexist0001", "NewCustomKeyStoreName": "anything"}},
		{code: kmstest.CodeKMSInternal,
			setup: func(t *testing.T, srv *kmstest.Server) {
				srv.FailNext(1, kmstest.Fault{Code: kmstest.CodeKMSInternal})
			},
			body: m{"CustomKeyStoreId": hsmConnected, "NewCustomKeyStoreName": "renamed"}},
		{code: kmstest.CodeXksProxyIncorrectAuthenticationCredential,
			body: m{"CustomKeyStoreId": xksPublic, "XksProxyAuthenticationCredential": cred(akidNew, secretNew)}},
		{code: kmstest.CodeXksProxyInvalidConfiguration,
			body: m{"CustomKeyStoreId": xksPublicDisc, "XksProxyConnectivity": "VPC_ENDPOINT_SERVICE",
				"XksProxyVpcEndpointServiceName": svcFree}},
		{code: kmstest.CodeXksProxyInvalidResponse,
			setup: func(t *testing.T, srv *kmstest.Server) {
				require.NoError(t, srv.SetXksProxy(kmstest.XksProxy{UriEndpoint: endpointPublic, UriPath: pathV1,
					AccessKeyId: akidNew, RawSecretAccessKey: secretNew, InvalidResponse: true}))
			},
			body: m{"CustomKeyStoreId": xksPublic, "XksProxyAuthenticationCredential": cred(akidNew, secretNew)}},
		{code: kmstest.CodeXksProxyUriEndpointInUse,
			body: m{"CustomKeyStoreId": xksVpc, "XksProxyUriEndpoint": endpointPublic, "XksProxyUriPath": pathPrefixed}},
		{code: kmstest.CodeXksProxyUriInUse,
			body: m{"CustomKeyStoreId": xksPublicDisc, "XksProxyUriEndpoint": endpointPublic}},
		{code: kmstest.CodeXksProxyUriUnreachable,
			body: m{"CustomKeyStoreId": xksPublic, "XksProxyUriPath": pathPrefixed}},
		{code: kmstest.CodeXksProxyVpcEndpointServiceInUse,
			body: m{"CustomKeyStoreId": xksPublicDisc, "XksProxyConnectivity": "VPC_ENDPOINT_SERVICE",
				"XksProxyUriEndpoint": "https://xks3.vpce.example.com", "XksProxyVpcEndpointServiceName": svcUsed}},
		{code: kmstest.CodeXksProxyVpcEndpointServiceInvalidConfiguration,
			body: m{"CustomKeyStoreId": xksVpc, "XksProxyVpcEndpointServiceName": svcBad}},
		{code: kmstest.CodeXksProxyVpcEndpointServiceNotFound,
			body: m{"CustomKeyStoreId": xksVpc, "XksProxyVpcEndpointServiceName": svcAbsent}},
	}

	covered := map[string]bool{}
	for _, tt := range tests {
		covered[tt.code] = true
		t.Run(tt.code, func(t *testing.T) {
			srv := newWorld(t)
			if tt.setup != nil {
				tt.setup(t, srv)
			}
			before := srv.Stores()

			r := update(t, srv, tt.body)

			requireCode(t, r, tt.code)
			assert.Equal(t, before, srv.Stores(), "a failed update must change nothing")
			calls := srv.Calls()
			require.Len(t, calls, 1)
			assert.Equal(t, tt.code, calls[0].Code)
			assert.Equal(t, r.RequestID, calls[0].RequestID)
		})
	}
	assert.ElementsMatch(t, kmstest.DocumentedCodes(), mapKeys(covered), "every documented exception has a scenario")
}

// TestExceptionStatuses checks the HTTP status of each documented exception.
func TestExceptionStatuses(t *testing.T) {
	for _, code := range kmstest.DocumentedCodes() {
		want := http.StatusBadRequest
		if code == kmstest.CodeKMSInternal {
			want = http.StatusInternalServerError
		}
		assert.Equal(t, want, kmstest.StatusFor(code), code)
	}
	assert.Len(t, kmstest.DocumentedCodes(), 17)
}

func mapKeys(set map[string]bool) []string {
	out := make([]string, 0, len(set))
	for k := range set {
		out = append(out, k)
	}
	return out
}
