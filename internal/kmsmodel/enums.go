package kmsmodel

// CustomKeyStoreType values.
const (
	CustomKeyStoreTypeAwsCloudhsm      = "AWS_CLOUDHSM"
	CustomKeyStoreTypeExternalKeyStore = "EXTERNAL_KEY_STORE"
)

// CustomKeyStoreTypeValues are the known CustomKeyStoreType values.
var CustomKeyStoreTypeValues = []string{CustomKeyStoreTypeAwsCloudhsm, CustomKeyStoreTypeExternalKeyStore}

// StoreTypeOf returns the StoreTypes of a CustomKeyStoreType value, or 0.
func StoreTypeOf(customKeyStoreType string) StoreTypes {
	switch customKeyStoreType {
	case CustomKeyStoreTypeAwsCloudhsm:
		return CloudHSM
	case CustomKeyStoreTypeExternalKeyStore:
		return External
	}
	return 0
}

// XksProxyConnectivityType values.
const (
	XksProxyConnectivityPublicEndpoint     = "PUBLIC_ENDPOINT"
	XksProxyConnectivityVpcEndpointService = "VPC_ENDPOINT_SERVICE"
)

// XksProxyConnectivityValues are the known XksProxyConnectivityType values.
var XksProxyConnectivityValues = []string{XksProxyConnectivityPublicEndpoint, XksProxyConnectivityVpcEndpointService}
