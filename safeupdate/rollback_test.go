package safeupdate_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kmskit/kms"
	"github.com/kmskit/kms/safeupdate"
)

func TestApplyWrongPasswordRollsBack(t *testing.T) {
	wrong := &kms.UpdateCustomKeyStoreInput{CustomKeyStoreId: aws.String(routedHsmStoreID), KeyStorePassword: aws.String(routedWrongPassword)}

	t.Run("previous password supplied: restored and reconnected", func(t *testing.T) {
		e := newClockWorld(t) // Apply waits on the manual clock: no real time
		plan, err := e.updater.Plan(context.Background(), wrong,
			safeupdate.PlanOptions{AllowDisconnect: true, PreviousKeyStorePassword: aws.String(routedPassword)})
		require.NoError(t, err)
		assert.Contains(t, plan.String(), "KeyStorePassword: changed [needs DISCONNECTED]")
		assert.NotContains(t, plan.String(), routedWrongPassword)

		assert.Equal(t, safeupdate.VerdictUnchecked, plan.Verdict(), "KMS alone can check the kmsuser password")
		opts := clockApply // AcceptUnchecked
		rep, err := plan.Apply(context.Background(), opts)
		require.ErrorIs(t, err, kms.ErrCustomKeyStoreConnectionFailed)
		var ae *safeupdate.ApplyError
		require.ErrorAs(t, err, &ae)
		assert.Equal(t, safeupdate.StepWaitConnected, ae.Step)
		assert.Equal(t, kms.ConnectionErrorCodeTypeInvalidCredentials, ae.ConnectionErrorCode)
		var cf *kms.ConnectionFailedError
		require.ErrorAs(t, err, &cf)
		assert.Equal(t, kms.ConnectionErrorCodeTypeInvalidCredentials, cf.ConnectionErrorCode)
		require.NotNil(t, ae.Rollback)
		assert.NoError(t, ae.Rollback.Err)
		assert.True(t, ae.Rollback.Reconnected)
		assert.Equal(t, []string{"KeyStorePassword"}, ae.Rollback.Restored)
		assert.Empty(t, ae.Rollback.NotRestored)
		assert.Contains(t, err.Error(), "INVALID_CREDENTIALS")
		assert.Contains(t, err.Error(), "rolled back KeyStorePassword")
		dump := fmt.Sprintf("%v %+v %#v %+v %+v %+v", plan, *plan, plan.Steps, *rep, *ae, *ae.Rollback)
		for _, pw := range []string{routedPassword, routedWrongPassword} {
			assert.NotContains(t, err.Error(), pw)
			assert.NotContains(t, rep.String(), pw)
			assert.NotContains(t, dump, pw)
		}
		assert.Equal(t, []string{
			"DisconnectCustomKeyStore", "WaitUntilDisconnected", "UpdateCustomKeyStore", "ConnectCustomKeyStore", "WaitUntilConnected",
			"DisconnectCustomKeyStore (rollback)", "WaitUntilDisconnected (rollback)", "UpdateCustomKeyStore (rollback)",
			"ConnectCustomKeyStore (rollback)", "WaitUntilConnected (rollback)",
		}, resultActions(rep.Steps))
		st, _ := e.srv.Store(routedHsmStoreID)
		assert.Equal(t, routedPassword, st.KeyStorePassword)
		assert.Equal(t, kms.ConnectionStateTypeConnected, e.describe(t, routedHsmStoreID).ConnectionState)
	})

	t.Run("previous password unknown: one connect attempt, left DISCONNECTED with the next step", func(t *testing.T) {
		e := newClockWorld(t) // Apply waits on the manual clock: no real time
		plan, err := e.updater.Plan(context.Background(), wrong, safeupdate.PlanOptions{AllowDisconnect: true})
		require.NoError(t, err)
		opts := clockApply // AcceptUnchecked
		rep, err := plan.Apply(context.Background(), opts)
		var ae *safeupdate.ApplyError
		require.ErrorAs(t, err, &ae)
		assert.Equal(t, kms.ConnectionErrorCodeTypeInvalidCredentials, ae.ConnectionErrorCode)
		assert.Equal(t, safeupdate.UpdateApplied, ae.Update)
		require.NotNil(t, ae.Rollback)
		assert.Equal(t, []string{"KeyStorePassword"}, ae.Rollback.NotRestored)
		assert.Equal(t, []string{"KeyStorePassword"}, ae.Rollback.StillNew)
		assert.Empty(t, ae.Rollback.Restored)
		assert.Nil(t, ae.Rollback.Input)
		assert.NoError(t, ae.Rollback.Err)
		assert.False(t, ae.Rollback.Reconnected)
		assert.Equal(t, kms.ConnectionStateTypeDisconnected, ae.State)
		assert.Contains(t, ae.NextStep, "cks apply --id "+routedHsmStoreID+" --key-store-password-file <the right one>, then cks connect --id "+routedHsmStoreID+" --wait")
		assert.Equal(t, ae.NextStep, rep.NextStep)
		assert.Contains(t, err.Error(), "could not restore KeyStorePassword")
		assert.Contains(t, err.Error(), "the store was last seen DISCONNECTED")
		assert.Equal(t, []string{"DisconnectCustomKeyStore", "UpdateCustomKeyStore", "ConnectCustomKeyStore", "DisconnectCustomKeyStore"},
			e.lifecycleTargets(), "one connect attempt with the refused password, then settled DISCONNECTED")
		assert.Equal(t, kms.ConnectionStateTypeDisconnected, e.describe(t, routedHsmStoreID).ConnectionState)
		st, _ := e.srv.Store(routedHsmStoreID)
		assert.Equal(t, routedWrongPassword, st.KeyStorePassword, "the report says KeyStorePassword still holds the new value")
	})
}
