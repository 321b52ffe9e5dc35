package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kmskit/kms/internal/selfsigned"
	"github.com/kmskit/kms/xksproxy"
)

// caPool reads a CA file as kmstest -xks-ca and cks --xks-ca-file do.
func caPool(t *testing.T, path string) *x509.CertPool {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	pool := x509.NewCertPool()
	require.True(t, pool.AppendCertsFromPEM(b))
	return pool
}

// -tls-self-signed writes the CA, certificate and key, and serves HTTPS
// with them: a client trusting the CA file reaches the proxy by the name.
func TestSelfSigned(t *testing.T) {
	dir := t.TempDir()
	key := filepath.Join(dir, selfSignedKey)
	require.NoError(t, os.WriteFile(key, []byte("old"), 0o644))
	base, log := start(t, []string{"-addr", "127.0.0.1:0", "-tls-self-signed", "xks.example.com, xks-b.example.com", "-tls-dir", dir}, credEnv)
	require.True(t, strings.HasPrefix(base, "https://127.0.0.1:"), base)
	for _, name := range []string{selfSignedCA, selfSignedCert, selfSignedKey} {
		assert.Contains(t, log.String(), filepath.Join(dir, name), "the log names the file")
	}
	info, err := os.Stat(key)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), info.Mode().Perm(), "the key file is private, even when an older one was not")

	caPEM, err := os.ReadFile(filepath.Join(dir, selfSignedCA))
	require.NoError(t, err)
	blk, rest := pem.Decode(caPEM)
	require.NotNil(t, blk)
	assert.Empty(t, rest, "one certificate")
	ca, err := x509.ParseCertificate(blk.Bytes)
	require.NoError(t, err)
	assert.True(t, ca.IsCA)
	assert.Equal(t, selfsigned.CAName, ca.Subject.CommonName)
	pair, err := tls.LoadX509KeyPair(filepath.Join(dir, selfSignedCert), key)
	require.NoError(t, err)
	leaf, err := x509.ParseCertificate(pair.Certificate[0])
	require.NoError(t, err)
	assert.Equal(t, []string{"xks.example.com", "xks-b.example.com"}, leaf.DNSNames)

	addr := strings.TrimPrefix(base, "https://")
	for _, name := range []string{"xks.example.com", "xks-b.example.com"} {
		hc, err := xksproxy.ClientFor(map[string]string{name: addr}, caPool(t, filepath.Join(dir, selfSignedCA)))
		require.NoError(t, err)
		c := xksproxy.New(xksproxy.Options{Endpoint: "https://" + name, UriPath: "/kms/xks/v1", Region: "us-east-1",
			Credential: xksproxy.Credential{AccessKeyID: akid, SecretAccessKey: secret}, HTTPClient: hc})
		_, err = c.GetHealthStatus(context.Background(), &xksproxy.GetHealthStatusInput{RequestMetadata: md})
		require.NoError(t, err, name)
	}

	// A second proxy serves the same files; the CA file covers both.
	base2, _ := start(t, []string{"-addr", "127.0.0.1:0", "-tls-cert", filepath.Join(dir, selfSignedCert), "-tls-key", key}, credEnv)
	hc, err := xksproxy.ClientFor(map[string]string{"xks-b.example.com": strings.TrimPrefix(base2, "https://")}, caPool(t, filepath.Join(dir, selfSignedCA)))
	require.NoError(t, err)
	res, err := hc.Post("https://xks-b.example.com/kms/xks/v1/health", "application/json", nil)
	require.NoError(t, err)
	res.Body.Close()
	assert.Equal(t, 401, res.StatusCode, "reached (unsigned, so refused)")
}

func TestSelfSignedErrors(t *testing.T) {
	dir := t.TempDir()
	certFile, keyFile, _ := writeCertificate(t)
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"-tls-self-signed", ""}, "-tls-self-signed needs a host name"},
		{[]string{"-tls-self-signed", " , "}, "-tls-self-signed needs a host name"},
		{[]string{"-tls-self-signed", "https://xks.example.com"}, "no scheme, port or path"},
		{[]string{"-tls-self-signed", "xks.example.com:443"}, "no scheme, port or path"},
		{[]string{"-tls-dir", dir}, "-tls-dir is where -tls-self-signed writes"},
		{[]string{"-tls-self-signed", "xks.example.com", "-tls-cert", certFile, "-tls-key", keyFile}, "give it or -tls-cert and -tls-key"},
		{[]string{"-tls-self-signed", "xks.example.com", "-tls-dir", filepath.Join(dir, "absent")}, "no such file or directory"},
	} {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			err := run(context.Background(), append([]string{"-addr", "127.0.0.1:0"}, tt.args...), credEnv, &syncBuffer{}, func(string) { t.Error("served") })
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
		})
	}
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	assert.Empty(t, entries, "nothing written")
}
