package exampleenv

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kmskit/kms/kmstest"
)

func TestOpenRealEndpointNeedsRegionIDAndCredentials(t *testing.T) {
	s := func(v string) *string { return &v }
	noSeed := func(*kmstest.Server) (string, error) { t.Error("a real endpoint must not seed a fake"); return "", nil }

	_, err := Open(Flags{Endpoint: s("https://kms.us-east-1.amazonaws.com"), Region: s(""), ID: s("cks-1")}, noSeed)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "-region")

	t.Setenv("AWS_ACCESS_KEY_ID", "")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "")
	_, err = Open(Flags{Endpoint: s("https://kms.us-east-1.amazonaws.com"), Region: s("us-east-1"), ID: s("cks-1")}, noSeed)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "AWS_ACCESS_KEY_ID")

	t.Setenv("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "secret")
	env, err := Open(Flags{Endpoint: s("https://kms.us-east-1.amazonaws.com"), Region: s("us-east-1"), ID: s("cks-1")}, noSeed)
	require.NoError(t, err)
	assert.True(t, env.Real)
	assert.Nil(t, env.Fake)
	assert.Equal(t, "cks-1", env.StoreID)
	assert.Equal(t, "us-east-1", env.Client.Options().Region)
}

func TestOpenFakeByDefault(t *testing.T) {
	s := func(v string) *string { return &v }
	env, err := Open(Flags{Endpoint: s(""), Region: s(""), ID: s("")}, func(srv *kmstest.Server) (string, error) {
		return "cks-seeded", nil
	})
	require.NoError(t, err)
	defer env.Close()
	assert.False(t, env.Real)
	require.NotNil(t, env.Fake)
	assert.Equal(t, "cks-seeded", env.StoreID)

	_, err = Open(Flags{Endpoint: s(""), Region: s(""), ID: s("")}, func(*kmstest.Server) (string, error) {
		return "", errors.New("boom")
	})
	assert.ErrorContains(t, err, "boom")
}
