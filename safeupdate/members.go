package safeupdate

import (
	"github.com/kmskit/kms"
	"github.com/kmskit/kms/internal/kmsmodel"
)

// updateShape is the model of UpdateCustomKeyStoreInput: the member names
// and facts the planner reads.
var updateShape = kmsmodel.UpdateCustomKeyStoreInput

// The AWS names of the members the planner names in its messages.
var (
	fieldCustomKeyStoreID      = updateShape.MustMember("CustomKeyStoreId").Name
	fieldCloudHsmClusterID     = updateShape.MustMember("CloudHsmClusterId").Name
	fieldKeyStorePassword      = updateShape.MustMember("KeyStorePassword").Name
	fieldNewCustomKeyStoreName = updateShape.MustMember("NewCustomKeyStoreName").Name
	fieldXksCredential         = updateShape.MustMember("XksProxyAuthenticationCredential").Name
	fieldXksConnectivity       = updateShape.MustMember("XksProxyConnectivity").Name
	fieldXksURIEndpoint        = updateShape.MustMember("XksProxyUriEndpoint").Name
	fieldXksURIPath            = updateShape.MustMember("XksProxyUriPath").Name
	fieldXksVpcServiceName     = updateShape.MustMember("XksProxyVpcEndpointServiceName").Name
	fieldXksVpcServiceOwner    = updateShape.MustMember("XksProxyVpcEndpointServiceOwner").Name
	fieldXksAccessKeyID        = fieldXksCredential + "." + kmsmodel.ShapeNamed(updateShape.MustMember(fieldXksCredential).Target).MustMember("AccessKeyId").Name
)

// memberStore is the store type a member of UpdateCustomKeyStoreInput
// applies to, or "" when it applies to both.
func memberStore(name string) kms.CustomKeyStoreType {
	switch updateShape.MustMember(name).Stores {
	case kmsmodel.CloudHSM:
		return kms.CustomKeyStoreTypeAwsCloudhsm
	case kmsmodel.External:
		return kms.CustomKeyStoreTypeExternalKeyStore
	}
	return ""
}

// validationError is the *kms.ValidationError of one problem with the
// UpdateCustomKeyStoreInput member field.
func validationError(field, reason string) *kms.ValidationError {
	return kms.NewValidationError(updateShape.Name, kms.FieldProblem{Field: field, Reason: reason})
}
