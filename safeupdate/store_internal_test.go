package safeupdate

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/kmskit/kms"
)

func TestSnapshotDifferences(t *testing.T) {
	a := xksSnap(kms.ConnectionStateTypeConnected)
	assert.Empty(t, a.differences(a))
	b := a
	b.state, b.accessKeyID, b.path = kms.ConnectionStateTypeFailed, newSecret("AKIAOTHEROTHEROTHER2"), "/o/kms/xks/v1"
	d := a.differences(b)
	assert.Equal(t, []string{
		`ConnectionState: "CONNECTED" → "FAILED"`,
		"XksProxyConfiguration.AccessKeyId changed",
		`XksProxyConfiguration.UriPath: "/kms/xks/v1" → "/o/kms/xks/v1"`,
	}, d)
	err := &StalePlanError{CustomKeyStoreId: a.id, Differences: d}
	assert.True(t, errors.Is(err, ErrStalePlan))
	assert.NotContains(t, err.Error(), "AKIA")
}
