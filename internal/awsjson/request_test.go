package awsjson

import (
	"context"
	"io"
	"net/url"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestBuildRequest: each request is a POST of the body to its own copy of
// the endpoint, cannot be replayed, and keeps its header values apart when
// the signer fills the slots it appends to.
func TestBuildRequest(t *testing.T) {
	endpoint, err := url.Parse("https://kms.us-east-1.amazonaws.com/")
	require.NoError(t, err)
	s := &Sender{URL: endpoint, TargetScope: "TrentService", UserAgent: "test-agent/1.0"}
	type ctxKey struct{}
	ctx := context.WithValue(context.Background(), ctxKey{}, "mine")
	body := []byte(`{"CustomKeyStoreId":"cks-1234567890abcdef0"}`)

	req := s.buildRequest(ctx, "UpdateCustomKeyStore", body)
	assert.Equal(t, "POST", req.Method)
	assert.Equal(t, "mine", req.Context().Value(ctxKey{}))
	assert.Equal(t, "kms.us-east-1.amazonaws.com", req.Host)
	assert.Equal(t, int64(len(body)), req.ContentLength)
	assert.Nil(t, req.GetBody, "net/http must not be able to re-send the body")
	assert.Equal(t, "application/x-amz-json-1.1", req.Header.Get("Content-Type"))
	assert.Equal(t, "TrentService.UpdateCustomKeyStore", req.Header.Get("X-Amz-Target"))
	assert.Equal(t, "test-agent/1.0", req.Header.Get("User-Agent"))

	req.URL.Path = "/changed"
	assert.Equal(t, "/", endpoint.Path, "the sender's URL is copied, not shared")

	creds := aws.Credentials{AccessKeyID: "AKIDEXAMPLE", SecretAccessKey: "secret", SessionToken: "token"}
	at := time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)
	req.URL.Path = "/"
	require.NoError(t, v4.NewSigner().SignHTTP(ctx, creds, req, payloadHash(body), "kms", "us-east-1", at))
	assert.Equal(t, "20260304T050607Z", req.Header.Get("X-Amz-Date"))
	assert.Contains(t, req.Header.Get("Authorization"), "SignedHeaders=content-length;content-type;host;x-amz-date;x-amz-security-token;x-amz-target")
	assert.Equal(t, "token", req.Header.Get("X-Amz-Security-Token"))
	for name, want := range map[string]string{"Content-Type": "application/x-amz-json-1.1", "X-Amz-Target": "TrentService.UpdateCustomKeyStore", "User-Agent": "test-agent/1.0"} {
		assert.Equal(t, []string{want}, req.Header.Values(name), "%s after signing", name)
	}

	other := s.buildRequest(ctx, "UpdateCustomKeyStore", []byte(`{}`))
	assert.Empty(t, other.Header.Get("Authorization"), "a new request shares no header values")

	got, err := io.ReadAll(req.Body)
	require.NoError(t, err)
	assert.Equal(t, body, got)
	require.NoError(t, req.Body.Close())
}
