package safeupdate_test

import (
	"context"
	"net"
	"net/http"
	"os"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/stretchr/testify/require"

	"github.com/kmskit/kms"
	"github.com/kmskit/kms/kmstest"
	"github.com/kmskit/kms/safeupdate"
)

// worldFile is the one seeded world of the tests (kmstest's too).
const worldFile = "../kmstest/testdata/world.json"

// The stores of worldFile that the preflight, plan and rotation tests use:
// the external store routedStoreID is CONNECTED to a routed fake proxy at
// routedEndpoint (prefix /tenant-a, credential 1, keys key-1 and key-2);
// routedHsmStoreID is a CONNECTED CloudHSM store on routedClusterID.
const (
	routedStoreID         = "cks-0000000000000aaa1"
	routedHsmStoreID      = "cks-0000000000000bbb1"
	routedEndpoint        = "https://xks-a.example.com"
	routedOtherEndpoint   = "https://xks-b.example.com"
	routedPath            = "/tenant-a/kms/xks/v1"
	routedOtherPath       = "/tenant-b/kms/xks/v1"
	routedAccessKeyID     = "PROXYCREDENTIALONEAA2"
	routedSecret          = "proxySecretOne/0123456789abcdefghijklmnopqrs"
	routedNextAccessKeyID = "PROXYCREDENTIALTWOBB3"
	routedNextSecret      = "proxySecretTwo/ZYXWVUTSRQPONMLKJIHGFEDCBA987"
	routedClusterID       = "cluster-aaaabbbbccccd"
	routedPassword        = "kmsuser-Pw-1"
	routedWrongPassword   = "kmsuser-Pw-wrong"
)

// testCreds are the credentials every test client signs with.
var testCreds = aws.Credentials{AccessKeyID: "AKIDEXAMPLE", SecretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", Source: "test"}

func staticCreds() aws.CredentialsProvider {
	return aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) { return testCreds, nil })
}

// fastRetryer retries like the standard retryer, with tiny fixed delays.
func fastRetryer(maxAttempts int) aws.Retryer {
	return retry.NewStandard(func(o *retry.StandardOptions) {
		o.MaxAttempts = maxAttempts
		o.Backoff = retry.BackoffDelayerFunc(func(int, error) (time.Duration, error) { return time.Millisecond, nil })
	})
}

// keyMaterial is the AES key behind key-1 on the proxies that share it.
var keyMaterial = []byte("0123456789abcdef0123456789abcdef")

func xksCred(akid, secret string) kms.XksProxyAuthenticationCredentialType {
	return kms.XksProxyAuthenticationCredentialType{AccessKeyId: aws.String(akid), RawSecretAccessKey: aws.String(secret)}
}

// routedWorld is the fake KMS and the routed fake proxies of the preflight, plan and rotation tests.
type routedWorld struct {
	srv     *kmstest.Server
	proxy   *kmstest.XksProxyServer
	client  *kms.Client
	updater *safeupdate.Updater
	// proxies are the proxies started by the env; hc reaches each by its
	// host name.
	proxies []*kmstest.XksProxyServer
	hc      *http.Client
	// clk is the manual clock of a clock world (startWorld), or nil.
	clk *kmstest.ManualClock
	// drop loses the answer to a request on demand.
	drop *droppingClient
}

// newRoutedWorld starts the world. The fake's transitions take a few
// milliseconds, so every wait polls more than once.
func newRoutedWorld(t *testing.T, opts ...kmstest.XksOption) *routedWorld {
	t.Helper()
	return startWorld(t, nil, opts...)
}

// startWorld starts the world; with clk, the fake KMS and the Updater share
// that manual clock: a transition takes transitionOnClock of it, and
// Apply's waits and retries sleep on it (moving it on), so an Apply takes no
// real time and ends the same way every run.
func startWorld(t *testing.T, clk *kmstest.ManualClock, opts ...kmstest.XksOption) *routedWorld {
	t.Helper()
	return startWorldWith(t, clk, nil, opts...)
}

// startWorldWith is startWorld with more options of the fake KMS (a call
// hook, say).
func startWorldWith(t *testing.T, clk *kmstest.ManualClock, fake []kmstest.Option, opts ...kmstest.XksOption) *routedWorld {
	t.Helper()
	e := &routedWorld{clk: clk, drop: &droppingClient{}}
	fakeOpts := []kmstest.Option{kmstest.WithTransitionDelay(30 * time.Millisecond), kmstest.WithXksProxyTimeout(10 * time.Second)}
	var updaterOpts []func(*safeupdate.Options)
	if clk != nil {
		fakeOpts = append(fakeOpts, kmstest.WithClock(clk.Now), kmstest.WithTransitionDelay(transitionOnClock))
		updaterOpts = append(updaterOpts, func(o *safeupdate.Options) { o.Clock = clk })
	}
	e.srv = kmstest.NewServer(append(fakeOpts, fake...)...)
	t.Cleanup(e.srv.Close)
	e.proxy = e.addProxy(t, append([]kmstest.XksOption{kmstest.WithXksEndpoint(routedEndpoint)}, opts...)...)
	loadWorld(t, e.srv)
	e.drop.next = e.srv.Client()
	e.client = kms.New(kms.Options{
		Region: "us-east-1", Credentials: staticCreds(), BaseEndpoint: aws.String(e.srv.URL),
		HTTPClient: e.drop, Retryer: fastRetryer(3),
	})
	e.updater = safeupdate.NewUpdater(e.client, updaterOpts...)
	return e
}

// transitionOnClock is how long a clock world's store stays CONNECTING or
// DISCONNECTING, on its manual clock.
const transitionOnClock = 10 * time.Second

// droppingClient passes requests to next; after Drop, the next request is
// answered by the fake but its answer is lost: the caller gets a reset
// connection, as when a connection drops after KMS applied the request.
type droppingClient struct {
	next    kms.HTTPClient
	pending atomic.Bool
}

// Drop loses the answer to the next request.
func (d *droppingClient) Drop() { d.pending.Store(true) }

func (d *droppingClient) Do(r *http.Request) (*http.Response, error) {
	resp, err := d.next.Do(r)
	if err == nil && d.pending.CompareAndSwap(true, false) {
		_ = resp.Body.Close()
		return nil, &net.OpError{Op: "read", Net: "tcp", Err: syscall.ECONNRESET}
	}
	return resp, err
}

// loadWorld seeds srv with worldFile.
func loadWorld(tb testing.TB, srv *kmstest.Server) {
	tb.Helper()
	f, err := os.Open(worldFile)
	require.NoError(tb, err)
	defer f.Close()
	seed, err := kmstest.ReadSeed(f)
	require.NoError(tb, err)
	require.NoError(tb, srv.Load(seed))
	for _, id := range []string{routedStoreID, routedHsmStoreID} {
		_, ok := srv.Store(id)
		require.True(tb, ok, "%s holds store %s", worldFile, id)
	}
}

// addProxy starts a fake proxy (prefix /tenant-a, credential 1, key-1 with
// the shared material and key-2 by default) routed from the fake KMS.
func (e *routedWorld) addProxy(t *testing.T, opts ...kmstest.XksOption) *kmstest.XksProxyServer {
	t.Helper()
	p := kmstest.NewXksProxyServer(append([]kmstest.XksOption{
		kmstest.WithXksURIPrefix("/tenant-a"),
		kmstest.WithXksCredentials(kmstest.XksCredential{AccessKeyID: routedAccessKeyID, SecretAccessKey: routedSecret}),
		kmstest.WithXksKeys(kmstest.XksKey{ID: "key-1", Material: keyMaterial}, kmstest.XksKey{ID: "key-2"}),
	}, opts...)...)
	t.Cleanup(p.Close)
	e.srv.RouteXksProxy(p)
	e.proxies = append(e.proxies, p)
	e.hc = kmstest.XksProxiesClient(e.proxies...)
	return p
}

// describe returns the store's list entry.
func (e *routedWorld) describe(t *testing.T, id string) kms.CustomKeyStoresListEntry {
	t.Helper()
	out, err := e.client.DescribeCustomKeyStores(context.Background(), &kms.DescribeCustomKeyStoresInput{CustomKeyStoreId: aws.String(id)})
	require.NoError(t, err)
	require.Len(t, out.CustomKeyStores, 1)
	return out.CustomKeyStores[0]
}

// targets lists the X-Amz-Target of every call the fake KMS answered.
func (e *routedWorld) targets() []string {
	var out []string
	for _, c := range e.srv.Calls() {
		out = append(out, c.Target)
	}
	return out
}
