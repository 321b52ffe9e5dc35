package kmstest

import "github.com/kmskit/kms/internal/kmsmodel"

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

	// CloudHsmClusterId is the associated cluster (AWS_CLOUDHSM only).
	CloudHsmClusterId string `json:"CloudHsmClusterId,omitempty"`
	// KeyStorePassword is the kmsuser password KMS was told (AWS_CLOUDHSM
	// only). KMS never returns it; kmstest lets tests read it.
	KeyStorePassword string `json:"KeyStorePassword,omitempty"`

	// XksProxyConfiguration is the proxy configuration (EXTERNAL_KEY_STORE
	// only); zero for a CloudHSM store.
	XksProxyConfiguration XksProxyConfiguration `json:"XksProxyConfiguration,omitzero"`
}

// XksProxyConfiguration is an external key store's proxy configuration, as
// in DescribeCustomKeyStores, plus the secret access key.
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
// with.
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
// endpoint. kmstest consults it when an update of a CONNECTED external store
// changes the credential or path.
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
