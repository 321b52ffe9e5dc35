// Package safeupdate changes an AWS KMS custom key store safely, on top of
// the client of package github.com/kmskit/kms, in the way aws-sdk-go-v2's
// feature/s3/manager builds on its service client: [NewUpdater] takes an
// [API] (a *kms.Client, or a caller's own implementation of the four
// custom key store calls it makes).
//
// [Updater.Plan] validates an update, reads the store and every other
// custom key store of the account, and refuses what KMS would refuse for a
// reason those stores show, with the rules kmstest answers with (a member
// of the other store type, a connectivity switch without the members it
// needs, a value another store uses: *[InUseError]). For an external key
// store whose proxy settings change it asks the proxy what KMS will ask it
// ([Updater.PreflightXksProxy]: a predicted rejection is a
// *[PreflightError] that errors.Is the kms Err value KMS would answer with;
// the same-key guard stops a change that reaches other key material with a
// *[SameKeyError]). It then lists the steps, disconnecting the store only
// when a member needs DISCONNECTED and [PlanOptions].AllowDisconnect allows
// it, and every [Check] KMS will make, with what could not be checked from
// here ([Plan.Verdict]). Nothing changes until [Plan.Apply]: it refuses a
// stale plan, and a plan that disconnects the store with checks not checked
// (unless [ApplyOptions].AcceptUnchecked); it keeps the store's keys
// unusable as briefly as it can, and after a failure or a cancel brings a
// store it disconnected back to CONNECTED, rolling the update back only
// when the reconnect proves it wrong (*[ApplyError] says what was
// restored, the state and the next step).
//
//	updater := safeupdate.NewUpdater(client)
//	plan, err := updater.Plan(ctx, in, safeupdate.PlanOptions{AllowDisconnect: true})
//	...
//	fmt.Print(plan) // the diff (secrets only as "changed"), the steps, the checks, the verdict
//	report, err := plan.Apply(ctx, safeupdate.ApplyOptions{OnStep: ..., OnPoll: ...})
//
// [Updater.RotateXksCredential] rotates an XKS proxy credential with the
// XKS proxy API specification's steps (by path, for proxies that hold one
// credential per path), and [Updater.PreflightXksProxyCreate]
// checks a proxy before CreateCustomKeyStore. See the Example of
// [Updater.Plan] for the whole procedure against kmstest.
package safeupdate
