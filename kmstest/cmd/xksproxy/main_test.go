package main

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"flag"
	"io"
	"math/big"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kmskit/kms/kmstest"
	"github.com/kmskit/kms/xksproxy"
)

const (
	akid   = "ABCDE12345FGHIJ67890"
	secret = "c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3JldA"
)

// env is a fake environment.
func env(vars map[string]string) func(string) string {
	return func(k string) string { return vars[k] }
}

var credEnv = env(map[string]string{"XKS_PROXY_ACCESS_KEY_ID": akid, "XKS_PROXY_SECRET_ACCESS_KEY": secret})

// syncBuffer is a bytes.Buffer safe for the server's and the test's
// goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// start runs the command with args until the test ends and returns its
// base URL and log.
func start(t *testing.T, args []string, getenv func(string) string) (string, *syncBuffer) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	log := &syncBuffer{}
	urls := make(chan string, 1)
	done := make(chan error, 1)
	go func() { done <- run(ctx, args, getenv, log, func(u string) { urls <- u }) }()
	t.Cleanup(func() {
		cancel()
		require.NoError(t, <-done)
	})
	select {
	case u := <-urls:
		return u, log
	case err := <-done:
		t.Fatalf("xksproxy stopped: %v\n%s", err, log.String())
	}
	return "", nil
}

// curl sends a request signed as curl --aws-sigv4 signs it (content-type,
// host, x-amz-date).
func curl(t *testing.T, hc *http.Client, method, url, body string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json")
	req.ContentLength = 0
	sum := sha256.Sum256([]byte(body))
	require.NoError(t, v4.NewSigner().SignHTTP(context.Background(), aws.Credentials{AccessKeyID: akid, SecretAccessKey: secret},
		req, hex.EncodeToString(sum[:]), "kms-xks-proxy", "us-east-1", time.Now()))
	req.ContentLength = int64(len(body))
	res, err := hc.Do(req)
	require.NoError(t, err)
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	require.NoError(t, err)
	return res.StatusCode, string(b)
}

var md = xksproxy.RequestMetadata{
	AwsPrincipalArn: "arn:aws:iam::123456789012:user/Alice",
	KmsKeyArn:       "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
	KmsOperation:    "Encrypt",
}

// The command line of the issue serves the four keys over plain HTTP on
// loopback, with the prefix, to curl-style requests and to xksproxy.
func TestServeIssueCommandLine(t *testing.T) {
	base, log := start(t, []string{"-addr", "127.0.0.1:0", "-uri-prefix", "example/uri/path/prefix",
		"-keys", "foo,encrypt_only_key:ENCRYPT,decrypt_only_key:DECRYPT,impotent_key:"}, credEnv)
	require.True(t, strings.HasPrefix(base, "http://127.0.0.1:"), base)
	path := "/example/uri/path/prefix/kms/xks/v1"

	status, body := curl(t, http.DefaultClient, http.MethodPost, base+path+"/health", `{"requestMetadata":{"kmsOperation":"KmsHealthCheck","kmsRequestId":"1124f4d6"}}`)
	require.Equal(t, http.StatusOK, status, body)
	assert.Contains(t, body, `"ekmFleetDetails"`)
	assert.NotContains(t, body, "\n")
	status, _ = curl(t, http.DefaultClient, http.MethodGet, base+path+"/health", ``)
	assert.Equal(t, http.StatusMethodNotAllowed, status)
	status, body = curl(t, http.DefaultClient, http.MethodPost, base+"/kms/xks/v1/health", `{"requestMetadata":{"kmsOperation":"KmsHealthCheck","kmsRequestId":"1"}}`)
	assert.Equal(t, http.StatusNotFound, status)
	assert.Contains(t, body, "InvalidUriPathException")

	c := xksproxy.New(xksproxy.Options{Endpoint: base, UriPath: path, Region: "us-east-1", Credential: xksproxy.Credential{AccessKeyID: akid, SecretAccessKey: secret}})
	ctx := context.Background()
	plaintext := []byte("PLAINTEXT-attack-at-dawn")
	enc, err := c.Encrypt(ctx, &xksproxy.EncryptInput{ExternalKeyId: "foo", RequestMetadata: md, Plaintext: plaintext})
	require.NoError(t, err)
	decrypt := func(key string) error {
		_, err := c.Decrypt(ctx, &xksproxy.DecryptInput{ExternalKeyId: key, RequestMetadata: md, Ciphertext: enc.Ciphertext,
			InitializationVector: enc.InitializationVector, AuthenticationTag: enc.AuthenticationTag})
		return err
	}
	encrypt := func(key string) error {
		_, err := c.Encrypt(ctx, &xksproxy.EncryptInput{ExternalKeyId: key, RequestMetadata: md, Plaintext: plaintext})
		return err
	}
	assert.NoError(t, decrypt("foo"))
	assert.NoError(t, encrypt("encrypt_only_key"))
	assert.ErrorIs(t, decrypt("encrypt_only_key"), xksproxy.ErrInvalidKeyUsage)
	assert.ErrorIs(t, encrypt("decrypt_only_key"), xksproxy.ErrInvalidKeyUsage)
	assert.ErrorIs(t, decrypt("decrypt_only_key"), xksproxy.ErrInvalidCiphertext, "other key material")
	assert.ErrorIs(t, encrypt("impotent_key"), xksproxy.ErrInvalidKeyUsage)
	assert.ErrorIs(t, decrypt("impotent_key"), xksproxy.ErrInvalidKeyUsage)
	assert.ErrorIs(t, encrypt("no_such_key"), xksproxy.ErrKeyNotFound)

	bad := xksproxy.New(xksproxy.Options{Endpoint: base, UriPath: path, Region: "us-east-1", Credential: xksproxy.Credential{AccessKeyID: akid, SecretAccessKey: "wrong"}})
	_, err = bad.GetHealthStatus(ctx, &xksproxy.GetHealthStatusInput{RequestMetadata: md})
	assert.ErrorIs(t, err, xksproxy.ErrAuthenticationFailed)

	logs := log.String()
	assert.Contains(t, logs, "xksproxy listening")
	assert.Contains(t, logs, "path=/example/uri/path/prefix/kms/xks/v1/keys/foo/encrypt status=200")
	assert.Contains(t, logs, "error=InvalidKeyUsageException")
	for _, s := range []string{secret, akid, string(plaintext)} {
		assert.NotContains(t, logs, s)
	}
}

// -credentials-file reads the KMS console's configuration file, whose path
// gives the prefix.
func TestCredentialsFile(t *testing.T) {
	file := filepath.Join(t.TempDir(), "xks.json")
	require.NoError(t, os.WriteFile(file, []byte(`{"XksProxyUriPath":"/keystores/4a0d79d6/kms/xks/v1",
		"XksProxyAuthenticationCredential":{"AccessKeyId":"`+akid+`","RawSecretAccessKey":"`+secret+`"}}`), 0o600))
	base, _ := start(t, []string{"-addr", "127.0.0.1:0", "-credentials-file", file}, env(nil))
	status, body := curl(t, http.DefaultClient, http.MethodPost, base+"/keystores/4a0d79d6/kms/xks/v1/health", `{"requestMetadata":{"kmsOperation":"KmsHealthCheck","kmsRequestId":"1"}}`)
	assert.Equal(t, http.StatusOK, status, body)
}

// -tls-cert and -tls-key serve HTTPS.
func TestServeTLS(t *testing.T) {
	certFile, keyFile, pool := writeCertificate(t)
	base, _ := start(t, []string{"-addr", "127.0.0.1:0", "-tls-cert", certFile, "-tls-key", keyFile}, credEnv)
	require.True(t, strings.HasPrefix(base, "https://127.0.0.1:"), base)
	hc := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	status, body := curl(t, hc, http.MethodPost, base+"/kms/xks/v1/health", `{"requestMetadata":{"kmsOperation":"KmsHealthCheck","kmsRequestId":"1"}}`)
	assert.Equal(t, http.StatusOK, status, body)
}

// Bad command lines fail before serving, without echoing a secret.
func TestBadCommandLines(t *testing.T) {
	file := filepath.Join(t.TempDir(), "bad.json")
	require.NoError(t, os.WriteFile(file, []byte(`{"XksProxyAuthenticationCredential":{"RawSecretAccessKey":"`+secret+`"`), 0o600))
	noKeyID := filepath.Join(t.TempDir(), "no-key-id.json")
	require.NoError(t, os.WriteFile(noKeyID, []byte(`{"XksProxyAuthenticationCredential":{"RawSecretAccessKey":"`+secret+`"}}`), 0o600))
	tests := []struct {
		name   string
		args   []string
		getenv func(string) string
		want   string
	}{
		{"no credential", []string{"-addr", "127.0.0.1:0"}, env(nil), "XKS_PROXY_ACCESS_KEY_ID"},
		{"only the key ID", []string{"-addr", "127.0.0.1:0"}, env(map[string]string{"XKS_PROXY_ACCESS_KEY_ID": akid}), "XKS_PROXY_SECRET_ACCESS_KEY"},
		{"bad credentials file", []string{"-addr", "127.0.0.1:0", "-credentials-file", file}, env(nil), "not an XKS proxy configuration file"},
		{"credentials file without AccessKeyId", []string{"-addr", "127.0.0.1:0", "-credentials-file", noKeyID}, env(nil), "XksProxyAuthenticationCredential.AccessKeyId is missing"},
		{"missing credentials file", []string{"-addr", "127.0.0.1:0", "-credentials-file", file + ".absent"}, env(nil), "no such file"},
		{"bad key ID", []string{"-addr", "127.0.0.1:0", "-keys", "a/b"}, credEnv, "XKS key ID"},
		{"bad prefix", []string{"-addr", "127.0.0.1:0", "-uri-prefix", "a.b"}, credEnv, "WithXksURIPrefix"},
		{"cert without key", []string{"-addr", "127.0.0.1:0", "-tls-cert", "c.pem"}, credEnv, "go together"},
		{"plain HTTP off loopback", []string{"-addr", "0.0.0.0:0"}, credEnv, "only on a loopback address"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var log syncBuffer
			err := run(context.Background(), tt.args, tt.getenv, &log, func(string) { t.Error("served") })
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
			assert.NotContains(t, err.Error()+log.String(), secret)
		})
	}
	var log syncBuffer
	err := run(context.Background(), []string{"-secret-access-key", secret}, credEnv, &log, nil)
	assert.True(t, errors.Is(err, errUsage), "no flag takes a secret")
	err = run(context.Background(), []string{"-help"}, credEnv, &log, nil)
	assert.ErrorIs(t, err, flag.ErrHelp)
	assert.Contains(t, log.String(), "XKS_PROXY_ACCESS_KEY_ID")
}

// -keys: id[:USAGE[+USAGE]].
func TestParseKeys(t *testing.T) {
	keys, err := parseKeys("foo, encrypt_only_key:ENCRYPT,decrypt_only_key:decrypt,both:ENCRYPT+DECRYPT,impotent_key:,,")
	require.NoError(t, err)
	assert.Equal(t, []kmstest.XksKey{
		{ID: "foo"},
		{ID: "encrypt_only_key", KeyUsage: []string{"ENCRYPT"}},
		{ID: "decrypt_only_key", KeyUsage: []string{"DECRYPT"}},
		{ID: "both", KeyUsage: []string{"ENCRYPT", "DECRYPT"}},
		{ID: "impotent_key", KeyUsage: []string{}},
	}, keys)
}

// writeCertificate writes a self-signed certificate for 127.0.0.1.
func writeCertificate(t *testing.T) (certFile, keyFile string, pool *x509.CertPool) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "127.0.0.1"},
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IsCA: true, BasicConstraintsValid: true}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	require.NoError(t, err)
	cert, err := x509.ParseCertificate(der)
	require.NoError(t, err)
	pool = x509.NewCertPool()
	pool.AddCert(cert)
	kb, err := x509.MarshalECPrivateKey(key)
	require.NoError(t, err)
	dir := t.TempDir()
	certFile, keyFile = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	require.NoError(t, os.WriteFile(certFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600))
	require.NoError(t, os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kb}), 0o600))
	return certFile, keyFile, pool
}
