package kmstest_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/tls"
	"encoding/gob"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kmskit/kms/kmstest"
	"github.com/kmskit/kms/xksproxy"
)

var ctx = context.Background()

// errorOf decodes an error answer.
func errorOf(t *testing.T, r rawResponse) (name string) {
	t.Helper()
	var e struct {
		ErrorName    string `json:"errorName"`
		ErrorMessage string `json:"errorMessage"`
	}
	require.NoError(t, json.Unmarshal(r.body, &e), string(r.body))
	return e.ErrorName
}

const healthBody = `{"requestMetadata":{"kmsRequestId":"4112f4d6-db54-4af4-ae30-c55a22a8dfae","kmsOperation":"KmsHealthCheck"}}`

// GetHealthStatus answers with the configured fleet, through the client and
// raw (signed as KMS and as curl sign).
func TestXksProxyHealthOK(t *testing.T) {
	p := newTestXksProxy(t)
	out, err := xksClient(p, xksCred, xksURIPath).GetHealthStatus(ctx, &xksproxy.GetHealthStatusInput{
		RequestMetadata: xksproxy.RequestMetadata{KmsOperation: "CreateCustomKeyStore", KmsRequestId: "req-1"}})
	require.NoError(t, err)
	assert.Equal(t, 1, out.XksProxyFleetSize)
	assert.NotEmpty(t, out.XksProxyVendor)
	assert.NotEmpty(t, out.XksProxyModel)
	assert.NotEmpty(t, out.EkmVendor)
	require.Len(t, out.EkmFleetDetails, 2)
	for _, e := range out.EkmFleetDetails {
		assert.Equal(t, xksproxy.EkmHealthStatusActive, e.HealthStatus)
	}
	calls := p.Calls()
	require.Len(t, calls, 1)
	assert.Equal(t, "GetHealthStatus", calls[0].Operation)
	assert.Equal(t, "CreateCustomKeyStore", calls[0].RequestMetadata.KmsOperation)
	assert.Equal(t, "req-1", calls[0].RequestMetadata.KmsRequestId)

	for _, signed := range []string{"kms", "curl", "sdk"} {
		res := rawRequest{path: xksURIPath + "/health", body: healthBody, signed: signed}.send(t, p)
		assert.Equal(t, http.StatusOK, res.status, "%s: %s", signed, res.body)
	}
}

// Every operation, health included, refuses a missing or empty
// requestMetadata, or one without a member the operation requires, with
// ValidationException.
func TestXksProxyRequestMetadataRequired(t *testing.T) {
	p := newTestXksProxy(t)
	ops := map[string]string{
		"health":   "/health",
		"metadata": "/keys/foo/metadata",
		"encrypt":  "/keys/foo/encrypt",
		"decrypt":  "/keys/foo/decrypt",
	}
	const rest = `"plaintext":"SGVsbG8=","ciphertext":"SGVsbG8=","encryptionAlgorithm":"AES_GCM","initializationVector":"AAAAAAAAAAAAAAAA","authenticationTag":"AAAAAAAAAAAAAAAAAAAAAA=="`
	bodies := map[string]string{
		"no body":                    ``,
		"null":                       `null`,
		"missing requestMetadata":    `{` + rest + `}`,
		"null requestMetadata":       `{"requestMetadata":null,` + rest + `}`,
		"empty requestMetadata":      `{"requestMetadata":{},` + rest + `}`,
		"requestMetadata not object": `{"requestMetadata":"x",` + rest + `}`,
		"no kmsOperation":            `{"requestMetadata":{"kmsRequestId":"r","awsPrincipalArn":"p","kmsKeyArn":"k"},` + rest + `}`,
		"no kmsRequestId":            `{"requestMetadata":{"kmsOperation":"o","awsPrincipalArn":"p","kmsKeyArn":"k"},` + rest + `}`,
		"empty kmsOperation":         `{"requestMetadata":{"kmsOperation":"","kmsRequestId":"r","awsPrincipalArn":"p","kmsKeyArn":"k"},` + rest + `}`,
	}
	for op, suffix := range ops {
		for name, body := range bodies {
			t.Run(op+"/"+name, func(t *testing.T) {
				res := rawRequest{path: xksURIPath + suffix, body: body}.send(t, p)
				assert.Equal(t, http.StatusBadRequest, res.status)
				assert.Equal(t, "ValidationException", errorOf(t, res))
			})
		}
	}
	// Members only the key operations require.
	for op, body := range map[string]string{
		"metadata without awsPrincipalArn": `{"requestMetadata":{"kmsOperation":"CreateKey","kmsRequestId":"r"}}`,
		"encrypt without kmsKeyArn":        `{"requestMetadata":{"kmsOperation":"Encrypt","kmsRequestId":"r","awsPrincipalArn":"p"},` + rest + `}`,
	} {
		path := ops["metadata"]
		if strings.HasPrefix(op, "encrypt") {
			path = ops["encrypt"]
		}
		res := rawRequest{path: xksURIPath + path, body: body}.send(t, p)
		assert.Equal(t, "ValidationException", errorOf(t, res), op)
	}
	// Unknown kmsOperation values and extra members are accepted.
	res := rawRequest{path: xksURIPath + "/keys/foo/metadata",
		body: `{"requestMetadata":{"kmsOperation":"BulkFutureOp","kmsRequestId":"not-a-uuid","awsPrincipalArn":"AWS Internal","somethingNew":"x"}}`}.send(t, p)
	assert.Equal(t, http.StatusOK, res.status, string(res.body))
}

// A wrong access key ID or secret, a wrong service, an old signature or a
// tampered request is AuthenticationFailedException (401).
func TestXksProxyAuthenticationFailed(t *testing.T) {
	clock := time.Now()
	p := newTestXksProxy(t, kmstest.WithXksClock(func() time.Time { return clock }))
	health := &xksproxy.GetHealthStatusInput{RequestMetadata: xksproxy.RequestMetadata{KmsOperation: "KmsHealthCheck"}}

	for name, cred := range map[string]kmstest.XksCredential{
		"wrong access key ID": {AccessKeyID: xksAKID2, SecretAccessKey: xksSecret},
		"wrong secret":        {AccessKeyID: xksAKID, SecretAccessKey: xksSecret2},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := xksClient(p, cred, xksURIPath).GetHealthStatus(ctx, health)
			require.ErrorIs(t, err, xksproxy.ErrAuthenticationFailed)
			var e *xksproxy.Error
			require.ErrorAs(t, err, &e)
			assert.Equal(t, http.StatusUnauthorized, e.StatusCode)
			assert.NotContains(t, e.Message, xksAKID2)
			assert.NotContains(t, e.Message, xksAKID)
		})
	}
	raw := map[string]rawRequest{
		"unsigned":        {signed: "none"},
		"service kms":     {service: "kms"},
		"6 minutes old":   {at: clock.Add(-6 * time.Minute)},
		"6 minutes ahead": {at: clock.Add(6 * time.Minute)},
		"body changed": {tamper: func(r *http.Request) {
			nb := strings.Replace(healthBody, "4112", "5112", 1)
			r.Body, r.ContentLength, r.GetBody = ioNop(nb), int64(len(nb)), nil
		}},
		"signed CT changed": {signed: "curl", tamper: func(r *http.Request) { r.Header.Set("Content-Type", "application/json; charset=utf-8") }},
		"path changed":      {tamper: func(r *http.Request) { r.URL.Path = "/example/uri/path/prefix/kms/xks/v1/health/" }},
	}
	for name, r := range raw {
		t.Run(name, func(t *testing.T) {
			r.path, r.body = xksURIPath+"/health", healthBody
			res := r.send(t, p)
			if name == "path changed" {
				// The path is checked first: this one is not served at all.
				assert.Equal(t, http.StatusNotFound, res.status)
				return
			}
			assert.Equal(t, http.StatusUnauthorized, res.status, string(res.body))
			assert.Equal(t, "AuthenticationFailedException", errorOf(t, res))
		})
	}
	// Within 5 minutes either way is accepted; an unsigned Content-Type may
	// change (KMS does not sign it).
	for name, r := range map[string]rawRequest{
		"4 minutes old":     {at: clock.Add(-4 * time.Minute)},
		"4 minutes ahead":   {at: clock.Add(4 * time.Minute)},
		"unsigned CT param": {tamper: func(r *http.Request) { r.Header.Set("Content-Type", "application/json; charset=utf-8") }},
	} {
		r.path, r.body = xksURIPath+"/health", healthBody
		assert.Equal(t, http.StatusOK, r.send(t, p).status, name)
	}
}

// The proxy accepts every credential given to SetCredentials, and only
// those: a rotation.
func TestXksProxyCredentialRotation(t *testing.T) {
	p := newTestXksProxy(t)
	health := &xksproxy.GetHealthStatusInput{RequestMetadata: xksproxy.RequestMetadata{KmsOperation: "KmsHealthCheck"}}
	oldC, newC := xksClient(p, xksCred, xksURIPath), xksClient(p, xksCred2, xksURIPath)
	_, err := newC.GetHealthStatus(ctx, health)
	require.ErrorIs(t, err, xksproxy.ErrAuthenticationFailed)

	require.NoError(t, p.SetCredentials(xksCred, xksCred2))
	_, err = oldC.GetHealthStatus(ctx, health)
	require.NoError(t, err)
	_, err = newC.GetHealthStatus(ctx, health)
	require.NoError(t, err)

	require.NoError(t, p.SetCredentials(xksCred2))
	_, err = oldC.GetHealthStatus(ctx, health)
	require.ErrorIs(t, err, xksproxy.ErrAuthenticationFailed)
	_, err = newC.GetHealthStatus(ctx, health)
	require.NoError(t, err)

	require.Error(t, p.SetCredentials(kmstest.XksCredential{AccessKeyID: "only"}))
}

// A credential with a URIPrefix is accepted under that prefix only, as by
// proxies that hold one credential per path: a rotation by path.
func TestXksProxyCredentialPerPrefix(t *testing.T) {
	p := newTestXksProxy(t, kmstest.WithXksURIPrefix("/next-prefix"))
	health := &xksproxy.GetHealthStatusInput{RequestMetadata: xksproxy.RequestMetadata{KmsOperation: "KmsHealthCheck"}}
	oldCred, newCred := xksCred, xksCred2
	oldCred.URIPrefix, newCred.URIPrefix = xksPrefix, "next-prefix"
	require.NoError(t, p.SetCredentials(oldCred, newCred))
	const nextPath = "/next-prefix/kms/xks/v1"
	for _, tc := range []struct {
		cred kmstest.XksCredential
		path string
		ok   bool
	}{{xksCred, xksURIPath, true}, {xksCred2, nextPath, true}, {xksCred, nextPath, false}, {xksCred2, xksURIPath, false}} {
		_, err := xksClient(p, tc.cred, tc.path).GetHealthStatus(ctx, health)
		if tc.ok {
			require.NoError(t, err, tc.path)
		} else {
			require.ErrorIs(t, err, xksproxy.ErrAuthenticationFailed, tc.path)
		}
	}
}

// A URI path the proxy does not serve is InvalidUriPathException (404), for
// every operation.
func TestXksProxyWrongURIPrefix(t *testing.T) {
	p := newTestXksProxy(t)
	for _, path := range []string{"/kms/xks/v1", "/other/kms/xks/v1", "/example/uri/path/kms/xks/v1"} {
		c := xksClient(p, xksCred, path)
		_, err := c.GetHealthStatus(ctx, &xksproxy.GetHealthStatusInput{RequestMetadata: xksMD})
		assert.ErrorIs(t, err, xksproxy.ErrInvalidUriPath, path)
		_, err = c.GetKeyMetadata(ctx, &xksproxy.GetKeyMetadataInput{ExternalKeyId: "foo", RequestMetadata: xksMD})
		assert.ErrorIs(t, err, xksproxy.ErrInvalidUriPath, path)
		_, err = c.Encrypt(ctx, &xksproxy.EncryptInput{ExternalKeyId: "foo", RequestMetadata: xksMD, Plaintext: []byte("x")})
		var e *xksproxy.Error
		require.ErrorAs(t, err, &e)
		assert.Equal(t, "InvalidUriPathException", e.Name)
		assert.Equal(t, http.StatusNotFound, e.StatusCode)
	}
	for _, path := range []string{"/", "/kms/xks/v1/health", xksURIPath, xksURIPath + "/keys/foo", xksURIPath + "/keys/foo/sign", xksURIPath + "/healthz"} {
		res := rawRequest{path: path, body: healthBody}.send(t, p)
		assert.Equal(t, http.StatusNotFound, res.status, path)
		assert.Equal(t, "InvalidUriPathException", errorOf(t, res), path)
	}
	// Serving more prefixes, or moving the proxy, changes what is valid.
	require.NoError(t, p.SetURIPrefixes("/other", xksPrefix))
	assert.Equal(t, []string{"/example/uri/path/prefix/kms/xks/v1", "/other/kms/xks/v1"}, p.URIPaths())
	_, err := xksClient(p, xksCred, "/other/kms/xks/v1").GetHealthStatus(ctx, &xksproxy.GetHealthStatusInput{RequestMetadata: xksMD})
	assert.NoError(t, err)
	assert.Error(t, p.SetURIPrefixes("/a.b"))
}

// An unknown key is KeyNotFoundException (404); an ID the specification
// forbids is ValidationException.
func TestXksProxyUnknownKey(t *testing.T) {
	p := newTestXksProxy(t)
	c := xksClient(p, xksCred, xksURIPath)
	_, err := c.GetKeyMetadata(ctx, &xksproxy.GetKeyMetadataInput{ExternalKeyId: "no_such_key", RequestMetadata: xksMD})
	var e *xksproxy.Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, "KeyNotFoundException", e.Name)
	assert.Equal(t, http.StatusNotFound, e.StatusCode)
	_, err = c.Encrypt(ctx, &xksproxy.EncryptInput{ExternalKeyId: "no_such_key", RequestMetadata: xksMD, Plaintext: []byte("x")})
	assert.ErrorIs(t, err, xksproxy.ErrKeyNotFound)
	_, err = c.Decrypt(ctx, &xksproxy.DecryptInput{ExternalKeyId: "no_such_key", RequestMetadata: xksMD, Ciphertext: []byte("x"),
		InitializationVector: make([]byte, 12), AuthenticationTag: make([]byte, 16)})
	assert.ErrorIs(t, err, xksproxy.ErrKeyNotFound)

	res := rawRequest{path: xksURIPath + "/keys/" + strings.Repeat("k", 129) + "/metadata",
		body: `{"requestMetadata":{"kmsOperation":"CreateKey","kmsRequestId":"r","awsPrincipalArn":"p"}}`}.send(t, p)
	assert.Equal(t, "ValidationException", errorOf(t, res))
}

// GetKeyMetadata reports spec, usages and status as configured.
func TestXksProxyKeyMetadata(t *testing.T) {
	p := newTestXksProxy(t, kmstest.WithXksKeys(kmstest.XksKey{ID: "hmac", KeySpec: "HMAC_256", KeyUsage: []string{"SIGN", "VERIFY"}}))
	c := xksClient(p, xksCred, xksURIPath)
	tests := []struct {
		id     string
		spec   xksproxy.KeySpec
		usage  []xksproxy.KeyUsage
		status xksproxy.KeyStatus
	}{
		{"foo", "AES_256", []xksproxy.KeyUsage{"ENCRYPT", "DECRYPT"}, "ENABLED"},
		{"encrypt_only_key", "AES_256", []xksproxy.KeyUsage{"ENCRYPT"}, "ENABLED"},
		{"decrypt_only_key", "AES_256", []xksproxy.KeyUsage{"DECRYPT"}, "ENABLED"},
		{"impotent_key", "AES_256", []xksproxy.KeyUsage{}, "ENABLED"},
		{"disabled_key", "AES_256", []xksproxy.KeyUsage{"ENCRYPT", "DECRYPT"}, "DISABLED"},
		{"hmac", "HMAC_256", []xksproxy.KeyUsage{"SIGN", "VERIFY"}, "ENABLED"},
	}
	for _, tt := range tests {
		out, err := c.GetKeyMetadata(ctx, &xksproxy.GetKeyMetadataInput{ExternalKeyId: tt.id, RequestMetadata: xksMD})
		require.NoError(t, err, tt.id)
		assert.Equal(t, tt.spec, out.KeySpec, tt.id)
		assert.Equal(t, tt.usage, out.KeyUsage, tt.id)
		assert.Equal(t, tt.status, out.KeyStatus, tt.id)
	}
}

// Encrypt without plaintext (missing or empty) is ValidationException, as
// are a wrong algorithm and bad Base64.
func TestXksProxyEncryptValidation(t *testing.T) {
	p := newTestXksProxy(t)
	const md = `"requestMetadata":{"awsPrincipalArn":"p","kmsKeyArn":"k","kmsOperation":"Encrypt","kmsRequestId":"r"}`
	for name, body := range map[string]string{
		"no plaintext":         `{` + md + `,"encryptionAlgorithm":"AES_GCM"}`,
		"empty plaintext":      `{` + md + `,"plaintext":"","encryptionAlgorithm":"AES_GCM"}`,
		"null plaintext":       `{` + md + `,"plaintext":null,"encryptionAlgorithm":"AES_GCM"}`,
		"plaintext not Base64": `{` + md + `,"plaintext":"%%%","encryptionAlgorithm":"AES_GCM"}`,
		"plaintext a number":   `{` + md + `,"plaintext":5,"encryptionAlgorithm":"AES_GCM"}`,
		"no algorithm":         `{` + md + `,"plaintext":"SGVsbG8="}`,
		"AES_CBC":              `{` + md + `,"plaintext":"SGVsbG8=","encryptionAlgorithm":"AES_CBC"}`,
		"CDIV MD5":             `{` + md + `,"plaintext":"SGVsbG8=","encryptionAlgorithm":"AES_GCM","ciphertextDataIntegrityValueAlgorithm":"MD5"}`,
		"trailing data":        `{` + md + `,"plaintext":"SGVsbG8=","encryptionAlgorithm":"AES_GCM"} x`,
		"not JSON":             `plaintext=SGVsbG8=`,
		"array":                `[]`,
	} {
		t.Run(name, func(t *testing.T) {
			res := rawRequest{path: xksURIPath + "/keys/foo/encrypt", body: body}.send(t, p)
			assert.Equal(t, http.StatusBadRequest, res.status)
			assert.Equal(t, "ValidationException", errorOf(t, res))
		})
	}
	res := rawRequest{path: xksURIPath + "/keys/foo/encrypt", contentType: "text/plain",
		body: `{` + md + `,"plaintext":"SGVsbG8=","encryptionAlgorithm":"AES_GCM"}`}.send(t, p)
	assert.Equal(t, "ValidationException", errorOf(t, res), "Content-Type must be application/json")
}

// Decrypt with a missing or different AAD, or a changed ciphertext, IV, tag
// or ciphertextMetadata, is InvalidCiphertextException.
func TestXksProxyDecryptInvalidCiphertext(t *testing.T) {
	p := newTestXksProxy(t, kmstest.WithXksKeys(kmstest.XksKey{ID: "versioned", CiphertextMetadata: []byte("key_version=1")}))
	c := xksClient(p, xksCred, xksURIPath)
	aad := []byte("project=nile,department=marketing")
	for _, key := range []string{"foo", "versioned"} {
		enc, err := c.Encrypt(ctx, &xksproxy.EncryptInput{ExternalKeyId: key, RequestMetadata: xksMD, Plaintext: []byte("Hello World!"), AdditionalAuthenticatedData: aad})
		require.NoError(t, err)
		if key == "versioned" {
			assert.Equal(t, []byte("key_version=1"), enc.CiphertextMetadata)
		} else {
			assert.Nil(t, enc.CiphertextMetadata)
		}
		good := xksproxy.DecryptInput{ExternalKeyId: key, RequestMetadata: xksMD, Ciphertext: enc.Ciphertext, CiphertextMetadata: enc.CiphertextMetadata,
			InitializationVector: enc.InitializationVector, AuthenticationTag: enc.AuthenticationTag, AdditionalAuthenticatedData: aad}
		out, err := c.Decrypt(ctx, &good)
		require.NoError(t, err)
		assert.Equal(t, []byte("Hello World!"), out.Plaintext)

		flip := func(b []byte) []byte { c := bytes.Clone(b); c[0] ^= 1; return c }
		for name, change := range map[string]func(*xksproxy.DecryptInput){
			"missing AAD": func(in *xksproxy.DecryptInput) { in.AdditionalAuthenticatedData = nil },
			"different AAD": func(in *xksproxy.DecryptInput) {
				in.AdditionalAuthenticatedData = []byte("project=nile,department=sales")
			},
			"changed ciphertext": func(in *xksproxy.DecryptInput) { in.Ciphertext = flip(in.Ciphertext) },
			"changed IV":         func(in *xksproxy.DecryptInput) { in.InitializationVector = flip(in.InitializationVector) },
			"changed tag":        func(in *xksproxy.DecryptInput) { in.AuthenticationTag = flip(in.AuthenticationTag) },
			"metadata as AAD": func(in *xksproxy.DecryptInput) {
				in.AdditionalAuthenticatedData = append(bytes.Clone(aad), in.CiphertextMetadata...)
				in.CiphertextMetadata = nil
			},
			"added metadata": func(in *xksproxy.DecryptInput) {
				in.CiphertextMetadata = append(bytes.Clone(in.CiphertextMetadata), 'x')
			},
		} {
			if name == "metadata as AAD" && key == "foo" {
				continue // no metadata to move
			}
			in := good
			change(&in)
			_, err := c.Decrypt(ctx, &in)
			assert.ErrorIs(t, err, xksproxy.ErrInvalidCiphertext, key+": "+name)
		}
	}
	// Raw: missing members the client always sends.
	const md = `"requestMetadata":{"awsPrincipalArn":"p","kmsKeyArn":"k","kmsOperation":"Decrypt","kmsRequestId":"r"}`
	for name, body := range map[string]string{
		"no ciphertext": `{` + md + `,"encryptionAlgorithm":"AES_GCM","initializationVector":"AAAAAAAAAAAAAAAA","authenticationTag":"AAAAAAAAAAAAAAAAAAAAAA=="}`,
		"no IV":         `{` + md + `,"encryptionAlgorithm":"AES_GCM","ciphertext":"AQ==","authenticationTag":"AAAAAAAAAAAAAAAAAAAAAA=="}`,
		"8-byte IV":     `{` + md + `,"encryptionAlgorithm":"AES_GCM","ciphertext":"AQ==","initializationVector":"AAAAAAAAAAA=","authenticationTag":"AAAAAAAAAAAAAAAAAAAAAA=="}`,
		"no tag":        `{` + md + `,"encryptionAlgorithm":"AES_GCM","ciphertext":"AQ==","initializationVector":"AAAAAAAAAAAAAAAA"}`,
		"16-byte IV":    `{` + md + `,"encryptionAlgorithm":"AES_GCM","ciphertext":"AQ==","initializationVector":"AAAAAAAAAAAAAAAAAAAAAA==","authenticationTag":"AAAAAAAAAAAAAAAAAAAAAA=="}`,
	} {
		res := rawRequest{path: xksURIPath + "/keys/foo/decrypt", body: body}.send(t, p)
		assert.Equal(t, "InvalidCiphertextException", errorOf(t, res), name)
	}
}

// A key without ENCRYPT refuses Encrypt, one without DECRYPT refuses
// Decrypt, and an encrypt-only key refuses an Encrypt that asks for a
// ciphertext data integrity value (the proxy decrypts to compute it):
// InvalidKeyUsageException. A disabled key is InvalidStateException.
func TestXksProxyKeyUsage(t *testing.T) {
	p := newTestXksProxy(t)
	c := xksClient(p, xksCred, xksURIPath)
	encrypt := func(key string, cdiv bool) error {
		in := &xksproxy.EncryptInput{ExternalKeyId: key, RequestMetadata: xksMD, Plaintext: []byte("data key")}
		if cdiv {
			in.CiphertextDataIntegrityValueAlgorithm = xksproxy.CiphertextDataIntegrityValueAlgorithmSha256
		}
		_, err := c.Encrypt(ctx, in)
		return err
	}
	enc, err := c.Encrypt(ctx, &xksproxy.EncryptInput{ExternalKeyId: "foo", RequestMetadata: xksMD, Plaintext: []byte("data key")})
	require.NoError(t, err)
	decrypt := func(key string) error {
		_, err := c.Decrypt(ctx, &xksproxy.DecryptInput{ExternalKeyId: key, RequestMetadata: xksMD, Ciphertext: enc.Ciphertext,
			InitializationVector: enc.InitializationVector, AuthenticationTag: enc.AuthenticationTag})
		return err
	}
	tests := []struct {
		name string
		err  error
		want error
	}{
		{"encrypt-only key encrypts", encrypt("encrypt_only_key", false), nil},
		{"encrypt-only key refuses CDIV", encrypt("encrypt_only_key", true), xksproxy.ErrInvalidKeyUsage},
		{"encrypt-only key refuses Decrypt", decrypt("encrypt_only_key"), xksproxy.ErrInvalidKeyUsage},
		{"decrypt-only key refuses Encrypt", encrypt("decrypt_only_key", false), xksproxy.ErrInvalidKeyUsage},
		{"decrypt-only key decrypts (wrong key: bad ciphertext)", decrypt("decrypt_only_key"), xksproxy.ErrInvalidCiphertext},
		{"impotent key refuses Encrypt", encrypt("impotent_key", false), xksproxy.ErrInvalidKeyUsage},
		{"impotent key refuses Decrypt", decrypt("impotent_key"), xksproxy.ErrInvalidKeyUsage},
		{"disabled key refuses Encrypt", encrypt("disabled_key", false), xksproxy.ErrInvalidState},
		{"disabled key refuses Decrypt", decrypt("disabled_key"), xksproxy.ErrInvalidState},
		{"full key with CDIV", encrypt("foo", true), nil},
	}
	for _, tt := range tests {
		if tt.want == nil {
			assert.NoError(t, tt.err, tt.name)
			continue
		}
		assert.ErrorIs(t, tt.err, tt.want, tt.name)
		var e *xksproxy.Error
		if assert.ErrorAs(t, tt.err, &e, tt.name) {
			assert.Equal(t, http.StatusBadRequest, e.StatusCode, tt.name)
		}
	}
}

// 4 KiB of plaintext with 8 KiB of AAD round-trips, with a data integrity
// value that the client checks; so do the specification's 4300 bytes.
func TestXksProxyLargeRoundTrip(t *testing.T) {
	p := newTestXksProxy(t)
	c := xksClient(p, xksCred, xksURIPath)
	for _, size := range []struct{ pt, aad int }{{4096, 8192}, {4300, 8192}, {1, 0}} {
		pt, aad := make([]byte, size.pt), make([]byte, size.aad)
		_, _ = rand.Read(pt)
		_, _ = rand.Read(aad)
		if size.aad == 0 {
			aad = nil
		}
		enc, err := c.Encrypt(ctx, &xksproxy.EncryptInput{ExternalKeyId: "foo", RequestMetadata: xksMD, Plaintext: pt, AdditionalAuthenticatedData: aad,
			CiphertextDataIntegrityValueAlgorithm: xksproxy.CiphertextDataIntegrityValueAlgorithmSha256})
		require.NoError(t, err, "%+v", size)
		assert.Len(t, enc.Ciphertext, size.pt)
		assert.Len(t, enc.InitializationVector, 12)
		assert.Len(t, enc.AuthenticationTag, 16)
		assert.Len(t, enc.CiphertextDataIntegrityValue, 32)
		assert.NotEqual(t, pt, enc.Ciphertext)
		dec, err := c.Decrypt(ctx, &xksproxy.DecryptInput{ExternalKeyId: "foo", RequestMetadata: xksMD, Ciphertext: enc.Ciphertext,
			InitializationVector: enc.InitializationVector, AuthenticationTag: enc.AuthenticationTag, AdditionalAuthenticatedData: aad})
		require.NoError(t, err, "%+v", size)
		assert.Equal(t, pt, dec.Plaintext)
	}
}

// Two proxies share key material only when told to.
func TestXksProxyKeyMaterial(t *testing.T) {
	material := bytes.Repeat([]byte{7}, 32)
	a := newTestXksProxy(t, kmstest.WithXksKeys(kmstest.XksKey{ID: "shared", Material: material}))
	b := kmstest.NewXksProxyServer(kmstest.WithXksEndpoint("https://xks2.example.com"), kmstest.WithXksCredentials(xksCred),
		kmstest.WithXksKeys(kmstest.XksKey{ID: "shared", Material: material}, kmstest.XksKey{ID: "foo"}))
	defer b.Close()
	ca, cb := xksClient(a, xksCred, xksURIPath), xksClient(b, xksCred, "/kms/xks/v1")
	for key, same := range map[string]bool{"shared": true, "foo": false} {
		enc, err := ca.Encrypt(ctx, &xksproxy.EncryptInput{ExternalKeyId: key, RequestMetadata: xksMD, Plaintext: []byte("canary")})
		require.NoError(t, err)
		_, err = cb.Decrypt(ctx, &xksproxy.DecryptInput{ExternalKeyId: key, RequestMetadata: xksMD, Ciphertext: enc.Ciphertext,
			InitializationVector: enc.InitializationVector, AuthenticationTag: enc.AuthenticationTag})
		if same {
			assert.NoError(t, err, key)
		} else {
			assert.ErrorIs(t, err, xksproxy.ErrInvalidCiphertext, key)
		}
	}
}

// Methods other than POST on an API URI are 405 Method Not Allowed.
func TestXksProxyMethodNotAllowed(t *testing.T) {
	p := newTestXksProxy(t)
	for _, path := range []string{"/health", "/keys/foo/metadata", "/keys/foo/encrypt", "/keys/foo/decrypt"} {
		for _, method := range []string{http.MethodGet, http.MethodPut, http.MethodDelete, http.MethodPatch, http.MethodHead} {
			res := rawRequest{method: method, path: xksURIPath + path, body: healthBody}.send(t, p)
			assert.Equal(t, http.StatusMethodNotAllowed, res.status, method+" "+path)
			assert.Equal(t, "POST", res.header.Get("Allow"))
		}
	}
}

// Every answer, success or error, is one line of JSON with Content-Type
// application/json.
func TestXksProxyResponseIsOneLine(t *testing.T) {
	p := newTestXksProxy(t)
	const md = `"requestMetadata":{"awsPrincipalArn":"p","kmsKeyArn":"k","kmsOperation":"Encrypt","kmsRequestId":"r"}`
	requests := []rawRequest{
		{path: xksURIPath + "/health", body: healthBody},
		{path: xksURIPath + "/keys/foo/metadata", body: `{` + md + `}`},
		{path: xksURIPath + "/keys/foo/encrypt", body: `{` + md + `,"plaintext":"SGVsbG8=","encryptionAlgorithm":"AES_GCM","ciphertextDataIntegrityValueAlgorithm":"SHA_256"}`},
		{path: xksURIPath + "/keys/foo/decrypt", body: `{` + md + `,"ciphertext":"SGVsbG8=","encryptionAlgorithm":"AES_GCM","initializationVector":"AAAAAAAAAAAAAAAA","authenticationTag":"AAAAAAAAAAAAAAAAAAAAAA=="}`},
		{path: xksURIPath + "/keys/nope/metadata", body: `{` + md + `}`},
		{path: "/wrong/kms/xks/v1/health", body: healthBody},
		{path: xksURIPath + "/health", body: healthBody, signed: "none"},
	}
	for _, r := range requests {
		res := r.send(t, p)
		assert.Equal(t, "application/json", res.header.Get("Content-Type"), r.path)
		assert.NotContains(t, string(res.body), "\n", r.path)
		assert.True(t, json.Valid(res.body), r.path)
		assert.NotEmpty(t, res.body)
	}
}

// FailNext answers each error name of the specification with its status;
// FailNextWith can answer anything, also a malformed body.
func TestXksProxyFaults(t *testing.T) {
	p := newTestXksProxy(t)
	c := xksClient(p, xksCred, xksURIPath)
	health := &xksproxy.GetHealthStatusInput{RequestMetadata: xksMD}
	want := map[string]int{
		"ValidationException": 400, "InvalidStateException": 400, "InvalidCiphertextException": 400, "InvalidKeyUsageException": 400,
		"AuthenticationFailedException": 401, "AccessDeniedException": 403, "KeyNotFoundException": 404, "InvalidUriPathException": 404,
		"ThrottlingException": 429, "UnsupportedOperationException": 501, "DependencyTimeoutException": 503, "InternalException": 500,
	}
	for name, status := range want {
		p.FailNext(1, name)
		_, err := c.GetHealthStatus(ctx, health)
		var e *xksproxy.Error
		require.ErrorAs(t, err, &e, name)
		assert.Equal(t, name, e.Name)
		assert.Equal(t, status, e.StatusCode, name)
	}
	p.FailNext(2, "ThrottlingException")
	assert.Equal(t, 2, p.PendingFaults())
	_, err := c.GetHealthStatus(ctx, health)
	assert.ErrorIs(t, err, xksproxy.ErrThrottling)
	p.ClearFaults()
	_, err = c.GetHealthStatus(ctx, health)
	assert.NoError(t, err)

	// Faults come after authentication: a wrong credential still fails as such.
	p.FailNext(1, "InternalException")
	_, err = xksClient(p, xksCred2, xksURIPath).GetHealthStatus(ctx, health)
	assert.ErrorIs(t, err, xksproxy.ErrAuthenticationFailed)
	assert.Equal(t, 1, p.PendingFaults())
	p.ClearFaults()

	for name, f := range map[string]kmstest.XksFault{
		"HTML 502":       {Status: 502, Body: "<html>Bad Gateway</html>", ContentType: "text/html"},
		"empty JSON 200": {Body: "{}", ContentType: "application/json"},
		"unknown name":   {ErrorName: "TeapotException", Status: 418},
		"text 200":       {Body: "OK"},
	} {
		p.FailNextWith(1, f)
		_, err := c.GetHealthStatus(ctx, health)
		assert.ErrorIs(t, err, xksproxy.ErrMalformedResponse, name)
	}
}

// SetLatency delays answers; a client that gives up in the meantime gets
// its context error and the call is not processed.
func TestXksProxyLatency(t *testing.T) {
	p := newTestXksProxy(t)
	c := xksClient(p, xksCred, xksURIPath)
	p.SetLatency(60 * time.Millisecond)
	out, err := c.GetHealthStatus(ctx, &xksproxy.GetHealthStatusInput{RequestMetadata: xksMD})
	require.NoError(t, err)
	assert.GreaterOrEqual(t, out.Latency, 60*time.Millisecond)

	p.SetLatency(time.Hour)
	short, cancel := context.WithTimeout(ctx, 20*time.Millisecond)
	defer cancel()
	p.ResetCalls()
	_, err = c.GetHealthStatus(short, &xksproxy.GetHealthStatusInput{RequestMetadata: xksMD})
	require.ErrorIs(t, err, context.DeadlineExceeded)
	p.SetLatency(0)
	require.Eventually(t, func() bool { return len(p.Calls()) == 1 }, time.Minute, 5*time.Millisecond) // a hang guard, not a speed requirement
	assert.Equal(t, 0, p.Calls()[0].Status)
}

// The fleet that health reports can be degraded.
func TestXksProxyEkmFleet(t *testing.T) {
	p := newTestXksProxy(t, kmstest.WithXksEkmFleet(kmstest.XksEkm{ID: "hsm-1", Model: "Luna 5.0", HealthStatus: "DEGRADED"}))
	c := xksClient(p, xksCred, xksURIPath)
	out, err := c.GetHealthStatus(ctx, &xksproxy.GetHealthStatusInput{RequestMetadata: xksMD})
	require.NoError(t, err)
	assert.Equal(t, []xksproxy.EkmFleetDetail{{Id: "hsm-1", Model: "Luna 5.0", HealthStatus: "DEGRADED"}}, out.EkmFleetDetails)

	p.SetEkmFleet(kmstest.XksEkm{ID: "a", Model: "m", HealthStatus: "UNAVAILABLE"}, kmstest.XksEkm{ID: "b", Model: "m", HealthStatus: "ACTIVE"})
	out, err = c.GetHealthStatus(ctx, &xksproxy.GetHealthStatusInput{RequestMetadata: xksMD})
	require.NoError(t, err)
	assert.Equal(t, xksproxy.EkmHealthStatusUnavailable, out.EkmFleetDetails[0].HealthStatus)

	p.SetEkmFleet()
	_, err = c.GetHealthStatus(ctx, &xksproxy.GetHealthStatusInput{RequestMetadata: xksMD})
	assert.ErrorIs(t, err, xksproxy.ErrMalformedResponse, "an empty fleet breaks the specification")
}

// A body over 1 MiB is UnsupportedOperationException (501).
func TestXksProxyBodyTooLarge(t *testing.T) {
	p := newTestXksProxy(t)
	body := `{"requestMetadata":{"awsPrincipalArn":"p","kmsKeyArn":"k","kmsOperation":"Encrypt","kmsRequestId":"r"},"encryptionAlgorithm":"AES_GCM","plaintext":"` +
		strings.Repeat("A", 1<<20) + `"}`
	res := rawRequest{path: xksURIPath + "/keys/foo/encrypt", body: body}.send(t, p)
	assert.Equal(t, http.StatusNotImplemented, res.status)
	assert.Equal(t, "UnsupportedOperationException", errorOf(t, res))
}

// The certificate is for the endpoint's name, issued by the proxy's own CA:
// a client with the system roots refuses it, and a certificate for another
// name fails verification.
func TestXksProxyTLS(t *testing.T) {
	p := newTestXksProxy(t)
	assert.Equal(t, "https://xks.example.com", p.URL)
	assert.Equal(t, "kmstest XKS proxy CA", p.CA().Subject.CommonName)
	assert.NotNil(t, p.RootCAs())
	assert.Contains(t, p.ListenerAddr(), "127.0.0.1:")

	// HTTP/1.1 works too.
	hc := p.Client()
	hc.Transport.(*http.Transport).ForceAttemptHTTP2 = false
	hc.Transport.(*http.Transport).TLSClientConfig.NextProtos = []string{"http/1.1"}
	c := xksproxy.New(xksproxy.Options{Endpoint: p.URL, UriPath: xksURIPath, Region: xksRegion,
		Credential: xksproxy.Credential{AccessKeyID: xksAKID, SecretAccessKey: xksSecret}, HTTPClient: hc})
	_, err := c.GetHealthStatus(ctx, &xksproxy.GetHealthStatusInput{RequestMetadata: xksMD})
	require.NoError(t, err)

	// TLS 1.2 with a cipher suite of the specification works.
	hc12 := p.Client()
	hc12.Transport.(*http.Transport).TLSClientConfig.MaxVersion = tls.VersionTLS12
	hc12.Transport.(*http.Transport).TLSClientConfig.CipherSuites = []uint16{tls.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384}
	res, err := hc12.Post(p.URL+"/", "application/json", strings.NewReader("{}"))
	require.NoError(t, err)
	require.NotNil(t, res.TLS)
	assert.Equal(t, uint16(tls.VersionTLS12), res.TLS.Version)
	assert.Equal(t, tls.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384, res.TLS.CipherSuite)
	res.Body.Close()

	// The client reaches only this host.
	_, err = p.Client().Get("https://other.example.com/")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "reaches only xks.example.com:443")

	mismatch := newTestXksProxy(t, kmstest.WithXksCertificateHosts("other.example.com"))
	_, err = xksClient(mismatch, xksCred, xksURIPath).GetHealthStatus(ctx, &xksproxy.GetHealthStatusInput{RequestMetadata: xksMD})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "certificate is valid for other.example.com, not xks.example.com")
}

// Bad options are errors naming them; NewXksProxyServer panics with them.
func TestXksProxyOptionErrors(t *testing.T) {
	for name, opts := range map[string][]kmstest.XksOption{
		"no credentials":       {},
		"empty secret":         {kmstest.WithXksCredentials(kmstest.XksCredential{AccessKeyID: "a"})},
		"bad prefix":           {kmstest.WithXksCredentials(xksCred), kmstest.WithXksURIPrefix("/a b")},
		"bad key ID":           {kmstest.WithXksCredentials(xksCred), kmstest.WithXksKeys(kmstest.XksKey{ID: "a/b"})},
		"16-byte material":     {kmstest.WithXksCredentials(xksCred), kmstest.WithXksKeys(kmstest.XksKey{ID: "k", Material: make([]byte, 16)})},
		"21 bytes of metadata": {kmstest.WithXksCredentials(xksCred), kmstest.WithXksKeys(kmstest.XksKey{ID: "k", CiphertextMetadata: make([]byte, 21)})},
	} {
		_, err := kmstest.NewXksProxyFake(opts...)
		assert.Error(t, err, name)
	}
	for _, endpoint := range []string{"http://xks.example.com", "https://xks.example.com:8443", "https://127.0.0.1", "https://xks.example.com/path", "xks.example.com"} {
		assert.Panics(t, func() {
			kmstest.NewXksProxyServer(kmstest.WithXksEndpoint(endpoint), kmstest.WithXksCredentials(xksCred))
		}, endpoint)
	}
	p, err := kmstest.NewXksProxyFake(kmstest.WithXksCredentials(xksCred), kmstest.WithXksURIPrefix("example/uri/path/prefix/kms/xks/v1"))
	require.NoError(t, err)
	assert.Equal(t, []string{xksURIPath}, p.URIPaths(), "a prefix without '/' or with the API path is normalized")
}

// Recorded calls and printed credentials hold no secret or plaintext.
func TestXksProxyCallsHoldNoSecrets(t *testing.T) {
	p := newTestXksProxy(t)
	c := xksClient(p, xksCred, xksURIPath)
	plaintext := []byte("PLAINTEXT-attack-at-dawn")
	enc, err := c.Encrypt(ctx, &xksproxy.EncryptInput{ExternalKeyId: "foo", RequestMetadata: xksMD, Plaintext: plaintext, AdditionalAuthenticatedData: []byte("AAD-marker")})
	require.NoError(t, err)
	_, err = c.Decrypt(ctx, &xksproxy.DecryptInput{ExternalKeyId: "foo", RequestMetadata: xksMD, Ciphertext: enc.Ciphertext,
		InitializationVector: enc.InitializationVector, AuthenticationTag: enc.AuthenticationTag, AdditionalAuthenticatedData: []byte("AAD-marker")})
	require.NoError(t, err)
	_, _ = xksClient(p, xksCred2, xksURIPath).GetHealthStatus(ctx, &xksproxy.GetHealthStatusInput{RequestMetadata: xksMD})

	calls := p.Calls()
	require.Len(t, calls, 3)
	assert.Equal(t, "AuthenticationFailedException", calls[2].ErrorName)
	text := fmt.Sprintf("%+v %#v", calls, calls)
	b, err := json.Marshal(calls)
	require.NoError(t, err)
	text += string(b) + fmt.Sprintf("%v %+v %#v %s", xksCred, xksCred, xksCred, xksCred)
	b, err = json.Marshal(xksCred)
	require.NoError(t, err)
	text += string(b)
	for _, s := range []string{xksSecret, xksAKID, xksAKID2, string(plaintext), "AAD-marker"} {
		assert.NotContains(t, text, s)
	}
	assert.Equal(t, "{AccessKeyID:"+kmstest.Redacted+" SecretAccessKey:"+kmstest.Redacted+"}", fmt.Sprint(xksCred))
}

// ioNop is a request body of s.
func ioNop(s string) io.ReadCloser { return io.NopCloser(strings.NewReader(s)) }

// TestXksProxyWithMaxCalls: the fake XKS proxy bounds Calls as the fake KMS
// does (WithMaxCalls): the last n calls, oldest first; 0 keeps none while
// the hook still sees every call; the default keeps DefaultMaxCalls.
func TestXksProxyWithMaxCalls(t *testing.T) {
	serve := func(p *kmstest.XksProxyFake, n int) {
		for i := range n {
			req := httptest.NewRequest(http.MethodPost, fmt.Sprintf("/call-%d", i), strings.NewReader("{}"))
			p.ServeHTTP(httptest.NewRecorder(), req)
		}
	}
	paths := func(calls []kmstest.XksCall) []string {
		var out []string
		for _, c := range calls {
			out = append(out, c.Path)
		}
		return out
	}
	t.Run("3 of 7", func(t *testing.T) {
		p, err := kmstest.NewXksProxyFake(kmstest.WithXksCredentials(xksCred), kmstest.WithXksMaxCalls(3))
		require.NoError(t, err)
		serve(p, 7)
		assert.Equal(t, []string{"/call-4", "/call-5", "/call-6"}, paths(p.Calls()), "oldest first, oldest dropped")
		p.ResetCalls()
		assert.Empty(t, p.Calls())
		serve(p, 1)
		assert.Equal(t, []string{"/call-0"}, paths(p.Calls()))
	})
	t.Run("0 keeps none", func(t *testing.T) {
		var hooked atomic.Int32
		p, err := kmstest.NewXksProxyFake(kmstest.WithXksCredentials(xksCred), kmstest.WithXksMaxCalls(0),
			kmstest.WithXksCallHook(func(kmstest.XksCall) { hooked.Add(1) }))
		require.NoError(t, err)
		serve(p, 5)
		assert.Empty(t, p.Calls())
		assert.Equal(t, int32(5), hooked.Load())
	})
	t.Run("default", func(t *testing.T) {
		p, err := kmstest.NewXksProxyFake(kmstest.WithXksCredentials(xksCred))
		require.NoError(t, err)
		serve(p, kmstest.DefaultMaxCalls+5)
		calls := p.Calls()
		require.Len(t, calls, kmstest.DefaultMaxCalls)
		assert.Equal(t, "/call-5", calls[0].Path)
		assert.Equal(t, fmt.Sprintf("/call-%d", kmstest.DefaultMaxCalls+4), calls[len(calls)-1].Path)
	})
}

// TestXksCredentialEveryEncoder: encoding/xml never writes an
// XksCredential's members, and encoding/gob refuses to encode a set one
// rather than write or lose it (an unset one round-trips); the marker is
// refused as a credential.
func TestXksCredentialEveryEncoder(t *testing.T) {
	type holder struct{ Cred kmstest.XksCredential }
	x, err := xml.Marshal(holder{xksCred})
	require.NoError(t, err)
	assert.NotContains(t, string(x), xksSecret)
	assert.NotContains(t, string(x), xksAKID)
	assert.Contains(t, string(x), kmstest.Redacted)

	var g bytes.Buffer
	err = gob.NewEncoder(&g).Encode(holder{xksCred})
	require.ErrorContains(t, err, "kmstest: refusing to encode a secret")
	assert.NotContains(t, err.Error()+g.String(), xksSecret)
	assert.NotContains(t, err.Error()+g.String(), xksAKID)

	g.Reset()
	require.NoError(t, gob.NewEncoder(&g).Encode(holder{}))
	var back holder
	require.NoError(t, gob.NewDecoder(&g).Decode(&back))
	assert.Equal(t, holder{}, back)

	_, err = kmstest.NewXksProxyFake(kmstest.WithXksCredentials(kmstest.XksCredential{AccessKeyID: kmstest.Redacted, SecretAccessKey: xksSecret}))
	assert.ErrorContains(t, err, "AccessKeyID is the redaction marker")
}
