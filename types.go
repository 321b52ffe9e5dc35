package kms

// UpdateCustomKeyStoreInput is the request of [Client.UpdateCustomKeyStore].
// Field names and types match aws-sdk-go-v2/service/kms.
//
// A nil pointer leaves that property unchanged and is not sent. A non-nil
// pointer to "" is sent as "": the API uses an empty
// XksProxyVpcEndpointServiceName to clear it when switching to
// PUBLIC_ENDPOINT. See [UpdateCustomKeyStoreInput.Validate] for the rules.
//
// Printing, logging or encoding an input (fmt, log/slog, encoding/json,
// encoding/gob, encoding/xml) never writes KeyStorePassword, AccessKeyId or
// RawSecretAccessKey, only the marker "[REDACTED]"; a program that must
// persist them has to store those fields' values itself (in a secrets
// manager, say) and set them again before the call.
type UpdateCustomKeyStoreInput struct {
	// CustomKeyStoreId identifies the store to update. Required.
	CustomKeyStoreId *string

	// CloudHsmClusterId associates a CloudHSM key store with a related
	// cluster (same backup lineage). AWS_CLOUDHSM stores only; the store must
	// be DISCONNECTED.
	CloudHsmClusterId *string

	// KeyStorePassword tells KMS the current password of the kmsuser crypto
	// user. AWS_CLOUDHSM stores only; the store must be DISCONNECTED. Secret:
	// never printed, logged or encoded by this package.
	KeyStorePassword *string

	// NewCustomKeyStoreName renames the store; the name must be unique in the
	// account and Region. Allowed when CONNECTED or DISCONNECTED.
	NewCustomKeyStoreName *string

	// XksProxyAuthenticationCredential tells KMS the credential it uses to
	// sign requests to the XKS proxy; both members are required. External
	// stores only; allowed when CONNECTED or DISCONNECTED.
	XksProxyAuthenticationCredential *XksProxyAuthenticationCredentialType

	// XksProxyConnectivity changes how KMS reaches the XKS proxy. External
	// stores only; the store must be DISCONNECTED. The zero value is not sent.
	XksProxyConnectivity XksProxyConnectivityType

	// XksProxyUriEndpoint changes the proxy's https endpoint. External stores
	// only; the store must be DISCONNECTED.
	XksProxyUriEndpoint *string

	// XksProxyUriPath changes the proxy's base path, which ends in
	// /kms/xks/v1 (or another version). External stores only; allowed when
	// CONNECTED or DISCONNECTED.
	XksProxyUriPath *string

	// XksProxyVpcEndpointServiceName changes the VPC endpoint service name.
	// External stores with VPC_ENDPOINT_SERVICE connectivity; "" clears it when
	// switching to PUBLIC_ENDPOINT. The store must be DISCONNECTED.
	XksProxyVpcEndpointServiceName *string

	// XksProxyVpcEndpointServiceOwner changes the account ID that owns the VPC
	// endpoint service. Nil leaves it unchanged. The store must be
	// DISCONNECTED.
	XksProxyVpcEndpointServiceOwner *string
}

// XksProxyAuthenticationCredentialType is the credential KMS uses to sign
// requests to an external key store proxy. KMS needs both members, even when
// only one of them changes.
//
// Both members are secret, as the KMS model marks them: printing, logging
// or encoding a credential (fmt, log/slog, encoding/json, encoding/gob,
// encoding/xml) never writes them, only "[REDACTED]"; a program that must
// persist them has to store their values itself and set them again.
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

// The values of XksProxyConnectivityType.
const (
	XksProxyConnectivityTypePublicEndpoint     XksProxyConnectivityType = "PUBLIC_ENDPOINT"
	XksProxyConnectivityTypeVpcEndpointService XksProxyConnectivityType = "VPC_ENDPOINT_SERVICE"
)

// Values returns the known values of XksProxyConnectivityType. The API may
// add values later; this list is the one this version knows.
func (XksProxyConnectivityType) Values() []XksProxyConnectivityType {
	return []XksProxyConnectivityType{
		XksProxyConnectivityTypePublicEndpoint,
		XksProxyConnectivityTypeVpcEndpointService,
	}
}
