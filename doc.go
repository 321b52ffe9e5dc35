// Package kms is a small, typed client for the AWS KMS custom key store API,
// starting with UpdateCustomKeyStore. It speaks the same wire protocol and
// uses the same names as aws-sdk-go-v2/service/kms, so code ports by
// changing an import, but it validates every input offline, never prints a
// secret, and costs a fraction of the generated client per call.
//
// # Creating a client
//
// From the SDK's shared configuration:
//
//	cfg, err := config.LoadDefaultConfig(ctx)
//	...
//	client := kms.NewFromConfig(cfg)
//
// Or from explicit options, for example against a local fake:
//
//	client := kms.New(kms.Options{
//		Region:       "us-east-1",
//		Credentials:  creds,
//		BaseEndpoint: aws.String(srv.URL),
//		HTTPClient:   srv.Client(),
//	})
//
// A Client is safe for concurrent use; create one and reuse it.
//
// # Updating a custom key store
//
//	_, err := client.UpdateCustomKeyStore(ctx, &kms.UpdateCustomKeyStoreInput{
//		CustomKeyStoreId:      aws.String("cks-1234567890abcdef0"),
//		NewCustomKeyStoreName: aws.String("ExampleKeyStore"),
//	})
//
// A nil member is left unchanged. Most members need the store DISCONNECTED:
// see [UpdateCustomKeyStoreInput.RequiresDisconnect].
//
// # Errors
//
// Bad input is reported before anything is sent, as a *ValidationError that
// names every member at fault. An error response from KMS is, or wraps, an
// *APIError; every code the custom key store operations document has an Err
// value to test with errors.Is (ErrorForCode finds it by code):
//
//	switch {
//	case errors.Is(err, kms.ErrCustomKeyStoreInvalidState):
//		// disconnect, update, reconnect
//	case errors.Is(err, kms.ErrCustomKeyStoreNotFound):
//		// wrong ID or Region
//	}
//
// Throttling, 5xx responses, KMSInternalException and connection errors are
// retried with capped exponential backoff and jitter; other errors are not.
//
// # Testing
//
// Package github.com/kmskit/kms/kmstest is an in-process fake KMS that
// enforces the documented rules of UpdateCustomKeyStore, for unit tests of
// code that uses this client (or any other KMS client).
package kms
