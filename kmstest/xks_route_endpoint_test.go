package kmstest_test

import (
	"encoding/pem"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kmskit/kms/kmstest"
)

// writeCA writes the PEM of p's CA to a file and returns its path.
func writeCA(t *testing.T, p *kmstest.XksProxyServer) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "ca.pem")
	require.NoError(t, os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: p.CA().Raw}), 0o600))
	return path
}

// addressWorld is routedWorld with the proxy reached by its address
// (RouteXksEndpoint) instead of RouteXksProxy.
func addressWorld(t *testing.T, opts ...kmstest.XksOption) (*kmstest.Server, *kmstest.XksProxyServer) {
	t.Helper()
	srv, p := proxyWorld(t, 10*time.Second, func(srv *kmstest.Server, p *kmstest.XksProxyServer) {
		require.NoError(t, srv.RouteXksEndpoint(kmstest.XksProxyRoute{UriEndpoint: routedEndpoint, Address: p.ListenerAddr(), CAFile: writeCA(t, p)}))
	}, opts...)
	addRoutedStore(t, srv, kmstest.StateDisconnected, routedAccessKeyID, routedSecret)
	return srv, p
}

func TestRouteXksEndpoint(t *testing.T) {
	t.Run("connects through the address, then fails when the credential no longer matches", func(t *testing.T) {
		srv, p := addressWorld(t)
		requireOK(t, connect(t, srv, routedStoreID))
		requireState(t, srv, routedStoreID, kmstest.StateConnected, "")
		calls := p.Calls()
		require.Len(t, calls, 1)
		assert.Equal(t, routedPath+"/health", calls[0].Path)
		assert.Equal(t, "ConnectCustomKeyStore", calls[0].RequestMetadata.KmsOperation)

		require.NoError(t, p.SetCredentials(kmstest.XksCredential{AccessKeyID: routedAccessKeyID2, SecretAccessKey: routedSecret2}))
		requireCode(t, update(t, srv, m{"CustomKeyStoreId": routedStoreID, "XksProxyAuthenticationCredential": cred(routedAccessKeyID, routedSecret)}),
			"XksProxyIncorrectAuthenticationCredentialException")
		requireOK(t, disconnect(t, srv, routedStoreID))
		requireOK(t, connect(t, srv, routedStoreID))
		requireState(t, srv, routedStoreID, kmstest.StateFailed, "INVALID_CREDENTIALS")
	})
	t.Run("a stopped proxy is not reachable", func(t *testing.T) {
		srv, p := addressWorld(t)
		p.Close()
		requireOK(t, connect(t, srv, routedStoreID))
		requireState(t, srv, routedStoreID, kmstest.StateFailed, "XKS_PROXY_NOT_REACHABLE")
	})
	t.Run("a certificate for another name", func(t *testing.T) {
		srv, p := addressWorld(t, kmstest.WithXksCertificateHosts("other.example.com"))
		requireOK(t, connect(t, srv, routedStoreID))
		requireState(t, srv, routedStoreID, kmstest.StateFailed, "XKS_PROXY_INVALID_TLS_CONFIGURATION")
		assert.Empty(t, p.Calls())
	})
	t.Run("without CAFile the system roots do not trust the fake's CA", func(t *testing.T) {
		srv, p := addressWorld(t)
		require.NoError(t, srv.RouteXksEndpoint(kmstest.XksProxyRoute{UriEndpoint: routedEndpoint, Address: p.ListenerAddr()}))
		requireOK(t, connect(t, srv, routedStoreID))
		requireState(t, srv, routedStoreID, kmstest.StateFailed, "XKS_PROXY_INVALID_TLS_CONFIGURATION")
	})
}

func TestRouteXksEndpointErrors(t *testing.T) {
	srv, p := addressWorld(t)
	dir := t.TempDir()
	notPEM := filepath.Join(dir, "not.pem")
	require.NoError(t, os.WriteFile(notPEM, []byte("not a certificate\n"), 0o600))
	tests := []struct {
		name  string
		route kmstest.XksProxyRoute
		want  string
	}{
		{"http endpoint", kmstest.XksProxyRoute{UriEndpoint: "http://xks.example.com", Address: "127.0.0.1:1"}, `the endpoint "http://xks.example.com": want https://<host name>`},
		{"endpoint with a port", kmstest.XksProxyRoute{UriEndpoint: "https://xks.example.com:4600", Address: "127.0.0.1:1"}, "KMS allows no port"},
		{"endpoint with a path", kmstest.XksProxyRoute{UriEndpoint: "https://xks.example.com/kms/xks/v1", Address: "127.0.0.1:1"}, "only scheme and host"},
		{"no endpoint", kmstest.XksProxyRoute{Address: "127.0.0.1:1"}, `the endpoint ""`},
		{"address without port", kmstest.XksProxyRoute{UriEndpoint: routedEndpoint, Address: "127.0.0.1"}, `the address "127.0.0.1" must be HOST:PORT`},
		{"no address", kmstest.XksProxyRoute{UriEndpoint: routedEndpoint}, `the address "" must be HOST:PORT`},
		{"missing CA file", kmstest.XksProxyRoute{UriEndpoint: routedEndpoint, Address: p.ListenerAddr(), CAFile: filepath.Join(dir, "absent.pem")}, "the CA file: open"},
		{"CA file without a certificate", kmstest.XksProxyRoute{UriEndpoint: routedEndpoint, Address: p.ListenerAddr(), CAFile: notPEM}, "holds no PEM certificate"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := srv.RouteXksEndpoint(tt.route)
			require.Error(t, err)
			assert.True(t, strings.HasPrefix(err.Error(), "kmstest: XKS proxy route "), err.Error())
			assert.Contains(t, err.Error(), tt.want)
			require.NotNil(t, errors.Unwrap(err), "the reason is wrapped")
		})
	}
	// The good route stays.
	requireOK(t, connect(t, srv, routedStoreID))
	requireState(t, srv, routedStoreID, kmstest.StateConnected, "")
}

func TestSeedXksProxyRoutes(t *testing.T) {
	p := kmstest.NewXksProxyServer(kmstest.WithXksEndpoint(routedEndpoint), kmstest.WithXksURIPrefix("/tenant-a"),
		kmstest.WithXksCredentials(kmstest.XksCredential{AccessKeyID: routedAccessKeyID, SecretAccessKey: routedSecret}))
	defer p.Close()
	ca := writeCA(t, p)
	seedJSON := func(routes string) string {
		return `{"Stores": [{"CustomKeyStoreId": "` + routedStoreID + `", "CustomKeyStoreName": "routed", "CustomKeyStoreType": "EXTERNAL_KEY_STORE",
			"XksProxyConfiguration": {"AccessKeyId": "` + routedAccessKeyID + `", "RawSecretAccessKey": "` + routedSecret + `",
			"UriEndpoint": "` + routedEndpoint + `", "UriPath": "` + routedPath + `"}}],
			"XksProxies": [{"UriEndpoint": "` + routedEndpoint + `", "Unreachable": true}],
			"XksProxyRoutes": ` + routes + `}`
	}

	seed, err := kmstest.ReadSeed(strings.NewReader(seedJSON(`[{"UriEndpoint": "` + routedEndpoint + `", "Address": "` + p.ListenerAddr() + `", "CAFile": "` + ca + `"}]`)))
	require.NoError(t, err)
	srv := kmstest.NewServer(kmstest.WithTransitionDelay(0), kmstest.WithXksProxyTimeout(10*time.Second))
	defer srv.Close()
	require.NoError(t, srv.Load(seed))
	requireOK(t, connect(t, srv, routedStoreID))
	requireState(t, srv, routedStoreID, kmstest.StateConnected, "") // the route wins over the Unreachable simulation
	require.Len(t, p.Calls(), 1)

	for name, tt := range map[string]struct{ routes, want string }{
		"missing CA file": {`[{"UriEndpoint": "` + routedEndpoint + `", "Address": "127.0.0.1:1", "CAFile": "` + ca + `.absent"}]`, "the CA file: open"},
		"twice":           {`[{"UriEndpoint": "` + routedEndpoint + `", "Address": "127.0.0.1:1"}, {"UriEndpoint": "` + routedEndpoint + `", "Address": "127.0.0.1:2"}]`, "appears twice"},
		"bad address":     {`[{"UriEndpoint": "` + routedEndpoint + `", "Address": "localhost"}]`, "must be HOST:PORT"},
	} {
		t.Run(name, func(t *testing.T) {
			seed, err := kmstest.ReadSeed(strings.NewReader(seedJSON(tt.routes)))
			require.NoError(t, err)
			f := kmstest.NewFake()
			err = f.Load(seed)
			require.ErrorContains(t, err, tt.want)
			assert.Contains(t, err.Error(), "XKS proxy route "+routedEndpoint)
			assert.Empty(t, f.Stores(), "all or nothing")
		})
	}
}

// TestSeededAndRoutedProxiesAnswerAlike: for the same failure, a proxy
// simulated in the seed and a fake proxy the fake KMS calls give the same
// answer, the one of the specification's table: on connect the
// ConnectionErrorCode, on an update of a CONNECTED store the exception and
// its message. A path the proxy does not serve is
// XksProxyInvalidConfigurationException (XKS_PROXY_INVALID_CONFIGURATION).
func TestSeededAndRoutedProxiesAnswerAlike(t *testing.T) {
	cred2 := kmstest.XksCredential{AccessKeyID: routedAccessKeyID2, SecretAccessKey: routedSecret2}
	tests := []struct {
		name       string
		seeded     kmstest.XksProxy // at routedEndpoint
		routed     func(*kmstest.XksProxyServer)
		exception  string
		connection string
	}{
		{name: "a path the proxy does not serve",
			seeded:    kmstest.XksProxy{UriPath: "/other/kms/xks/v1"},
			routed:    func(p *kmstest.XksProxyServer) { require.NoError(t, p.SetURIPrefixes("/other")) },
			exception: "XksProxyInvalidConfigurationException", connection: "XKS_PROXY_INVALID_CONFIGURATION"},
		{name: "a credential the proxy does not accept",
			seeded:    kmstest.XksProxy{UriPath: routedPath, AccessKeyId: cred2.AccessKeyID, RawSecretAccessKey: cred2.SecretAccessKey},
			routed:    func(p *kmstest.XksProxyServer) { require.NoError(t, p.SetCredentials(cred2)) },
			exception: "XksProxyIncorrectAuthenticationCredentialException", connection: "INVALID_CREDENTIALS"},
		{name: "an unreachable proxy",
			seeded:    kmstest.XksProxy{Unreachable: true},
			routed:    func(p *kmstest.XksProxyServer) { p.Close() },
			exception: "XksProxyUriUnreachableException", connection: "XKS_PROXY_NOT_REACHABLE"},
		{name: "an answer KMS cannot interpret",
			seeded: kmstest.XksProxy{InvalidResponse: true},
			routed: func(p *kmstest.XksProxyServer) {
				p.FailNextWith(1, kmstest.XksFault{Body: "<html>bad gateway</html>", Status: 502})
			},
			exception: "XksProxyInvalidResponseException", connection: "XKS_PROXY_INVALID_RESPONSE"},
	}
	seededWorld := func(t *testing.T, p kmstest.XksProxy, state kmstest.ConnectionState) *kmstest.Server {
		srv := kmstest.NewServer(kmstest.WithTransitionDelay(0))
		t.Cleanup(srv.Close)
		p.UriEndpoint = routedEndpoint
		require.NoError(t, srv.SetXksProxy(p))
		addRoutedStore(t, srv, state, routedAccessKeyID, routedSecret)
		return srv
	}
	routedWorld := func(t *testing.T, fail func(*kmstest.XksProxyServer), state kmstest.ConnectionState) *kmstest.Server {
		srv, p := proxyWorld(t, 10*time.Second, func(srv *kmstest.Server, p *kmstest.XksProxyServer) { srv.RouteXksProxy(p) })
		addRoutedStore(t, srv, state, routedAccessKeyID, routedSecret)
		fail(p)
		return srv
	}
	resend := m{"CustomKeyStoreId": routedStoreID, "XksProxyUriPath": routedPath} // makes KMS try the proxy
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			seeded := update(t, seededWorld(t, tt.seeded, kmstest.StateConnected), resend)
			routed := update(t, routedWorld(t, tt.routed, kmstest.StateConnected), resend)
			requireCode(t, seeded, tt.exception)
			requireCode(t, routed, tt.exception)
			assert.Equal(t, routed.Message, seeded.Message)

			for name, srv := range map[string]*kmstest.Server{
				"seeded": seededWorld(t, tt.seeded, kmstest.StateDisconnected),
				"routed": routedWorld(t, tt.routed, kmstest.StateDisconnected),
			} {
				requireOK(t, connect(t, srv, routedStoreID))
				st := store(t, srv, routedStoreID)
				assert.Equal(t, kmstest.StateFailed, st.ConnectionState, name)
				assert.Equal(t, tt.connection, st.ConnectionErrorCode, name)
			}
		})
	}
}
