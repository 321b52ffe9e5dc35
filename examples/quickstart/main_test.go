package main

import (
	"bytes"
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kmskit/kms/examples/internal/exampleenv"
	"github.com/kmskit/kms/kmstest"
)

func TestTour(t *testing.T) {
	empty := ""
	env, err := exampleenv.Open(exampleenv.Flags{Endpoint: &empty, Region: &empty, ID: &empty}, seed)
	require.NoError(t, err)
	defer env.Close()

	var out bytes.Buffer
	require.NoError(t, tour(context.Background(), &out, env.Client, env.Fake))
	for _, want := range []string{
		`ok: the store is now named "Payments-HSM"`,
		"errors.Is(err, kms.ErrCustomKeyStoreInvalidState) is true",
		"members that need DISCONNECTED: KeyStorePassword",
		"ok: connectivity VPC_ENDPOINT_SERVICE",
		"requests sent for it: 0",
		"KeyStorePassword:[REDACTED]",
	} {
		assert.Contains(t, out.String(), want)
	}
	assert.NotContains(t, out.String(), "NewPassword2", "the tour must not print the password")
	assert.NotContains(t, out.String(), newSecret, "the tour must not print the XKS secret")

	hsm, ok := env.Fake.Store(hsmStoreID)
	require.True(t, ok)
	assert.Equal(t, "NewPassword2", hsm.KeyStorePassword)
	assert.Equal(t, kmstest.StateConnected, hsm.ConnectionState)
	xks, ok := env.Fake.Store(xksStoreID)
	require.True(t, ok)
	assert.Equal(t, newKeyID, xks.XksProxyConfiguration.AccessKeyId)
	assert.Equal(t, privateURL, xks.XksProxyConfiguration.UriEndpoint)
}
