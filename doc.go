// Package kms is a small, typed client for the AWS KMS custom key store API:
// the six custom key store operations, a paginator and two waiters, and the
// safe way to change a store (preflight, plan, apply with rollback). It
// speaks the same wire protocol and uses the same names as
// aws-sdk-go-v2/service/kms, so code ports by changing an import, but it
// validates every input offline, never prints a secret, and costs a
// fraction of the generated client per call.
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
// A wrong XKS endpoint or path can point KMS at a different key manager,
// and a wrong password or credential leaves the store FAILED. Before
// anything changes, [Client.PreflightXksProxy] asks the proxy what KMS will
// ask it, through the settings KMS would use after the update, and predicts
// KMS's answer as a *PreflightError (errors.Is the predicted Err value);
// with PreflightOptions.ExternalKeyIDs its same-key guard checks that the
// new settings reach the same key material (*SameKeyError otherwise).
// [Client.PlanCustomKeyStoreUpdate] describes the store, validates, runs the
// preflight and lists the steps, disconnecting only when a member needs it
// and PlanOptions.AllowDisconnect allows it:
//
//	plan, err := client.PlanCustomKeyStoreUpdate(ctx, in, kms.PlanOptions{AllowDisconnect: true})
//	...
//	fmt.Print(plan) // the diff (secrets only as "changed"), the steps, the warnings
//	report, err := plan.Apply(ctx, kms.ApplyOptions{OnStep: ..., OnPoll: ...})
//
// [UpdatePlan.Apply] refuses a stale plan, keeps the store's keys unusable
// as briefly as it can, and rolls back a reconnect that ends FAILED
// (*ApplyError). [Client.RotateXksCredential] rotates an XKS proxy
// credential with the specification's steps. Package
// github.com/kmskit/kms/xksproxy is the typed client of the XKS Proxy API
// that these use.
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
