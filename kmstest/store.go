package kmstest

import (
	"time"

	"github.com/kmskit/kms/internal/kmsmodel"
)

// StoreType is a custom key store's CustomKeyStoreType.
type StoreType string

// The values of StoreType.
const (
	TypeCloudHSM StoreType = kmsmodel.CustomKeyStoreTypeAwsCloudhsm
	TypeExternal StoreType = kmsmodel.CustomKeyStoreTypeExternalKeyStore
)

// ConnectionState is a custom key store's ConnectionState.
type ConnectionState string

// The values of ConnectionState.
const (
	StateConnected     ConnectionState = kmsmodel.ConnectionStateConnected
	StateConnecting    ConnectionState = kmsmodel.ConnectionStateConnecting
	StateDisconnected  ConnectionState = kmsmodel.ConnectionStateDisconnected
	StateDisconnecting ConnectionState = kmsmodel.ConnectionStateDisconnecting
	StateFailed        ConnectionState = kmsmodel.ConnectionStateFailed
)

// Connectivity is an external key store's XksProxyConnectivity.
type Connectivity string

// The values of Connectivity.
const (
	ConnectivityPublicEndpoint     Connectivity = kmsmodel.XksProxyConnectivityPublicEndpoint
	ConnectivityVpcEndpointService Connectivity = kmsmodel.XksProxyConnectivityVpcEndpointService
)

// Store is a custom key store as kmstest holds it. Its fields mirror
// DescribeCustomKeyStores, plus the secrets that KMS keeps but never returns
// (KeyStorePassword, XksProxyConfiguration.RawSecretAccessKey). Store is a
// plain value: reading it back gives a copy, and == compares two of them.
//
// Its methods redact, but fmt calls no method of a value in an unexported
// field of your own struct and prints it raw (under %s and %q even through
// a pointer): keep it in an exported field, or out of printed structs.
type Store struct {
	// CustomKeyStoreId identifies the store. Required, unique.
	CustomKeyStoreId string `json:"CustomKeyStoreId"`
	// CustomKeyStoreName is the friendly name, unique in the fake's account.
	CustomKeyStoreName string `json:"CustomKeyStoreName"`
	// CustomKeyStoreType is AWS_CLOUDHSM or EXTERNAL_KEY_STORE. Required.
	CustomKeyStoreType StoreType `json:"CustomKeyStoreType"`
	// ConnectionState is the store's state; "" when seeding means
	// DISCONNECTED.
	ConnectionState ConnectionState `json:"ConnectionState,omitempty"`
	// ConnectionErrorCode says why the last connection attempt failed; it is
	// set only while ConnectionState is FAILED (a ConnectionErrorCodeType
	// value such as "INVALID_CREDENTIALS").
	ConnectionErrorCode string `json:"ConnectionErrorCode,omitempty"`
	// CreationDate is when the store was created; zero when seeding means
	// the fake's clock at the time it is added.
	CreationDate time.Time `json:"CreationDate,omitzero"`
	// KeyCount is the number of KMS keys in the store, which KMS does not
	// return here: DeleteCustomKeyStore fails with
	// CustomKeyStoreHasCMKsException while it is not 0.
	KeyCount int `json:"KeyCount,omitempty"`

	// CloudHsmClusterId is the associated cluster (AWS_CLOUDHSM only).
	CloudHsmClusterId string `json:"CloudHsmClusterId,omitempty"`
	// TrustAnchorCertificate is the cluster's trust anchor certificate that
	// the store was created with (AWS_CLOUDHSM only).
	TrustAnchorCertificate string `json:"TrustAnchorCertificate,omitempty"`
	// KeyStorePassword is the kmsuser password KMS was told (AWS_CLOUDHSM
	// only). KMS never returns it; kmstest lets tests read it.
	KeyStorePassword string `json:"KeyStorePassword,omitempty"`

	// XksProxyConfiguration is the proxy configuration (EXTERNAL_KEY_STORE
	// only); zero for a CloudHSM store.
	XksProxyConfiguration XksProxyConfiguration `json:"XksProxyConfiguration,omitzero"`
}

// XksProxyConfiguration is an external key store's proxy configuration, as
// in DescribeCustomKeyStores, plus the secret access key.
//
// Its methods redact, but fmt calls no method of a value in an unexported
// field of your own struct and prints it raw (under %s and %q even through
// a pointer): keep it in an exported field, or out of printed structs.
type XksProxyConfiguration struct {
	// AccessKeyId is the ID of the credential KMS signs proxy requests with.
	AccessKeyId string `json:"AccessKeyId,omitempty"`
	// RawSecretAccessKey is the secret of that credential. KMS never
	// returns it; kmstest lets tests read it.
	RawSecretAccessKey string `json:"RawSecretAccessKey,omitempty"`
	// Connectivity is PUBLIC_ENDPOINT or VPC_ENDPOINT_SERVICE; "" when
	// seeding means PUBLIC_ENDPOINT.
	Connectivity Connectivity `json:"Connectivity,omitempty"`
	// UriEndpoint is the proxy endpoint, e.g. "https://xks.example.com".
	UriEndpoint string `json:"UriEndpoint,omitempty"`
	// UriPath is the proxy base path, e.g. "/kms/xks/v1".
	UriPath string `json:"UriPath,omitempty"`
	// VpcEndpointServiceName is the VPC endpoint service (VPC connectivity).
	VpcEndpointServiceName string `json:"VpcEndpointServiceName,omitempty"`
	// VpcEndpointServiceOwner is the account that owns that service.
	VpcEndpointServiceOwner string `json:"VpcEndpointServiceOwner,omitempty"`
}

// Cluster is a CloudHSM cluster that CloudHSM key stores can be associated
// with. Its zero values are the healthy case: an ACTIVE cluster with two
// HSMs whose kmsuser accepts whatever password the store holds, so a store
// associated with it connects.
//
// Its methods redact, but fmt calls no method of a value in an unexported
// field of your own struct and prints it raw (under %s and %q even through
// a pointer): keep it in an exported field, or out of printed structs.
type Cluster struct {
	// ClusterId identifies the cluster, e.g. "cluster-1a23b4cdefg". Required.
	ClusterId string `json:"ClusterId"`
	// BackupLineage groups related clusters: clusters with the same
	// non-empty lineage share backup history and certificate. A cluster with
	// an empty lineage is related only to itself.
	BackupLineage string `json:"BackupLineage,omitempty"`
	// State is the CloudHSM cluster state; "" means ACTIVE. Any other value
	// (e.g. "UNINITIALIZED", "DEGRADED") is not active.
	State string `json:"State,omitempty"`
	// InvalidConfiguration marks a cluster that does not meet the custom key
	// store requirements (too few HSMs, bad security group, ...).
	InvalidConfiguration bool `json:"InvalidConfiguration,omitempty"`

	// HsmCount is the number of active HSMs; nil means 2. Creating a store
	// needs at least 2 (else CloudHsmClusterInvalidConfigurationException);
	// connecting needs at least 1 (else the store ends FAILED with
	// INSUFFICIENT_CLOUDHSM_HSMS).
	HsmCount *int `json:"HsmCount,omitempty"`
	// TrustAnchorCertificate is the content of the cluster's customerCA.crt;
	// "" accepts any. CreateCustomKeyStore with another certificate is
	// IncorrectTrustAnchorException.
	TrustAnchorCertificate string `json:"TrustAnchorCertificate,omitempty"`
	// KmsuserPassword is the kmsuser crypto user's password; "" accepts any.
	// Connecting a store whose KeyStorePassword differs ends FAILED with
	// INVALID_CREDENTIALS.
	KmsuserPassword string `json:"KmsuserPassword,omitempty"`
	// KmsuserState is the kmsuser account's state: "" (usable),
	// KmsuserNotFound, KmsuserLockedOut or KmsuserLoggedIn, which make a
	// connection end FAILED with USER_NOT_FOUND, USER_LOCKED_OUT or
	// USER_LOGGED_IN.
	KmsuserState KmsuserState `json:"KmsuserState,omitempty"`
	// ConnectionErrorCode, when set, makes every connection to the cluster
	// end FAILED with it, e.g. SUBNET_NOT_FOUND,
	// INSUFFICIENT_FREE_ADDRESSES_IN_SUBNET, NETWORK_ERRORS or
	// INTERNAL_ERROR.
	ConnectionErrorCode string `json:"ConnectionErrorCode,omitempty"`
}

// KmsuserState is the state of a cluster's kmsuser crypto user account.
type KmsuserState string

// The values of KmsuserState; "" is a usable account.
const (
	KmsuserNotFound  KmsuserState = "NOT_FOUND"
	KmsuserLockedOut KmsuserState = "LOCKED_OUT"
	KmsuserLoggedIn  KmsuserState = "LOGGED_IN"
)

// defaultHsmCount is a seeded cluster's HSM count when it has none: enough
// to create and to connect a store.
const defaultHsmCount = kmsmodel.MinHsmsToCreate

// hsms returns the cluster's number of active HSMs.
func (c Cluster) hsms() int {
	if c.HsmCount == nil {
		return defaultHsmCount
	}
	return *c.HsmCount
}

// active reports whether the cluster is ACTIVE.
func (c Cluster) active() bool { return c.State == "" || c.State == "ACTIVE" }

// lineage returns the cluster's backup lineage key.
func (c Cluster) lineage() string {
	if c.BackupLineage == "" {
		return "cluster:" + c.ClusterId
	}
	return "lineage:" + c.BackupLineage
}

// XksProxy is an external key store proxy that KMS can reach at an
// endpoint. kmstest consults it when an external store connects, when a
// PUBLIC_ENDPOINT store is created, and when an update of a CONNECTED
// external store changes the credential or path. An external store whose
// endpoint has no XksProxy cannot reach a proxy.
//
// Its methods redact, but fmt calls no method of a value in an unexported
// field of your own struct and prints it raw (under %s and %q even through
// a pointer): keep it in an exported field, or out of printed structs.
type XksProxy struct {
	// UriEndpoint is where the proxy listens, e.g. "https://xks.example.com".
	// Required, unique.
	UriEndpoint string `json:"UriEndpoint"`
	// UriPath is the base path the proxy serves; "" means any path.
	UriPath string `json:"UriPath,omitempty"`
	// AccessKeyId and RawSecretAccessKey are the credential the proxy
	// accepts; both empty means it accepts any credential.
	AccessKeyId string `json:"AccessKeyId,omitempty"`
	// RawSecretAccessKey: see AccessKeyId.
	RawSecretAccessKey string `json:"RawSecretAccessKey,omitempty"`
	// Unreachable makes KMS unable to reach the proxy.
	Unreachable bool `json:"Unreachable,omitempty"`
	// InvalidResponse makes the proxy answer with something KMS cannot
	// interpret.
	InvalidResponse bool `json:"InvalidResponse,omitempty"`
	// ConnectionErrorCode, when set, makes every connection through the
	// proxy end FAILED with it, e.g. XKS_PROXY_TIMED_OUT,
	// XKS_PROXY_ACCESS_DENIED or XKS_PROXY_INVALID_TLS_CONFIGURATION.
	ConnectionErrorCode string `json:"ConnectionErrorCode,omitempty"`
}

// VpcEndpointService is an Amazon VPC endpoint service that external key
// stores with VPC_ENDPOINT_SERVICE connectivity can use.
type VpcEndpointService struct {
	// ServiceName is e.g. "com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0".
	// Required, unique.
	ServiceName string `json:"ServiceName"`
	// Owner is the owning account ID; "" matches any owner.
	Owner string `json:"Owner,omitempty"`
	// InvalidConfiguration marks a service that does not meet the external
	// key store requirements.
	InvalidConfiguration bool `json:"InvalidConfiguration,omitempty"`
}
