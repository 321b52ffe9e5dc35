// Package kms is a small, typed client for the AWS KMS custom key store API:
// the six custom key store operations, a paginator and two waiters (the
// safe way to change a store, with preflight, plan and apply with rollback,
// is package github.com/kmskit/kms/safeupdate). It speaks the same wire protocol and uses the same names as
// aws-sdk-go-v2/service/kms, so code ports by changing an import, but it
// validates every input offline, never prints a secret, and costs a
// fraction of the generated client per call.
//
// # Creating a client
//
// From the SDK's shared configuration, kms.NewFromConfig(cfg) with the
// aws.Config of config.LoadDefaultConfig; or from explicit options, for
// example against a local fake:
//
//	client := kms.New(kms.Options{Region: "us-east-1", Credentials: creds,
//		BaseEndpoint: aws.String(srv.URL), HTTPClient: srv.Client()})
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
// # The custom key store lifecycle
//
// CreateCustomKeyStore, DescribeCustomKeyStores (and
// [NewDescribeCustomKeyStoresPaginator]), ConnectCustomKeyStore,
// DisconnectCustomKeyStore and DeleteCustomKeyStore complete the API.
// Connect and Disconnect only start a transition; wait for its end with
// [NewCustomKeyStoreConnectedWaiter] or [NewCustomKeyStoreDisconnectedWaiter]:
//
//	waiter := kms.NewCustomKeyStoreConnectedWaiter(client)
//	err = waiter.Wait(ctx, &kms.DescribeCustomKeyStoresInput{CustomKeyStoreId: id}, 5*time.Minute)
//	var failed *kms.ConnectionFailedError
//	if errors.As(err, &failed) {
//		// FAILED: failed.ConnectionErrorCode says why, err how to fix it
//	}
//
// By default a waiter polls at most once a second (2 s to 30 s apart, with
// jitter), retries throttling and 5xx answers on that schedule, and stops on
// CustomKeyStoreNotFoundException, on ctx and on its maximum wait. To change
// a property that needs DISCONNECTED: disconnect, wait, update, connect,
// wait.
//
// # Changing a store safely
//
// Package github.com/kmskit/kms/safeupdate, built on this client, checks an
// update before anything changes (the XKS proxy preflight, the same-key
// guard), plans and applies the steps, disconnecting only when a member
// needs it and the caller allows it, and rolls back a reconnect that ends
// FAILED; package github.com/kmskit/kms/xksproxy is the XKS Proxy API
// client it uses.
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
// enforces the documented rules of the custom key store operations, for
// unit tests of code that uses this client (or any other KMS client), with
// a fake XKS proxy (NewXksProxyServer) that the fake KMS really calls once
// routed (RouteXksProxy).
package kms
