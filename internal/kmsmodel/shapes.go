package kmsmodel

// The model's patterns, as written there (see Pattern for their meaning).
var (
	PatternCloudHsmClusterId                        = &Pattern{Source: `cluster-[2-7a-zA-Z]{11,16}`}
	PatternXksProxyAuthenticationAccessKeyId        = &Pattern{Source: `^[A-Z2-7]+$`}
	PatternXksProxyAuthenticationRawSecretAccessKey = &Pattern{Source: `^[a-zA-Z0-9\/+=]+$`}
	PatternXksProxyUriEndpoint                      = &Pattern{Source: `^https://[a-zA-Z0-9.-]+$`}
	PatternXksProxyUriPath                          = &Pattern{Source: `^(/[a-zA-Z0-9\/_-]+/kms/xks/v\d{1,2})$|^(/kms/xks/v\d{1,2})$`}
	PatternXksProxyVpcEndpointServiceName           = &Pattern{Source: `^(com|eu)\.amazonaws\.vpce\.([a-z]+-){2,3}\d+\.vpce-svc-[0-9a-z]+$`}
	PatternAccountId                                = &Pattern{Source: `[0-9]{12}`}
	PatternMarker                                   = &Pattern{Source: `[\u0020-\u00FF]*`}
)

// Patterns lists every pattern above, once.
var Patterns = []*Pattern{
	PatternCloudHsmClusterId,
	PatternXksProxyAuthenticationAccessKeyId,
	PatternXksProxyAuthenticationRawSecretAccessKey,
	PatternXksProxyUriEndpoint,
	PatternXksProxyUriPath,
	PatternXksProxyVpcEndpointServiceName,
	PatternAccountId,
	PatternMarker,
}

// The model's simple shapes: a member takes its constraints from one.
var (
	customKeyStoreIdType   = Member{Kind: KindString, Target: "CustomKeyStoreIdType", MinLen: 1, MaxLen: 64, HasLength: true}
	customKeyStoreNameType = Member{Kind: KindString, Target: "CustomKeyStoreNameType", MinLen: 1, MaxLen: 256, HasLength: true}
	cloudHsmClusterIdType  = Member{Kind: KindString, Target: "CloudHsmClusterIdType", MinLen: 19, MaxLen: 24, HasLength: true, Pattern: PatternCloudHsmClusterId}
	trustAnchorType        = Member{Kind: KindString, Target: "TrustAnchorCertificateType", MinLen: 1, MaxLen: 5000, HasLength: true}
	keyStorePasswordType   = Member{Kind: KindString, Target: "KeyStorePasswordType", MinLen: 7, MaxLen: 32, HasLength: true, Sensitive: true}
	customKeyStoreTypeType = Member{Kind: KindString, Target: "CustomKeyStoreType", Enum: CustomKeyStoreTypeValues}
	xksUriEndpointType     = Member{Kind: KindString, Target: "XksProxyUriEndpointType", MinLen: 10, MaxLen: 128, HasLength: true, Pattern: PatternXksProxyUriEndpoint}
	xksUriPathType         = Member{Kind: KindString, Target: "XksProxyUriPathType", MinLen: 10, MaxLen: 128, HasLength: true, Pattern: PatternXksProxyUriPath}
	xksVpcServiceNameType  = Member{Kind: KindString, Target: "XksProxyVpcEndpointServiceNameType", MinLen: 20, MaxLen: 64, HasLength: true, Pattern: PatternXksProxyVpcEndpointServiceName}
	accountIdType          = Member{Kind: KindString, Target: "AccountIdType", MinLen: 12, MaxLen: 12, HasLength: true, Pattern: PatternAccountId}
	xksCredentialType      = Member{Kind: KindStructure, Target: "XksProxyAuthenticationCredentialType"}
	xksConnectivityType    = Member{Kind: KindString, Target: "XksProxyConnectivityType", Enum: XksProxyConnectivityValues}
	accessKeyIdType        = Member{Kind: KindString, Target: "XksProxyAuthenticationAccessKeyIdType", MinLen: 20, MaxLen: 30, HasLength: true, Pattern: PatternXksProxyAuthenticationAccessKeyId, Sensitive: true}
	rawSecretType          = Member{Kind: KindString, Target: "XksProxyAuthenticationRawSecretAccessKeyType", MinLen: 43, MaxLen: 64, HasLength: true, Pattern: PatternXksProxyAuthenticationRawSecretAccessKey, Sensitive: true}
	limitType              = Member{Kind: KindInteger, Target: "LimitType", MinValue: 1, MaxValue: 1000, HasRange: true}
	markerType             = Member{Kind: KindString, Target: "MarkerType", MinLen: 1, MaxLen: 1024, HasLength: true, Pattern: PatternMarker}
	booleanType            = Member{Kind: KindBoolean, Target: "BooleanType"}
	dateType               = Member{Kind: KindTimestamp, Target: "DateType"}
	connectionStateType    = Member{Kind: KindString, Target: "ConnectionStateType", Enum: ConnectionStateValues}
	connectionErrorType    = Member{Kind: KindString, Target: "ConnectionErrorCodeType", Enum: ConnectionErrorCodeValues}
	xksConfigurationType   = Member{Kind: KindStructure, Target: "XksProxyConfigurationType"}
	listEntriesType        = Member{Kind: KindList, Target: "CustomKeyStoresListEntry"}
)

// m returns a member named name (wire and Go name alike) of simple shape t
// for store types s.
func m(name string, t Member, s StoreTypes) Member {
	t.Name, t.GoName, t.Stores = name, name, s
	return t
}

// required marks x @required.
func required(x Member) Member { x.Required = true; return x }

// requiredFor marks x as documented-required for store types s.
func requiredFor(x Member, s StoreTypes) Member { x.RequiredFor = s; return x }

// change sets when UpdateCustomKeyStore may change x.
func change(x Member, r ChangeRule) Member { x.Change = r; return x }

// shape numbers members in the order given.
func shape(name string, ms ...Member) *Shape {
	for i := range ms {
		ms[i].Order = i
	}
	return &Shape{Name: name, Members: ms}
}

// XksProxyAuthenticationCredentialType: both members are required and
// sensitive.
var XksProxyAuthenticationCredentialType = shape("XksProxyAuthenticationCredentialType",
	required(m("AccessKeyId", accessKeyIdType, External)),
	required(m("RawSecretAccessKey", rawSecretType, External)),
)

// CreateCustomKeyStoreInput. The model requires only CustomKeyStoreName; the
// documentation requires CloudHsmClusterId, KeyStorePassword and
// TrustAnchorCertificate for an AWS_CLOUDHSM store, and
// XksProxyConnectivity, XksProxyAuthenticationCredential,
// XksProxyUriEndpoint and XksProxyUriPath (plus
// XksProxyVpcEndpointServiceName for VPC_ENDPOINT_SERVICE) for an
// EXTERNAL_KEY_STORE.
var CreateCustomKeyStoreInput = shape("CreateCustomKeyStoreInput",
	required(m("CustomKeyStoreName", customKeyStoreNameType, BothStores)),
	requiredFor(m("CloudHsmClusterId", cloudHsmClusterIdType, CloudHSM), CloudHSM),
	m("CustomKeyStoreType", customKeyStoreTypeType, BothStores),
	requiredFor(m("KeyStorePassword", keyStorePasswordType, CloudHSM), CloudHSM),
	requiredFor(m("TrustAnchorCertificate", trustAnchorType, CloudHSM), CloudHSM),
	requiredFor(m("XksProxyAuthenticationCredential", xksCredentialType, External), External),
	requiredFor(m("XksProxyConnectivity", xksConnectivityType, External), External),
	requiredFor(m("XksProxyUriEndpoint", xksUriEndpointType, External), External),
	requiredFor(m("XksProxyUriPath", xksUriPathType, External), External),
	requiredWhen(m("XksProxyVpcEndpointServiceName", xksVpcServiceNameType, External), XksProxyConnectivityVpcEndpointService),
	m("XksProxyVpcEndpointServiceOwner", accountIdType, External),
)

// requiredWhen marks x as documented-required when XksProxyConnectivity is
// conn.
func requiredWhen(x Member, conn string) Member { x.RequiredWhenConnectivity = conn; return x }

// CreateCustomKeyStoreOutput.
var CreateCustomKeyStoreOutput = shape("CreateCustomKeyStoreOutput",
	m("CustomKeyStoreId", customKeyStoreIdType, BothStores),
)

// DescribeCustomKeyStoresInput: CustomKeyStoreId and CustomKeyStoreName
// are exclusive (see DescribeExclusiveMembers).
var DescribeCustomKeyStoresInput = shape("DescribeCustomKeyStoresInput",
	m("CustomKeyStoreId", customKeyStoreIdType, BothStores),
	m("CustomKeyStoreName", customKeyStoreNameType, BothStores),
	m("Limit", limitType, BothStores),
	m("Marker", markerType, BothStores),
)

// DescribeExclusiveMembers may not both be sent to DescribeCustomKeyStores.
var DescribeExclusiveMembers = []string{"CustomKeyStoreId", "CustomKeyStoreName"}

// DescribeCustomKeyStoresOutput.
var DescribeCustomKeyStoresOutput = shape("DescribeCustomKeyStoresOutput",
	m("CustomKeyStores", listEntriesType, BothStores),
	m("NextMarker", markerType, BothStores),
	m("Truncated", booleanType, BothStores),
)

// CustomKeyStoresListEntry is one store in DescribeCustomKeyStores.
var CustomKeyStoresListEntry = shape("CustomKeyStoresListEntry",
	m("CloudHsmClusterId", cloudHsmClusterIdType, CloudHSM),
	m("ConnectionErrorCode", connectionErrorType, BothStores),
	m("ConnectionState", connectionStateType, BothStores),
	m("CreationDate", dateType, BothStores),
	m("CustomKeyStoreId", customKeyStoreIdType, BothStores),
	m("CustomKeyStoreName", customKeyStoreNameType, BothStores),
	m("CustomKeyStoreType", customKeyStoreTypeType, BothStores),
	m("TrustAnchorCertificate", trustAnchorType, CloudHSM),
	m("XksProxyConfiguration", xksConfigurationType, External),
)

// XksProxyConfigurationType is an external store's proxy settings in
// DescribeCustomKeyStores. It never carries the secret access key.
var XksProxyConfigurationType = shape("XksProxyConfigurationType",
	m("AccessKeyId", accessKeyIdType, External),
	m("Connectivity", xksConnectivityType, External),
	m("UriEndpoint", xksUriEndpointType, External),
	m("UriPath", xksUriPathType, External),
	m("VpcEndpointServiceName", xksVpcServiceNameType, External),
	m("VpcEndpointServiceOwner", accountIdType, External),
)

// storeIDInput is the input of Connect, Disconnect and Delete.
func storeIDInput(name string) *Shape {
	return shape(name, required(m("CustomKeyStoreId", customKeyStoreIdType, BothStores)))
}

// The inputs and (empty) outputs of Connect, Disconnect and Delete.
var (
	ConnectCustomKeyStoreInput     = storeIDInput("ConnectCustomKeyStoreInput")
	ConnectCustomKeyStoreOutput    = shape("ConnectCustomKeyStoreOutput")
	DisconnectCustomKeyStoreInput  = storeIDInput("DisconnectCustomKeyStoreInput")
	DisconnectCustomKeyStoreOutput = shape("DisconnectCustomKeyStoreOutput")
	DeleteCustomKeyStoreInput      = storeIDInput("DeleteCustomKeyStoreInput")
	DeleteCustomKeyStoreOutput     = shape("DeleteCustomKeyStoreOutput")
)

// UpdateCustomKeyStoreInput. Change says in which ConnectionState each
// member may change: NewCustomKeyStoreName, XksProxyAuthenticationCredential
// and XksProxyUriPath while CONNECTED or DISCONNECTED; every other property
// only while DISCONNECTED.
var UpdateCustomKeyStoreInput = shape("UpdateCustomKeyStoreInput",
	required(m("CustomKeyStoreId", customKeyStoreIdType, BothStores)),
	change(m("CloudHsmClusterId", cloudHsmClusterIdType, CloudHSM), ChangeWhileDisconnected),
	change(m("KeyStorePassword", keyStorePasswordType, CloudHSM), ChangeWhileDisconnected),
	change(m("NewCustomKeyStoreName", customKeyStoreNameType, BothStores), ChangeWhileConnectedOrDisconnected),
	change(m("XksProxyAuthenticationCredential", xksCredentialType, External), ChangeWhileConnectedOrDisconnected),
	change(m("XksProxyConnectivity", xksConnectivityType, External), ChangeWhileDisconnected),
	change(m("XksProxyUriEndpoint", xksUriEndpointType, External), ChangeWhileDisconnected),
	change(m("XksProxyUriPath", xksUriPathType, External), ChangeWhileConnectedOrDisconnected),
	emptyWith(change(m("XksProxyVpcEndpointServiceName", xksVpcServiceNameType, External), ChangeWhileDisconnected), XksProxyConnectivityPublicEndpoint),
	change(m("XksProxyVpcEndpointServiceOwner", accountIdType, External), ChangeWhileDisconnected),
)

// emptyWith marks "" as documented for x when XksProxyConnectivity is conn.
func emptyWith(x Member, conn string) Member { x.EmptyWithConnectivity = conn; return x }

// UpdateCustomKeyStoreOutput is empty.
var UpdateCustomKeyStoreOutput = shape("UpdateCustomKeyStoreOutput")

// Shapes lists every structure above, inputs and outputs of the six
// operations and the nested structures.
var Shapes = []*Shape{
	CreateCustomKeyStoreInput, CreateCustomKeyStoreOutput,
	DescribeCustomKeyStoresInput, DescribeCustomKeyStoresOutput,
	ConnectCustomKeyStoreInput, ConnectCustomKeyStoreOutput,
	DisconnectCustomKeyStoreInput, DisconnectCustomKeyStoreOutput,
	DeleteCustomKeyStoreInput, DeleteCustomKeyStoreOutput,
	UpdateCustomKeyStoreInput, UpdateCustomKeyStoreOutput,
	XksProxyAuthenticationCredentialType, CustomKeyStoresListEntry, XksProxyConfigurationType,
}

// ShapeNamed returns the shape called name, or nil.
func ShapeNamed(name string) *Shape {
	for _, s := range Shapes {
		if s.Name == name {
			return s
		}
	}
	return nil
}
