package safeupdate_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kmskit/kms"
	"github.com/kmskit/kms/kmstest"
	"github.com/kmskit/kms/safeupdate"
)

func TestRotateXksCredential(t *testing.T) {
	e := newRoutedWorld(t)
	ctx := context.Background()
	cred2 := xksCred(routedNextAccessKeyID, routedNextSecret)
	opts := safeupdate.RotateOptions{HTTPClient: e.hc, PollInterval: 5 * time.Millisecond}

	// Step 1 not done yet: the proxy knows only the old credential.
	rep, err := e.updater.RotateXksCredential(ctx, routedStoreID, &cred2, opts)
	require.ErrorIs(t, err, kms.ErrXksProxyIncorrectAuthenticationCredential)
	require.NotNil(t, rep)
	assert.False(t, rep.Confirmed)
	assert.NotContains(t, e.lifecycleTargets(), "UpdateCustomKeyStore", "nothing sent to KMS")
	assert.Equal(t, routedAccessKeyID, *e.describe(t, routedStoreID).XksProxyConfiguration.AccessKeyId)

	// Step 1: the proxy accepts both credentials.
	require.NoError(t, e.proxy.SetCredentials(
		kmstest.XksCredential{AccessKeyID: routedAccessKeyID, SecretAccessKey: routedSecret},
		kmstest.XksCredential{AccessKeyID: routedNextAccessKeyID, SecretAccessKey: routedNextSecret}))
	e.proxy.ResetCalls()
	rep, err = e.updater.RotateXksCredential(ctx, routedStoreID, &cred2, opts)
	require.NoError(t, err)
	assert.True(t, rep.Confirmed)
	require.NotNil(t, rep.Preflight)
	assert.Equal(t, safeupdate.CheckPassed, rep.Preflight.Result)
	assert.Equal(t, "input", rep.Preflight.CredentialSource)
	assert.Equal(t, routedEndpoint+routedPath, rep.Preflight.UriEndpoint+rep.Preflight.UriPath, "checked through the current endpoint and path")
	assert.Contains(t, rep.NextStep, "remove the old credential from the proxy")
	assert.Equal(t, []string{"UpdateCustomKeyStore"}, e.lifecycleTargets(), "no disconnect")
	got := e.describe(t, routedStoreID)
	assert.Equal(t, routedNextAccessKeyID, *got.XksProxyConfiguration.AccessKeyId)
	assert.Equal(t, kms.ConnectionStateTypeConnected, got.ConnectionState)
	// Both the preflight and KMS's own check signed with the new credential.
	for _, c := range e.proxy.Calls() {
		assert.Equal(t, "GetHealthStatus", c.Operation)
		assert.Equal(t, 200, c.Status)
	}
	assert.Len(t, e.proxy.Calls(), 2)

	// Step 4: the proxy drops the old credential; KMS keeps working.
	require.NoError(t, e.proxy.SetCredentials(kmstest.XksCredential{AccessKeyID: routedNextAccessKeyID, SecretAccessKey: routedNextSecret}))
	_, err = e.client.DisconnectCustomKeyStore(ctx, &kms.DisconnectCustomKeyStoreInput{CustomKeyStoreId: aws.String(routedStoreID)})
	require.NoError(t, err)
	require.NoError(t, kms.NewCustomKeyStoreDisconnectedWaiter(e.client).Wait(ctx,
		&kms.DescribeCustomKeyStoresInput{CustomKeyStoreId: aws.String(routedStoreID)}, time.Minute,
		func(o *kms.CustomKeyStoreDisconnectedWaiterOptions) {
			o.MinDelay, o.MaxDelay = 5*time.Millisecond, 5*time.Millisecond
		}))
	_, err = e.client.ConnectCustomKeyStore(ctx, &kms.ConnectCustomKeyStoreInput{CustomKeyStoreId: aws.String(routedStoreID)})
	require.NoError(t, err)
	require.NoError(t, kms.NewCustomKeyStoreConnectedWaiter(e.client).Wait(ctx,
		&kms.DescribeCustomKeyStoresInput{CustomKeyStoreId: aws.String(routedStoreID)}, time.Minute,
		func(o *kms.CustomKeyStoreConnectedWaiterOptions) {
			o.MinDelay, o.MaxDelay = 5*time.Millisecond, 5*time.Millisecond
		}))
}

func TestRotateXksCredentialRefusals(t *testing.T) {
	e := newRoutedWorld(t)
	ctx := context.Background()
	cred2 := xksCred(routedNextAccessKeyID, routedNextSecret)

	_, err := e.updater.RotateXksCredential(ctx, routedStoreID, &kms.XksProxyAuthenticationCredentialType{AccessKeyId: aws.String(routedNextAccessKeyID)}, safeupdate.RotateOptions{})
	var ve *kms.ValidationError
	require.ErrorAs(t, err, &ve)

	_, err = e.updater.RotateXksCredential(ctx, routedHsmStoreID, &cred2, safeupdate.RotateOptions{})
	require.ErrorContains(t, err, "not EXTERNAL_KEY_STORE")
	require.ErrorAs(t, err, &ve, "a store of the wrong type is a ValidationError")
	assert.Equal(t, []string{"CustomKeyStoreId"}, ve.Fields())
	assert.NotContains(t, err.Error(), routedNextSecret)

	// A new secret under the current access key ID cannot be rotated in:
	// the proxy could not accept both secrets under one ID.
	sameID := xksCred(routedAccessKeyID, routedNextSecret)
	_, err = e.updater.RotateXksCredential(ctx, routedStoreID, &sameID, safeupdate.RotateOptions{HTTPClient: e.hc})
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, []string{"XksProxyAuthenticationCredential.AccessKeyId"}, ve.Fields())
	assert.Contains(t, err.Error(), "needs a new one")
	assert.NotContains(t, err.Error(), routedAccessKeyID)
	assert.NotContains(t, err.Error(), routedNextSecret)

	require.NoError(t, e.srv.SetConnectionState(routedStoreID, kmstest.StateFailed))
	_, err = e.updater.RotateXksCredential(ctx, routedStoreID, &cred2, safeupdate.RotateOptions{})
	require.ErrorIs(t, err, kms.ErrCustomKeyStoreInvalidState)
	assert.Empty(t, e.lifecycleTargets())
}

// TestRotateXksCredentialByPath: a proxy that holds one credential per path
// (the old one only under the old prefix, the new one only under the new
// prefix) is rotated by switching path: one UpdateCustomKeyStore with both
// the credential and the path, the store CONNECTED throughout, KMS holding
// the new AccessKeyId and path; NextStep keeps the old path for 5 minutes.
func TestRotateXksCredentialByPath(t *testing.T) {
	// The store's state as each call was answered, recorded by the fake's
	// call hook.
	var mu sync.Mutex
	var e *routedWorld
	var states []string // "Target: ConnectionState"
	e = startWorldWith(t, kmstest.NewManualClock(time.Now()), []kmstest.Option{kmstest.WithCallHook(func(c kmstest.Call) {
		st, ok := e.srv.Store(routedStoreID)
		mu.Lock()
		defer mu.Unlock()
		if ok {
			states = append(states, strings.TrimPrefix(c.Target, "TrentService.")+": "+string(st.ConnectionState))
		}
	})})
	ctx := context.Background()
	require.NoError(t, e.proxy.SetURIPrefixes("/tenant-a", "/tenant-b"))
	require.NoError(t, e.proxy.SetCredentials(
		kmstest.XksCredential{AccessKeyID: routedAccessKeyID, SecretAccessKey: routedSecret, URIPrefix: "/tenant-a"},
		kmstest.XksCredential{AccessKeyID: routedNextAccessKeyID, SecretAccessKey: routedNextSecret, URIPrefix: "/tenant-b"}))
	cred2 := xksCred(routedNextAccessKeyID, routedNextSecret)

	// In place, the new credential is refused under the old path: nothing
	// is sent to KMS.
	_, err := e.updater.RotateXksCredential(ctx, routedStoreID, &cred2, safeupdate.RotateOptions{HTTPClient: e.hc})
	require.ErrorIs(t, err, kms.ErrXksProxyIncorrectAuthenticationCredential)
	assert.Zero(t, e.count(kmstest.TargetUpdateCustomKeyStore))

	e.srv.ResetCalls()
	mu.Lock()
	states = nil
	mu.Unlock()
	newPath := routedOtherPath
	rep, err := e.updater.RotateXksCredential(ctx, routedStoreID, &cred2, safeupdate.RotateOptions{HTTPClient: e.hc, NewUriPath: &newPath})
	require.NoError(t, err)
	assert.True(t, rep.Confirmed)
	assert.Equal(t, safeupdate.CheckPassed, rep.Preflight.Result)
	assert.Equal(t, routedEndpoint+routedOtherPath, rep.Preflight.UriEndpoint+rep.Preflight.UriPath, "checked under the new path")
	assert.Contains(t, rep.NextStep, "keep the old path "+routedPath+" and its credential on the proxy for at least 5 minutes")
	updates := 0
	for _, c := range e.srv.Calls() {
		switch c.Target {
		case kmstest.TargetUpdateCustomKeyStore:
			updates++
			assert.Equal(t, routedOtherPath, c.Input["XksProxyUriPath"])
			assert.Contains(t, c.Input, "XksProxyAuthenticationCredential")
		case kmstest.TargetDescribeCustomKeyStores:
		default:
			t.Errorf("rotation by path sent %s", c.Target)
		}
	}
	assert.Equal(t, 1, updates, "one UpdateCustomKeyStore")
	mu.Lock()
	seen := append([]string(nil), states...)
	mu.Unlock()
	require.Len(t, seen, len(e.srv.Calls()), "the hook saw every call")
	assert.Contains(t, seen, "UpdateCustomKeyStore: CONNECTED")
	for _, s := range seen {
		assert.True(t, strings.HasSuffix(s, ": "+string(kmstest.StateConnected)), "CONNECTED throughout: %s (all: %v)", s, seen)
	}
	got := e.describe(t, routedStoreID)
	assert.Equal(t, routedNextAccessKeyID, aws.ToString(got.XksProxyConfiguration.AccessKeyId))
	assert.Equal(t, routedOtherPath, aws.ToString(got.XksProxyConfiguration.UriPath))
	assert.Equal(t, kms.ConnectionStateTypeConnected, got.ConnectionState)
	st, _ := e.srv.Store(routedStoreID)
	assert.Equal(t, routedNextSecret, st.XksProxyConfiguration.RawSecretAccessKey)

	// The same path again is refused: it would not move the credential.
	_, err = e.updater.RotateXksCredential(ctx, routedStoreID, &cred1Again, safeupdate.RotateOptions{HTTPClient: e.hc, NewUriPath: &newPath})
	var ve *kms.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, []string{"XksProxyUriPath"}, ve.Fields())
}

// cred1Again is a credential other than the store's after the rotation.
var cred1Again = xksCred(routedAccessKeyID, routedSecret)

// TestRotateConfirmationOnTheClock: the confirmation polls on the
// Updater's clock with the waiters' poller: when KMS never shows the new
// AccessKeyId it ends after ConfirmWait of that clock, without real time.
func TestRotateConfirmationOnTheClock(t *testing.T) {
	e := newClockWorld(t)
	require.NoError(t, e.proxy.SetCredentials(
		kmstest.XksCredential{AccessKeyID: routedAccessKeyID, SecretAccessKey: routedSecret},
		kmstest.XksCredential{AccessKeyID: routedNextAccessKeyID, SecretAccessKey: routedNextSecret}))
	api := &staleDescribe{next: e.client}
	u := safeupdate.NewUpdater(api, func(o *safeupdate.Options) { o.Clock, o.Region = e.clk, "us-east-1" })
	cred2 := xksCred(routedNextAccessKeyID, routedNextSecret)
	start := e.clk.Now()
	_, err := u.RotateXksCredential(context.Background(), routedStoreID, &cred2,
		safeupdate.RotateOptions{HTTPClient: e.hc, PollInterval: time.Minute, ConfirmWait: time.Hour})
	require.ErrorIs(t, err, safeupdate.ErrRotationNotConfirmed)
	assert.Equal(t, time.Hour, e.clk.Now().Sub(start), "waited ConfirmWait of the clock")
	assert.Equal(t, 62, api.describes, "the store read once, then a poll a minute for an hour, 0 to 60 minutes")
}

// staleDescribe passes calls on, but shows the store's entry as it was
// before the first update.
type staleDescribe struct {
	next      *kms.Client
	stale     *kms.DescribeCustomKeyStoresOutput
	describes int
}

func (s *staleDescribe) DescribeCustomKeyStores(ctx context.Context, in *kms.DescribeCustomKeyStoresInput, optFns ...func(*kms.Options)) (*kms.DescribeCustomKeyStoresOutput, error) {
	s.describes++
	if s.stale != nil {
		return s.stale, nil
	}
	out, err := s.next.DescribeCustomKeyStores(ctx, in, optFns...)
	return out, err
}

func (s *staleDescribe) UpdateCustomKeyStore(ctx context.Context, in *kms.UpdateCustomKeyStoreInput, optFns ...func(*kms.Options)) (*kms.UpdateCustomKeyStoreOutput, error) {
	if s.stale == nil {
		out, err := s.next.DescribeCustomKeyStores(ctx, &kms.DescribeCustomKeyStoresInput{CustomKeyStoreId: in.CustomKeyStoreId}, optFns...)
		if err != nil {
			return nil, err
		}
		s.stale = out
	}
	return s.next.UpdateCustomKeyStore(ctx, in, optFns...)
}

func (s *staleDescribe) ConnectCustomKeyStore(ctx context.Context, in *kms.ConnectCustomKeyStoreInput, optFns ...func(*kms.Options)) (*kms.ConnectCustomKeyStoreOutput, error) {
	return s.next.ConnectCustomKeyStore(ctx, in, optFns...)
}

func (s *staleDescribe) DisconnectCustomKeyStore(ctx context.Context, in *kms.DisconnectCustomKeyStoreInput, optFns ...func(*kms.Options)) (*kms.DisconnectCustomKeyStoreOutput, error) {
	return s.next.DisconnectCustomKeyStore(ctx, in, optFns...)
}
