package kmstest_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/kmskit/kms/kmstest"
)

// The world that newWorld seeds.
const (
	hsmConnected    = "cks-hsm0000000000001"
	hsmDisconnected = "cks-hsm0000000000002"
	xksPublic       = "cks-xks0000000000001" // PUBLIC_ENDPOINT, CONNECTED
	xksVpc          = "cks-xks0000000000002" // VPC_ENDPOINT_SERVICE, DISCONNECTED
	xksPublicDisc   = "cks-xks0000000000003" // PUBLIC_ENDPOINT, DISCONNECTED

	clusterOrigin    = "cluster-origin2345ab"
	clusterRelated   = "cluster-related234ab"
	clusterUnrelated = "cluster-other2345abc"
	clusterInactive  = "cluster-inactive234a"
	clusterBadConfig = "cluster-badconfig23a"
	clusterMissing   = "cluster-missing2345a"

	endpointPublic     = "https://xks1.example.com"
	endpointVpc        = "https://xks2.vpce.example.com"
	endpointPublicDisc = "https://xks3.example.com"
	endpointDown       = "https://down.example.com"
	pathV1             = "/kms/xks/v1"
	pathPrefixed       = "/example/kms/xks/v1"

	svcUsed   = "com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0"
	svcFree   = "com.amazonaws.vpce.us-east-1.vpce-svc-0fedcba987654321a"
	svcBad    = "com.amazonaws.vpce.us-east-1.vpce-svc-0badbadbadbadbad0"
	svcOther  = "com.amazonaws.vpce.us-east-1.vpce-svc-0000000000000000f"
	svcAbsent = "com.amazonaws.vpce.us-east-1.vpce-svc-0404040404040404a"
	ownerMain = "111122223333"
	ownerElse = "444455556666"

	akidOld   = "AKIAXKSPROXY234567AB"
	secretOld = "secretSECRETsecretSECRETsecretSECRET1234567"
	akidNew   = "AKIAXKSPROXY234567CD"
	secretNew = "newSECRETnewSECRETnewSECRETnewSECRET1234567"
)

// worldFile is the one seeded world the tests of kmstest (and of the
// client against kmstest) start from. The constants above and the kt*
// constants of scenarios_test.go name things in it.
const worldFile = "testdata/world.json"

// worldSeed reads worldFile.
func worldSeed() kmstest.Seed {
	f, err := os.Open(worldFile)
	if err != nil {
		panic(err)
	}
	defer f.Close()
	seed, err := kmstest.ReadSeed(f)
	if err != nil {
		panic(err)
	}
	return seed
}

// newWorld starts a server seeded with worldSeed.
func newWorld(t *testing.T, opts ...kmstest.Option) *kmstest.Server {
	t.Helper()
	srv := kmstest.NewServer(opts...)
	t.Cleanup(srv.Close)
	require.NoError(t, srv.Load(worldSeed()))
	return srv
}

// reply is a decoded answer of the fake.
type reply struct {
	Status    int
	Header    http.Header
	Raw       string
	Code      string // __type
	Message   string
	RequestID string
}

// sendRaw posts body to srv with the awsJson1.1 headers for target.
func sendRaw(t *testing.T, srv *kmstest.Server, target, body string) reply {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, srv.URL+"/", bytes.NewBufferString(body))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	req.Header.Set("X-Amz-Target", target)
	return do(t, srv.Client(), req)
}

// do sends req and decodes the answer.
func do(t *testing.T, c *http.Client, req *http.Request) reply {
	t.Helper()
	res, err := c.Do(req)
	require.NoError(t, err)
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	require.NoError(t, err)
	return decodeReply(res, b)
}

// decodeReply decodes an answer of the fake whose body is b.
func decodeReply(res *http.Response, b []byte) reply {
	r := reply{Status: res.StatusCode, Header: res.Header, Raw: string(b), RequestID: res.Header.Get("x-amzn-RequestId")}
	var env struct {
		Type    string `json:"__type"`
		Message string `json:"message"`
	}
	if json.Unmarshal(b, &env) == nil {
		r.Code, r.Message = env.Type, env.Message
	}
	return r
}

// m is a JSON object for a request body.
type m = map[string]any

// update sends UpdateCustomKeyStore with the members in body.
func update(t *testing.T, srv *kmstest.Server, body m) reply {
	t.Helper()
	b, err := json.Marshal(body)
	require.NoError(t, err)
	return sendRaw(t, srv, kmstest.TargetUpdateCustomKeyStore, string(b))
}

// requireOK asserts a success answer.
func requireOK(t *testing.T, r reply) {
	t.Helper()
	require.Equal(t, http.StatusOK, r.Status, "answer: %s", r.Raw)
	require.JSONEq(t, `{}`, r.Raw)
}

// requireCode asserts an error answer with code and its model status.
func requireCode(t *testing.T, r reply, code string) {
	t.Helper()
	require.Equal(t, code, r.Code, "answer: %s", r.Raw)
	require.Equal(t, kmstest.StatusFor(code), r.Status, "answer: %s", r.Raw)
	require.NotEmpty(t, r.Message)
}

// store reads a store back, failing the test when it is missing.
func store(t *testing.T, srv *kmstest.Server, id string) kmstest.Store {
	t.Helper()
	s, ok := srv.Store(id)
	require.True(t, ok, "store %s", id)
	return s
}

// cred is an XksProxyAuthenticationCredential member.
func cred(akid, secret string) m {
	return m{"AccessKeyId": akid, "RawSecretAccessKey": secret}
}
