package kmstest_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kmskit/kms/kmstest"
)

// TestCallsRedactSecretNamesInAnyCase: a member named like a secret of the
// KMS model in another casing, at any depth, is recorded redacted in Calls
// and in what the call hook sees: "keyStorePassword", a nested
// "rawSecretAccessKey", "ACCESSKEYID", a Kelvin sign K (which
// encoding/json folds to k), and a credential structure sent as a string
// or an array.
func TestCallsRedactSecretNamesInAnyCase(t *testing.T) {
	var mu sync.Mutex
	var hooked []kmstest.Call
	srv := newWorld(t, kmstest.WithCallHook(func(c kmstest.Call) {
		mu.Lock()
		defer mu.Unlock()
		hooked = append(hooked, c)
	}))
	secrets := []string{"lower-camel-password", "nested-raw-secret-0123456789", "UPPERCASEACCESSKEYID2",
		"kelvin-password-123", "credential-as-a-string", "credential-in-an-array", "deep-in-a-list-secret"}
	body := m{
		"CustomKeyStoreId":                 hsmDisconnected,
		"keyStorePassword":                 secrets[0],
		"Extra":                            m{"deeper": []any{m{"rawSecretAccessKey": secrets[1]}}},
		"ACCESSKEYID":                      secrets[2],
		"\u212AeyStorePassword":            secrets[3],
		"xksproxyauthenticationcredential": secrets[4],
		"Other":                            m{"XKSPROXYAUTHENTICATIONCREDENTIAL": []any{secrets[5]}},
		"List":                             []any{[]any{m{"accesskeyid": secrets[6]}}},
	}
	update(t, srv, body)

	calls := srv.Calls()
	require.Len(t, calls, 1)
	in := calls[0].Input
	assert.Equal(t, kmstest.Redacted, in["keyStorePassword"])
	assert.Equal(t, m{"deeper": []any{m{"rawSecretAccessKey": kmstest.Redacted}}}, in["Extra"])
	assert.Equal(t, kmstest.Redacted, in["ACCESSKEYID"])
	assert.Equal(t, kmstest.Redacted, in["\u212AeyStorePassword"])
	assert.Equal(t, kmstest.Redacted, in["xksproxyauthenticationcredential"])
	assert.Equal(t, m{"XKSPROXYAUTHENTICATIONCREDENTIAL": kmstest.Redacted}, in["Other"])
	assert.Equal(t, []any{[]any{m{"accesskeyid": kmstest.Redacted}}}, in["List"])
	assert.Equal(t, hsmDisconnected, in["CustomKeyStoreId"], "other members are kept")

	mu.Lock()
	defer mu.Unlock()
	all, err := json.Marshal([]any{calls, hooked})
	require.NoError(t, err)
	for _, s := range secrets {
		assert.NotContains(t, string(all), s)
	}
}

// TestRecordedInputIsCut: an input over MaxRecordedInput bytes is kept cut,
// and marked: a long string ends in "..." and InputCut, an object with too
// many members gets an InputCut member saying how many were left out, and
// a long array ends with an element saying so. A small input is kept
// whole, and so is a long X-Amz-Target only up to 2 KiB.
func TestRecordedInputIsCut(t *testing.T) {
	f := kmstest.NewFake()
	long := strings.Repeat("n", 1<<20-100)
	serveInProcess(f, `{"CustomKeyStoreId":"cks-missing","NewCustomKeyStoreName":"`+long+`"}`)

	many := map[string]int{"CustomKeyStoreId": 0}
	for i := range 50000 {
		many[fmt.Sprintf("m%05d", i)] = i
	}
	b, err := json.Marshal(many)
	require.NoError(t, err)
	serveInProcess(f, string(b))

	arr := make([]int, 200000)
	b, err = json.Marshal(map[string]any{"CustomKeyStoreId": "cks-missing", "Array": arr})
	require.NoError(t, err)
	serveInProcess(f, string(b))

	small := `{"CustomKeyStoreId":"cks-missing","NewCustomKeyStoreName":"` + strings.Repeat("s", 5000) + `"}`
	serveInProcess(f, small)

	calls := f.Calls()
	require.Len(t, calls, 4)

	name, _ := calls[0].Input["NewCustomKeyStoreName"].(string)
	assert.True(t, strings.HasSuffix(name, "..."+kmstest.InputCut), "cut and marked")
	assert.True(t, strings.HasPrefix(long, strings.TrimSuffix(name, "..."+kmstest.InputCut)), "a prefix of the value")
	assert.Greater(t, len(name), kmstest.MaxRecordedInput/2)
	assert.Less(t, len(name), kmstest.MaxRecordedInput)
	assert.Equal(t, "cks-missing", calls[0].Input["CustomKeyStoreId"])

	in := calls[1].Input
	assert.Regexp(t, `^\d+ of 50001 members left out$`, in[kmstest.InputCut])
	assert.Less(t, len(in), 2000)
	assert.Greater(t, len(in), 100)
	assert.Equal(t, 0.0, in["CustomKeyStoreId"], "members are kept in name order")

	a, _ := calls[2].Input["Array"].([]any)
	require.NotEmpty(t, a)
	assert.Regexp(t, `^`+regexp.QuoteMeta(kmstest.InputCut)+` \d+ of 200000 elements left out$`, a[len(a)-1])
	assert.Less(t, len(a), 5000)

	assert.Equal(t, strings.Repeat("s", 5000), calls[3].Input["NewCustomKeyStoreName"], "a small input is whole")

	for _, c := range calls[:3] {
		enc, err := json.Marshal(c.Input)
		require.NoError(t, err)
		assert.Less(t, len(enc), kmstest.MaxRecordedInput+1000, "the recorded input is bounded")
	}

	f.ResetCalls()
	req := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(`{}`))
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	req.Header.Set("X-Amz-Target", "TrentService."+strings.Repeat("T", 500000))
	f.ServeHTTP(httptest.NewRecorder(), req)
	calls = f.Calls()
	require.Len(t, calls, 1)
	assert.True(t, strings.HasSuffix(calls[0].Target, "..."+kmstest.InputCut))
	assert.LessOrEqual(t, len(calls[0].Target), 2048+len("..."+kmstest.InputCut))
	assert.Less(t, len(calls[0].Message), 400, "the message repeats 128 characters of it")
}

// TestWithMaxCallBytes: the call log keeps the newest calls that fit in
// its byte budget, dropping the oldest first (and at most WithMaxCalls of
// them); the newest call is kept even when it alone is larger; 0 keeps
// none.
func TestWithMaxCallBytes(t *testing.T) {
	body := `{"CustomKeyStoreId":"cks-missing","NewCustomKeyStoreName":"` + strings.Repeat("x", 10000) + `"}`
	f := kmstest.NewFake(kmstest.WithMaxCallBytes(50000))
	var ids []string
	for range 20 {
		ids = append(ids, serveInProcess(f, body))
	}
	calls := f.Calls()
	require.NotEmpty(t, calls)
	assert.Less(t, len(calls), 5, "about 10 KB each in a 50 KB budget")
	for i, c := range calls {
		assert.Equal(t, ids[len(ids)-len(calls)+i], c.RequestID, "the newest, oldest first")
	}

	f = kmstest.NewFake(kmstest.WithMaxCallBytes(100))
	for range 3 {
		serveInProcess(f, body)
	}
	last := serveInProcess(f, body)
	calls = f.Calls()
	require.Len(t, calls, 1)
	assert.Equal(t, last, calls[0].RequestID)

	f = kmstest.NewFake(kmstest.WithMaxCallBytes(0))
	serveInProcess(f, body)
	assert.Empty(t, f.Calls())

	f = kmstest.NewFake(kmstest.WithMaxCallBytes(1<<30), kmstest.WithMaxCalls(2))
	for range 5 {
		serveInProcess(f, body)
	}
	assert.Len(t, f.Calls(), 2)

	// By default 16 MiB: of 350 calls whose input was cut, about 250.
	f = kmstest.NewFake()
	huge := `{"CustomKeyStoreId":"cks-missing","NewCustomKeyStoreName":"` + strings.Repeat("h", 70000) + `"}`
	for range 350 {
		serveInProcess(f, huge)
	}
	n := len(f.Calls())
	assert.Equal(t, 16<<20, kmstest.DefaultMaxCallBytes)
	assert.Greater(t, n, 200)
	assert.Less(t, n, 300)
}

// TestIncompleteSignatureEchoIsCut: a 900 KiB Authorization header comes
// back in IncompleteSignatureException cut after 128 characters, and so
// does a long Region in InvalidSignatureException: the answer and the
// recorded call stay small.
func TestIncompleteSignatureEchoIsCut(t *testing.T) {
	srv := kmstest.NewServer(kmstest.WithSigV4(testCred), kmstest.WithRegion("us-east-1"))
	t.Cleanup(srv.Close)
	auth := strings.Repeat("A", 900<<10)
	req, err := http.NewRequest(http.MethodPost, srv.URL+"/", strings.NewReader(`{"CustomKeyStoreId":"cks-missing"}`))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	req.Header.Set("X-Amz-Target", kmstest.TargetDescribeCustomKeyStores)
	req.Header.Set("Authorization", auth)
	req.Header.Set("X-Amz-Date", "20260101T000000Z")
	r := do(t, srv.Client(), req)
	requireCode(t, r, kmstest.CodeIncompleteSignature)
	assert.Contains(t, r.Message, "Authorization="+strings.Repeat("A", 128)+"...")
	assert.Less(t, len(r.Raw), 1000)

	long := strings.Repeat("r", 100000)
	req = signedRequest(t, srv, `{"CustomKeyStoreId":"cks-missing"}`, signOpts{region: long})
	r = do(t, srv.Client(), req)
	requireCode(t, r, kmstest.CodeInvalidSignature)
	assert.Less(t, len(r.Raw), 1000)

	for _, c := range srv.Calls() {
		assert.Less(t, len(c.Message), 1000)
	}
}

// TestXksCallPathIsCut: a 500 KB path is recorded (and passed to the call
// hook) cut after 2 KiB and marked; the answer does not repeat it.
func TestXksCallPathIsCut(t *testing.T) {
	var hooked []kmstest.XksCall
	var mu sync.Mutex
	p, err := kmstest.NewXksProxyFake(kmstest.WithXksCredentials(xksCred), kmstest.WithXksCallHook(func(c kmstest.XksCall) {
		mu.Lock()
		defer mu.Unlock()
		hooked = append(hooked, c)
	}))
	require.NoError(t, err)
	path := "/" + strings.Repeat("p", 500000)
	w := httptest.NewRecorder()
	p.ServeHTTP(w, httptest.NewRequest(http.MethodPost, path, strings.NewReader(`{}`)))
	assert.Less(t, w.Body.Len(), 1000)
	calls := p.Calls()
	require.Len(t, calls, 1)
	assert.True(t, strings.HasSuffix(calls[0].Path, "..."+kmstest.InputCut))
	assert.LessOrEqual(t, len(calls[0].Path), 2048+len("..."+kmstest.InputCut))
	assert.True(t, strings.HasPrefix(path, strings.TrimSuffix(calls[0].Path, "..."+kmstest.InputCut)))
	mu.Lock()
	defer mu.Unlock()
	assert.Equal(t, calls, hooked)
}
