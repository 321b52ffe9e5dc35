package kmstest_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kmskit/kms/kmstest"
)

const (
	rtAKID    = "ROUTEDPROXYKEYIDAAAA2"
	rtSecret  = "routedProxySecret0123456789abcdefghijklmnopq"
	rtAKID2   = "ROUTEDPROXYKEYIDBBBB3"
	rtSecret2 = "routedProxySecretZYXWVUTSRQPONMLKJIHGFEDCBA98"
	rtEp      = "https://xks-routed.example.com"
	rtPath    = "/tenant-a/kms/xks/v1"
	rtStore   = "cks-00000000000000aa1"
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
	p := kmstest.NewXksProxyServer(append([]kmstest.XksOption{
		kmstest.WithXksEndpoint(rtEp),
		kmstest.WithXksURIPrefix("/tenant-a"),
		kmstest.WithXksCredentials(kmstest.XksCredential{AccessKeyID: rtAKID, SecretAccessKey: rtSecret}),
	}, opts...)...)
	t.Cleanup(p.Close)
	srv := kmstest.NewServer(kmstest.WithTransitionDelay(0), kmstest.WithXksProxyTimeout(timeout))
	t.Cleanup(srv.Close)
	srv.RouteXksProxy(p)
	require.NoError(t, srv.AddStore(kmstest.Store{
		CustomKeyStoreId: rtStore, CustomKeyStoreName: "routed", CustomKeyStoreType: kmstest.TypeExternal,
		XksProxyConfiguration: kmstest.XksProxyConfiguration{
			AccessKeyId: akid, RawSecretAccessKey: secret, UriEndpoint: rtEp, UriPath: rtPath,
		},
	}))
	return srv, p
}

func TestRouteXksProxyConnect(t *testing.T) {
	t.Run("healthy proxy connects, called with kmsOperation ConnectCustomKeyStore", func(t *testing.T) {
		srv, p := routedWorld(t, rtAKID, rtSecret)
		requireOK(t, connect(t, srv, rtStore))
		requireState(t, srv, rtStore, kmstest.StateConnected, "")
		calls := p.Calls()
		require.Len(t, calls, 1)
		assert.Equal(t, "GetHealthStatus", calls[0].Operation)
		assert.Equal(t, rtPath+"/health", calls[0].Path)
		assert.Equal(t, "ConnectCustomKeyStore", calls[0].RequestMetadata.KmsOperation)
		assert.Equal(t, 200, calls[0].Status)
	})
	tests := []struct {
		name  string
		akid  string
		setup func(*kmstest.Server, *kmstest.XksProxyServer)
		code  string
	}{
		{"wrong credential", rtAKID2, nil, "INVALID_CREDENTIALS"},
		{"wrong path", rtAKID, func(_ *kmstest.Server, p *kmstest.XksProxyServer) {
			require.NoError(t, p.SetURIPrefixes("/tenant-b"))
		}, "XKS_PROXY_INVALID_CONFIGURATION"},
		{"stopped proxy", rtAKID, func(_ *kmstest.Server, p *kmstest.XksProxyServer) { p.Close() }, "XKS_PROXY_NOT_REACHABLE"},
		{"internal error", rtAKID, func(_ *kmstest.Server, p *kmstest.XksProxyServer) { p.FailNext(1, "InternalException") }, "XKS_PROXY_INVALID_RESPONSE"},
		{"malformed answer", rtAKID, func(_ *kmstest.Server, p *kmstest.XksProxyServer) {
			p.FailNextWith(1, kmstest.XksFault{Body: "<html>oops</html>", Status: 502})
		}, "XKS_PROXY_INVALID_RESPONSE"},
		{"dependency timeout", rtAKID, func(_ *kmstest.Server, p *kmstest.XksProxyServer) { p.FailNext(1, "DependencyTimeoutException") }, "XKS_PROXY_TIMED_OUT"},
		{"every key manager unavailable", rtAKID, func(_ *kmstest.Server, p *kmstest.XksProxyServer) {
			p.SetEkmFleet(kmstest.XksEkm{ID: "a", Model: "m", HealthStatus: "UNAVAILABLE"})
		}, "XKS_PROXY_NOT_REACHABLE"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			secret := rtSecret
			if tt.akid == rtAKID2 {
				secret = rtSecret2
			}
			srv, p := routedWorld(t, tt.akid, secret)
			if tt.setup != nil {
				tt.setup(srv, p)
			}
			requireOK(t, connect(t, srv, rtStore))
			requireState(t, srv, rtStore, kmstest.StateFailed, tt.code)
		})
	}
	t.Run("slow proxy times out", func(t *testing.T) {
		srv, p := routedWorldTimeout(t, 50*time.Millisecond, rtAKID, rtSecret)
		p.SetLatency(time.Minute) // far beyond the budget: the outcome cannot depend on machine speed
		requireOK(t, connect(t, srv, rtStore))
		requireState(t, srv, rtStore, kmstest.StateFailed, "XKS_PROXY_TIMED_OUT")
	})
	t.Run("TLS name mismatch", func(t *testing.T) {
		srv, _ := routedWorld(t, rtAKID, rtSecret, kmstest.WithXksCertificateHosts("other.example.com"))
		requireOK(t, connect(t, srv, rtStore))
		requireState(t, srv, rtStore, kmstest.StateFailed, "XKS_PROXY_INVALID_TLS_CONFIGURATION")
	})
}

func TestRouteXksProxyUpdate(t *testing.T) {
	t.Run("credential change of a CONNECTED store is checked with the new credential", func(t *testing.T) {
		srv, p := routedWorld(t, rtAKID, rtSecret)
		requireOK(t, connect(t, srv, rtStore))
		p.ResetCalls()
		r := update(t, srv, m{"CustomKeyStoreId": rtStore, "XksProxyAuthenticationCredential": cred(rtAKID2, rtSecret2)})
		requireCode(t, r, "XksProxyIncorrectAuthenticationCredentialException")
		assert.Equal(t, rtAKID, store(t, srv, rtStore).XksProxyConfiguration.AccessKeyId, "nothing changed")
		calls := p.Calls()
		require.Len(t, calls, 1)
		assert.Equal(t, "AuthenticationFailedException", calls[0].ErrorName)

		// The proxy accepts both (rotation step 1); now KMS takes the new one.
		require.NoError(t, p.SetCredentials(
			kmstest.XksCredential{AccessKeyID: rtAKID, SecretAccessKey: rtSecret},
			kmstest.XksCredential{AccessKeyID: rtAKID2, SecretAccessKey: rtSecret2}))
		p.ResetCalls()
		requireOK(t, update(t, srv, m{"CustomKeyStoreId": rtStore, "XksProxyAuthenticationCredential": cred(rtAKID2, rtSecret2)}))
		assert.Equal(t, rtAKID2, store(t, srv, rtStore).XksProxyConfiguration.AccessKeyId)
		calls = p.Calls()
		require.Len(t, calls, 1)
		assert.Equal(t, "UpdateCustomKeyStore", calls[0].RequestMetadata.KmsOperation)
	})
	t.Run("path change of a CONNECTED store", func(t *testing.T) {
		srv, p := routedWorld(t, rtAKID, rtSecret)
		requireOK(t, connect(t, srv, rtStore))
		requireCode(t, update(t, srv, m{"CustomKeyStoreId": rtStore, "XksProxyUriPath": "/tenant-b/kms/xks/v1"}), "XksProxyInvalidConfigurationException")
		require.NoError(t, p.SetURIPrefixes("/tenant-a", "/tenant-b"))
		requireOK(t, update(t, srv, m{"CustomKeyStoreId": rtStore, "XksProxyUriPath": "/tenant-b/kms/xks/v1"}))
		assert.Equal(t, "/tenant-b/kms/xks/v1", store(t, srv, rtStore).XksProxyConfiguration.UriPath)
	})
	t.Run("throttled proxy", func(t *testing.T) {
		srv, p := routedWorld(t, rtAKID, rtSecret)
		requireOK(t, connect(t, srv, rtStore))
		require.NoError(t, p.SetURIPrefixes("/tenant-a", "/tenant-b"))
		p.FailNext(1, "ThrottlingException")
		requireCode(t, update(t, srv, m{"CustomKeyStoreId": rtStore, "XksProxyUriPath": "/tenant-b/kms/xks/v1"}), "XksProxyUriUnreachableException")
	})
}

func TestRouteXksProxyCreate(t *testing.T) {
	srv, p := routedWorld(t, rtAKID, rtSecret)
	body := m{
		"CustomKeyStoreName": "created", "CustomKeyStoreType": "EXTERNAL_KEY_STORE",
		"XksProxyConnectivity": "PUBLIC_ENDPOINT", "XksProxyUriEndpoint": rtEp, "XksProxyUriPath": "/tenant-b/kms/xks/v1",
		"XksProxyAuthenticationCredential": cred(rtAKID, rtSecret),
	}
	requireCode(t, call(t, srv, kmstest.TargetCreateCustomKeyStore, body), "XksProxyInvalidConfigurationException")
	require.NoError(t, p.SetURIPrefixes("/tenant-a", "/tenant-b"))
	body["XksProxyAuthenticationCredential"] = cred(rtAKID2, rtSecret2)
	requireCode(t, call(t, srv, kmstest.TargetCreateCustomKeyStore, body), "XksProxyIncorrectAuthenticationCredentialException")
	body["XksProxyAuthenticationCredential"] = cred(rtAKID, rtSecret)
	p.ResetCalls()
	r := call(t, srv, kmstest.TargetCreateCustomKeyStore, body)
	require.Equal(t, 200, r.Status, r.Raw)
	calls := p.Calls()
	require.Len(t, calls, 1)
	assert.Equal(t, "CreateCustomKeyStore", calls[0].RequestMetadata.KmsOperation)
	assert.Equal(t, "/tenant-b/kms/xks/v1/health", calls[0].Path)
}

func TestXksProxiesClient(t *testing.T) {
	cred := kmstest.XksCredential{AccessKeyID: rtAKID, SecretAccessKey: rtSecret}
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
	require.ErrorContains(t, err, "no fake XKS proxy at c.example.com:443")
}
