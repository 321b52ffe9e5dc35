package kmsmodel

// Operation is one custom key store operation.
type Operation struct {
	// Name is the operation name, e.g. "UpdateCustomKeyStore".
	Name string
	// Input and Output are its shapes.
	Input, Output *Shape
	// Errors are the codes it documents, in the documentation's order.
	Errors []string
}

// Target is the X-Amz-Target header value of the operation.
func (o *Operation) Target() string { return TargetPrefix + o.Name }

// Documents reports whether the operation documents code.
func (o *Operation) Documents(code string) bool {
	for _, c := range o.Errors {
		if c == code {
			return true
		}
	}
	return false
}

// TargetPrefix is the awsJson1.1 service prefix of X-Amz-Target.
const TargetPrefix = "TrentService."

// The names of the six custom key store operations.
const (
	OpCreateCustomKeyStore     = "CreateCustomKeyStore"
	OpDescribeCustomKeyStores  = "DescribeCustomKeyStores"
	OpConnectCustomKeyStore    = "ConnectCustomKeyStore"
	OpDisconnectCustomKeyStore = "DisconnectCustomKeyStore"
	OpDeleteCustomKeyStore     = "DeleteCustomKeyStore"
	OpUpdateCustomKeyStore     = "UpdateCustomKeyStore"
)

// The six custom key store operations.
var (
	CreateCustomKeyStore = &Operation{
		Name: OpCreateCustomKeyStore, Input: CreateCustomKeyStoreInput, Output: CreateCustomKeyStoreOutput,
		Errors: []string{
			CodeCloudHsmClusterInUse, CodeCustomKeyStoreNameInUse, CodeCloudHsmClusterNotFound, CodeKMSInternal,
			CodeCloudHsmClusterNotActive, CodeIncorrectTrustAnchor, CodeCloudHsmClusterInvalidConfiguration,
			CodeLimitExceeded, CodeXksProxyUriInUse, CodeXksProxyUriEndpointInUse, CodeXksProxyUriUnreachable,
			CodeXksProxyIncorrectAuthenticationCredential, CodeXksProxyVpcEndpointServiceInUse,
			CodeXksProxyVpcEndpointServiceNotFound, CodeXksProxyVpcEndpointServiceInvalidConfiguration,
			CodeXksProxyInvalidResponse, CodeXksProxyInvalidConfiguration,
		},
	}
	DescribeCustomKeyStores = &Operation{
		Name: OpDescribeCustomKeyStores, Input: DescribeCustomKeyStoresInput, Output: DescribeCustomKeyStoresOutput,
		Errors: []string{CodeCustomKeyStoreNotFound, CodeInvalidMarker, CodeKMSInternal},
	}
	ConnectCustomKeyStore = &Operation{
		Name: OpConnectCustomKeyStore, Input: ConnectCustomKeyStoreInput, Output: ConnectCustomKeyStoreOutput,
		Errors: []string{
			CodeCloudHsmClusterNotActive, CodeCustomKeyStoreInvalidState, CodeCustomKeyStoreNotFound,
			CodeKMSInternal, CodeCloudHsmClusterInvalidConfiguration,
		},
	}
	DisconnectCustomKeyStore = &Operation{
		Name: OpDisconnectCustomKeyStore, Input: DisconnectCustomKeyStoreInput, Output: DisconnectCustomKeyStoreOutput,
		Errors: []string{CodeCustomKeyStoreInvalidState, CodeCustomKeyStoreNotFound, CodeKMSInternal},
	}
	DeleteCustomKeyStore = &Operation{
		Name: OpDeleteCustomKeyStore, Input: DeleteCustomKeyStoreInput, Output: DeleteCustomKeyStoreOutput,
		Errors: []string{CodeCustomKeyStoreHasCMKs, CodeCustomKeyStoreInvalidState, CodeCustomKeyStoreNotFound, CodeKMSInternal},
	}
	UpdateCustomKeyStore = &Operation{
		Name: OpUpdateCustomKeyStore, Input: UpdateCustomKeyStoreInput, Output: UpdateCustomKeyStoreOutput,
		Errors: []string{
			CodeCustomKeyStoreNotFound, CodeCustomKeyStoreNameInUse, CodeCloudHsmClusterNotFound,
			CodeCloudHsmClusterNotRelated, CodeCustomKeyStoreInvalidState, CodeKMSInternal,
			CodeCloudHsmClusterNotActive, CodeCloudHsmClusterInvalidConfiguration, CodeXksProxyUriInUse,
			CodeXksProxyUriEndpointInUse, CodeXksProxyUriUnreachable, CodeXksProxyIncorrectAuthenticationCredential,
			CodeXksProxyVpcEndpointServiceInUse, CodeXksProxyVpcEndpointServiceNotFound,
			CodeXksProxyVpcEndpointServiceInvalidConfiguration, CodeXksProxyInvalidResponse,
			CodeXksProxyInvalidConfiguration,
		},
	}
)

// Operations lists the six operations.
var Operations = []*Operation{
	CreateCustomKeyStore, DescribeCustomKeyStores, ConnectCustomKeyStore,
	DisconnectCustomKeyStore, DeleteCustomKeyStore, UpdateCustomKeyStore,
}

// OperationNamed returns the operation called name, or nil.
func OperationNamed(name string) *Operation {
	for _, o := range Operations {
		if o.Name == name {
			return o
		}
	}
	return nil
}
