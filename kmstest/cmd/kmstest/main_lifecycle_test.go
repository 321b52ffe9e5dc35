package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kmskit/kms/kmstest"
)

// TestExampleSeedLifecycle: the example seed's new fields take effect: its
// external store connects to its proxy, its CloudHSM store holds keys and
// cannot be deleted, a store created on the test cluster with that
// cluster's trust anchor connects with the seeded kmsuser password, and the
// lab cluster without HSMs cannot take a store.
func TestExampleSeedLifecycle(t *testing.T) {
	seed, err := loadSeed("example-seed.json")
	require.NoError(t, err)
	fake, err := newFake(seed, "", 0, slog.New(slog.NewTextHandler(io.Discard, nil)))
	require.NoError(t, err)
	cs := seed.Credentials[0]
	send := func(target, body string) (int, map[string]any) {
		t.Helper()
		res, out := serveSignedTo(t, fake, cs, "TrentService."+target, body)
		var m map[string]any
		require.NoError(t, json.Unmarshal([]byte(out), &m), out)
		return res.StatusCode, m
	}
	state := func(id string) string {
		t.Helper()
		st, ok := fake.Store(id)
		require.True(t, ok)
		return string(st.ConnectionState) + " " + st.ConnectionErrorCode
	}

	status, _ := send("ConnectCustomKeyStore", `{"CustomKeyStoreId":"cks-9876543210fedcba9"}`)
	require.Equal(t, http.StatusOK, status)
	assert.Equal(t, "CONNECTED ", state("cks-9876543210fedcba9"))

	status, _ = send("DisconnectCustomKeyStore", `{"CustomKeyStoreId":"cks-1234567890abcdef0"}`)
	require.Equal(t, http.StatusOK, status)
	status, out := send("DeleteCustomKeyStore", `{"CustomKeyStoreId":"cks-1234567890abcdef0"}`)
	require.Equal(t, http.StatusBadRequest, status)
	assert.Equal(t, kmstest.CodeCustomKeyStoreHasCMKs, out["__type"])

	var test, lab kmstest.Cluster
	for _, c := range seed.Clusters {
		switch c.ClusterId {
		case "cluster-5d67e2fghij":
			test = c
		case "cluster-7f2a3hijklm":
			lab = c
		}
	}
	require.NotEmpty(t, test.TrustAnchorCertificate)
	require.NotEmpty(t, test.KmsuserPassword)
	create, _ := json.Marshal(map[string]string{"CustomKeyStoreName": "TestStore", "CloudHsmClusterId": test.ClusterId,
		"TrustAnchorCertificate": test.TrustAnchorCertificate, "KeyStorePassword": test.KmsuserPassword})
	status, out = send("CreateCustomKeyStore", string(create))
	require.Equal(t, http.StatusOK, status, "%v", out)
	id, _ := out["CustomKeyStoreId"].(string)
	status, _ = send("ConnectCustomKeyStore", `{"CustomKeyStoreId":"`+id+`"}`)
	require.Equal(t, http.StatusOK, status)
	assert.Equal(t, "CONNECTED ", state(id))

	require.NotNil(t, lab.HsmCount)
	create, _ = json.Marshal(map[string]string{"CustomKeyStoreName": "LabStore", "CloudHsmClusterId": lab.ClusterId,
		"TrustAnchorCertificate": "any", "KeyStorePassword": "lab-password"})
	status, out = send("CreateCustomKeyStore", string(create))
	require.Equal(t, http.StatusBadRequest, status)
	assert.Equal(t, kmstest.CodeCloudHsmClusterInvalidConfiguration, out["__type"])
}

// TestRunTransitionDelay: -transition-delay sets how long a store of the
// standalone server stays CONNECTING.
func TestRunTransitionDelay(t *testing.T) {
	for _, tt := range []struct {
		delay, want string
	}{{"1h", "CONNECTING"}, {"0", "FAILED"}} {
		t.Run(tt.delay, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			seedFile := filepath.Join(t.TempDir(), "seed.json")
			require.NoError(t, os.WriteFile(seedFile, []byte(`{"VpcEndpointServices": [
				{"ServiceName": "com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0"}]}`), 0o600))
			addr, _, wait := startRun(t, ctx, "-seed", seedFile, "-transition-delay", tt.delay)
			post := func(target, body string) map[string]any {
				t.Helper()
				req, err := http.NewRequest(http.MethodPost, "http://"+addr+"/", strings.NewReader(body))
				require.NoError(t, err)
				req.Header.Set("Content-Type", "application/x-amz-json-1.1")
				req.Header.Set("X-Amz-Target", target)
				res, err := http.DefaultClient.Do(req)
				require.NoError(t, err)
				defer res.Body.Close()
				var m map[string]any
				require.NoError(t, json.NewDecoder(res.Body).Decode(&m))
				require.Equal(t, http.StatusOK, res.StatusCode, "%v", m)
				return m
			}
			out := post(kmstest.TargetCreateCustomKeyStore, `{"CustomKeyStoreName":"s","CustomKeyStoreType":"EXTERNAL_KEY_STORE",
				"XksProxyConnectivity":"VPC_ENDPOINT_SERVICE","XksProxyUriEndpoint":"https://p.example.com","XksProxyUriPath":"/kms/xks/v1",
				"XksProxyVpcEndpointServiceName":"com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0",
				"XksProxyAuthenticationCredential":{"AccessKeyId":"ABCDE234567ABEXAMPLE","RawSecretAccessKey":"DXjSUawnel2fr6SKC7G25CNxTyWKE5PF9XX6H/u9pSo="}}`)
			id, _ := out["CustomKeyStoreId"].(string)
			require.NotEmpty(t, id)
			post(kmstest.TargetConnectCustomKeyStore, `{"CustomKeyStoreId":"`+id+`"}`)
			out = post(kmstest.TargetDescribeCustomKeyStores, `{"CustomKeyStoreId":"`+id+`"}`)
			stores, _ := out["CustomKeyStores"].([]any)
			require.Len(t, stores, 1)
			entry, _ := stores[0].(map[string]any)
			if tt.want == "FAILED" {
				// No proxy is seeded: with no delay the connection
				// has already failed, with the code KMS gives.
				assert.Equal(t, "FAILED", entry["ConnectionState"])
				assert.Equal(t, "XKS_PROXY_NOT_REACHABLE", entry["ConnectionErrorCode"])
			} else {
				assert.Equal(t, tt.want, entry["ConnectionState"])
			}
			cancel()
			require.NoError(t, wait())
		})
	}
	var out bytes.Buffer
	assert.ErrorIs(t, run(context.Background(), []string{"-transition-delay", "soon"}, &out, nil), errUsage)
}
