package kms_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/stretchr/testify/require"

	"github.com/kmskit/kms"
	"github.com/kmskit/kms/kmstest"
)

// The world of the preflight, plan and rotation tests: a fake KMS whose
// external store xkStore is CONNECTED to a routed fake proxy at xkEp (prefix
// /tenant-a, credential 1, keys key-1 and key-2).
const (
	xkStore   = "cks-0000000000000aaa1"
	xkHsm     = "cks-0000000000000bbb1"
	xkEp      = "https://xks-a.example.com"
	xkEp2     = "https://xks-b.example.com"
	xkPath    = "/tenant-a/kms/xks/v1"
	xkPath2   = "/tenant-b/kms/xks/v1"
	xkAKID1   = "PROXYCREDENTIALONEAA2"
	xkSecret1 = "proxySecretOne/0123456789abcdefghijklmnopqrs"
	xkAKID2   = "PROXYCREDENTIALTWOBB3"
	xkSecret2 = "proxySecretTwo/ZYXWVUTSRQPONMLKJIHGFEDCBA987"
	xkCluster = "cluster-aaaabbbbccccd"
	xkPw      = "kmsuser-Pw-1"
	xkWrongPw = "kmsuser-Pw-wrong"
)

// keyMaterial is the AES key behind key-1 on the proxies that share it.
var keyMaterial = []byte("0123456789abcdef0123456789abcdef")

func xksCred(akid, secret string) kms.XksProxyAuthenticationCredentialType {
	return kms.XksProxyAuthenticationCredentialType{AccessKeyId: aws.String(akid), RawSecretAccessKey: aws.String(secret)}
}

// xkEnv is one world.
type xkEnv struct {
	srv    *kmstest.Server
	proxy  *kmstest.XksProxyServer
	client *kms.Client
	// proxies are the proxies started by the env; hc reaches each by its
	// host name.
	proxies []*kmstest.XksProxyServer
	hc      *http.Client
}

// newXkEnv starts the world. The fake's transitions take a few
// milliseconds, so every wait polls more than once.
func newXkEnv(t *testing.T, opts ...kmstest.XksOption) *xkEnv {
	t.Helper()
	e := &xkEnv{}
	e.srv = kmstest.NewServer(kmstest.WithTransitionDelay(30*time.Millisecond), kmstest.WithXksProxyTimeout(10*time.Second))
	t.Cleanup(e.srv.Close)
	e.proxy = e.addProxy(t, append([]kmstest.XksOption{kmstest.WithXksEndpoint(xkEp)}, opts...)...)
	require.NoError(t, e.srv.AddStore(kmstest.Store{
		CustomKeyStoreId: xkStore, CustomKeyStoreName: "xks-a", CustomKeyStoreType: kmstest.TypeExternal,
		ConnectionState: kmstest.StateConnected,
		XksProxyConfiguration: kmstest.XksProxyConfiguration{
			AccessKeyId: xkAKID1, RawSecretAccessKey: xkSecret1, UriEndpoint: xkEp, UriPath: xkPath,
		},
	}))
	require.NoError(t, e.srv.SetCluster(kmstest.Cluster{ClusterId: xkCluster, KmsuserPassword: xkPw}))
	require.NoError(t, e.srv.AddStore(kmstest.Store{
		CustomKeyStoreId: xkHsm, CustomKeyStoreName: "hsm-a", CustomKeyStoreType: kmstest.TypeCloudHSM,
		ConnectionState: kmstest.StateConnected, CloudHsmClusterId: xkCluster, KeyStorePassword: xkPw,
	}))
	e.client = kms.New(kms.Options{
		Region: "us-east-1", Credentials: staticCreds(), BaseEndpoint: aws.String(e.srv.URL),
		HTTPClient: e.srv.Client(), Retryer: fastRetryer(3),
	})
	return e
}

// addProxy starts a fake proxy (prefix /tenant-a, credential 1, key-1 with
// the shared material and key-2 by default) routed from the fake KMS.
func (e *xkEnv) addProxy(t *testing.T, opts ...kmstest.XksOption) *kmstest.XksProxyServer {
	t.Helper()
	p := kmstest.NewXksProxyServer(append([]kmstest.XksOption{
		kmstest.WithXksURIPrefix("/tenant-a"),
		kmstest.WithXksCredentials(kmstest.XksCredential{AccessKeyID: xkAKID1, SecretAccessKey: xkSecret1}),
		kmstest.WithXksKeys(kmstest.XksKey{ID: "key-1", Material: keyMaterial}, kmstest.XksKey{ID: "key-2"}),
	}, opts...)...)
	t.Cleanup(p.Close)
	e.srv.RouteXksProxy(p)
	e.proxies = append(e.proxies, p)
	e.hc = kmstest.XksProxiesClient(e.proxies...)
	return p
}

// describe returns the store's list entry.
func (e *xkEnv) describe(t *testing.T, id string) kms.CustomKeyStoresListEntry {
	t.Helper()
	out, err := e.client.DescribeCustomKeyStores(context.Background(), &kms.DescribeCustomKeyStoresInput{CustomKeyStoreId: aws.String(id)})
	require.NoError(t, err)
	require.Len(t, out.CustomKeyStores, 1)
	return out.CustomKeyStores[0]
}

// targets lists the X-Amz-Target of every call the fake KMS answered.
func (e *xkEnv) targets() []string {
	var out []string
	for _, c := range e.srv.Calls() {
		out = append(out, c.Target)
	}
	return out
}
