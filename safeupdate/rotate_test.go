package safeupdate_test

import (
	"context"
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
