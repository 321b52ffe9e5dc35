package kmsmodel

// Facts of the custom key store lifecycle that are not member constraints.
const (
	// MinHsmsToCreate is how many active HSMs (each in a different
	// Availability Zone) a CloudHSM cluster needs for CreateCustomKeyStore,
	// UpdateCustomKeyStore and CreateKey; with fewer, they fail with
	// CloudHsmClusterInvalidConfigurationException.
	MinHsmsToCreate = 2
	// MinHsmsToConnect is how many active HSMs a CloudHSM cluster needs for
	// ConnectCustomKeyStore; with none, the connection fails with
	// INSUFFICIENT_CLOUDHSM_HSMS.
	MinHsmsToConnect = 1

	// DescribeDefaultLimit is how many stores DescribeCustomKeyStores
	// returns when the request has no Limit. The custom key store
	// documentation gives only the range (1-1000); 100 is the default that
	// KMS documents for its other paginated operations (ListKeys,
	// ListAliases, ...).
	DescribeDefaultLimit = 100

	// CustomKeyStoreIdPrefix and CustomKeyStoreIdHexDigits give the shape
	// of the IDs KMS assigns: "cks-" and 17 lowercase hexadecimal digits,
	// e.g. "cks-1234567890abcdef0".
	CustomKeyStoreIdPrefix    = "cks-"
	CustomKeyStoreIdHexDigits = 17
)
