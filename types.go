package kms

import (
	"time"

	"github.com/kmskit/kms/internal/kmsmodel"
)

// XksProxyAuthenticationCredentialType is the credential KMS uses to sign
// requests to an external key store proxy. KMS needs both members, even when
// only one of them changes.
//
// Both members are secret, as the KMS model marks them: printing or logging
// a credential (fmt, log/slog, encoding/json) writes "[REDACTED]" for them,
// and encoding/gob and encoding/xml refuse it; a program that must persist
// them has to store their values itself and set them again.
type XksProxyAuthenticationCredentialType struct {
	// AccessKeyId identifies the credential. Required. Secret: never
	// printed or logged by this package.
	AccessKeyId *string
	// RawSecretAccessKey is the secret part of the credential. Required.
	// Secret: never printed or logged by this package.
	RawSecretAccessKey *string
}

// XksProxyConnectivityType says how KMS connects to an external key store
// proxy.
type XksProxyConnectivityType string

// The values of XksProxyConnectivityType. The constants of each enum are
// written as literals for go doc; Values returns internal/kmsmodel's list,
// and TestLifecycleEnumConstants checks that the two agree.
const (
	XksProxyConnectivityTypePublicEndpoint     XksProxyConnectivityType = "PUBLIC_ENDPOINT"
	XksProxyConnectivityTypeVpcEndpointService XksProxyConnectivityType = "VPC_ENDPOINT_SERVICE"
)

// Values returns the known values of XksProxyConnectivityType. The API may
// add values later; this list is the one this version knows.
func (XksProxyConnectivityType) Values() []XksProxyConnectivityType {
	return valuesOf[XksProxyConnectivityType](kmsmodel.XksProxyConnectivityValues)
}

// CustomKeyStoreType is the type of a custom key store. It cannot change
// after the store is created.
type CustomKeyStoreType string

// The values of CustomKeyStoreType.
const (
	// CustomKeyStoreTypeAwsCloudhsm: backed by a CloudHSM cluster; the default of Create.
	CustomKeyStoreTypeAwsCloudhsm CustomKeyStoreType = "AWS_CLOUDHSM"
	// CustomKeyStoreTypeExternalKeyStore: backed by an XKS proxy and a key manager outside AWS.
	CustomKeyStoreTypeExternalKeyStore CustomKeyStoreType = "EXTERNAL_KEY_STORE"
)

// Values returns the known values of CustomKeyStoreType.
func (CustomKeyStoreType) Values() []CustomKeyStoreType {
	return valuesOf[CustomKeyStoreType](kmsmodel.CustomKeyStoreTypeValues)
}

// ConnectionStateType is whether a custom key store is connected to its
// backing key store. KMS keys in a store can be created and used only while
// it is CONNECTED.
type ConnectionStateType string

// The values of ConnectionStateType.
const (
	// ConnectionStateTypeConnected: the store is connected.
	ConnectionStateTypeConnected ConnectionStateType = "CONNECTED"
	// ConnectionStateTypeConnecting: ConnectCustomKeyStore is in progress.
	ConnectionStateTypeConnecting ConnectionStateType = "CONNECTING"
	// ConnectionStateTypeFailed: the last connection attempt failed (ConnectionErrorCode
	// says why); disconnect before connecting again.
	ConnectionStateTypeFailed ConnectionStateType = "FAILED"
	// ConnectionStateTypeDisconnected: never connected, or disconnected since.
	ConnectionStateTypeDisconnected ConnectionStateType = "DISCONNECTED"
	// ConnectionStateTypeDisconnecting: DisconnectCustomKeyStore is in progress.
	ConnectionStateTypeDisconnecting ConnectionStateType = "DISCONNECTING"
)

// Values returns the known values of ConnectionStateType.
func (ConnectionStateType) Values() []ConnectionStateType {
	return valuesOf[ConnectionStateType](kmsmodel.ConnectionStateValues)
}

// ConnectionErrorCodeType says why a custom key store's last connection
// attempt failed (ConnectionState FAILED). The message of the
// *ConnectionFailedError a waiter returns gives its documented cause and fix.
type ConnectionErrorCodeType string

// The values of ConnectionErrorCodeType, each its name in the model's spelling.
const (
	ConnectionErrorCodeTypeInvalidCredentials                        ConnectionErrorCodeType = "INVALID_CREDENTIALS"
	ConnectionErrorCodeTypeClusterNotFound                           ConnectionErrorCodeType = "CLUSTER_NOT_FOUND"
	ConnectionErrorCodeTypeNetworkErrors                             ConnectionErrorCodeType = "NETWORK_ERRORS"
	ConnectionErrorCodeTypeInternalError                             ConnectionErrorCodeType = "INTERNAL_ERROR"
	ConnectionErrorCodeTypeInsufficientCloudhsmHsms                  ConnectionErrorCodeType = "INSUFFICIENT_CLOUDHSM_HSMS"
	ConnectionErrorCodeTypeUserLockedOut                             ConnectionErrorCodeType = "USER_LOCKED_OUT"
	ConnectionErrorCodeTypeUserNotFound                              ConnectionErrorCodeType = "USER_NOT_FOUND"
	ConnectionErrorCodeTypeUserLoggedIn                              ConnectionErrorCodeType = "USER_LOGGED_IN"
	ConnectionErrorCodeTypeSubnetNotFound                            ConnectionErrorCodeType = "SUBNET_NOT_FOUND"
	ConnectionErrorCodeTypeInsufficientFreeAddressesInSubnet         ConnectionErrorCodeType = "INSUFFICIENT_FREE_ADDRESSES_IN_SUBNET"
	ConnectionErrorCodeTypeXksProxyAccessDenied                      ConnectionErrorCodeType = "XKS_PROXY_ACCESS_DENIED"
	ConnectionErrorCodeTypeXksProxyNotReachable                      ConnectionErrorCodeType = "XKS_PROXY_NOT_REACHABLE"
	ConnectionErrorCodeTypeXksVpcEndpointServiceNotFound             ConnectionErrorCodeType = "XKS_VPC_ENDPOINT_SERVICE_NOT_FOUND"
	ConnectionErrorCodeTypeXksProxyInvalidResponse                   ConnectionErrorCodeType = "XKS_PROXY_INVALID_RESPONSE"
	ConnectionErrorCodeTypeXksProxyInvalidConfiguration              ConnectionErrorCodeType = "XKS_PROXY_INVALID_CONFIGURATION"
	ConnectionErrorCodeTypeXksVpcEndpointServiceInvalidConfiguration ConnectionErrorCodeType = "XKS_VPC_ENDPOINT_SERVICE_INVALID_CONFIGURATION"
	ConnectionErrorCodeTypeXksProxyTimedOut                          ConnectionErrorCodeType = "XKS_PROXY_TIMED_OUT"
	ConnectionErrorCodeTypeXksProxyInvalidTlsConfiguration           ConnectionErrorCodeType = "XKS_PROXY_INVALID_TLS_CONFIGURATION"
)

// Values returns the known values of ConnectionErrorCodeType.
func (ConnectionErrorCodeType) Values() []ConnectionErrorCodeType {
	return valuesOf[ConnectionErrorCodeType](kmsmodel.ConnectionErrorCodeValues)
}

// CustomKeyStoresListEntry describes one custom key store, as
// DescribeCustomKeyStores returns it. Members KMS did not send are nil or
// empty. It prints and logs XksProxyConfiguration.AccessKeyId redacted.
type CustomKeyStoresListEntry struct {
	// CloudHsmClusterId is the cluster of an AWS_CLOUDHSM store.
	CloudHsmClusterId *string
	// ConnectionErrorCode says why the last connection attempt failed; set
	// only when ConnectionState is FAILED.
	ConnectionErrorCode ConnectionErrorCodeType
	// ConnectionState is whether the store is connected to its backing key
	// store.
	ConnectionState ConnectionStateType
	// CreationDate is when the store was created.
	CreationDate *time.Time
	// CustomKeyStoreId identifies the store.
	CustomKeyStoreId *string
	// CustomKeyStoreName is the store's friendly name.
	CustomKeyStoreName *string
	// CustomKeyStoreType is AWS_CLOUDHSM or EXTERNAL_KEY_STORE.
	CustomKeyStoreType CustomKeyStoreType
	// TrustAnchorCertificate is the trust anchor of an AWS_CLOUDHSM store's
	// cluster (the content of customerCA.crt).
	TrustAnchorCertificate *string
	// XksProxyConfiguration is set only for EXTERNAL_KEY_STORE stores.
	XksProxyConfiguration *XksProxyConfigurationType
}

// XksProxyConfigurationType is how KMS reaches an external key store's
// proxy, as DescribeCustomKeyStores returns it. It never holds the secret
// access key. AccessKeyId is sensitive in the KMS model: it prints and logs
// as "[REDACTED]".
type XksProxyConfigurationType struct {
	// AccessKeyId identifies the proxy authentication credential. Sensitive.
	AccessKeyId *string
	// Connectivity is PUBLIC_ENDPOINT or VPC_ENDPOINT_SERVICE.
	Connectivity XksProxyConnectivityType
	// UriEndpoint is the proxy endpoint (for VPC_ENDPOINT_SERVICE, the
	// private DNS name of the endpoint service).
	UriEndpoint *string
	// UriPath is the base path of the proxy APIs.
	UriPath *string
	// VpcEndpointServiceName is set only with VPC_ENDPOINT_SERVICE.
	VpcEndpointServiceName *string
	// VpcEndpointServiceOwner is the account that owns the VPC endpoint
	// service; set only with VPC_ENDPOINT_SERVICE.
	VpcEndpointServiceOwner *string
}

// valuesOf converts a model enum's values to its Go type.
func valuesOf[T ~string](values []string) []T {
	out := make([]T, len(values))
	for i, v := range values {
		out[i] = T(v)
	}
	return out
}
