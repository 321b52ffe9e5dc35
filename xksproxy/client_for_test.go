package xksproxy_test

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kmskit/kms/kmstest"
	"github.com/kmskit/kms/xksproxy"
)

// Reach a proxy by its name through another address, as through a port
// forward or a bastion (curl --resolve xks.example.com:443:ADDRESS).
func ExampleClientFor() {
	cred := xksproxy.Credential{AccessKeyID: "ABCDE23456FGHIJ7ABCD", SecretAccessKey: "c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3JldA"}
	proxy := kmstest.NewXksProxyServer( // listens on 127.0.0.1, certificate for xks.example.com
		kmstest.WithXksEndpoint("https://xks.example.com"),
		kmstest.WithXksCredentials(kmstest.XksCredential{AccessKeyID: cred.AccessKeyID, SecretAccessKey: cred.SecretAccessKey}),
	)
	defer proxy.Close()

	hc, err := xksproxy.ClientFor(map[string]string{"xks.example.com": proxy.ListenerAddr()}, proxy.RootCAs())
	if err != nil {
		fmt.Println(err)
		return
	}
	client := xksproxy.New(xksproxy.Options{
		Endpoint: "https://xks.example.com", UriPath: "/kms/xks/v1", Region: "us-east-1", Credential: cred,
		HTTPClient: hc,
	})
	health, err := client.GetHealthStatus(context.Background(), &xksproxy.GetHealthStatusInput{
		RequestMetadata: xksproxy.RequestMetadata{KmsOperation: "UpdateCustomKeyStore"},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(len(health.EkmFleetDetails), "external key managers")
	// Output: 2 external key managers
}

// clientForProxy returns an xksproxy client for p built on ClientFor with
// resolve and roots.
func clientForProxy(t *testing.T, endpoint string, resolve map[string]string, roots *x509.CertPool) *xksproxy.Client {
	t.Helper()
	hc, err := xksproxy.ClientFor(resolve, roots)
	require.NoError(t, err)
	return xksproxy.New(xksproxy.Options{Endpoint: endpoint, UriPath: "/kms/xks/v1", Region: testRegion, Credential: testCred, HTTPClient: hc})
}

func TestClientForReachesTheNameThroughTheAddress(t *testing.T) {
	p := kmstest.NewXksProxyServer(kmstest.WithXksEndpoint("https://xks.example.com"),
		kmstest.WithXksCredentials(kmstest.XksCredential{AccessKeyID: testAKID, SecretAccessKey: testSecret}))
	defer p.Close()
	ctx := context.Background()
	in := &xksproxy.GetHealthStatusInput{RequestMetadata: testMD}

	c := clientForProxy(t, "https://xks.example.com", map[string]string{"XKS.example.com": p.ListenerAddr()}, p.RootCAs())
	_, err := c.GetHealthStatus(ctx, in)
	require.NoError(t, err)
	require.Len(t, p.Calls(), 1)
	assert.Equal(t, "/kms/xks/v1/health", p.Calls()[0].Path)

	t.Run("the certificate is verified for the name", func(t *testing.T) {
		other := kmstest.NewXksProxyServer(kmstest.WithXksEndpoint("https://xks.example.com"), kmstest.WithXksCertificateHosts("other.example.com"),
			kmstest.WithXksCredentials(kmstest.XksCredential{AccessKeyID: testAKID, SecretAccessKey: testSecret}))
		defer other.Close()
		_, err := clientForProxy(t, "https://xks.example.com", map[string]string{"xks.example.com": other.ListenerAddr()}, other.RootCAs()).GetHealthStatus(ctx, in)
		var hostErr x509.HostnameError
		require.ErrorAs(t, err, &hostErr)
		assert.Empty(t, other.Calls())
	})
	t.Run("nil roots are the system's", func(t *testing.T) {
		_, err := clientForProxy(t, "https://xks.example.com", map[string]string{"xks.example.com": p.ListenerAddr()}, nil).GetHealthStatus(ctx, in)
		var unknown x509.UnknownAuthorityError
		require.ErrorAs(t, err, &unknown, "the fake's CA is not a system root")
	})
}

func TestClientForKeepsTheDefaultClient(t *testing.T) {
	hc, err := xksproxy.ClientFor(map[string]string{"xks.example.com": "127.0.0.1:4600"}, x509.NewCertPool())
	require.NoError(t, err)
	def := xksproxy.DefaultHTTPClient()
	tr, want := hc.Transport.(*http.Transport), def.Transport.(*http.Transport)
	assert.Equal(t, want.TLSClientConfig.CipherSuites, tr.TLSClientConfig.CipherSuites, "KMS's cipher suites")
	assert.Equal(t, want.TLSClientConfig.MinVersion, tr.TLSClientConfig.MinVersion)
	assert.Equal(t, want.TLSHandshakeTimeout, tr.TLSHandshakeTimeout)
	assert.Equal(t, want.ResponseHeaderTimeout, tr.ResponseHeaderTimeout)
	assert.Equal(t, def.Timeout, hc.Timeout)
	assert.True(t, tr.ForceAttemptHTTP2)
}

func TestClientForNeverFollowsRedirects(t *testing.T) {
	var calls atomic.Int32
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		http.Redirect(w, r, "https://example.com/elsewhere", http.StatusTemporaryRedirect)
	}))
	defer srv.Close()
	roots := x509.NewCertPool()
	roots.AddCert(srv.Certificate())
	hc, err := xksproxy.ClientFor(map[string]string{"example.com": srv.Listener.Addr().String()}, roots)
	require.NoError(t, err)
	res, err := hc.Post("https://example.com/kms/xks/v1/health", "application/json", nil)
	require.NoError(t, err)
	res.Body.Close()
	assert.Equal(t, http.StatusTemporaryRedirect, res.StatusCode)
	assert.EqualValues(t, 1, calls.Load(), "the redirect was not followed")
}

func TestClientForBadPairs(t *testing.T) {
	for _, resolve := range []map[string]string{
		{"https://xks.example.com": "127.0.0.1:4600"},
		{"xks.example.com": "127.0.0.1"},
		{"xks.example.com": "127.0.0.1:port"},
		{"xks.example.com:0": "127.0.0.1:4600"},
	} {
		hc, err := xksproxy.ClientFor(resolve, nil)
		assert.Nil(t, hc)
		var ie *xksproxy.InputError
		require.True(t, errors.As(err, &ie), "%v: %v", resolve, err)
		assert.Equal(t, "resolve", ie.Field)
		for name := range resolve {
			assert.Contains(t, err.Error(), fmt.Sprintf("%q", name), "the pair is quoted")
		}
	}
}
