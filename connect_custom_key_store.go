package kms

import (
	"context"

	"github.com/aws/smithy-go/middleware"
)

// ConnectCustomKeyStoreInput is the request of [Client.ConnectCustomKeyStore].
type ConnectCustomKeyStoreInput struct {
	// CustomKeyStoreId is the ID of the custom key store to connect. Required.
	CustomKeyStoreId *string
}

// ConnectCustomKeyStoreOutput is the result of a successful ConnectCustomKeyStore. KMS returns no
// properties.
type ConnectCustomKeyStoreOutput struct {
	// RequestID is the x-amzn-RequestId of the response.
	RequestID string
	// ResultMetadata carries the request ID as aws-sdk-go-v2 does.
	ResultMetadata middleware.Metadata
}

// ConnectCustomKeyStore starts connecting a custom key store to its backing
// key store (CloudHSM cluster or external key store proxy) and returns at
// once: it does not wait for the connection. Wait for CONNECTED with
// [NewCustomKeyStoreConnectedWaiter], or read ConnectionState with
// [Client.DescribeCustomKeyStores]. A failed connection shows as
// ConnectionState FAILED with a ConnectionErrorCode; to retry, disconnect,
// correct the cause (UpdateCustomKeyStore), then connect again.
//
// The store must not be DISCONNECTING or FAILED, else the error matches
// ErrCustomKeyStoreInvalidState.
//
// A missing or invalid CustomKeyStoreId returns a *ValidationError and
// sends nothing. Other KMS errors match
// ErrCustomKeyStoreNotFound, ErrCloudHsmClusterNotActive,
// ErrCloudHsmClusterInvalidConfiguration or ErrKMSInternal with errors.Is.
func (c *Client) ConnectCustomKeyStore(ctx context.Context, params *ConnectCustomKeyStoreInput, optFns ...func(*Options)) (*ConnectCustomKeyStoreOutput, error) {
	res, err := invoke(ctx, c, connectTable, params, optFns)
	if err != nil {
		return nil, err
	}
	return &ConnectCustomKeyStoreOutput{RequestID: res.requestID, ResultMetadata: res.metadata}, nil
}

// Validate checks the input offline: CustomKeyStoreId is required and
// within the model's length. It returns nil or a *ValidationError.
func (in *ConnectCustomKeyStoreInput) Validate() error {
	return connectTable.validate(in, true)
}
