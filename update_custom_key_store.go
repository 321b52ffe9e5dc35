package kms

import (
	"context"

	"github.com/aws/smithy-go/middleware"

	"github.com/kmskit/kms/internal/awsjson"
)

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
// wraps, an *APIError that matches one of the Err values with errors.Is.
// No error text or field holds KeyStorePassword, AccessKeyId or
// RawSecretAccessKey, even when a server echoes the request. A redirect is
// never followed: a 3xx response is an *APIError. Any 2xx response is a success whatever its body
// holds (KMS returns {}; the output has no members, and aws-sdk-go-v2 also
// discards it). A server that rejects the signing time with a clock skew
// error and a Date header more than 4 minutes off gets one extra attempt
// signed with its time, and the client keeps that offset for later calls.
// optFns change a copy of the client's Options for this call only.
func (c *Client) UpdateCustomKeyStore(ctx context.Context, params *UpdateCustomKeyStoreInput, optFns ...func(*Options)) (*UpdateCustomKeyStoreOutput, error) {
	k := call{
		op:       "UpdateCustomKeyStore",
		validate: validation(params.Validate, params.validateRequired),
		encode:   func(dst []byte) []byte { return params.appendWire(dst) },
		secrets:  params.secretValues(),
	}
	res, err := c.invoke(ctx, k, optFns)
	if err != nil {
		return nil, withStateAdvice(params, err)
	}
	return &UpdateCustomKeyStoreOutput{RequestID: res.requestID, ResultMetadata: res.metadata}, nil
}

// forCall returns the sender and options for one call: the client's own, or
// new ones when optFns override something.
func (c *Client) forCall(optFns []func(*Options)) (*awsjson.Sender, *Options, error) {
	if len(optFns) == 0 {
		return c.sender, &c.options, c.err
	}
	o := c.options.Copy()
	for _, fn := range optFns {
		fn(&o)
	}
	finalizeOptions(&o)
	s, err := newSender(&o)
	if s != nil && c.sender != nil {
		s.Clock = c.sender.Clock   // a learned clock offset holds for every call
		s.Signer = c.sender.Signer // and so does the signer's key cache
	}
	return s, &o, err
}
