package safeupdate

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/kmskit/kms"
)

func TestSettled(t *testing.T) {
	assert.True(t, settled(kms.ConnectionStateTypeConnecting, kms.ConnectionStateTypeConnected))
	assert.True(t, settled(kms.ConnectionStateTypeDisconnecting, kms.ConnectionStateTypeDisconnected))
	assert.False(t, settled(kms.ConnectionStateTypeConnected, kms.ConnectionStateTypeDisconnected))
	assert.False(t, settled(kms.ConnectionStateTypeConnecting, kms.ConnectionStateTypeFailed))
	assert.False(t, settled(kms.ConnectionStateTypeConnected, kms.ConnectionStateTypeConnected))
}

// TestApplyErrorWording: the update's outcome and the members still new
// read as sentences, singular or plural.
func TestApplyErrorWording(t *testing.T) {
	e := &ApplyError{CustomKeyStoreId: "cks-1", Step: StepUpdate, Err: context.Canceled, Update: UpdateUnknown,
		Rollback: &RollbackOutcome{StillNew: []string{"KeyStorePassword"}}}
	assert.Contains(t, e.Error(), "the update's outcome is unknown (KMS may have applied it)")
	assert.Contains(t, e.Error(), "KeyStorePassword may still hold the new value;")
	assert.NotContains(t, e.Error(), "was outcome unknown")
	e.Update, e.Rollback.StillNew = UpdateApplied, []string{"KeyStorePassword", "NewCustomKeyStoreName"}
	assert.Contains(t, e.Error(), "the update was applied")
	assert.Contains(t, e.Error(), "KeyStorePassword, NewCustomKeyStoreName still hold the new values")
	e.Rollback.StillNew = []string{"KeyStorePassword"}
	assert.Contains(t, e.Error(), "KeyStorePassword still holds the new value;")
}
