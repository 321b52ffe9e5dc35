package kms

import (
	"context"
	"strings"

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
	res, err := invoke(ctx, c, createTable, params, optFns)
	if err != nil {
		return nil, err
	}
	out := &CreateCustomKeyStoreOutput{RequestID: res.requestID, ResultMetadata: res.metadata}
	if out.CustomKeyStoreId, err = decodeCreate(res.body, res.scrubber); err != nil {
		return nil, deserializationError(kmsmodel.OpCreateCustomKeyStore, res.requestID, err)
	}
	return out, nil
}

// decodeCreate decodes a CreateCustomKeyStore body: the new store's ID,
// scrubbed with sc. An empty body has none.
func decodeCreate(body []byte, sc *awsjson.Scrubber) (*string, error) {
	var w struct{ CustomKeyStoreId *string }
	if err := decodeJSONBody(body, &w); err != nil || w.CustomKeyStoreId == nil {
		return nil, err
	}
	id := sc.Scrub(*w.CustomKeyStoreId)
	return &id, nil
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
func (in *CreateCustomKeyStoreInput) Validate() error { return createTable.validate(in, true) }

// createRules are CreateCustomKeyStore's documented cross-member rules
// (see Validate).
func createRules(t *table[*CreateCustomKeyStoreInput], in *CreateCustomKeyStoreInput, p problems) problems {
	typ := string(in.CustomKeyStoreType)
	implied := ""
	if typ == "" {
		typ = kmsmodel.CustomKeyStoreTypeAwsCloudhsm
		implied = " (CustomKeyStoreType is empty, which means AWS_CLOUDHSM; set EXTERNAL_KEY_STORE for an external key store)"
	}
	store := kmsmodel.StoreTypeOf(typ)
	if store == 0 {
		return p // a type this version does not know: KMS judges it
	}
	var foreign []string
	conn := string(in.XksProxyConnectivity)
	var missing []string // documented-required for the connectivity, not sent
	for i := range t.members {
		m := &t.members[i]
		if m.parent >= 0 {
			continue
		}
		switch sent := m.at(in).sent(); {
		case !sent && m.RequiredFor.Has(store):
			p.add(m.Name, "required for an "+typ+" custom key store"+implied)
		case sent && !m.Stores.Has(store):
			foreign = append(foreign, m.Name)
		case !sent && m.RequiredWhenConnectivity != "" && m.RequiredWhenConnectivity == conn:
			missing = append(missing, m.Name)
		}
	}
	if len(foreign) > 0 {
		p.add(foreign[0], "not valid for an "+typ+" custom key store"+implied+": CloudHSM members ("+strings.Join(t.names(nil, cloudHSMOnly), ", ")+") and external key store members (XksProxy*) cannot be mixed; sent: "+
			strings.Join(foreign, ", "))
	}
	if store != kmsmodel.External {
		return p
	}
	for _, name := range missing {
		p.add(name, "required when XksProxyConnectivity is "+conn)
	}
	if conn == kmsmodel.XksProxyConnectivityPublicEndpoint {
		for _, v := range [...]struct {
			name string
			sent bool
		}{{"XksProxyVpcEndpointServiceName", in.XksProxyVpcEndpointServiceName != nil}, {"XksProxyVpcEndpointServiceOwner", in.XksProxyVpcEndpointServiceOwner != nil}} {
			if v.sent {
				p.add(v.name, "must be nil when XksProxyConnectivity is PUBLIC_ENDPOINT: it applies only to VPC_ENDPOINT_SERVICE")
			}
		}
	}
	return p
}
