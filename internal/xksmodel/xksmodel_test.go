package xksmodel

import (
	"encoding/base64"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The worked example of Appendix C.
func TestCiphertextDataIntegrityValueAppendixC(t *testing.T) {
	dec := func(s string) []byte {
		b, err := base64.StdEncoding.DecodeString(s)
		require.NoError(t, err)
		return b
	}
	got := CiphertextDataIntegrityValue(
		[]byte("project=nile,department=marketing"),
		dec("a2V5X3ZlcnNpb249MQ=="),
		dec("HMrlRw85cAJUd5Ax"),
		dec("ghxkK1txeDNn3q8Y"),
		dec("vBxN2ncH1oEkR8WVXpmyYQ=="),
	)
	assert.Equal(t, "qHA/ImC9h5HsLRXqCyPmWgYx7tzyoTplzILbP0fPXsc=", base64.StdEncoding.EncodeToString(got))
}

func TestErrorTable(t *testing.T) {
	want := map[string]int{
		"ValidationException": 400, "InvalidStateException": 400, "InvalidCiphertextException": 400,
		"InvalidKeyUsageException": 400, "AuthenticationFailedException": 401, "AccessDeniedException": 403,
		"KeyNotFoundException": 404, "InvalidUriPathException": 404, "ThrottlingException": 429,
		"UnsupportedOperationException": 501, "DependencyTimeoutException": 503, "InternalException": 500,
	}
	require.Len(t, Errors, len(want))
	for name, status := range want {
		got, ok := StatusFor(name)
		assert.True(t, ok, name)
		assert.Equal(t, status, got, name)
	}
	_, ok := StatusFor("NoSuchException")
	assert.False(t, ok)
	_, ok = StatusFor("")
	assert.False(t, ok)
	assert.Equal(t, http.StatusNotImplemented, must(StatusFor(UnsupportedOperationException)))
}

func must(v int, ok bool) int {
	if !ok {
		panic("missing")
	}
	return v
}

func TestParseURI(t *testing.T) {
	tests := []struct {
		path            string
		prefix, op, key string
		ok              bool
	}{
		{"/kms/xks/v1/health", "", OpGetHealthStatus, "", true},
		{"/p/q/kms/xks/v1/health", "/p/q", OpGetHealthStatus, "", true},
		{"/x/kms/xks/v1/keys/foo/metadata", "/x", OpGetKeyMetadata, "foo", true},
		{"/kms/xks/v1/keys/a.b-c_d/encrypt", "", OpEncrypt, "a.b-c_d", true},
		{"/kms/xks/v1/keys/k/decrypt", "", OpDecrypt, "k", true},
		{"/kms/xks/v1/keys//decrypt", "", OpDecrypt, "", true},
		{"/kms/xks/v1/keys/k/sign", "", "", "", false},
		{"/kms/xks/v1/keys/k/decrypt/more", "", "", "", false},
		{"/kms/xks/v1/healthz", "", "", "", false},
		{"/kms/xks/v2/health", "", "", "", false},
		{"/", "", "", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			prefix, op, key, ok := ParseURI(tt.path)
			assert.Equal(t, tt.ok, ok)
			assert.Equal(t, tt.prefix, prefix)
			assert.Equal(t, tt.op, op)
			assert.Equal(t, tt.key, key)
		})
	}
}

func TestCheckURIPath(t *testing.T) {
	for _, ok := range []string{"/kms/xks/v1", "/example/uri/path/prefix/kms/xks/v1", "/a-b_C9/kms/xks/v1", "/a//b/kms/xks/v1", "/a/b//kms/xks/v1", "/" + strings.Repeat("a", 116) + "/kms/xks/v1"} {
		assert.NoError(t, CheckURIPath(ok), ok)
	}
	for bad, msg := range map[string]string{
		"":                "must end in /kms/xks/v1",
		"/kms/xks/v2":     "must end in",
		"kms/xks/v1":      "must end in",
		"x/kms/xks/v1":    "must be [/<path-prefix>]",
		"//kms/xks/v1":    "must be [/<path-prefix>]",
		"/a b/kms/xks/v1": "may hold only",
		"/a.b/kms/xks/v1": "may hold only",
		"/" + strings.Repeat("a", 117) + "/kms/xks/v1": "at most 128",
	} {
		err := CheckURIPath(bad)
		if assert.Error(t, err, bad) {
			assert.Contains(t, err.Error(), msg, bad)
		}
	}
}

func TestCheckExternalKeyID(t *testing.T) {
	for _, ok := range []string{"foo", "b42c7fbf-de61-441c-ae24-123456789012", "A.b_c-9", strings.Repeat("k", 128)} {
		assert.NoError(t, CheckExternalKeyID(ok), ok)
	}
	for _, bad := range []string{"", "a/b", "a b", "ключ", ".", "..", strings.Repeat("k", 129), "a%2Fb"} {
		assert.Error(t, CheckExternalKeyID(bad), bad)
	}
}

func TestMissingRequired(t *testing.T) {
	var empty RequestMetadata
	assert.Equal(t, []string{"kmsOperation", "kmsRequestId"}, empty.MissingRequired(OpGetHealthStatus))
	assert.Equal(t, []string{"awsPrincipalArn", "kmsOperation", "kmsRequestId"}, empty.MissingRequired(OpGetKeyMetadata))
	assert.Equal(t, []string{"awsPrincipalArn", "kmsKeyArn", "kmsOperation", "kmsRequestId"}, empty.MissingRequired(OpEncrypt))
	full := RequestMetadata{AwsPrincipalArn: "p", KmsKeyArn: "k", KmsOperation: "Decrypt", KmsRequestId: "r"}
	assert.Empty(t, full.MissingRequired(OpDecrypt))
}
