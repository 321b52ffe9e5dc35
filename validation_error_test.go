package kms_test

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kmskit/kms"
)

func TestNewValidationError(t *testing.T) {
	problems := []kms.FieldProblem{
		{Field: "CustomKeyStoreType", Reason: "must be EXTERNAL_KEY_STORE"},
		{Field: "CustomKeyStoreName", Reason: "is in use"},
	}
	ve := kms.NewValidationError("CreateCustomKeyStoreInput", problems...)
	var err error = ve
	var got *kms.ValidationError
	require.True(t, errors.As(err, &got))
	assert.Equal(t, "kms: invalid CreateCustomKeyStoreInput: CustomKeyStoreType: must be EXTERNAL_KEY_STORE; CustomKeyStoreName: is in use", err.Error())
	assert.Equal(t, []string{"CustomKeyStoreName", "CustomKeyStoreType"}, ve.Fields(), "member order of CreateCustomKeyStoreInput")
	assert.Equal(t, problems, ve.Problems())

	problems[0].Reason = "changed"
	assert.Equal(t, "must be EXTERNAL_KEY_STORE", ve.Problems()[0].Reason, "the error keeps its own copy")

	other := kms.NewValidationError("NoSuchInput", kms.FieldProblem{Field: "XksProxyUriPath", Reason: "r"})
	assert.Equal(t, "kms: invalid UpdateCustomKeyStoreInput: XksProxyUriPath: r", other.Error(), "an unknown input name means UpdateCustomKeyStoreInput")
}
