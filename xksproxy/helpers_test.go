package xksproxy_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/kmskit/kms/xksproxy"
)

const (
	testAKID   = "AKIAXKSPROXY234567AB"
	testSecret = "secretSECRETsecretSECRETsecretSECRET1234567"
	testRegion = "us-west-2"
	testPath   = "/example-prefix/kms/xks/v1"
)

var (
	testCred = xksproxy.Credential{AccessKeyID: testAKID, SecretAccessKey: testSecret}
	testMD   = xksproxy.RequestMetadata{
		AwsPrincipalArn: "arn:aws:iam::123456789012:user/Alice",
		KmsKeyArn:       "arn:aws:kms:us-west-2:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
		KmsOperation:    "Encrypt",
		KmsRequestId:    "4112f4d6-db54-4af4-ae30-c55a22a8dfae",
		KmsViaService:   "ebs",
	}
)

// received is one request a canned server got.
type received struct {
	req  *http.Request
	body []byte
}

// canned is an httptest server that answers every request with one status,
// content type and body, and records what it got.
type canned struct {
	*httptest.Server
	mu    sync.Mutex
	got   []received
	reply func(w http.ResponseWriter, r *http.Request)
}

// newCanned starts a server answering status with body as JSON.
func newCanned(t *testing.T, status int, body string) *canned {
	return newCannedFunc(t, func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_, _ = io.WriteString(w, body)
	})
}

// newCannedFunc starts a server answering with reply.
func newCannedFunc(t *testing.T, reply func(w http.ResponseWriter, r *http.Request)) *canned {
	c := &canned{reply: reply}
	c.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		c.mu.Lock()
		c.got = append(c.got, received{r.Clone(r.Context()), b})
		c.mu.Unlock()
		c.reply(w, r)
	}))
	t.Cleanup(c.Close)
	return c
}

// requests returns what the server got.
func (c *canned) requests() []received {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]received(nil), c.got...)
}

// client returns an xksproxy client for the canned server.
func (c *canned) client(optFns ...func(*xksproxy.Options)) *xksproxy.Client {
	return xksproxy.New(xksproxy.Options{Endpoint: c.URL, UriPath: testPath, Region: testRegion, Credential: testCred, HTTPClient: c.Client()}, optFns...)
}

// jsonBody decodes a recorded JSON body.
func jsonBody(t *testing.T, b []byte) map[string]any {
	t.Helper()
	var m map[string]any
	d := json.NewDecoder(bytes.NewReader(b))
	require.NoError(t, d.Decode(&m))
	return m
}
