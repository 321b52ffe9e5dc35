package kmstest_test

import (
	"encoding/json"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kmskit/kms/kmstest"
)

// TestCallsRecordInputsWithSecretsRedacted: each call is recorded with its
// target, decoded input (secrets redacted) and outcome.
func TestCallsRecordInputsWithSecretsRedacted(t *testing.T) {
	srv := newWorld(t)
	r1 := update(t, srv, m{"CustomKeyStoreId": hsmDisconnected, "KeyStorePassword": "hunter2-password"})
	r2 := update(t, srv, m{"CustomKeyStoreId": xksPublic, "XksProxyAuthenticationCredential": cred(akidNew, secretNew)})
	r3 := sendRaw(t, srv, "TrentService.ListKeys", `{"Limit":10}`)
	r4 := sendRaw(t, srv, kmstest.TargetUpdateCustomKeyStore, `{"XksProxyAuthenticationCredential":"`+secretNew+`"}`)
	r5 := sendRaw(t, srv, kmstest.TargetUpdateCustomKeyStore, `{broken`)

	calls := srv.Calls()
	require.Len(t, calls, 5)

	assert.Equal(t, kmstest.Call{RequestID: r1.RequestID, Target: kmstest.TargetUpdateCustomKeyStore,
		Input: m{"CustomKeyStoreId": hsmDisconnected, "KeyStorePassword": kmstest.Redacted}, Status: 200}, calls[0])

	assert.Equal(t, r2.RequestID, calls[1].RequestID)
	assert.Equal(t, m{"CustomKeyStoreId": xksPublic, "XksProxyAuthenticationCredential": m{
		"AccessKeyId": kmstest.Redacted, "RawSecretAccessKey": kmstest.Redacted}}, calls[1].Input)
	assert.Equal(t, kmstest.CodeXksProxyIncorrectAuthenticationCredential, calls[1].Code)
	assert.Equal(t, 400, calls[1].Status)
	assert.NotEmpty(t, calls[1].Message)

	assert.Equal(t, "TrentService.ListKeys", calls[2].Target)
	assert.Equal(t, kmstest.CodeUnknownOperation, calls[2].Code)
	assert.Equal(t, r3.RequestID, calls[2].RequestID)

	assert.Equal(t, kmstest.Redacted, calls[3].Input["XksProxyAuthenticationCredential"])
	assert.Equal(t, r4.RequestID, calls[3].RequestID)

	assert.Nil(t, calls[4].Input)
	assert.Equal(t, kmstest.CodeSerialization, calls[4].Code)
	assert.Equal(t, r5.RequestID, calls[4].RequestID)

	all, err := json.Marshal(calls)
	require.NoError(t, err)
	assert.NotContains(t, string(all), "hunter2-password")
	assert.NotContains(t, string(all), secretNew)

	srv.ResetCalls()
	assert.Empty(t, srv.Calls())
}

// TestCallHook: the hook sees every call, as Calls records it.
func TestCallHook(t *testing.T) {
	var mu sync.Mutex
	var seen []kmstest.Call
	srv := newWorld(t, kmstest.WithCallHook(func(c kmstest.Call) {
		mu.Lock()
		defer mu.Unlock()
		seen = append(seen, c)
	}))
	update(t, srv, m{"CustomKeyStoreId": hsmConnected, "NewCustomKeyStoreName": "hooked"})
	update(t, srv, m{"CustomKeyStoreId": "cks-nope"})
	mu.Lock()
	defer mu.Unlock()
	assert.Equal(t, srv.Calls(), seen)
	require.Len(t, seen, 2)
	assert.Equal(t, kmstest.CodeCustomKeyStoreNotFound, seen[1].Code)
}
