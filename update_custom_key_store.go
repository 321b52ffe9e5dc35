package kms

import (
	"context"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/aws/smithy-go/middleware"

	"github.com/kmskit/kms/internal/kmsmodel"
)

// UpdateCustomKeyStoreInput is the request of [Client.UpdateCustomKeyStore].
// Field names and types match aws-sdk-go-v2/service/kms.
//
// A nil pointer leaves that property unchanged and is not sent. A non-nil
// pointer to "" is sent as "": the API uses an empty
// XksProxyVpcEndpointServiceName to clear it when switching to
// PUBLIC_ENDPOINT. See [UpdateCustomKeyStoreInput.Validate] for the rules.
//
// Printing or logging an input (fmt, log/slog, encoding/json) never writes
// KeyStorePassword, AccessKeyId or RawSecretAccessKey, only the marker
// "[REDACTED]", and encoding/gob and encoding/xml refuse an input with one
// set; a program that must persist them has to store their values itself
// (in a secrets manager, say) and set them again before the call.
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

// UpdateCustomKeyStoreOutput is the result of a successful
// UpdateCustomKeyStore. KMS returns no properties.
type UpdateCustomKeyStoreOutput struct {
	// RequestID is the x-amzn-RequestId of the response, cleaned as on
	// the error path: printable valid UTF-8 without format characters, at
	// most 256 bytes, no secret of the input.
	RequestID string
	// ResultMetadata carries the request ID as aws-sdk-go-v2 does, for
	// awsmiddleware.GetRequestIDMetadata.
	ResultMetadata middleware.Metadata
}

// UpdateCustomKeyStore changes the properties of a CloudHSM or external key
// store. Most properties need the store DISCONNECTED; see
// [UpdateCustomKeyStoreInput.RequiresDisconnect].
//
// Input is checked first (see [UpdateCustomKeyStoreInput.Validate]); a bad
// input returns a *ValidationError and sends nothing. A KMS error is, or
// wraps, an *APIError that matches one of the Err values with errors.Is;
// a CustomKeyStoreInvalidStateException also says which members need a
// DISCONNECTED store and what to do.
// No error text or field holds KeyStorePassword, AccessKeyId or
// RawSecretAccessKey, even when a server echoes the request. A redirect is
// never followed: a 3xx response is an *APIError. Any 2xx response is a success whatever its body
// holds (KMS returns {}; the output has no members, and aws-sdk-go-v2 also
// discards it). A server that rejects the signing time with a clock skew
// error and a Date header more than 4 minutes off gets one extra attempt
// signed with its time, and the client keeps that offset for later calls.
// optFns change a copy of the client's Options for this call only.
func (c *Client) UpdateCustomKeyStore(ctx context.Context, params *UpdateCustomKeyStoreInput, optFns ...func(*Options)) (*UpdateCustomKeyStoreOutput, error) {
	res, err := invoke(ctx, c, updateTable, params, optFns)
	if err != nil {
		return nil, withStateAdvice(params, err)
	}
	return &UpdateCustomKeyStoreOutput{RequestID: res.requestID, ResultMetadata: res.metadata}, nil
}

// Validate checks the input offline and returns nil or a *ValidationError
// listing every problem: each member's length (in characters), pattern,
// enum and UTF-8 validity (the KMS model's, internal/kmsmodel), in member
// order, then the documented rules that tie members together:
//
//   - CloudHSM members (CloudHsmClusterId, KeyStorePassword) and external key
//     store members (XksProxy*) are not mixed in one update;
//   - XksProxyAuthenticationCredential, when sent, has both members;
//   - XksProxyVpcEndpointServiceName is "" only with XksProxyConnectivity
//     PUBLIC_ENDPOINT (the documented way to clear it), and with
//     PUBLIC_ENDPOINT it is nil or "" and XksProxyVpcEndpointServiceOwner is
//     nil.
//
// An XksProxyConnectivity value this version does not know is sent as it
// is, as every AWS SDK does, for KMS to judge; one that differs from a
// known value only in case ("public_endpoint") is rejected as a typo. A
// secret set to "[REDACTED]", the marker this package prints in its place,
// is rejected: its value was lost when the input was printed or encoded.
// Where AWS's examples disagree with the model the model wins: cluster ID
// cluster-1a23b4cdefg misses cluster-[2-7a-zA-Z]{11,16} and AccessKeyId
// ABCDE12345670EXAMPLE misses ^[A-Z2-7]+$. What depends on the store (its
// type, connectivity, state) is KMS's to judge; sending the current
// XksProxyConnectivity alone is no change and passes. Problem texts never
// hold a secret's value.
//
// UpdateCustomKeyStore calls Validate unless Options.DisableClientValidation
// is set; call it to dry-run an update, in CI say. It does not allocate for
// a valid input.
func (in *UpdateCustomKeyStoreInput) Validate() error { return updateTable.validate(in, true) }

// updateRules are UpdateCustomKeyStore's documented cross-member rules
// (see Validate).
func updateRules(t *table[*UpdateCustomKeyStoreInput], in *UpdateCustomKeyStoreInput, p problems) problems {
	const svcName, svcOwner = "XksProxyVpcEndpointServiceName", "XksProxyVpcEndpointServiceOwner"
	conn := string(in.XksProxyConnectivity)
	public, vpc := kmsmodel.XksProxyConnectivityPublicEndpoint, kmsmodel.XksProxyConnectivityVpcEndpointService
	if v := in.XksProxyVpcEndpointServiceName; v != nil && *v == "" {
		switch below := t.shape.MustMember(svcName).MinLen; conn {
		case public: // the documented way to clear the name
		case vpc:
			p.add(svcName, lengthBelow(0, below)+": XksProxyConnectivity "+vpc+" needs a non-empty name")
		default:
			p.add(svcName, lengthBelow(0, below)+` ("" is accepted only with XksProxyConnectivity `+public+", to clear the name)")
		}
	}
	if t.sendsAny(in, cloudHSMOnly) && t.sendsAny(in, externalOnly) {
		p.add(t.names(in, cloudHSMOnly)[0], "CloudHSM key store members ("+strings.Join(t.names(nil, cloudHSMOnly), ", ")+
			") cannot be combined with external key store members ("+strings.Join(t.names(in, externalOnly), ", ")+
			") in one update: a custom key store is either AWS_CLOUDHSM or EXTERNAL_KEY_STORE")
	}
	if conn == public {
		if v := in.XksProxyVpcEndpointServiceName; v != nil && *v != "" {
			p.add(svcName, `must be nil or "" when XksProxyConnectivity is `+public+" (length "+strconv.Itoa(utf8.RuneCountInString(*v))+")")
		}
		if in.XksProxyVpcEndpointServiceOwner != nil {
			p.add(svcOwner, "must be nil when XksProxyConnectivity is "+public+": the owner of a VPC endpoint service applies only to "+vpc)
		}
	}
	return p
}

// cloudHSMOnly and externalOnly select the members that apply to one store
// type alone.
func cloudHSMOnly(m *kmsmodel.Member) bool { return m.Stores == kmsmodel.CloudHSM }
func externalOnly(m *kmsmodel.Member) bool { return m.Stores == kmsmodel.External }
