package safeupdate

import (
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kmskit/kms"
	"github.com/kmskit/kms/internal/kmsmodel"
)

func sp(s string) *string { return &s }

func xksSnap(state kms.ConnectionStateType) storeSnapshot {
	return storeSnapshot{
		id: "cks-1234567890abcdef0", name: "xks", typ: kms.CustomKeyStoreTypeExternalKeyStore, state: state,
		accessKeyID: newSecret("AKIAOLDOLDOLDOLDOLD2"), connectivity: kms.XksProxyConnectivityTypePublicEndpoint,
		endpoint: "https://xks.example.com", path: "/kms/xks/v1",
	}
}

func hsmSnap(state kms.ConnectionStateType) storeSnapshot {
	return storeSnapshot{id: "cks-1234567890abcdef1", name: "hsm", typ: kms.CustomKeyStoreTypeAwsCloudhsm, state: state, cluster: "cluster-abcdefghijk"}
}

func actions(steps []Step) []StepAction {
	var out []StepAction
	for _, s := range steps {
		out = append(out, s.Action)
	}
	return out
}

func TestPlanSteps(t *testing.T) {
	id := sp("cks-1234567890abcdef0")
	rename := &kms.UpdateCustomKeyStoreInput{CustomKeyStoreId: id, NewCustomKeyStoreName: sp("new")}
	path := &kms.UpdateCustomKeyStoreInput{CustomKeyStoreId: id, XksProxyUriPath: sp("/p/kms/xks/v1")}
	endpoint := &kms.UpdateCustomKeyStoreInput{CustomKeyStoreId: id, XksProxyUriEndpoint: sp("https://other.example.com")}
	full := []StepAction{StepDisconnect, StepWaitDisconnected, StepUpdate, StepConnect, StepWaitConnected}
	tests := []struct {
		name  string
		state kms.ConnectionStateType
		in    *kms.UpdateCustomKeyStoreInput
		allow bool
		want  []StepAction
		err   error
	}{
		{"rename connected", kms.ConnectionStateTypeConnected, rename, false, []StepAction{StepUpdate}, nil},
		{"path connected", kms.ConnectionStateTypeConnected, path, false, []StepAction{StepUpdate}, nil},
		{"endpoint connected allowed", kms.ConnectionStateTypeConnected, endpoint, true, full, nil},
		{"endpoint connected refused", kms.ConnectionStateTypeConnected, endpoint, false, nil, ErrDisconnectNotAllowed},
		{"endpoint connecting allowed", kms.ConnectionStateTypeConnecting, endpoint, true, full, nil},
		{"endpoint connecting refused", kms.ConnectionStateTypeConnecting, endpoint, false, nil, ErrDisconnectNotAllowed},
		{"rename connecting waits", kms.ConnectionStateTypeConnecting, rename, false, []StepAction{StepWaitConnected, StepUpdate}, nil},
		{"endpoint disconnected", kms.ConnectionStateTypeDisconnected, endpoint, false, []StepAction{StepUpdate}, nil},
		{"endpoint disconnecting", kms.ConnectionStateTypeDisconnecting, endpoint, false, []StepAction{StepWaitDisconnected, StepUpdate}, nil},
		{"rename failed disconnects first without AllowDisconnect", kms.ConnectionStateTypeFailed, rename, false,
			[]StepAction{StepDisconnect, StepWaitDisconnected, StepUpdate}, nil},
		{"nothing to send", kms.ConnectionStateTypeConnected, &kms.UpdateCustomKeyStoreInput{CustomKeyStoreId: id}, false, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			steps, atUpdate, err := planSteps(xksSnap(tt.state), tt.in, tt.allow)
			if tt.err != nil {
				require.ErrorIs(t, err, tt.err)
				var dn *DisconnectNotAllowedError
				require.ErrorAs(t, err, &dn)
				assert.Equal(t, []string{"XksProxyUriEndpoint"}, dn.Members)
				assert.Contains(t, err.Error(), "XksProxyUriEndpoint")
				assert.Contains(t, err.Error(), "AllowDisconnect")
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, actions(steps))
			wantAt := kms.ConnectionStateTypeConnected
			if slices.Contains(tt.want, StepWaitDisconnected) || tt.state == kms.ConnectionStateTypeDisconnected {
				wantAt = kms.ConnectionStateTypeDisconnected
			}
			if len(tt.want) > 0 {
				assert.Equal(t, wantAt, atUpdate, "the state the update is sent in")
			}
			for _, s := range steps {
				if s.Action == StepUpdate {
					assert.Equal(t, tt.in.String(), s.Input.String())
					assert.NotSame(t, tt.in, s.Input, "the plan keeps its own copy")
				}
			}
		})
	}
	t.Run("unknown state", func(t *testing.T) {
		_, _, err := planSteps(xksSnap("SOMETHING_NEW"), rename, true)
		require.ErrorContains(t, err, "SOMETHING_NEW")
	})
	t.Run("password needs disconnect", func(t *testing.T) {
		in := &kms.UpdateCustomKeyStoreInput{CustomKeyStoreId: id, KeyStorePassword: sp("secret-pw-1"), NewCustomKeyStoreName: sp("n")}
		_, _, err := planSteps(hsmSnap(kms.ConnectionStateTypeConnected), in, false)
		var dn *DisconnectNotAllowedError
		require.ErrorAs(t, err, &dn)
		assert.Equal(t, []string{"KeyStorePassword"}, dn.Members)
		assert.NotContains(t, err.Error(), "secret-pw-1")
	})
}

// checkStoreType is the store-type rule as Plan reports it.
func checkStoreType(s storeSnapshot, in *kms.UpdateCustomKeyStoreInput) error {
	res := kmsmodel.CheckUpdate(s.rules(), nil, updateMembers(in))
	if res.Refusal == nil {
		return nil
	}
	return refusal(s, res.Refusal, nil)
}

func TestCheckStoreType(t *testing.T) {
	id := sp("cks-1234567890abcdef0")
	require.NoError(t, checkStoreType(xksSnap(kms.ConnectionStateTypeConnected), &kms.UpdateCustomKeyStoreInput{CustomKeyStoreId: id, NewCustomKeyStoreName: sp("n")}))
	err := checkStoreType(xksSnap(kms.ConnectionStateTypeConnected), &kms.UpdateCustomKeyStoreInput{CustomKeyStoreId: id, KeyStorePassword: sp("pw-secret-9")})
	require.ErrorContains(t, err, "KeyStorePassword: cannot be used with a custom key store whose CustomKeyStoreType is EXTERNAL_KEY_STORE")
	assert.NotContains(t, err.Error(), "pw-secret-9")
	var ve *kms.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, []string{"KeyStorePassword"}, ve.Fields())
	err = checkStoreType(hsmSnap(kms.ConnectionStateTypeConnected), &kms.UpdateCustomKeyStoreInput{CustomKeyStoreId: id, XksProxyUriPath: sp("/kms/xks/v1"), XksProxyUriEndpoint: sp("https://x.example.com"), NewCustomKeyStoreName: sp("n")})
	require.ErrorContains(t, err, "XksProxyUriPath: cannot be used")
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, []string{"XksProxyUriEndpoint", "XksProxyUriPath"}, ve.Fields())
	assert.True(t, definite(err), "a store-type error proves nothing was sent")
}

func TestPlannedChangesAndString(t *testing.T) {
	id := sp("cks-1234567890abcdef0")
	secret := strings.Repeat("S", 43)
	in := &kms.UpdateCustomKeyStoreInput{
		CustomKeyStoreId:                 id,
		NewCustomKeyStoreName:            sp("renamed"),
		XksProxyAuthenticationCredential: &kms.XksProxyAuthenticationCredentialType{AccessKeyId: sp("AKIANEWNEWNEWNEWNEW2"), RawSecretAccessKey: &secret},
		XksProxyUriEndpoint:              sp("https://xks.example.com"),
	}
	s := xksSnap(kms.ConnectionStateTypeConnected)
	changes := plannedChanges(s, in)
	require.Len(t, changes, 3)
	assert.Equal(t, Change{Member: "NewCustomKeyStoreName", From: "xks", To: "renamed"}, changes[0])
	assert.Equal(t, Change{Member: "XksProxyAuthenticationCredential", Secret: true}, changes[1])
	assert.Equal(t, Change{Member: "XksProxyUriEndpoint", From: "https://xks.example.com", To: "https://xks.example.com", Same: true, NeedsDisconnect: true}, changes[2])

	steps, _, err := planSteps(s, in, true)
	require.NoError(t, err)
	p := &Plan{Input: in, Changes: changes, Steps: steps, snap: s, Warnings: []string{"w1"}}
	out := p.String()
	for _, want := range []string{
		`Custom key store cks-1234567890abcdef0 "xks" (EXTERNAL_KEY_STORE) is CONNECTED`,
		`NewCustomKeyStoreName: "xks" → "renamed"`,
		"XksProxyAuthenticationCredential: changed",
		`XksProxyUriEndpoint: "https://xks.example.com" (unchanged) [needs DISCONNECTED]`,
		"1. DisconnectCustomKeyStore",
		"5. WaitUntilConnected",
		"- w1",
	} {
		assert.Contains(t, out, want)
	}
	for _, secretText := range []string{secret, "AKIANEWNEWNEWNEWNEW2", "AKIAOLDOLDOLDOLDOLD2"} {
		assert.NotContains(t, out, secretText)
	}
}
