package kms_test

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kmskit/kms"
	"github.com/kmskit/kms/kmstest"
)

// fakeWorld is a kmstest server driven by a manual clock that the waiters
// share: a waiter's sleep moves the fake's time on, so store transitions
// happen exactly when a waiter has waited long enough, and nothing sleeps.
type fakeWorld struct {
	srv    *kmstest.Server
	clk    *kmstest.ManualClock
	client *kms.Client
}

const transitionDelay = 5 * time.Second

func newFakeWorld(t *testing.T) *fakeWorld {
	t.Helper()
	clk := kmstest.NewManualClock(time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC))
	srv := kmstest.NewServer(kmstest.WithClock(clk.Now), kmstest.WithTransitionDelay(transitionDelay))
	t.Cleanup(srv.Close)
	c := kms.New(kms.Options{
		Region:       "us-east-1",
		Credentials:  staticCreds(),
		BaseEndpoint: aws.String(srv.URL),
		HTTPClient:   srv.Client(),
		Retryer:      fastRetryer(1),
	})
	return &fakeWorld{srv: srv, clk: clk, client: c}
}

func (w *fakeWorld) sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	w.clk.Advance(d)
	return nil
}

func (w *fakeWorld) connected() *kms.CustomKeyStoreConnectedWaiter {
	wt := kms.NewCustomKeyStoreConnectedWaiter(w.client)
	kms.SetWaiterClock(wt, w.clk.Now, w.sleep, func(int64) int64 { return 0 })
	return wt
}

func (w *fakeWorld) disconnected() *kms.CustomKeyStoreDisconnectedWaiter {
	wt := kms.NewCustomKeyStoreDisconnectedWaiter(w.client)
	kms.SetWaiterClock(wt, w.clk.Now, w.sleep, func(int64) int64 { return 0 })
	return wt
}

func (w *fakeWorld) state(t *testing.T, id string) kms.CustomKeyStoresListEntry {
	t.Helper()
	out, err := w.client.DescribeCustomKeyStores(context.Background(), &kms.DescribeCustomKeyStoresInput{CustomKeyStoreId: aws.String(id)})
	require.NoError(t, err)
	require.Len(t, out.CustomKeyStores, 1)
	return out.CustomKeyStores[0]
}

// TestLifecycleAgainstKmstest drives a CloudHSM key store through its whole
// life with the client against kmstest: create, connect, wait, rename while
// CONNECTED, disconnect, wait, a wrong password, FAILED, repair, delete.
func TestLifecycleAgainstKmstest(t *testing.T) {
	ctx := context.Background()
	w := newFakeWorld(t)
	require.NoError(t, w.srv.SetCluster(kmstest.Cluster{ClusterId: lifecycleClusterID, TrustAnchorCertificate: lifecycleTrustAnchor, KmsuserPassword: lifecyclePassword}))

	created, err := w.client.CreateCustomKeyStore(ctx, cloudHsmCreate())
	require.NoError(t, err)
	id := aws.ToString(created.CustomKeyStoreId)
	assert.Regexp(t, regexp.MustCompile(`^cks-[0-9a-f]{17}$`), id)
	e := w.state(t, id)
	assert.Equal(t, kms.ConnectionStateTypeDisconnected, e.ConnectionState)
	assert.Equal(t, kms.CustomKeyStoreTypeAwsCloudhsm, e.CustomKeyStoreType)
	assert.Equal(t, lifecycleClusterID, aws.ToString(e.CloudHsmClusterId))
	assert.Equal(t, lifecycleTrustAnchor, aws.ToString(e.TrustAnchorCertificate))
	require.NotNil(t, e.CreationDate)
	assert.True(t, e.CreationDate.Equal(w.clk.Now()), "CreationDate %v", e.CreationDate)
	byID := &kms.DescribeCustomKeyStoresInput{CustomKeyStoreId: aws.String(id)}

	// Connect: CONNECTING, then CONNECTED once the fake's time has passed.
	_, err = w.client.ConnectCustomKeyStore(ctx, &kms.ConnectCustomKeyStoreInput{CustomKeyStoreId: aws.String(id)})
	require.NoError(t, err)
	assert.Equal(t, kms.ConnectionStateTypeConnecting, w.state(t, id).ConnectionState)
	out, err := w.connected().WaitForOutput(ctx, byID, 5*time.Minute)
	require.NoError(t, err)
	assert.Equal(t, kms.ConnectionStateTypeConnected, out.CustomKeyStores[0].ConnectionState)

	// Rename while CONNECTED; a password change needs DISCONNECTED.
	_, err = w.client.UpdateCustomKeyStore(ctx, &kms.UpdateCustomKeyStoreInput{CustomKeyStoreId: aws.String(id), NewCustomKeyStoreName: aws.String("Payments-HSM")})
	require.NoError(t, err)
	assert.Equal(t, "Payments-HSM", aws.ToString(w.state(t, id).CustomKeyStoreName))
	_, err = w.client.DeleteCustomKeyStore(ctx, &kms.DeleteCustomKeyStoreInput{CustomKeyStoreId: aws.String(id)})
	assert.ErrorIs(t, err, kms.ErrCustomKeyStoreInvalidState, "delete needs DISCONNECTED")

	// Disconnect and wait.
	_, err = w.client.DisconnectCustomKeyStore(ctx, &kms.DisconnectCustomKeyStoreInput{CustomKeyStoreId: aws.String(id)})
	require.NoError(t, err)
	assert.Equal(t, kms.ConnectionStateTypeDisconnecting, w.state(t, id).ConnectionState)
	require.NoError(t, w.disconnected().Wait(ctx, byID, 5*time.Minute))

	// A wrong password: the connection ends FAILED with INVALID_CREDENTIALS,
	// and the waiter says so at once.
	_, err = w.client.UpdateCustomKeyStore(ctx, &kms.UpdateCustomKeyStoreInput{CustomKeyStoreId: aws.String(id), KeyStorePassword: aws.String("WrongPassword9")})
	require.NoError(t, err)
	_, err = w.client.ConnectCustomKeyStore(ctx, &kms.ConnectCustomKeyStoreInput{CustomKeyStoreId: aws.String(id)})
	require.NoError(t, err)
	err = w.connected().Wait(ctx, byID, 5*time.Minute)
	require.ErrorIs(t, err, kms.ErrCustomKeyStoreConnectionFailed)
	var cf *kms.ConnectionFailedError
	require.ErrorAs(t, err, &cf)
	assert.Equal(t, kms.ConnectionErrorCodeTypeInvalidCredentials, cf.ConnectionErrorCode)
	assert.Equal(t, id, cf.CustomKeyStoreId)
	assert.Contains(t, err.Error(), "KeyStorePassword for the custom key store doesn't match")
	assert.NotContains(t, err.Error(), "WrongPassword9")

	// Connecting a FAILED store is refused; disconnect, correct, connect.
	_, err = w.client.ConnectCustomKeyStore(ctx, &kms.ConnectCustomKeyStoreInput{CustomKeyStoreId: aws.String(id)})
	assert.ErrorIs(t, err, kms.ErrCustomKeyStoreInvalidState)
	_, err = w.client.DisconnectCustomKeyStore(ctx, &kms.DisconnectCustomKeyStoreInput{CustomKeyStoreId: aws.String(id)})
	require.NoError(t, err)
	require.NoError(t, w.disconnected().Wait(ctx, byID, 5*time.Minute))
	_, err = w.client.UpdateCustomKeyStore(ctx, &kms.UpdateCustomKeyStoreInput{CustomKeyStoreId: aws.String(id), KeyStorePassword: aws.String(lifecyclePassword)})
	require.NoError(t, err)
	_, err = w.client.ConnectCustomKeyStore(ctx, &kms.ConnectCustomKeyStoreInput{CustomKeyStoreId: aws.String(id)})
	require.NoError(t, err)
	require.NoError(t, w.connected().Wait(ctx, byID, 5*time.Minute))

	// Delete: DISCONNECTED and no KMS keys.
	_, err = w.client.DisconnectCustomKeyStore(ctx, &kms.DisconnectCustomKeyStoreInput{CustomKeyStoreId: aws.String(id)})
	require.NoError(t, err)
	require.NoError(t, w.disconnected().Wait(ctx, byID, 5*time.Minute))
	require.NoError(t, w.srv.SetKeyCount(id, 2))
	_, err = w.client.DeleteCustomKeyStore(ctx, &kms.DeleteCustomKeyStoreInput{CustomKeyStoreId: aws.String(id)})
	assert.ErrorIs(t, err, kms.ErrCustomKeyStoreHasCMKs)
	require.NoError(t, w.srv.SetKeyCount(id, 0))
	_, err = w.client.DeleteCustomKeyStore(ctx, &kms.DeleteCustomKeyStoreInput{CustomKeyStoreId: aws.String(id)})
	require.NoError(t, err)
	_, err = w.client.DescribeCustomKeyStores(ctx, byID)
	assert.ErrorIs(t, err, kms.ErrCustomKeyStoreNotFound)
	err = w.connected().Wait(ctx, byID, time.Minute)
	assert.ErrorIs(t, err, kms.ErrCustomKeyStoreNotFound, "the waiter ends on a store that is gone")

	// Nothing the fake recorded holds a secret.
	for _, call := range w.srv.Calls() {
		assert.NotContains(t, call.Input, lifecyclePassword)
		assert.NotContains(t, call.Input, "WrongPassword9")
	}
}

// TestExternalStoreLifecycleAgainstKmstest: an external key store whose
// proxy path changes while disconnected, and a waiter that sees
// XKS_PROXY_INVALID_CONFIGURATION when the path is wrong.
func TestExternalStoreLifecycleAgainstKmstest(t *testing.T) {
	ctx := context.Background()
	w := newFakeWorld(t)
	require.NoError(t, w.srv.SetXksProxy(kmstest.XksProxy{UriEndpoint: lifecycleEndpoint, UriPath: lifecyclePath, AccessKeyId: lifecycleAccessKeyID, RawSecretAccessKey: lifecycleSecret}))
	created, err := w.client.CreateCustomKeyStore(ctx, xksCreate(kms.XksProxyConnectivityTypePublicEndpoint))
	require.NoError(t, err)
	id := created.CustomKeyStoreId
	byID := &kms.DescribeCustomKeyStoresInput{CustomKeyStoreId: id}
	e := w.state(t, *id)
	require.NotNil(t, e.XksProxyConfiguration)
	assert.Equal(t, lifecycleAccessKeyID, aws.ToString(e.XksProxyConfiguration.AccessKeyId))
	assert.Equal(t, lifecyclePath, aws.ToString(e.XksProxyConfiguration.UriPath))
	assert.NotContains(t, fmt.Sprint(e), lifecycleAccessKeyID, "AccessKeyId prints redacted")

	// A path the proxy does not serve: FAILED with
	// XKS_PROXY_INVALID_CONFIGURATION ("verify the XksProxyUriPath").
	_, err = w.client.UpdateCustomKeyStore(ctx, &kms.UpdateCustomKeyStoreInput{CustomKeyStoreId: id, XksProxyUriPath: aws.String("/other/kms/xks/v1")})
	require.NoError(t, err)
	_, err = w.client.ConnectCustomKeyStore(ctx, &kms.ConnectCustomKeyStoreInput{CustomKeyStoreId: id})
	require.NoError(t, err)
	err = w.connected().Wait(ctx, byID, 5*time.Minute)
	var cf *kms.ConnectionFailedError
	require.ErrorAs(t, err, &cf)
	assert.Equal(t, kms.ConnectionErrorCodeTypeXksProxyInvalidConfiguration, cf.ConnectionErrorCode)
	assert.Contains(t, err.Error(), "Verify XksProxyUriPath")

	_, err = w.client.DisconnectCustomKeyStore(ctx, &kms.DisconnectCustomKeyStoreInput{CustomKeyStoreId: id})
	require.NoError(t, err)
	require.NoError(t, w.disconnected().Wait(ctx, byID, 5*time.Minute))
	_, err = w.client.UpdateCustomKeyStore(ctx, &kms.UpdateCustomKeyStoreInput{CustomKeyStoreId: id, XksProxyUriPath: aws.String(lifecyclePath)})
	require.NoError(t, err)
	_, err = w.client.ConnectCustomKeyStore(ctx, &kms.ConnectCustomKeyStoreInput{CustomKeyStoreId: id})
	require.NoError(t, err)
	require.NoError(t, w.connected().Wait(ctx, byID, 5*time.Minute))
}

// TestWaiterAgainstKmstestWithoutConnect: waiting for CONNECTED on a store
// nobody connects ends after two DISCONNECTED polls instead of waiting out
// the maximum.
func TestWaiterAgainstKmstestWithoutConnect(t *testing.T) {
	w := newFakeWorld(t)
	require.NoError(t, w.srv.AddStore(kmstest.Store{CustomKeyStoreId: lifecycleStoreID, CustomKeyStoreName: "idle",
		CustomKeyStoreType: kmstest.TypeCloudHSM, CloudHsmClusterId: lifecycleClusterID}))
	w.srv.ResetCalls()
	err := w.connected().Wait(context.Background(), byID, time.Hour)
	var cf *kms.ConnectionFailedError
	require.ErrorAs(t, err, &cf)
	assert.Equal(t, kms.ConnectionStateTypeDisconnected, cf.ConnectionState)
	assert.Len(t, w.srv.Calls(), 2)
}

func TestPaginationAgainstKmstest2500(t *testing.T) {
	w := newFakeWorld(t)
	const n = 2500
	for i := range n {
		require.NoError(t, w.srv.AddStore(kmstest.Store{
			CustomKeyStoreId: fmt.Sprintf("cks-%017x", i), CustomKeyStoreName: "store-" + strconv.Itoa(i),
			CustomKeyStoreType: kmstest.TypeCloudHSM, CloudHsmClusterId: lifecycleClusterID,
		}))
	}
	for _, limit := range []int32{1, 7, 1000} {
		t.Run("Limit "+strconv.Itoa(int(limit)), func(t *testing.T) {
			w.srv.ResetCalls()
			pages := listAll(t, kms.NewDescribeCustomKeyStoresPaginator(w.client, nil, func(o *kms.DescribeCustomKeyStoresPaginatorOptions) { o.Limit = limit }), n, limit)
			assert.Len(t, w.srv.Calls(), pages)
		})
	}
	_, err := w.client.DescribeCustomKeyStores(context.Background(), &kms.DescribeCustomKeyStoresInput{Marker: aws.String("not-a-marker-kms-issued")})
	assert.ErrorIs(t, err, kms.ErrInvalidMarker)
}

// TestConcurrentLifecyclesAgainstKmstest: many goroutines share one client
// and drive their own stores through create, connect, wait, disconnect,
// wait and delete at once, on the fake's real clock, under -race. No time
// is asserted; every lifecycle must complete and leave nothing behind.
func TestConcurrentLifecyclesAgainstKmstest(t *testing.T) {
	const workers = 12
	srv := kmstest.NewServer(kmstest.WithTransitionDelay(2 * time.Millisecond))
	t.Cleanup(srv.Close)
	c := kms.New(kms.Options{Region: "us-east-1", Credentials: staticCreds(), BaseEndpoint: aws.String(srv.URL), HTTPClient: srv.Client()})
	fast := func(o *kms.CustomKeyStoreConnectedWaiterOptions) {
		o.MinDelay, o.MaxDelay = time.Millisecond, 5*time.Millisecond
	}
	fastD := func(o *kms.CustomKeyStoreDisconnectedWaiterOptions) {
		o.MinDelay, o.MaxDelay = time.Millisecond, 5*time.Millisecond
	}
	connected := kms.NewCustomKeyStoreConnectedWaiter(c, fast)
	disconnected := kms.NewCustomKeyStoreDisconnectedWaiter(c, fastD)

	errs := make(chan error, workers)
	for i := range workers {
		cluster := "cluster-abcdefghijk" + string(rune('a'+i))
		require.NoError(t, srv.SetCluster(kmstest.Cluster{ClusterId: cluster}))
		go func() {
			errs <- func() error {
				ctx := context.Background()
				in := cloudHsmCreate()
				in.CustomKeyStoreName = aws.String("store-" + strconv.Itoa(i))
				in.CloudHsmClusterId = aws.String(cluster)
				out, err := c.CreateCustomKeyStore(ctx, in)
				if err != nil {
					return err
				}
				id := out.CustomKeyStoreId
				byID := &kms.DescribeCustomKeyStoresInput{CustomKeyStoreId: id}
				for round := 0; round < 2; round++ {
					if _, err := c.ConnectCustomKeyStore(ctx, &kms.ConnectCustomKeyStoreInput{CustomKeyStoreId: id}); err != nil {
						return err
					}
					if err := connected.Wait(ctx, byID, time.Minute); err != nil {
						return err
					}
					if _, err := c.DisconnectCustomKeyStore(ctx, &kms.DisconnectCustomKeyStoreInput{CustomKeyStoreId: id}); err != nil {
						return err
					}
					if err := disconnected.Wait(ctx, byID, time.Minute); err != nil {
						return err
					}
				}
				_, err = c.DeleteCustomKeyStore(ctx, &kms.DeleteCustomKeyStoreInput{CustomKeyStoreId: id})
				return err
			}()
		}()
	}
	for range workers {
		assert.NoError(t, <-errs)
	}
	assert.Empty(t, srv.Stores())
}
