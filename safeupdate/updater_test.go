package safeupdate_test

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kmskit/kms"
	"github.com/kmskit/kms/safeupdate"
)

// *kms.Client is an API.
var _ safeupdate.API = (*kms.Client)(nil)

// recordingAPI is a caller's own API: it passes every call on to a
// *kms.Client and records the operation names.
type recordingAPI struct {
	next  *kms.Client
	calls []string
}

func (r *recordingAPI) DescribeCustomKeyStores(ctx context.Context, in *kms.DescribeCustomKeyStoresInput, optFns ...func(*kms.Options)) (*kms.DescribeCustomKeyStoresOutput, error) {
	r.calls = append(r.calls, "Describe")
	return r.next.DescribeCustomKeyStores(ctx, in, optFns...)
}

func (r *recordingAPI) UpdateCustomKeyStore(ctx context.Context, in *kms.UpdateCustomKeyStoreInput, optFns ...func(*kms.Options)) (*kms.UpdateCustomKeyStoreOutput, error) {
	r.calls = append(r.calls, "Update")
	return r.next.UpdateCustomKeyStore(ctx, in, optFns...)
}

func (r *recordingAPI) ConnectCustomKeyStore(ctx context.Context, in *kms.ConnectCustomKeyStoreInput, optFns ...func(*kms.Options)) (*kms.ConnectCustomKeyStoreOutput, error) {
	r.calls = append(r.calls, "Connect")
	return r.next.ConnectCustomKeyStore(ctx, in, optFns...)
}

func (r *recordingAPI) DisconnectCustomKeyStore(ctx context.Context, in *kms.DisconnectCustomKeyStoreInput, optFns ...func(*kms.Options)) (*kms.DisconnectCustomKeyStoreOutput, error) {
	r.calls = append(r.calls, "Disconnect")
	return r.next.DisconnectCustomKeyStore(ctx, in, optFns...)
}

// TestUpdaterOverOwnAPI: every call of a plan, its waits included, goes
// through the API the Updater was made with.
func TestUpdaterOverOwnAPI(t *testing.T) {
	e := newRoutedWorld(t)
	api := &recordingAPI{next: e.client}
	u := safeupdate.NewUpdater(api, func(o *safeupdate.Options) { o.Region = "us-east-1" })
	in := &kms.UpdateCustomKeyStoreInput{CustomKeyStoreId: aws.String(routedHsmStoreID), CloudHsmClusterId: aws.String(routedClusterID), NewCustomKeyStoreName: aws.String("hsm-renamed")}
	plan, err := u.Plan(context.Background(), in, safeupdate.PlanOptions{AllowDisconnect: true})
	require.NoError(t, err)
	_, err = plan.Apply(context.Background(), fastApply)
	require.NoError(t, err)

	require.GreaterOrEqual(t, len(api.calls), 7, "plan describe, apply describe, disconnect, waits, update, connect: %v", api.calls)
	var lifecycle []string
	for _, c := range api.calls {
		if c != "Describe" {
			lifecycle = append(lifecycle, c)
		}
	}
	assert.Equal(t, []string{"Disconnect", "Update", "Connect"}, lifecycle)
	assert.Equal(t, len(e.srv.Calls()), len(api.calls), "the fake saw only what went through the API")
	got := e.describe(t, routedHsmStoreID)
	assert.Equal(t, "hsm-renamed", aws.ToString(got.CustomKeyStoreName))
	assert.Equal(t, kms.ConnectionStateTypeConnected, got.ConnectionState)
}

// TestUpdaterWithoutAPI: an Updater without an API, and a plan it did not
// make, return errors instead of panicking.
func TestUpdaterWithoutAPI(t *testing.T) {
	ctx := context.Background()
	in := &kms.UpdateCustomKeyStoreInput{CustomKeyStoreId: aws.String(routedStoreID), NewCustomKeyStoreName: aws.String("n")}
	for _, u := range []*safeupdate.Updater{nil, safeupdate.NewUpdater(nil)} {
		_, err := u.Plan(ctx, in, safeupdate.PlanOptions{})
		require.ErrorContains(t, err, "NewUpdater")
		_, err = u.PreflightXksProxy(ctx, in, safeupdate.PreflightOptions{})
		require.ErrorContains(t, err, "NewUpdater")
		_, err = u.RotateXksCredential(ctx, routedStoreID, nil, safeupdate.RotateOptions{})
		require.ErrorContains(t, err, "NewUpdater")
	}
	_, err := (&safeupdate.Plan{}).Apply(ctx, safeupdate.ApplyOptions{})
	require.ErrorContains(t, err, "Updater.Plan")
}
