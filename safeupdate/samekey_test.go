package safeupdate_test

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kmskit/kms"
	"github.com/kmskit/kms/kmstest"
	"github.com/kmskit/kms/safeupdate"
	"github.com/kmskit/kms/xksproxy"
)

func TestPreflightSameKeyGuard(t *testing.T) {
	cred1 := xksCred(routedAccessKeyID, routedSecret)
	endpointChange := func(e *routedWorld) *kms.UpdateCustomKeyStoreInput {
		return &kms.UpdateCustomKeyStoreInput{CustomKeyStoreId: aws.String(routedStoreID), XksProxyUriEndpoint: aws.String(routedOtherEndpoint)}
	}
	t.Run("same key material behind the new endpoint", func(t *testing.T) {
		e := newRoutedWorld(t)
		e.addProxy(t, kmstest.WithXksEndpoint(routedOtherEndpoint))
		rep, err := e.updater.PreflightXksProxy(context.Background(), endpointChange(e),
			safeupdate.PreflightOptions{HTTPClient: e.hc, Credential: &cred1, ExternalKeyIDs: []string{"key-1"}})
		require.NoError(t, err)
		require.Len(t, rep.Keys, 1)
		assert.True(t, rep.Keys[0].CanaryChecked)
		assert.Equal(t, "AES_256", rep.Keys[0].KeySpec)
		assert.Equal(t, []string{"ENCRYPT", "DECRYPT"}, rep.Keys[0].KeyUsage)
	})
	t.Run("other key material behind the new endpoint", func(t *testing.T) {
		e := newRoutedWorld(t)
		other := []byte("fedcba9876543210fedcba9876543210")
		e.addProxy(t, kmstest.WithXksEndpoint(routedOtherEndpoint), kmstest.WithXksKeys(kmstest.XksKey{ID: "key-1", Material: other}))
		rep, err := e.updater.PreflightXksProxy(context.Background(), endpointChange(e),
			safeupdate.PreflightOptions{HTTPClient: e.hc, Credential: &cred1, ExternalKeyIDs: []string{"key-1"}})
		require.ErrorIs(t, err, safeupdate.ErrSameKeyGuard)
		require.ErrorIs(t, err, xksproxy.ErrInvalidCiphertext)
		var ske *safeupdate.SameKeyError
		require.ErrorAs(t, err, &ske)
		assert.Equal(t, "key-1", ske.ExternalKeyID)
		assert.Contains(t, ske.Problem, "different key material")
		require.Len(t, rep.Keys, 1)
		assert.False(t, rep.Keys[0].CanaryChecked)
		assert.Equal(t, safeupdate.CheckFailed, rep.Result)
		assert.Contains(t, rep.Checks[0].Detail, "the proxy answers, but the same-key guard stops the change", "the proxy itself is healthy: only the guard stops it")
	})
	t.Run("disabled key", func(t *testing.T) {
		e := newRoutedWorld(t)
		require.NoError(t, e.proxy.PutKey(kmstest.XksKey{ID: "key-2", KeyStatus: "DISABLED"}))
		in := &kms.UpdateCustomKeyStoreInput{CustomKeyStoreId: aws.String(routedStoreID), XksProxyAuthenticationCredential: &cred1}
		_, err := e.updater.PreflightXksProxy(context.Background(), in,
			safeupdate.PreflightOptions{HTTPClient: e.hc, ExternalKeyIDs: []string{"key-1", "key-2"}})
		var ske *safeupdate.SameKeyError
		require.ErrorAs(t, err, &ske)
		assert.Equal(t, "key-2", ske.ExternalKeyID)
		assert.Contains(t, ske.Problem, "DISABLED")
	})
	t.Run("missing key", func(t *testing.T) {
		e := newRoutedWorld(t)
		in := &kms.UpdateCustomKeyStoreInput{CustomKeyStoreId: aws.String(routedStoreID), XksProxyAuthenticationCredential: &cred1}
		_, err := e.updater.PreflightXksProxy(context.Background(), in,
			safeupdate.PreflightOptions{HTTPClient: e.hc, ExternalKeyIDs: []string{"key-9"}})
		require.ErrorIs(t, err, safeupdate.ErrSameKeyGuard)
		require.ErrorIs(t, err, xksproxy.ErrKeyNotFound)
	})
}
