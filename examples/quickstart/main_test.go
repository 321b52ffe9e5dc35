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
	env, err := exampleenv.Open(exampleenv.Flags{Endpoint: &empty, Region: &empty, ID: &empty}, seed, kmstest.WithTransitionDelay(transitionDelay))
	require.NoError(t, err)
	defer env.Close()

	var out bytes.Buffer
	require.NoError(t, tour(context.Background(), &out, env.Client, env.Fake))
	for _, want := range []string{
		"cks-0fedcba9876543210  ExampleExternalStore   EXTERNAL_KEY_STORE DISCONNECTED",
		"ConnectionState FAILED, ConnectionErrorCode INVALID_CREDENTIALS",
		"errors.Is(err, kms.ErrCustomKeyStoreConnectionFailed) is true",
		"XksProxyAuthenticationCredential values is not valid",
		"ok: cks-0fedcba9876543210 is CONNECTED",
		`ok: the CloudHSM store is now named "Payments-HSM" and still CONNECTED`,
		"sent while CONNECTED: path.RequiresDisconnect() is false",
		"ok: Payments-XKS is CONNECTED at https://xks.example.com/tour/kms/xks/v1",
		"AccessKeyId:[REDACTED]",
		"errors.Is(err, kms.ErrCustomKeyStoreInvalidState) is true",
		"members that need DISCONNECTED: KeyStorePassword",
		"KeyStorePassword:[REDACTED]",
		"members at fault: KeyStorePassword, XksProxyAuthenticationCredential",
		"requests sent for it: 0",
	} {
		assert.Contains(t, out.String(), want)
	}
	for _, secret := range []string{"NewPassword2", newSecret, newKeyID} {
		assert.NotContains(t, out.String(), secret, "the tour must not print a secret")
	}

	hsm, ok := env.Fake.Store(hsmStoreID)
	require.True(t, ok)
	assert.Equal(t, "NewPassword2", hsm.KeyStorePassword)
	assert.Equal(t, kmstest.StateConnected, hsm.ConnectionState)
	assert.Equal(t, "Payments-HSM", hsm.CustomKeyStoreName)
	xks, ok := env.Fake.Store(xksStoreID)
	require.True(t, ok)
	assert.Equal(t, kmstest.StateConnected, xks.ConnectionState)
	assert.Equal(t, newKeyID, xks.XksProxyConfiguration.AccessKeyId)
	assert.Equal(t, newPath, xks.XksProxyConfiguration.UriPath)
	assert.Equal(t, "Payments-XKS", xks.CustomKeyStoreName)

	// The external store is disconnected once, to fix its FAILED
	// connection (step 3); its path changes while CONNECTED.
	var disconnects int
	for _, c := range env.Fake.Calls() {
		if c.Target == kmstest.TargetDisconnectCustomKeyStore && c.Input["CustomKeyStoreId"] == xksStoreID {
			disconnects++
		}
	}
	assert.Equal(t, 1, disconnects, "DisconnectCustomKeyStore calls of the external store")
}
