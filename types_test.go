package kms_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/kmskit/kms"
)

// TestLifecycleEnumConstants: every value the model knows has its
// constant, spelled as aws-sdk-go-v2 spells it.
func TestLifecycleEnumConstants(t *testing.T) {
	assert.ElementsMatch(t, []kms.ConnectionErrorCodeType{
		kms.ConnectionErrorCodeTypeInvalidCredentials, kms.ConnectionErrorCodeTypeClusterNotFound,
		kms.ConnectionErrorCodeTypeNetworkErrors, kms.ConnectionErrorCodeTypeInternalError,
		kms.ConnectionErrorCodeTypeInsufficientCloudhsmHsms, kms.ConnectionErrorCodeTypeUserLockedOut,
		kms.ConnectionErrorCodeTypeUserNotFound, kms.ConnectionErrorCodeTypeUserLoggedIn,
		kms.ConnectionErrorCodeTypeSubnetNotFound, kms.ConnectionErrorCodeTypeInsufficientFreeAddressesInSubnet,
		kms.ConnectionErrorCodeTypeXksProxyAccessDenied, kms.ConnectionErrorCodeTypeXksProxyNotReachable,
		kms.ConnectionErrorCodeTypeXksVpcEndpointServiceNotFound, kms.ConnectionErrorCodeTypeXksProxyInvalidResponse,
		kms.ConnectionErrorCodeTypeXksProxyInvalidConfiguration, kms.ConnectionErrorCodeTypeXksVpcEndpointServiceInvalidConfiguration,
		kms.ConnectionErrorCodeTypeXksProxyTimedOut, kms.ConnectionErrorCodeTypeXksProxyInvalidTlsConfiguration,
	}, kms.ConnectionErrorCodeType("").Values())
	assert.Equal(t, kms.ConnectionErrorCodeType("XKS_PROXY_INVALID_TLS_CONFIGURATION"), kms.ConnectionErrorCodeTypeXksProxyInvalidTlsConfiguration)
	assert.ElementsMatch(t, []kms.ConnectionStateType{
		"CONNECTED", "CONNECTING", "FAILED", "DISCONNECTED", "DISCONNECTING",
	}, []kms.ConnectionStateType{
		kms.ConnectionStateTypeConnected, kms.ConnectionStateTypeConnecting, kms.ConnectionStateTypeFailed,
		kms.ConnectionStateTypeDisconnected, kms.ConnectionStateTypeDisconnecting,
	})
	assert.Len(t, kms.ConnectionStateType("").Values(), 5)
	// The constants, written as literals so that go doc shows them, are
	// exactly the values internal/kmsmodel knows (which Values returns).
	assert.ElementsMatch(t, []kms.ConnectionStateType{
		kms.ConnectionStateTypeConnected, kms.ConnectionStateTypeConnecting, kms.ConnectionStateTypeFailed,
		kms.ConnectionStateTypeDisconnected, kms.ConnectionStateTypeDisconnecting,
	}, kms.ConnectionStateType("").Values())
	assert.Equal(t, []kms.XksProxyConnectivityType{kms.XksProxyConnectivityTypePublicEndpoint, kms.XksProxyConnectivityTypeVpcEndpointService},
		kms.XksProxyConnectivityType("").Values())
	assert.Equal(t, []kms.XksProxyConnectivityType{"PUBLIC_ENDPOINT", "VPC_ENDPOINT_SERVICE"}, kms.XksProxyConnectivityType("").Values())
	assert.Equal(t, []kms.CustomKeyStoreType{"AWS_CLOUDHSM", "EXTERNAL_KEY_STORE"}, kms.CustomKeyStoreType("").Values())
	assert.Equal(t, []kms.CustomKeyStoreType{kms.CustomKeyStoreTypeAwsCloudhsm, kms.CustomKeyStoreTypeExternalKeyStore}, kms.CustomKeyStoreType("").Values())
	assert.Equal(t, kms.CustomKeyStoreType("AWS_CLOUDHSM"), kms.CustomKeyStoreTypeAwsCloudhsm)
	assert.Equal(t, kms.CustomKeyStoreType("EXTERNAL_KEY_STORE"), kms.CustomKeyStoreTypeExternalKeyStore)
}
