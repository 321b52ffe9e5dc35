package kms

import (
	"errors"
	"fmt"
	"testing"

	"github.com/aws/smithy-go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDisconnectRequiredFields(t *testing.T) {
	tests := []struct {
		name string
		in   *UpdateCustomKeyStoreInput
		want []string
	}{
		{name: "nil input", in: nil},
		{name: "id only", in: &UpdateCustomKeyStoreInput{CustomKeyStoreId: stringPointer(validStoreID)}},
		{name: "changes allowed while connected", in: &UpdateCustomKeyStoreInput{
			CustomKeyStoreId: stringPointer(validStoreID), NewCustomKeyStoreName: stringPointer(validName),
			XksProxyAuthenticationCredential: credentialOf(stringPointer(validAccessKeyID), stringPointer(validSecretAccessKey)), XksProxyUriPath: stringPointer(validPath),
		}},
		{name: "CloudHsmClusterId", in: withClusterID(validClusterID), want: []string{fieldCloudHsmClusterID}},
		{name: "KeyStorePassword", in: withPassword(validPassword), want: []string{fieldKeyStorePassword}},
		{name: "XksProxyConnectivity", in: inputWith(func(in *UpdateCustomKeyStoreInput) {
			in.XksProxyConnectivity = XksProxyConnectivityTypePublicEndpoint
		}), want: []string{fieldXksConnectivity}},
		{name: "XksProxyUriEndpoint", in: withEndpoint(validEndpoint), want: []string{fieldXksURIEndpoint}},
		{name: "XksProxyVpcEndpointServiceName", in: withServiceName(validServiceName), want: []string{fieldXksVpcServiceName}},
		{name: `XksProxyVpcEndpointServiceName ""`, in: withServiceName(""), want: []string{fieldXksVpcServiceName}},
		{name: "XksProxyVpcEndpointServiceOwner", in: withServiceOwner(validServiceOwner), want: []string{fieldXksVpcServiceOwner}},
		{name: "CloudHSM password and cluster", in: &UpdateCustomKeyStoreInput{
			CustomKeyStoreId: stringPointer(validStoreID), KeyStorePassword: stringPointer(validPassword), CloudHsmClusterId: stringPointer(validClusterID),
			NewCustomKeyStoreName: stringPointer(validName),
		}, want: []string{fieldCloudHsmClusterID, fieldKeyStorePassword}},
		{name: "XKS full", in: fullExternalInput(), want: []string{
			fieldXksConnectivity, fieldXksURIEndpoint, fieldXksVpcServiceName, fieldXksVpcServiceOwner,
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, tc.in.DisconnectRequiredFields())
			assert.Equal(t, len(tc.want) > 0, tc.in.RequiresDisconnect())
		})
	}
}

func TestWithStateAdvice(t *testing.T) {
	invalidState := func() error {
		return &APIError{Code: "CustomKeyStoreInvalidStateException", Message: "store is connected", RequestID: "req-1", StatusCode: 400}
	}
	const sequence = "call DisconnectCustomKeyStore, then UpdateCustomKeyStore, then ConnectCustomKeyStore"
	tests := []struct {
		name         string
		in           *UpdateCustomKeyStoreInput
		err          error
		wantContains []string // nil: err must come back unchanged
	}{
		{name: "nil error", in: fullExternalInput(), err: nil},
		{name: "other API error", in: fullExternalInput(), err: &APIError{Code: "CustomKeyStoreNotFoundException", StatusCode: 400}},
		{name: "plain error", in: fullExternalInput(), err: errors.New("connection reset")},
		{name: "sentinel of another code", in: fullExternalInput(), err: fmt.Errorf("wrapped: %w", ErrCustomKeyStoreNameInUse)},
		{name: "CloudHSM members", in: &UpdateCustomKeyStoreInput{
			CustomKeyStoreId: stringPointer(validStoreID), KeyStorePassword: stringPointer(validPassword), CloudHsmClusterId: stringPointer(validClusterID),
		}, err: invalidState(), wantContains: []string{
			"kms: CustomKeyStoreInvalidStateException: store is connected (status 400) (request id req-1); ",
			"this update sends CloudHsmClusterId, KeyStorePassword, which KMS changes only while the custom key store is DISCONNECTED",
			sequence,
		}},
		{name: "XKS members", in: fullExternalInput(), err: invalidState(), wantContains: []string{
			"this update sends XksProxyConnectivity, XksProxyUriEndpoint, XksProxyVpcEndpointServiceName, XksProxyVpcEndpointServiceOwner, which",
			sequence,
		}},
		{name: "wrapped API error", in: withServiceOwner(validServiceOwner), err: fmt.Errorf("operation error KMS: UpdateCustomKeyStore: %w", invalidState()),
			wantContains: []string{"operation error KMS: UpdateCustomKeyStore: kms: CustomKeyStoreInvalidStateException", "this update sends XksProxyVpcEndpointServiceOwner, which", sequence}},
		{name: "only members allowed while connected", in: &UpdateCustomKeyStoreInput{
			CustomKeyStoreId: stringPointer(validStoreID), NewCustomKeyStoreName: stringPointer(validName), XksProxyUriPath: stringPointer(validPath),
		}, err: invalidState(), wantContains: []string{
			"this update sends only members that may change while the custom key store is CONNECTED or DISCONNECTED",
			"CONNECTING, DISCONNECTING or FAILED", "no update is possible until it settles", "DescribeCustomKeyStores",
		}},
		{name: "nil input", in: nil, err: invalidState(), wantContains: []string{"no update is possible until it settles"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := withStateAdvice(tc.in, tc.err)
			if tc.wantContains == nil {
				assert.True(t, got == tc.err, "error changed: %v", got) // the same value
				return
			}
			require.Error(t, got)
			assert.ErrorIs(t, got, ErrCustomKeyStoreInvalidState)
			assert.NotErrorIs(t, got, ErrCustomKeyStoreNotFound)
			var apiErr *APIError
			require.ErrorAs(t, got, &apiErr)
			assert.Equal(t, "CustomKeyStoreInvalidStateException", apiErr.Code)
			var smithyErr smithy.APIError
			require.ErrorAs(t, got, &smithyErr)
			assert.Equal(t, "CustomKeyStoreInvalidStateException", smithyErr.ErrorCode())
			for _, s := range tc.wantContains {
				assert.Contains(t, got.Error(), s)
			}
			// The advice names members, never values.
			if tc.in != nil && tc.in.KeyStorePassword != nil {
				assert.NotContains(t, got.Error(), *tc.in.KeyStorePassword)
			}
			// Advice is added once.
			assert.True(t, withStateAdvice(tc.in, got) == got)
		})
	}
}
