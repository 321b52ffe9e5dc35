// Package safeupdate changes an AWS KMS custom key store safely, on top of
// the client of package github.com/kmskit/kms, in the way aws-sdk-go-v2's
// feature/s3/manager builds on its service client: [NewUpdater] takes an
// [API] (a *kms.Client, or a caller's own implementation of the four
// custom key store calls it makes).
//
// [Updater.Plan] validates an update, describes the store, checks that the
// members fit its type and, for an external key store whose proxy settings
// change, asks the proxy what KMS will ask it ([Updater.PreflightXksProxy]:
// a predicted rejection is a *[PreflightError] that errors.Is the kms Err
// value KMS would answer with; the same-key guard stops a change that
// reaches other key material with a *[SameKeyError]). It then lists the
// steps, disconnecting the store only when a member needs DISCONNECTED and
// [PlanOptions].AllowDisconnect allows it. Nothing changes until
// [Plan.Apply]: it refuses a stale plan, keeps the store's keys unusable as
// briefly as it can, and rolls back a reconnect that ends FAILED
// (*[ApplyError] says what was restored).
//
//	updater := safeupdate.NewUpdater(client)
//	plan, err := updater.Plan(ctx, in, safeupdate.PlanOptions{AllowDisconnect: true})
//	...
//	fmt.Print(plan) // the diff (secrets only as "changed"), the steps, the warnings
//	report, err := plan.Apply(ctx, safeupdate.ApplyOptions{OnStep: ..., OnPoll: ...})
//
// [Updater.RotateXksCredential] rotates an XKS proxy credential with the
// XKS proxy API specification's steps, and [Updater.PreflightXksProxyCreate]
// checks a proxy before CreateCustomKeyStore. See the Example of
// [Updater.Plan] for the whole procedure against kmstest.
package safeupdate
