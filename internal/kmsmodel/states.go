package kmsmodel

// ConnectionStateType values.
const (
	ConnectionStateConnected     = "CONNECTED"
	ConnectionStateConnecting    = "CONNECTING"
	ConnectionStateFailed        = "FAILED"
	ConnectionStateDisconnected  = "DISCONNECTED"
	ConnectionStateDisconnecting = "DISCONNECTING"
)

// ConnectionStateValues are the five ConnectionStateType values, in model
// order.
var ConnectionStateValues = []string{
	ConnectionStateConnected, ConnectionStateConnecting, ConnectionStateFailed,
	ConnectionStateDisconnected, ConnectionStateDisconnecting,
}

// ConnectionState is a ConnectionStateType value with its documented
// meaning.
type ConnectionState struct {
	State   string
	Meaning string
}

// ConnectionStates documents each ConnectionStateType value.
var ConnectionStates = []ConnectionState{
	{ConnectionStateConnected, "The custom key store is connected to its backing key store; KMS keys in it can be created and used."},
	{ConnectionStateConnecting, "ConnectCustomKeyStore started the connection process, which has not finished."},
	{ConnectionStateFailed, "An attempt to connect was unsuccessful; ConnectionErrorCode says why. Disconnect it before connecting again."},
	{ConnectionStateDisconnected, "The custom key store has never been connected or was disconnected with DisconnectCustomKeyStore."},
	{ConnectionStateDisconnecting, "DisconnectCustomKeyStore started disconnecting the custom key store, which has not finished."},
}

// The operations' documented state rules (CustomKeyStoreInvalidStateException).
var (
	// ConnectRejectedStates: ConnectCustomKeyStore fails in these states.
	ConnectRejectedStates = []string{ConnectionStateDisconnecting, ConnectionStateFailed}
	// DisconnectRejectedStates: DisconnectCustomKeyStore fails in these states.
	DisconnectRejectedStates = []string{ConnectionStateDisconnecting, ConnectionStateDisconnected}
	// DeleteAllowedStates: DeleteCustomKeyStore needs a DISCONNECTED store.
	DeleteAllowedStates = []string{ConnectionStateDisconnected}
)

// ConnectionErrorCodeType values.
const (
	ConnectionErrorInvalidCredentials                        = "INVALID_CREDENTIALS"
	ConnectionErrorClusterNotFound                           = "CLUSTER_NOT_FOUND"
	ConnectionErrorNetworkErrors                             = "NETWORK_ERRORS"
	ConnectionErrorInternalError                             = "INTERNAL_ERROR"
	ConnectionErrorInsufficientCloudhsmHsms                  = "INSUFFICIENT_CLOUDHSM_HSMS"
	ConnectionErrorUserLockedOut                             = "USER_LOCKED_OUT"
	ConnectionErrorUserNotFound                              = "USER_NOT_FOUND"
	ConnectionErrorUserLoggedIn                              = "USER_LOGGED_IN"
	ConnectionErrorSubnetNotFound                            = "SUBNET_NOT_FOUND"
	ConnectionErrorInsufficientFreeAddressesInSubnet         = "INSUFFICIENT_FREE_ADDRESSES_IN_SUBNET"
	ConnectionErrorXksProxyAccessDenied                      = "XKS_PROXY_ACCESS_DENIED"
	ConnectionErrorXksProxyNotReachable                      = "XKS_PROXY_NOT_REACHABLE"
	ConnectionErrorXksVpcEndpointServiceNotFound             = "XKS_VPC_ENDPOINT_SERVICE_NOT_FOUND"
	ConnectionErrorXksProxyInvalidResponse                   = "XKS_PROXY_INVALID_RESPONSE"
	ConnectionErrorXksProxyInvalidConfiguration              = "XKS_PROXY_INVALID_CONFIGURATION"
	ConnectionErrorXksVpcEndpointServiceInvalidConfiguration = "XKS_VPC_ENDPOINT_SERVICE_INVALID_CONFIGURATION"
	ConnectionErrorXksProxyTimedOut                          = "XKS_PROXY_TIMED_OUT"
	ConnectionErrorXksProxyInvalidTLSConfiguration           = "XKS_PROXY_INVALID_TLS_CONFIGURATION"
)

// ConnectionErrorCodeValues are the eighteen ConnectionErrorCodeType
// values, in model order.
var ConnectionErrorCodeValues = []string{
	ConnectionErrorInvalidCredentials, ConnectionErrorClusterNotFound, ConnectionErrorNetworkErrors,
	ConnectionErrorInternalError, ConnectionErrorInsufficientCloudhsmHsms, ConnectionErrorUserLockedOut,
	ConnectionErrorUserNotFound, ConnectionErrorUserLoggedIn, ConnectionErrorSubnetNotFound,
	ConnectionErrorInsufficientFreeAddressesInSubnet, ConnectionErrorXksProxyAccessDenied,
	ConnectionErrorXksProxyNotReachable, ConnectionErrorXksVpcEndpointServiceNotFound,
	ConnectionErrorXksProxyInvalidResponse, ConnectionErrorXksProxyInvalidConfiguration,
	ConnectionErrorXksVpcEndpointServiceInvalidConfiguration, ConnectionErrorXksProxyTimedOut,
	ConnectionErrorXksProxyInvalidTLSConfiguration,
}

// ConnectionError is the documented meaning of a ConnectionErrorCode for
// the store types it applies to, and the documented fix. INVALID_CREDENTIALS
// has one entry per store type, because it means a different credential.
type ConnectionError struct {
	Code    string
	Stores  StoreTypes
	Meaning string
	Fix     string
}

// ConnectionErrors documents every ConnectionErrorCodeType value. To fix
// most of them: DisconnectCustomKeyStore, correct the cause (with
// UpdateCustomKeyStore if a property is wrong), then ConnectCustomKeyStore.
var ConnectionErrors = []ConnectionError{
	{ConnectionErrorInternalError, BothStores,
		"KMS could not complete the request due to an internal error.",
		"Retry the request. For ConnectCustomKeyStore requests, disconnect the custom key store before trying to connect again."},
	{ConnectionErrorNetworkErrors, BothStores,
		"Network errors are preventing KMS from connecting the custom key store to its backing key store.",
		"Check the network path to the backing key store, disconnect the custom key store and connect it again."},
	{ConnectionErrorClusterNotFound, CloudHSM,
		"KMS cannot find the CloudHSM cluster with the specified cluster ID.",
		"Disconnect, associate the custom key store with an existing related cluster (UpdateCustomKeyStore CloudHsmClusterId), connect."},
	{ConnectionErrorInsufficientCloudhsmHsms, CloudHSM,
		"The associated CloudHSM cluster does not contain any active HSMs.",
		"Add at least one active HSM to the cluster (CloudHSM CreateHsm), then disconnect and connect again."},
	{ConnectionErrorInsufficientFreeAddressesInSubnet, CloudHSM,
		"At least one private subnet associated with the CloudHSM cluster doesn't have any available IP addresses.",
		"Free one IP address (two are preferable) in each private subnet of the cluster, then disconnect and connect again."},
	{ConnectionErrorInvalidCredentials, CloudHSM,
		"The KeyStorePassword for the custom key store doesn't match the current password of the kmsuser crypto user in the CloudHSM cluster.",
		"Change the kmsuser account password, disconnect, update KeyStorePassword with UpdateCustomKeyStore, connect."},
	{ConnectionErrorSubnetNotFound, CloudHSM,
		"A subnet in the CloudHSM cluster configuration was deleted.",
		"Create a cluster from a recent backup and associate it with the custom key store (UpdateCustomKeyStore CloudHsmClusterId), then connect."},
	{ConnectionErrorUserLockedOut, CloudHSM,
		"The kmsuser CU account is locked out of the associated CloudHSM cluster due to too many failed password attempts.",
		"Change the kmsuser account password, disconnect, update KeyStorePassword with UpdateCustomKeyStore, connect."},
	{ConnectionErrorUserLoggedIn, CloudHSM,
		"The kmsuser CU account is logged into the associated CloudHSM cluster, which prevents KMS from rotating its password and logging in.",
		"Log the kmsuser CU out of the cluster (if you changed its password, also update KeyStorePassword), disconnect, connect."},
	{ConnectionErrorUserNotFound, CloudHSM,
		"KMS cannot find a kmsuser CU account in the associated CloudHSM cluster.",
		"Create a kmsuser CU account in the cluster, disconnect, update KeyStorePassword with UpdateCustomKeyStore, connect."},
	{ConnectionErrorInvalidCredentials, External,
		"One or both of the XksProxyAuthenticationCredential values is not valid on the specified external key store proxy.",
		"Disconnect, update XksProxyAuthenticationCredential with UpdateCustomKeyStore to the credential established on the proxy, connect."},
	{ConnectionErrorXksProxyAccessDenied, External,
		"KMS requests are denied access to the external key store proxy.",
		"Verify that the proxy's authorization rules permit KMS to communicate with it on your behalf, then disconnect and connect again."},
	{ConnectionErrorXksProxyInvalidConfiguration, External,
		"A configuration error is preventing the external key store from connecting to its proxy.",
		"Verify XksProxyUriPath; disconnect, correct it with UpdateCustomKeyStore, connect."},
	{ConnectionErrorXksProxyInvalidResponse, External,
		"KMS cannot interpret the response from the external key store proxy.",
		"If you see this code repeatedly, notify your external key store proxy vendor."},
	{ConnectionErrorXksProxyInvalidTLSConfiguration, External,
		"KMS cannot connect to the external key store proxy because the TLS configuration is invalid.",
		"Verify that the proxy supports TLS 1.2 or 1.3 and that its certificate is not expired, matches the XksProxyUriEndpoint hostname and is signed by a trusted certificate authority."},
	{ConnectionErrorXksProxyNotReachable, External,
		"KMS can't communicate with your external key store proxy.",
		"Verify XksProxyUriEndpoint and XksProxyUriPath, and that the proxy and its external key manager instances are active and available; disconnect, correct, connect."},
	{ConnectionErrorXksProxyTimedOut, External,
		"KMS can connect to the external key store proxy, but the proxy does not respond to KMS in the time allotted.",
		"If you see this code repeatedly, notify your external key store proxy vendor."},
	{ConnectionErrorXksVpcEndpointServiceInvalidConfiguration, External,
		"The Amazon VPC endpoint service configuration doesn't conform to the requirements for a KMS external key store.",
		"Fix the VPC endpoint service: interface endpoints, an NLB in at least two Availability Zones, the KMS service principal cks.kms.<region>.amazonaws.com allowed, no acceptance required, a verified unique private DNS name; then disconnect and connect again."},
	{ConnectionErrorXksVpcEndpointServiceNotFound, External,
		"KMS can't find the VPC endpoint service that it uses to communicate with the external key store proxy.",
		"Verify XksProxyVpcEndpointServiceName and that the KMS service principal has service consumer permissions on it; disconnect, correct, connect."},
}

// ConnectionErrorFor returns the documentation of code for a store of type
// t (CloudHSM or External); BothStores or 0 takes the first entry for code.
func ConnectionErrorFor(code string, t StoreTypes) (ConnectionError, bool) {
	var first *ConnectionError
	for i := range ConnectionErrors {
		e := &ConnectionErrors[i]
		if e.Code != code {
			continue
		}
		if t != 0 && t != BothStores && e.Stores.Has(t) {
			return *e, true
		}
		if first == nil {
			first = e
		}
	}
	if first == nil {
		return ConnectionError{}, false
	}
	return *first, true
}
