package safeupdate

import (
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
