package kms

import (
	"context"

	"github.com/aws/smithy-go/middleware"
)

// DisconnectCustomKeyStoreInput is the request of [Client.DisconnectCustomKeyStore].
type DisconnectCustomKeyStoreInput struct {
	// CustomKeyStoreId is the ID of the custom key store to disconnect. Required.
	CustomKeyStoreId *string
}

// DisconnectCustomKeyStoreOutput is the result of a successful DisconnectCustomKeyStore. KMS returns no
// properties.
type DisconnectCustomKeyStoreOutput struct {
	// RequestID is the x-amzn-RequestId of the response.
	RequestID string
	// ResultMetadata carries the request ID as aws-sdk-go-v2 does.
	ResultMetadata middleware.Metadata
}

// DisconnectCustomKeyStore starts disconnecting a custom key store from its
// backing key store. While it is disconnected, its KMS keys cannot be
// created or used. Wait for DISCONNECTED with
// [NewCustomKeyStoreDisconnectedWaiter].
//
// The store must not be DISCONNECTING or DISCONNECTED, else the error
// matches ErrCustomKeyStoreInvalidState.
//
// A missing or invalid CustomKeyStoreId returns a *ValidationError and
// sends nothing. Other KMS errors match
// ErrCustomKeyStoreNotFound or ErrKMSInternal with errors.Is.
func (c *Client) DisconnectCustomKeyStore(ctx context.Context, params *DisconnectCustomKeyStoreInput, optFns ...func(*Options)) (*DisconnectCustomKeyStoreOutput, error) {
	res, err := invoke(ctx, c, disconnectTable, params, optFns)
	if err != nil {
		return nil, err
	}
	return &DisconnectCustomKeyStoreOutput{RequestID: res.requestID, ResultMetadata: res.metadata}, nil
}

// Validate checks the input offline: CustomKeyStoreId is required and
// within the model's length. It returns nil or a *ValidationError.
func (in *DisconnectCustomKeyStoreInput) Validate() error {
	return disconnectTable.validate(in, true)
}
