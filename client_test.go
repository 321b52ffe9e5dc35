package kms

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestOneSignerPerClient: a client has one aws/signer/v4 Signer, and calls
// with per-call options use it too (its derived-key cache and the learned
// clock offset are the client's, not the call's).
func TestOneSignerPerClient(t *testing.T) {
	creds := aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
		return aws.Credentials{AccessKeyID: "AKIDEXAMPLE", SecretAccessKey: "secret"}, nil
	})
	c := New(Options{Region: "us-east-1", Credentials: creds})
	require.NoError(t, c.err)
	require.NotNil(t, c.sender.Signer)

	s, _, err := c.forCall([]func(*Options){func(o *Options) { o.RetryMaxAttempts = 1 }})
	require.NoError(t, err)
	assert.NotSame(t, c.sender, s, "per-call options get their own sender")
	assert.Same(t, c.sender.Signer, s.Signer)
	assert.Same(t, c.sender.Clock, s.Clock)

	other := New(Options{Region: "us-east-1", Credentials: creds})
	assert.NotSame(t, c.sender.Signer, other.sender.Signer, "clients do not share a signer")
}

// TestDefaultHTTPClientTimeouts: the default HTTP client waits at most 60 s
// for response headers, on top of net/http's dial and TLS handshake
// timeouts, so a server that accepts and never answers cannot block a call
// made with context.Background() forever (today it has no such timeout).
func TestDefaultHTTPClientTimeouts(t *testing.T) {
	hc := defaultHTTPClient()
	tr, ok := hc.Transport.(*http.Transport)
	require.True(t, ok)
	assert.Equal(t, 60*time.Second, tr.ResponseHeaderTimeout)
	assert.Positive(t, tr.TLSHandshakeTimeout)
	assert.NotNil(t, tr.DialContext)
}
