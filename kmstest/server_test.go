package kmstest_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kmskit/kms/kmstest"
)

// TestTLSServer: the TLS variant serves HTTPS, and its Client trusts it
// while a default client does not.
func TestTLSServer(t *testing.T) {
	srv := kmstest.NewTLSServer()
	t.Cleanup(srv.Close)
	require.NoError(t, srv.Load(worldSeed()))
	require.True(t, strings.HasPrefix(srv.URL, "https://127.0.0.1:"), srv.URL)

	requireOK(t, update(t, srv, m{"CustomKeyStoreId": hsmConnected, "NewCustomKeyStoreName": "over-tls"}))
	assert.Equal(t, "over-tls", store(t, srv, hsmConnected).CustomKeyStoreName)

	req, err := http.NewRequest(http.MethodPost, srv.URL+"/", strings.NewReader(`{}`))
	require.NoError(t, err)
	_, err = (&http.Client{}).Do(req)
	require.Error(t, err, "an untrusting client must fail the TLS handshake")
}

// TestServerClose: after Close, the server refuses connections.
func TestServerClose(t *testing.T) {
	srv := kmstest.NewServer()
	require.True(t, strings.HasPrefix(srv.URL, "http://127.0.0.1:"), srv.URL)
	srv.Close()
	_, err := http.Post(srv.URL+"/", "application/x-amz-json-1.1", strings.NewReader(`{}`))
	require.Error(t, err)
}

// TestFakeAsHandler: a Fake serves on any mux or recorder, without a
// listener of its own.
func TestFakeAsHandler(t *testing.T) {
	f := kmstest.NewFake()
	require.NoError(t, f.Load(worldSeed()))
	req := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(`{"CustomKeyStoreId":"`+hsmConnected+`","NewCustomKeyStoreName":"via-handler"}`))
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	req.Header.Set("X-Amz-Target", kmstest.TargetUpdateCustomKeyStore)
	rec := httptest.NewRecorder()
	f.ServeHTTP(rec, req)
	assert.Equal(t, http.StatusOK, rec.Code)
	assert.Equal(t, "{}", rec.Body.String())
	assert.Regexp(t, uuidPattern, rec.Header().Get("x-amzn-RequestId"))
	s, ok := f.Store(hsmConnected)
	require.True(t, ok)
	assert.Equal(t, "via-handler", s.CustomKeyStoreName)
}

// TestIndependentServers: two servers share no state.
func TestIndependentServers(t *testing.T) {
	a, b := newWorld(t), newWorld(t)
	requireOK(t, update(t, a, m{"CustomKeyStoreId": hsmConnected, "NewCustomKeyStoreName": "only-a"}))
	assert.Equal(t, "hsm-one", store(t, b, hsmConnected).CustomKeyStoreName)
	assert.Empty(t, b.Calls())
}
