package kms

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func sp(s string) *string { return &s }

func xksSnap(state ConnectionStateType) storeSnapshot {
	return storeSnapshot{
		id: "cks-1234567890abcdef0", name: "xks", typ: CustomKeyStoreTypeExternalKeyStore, state: state,
		accessKeyID: "AKIAOLDOLDOLDOLDOLD2", connectivity: XksProxyConnectivityTypePublicEndpoint,
		endpoint: "https://xks.example.com", path: "/kms/xks/v1",
	}
}

func hsmSnap(state ConnectionStateType) storeSnapshot {
	return storeSnapshot{id: "cks-1234567890abcdef1", name: "hsm", typ: CustomKeyStoreTypeAwsCloudhsm, state: state, cluster: "cluster-abcdefghijk"}
}

func actions(steps []PlanStep) []StepAction {
	var out []StepAction
	for _, s := range steps {
		out = append(out, s.Action)
	}
	return out
}

func TestPlanSteps(t *testing.T) {
	id := sp("cks-1234567890abcdef0")
	rename := &UpdateCustomKeyStoreInput{CustomKeyStoreId: id, NewCustomKeyStoreName: sp("new")}
	path := &UpdateCustomKeyStoreInput{CustomKeyStoreId: id, XksProxyUriPath: sp("/p/kms/xks/v1")}
	endpoint := &UpdateCustomKeyStoreInput{CustomKeyStoreId: id, XksProxyUriEndpoint: sp("https://other.example.com")}
	full := []StepAction{StepDisconnect, StepWaitDisconnected, StepUpdate, StepConnect, StepWaitConnected}
	tests := []struct {
		name  string
		state ConnectionStateType
		in    *UpdateCustomKeyStoreInput
		allow bool
		want  []StepAction
		err   error
	}{
		{"rename connected", ConnectionStateTypeConnected, rename, false, []StepAction{StepUpdate}, nil},
		{"path connected", ConnectionStateTypeConnected, path, false, []StepAction{StepUpdate}, nil},
		{"endpoint connected allowed", ConnectionStateTypeConnected, endpoint, true, full, nil},
		{"endpoint connected refused", ConnectionStateTypeConnected, endpoint, false, nil, ErrDisconnectNotAllowed},
		{"endpoint connecting allowed", ConnectionStateTypeConnecting, endpoint, true, full, nil},
		{"endpoint connecting refused", ConnectionStateTypeConnecting, endpoint, false, nil, ErrDisconnectNotAllowed},
		{"rename connecting waits", ConnectionStateTypeConnecting, rename, false, []StepAction{StepWaitConnected, StepUpdate}, nil},
		{"endpoint disconnected", ConnectionStateTypeDisconnected, endpoint, false, []StepAction{StepUpdate}, nil},
		{"endpoint disconnecting", ConnectionStateTypeDisconnecting, endpoint, false, []StepAction{StepWaitDisconnected, StepUpdate}, nil},
		{"rename failed disconnects first without AllowDisconnect", ConnectionStateTypeFailed, rename, false,
			[]StepAction{StepDisconnect, StepWaitDisconnected, StepUpdate}, nil},
		{"nothing to send", ConnectionStateTypeConnected, &UpdateCustomKeyStoreInput{CustomKeyStoreId: id}, false, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			steps, err := planSteps(xksSnap(tt.state), tt.in, tt.allow)
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
			for _, s := range steps {
				if s.Action == StepUpdate {
					assert.Equal(t, tt.in.String(), s.Input.String())
					assert.NotSame(t, tt.in, s.Input, "the plan keeps its own copy")
				}
			}
		})
	}
	t.Run("unknown state", func(t *testing.T) {
		_, err := planSteps(xksSnap("SOMETHING_NEW"), rename, true)
		require.ErrorContains(t, err, "SOMETHING_NEW")
	})
	t.Run("password needs disconnect", func(t *testing.T) {
		in := &UpdateCustomKeyStoreInput{CustomKeyStoreId: id, KeyStorePassword: sp("secret-pw-1"), NewCustomKeyStoreName: sp("n")}
		_, err := planSteps(hsmSnap(ConnectionStateTypeConnected), in, false)
		var dn *DisconnectNotAllowedError
		require.ErrorAs(t, err, &dn)
		assert.Equal(t, []string{"KeyStorePassword"}, dn.Members)
		assert.NotContains(t, err.Error(), "secret-pw-1")
	})
}

func TestCheckStoreType(t *testing.T) {
	id := sp("cks-1234567890abcdef0")
	require.NoError(t, checkStoreType(xksSnap(ConnectionStateTypeConnected), &UpdateCustomKeyStoreInput{CustomKeyStoreId: id, NewCustomKeyStoreName: sp("n")}))
	err := checkStoreType(xksSnap(ConnectionStateTypeConnected), &UpdateCustomKeyStoreInput{CustomKeyStoreId: id, KeyStorePassword: sp("pw-secret-9")})
	require.ErrorContains(t, err, "KeyStorePassword: cannot be used with a custom key store whose CustomKeyStoreType is EXTERNAL_KEY_STORE")
	assert.NotContains(t, err.Error(), "pw-secret-9")
	var ve *ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, []string{"KeyStorePassword"}, ve.Fields())
	err = checkStoreType(hsmSnap(ConnectionStateTypeConnected), &UpdateCustomKeyStoreInput{CustomKeyStoreId: id, XksProxyUriPath: sp("/kms/xks/v1"), XksProxyUriEndpoint: sp("https://x.example.com"), NewCustomKeyStoreName: sp("n")})
	require.ErrorContains(t, err, "XksProxyUriPath: cannot be used")
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, []string{"XksProxyUriEndpoint", "XksProxyUriPath"}, ve.Fields())
	assert.True(t, definitelyRejected(err), "a store-type error proves nothing was sent")
}

func TestRollbackInput(t *testing.T) {
	id := sp("cks-1234567890abcdef0")
	prevCred := &XksProxyAuthenticationCredentialType{AccessKeyId: sp("AKIAOLDOLDOLDOLDOLD2"), RawSecretAccessKey: sp(strings.Repeat("o", 43))}
	newCred := &XksProxyAuthenticationCredentialType{AccessKeyId: sp("AKIANEWNEWNEWNEWNEW2"), RawSecretAccessKey: sp(strings.Repeat("n", 43))}

	t.Run("endpoint and path", func(t *testing.T) {
		in := &UpdateCustomKeyStoreInput{CustomKeyStoreId: id, XksProxyUriEndpoint: sp("https://b.example.com"), XksProxyUriPath: sp("/x/kms/xks/v1")}
		rb, restored, not := rollbackInput(xksSnap(ConnectionStateTypeConnected), in, nil, nil)
		require.NotNil(t, rb)
		assert.Equal(t, "https://xks.example.com", *rb.XksProxyUriEndpoint)
		assert.Equal(t, "/kms/xks/v1", *rb.XksProxyUriPath)
		assert.Equal(t, []string{"XksProxyUriEndpoint", "XksProxyUriPath"}, restored)
		assert.Empty(t, not)
		require.NoError(t, rb.Validate())
	})
	t.Run("credential only with the previous one", func(t *testing.T) {
		in := &UpdateCustomKeyStoreInput{CustomKeyStoreId: id, XksProxyAuthenticationCredential: newCred}
		rb, restored, not := rollbackInput(xksSnap(ConnectionStateTypeConnected), in, nil, nil)
		assert.Nil(t, rb)
		assert.Empty(t, restored)
		assert.Equal(t, []string{"XksProxyAuthenticationCredential"}, not)

		rb, restored, not = rollbackInput(xksSnap(ConnectionStateTypeConnected), in, nil, prevCred)
		require.NotNil(t, rb)
		assert.Equal(t, "AKIAOLDOLDOLDOLDOLD2", *rb.XksProxyAuthenticationCredential.AccessKeyId)
		assert.Equal(t, []string{"XksProxyAuthenticationCredential"}, restored)
		assert.Empty(t, not)

		// A "previous" credential the store never held is not restored.
		other := &XksProxyAuthenticationCredentialType{AccessKeyId: sp("AKIAOTHEROTHEROTHER2"), RawSecretAccessKey: sp(strings.Repeat("x", 43))}
		rb, restored, not = rollbackInput(xksSnap(ConnectionStateTypeConnected), in, nil, other)
		assert.Nil(t, rb)
		assert.Empty(t, restored)
		assert.Equal(t, []string{"XksProxyAuthenticationCredential"}, not)
	})
	t.Run("password only with the previous one", func(t *testing.T) {
		in := &UpdateCustomKeyStoreInput{CustomKeyStoreId: id, KeyStorePassword: sp("wrong-pass"), NewCustomKeyStoreName: sp("renamed")}
		rb, restored, not := rollbackInput(hsmSnap(ConnectionStateTypeConnected), in, nil, nil)
		require.NotNil(t, rb)
		assert.Nil(t, rb.KeyStorePassword)
		assert.Equal(t, "hsm", *rb.NewCustomKeyStoreName)
		assert.Equal(t, []string{"NewCustomKeyStoreName"}, restored)
		assert.Equal(t, []string{"KeyStorePassword"}, not)

		rb, restored, _ = rollbackInput(hsmSnap(ConnectionStateTypeConnected), in, sp("right-pass"), nil)
		assert.Equal(t, "right-pass", *rb.KeyStorePassword)
		assert.Equal(t, []string{"NewCustomKeyStoreName", "KeyStorePassword"}, restored)
	})
	t.Run("connectivity back to VPC", func(t *testing.T) {
		s := xksSnap(ConnectionStateTypeConnected)
		s.connectivity = XksProxyConnectivityTypeVpcEndpointService
		s.endpoint, s.vpcName, s.vpcOwner = "https://vpce.example.com", "com.amazonaws.vpce.us-east-1.vpce-svc-0abc123def4567890", "111122223333"
		in := &UpdateCustomKeyStoreInput{CustomKeyStoreId: id, XksProxyConnectivity: XksProxyConnectivityTypePublicEndpoint,
			XksProxyUriEndpoint: sp("https://public.example.com"), XksProxyVpcEndpointServiceName: sp("")}
		rb, restored, _ := rollbackInput(s, in, nil, nil)
		require.NotNil(t, rb)
		assert.Equal(t, XksProxyConnectivityTypeVpcEndpointService, rb.XksProxyConnectivity)
		assert.Equal(t, s.endpoint, *rb.XksProxyUriEndpoint)
		assert.Equal(t, s.vpcName, *rb.XksProxyVpcEndpointServiceName)
		assert.Equal(t, s.vpcOwner, *rb.XksProxyVpcEndpointServiceOwner)
		assert.Equal(t, []string{"XksProxyConnectivity", "XksProxyUriEndpoint", "XksProxyVpcEndpointServiceName", "XksProxyVpcEndpointServiceOwner"}, restored)
		require.NoError(t, rb.Validate())
	})
	t.Run("connectivity back to public", func(t *testing.T) {
		s := xksSnap(ConnectionStateTypeConnected)
		in := &UpdateCustomKeyStoreInput{CustomKeyStoreId: id, XksProxyConnectivity: XksProxyConnectivityTypeVpcEndpointService,
			XksProxyUriEndpoint: sp("https://vpce.example.com"), XksProxyVpcEndpointServiceName: sp("com.amazonaws.vpce.us-east-1.vpce-svc-0abc123def4567890")}
		rb, _, _ := rollbackInput(s, in, nil, nil)
		require.NotNil(t, rb)
		assert.Equal(t, XksProxyConnectivityTypePublicEndpoint, rb.XksProxyConnectivity)
		assert.Nil(t, rb.XksProxyVpcEndpointServiceName)
		require.NoError(t, rb.Validate())
	})
	t.Run("unchanged values are not sent back", func(t *testing.T) {
		in := &UpdateCustomKeyStoreInput{CustomKeyStoreId: id, XksProxyUriPath: sp("/kms/xks/v1")}
		rb, restored, not := rollbackInput(xksSnap(ConnectionStateTypeConnected), in, nil, nil)
		assert.Nil(t, rb)
		assert.Empty(t, restored)
		assert.Empty(t, not)
	})
}

func TestPlannedChangesAndString(t *testing.T) {
	id := sp("cks-1234567890abcdef0")
	secret := strings.Repeat("S", 43)
	in := &UpdateCustomKeyStoreInput{
		CustomKeyStoreId:                 id,
		NewCustomKeyStoreName:            sp("renamed"),
		XksProxyAuthenticationCredential: &XksProxyAuthenticationCredentialType{AccessKeyId: sp("AKIANEWNEWNEWNEWNEW2"), RawSecretAccessKey: &secret},
		XksProxyUriEndpoint:              sp("https://xks.example.com"),
	}
	s := xksSnap(ConnectionStateTypeConnected)
	changes := plannedChanges(s, in)
	require.Len(t, changes, 3)
	assert.Equal(t, PlannedChange{Member: "NewCustomKeyStoreName", From: "xks", To: "renamed"}, changes[0])
	assert.Equal(t, PlannedChange{Member: "XksProxyAuthenticationCredential", Secret: true}, changes[1])
	assert.Equal(t, PlannedChange{Member: "XksProxyUriEndpoint", From: "https://xks.example.com", To: "https://xks.example.com", Same: true, NeedsDisconnect: true}, changes[2])

	steps, err := planSteps(s, in, true)
	require.NoError(t, err)
	p := &UpdatePlan{Input: in, Changes: changes, Steps: steps, snap: s, Warnings: []string{"w1"}}
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

func TestSnapshotDifferences(t *testing.T) {
	a := xksSnap(ConnectionStateTypeConnected)
	assert.Empty(t, a.differences(a))
	b := a
	b.state, b.accessKeyID, b.path = ConnectionStateTypeFailed, "AKIAOTHEROTHEROTHER2", "/o/kms/xks/v1"
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

func TestSettled(t *testing.T) {
	assert.True(t, settled(ConnectionStateTypeConnecting, ConnectionStateTypeConnected))
	assert.True(t, settled(ConnectionStateTypeDisconnecting, ConnectionStateTypeDisconnected))
	assert.False(t, settled(ConnectionStateTypeConnected, ConnectionStateTypeDisconnected))
	assert.False(t, settled(ConnectionStateTypeConnecting, ConnectionStateTypeFailed))
	assert.False(t, settled(ConnectionStateTypeConnected, ConnectionStateTypeConnected))
}
