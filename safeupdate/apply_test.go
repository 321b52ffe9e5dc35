package safeupdate_test

import (
	"context"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kmskit/kms"
	"github.com/kmskit/kms/safeupdate"
)

func TestApplyStalePlan(t *testing.T) {
	e := newRoutedWorld(t)
	in := &kms.UpdateCustomKeyStoreInput{CustomKeyStoreId: aws.String(routedStoreID), NewCustomKeyStoreName: aws.String("renamed")}
	plan, err := e.updater.Plan(context.Background(), in, safeupdate.PlanOptions{})
	require.NoError(t, err)

	// Someone else disconnects the store meanwhile.
	_, err = e.client.DisconnectCustomKeyStore(context.Background(), &kms.DisconnectCustomKeyStoreInput{CustomKeyStoreId: aws.String(routedStoreID)})
	require.NoError(t, err)
	before := e.lifecycleTargets()

	rep, err := plan.Apply(context.Background(), fastApply)
	require.ErrorIs(t, err, safeupdate.ErrStalePlan)
	var se *safeupdate.StalePlanError
	require.ErrorAs(t, err, &se)
	assert.Contains(t, strings.Join(se.Differences, "\n"), "ConnectionState")
	assert.Empty(t, rep.Steps)
	assert.Equal(t, before, e.lifecycleTargets(), "Apply sent nothing")
	assert.Equal(t, "xks-a", *e.describe(t, routedStoreID).CustomKeyStoreName)
}
