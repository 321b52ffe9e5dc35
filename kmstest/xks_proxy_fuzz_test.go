package kmstest_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"github.com/kmskit/kms/kmstest"
)

// FuzzXksProxyRequest sends arbitrary signed bodies to every operation of
// the fake XKS proxy: it never panics, answers a status of the
// specification's table with one line of JSON, and never echoes the body.
func FuzzXksProxyRequest(f *testing.F) {
	for _, s := range []string{
		healthBody, ``, `null`, `[]`, `{"requestMetadata":{}}`,
		`{"requestMetadata":{"awsPrincipalArn":"p","kmsKeyArn":"k","kmsOperation":"Encrypt","kmsRequestId":"r"},"plaintext":"SGVsbG8=","encryptionAlgorithm":"AES_GCM","ciphertextDataIntegrityValueAlgorithm":"SHA_256","additionalAuthenticatedData":"YQ=="}`,
		`{"requestMetadata":{"awsPrincipalArn":"p","kmsKeyArn":"k","kmsOperation":"Decrypt","kmsRequestId":"r"},"ciphertext":"SGVsbG8=","encryptionAlgorithm":"AES_GCM","initializationVector":"AAAAAAAAAAAAAAAAAAAAAA==","authenticationTag":"AAAAAAAAAAAAAAAAAAAAAA==","ciphertextMetadata":"eA=="}`,
		`{"requestMetadata":{"awsPrincipalArn":"p","kmsOperation":"CreateKey","kmsRequestId":"r"}}`,
	} {
		for op := range 4 {
			f.Add(uint8(op), []byte(s))
		}
	}
	p, err := kmstest.NewXksProxyFake(kmstest.WithXksCredentials(xksCred), kmstest.WithXksKeys(kmstest.XksKey{ID: "foo"}, kmstest.XksKey{ID: "enc", KeyUsage: []string{"ENCRYPT"}}))
	if err != nil {
		f.Fatal(err)
	}
	paths := []string{"/kms/xks/v1/health", "/kms/xks/v1/keys/foo/metadata", "/kms/xks/v1/keys/foo/encrypt", "/kms/xks/v1/keys/enc/decrypt"}
	allowed := map[int]bool{200: true, 400: true, 401: true, 403: true, 404: true, 429: true, 500: true, 501: true, 503: true}
	f.Fuzz(func(t *testing.T, op uint8, body []byte) {
		req := httptest.NewRequest(http.MethodPost, "https://xks.example.com"+paths[int(op)%len(paths)], bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		sum := sha256.Sum256(body)
		if err := v4.NewSigner().SignHTTP(context.Background(), aws.Credentials{AccessKeyID: xksAKID, SecretAccessKey: xksSecret},
			req, hex.EncodeToString(sum[:]), "kms-xks-proxy", "us-east-1", time.Now()); err != nil {
			t.Fatal(err)
		}
		rec := httptest.NewRecorder()
		p.ServeHTTP(rec, req)
		out := rec.Body.Bytes()
		if !allowed[rec.Code] {
			t.Fatalf("status %d", rec.Code)
		}
		if !json.Valid(out) || bytes.ContainsRune(out, '\n') {
			t.Fatalf("not one line of JSON: %q", out)
		}
		if rec.Code != http.StatusOK && len(body) >= 8 && echoesBody(out, body) {
			t.Fatalf("the error echoes the body: %q", out)
		}
	})
}

// echoesBody reports whether an error answer's errorMessage holds body. A
// body made only of what the fake's own messages are made of (letters,
// digits, spaces, ".,-") is not JSON and may be a piece of them ("the body
// is"): it does not count. The answer's JSON structure (`{"errorName"`) is
// the fake's own too.
func echoesBody(out, body []byte) bool {
	var e struct{ ErrorMessage string }
	if json.Unmarshal(out, &e) != nil {
		return bytes.Contains(out, body)
	}
	own := true
	for _, c := range body {
		own = own && (c == ' ' || c == '.' || c == ',' || c == '-' || ('0' <= c && c <= '9') || ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z'))
	}
	return !own && strings.Contains(e.ErrorMessage, string(body))
}
