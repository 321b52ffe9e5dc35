package kmstest_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/kmskit/kms/internal/kmsmodel"
	"github.com/kmskit/kms/kmstest"
)

// Every documented exception has a scenario: see
// TestKmstestScenarioEachDocumentedException in scenarios_test.go, which
// provokes each one through kms.Client.

// TestExceptionStatuses checks the codes and HTTP statuses the fake uses
// against the model.
func TestExceptionStatuses(t *testing.T) {
	assert.Len(t, kmstest.DocumentedCodes(), 17)
	assert.ElementsMatch(t, kmsmodel.UpdateCustomKeyStore.Errors, kmstest.DocumentedCodes())
	assert.Len(t, kmstest.AllDocumentedCodes(), 22)
	for _, code := range kmstest.AllDocumentedCodes() {
		e, ok := kmsmodel.ExceptionFor(code)
		assert.True(t, ok, code)
		assert.Equal(t, e.Status, kmstest.StatusFor(code), code)
	}
	assert.Equal(t, 500, kmstest.StatusFor(kmstest.CodeKMSInternal))
	assert.Equal(t, 400, kmstest.StatusFor(kmstest.CodeCustomKeyStoreHasCMKs))
	assert.Equal(t, 503, kmstest.StatusFor(kmstest.CodeServiceUnavailable))
}
