package interop

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awskms "github.com/aws/aws-sdk-go-v2/service/kms"
	awstypes "github.com/aws/aws-sdk-go-v2/service/kms/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// waitOfficial polls DescribeCustomKeyStores with the official client until
// the store is in want, at most lifecycleMaxPolls times; FAILED ends the wait.
func waitOfficial(t *testing.T, c *awskms.Client, id string, want awstypes.ConnectionStateType) int {
	t.Helper()
	for polls := 1; polls <= lifecycleMaxPolls; polls++ {
		out, err := c.DescribeCustomKeyStores(context.Background(), &awskms.DescribeCustomKeyStoresInput{CustomKeyStoreId: aws.String(id)})
		require.NoError(t, err)
		require.Len(t, out.CustomKeyStores, 1)
		e := out.CustomKeyStores[0]
		if e.ConnectionState == want {
			return polls
		}
		require.NotEqual(t, awstypes.ConnectionStateTypeFailed, e.ConnectionState, "FAILED with %s", e.ConnectionErrorCode)
		time.Sleep(lifecyclePollInterval)
	}
	t.Fatalf("store %s not %s after %d polls", id, want, lifecycleMaxPolls)
	return 0
}

// TestLifecycleGoSDK: aws-sdk-go-v2's KMS client drives create -> connect
// -> wait CONNECTED -> disconnect -> wait DISCONNECTED -> update -> connect
// -> describe -> disconnect -> delete against the standalone kmstest, which
// verifies its signatures.
func TestLifecycleGoSDK(t *testing.T) {
	url := startStandalone(t, lifecycleSeed(), lifecycleTransitionDelay)
	c := newOfficial(url, nil, nil)
	ctx := context.Background()
	start := time.Now()

	created, err := c.CreateCustomKeyStore(ctx, &awskms.CreateCustomKeyStoreInput{
		CustomKeyStoreName:   aws.String("go-sdk-store"),
		CustomKeyStoreType:   awstypes.CustomKeyStoreTypeExternalKeyStore,
		XksProxyConnectivity: awstypes.XksProxyConnectivityTypePublicEndpoint,
		XksProxyUriEndpoint:  aws.String(lifecycleProxyEndpoint),
		XksProxyUriPath:      aws.String(lifecyclePath),
		XksProxyAuthenticationCredential: &awstypes.XksProxyAuthenticationCredentialType{
			AccessKeyId: aws.String(lifecycleAccessKeyID), RawSecretAccessKey: aws.String(lifecycleSecret)},
	})
	require.NoError(t, err)
	id := aws.ToString(created.CustomKeyStoreId)
	assert.Regexp(t, `^cks-[0-9a-f]{17}$`, id)

	_, err = c.ConnectCustomKeyStore(ctx, &awskms.ConnectCustomKeyStoreInput{CustomKeyStoreId: aws.String(id)})
	require.NoError(t, err)
	waitOfficial(t, c, id, awstypes.ConnectionStateTypeConnected)

	_, err = c.DisconnectCustomKeyStore(ctx, &awskms.DisconnectCustomKeyStoreInput{CustomKeyStoreId: aws.String(id)})
	require.NoError(t, err)
	waitOfficial(t, c, id, awstypes.ConnectionStateTypeDisconnected)

	_, err = c.UpdateCustomKeyStore(ctx, &awskms.UpdateCustomKeyStoreInput{CustomKeyStoreId: aws.String(id),
		NewCustomKeyStoreName: aws.String("go-sdk-store-b"), XksProxyUriEndpoint: aws.String(lifecycleOtherProxyEndpoint)})
	require.NoError(t, err)

	_, err = c.ConnectCustomKeyStore(ctx, &awskms.ConnectCustomKeyStoreInput{CustomKeyStoreId: aws.String(id)})
	require.NoError(t, err)
	waitOfficial(t, c, id, awstypes.ConnectionStateTypeConnected)

	out, err := c.DescribeCustomKeyStores(ctx, &awskms.DescribeCustomKeyStoresInput{CustomKeyStoreName: aws.String("go-sdk-store-b")})
	require.NoError(t, err)
	require.Len(t, out.CustomKeyStores, 1)
	e := out.CustomKeyStores[0]
	assert.Equal(t, id, aws.ToString(e.CustomKeyStoreId))
	assert.Equal(t, awstypes.ConnectionStateTypeConnected, e.ConnectionState)
	assert.Equal(t, awstypes.CustomKeyStoreTypeExternalKeyStore, e.CustomKeyStoreType)
	require.NotNil(t, e.XksProxyConfiguration)
	assert.Equal(t, lifecycleOtherProxyEndpoint, aws.ToString(e.XksProxyConfiguration.UriEndpoint))
	assert.Equal(t, lifecyclePath, aws.ToString(e.XksProxyConfiguration.UriPath))
	assert.Equal(t, lifecycleAccessKeyID, aws.ToString(e.XksProxyConfiguration.AccessKeyId))
	assert.Equal(t, awstypes.XksProxyConnectivityTypePublicEndpoint, e.XksProxyConfiguration.Connectivity)
	require.NotNil(t, e.CreationDate)
	assert.WithinRange(t, *e.CreationDate, start.Add(-time.Second), time.Now().Add(time.Second))
	assert.False(t, out.Truncated)

	_, err = c.DisconnectCustomKeyStore(ctx, &awskms.DisconnectCustomKeyStoreInput{CustomKeyStoreId: aws.String(id)})
	require.NoError(t, err)
	waitOfficial(t, c, id, awstypes.ConnectionStateTypeDisconnected)
	_, err = c.DeleteCustomKeyStore(ctx, &awskms.DeleteCustomKeyStoreInput{CustomKeyStoreId: aws.String(id)})
	require.NoError(t, err)

	_, err = c.DescribeCustomKeyStores(ctx, &awskms.DescribeCustomKeyStoresInput{CustomKeyStoreId: aws.String(id)})
	var nf *awstypes.CustomKeyStoreNotFoundException
	assert.True(t, errors.As(err, &nf), "the deleted store is gone: %v", err)
}
