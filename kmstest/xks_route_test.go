package kmstest_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kmskit/kms/kmstest"
)

const (
	routedAccessKeyID  = "ROUTEDPROXYKEYIDAAAA2"
	routedSecret       = "routedProxySecret0123456789abcdefghijklmnopq"
	routedAccessKeyID2 = "ROUTEDPROXYKEYIDBBBB3"
	routedSecret2      = "routedProxySecretZYXWVUTSRQPONMLKJIHGFEDCBA98"
	routedEndpoint     = "https://xks-routed.example.com"
	routedPath         = "/tenant-a/kms/xks/v1"
	routedStoreID      = "cks-00000000000000aa1"
)

// routedWorld starts a fake KMS with instant transitions and a fake proxy
// routed from it, and seeds a DISCONNECTED external store that uses the
// proxy with cred.
func routedWorld(t *testing.T, akid, secret string, opts ...kmstest.XksOption) (*kmstest.Server, *kmstest.XksProxyServer) {
	t.Helper()
	return routedWorldTimeout(t, 10*time.Second, akid, secret, opts...)
}

// routedWorldTimeout is routedWorld with the fake KMS waiting timeout for
// the proxy.
func routedWorldTimeout(t *testing.T, timeout time.Duration, akid, secret string, opts ...kmstest.XksOption) (*kmstest.Server, *kmstest.XksProxyServer) {
	t.Helper()
	srv, p := proxyWorld(t, timeout, func(srv *kmstest.Server, p *kmstest.XksProxyServer) { srv.RouteXksProxy(p) }, opts...)
	addRoutedStore(t, srv, kmstest.StateDisconnected, akid, secret)
	return srv, p
}

// proxyWorld starts a fake KMS with instant transitions, waiting timeout
// for proxies, and a fake proxy at routedEndpoint serving /tenant-a with
// the routed credential, which route routes from the fake KMS.
func proxyWorld(t *testing.T, timeout time.Duration, route func(*kmstest.Server, *kmstest.XksProxyServer), opts ...kmstest.XksOption) (*kmstest.Server, *kmstest.XksProxyServer) {
	t.Helper()
	p := kmstest.NewXksProxyServer(append([]kmstest.XksOption{
		kmstest.WithXksEndpoint(routedEndpoint),
		kmstest.WithXksURIPrefix("/tenant-a"),
		kmstest.WithXksCredentials(kmstest.XksCredential{AccessKeyID: routedAccessKeyID, SecretAccessKey: routedSecret}),
	}, opts...)...)
	t.Cleanup(p.Close)
	srv := kmstest.NewServer(kmstest.WithTransitionDelay(0), kmstest.WithXksProxyTimeout(timeout))
	t.Cleanup(srv.Close)
	route(srv, p)
	return srv, p
}

// addRoutedStore adds the external store routedStoreID in state, using
// routedEndpoint and routedPath with the credential akid, secret.
func addRoutedStore(t *testing.T, srv *kmstest.Server, state kmstest.ConnectionState, akid, secret string) {
	t.Helper()
	require.NoError(t, srv.AddStore(kmstest.Store{
		CustomKeyStoreId: routedStoreID, CustomKeyStoreName: "routed", CustomKeyStoreType: kmstest.TypeExternal, ConnectionState: state,
		XksProxyConfiguration: kmstest.XksProxyConfiguration{
			AccessKeyId: akid, RawSecretAccessKey: secret, UriEndpoint: routedEndpoint, UriPath: routedPath,
		},
	}))
}

func TestRouteXksProxyConnect(t *testing.T) {
	t.Run("healthy proxy connects, called with kmsOperation ConnectCustomKeyStore", func(t *testing.T) {
		srv, p := routedWorld(t, routedAccessKeyID, routedSecret)
		requireOK(t, connect(t, srv, routedStoreID))
		requireState(t, srv, routedStoreID, kmstest.StateConnected, "")
		calls := p.Calls()
		require.Len(t, calls, 1)
		assert.Equal(t, "GetHealthStatus", calls[0].Operation)
		assert.Equal(t, routedPath+"/health", calls[0].Path)
		assert.Equal(t, "ConnectCustomKeyStore", calls[0].RequestMetadata.KmsOperation)
		assert.Equal(t, 200, calls[0].Status)
	})
	tests := []struct {
		name  string
		akid  string
		setup func(*kmstest.Server, *kmstest.XksProxyServer)
		code  string
	}{
		{"wrong credential", routedAccessKeyID2, nil, "INVALID_CREDENTIALS"},
		{"wrong path", routedAccessKeyID, func(_ *kmstest.Server, p *kmstest.XksProxyServer) {
			require.NoError(t, p.SetURIPrefixes("/tenant-b"))
		}, "XKS_PROXY_INVALID_CONFIGURATION"},
		{"stopped proxy", routedAccessKeyID, func(_ *kmstest.Server, p *kmstest.XksProxyServer) { p.Close() }, "XKS_PROXY_NOT_REACHABLE"},
		{"internal error", routedAccessKeyID, func(_ *kmstest.Server, p *kmstest.XksProxyServer) { p.FailNext(1, "InternalException") }, "XKS_PROXY_INVALID_RESPONSE"},
		{"malformed answer", routedAccessKeyID, func(_ *kmstest.Server, p *kmstest.XksProxyServer) {
			p.FailNextWith(1, kmstest.XksFault{Body: "<html>oops</html>", Status: 502})
		}, "XKS_PROXY_INVALID_RESPONSE"},
		{"dependency timeout", routedAccessKeyID, func(_ *kmstest.Server, p *kmstest.XksProxyServer) { p.FailNext(1, "DependencyTimeoutException") }, "XKS_PROXY_TIMED_OUT"},
		{"every key manager unavailable", routedAccessKeyID, func(_ *kmstest.Server, p *kmstest.XksProxyServer) {
			p.SetEkmFleet(kmstest.XksEkm{ID: "a", Model: "m", HealthStatus: "UNAVAILABLE"})
		}, "XKS_PROXY_NOT_REACHABLE"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			secret := routedSecret
			if tt.akid == routedAccessKeyID2 {
				secret = routedSecret2
			}
			srv, p := routedWorld(t, tt.akid, secret)
			if tt.setup != nil {
				tt.setup(srv, p)
			}
			requireOK(t, connect(t, srv, routedStoreID))
			requireState(t, srv, routedStoreID, kmstest.StateFailed, tt.code)
		})
	}
	t.Run("slow proxy times out", func(t *testing.T) {
		srv, p := routedWorldTimeout(t, 50*time.Millisecond, routedAccessKeyID, routedSecret)
		p.SetLatency(time.Minute) // far beyond the budget: the outcome cannot depend on machine speed
		requireOK(t, connect(t, srv, routedStoreID))
		requireState(t, srv, routedStoreID, kmstest.StateFailed, "XKS_PROXY_TIMED_OUT")
	})
	t.Run("TLS name mismatch", func(t *testing.T) {
		srv, _ := routedWorld(t, routedAccessKeyID, routedSecret, kmstest.WithXksCertificateHosts("other.example.com"))
		requireOK(t, connect(t, srv, routedStoreID))
		requireState(t, srv, routedStoreID, kmstest.StateFailed, "XKS_PROXY_INVALID_TLS_CONFIGURATION")
	})
}

func TestRouteXksProxyUpdate(t *testing.T) {
	t.Run("credential change of a CONNECTED store is checked with the new credential", func(t *testing.T) {
		srv, p := routedWorld(t, routedAccessKeyID, routedSecret)
		requireOK(t, connect(t, srv, routedStoreID))
		p.ResetCalls()
		r := update(t, srv, m{"CustomKeyStoreId": routedStoreID, "XksProxyAuthenticationCredential": cred(routedAccessKeyID2, routedSecret2)})
		requireCode(t, r, "XksProxyIncorrectAuthenticationCredentialException")
		assert.Equal(t, routedAccessKeyID, store(t, srv, routedStoreID).XksProxyConfiguration.AccessKeyId, "nothing changed")
		calls := p.Calls()
		require.Len(t, calls, 1)
		assert.Equal(t, "AuthenticationFailedException", calls[0].ErrorName)

		// The proxy accepts both (rotation step 1); now KMS takes the new one.
		require.NoError(t, p.SetCredentials(
			kmstest.XksCredential{AccessKeyID: routedAccessKeyID, SecretAccessKey: routedSecret},
			kmstest.XksCredential{AccessKeyID: routedAccessKeyID2, SecretAccessKey: routedSecret2}))
		p.ResetCalls()
		requireOK(t, update(t, srv, m{"CustomKeyStoreId": routedStoreID, "XksProxyAuthenticationCredential": cred(routedAccessKeyID2, routedSecret2)}))
		assert.Equal(t, routedAccessKeyID2, store(t, srv, routedStoreID).XksProxyConfiguration.AccessKeyId)
		calls = p.Calls()
		require.Len(t, calls, 1)
		assert.Equal(t, "UpdateCustomKeyStore", calls[0].RequestMetadata.KmsOperation)
	})
	t.Run("path change of a CONNECTED store", func(t *testing.T) {
		srv, p := routedWorld(t, routedAccessKeyID, routedSecret)
		requireOK(t, connect(t, srv, routedStoreID))
		requireCode(t, update(t, srv, m{"CustomKeyStoreId": routedStoreID, "XksProxyUriPath": "/tenant-b/kms/xks/v1"}), "XksProxyInvalidConfigurationException")
		require.NoError(t, p.SetURIPrefixes("/tenant-a", "/tenant-b"))
		requireOK(t, update(t, srv, m{"CustomKeyStoreId": routedStoreID, "XksProxyUriPath": "/tenant-b/kms/xks/v1"}))
		assert.Equal(t, "/tenant-b/kms/xks/v1", store(t, srv, routedStoreID).XksProxyConfiguration.UriPath)
	})
	t.Run("throttled proxy", func(t *testing.T) {
		srv, p := routedWorld(t, routedAccessKeyID, routedSecret)
		requireOK(t, connect(t, srv, routedStoreID))
		require.NoError(t, p.SetURIPrefixes("/tenant-a", "/tenant-b"))
		p.FailNext(1, "ThrottlingException")
		requireCode(t, update(t, srv, m{"CustomKeyStoreId": routedStoreID, "XksProxyUriPath": "/tenant-b/kms/xks/v1"}), "XksProxyUriUnreachableException")
	})
}

func TestRouteXksProxyCreate(t *testing.T) {
	srv, p := routedWorld(t, routedAccessKeyID, routedSecret)
	body := m{
		"CustomKeyStoreName": "created", "CustomKeyStoreType": "EXTERNAL_KEY_STORE",
		"XksProxyConnectivity": "PUBLIC_ENDPOINT", "XksProxyUriEndpoint": routedEndpoint, "XksProxyUriPath": "/tenant-b/kms/xks/v1",
		"XksProxyAuthenticationCredential": cred(routedAccessKeyID, routedSecret),
	}
	requireCode(t, call(t, srv, kmstest.TargetCreateCustomKeyStore, body), "XksProxyInvalidConfigurationException")
	require.NoError(t, p.SetURIPrefixes("/tenant-a", "/tenant-b"))
	body["XksProxyAuthenticationCredential"] = cred(routedAccessKeyID2, routedSecret2)
	requireCode(t, call(t, srv, kmstest.TargetCreateCustomKeyStore, body), "XksProxyIncorrectAuthenticationCredentialException")
	body["XksProxyAuthenticationCredential"] = cred(routedAccessKeyID, routedSecret)
	p.ResetCalls()
	r := call(t, srv, kmstest.TargetCreateCustomKeyStore, body)
	require.Equal(t, 200, r.Status, r.Raw)
	calls := p.Calls()
	require.Len(t, calls, 1)
	assert.Equal(t, "CreateCustomKeyStore", calls[0].RequestMetadata.KmsOperation)
	assert.Equal(t, "/tenant-b/kms/xks/v1/health", calls[0].Path)
}

func TestXksProxiesClient(t *testing.T) {
	cred := kmstest.XksCredential{AccessKeyID: routedAccessKeyID, SecretAccessKey: routedSecret}
	a := kmstest.NewXksProxyServer(kmstest.WithXksEndpoint("https://a.example.com"), kmstest.WithXksCredentials(cred))
	defer a.Close()
	b := kmstest.NewXksProxyServer(kmstest.WithXksEndpoint("https://b.example.com"), kmstest.WithXksCredentials(cred))
	defer b.Close()
	c := kmstest.XksProxiesClient(a, b)
	for _, p := range []*kmstest.XksProxyServer{a, b} {
		resp, err := c.Post(p.URL+"/kms/xks/v1/health", "application/json", nil)
		require.NoError(t, err, p.URL)
		resp.Body.Close()
		assert.Equal(t, 401, resp.StatusCode, "reached %s (unsigned, so refused)", p.URL)
		require.Len(t, p.Calls(), 1)
	}
	_, err := c.Post("https://c.example.com/kms/xks/v1/health", "application/json", nil)
	require.ErrorContains(t, err, "this client reaches only a.example.com:443, b.example.com:443, not c.example.com:443")
}
