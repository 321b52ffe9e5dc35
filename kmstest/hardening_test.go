package kmstest_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kmskit/kms/kmstest"
)

// serveInProcess answers one UpdateCustomKeyStore with body through
// f.ServeHTTP, without a listener, and returns the request ID.
func serveInProcess(f *kmstest.Fake, body string) string {
	req := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	req.Header.Set("X-Amz-Target", kmstest.TargetUpdateCustomKeyStore)
	w := httptest.NewRecorder()
	f.ServeHTTP(w, req)
	return w.Header().Get("X-Amzn-Requestid")
}

// TestWithMaxCalls: Calls keeps the last n calls, oldest first; 0 keeps
// none while the hook still sees every call; the default keeps
// DefaultMaxCalls (today: every call, without bound).
func TestWithMaxCalls(t *testing.T) {
	t.Run("3 of 7", func(t *testing.T) {
		f := kmstest.NewFake(kmstest.WithMaxCalls(3))
		var ids []string
		for range 7 {
			ids = append(ids, serveInProcess(f, `{"CustomKeyStoreId":"cks-missing"}`))
		}
		calls := f.Calls()
		require.Len(t, calls, 3)
		for i, c := range calls {
			assert.Equal(t, ids[4+i], c.RequestID, "oldest first, oldest dropped")
		}
		f.ResetCalls()
		assert.Empty(t, f.Calls())
		id := serveInProcess(f, `{}`)
		require.Len(t, f.Calls(), 1)
		assert.Equal(t, id, f.Calls()[0].RequestID)
	})
	t.Run("0 keeps none", func(t *testing.T) {
		var mu sync.Mutex
		hooked := 0
		f := kmstest.NewFake(kmstest.WithMaxCalls(0), kmstest.WithCallHook(func(kmstest.Call) {
			mu.Lock()
			hooked++
			mu.Unlock()
		}))
		for range 5 {
			serveInProcess(f, `{}`)
		}
		assert.Empty(t, f.Calls())
		assert.Equal(t, 5, hooked)
	})
	t.Run("default", func(t *testing.T) {
		f := kmstest.NewFake()
		n := kmstest.DefaultMaxCalls + 5
		var first, last string
		for i := range n {
			id := serveInProcess(f, `{}`)
			if i == 5 {
				first = id
			}
			last = id
		}
		calls := f.Calls()
		require.Len(t, calls, kmstest.DefaultMaxCalls)
		assert.Equal(t, 10000, kmstest.DefaultMaxCalls)
		assert.Equal(t, first, calls[0].RequestID)
		assert.Equal(t, last, calls[len(calls)-1].RequestID)
	})
}

// TestAccessKeyIdIsSensitive: the fake's ValidationException message and
// its recorded call show AccessKeyId as AWS's marker, like the other two
// secrets.
func TestAccessKeyIdIsSensitive(t *testing.T) {
	srv := newWorld(t)
	const badAKID = "lowercase-access-key-id"
	r := update(t, srv, m{"CustomKeyStoreId": xksPublic, "XksProxyAuthenticationCredential": cred(badAKID, secretNew)})
	requireCode(t, r, kmstest.CodeValidation)
	assert.NotContains(t, r.Raw, badAKID)
	assert.Contains(t, r.Message, "Value '*** Sensitive Data Redacted ***' at 'xksProxyAuthenticationCredential.accessKeyId'")
	calls := srv.Calls()
	require.NotEmpty(t, calls)
	last := calls[len(calls)-1]
	assert.Equal(t, m{"AccessKeyId": kmstest.Redacted, "RawSecretAccessKey": kmstest.Redacted}, last.Input["XksProxyAuthenticationCredential"])
	assert.NotContains(t, last.Message, badAKID)
	assert.Equal(t, "*** Sensitive Data Redacted ***", kmstest.Redacted)
}

// TestEchoedValuesTruncated: a long value is cut where a message repeats
// it.
func TestEchoedValuesTruncated(t *testing.T) {
	srv := newWorld(t)
	long := strings.Repeat("n", 5000)
	r := update(t, srv, m{"CustomKeyStoreId": hsmConnected, "NewCustomKeyStoreName": long})
	requireCode(t, r, kmstest.CodeValidation)
	assert.Contains(t, r.Message, "Value '"+strings.Repeat("n", 128)+"...' at 'newCustomKeyStoreName'")
	assert.Less(t, len(r.Raw), 1000)

	r = sendRaw(t, srv, "TrentService."+strings.Repeat("X", 5000), `{}`)
	requireCode(t, r, kmstest.CodeUnknownOperation)
	assert.Less(t, len(r.Raw), 1000)
}

// TestInvalidUTF8IsSerializationException: a string member holding an
// invalid byte sequence is refused, not stored with U+FFFD.
func TestInvalidUTF8IsSerializationException(t *testing.T) {
	srv := newWorld(t)
	before := store(t, srv, hsmConnected)
	r := sendRaw(t, srv, kmstest.TargetUpdateCustomKeyStore, `{"CustomKeyStoreId":"`+hsmConnected+`","NewCustomKeyStoreName":"bad\xff\xfename"}`)
	requireCode(t, r, kmstest.CodeSerialization)
	assert.Equal(t, before, store(t, srv, hsmConnected), "nothing stored")
}

// TestContentTypeErrorNamesBothTypes: the message names both accepted
// media types.
func TestContentTypeErrorNamesBothTypes(t *testing.T) {
	srv := newWorld(t)
	req, err := http.NewRequest(http.MethodPost, srv.URL+"/", strings.NewReader(`{}`))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Amz-Target", kmstest.TargetUpdateCustomKeyStore)
	r := do(t, srv.Client(), req)
	requireCode(t, r, kmstest.CodeUnknownOperation)
	assert.Contains(t, r.Message, "application/x-amz-json-1.1")
	assert.Contains(t, r.Message, "application/x-amz-json-1.0")
}

// TestEveryEchoIsCutAt128: wherever a message repeats a request value, a
// long one is cut after 128 characters and marked "...": a name in
// CustomKeyStoreNotFoundException and CustomKeyStoreNameInUseException, the
// path and Content-Type of UnknownOperationException, and the Region of a
// SigV4 scope in InvalidSignatureException.
func TestEveryEchoIsCutAt128(t *testing.T) {
	srv := newWorld(t)
	long := strings.Repeat("n", 200) // a valid name: at most 256 characters
	require.NoError(t, srv.AddStore(kmstest.Store{CustomKeyStoreId: "cks-longname00000001", CustomKeyStoreName: long,
		CustomKeyStoreType: kmstest.TypeCloudHSM}))
	cutAt128 := func(t *testing.T, message string, value string) {
		t.Helper()
		assert.Contains(t, message, value[:128]+"...")
		assert.NotContains(t, message, value[:129])
	}

	r := call(t, srv, kmstest.TargetDescribeCustomKeyStores, m{"CustomKeyStoreName": strings.Repeat("d", 200)})
	requireCode(t, r, kmstest.CodeCustomKeyStoreNotFound)
	cutAt128(t, r.Message, strings.Repeat("d", 200))

	r = update(t, srv, m{"CustomKeyStoreId": hsmDisconnected, "NewCustomKeyStoreName": long})
	requireCode(t, r, kmstest.CodeCustomKeyStoreNameInUse)
	cutAt128(t, r.Message, long)

	req, err := http.NewRequest(http.MethodPost, srv.URL+"/"+strings.Repeat("p", 5000), strings.NewReader(`{}`))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	r = do(t, srv.Client(), req)
	requireCode(t, r, kmstest.CodeUnknownOperation)
	cutAt128(t, r.Message, "/"+strings.Repeat("p", 5000))

	req, err = http.NewRequest(http.MethodPost, srv.URL+"/", strings.NewReader(`{}`))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "text/"+strings.Repeat("c", 5000))
	r = do(t, srv.Client(), req)
	requireCode(t, r, kmstest.CodeUnknownOperation)
	cutAt128(t, r.Message, "text/"+strings.Repeat("c", 5000))

	signed := kmstest.NewServer(kmstest.WithSigV4(testCred), kmstest.WithRegion("us-east-1"))
	t.Cleanup(signed.Close)
	r = do(t, signed.Client(), signedRequest(t, signed, `{}`, signOpts{region: strings.Repeat("r", 5000)}))
	requireCode(t, r, kmstest.CodeInvalidSignature)
	cutAt128(t, r.Message, strings.Repeat("r", 5000))
}
