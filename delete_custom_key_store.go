package kms

import (
	"context"

	"github.com/aws/smithy-go/middleware"
)

// DeleteCustomKeyStoreInput is the request of [Client.DeleteCustomKeyStore].
type DeleteCustomKeyStoreInput struct {
	// CustomKeyStoreId is the ID of the custom key store to delete. Required.
	CustomKeyStoreId *string
}

// DeleteCustomKeyStoreOutput is the result of a successful DeleteCustomKeyStore. KMS returns no
// properties.
type DeleteCustomKeyStoreOutput struct {
	// RequestID is the x-amzn-RequestId of the response.
	RequestID string
	// ResultMetadata carries the request ID as aws-sdk-go-v2 does.
	ResultMetadata middleware.Metadata
}

// DeleteCustomKeyStore deletes a custom key store. It does not touch the
// backing CloudHSM cluster, external key store proxy or external key
// manager.
//
// The store must be DISCONNECTED (else the error matches
// ErrCustomKeyStoreInvalidState) and hold no KMS keys (else
// ErrCustomKeyStoreHasCMKs).
//
// A missing or invalid CustomKeyStoreId returns a *ValidationError and
// sends nothing. Other KMS errors match
// ErrCustomKeyStoreNotFound or ErrKMSInternal with errors.Is.
func (c *Client) DeleteCustomKeyStore(ctx context.Context, params *DeleteCustomKeyStoreInput, optFns ...func(*Options)) (*DeleteCustomKeyStoreOutput, error) {
	res, err := invoke(ctx, c, deleteTable, params, optFns)
	if err != nil {
		return nil, err
	}
	return &DeleteCustomKeyStoreOutput{RequestID: res.requestID, ResultMetadata: res.metadata}, nil
}

// Validate checks the input offline: CustomKeyStoreId is required and
// within the model's length. It returns nil or a *ValidationError.
func (in *DeleteCustomKeyStoreInput) Validate() error {
	return deleteTable.validate(in, true)
}
