package kms

import (
	"context"
	"fmt"
	"strings"

	"github.com/aws/smithy-go"
	"github.com/aws/smithy-go/middleware"

	"github.com/kmskit/kms/internal/awsjson"
	"github.com/kmskit/kms/internal/kmsmodel"
)

// CreateCustomKeyStoreInput is the request of [Client.CreateCustomKeyStore].
// Field names and types match aws-sdk-go-v2/service/kms. Nil members are
// not sent; a pointer to "" is sent as "".
//
// A CloudHSM key store (CustomKeyStoreType empty or AWS_CLOUDHSM) needs
// CloudHsmClusterId, KeyStorePassword and TrustAnchorCertificate. An
// external key store (EXTERNAL_KEY_STORE) needs XksProxyConnectivity,
// XksProxyAuthenticationCredential, XksProxyUriEndpoint and
// XksProxyUriPath, plus XksProxyVpcEndpointServiceName with
// VPC_ENDPOINT_SERVICE connectivity. See [CreateCustomKeyStoreInput.Validate].
type CreateCustomKeyStoreInput struct {
	// CustomKeyStoreName is the store's friendly name, unique in the account
	// and Region. Required. It may appear in CloudTrail logs: put nothing
	// confidential in it.
	CustomKeyStoreName *string

	// CloudHsmClusterId is the ACTIVE CloudHSM cluster that backs an
	// AWS_CLOUDHSM store; no other store may use it.
	CloudHsmClusterId *string

	// CustomKeyStoreType is AWS_CLOUDHSM (the default when empty) or
	// EXTERNAL_KEY_STORE. It cannot change later. The zero value is not sent.
	CustomKeyStoreType CustomKeyStoreType

	// KeyStorePassword is the password of the kmsuser crypto user in the
	// cluster (AWS_CLOUDHSM). Secret: never printed or logged by this package.
	KeyStorePassword *string

	// TrustAnchorCertificate is the content of the cluster's customerCA.crt
	// (AWS_CLOUDHSM).
	TrustAnchorCertificate *string

	// XksProxyAuthenticationCredential is the credential KMS signs proxy
	// requests with (EXTERNAL_KEY_STORE); both members are required.
	XksProxyAuthenticationCredential *XksProxyAuthenticationCredentialType

	// XksProxyConnectivity is PUBLIC_ENDPOINT or VPC_ENDPOINT_SERVICE
	// (EXTERNAL_KEY_STORE). The zero value is not sent.
	XksProxyConnectivity XksProxyConnectivityType

	// XksProxyUriEndpoint is https:// and the proxy's host name
	// (EXTERNAL_KEY_STORE). A PUBLIC_ENDPOINT proxy must be reachable when the
	// store is created.
	XksProxyUriEndpoint *string

	// XksProxyUriPath is the base path of the proxy APIs, ending in
	// /kms/xks/v1 or another version (EXTERNAL_KEY_STORE).
	XksProxyUriPath *string

	// XksProxyVpcEndpointServiceName names the VPC endpoint service;
	// required with VPC_ENDPOINT_SERVICE connectivity.
	XksProxyVpcEndpointServiceName *string

	// XksProxyVpcEndpointServiceOwner is the account that owns the VPC
	// endpoint service; nil means the calling account.
	XksProxyVpcEndpointServiceOwner *string
}

// CreateCustomKeyStoreOutput is the result of a successful
// CreateCustomKeyStore.
type CreateCustomKeyStoreOutput struct {
	// CustomKeyStoreId is the ID of the new store, e.g.
	// "cks-1234567890abcdef0". The store is DISCONNECTED: connect it with
	// ConnectCustomKeyStore. Like every string decoded from the response,
	// it is scrubbed of the input's secrets (an echo of KeyStorePassword
	// shows as "[REDACTED]").
	CustomKeyStoreId *string

	// RequestID is the x-amzn-RequestId of the response.
	RequestID string
	// ResultMetadata carries the request ID as aws-sdk-go-v2 does.
	ResultMetadata middleware.Metadata
}

// maxCreateResponse bounds the body of a CreateCustomKeyStore response:
// KMS returns one short ID.
const maxCreateResponse = 64 << 10

// CreateCustomKeyStore creates a CloudHSM key store or an external key
// store and returns its ID. The new store is DISCONNECTED; connect it with
// [Client.ConnectCustomKeyStore] and wait with
// [NewCustomKeyStoreConnectedWaiter].
//
// Input is checked first (see [CreateCustomKeyStoreInput.Validate]); a bad
// input returns a *ValidationError and sends nothing. A KMS error is, or
// wraps, an *APIError matching one of the Err values with errors.Is, for
// example ErrCustomKeyStoreNameInUse, ErrCloudHsmClusterInUse,
// ErrIncorrectTrustAnchor or ErrXksProxyUriUnreachable. No error text holds
// KeyStorePassword, AccessKeyId or RawSecretAccessKey.
func (c *Client) CreateCustomKeyStore(ctx context.Context, params *CreateCustomKeyStoreInput, optFns ...func(*Options)) (*CreateCustomKeyStoreOutput, error) {
	k := call{
		op:       "CreateCustomKeyStore",
		validate: validation(params.Validate, params.validateRequired),
		encode:   func(dst []byte) []byte { return params.appendWire(dst) },
		secrets:  params.secretValues(),
	}
	res, err := c.invoke(ctx, k, optFns)
	if err != nil {
		return nil, err
	}
	out := &CreateCustomKeyStoreOutput{RequestID: res.requestID, ResultMetadata: res.metadata}
	if out.CustomKeyStoreId, err = decodeCreate(res.body, res.scrubber); err != nil {
		return nil, deserializationError(k.op, res.requestID, err)
	}
	return out, nil
}

// appendWire appends the awsJson1.1 body of in to dst, members in the
// official SDK's order.
func (in *CreateCustomKeyStoreInput) appendWire(dst []byte) []byte {
	o := openObject(dst)
	o.str("CloudHsmClusterId", in.CloudHsmClusterId)
	o.str("CustomKeyStoreName", in.CustomKeyStoreName)
	o.enum("CustomKeyStoreType", string(in.CustomKeyStoreType))
	o.str("KeyStorePassword", in.KeyStorePassword)
	o.str("TrustAnchorCertificate", in.TrustAnchorCertificate)
	o.credential("XksProxyAuthenticationCredential", in.XksProxyAuthenticationCredential)
	o.enum("XksProxyConnectivity", string(in.XksProxyConnectivity))
	o.str("XksProxyUriEndpoint", in.XksProxyUriEndpoint)
	o.str("XksProxyUriPath", in.XksProxyUriPath)
	o.str("XksProxyVpcEndpointServiceName", in.XksProxyVpcEndpointServiceName)
	o.str("XksProxyVpcEndpointServiceOwner", in.XksProxyVpcEndpointServiceOwner)
	return o.close()
}

// decodeCreate decodes a CreateCustomKeyStore body: the new store's ID,
// scrubbed with sc. An empty body has none.
func decodeCreate(body []byte, sc *awsjson.Scrubber) (*string, error) {
	var out CreateCustomKeyStoreOutput
	if len(body) == 0 {
		return nil, nil
	}
	r := &jsonReader{b: body, sc: sc}
	if err := readObject(r, &out, createMember); err != nil {
		return nil, err
	}
	return out.CustomKeyStoreId, r.end()
}

// createMember reads one member of a CreateCustomKeyStore body.
func createMember(r *jsonReader, out *CreateCustomKeyStoreOutput, name []byte) (bool, error) {
	if string(name) == "CustomKeyStoreId" {
		return true, r.str(&out.CustomKeyStoreId)
	}
	return false, nil
}

// deserializationError wraps a decoding failure in a
// *smithy.DeserializationError, as aws-sdk-go-v2 does. The text says where
// the body is wrong, never what it holds.
func deserializationError(op, requestID string, err error) error {
	if pe, ok := err.(*pathError); ok && strings.HasPrefix(pe.path, ".") {
		err = &pathError{path: pe.path[1:], err: pe.err} // a top-level member
	}
	return fmt.Errorf("kms: %s: decode response (request id %s): %w", op, requestID,
		&smithy.DeserializationError{Err: err})
}

// Validate checks the input offline, before anything is sent, and returns
// nil or a *ValidationError listing every problem: each member's length,
// pattern, enum and UTF-8 rules (from the KMS model), then the documented
// rules that tie members together:
//
//   - CustomKeyStoreName is required.
//   - An AWS_CLOUDHSM store (CustomKeyStoreType empty or AWS_CLOUDHSM) needs
//     CloudHsmClusterId, KeyStorePassword and TrustAnchorCertificate.
//   - An EXTERNAL_KEY_STORE needs XksProxyConnectivity,
//     XksProxyAuthenticationCredential (both members), XksProxyUriEndpoint
//     and XksProxyUriPath; with VPC_ENDPOINT_SERVICE also
//     XksProxyVpcEndpointServiceName, and with PUBLIC_ENDPOINT neither
//     XksProxyVpcEndpointServiceName nor XksProxyVpcEndpointServiceOwner.
//   - CloudHSM members and external key store (XksProxy*) members are never
//     mixed.
//
// A CustomKeyStoreType or XksProxyConnectivity value this version does not
// know is sent as it is, for KMS to judge, as every AWS SDK does; the store
// type rules then do not apply. A value that differs from a known one only
// in case (such as "external_key_store") is rejected as a typo.
//
// Problem texts never hold KeyStorePassword, AccessKeyId or
// RawSecretAccessKey. CreateCustomKeyStore calls Validate unless
// Options.DisableClientValidation is set.
func (in *CreateCustomKeyStoreInput) Validate() error {
	if in == nil {
		return nilInput(kmsmodel.CreateCustomKeyStoreInput)
	}
	p := newShapeProblems(kmsmodel.CreateCustomKeyStoreInput)
	if p.required("CustomKeyStoreName", in.CustomKeyStoreName) {
		p.str("CustomKeyStoreName", in.CustomKeyStoreName)
	}
	p.str("CloudHsmClusterId", in.CloudHsmClusterId)
	p.enum("CustomKeyStoreType", string(in.CustomKeyStoreType))
	p.str("KeyStorePassword", in.KeyStorePassword)
	p.str("TrustAnchorCertificate", in.TrustAnchorCertificate)
	p.credential("XksProxyAuthenticationCredential", in.XksProxyAuthenticationCredential)
	p.enum("XksProxyConnectivity", string(in.XksProxyConnectivity))
	p.str("XksProxyUriEndpoint", in.XksProxyUriEndpoint)
	p.str("XksProxyUriPath", in.XksProxyUriPath)
	p.str("XksProxyVpcEndpointServiceName", in.XksProxyVpcEndpointServiceName)
	p.str("XksProxyVpcEndpointServiceOwner", in.XksProxyVpcEndpointServiceOwner)

	// Cross-member rules, from the store type.
	typ := string(in.CustomKeyStoreType)
	implied := ""
	if typ == "" {
		typ = kmsmodel.CustomKeyStoreTypeAwsCloudhsm
		implied = " (CustomKeyStoreType is empty, which means AWS_CLOUDHSM; set EXTERNAL_KEY_STORE for an external key store)"
	}
	store := kmsmodel.StoreTypeOf(typ)
	if store == 0 {
		return p.result() // a type this version does not know: KMS judges it
	}
	var foreign []string
	for _, m := range p.shape.Members {
		sent := in.sent(m.Name)
		switch {
		case !sent && m.RequiredFor.Has(store):
			p.add(m.Name, "required for an "+typ+" custom key store"+implied)
		case sent && !m.Stores.Has(store):
			foreign = append(foreign, m.Name)
		}
	}
	if len(foreign) > 0 {
		p.add(foreign[0], "not valid for an "+typ+" custom key store"+implied+": CloudHSM members (CloudHsmClusterId, KeyStorePassword, TrustAnchorCertificate) and external key store members (XksProxy*) cannot be mixed; sent: "+
			strings.Join(foreign, ", "))
	}
	if store == kmsmodel.External {
		conn := string(in.XksProxyConnectivity)
		for _, m := range p.shape.Members {
			if m.RequiredWhenConnectivity != "" && m.RequiredWhenConnectivity == conn && !in.sent(m.Name) {
				p.add(m.Name, "required when XksProxyConnectivity is "+conn)
			}
		}
		if conn == kmsmodel.XksProxyConnectivityPublicEndpoint {
			for _, name := range [...]string{"XksProxyVpcEndpointServiceName", "XksProxyVpcEndpointServiceOwner"} {
				if in.sent(name) {
					p.add(name, "must be nil when XksProxyConnectivity is PUBLIC_ENDPOINT: it applies only to VPC_ENDPOINT_SERVICE")
				}
			}
		}
	}
	return p.result()
}

// validateRequired checks only what the model requires; it runs even with
// Options.DisableClientValidation.
func (in *CreateCustomKeyStoreInput) validateRequired() error {
	if in == nil {
		return nilInput(kmsmodel.CreateCustomKeyStoreInput)
	}
	p := newShapeProblems(kmsmodel.CreateCustomKeyStoreInput)
	p.required("CustomKeyStoreName", in.CustomKeyStoreName)
	return p.result()
}

// sent reports whether the member called name would be sent.
func (in *CreateCustomKeyStoreInput) sent(name string) bool {
	switch name {
	case "CustomKeyStoreName":
		return in.CustomKeyStoreName != nil
	case "CloudHsmClusterId":
		return in.CloudHsmClusterId != nil
	case "CustomKeyStoreType":
		return in.CustomKeyStoreType != ""
	case "KeyStorePassword":
		return in.KeyStorePassword != nil
	case "TrustAnchorCertificate":
		return in.TrustAnchorCertificate != nil
	case "XksProxyAuthenticationCredential":
		return in.XksProxyAuthenticationCredential != nil
	case "XksProxyConnectivity":
		return in.XksProxyConnectivity != ""
	case "XksProxyUriEndpoint":
		return in.XksProxyUriEndpoint != nil
	case "XksProxyUriPath":
		return in.XksProxyUriPath != nil
	case "XksProxyVpcEndpointServiceName":
		return in.XksProxyVpcEndpointServiceName != nil
	case "XksProxyVpcEndpointServiceOwner":
		return in.XksProxyVpcEndpointServiceOwner != nil
	}
	return false
}
