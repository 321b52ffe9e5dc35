package main

import (
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kmskit/kms/xksproxy"
)

// proxyClient returns an xksproxy client for base and the prefix with the
// credential.
func proxyClient(base, prefix, akid, secret string) *xksproxy.Client {
	return xksproxy.New(xksproxy.Options{Endpoint: base, UriPath: prefix + "/kms/xks/v1", Region: "us-east-1",
		Credential: xksproxy.Credential{AccessKeyID: akid, SecretAccessKey: secret}})
}

// health calls GetHealthStatus through c.
func health(c *xksproxy.Client) error {
	_, err := c.GetHealthStatus(context.Background(), &xksproxy.GetHealthStatusInput{RequestMetadata: md})
	return err
}

// Each prefix of -config accepts its own credentials; a key ID is one key
// under every prefix.
func TestConfigServesEachPrefixWithItsCredentials(t *testing.T) {
	base, log := start(t, []string{"-addr", "127.0.0.1:0", "-config", writeConfig(t, twoTenants)}, env(nil))
	a, b := proxyClient(base, "/tenant-a", akidA, secretA), proxyClient(base, "/tenant-b", akidB, secretB)
	require.NoError(t, health(a))
	require.NoError(t, health(b))
	assert.ErrorIs(t, health(proxyClient(base, "/tenant-a", akidB, secretB)), xksproxy.ErrAuthenticationFailed)
	assert.ErrorIs(t, health(proxyClient(base, "/tenant-b", akidA, secretA)), xksproxy.ErrAuthenticationFailed)
	assert.ErrorIs(t, health(proxyClient(base, "/tenant-c", akidA, secretA)), xksproxy.ErrInvalidUriPath)
	assert.ErrorIs(t, health(proxyClient(base, "", akidA, secretA)), xksproxy.ErrInvalidUriPath)

	ctx := context.Background()
	enc, err := a.Encrypt(ctx, &xksproxy.EncryptInput{ExternalKeyId: "foo", RequestMetadata: md, Plaintext: []byte("canary")})
	require.NoError(t, err)
	dec, err := b.Decrypt(ctx, &xksproxy.DecryptInput{ExternalKeyId: "foo", RequestMetadata: md, Ciphertext: enc.Ciphertext,
		InitializationVector: enc.InitializationVector, AuthenticationTag: enc.AuthenticationTag})
	require.NoError(t, err, "foo under /tenant-b is the key foo under /tenant-a")
	assert.Equal(t, "canary", string(dec.Plaintext))
	_, err = b.Encrypt(ctx, &xksproxy.EncryptInput{ExternalKeyId: "enc", RequestMetadata: md, Plaintext: []byte("x")})
	assert.ErrorIs(t, err, xksproxy.ErrKeyNotFound, "/tenant-b does not list enc")

	logs := log.String()
	assert.Contains(t, logs, "uri_paths=/tenant-a/kms/xks/v1,/tenant-b/kms/xks/v1 keys=2")
	for _, s := range []string{secretA, secretB, akidA, akidB} {
		assert.NotContains(t, logs, s)
	}
}

// reloadWorld serves the -config file at path through a server built as
// run builds it, and returns what reload needs.
func reloadWorld(t *testing.T, path string) (*config, *server, string, *syncBuffer) {
	t.Helper()
	c, err := parse([]string{"-config", path}, env(nil), io.Discard)
	require.NoError(t, err)
	log := &syncBuffer{}
	srv := newServer(nil)
	_, err = srv.load(c.entries, c.where)
	require.NoError(t, err)
	hs := httptest.NewServer(srv)
	t.Cleanup(hs.Close)
	return &c, srv, hs.URL, log
}

// A reload is a rotation step: add the new credential, then remove the old.
// Key material stays. A bad file changes nothing and is one log line.
func TestReloadRotation(t *testing.T) {
	one := func(creds string) string {
		return `[{"UriPrefix": "/tenant-a", "Credentials": [` + creds + `], "Keys": [{"ID": "foo"}]}]`
	}
	credA := `{"AccessKeyId": "` + akidA + `", "SecretAccessKey": "` + secretA + `"}`
	credC := `{"AccessKeyId": "` + akidC + `", "SecretAccessKey": "` + secretC + `"}`
	path := writeConfig(t, one(credA))
	c, srv, base, log := reloadWorld(t, path)
	logger := slog.New(slog.NewTextHandler(log, nil))
	oldC, newC := proxyClient(base, "/tenant-a", akidA, secretA), proxyClient(base, "/tenant-a", akidC, secretC)
	require.NoError(t, health(oldC))
	require.ErrorIs(t, health(newC), xksproxy.ErrAuthenticationFailed)
	ctx := context.Background()
	enc, err := oldC.Encrypt(ctx, &xksproxy.EncryptInput{ExternalKeyId: "foo", RequestMetadata: md, Plaintext: []byte("canary")})
	require.NoError(t, err)

	reloadWith := func(body string) {
		t.Helper()
		require.NoError(t, os.WriteFile(path, []byte(body), 0o600))
		c.reload(srv, logger)
	}
	reloadWith(one(credA + "," + credC))
	assert.NoError(t, health(oldC), "old and new both work")
	assert.NoError(t, health(newC), "old and new both work")

	reloadWith(one(credC))
	assert.ErrorIs(t, health(oldC), xksproxy.ErrAuthenticationFailed, "only the new one works")
	assert.NoError(t, health(newC))
	_, err = newC.Decrypt(ctx, &xksproxy.DecryptInput{ExternalKeyId: "foo", RequestMetadata: md, Ciphertext: enc.Ciphertext,
		InitializationVector: enc.InitializationVector, AuthenticationTag: enc.AuthenticationTag})
	assert.NoError(t, err, "the key material survives the reloads")
	assert.Equal(t, 2, strings.Count(log.String(), `msg="xksproxy reloaded"`))

	before := log.String()
	reloadWith(`[{"UriPrefix": "/tenant-a", "Credentials": [{"AccessKeyId": "` + akidA + `", "SecretAccessKey": ` + secretA + `}]}]`)
	added := strings.TrimPrefix(log.String(), before)
	assert.Equal(t, 1, strings.Count(added, "\n"), "one line: %s", added)
	assert.Contains(t, added, "reload failed, the previous configuration stays")
	assert.Contains(t, added, "-config "+path+": line 1 column 104: not valid JSON")
	assert.NotContains(t, added, secretA)
	assert.NoError(t, health(newC), "the previous configuration stays")
	assert.ErrorIs(t, health(oldC), xksproxy.ErrAuthenticationFailed)

	require.NoError(t, os.Remove(path))
	c.reload(srv, logger)
	assert.Contains(t, log.String(), "no such file")
	assert.NoError(t, health(newC))

	// A key that leaves and returns keeps its material.
	reloadWith(`[{"UriPrefix": "/tenant-a", "Credentials": [` + credC + `], "Keys": [{"ID": "bar"}]}]`)
	reloadWith(one(credC))
	_, err = newC.Decrypt(ctx, &xksproxy.DecryptInput{ExternalKeyId: "foo", RequestMetadata: md, Ciphertext: enc.Ciphertext,
		InitializationVector: enc.InitializationVector, AuthenticationTag: enc.AuthenticationTag})
	assert.NoError(t, err)
}

// Without -config there is nothing to re-read: SIGHUP logs that and
// changes nothing.
func TestReloadWithoutConfig(t *testing.T) {
	c, err := parse([]string{"-uri-prefix", "/a"}, credEnv, io.Discard)
	require.NoError(t, err)
	srv := newServer(nil)
	_, err = srv.load(c.entries, c.where)
	require.NoError(t, err)
	before := srv.cur.Load()
	var log syncBuffer
	c.reload(srv, slog.New(slog.NewTextHandler(&log, nil)))
	assert.Contains(t, log.String(), "SIGHUP re-reads only -config")
	assert.Same(t, before, srv.cur.Load())
}
