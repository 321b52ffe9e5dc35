package kmstest_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kmskit/kms/kmstest"
)

const uuidPattern = `^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`

// TestSuccessAnswer checks the wire form of a success: 200, {}, the awsJson
// content type and a request ID.
func TestSuccessAnswer(t *testing.T) {
	srv := newWorld(t)
	r := update(t, srv, m{"CustomKeyStoreId": hsmConnected, "NewCustomKeyStoreName": "renamed"})
	requireOK(t, r)
	assert.Equal(t, "application/x-amz-json-1.1", r.Header.Get("Content-Type"))
	assert.Regexp(t, uuidPattern, r.RequestID)
}

// TestErrorEnvelope checks the wire form of an error: the model status,
// content type, request ID and a body of exactly __type and message.
func TestErrorEnvelope(t *testing.T) {
	srv := newWorld(t)
	r := update(t, srv, m{"CustomKeyStoreId": "cks-missing"})
	assert.Equal(t, http.StatusBadRequest, r.Status)
	assert.Equal(t, "application/x-amz-json-1.1", r.Header.Get("Content-Type"))
	assert.Regexp(t, uuidPattern, r.RequestID)
	var body map[string]any
	require.NoError(t, json.Unmarshal([]byte(r.Raw), &body))
	assert.Equal(t, kmstest.CodeCustomKeyStoreNotFound, body["__type"])
	assert.Contains(t, body["message"], "cks-missing")
	assert.Len(t, body, 2)
}

// TestRequestIDsDiffer checks that each answer has its own request ID.
func TestRequestIDsDiffer(t *testing.T) {
	srv := newWorld(t)
	seen := map[string]bool{}
	for range 20 {
		r := update(t, srv, m{"CustomKeyStoreId": hsmConnected})
		requireOK(t, r)
		require.False(t, seen[r.RequestID], "repeated request ID %s", r.RequestID)
		seen[r.RequestID] = true
	}
}

// TestProtocolErrors checks unknown operations and malformed bodies.
func TestProtocolErrors(t *testing.T) {
	valid := `{"CustomKeyStoreId":"` + hsmConnected + `"}`
	tests := []struct {
		name        string
		method      string
		path        string
		contentType string
		target      string // "" means UpdateCustomKeyStore
		noTarget    bool
		body        string
		code        string
	}{
		{name: "other operation", target: "TrentService.CreateKey", body: `{}`, code: kmstest.CodeUnknownOperation},
		{name: "ListKeys is not implemented", target: "TrentService.ListKeys", body: `{}`, code: kmstest.CodeUnknownOperation},
		{name: "no target", noTarget: true, body: valid, code: kmstest.CodeUnknownOperation},
		{name: "wrong service prefix", target: "KMS.UpdateCustomKeyStore", body: valid, code: kmstest.CodeUnknownOperation},
		{name: "GET", method: http.MethodGet, body: "", code: kmstest.CodeUnknownOperation},
		{name: "other path", path: "/v1/update", body: valid, code: kmstest.CodeUnknownOperation},
		{name: "form content type", contentType: "application/x-www-form-urlencoded", body: valid, code: kmstest.CodeUnknownOperation},
		{name: "truncated JSON", body: `{"CustomKeyStoreId":`, code: kmstest.CodeSerialization},
		{name: "not JSON", body: `CustomKeyStoreId=cks-1`, code: kmstest.CodeSerialization},
		{name: "JSON array", body: `[{"CustomKeyStoreId":"cks-1"}]`, code: kmstest.CodeSerialization},
		{name: "JSON string", body: `"cks-1"`, code: kmstest.CodeSerialization},
		{name: "JSON null", body: `null`, code: kmstest.CodeSerialization},
		{name: "two objects", body: valid + valid, code: kmstest.CodeSerialization},
		{name: "empty body is {}", body: ``, code: kmstest.CodeValidation},
		{name: "charset parameter accepted", contentType: "application/x-amz-json-1.1; charset=utf-8", body: valid},
		{name: "json 1.0 accepted", contentType: "application/x-amz-json-1.0", body: valid},
	}
	srv := newWorld(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			method, path, ct, target := http.MethodPost, "/", "application/x-amz-json-1.1", kmstest.TargetUpdateCustomKeyStore
			if tt.method != "" {
				method = tt.method
			}
			if tt.path != "" {
				path = tt.path
			}
			if tt.contentType != "" {
				ct = tt.contentType
			}
			if tt.target != "" {
				target = tt.target
			}
			if tt.noTarget {
				target = ""
			}
			req, err := http.NewRequest(method, srv.URL+path, strings.NewReader(tt.body))
			require.NoError(t, err)
			req.Header.Set("Content-Type", ct)
			if target != "" {
				req.Header.Set("X-Amz-Target", target)
			}
			r := do(t, srv.Client(), req)
			if tt.code == "" {
				requireOK(t, r)
				return
			}
			requireCode(t, r, tt.code)
			assert.Regexp(t, uuidPattern, r.RequestID)
		})
	}
}

// TestNullMembersAreAbsent checks that JSON null leaves a member unchanged,
// and that unknown members are ignored.
func TestNullMembersAreAbsent(t *testing.T) {
	srv := newWorld(t)
	before := store(t, srv, hsmConnected)
	r := sendRaw(t, srv, kmstest.TargetUpdateCustomKeyStore,
		`{"CustomKeyStoreId":"`+hsmConnected+`","NewCustomKeyStoreName":null,"KeyStorePassword":null,"SomethingNew":{"x":1}}`)
	requireOK(t, r)
	assert.Equal(t, before, store(t, srv, hsmConnected))
}

// TestOversizedBody checks that a body over 1 MiB is refused.
func TestOversizedBody(t *testing.T) {
	srv := newWorld(t)
	big := `{"CustomKeyStoreId":"` + hsmConnected + `","Padding":"` + strings.Repeat("x", 1<<20) + `"}`
	req, err := http.NewRequest(http.MethodPost, srv.URL+"/", bytes.NewBufferString(big))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	req.Header.Set("X-Amz-Target", kmstest.TargetUpdateCustomKeyStore)
	requireCode(t, do(t, srv.Client(), req), kmstest.CodeSerialization)
}
