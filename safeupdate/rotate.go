package safeupdate

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/kmskit/kms"
)

// RotateOptions configures [Updater.RotateXksCredential].
type RotateOptions struct {
	// HTTPClient reaches the proxy for the preflight. Nil means a client
	// like the library's: TLS with the system roots, no redirects.
	HTTPClient kms.HTTPClient

	// Timeout bounds the preflight's call to the proxy; zero means 5 s.
	Timeout time.Duration

	// PollInterval is the time between two DescribeCustomKeyStores calls
	// while confirming the new AccessKeyId; zero means 1 s.
	PollInterval time.Duration

	// ConfirmWait bounds the confirmation; zero means 30 s.
	ConfirmWait time.Duration
}

// RotateReport is what RotateXksCredential did.
type RotateReport struct {
	// CustomKeyStoreId is the store.
	CustomKeyStoreId string
	// Preflight is the check of the new credential through the store's
	// current endpoint and path.
	Preflight *PreflightReport
	// Confirmed: DescribeCustomKeyStores shows the new AccessKeyId.
	Confirmed bool
	// NextStep is what the proxy's administrator does next.
	NextStep string
}

// ErrRotationNotConfirmed is matched (errors.Is) when KMS accepted the new
// credential but DescribeCustomKeyStores did not show its AccessKeyId in
// time.
var ErrRotationNotConfirmed = errors.New("kms: DescribeCustomKeyStores does not show the new AccessKeyId yet")

// RotateXksCredential tells KMS the new proxy credential of the external
// key store id, following the rotation steps of the XKS proxy API
// specification. Step 1 is yours: configure the proxy to accept newCred
// alongside the current credential. Then RotateXksCredential
//
//   - checks newCred through the store's current endpoint and path with
//     GetHealthStatus (kmsOperation UpdateCustomKeyStore): a proxy that does
//     not accept it yet is a *PreflightError matching
//     kms.ErrXksProxyIncorrectAuthenticationCredential, and nothing changes;
//   - calls UpdateCustomKeyStore while the store is CONNECTED (or
//     DISCONNECTED: a credential never needs a disconnect);
//   - confirms with DescribeCustomKeyStores that KMS holds the new
//     AccessKeyId.
//
// A store that is not EXTERNAL_KEY_STORE is a *kms.ValidationError naming
// CustomKeyStoreId; a newCred whose AccessKeyId is the store's current one
// is a *kms.ValidationError naming XksProxyAuthenticationCredential.AccessKeyId
// (the proxy could not hold both secrets under one access key ID).
//
// The report's NextStep is the last step: once every KMS host has switched
// over, remove the old credential from the proxy. A store in another state
// is refused (kms.ErrCustomKeyStoreInvalidState); a VPC_ENDPOINT_SERVICE proxy
// that cannot be reached from here is not checked (see
// Preflight.NotChecked) and KMS checks the credential itself.
func (u *Updater) RotateXksCredential(ctx context.Context, id string, newCred *kms.XksProxyAuthenticationCredentialType, opts RotateOptions) (*RotateReport, error) {
	in := &kms.UpdateCustomKeyStoreInput{CustomKeyStoreId: &id, XksProxyAuthenticationCredential: newCred}
	if newCred == nil {
		in.XksProxyAuthenticationCredential = &kms.XksProxyAuthenticationCredentialType{}
	}
	entry, err := u.describeInputStore(ctx, in)
	if err != nil {
		return nil, err
	}
	s := snapshotOf(entry)
	if s.typ != kms.CustomKeyStoreTypeExternalKeyStore {
		return nil, storeTypeError(s, kms.CustomKeyStoreTypeExternalKeyStore, "RotateXksCredential changes the proxy credential of an external key store")
	}
	if *newCred.AccessKeyId == s.accessKeyID {
		return nil, validationError(fieldXksAccessKeyID, "is the access key ID the store holds now; a rotation needs a new one:"+
			" the XKS proxy API specification makes an access key ID name exactly one secret, so a proxy cannot accept the old and the new secret under it at once (step 1 of the rotation)")
	}
	if rule := updateShape.MustMember(fieldXksCredential).Change; !rule.Allows(string(s.state)) {
		return nil, fmt.Errorf("kms: RotateXksCredential: custom key store %s is %s; a credential changes only while it is %s: %w",
			id, s.state, strings.Join(rule.States(), " or "), kms.ErrCustomKeyStoreInvalidState)
	}
	rep := &RotateReport{CustomKeyStoreId: id}
	rep.Preflight, err = u.preflightUpdate(ctx, in, entry, PreflightOptions{HTTPClient: opts.HTTPClient, Timeout: opts.Timeout})
	if err != nil {
		return rep, err
	}
	if _, err := u.api.UpdateCustomKeyStore(ctx, in); err != nil {
		return rep, err
	}
	if err := u.confirmAccessKeyID(ctx, id, *newCred.AccessKeyId, opts); err != nil {
		return rep, err
	}
	rep.Confirmed = true
	rep.NextStep = "KMS now signs requests to the proxy with the new credential. After some time every KMS host has switched over;" +
		" then remove the old credential from the proxy configuration (step 4 of the XKS proxy API specification's rotation)."
	return rep, nil
}

// confirmAccessKeyID polls DescribeCustomKeyStores until the store shows
// akid.
func (u *Updater) confirmAccessKeyID(ctx context.Context, id, akid string, opts RotateOptions) error {
	poll, wait := opts.PollInterval, opts.ConfirmWait
	if poll <= 0 {
		poll = time.Second
	}
	if wait <= 0 {
		wait = 30 * time.Second
	}
	ctx, cancel := context.WithTimeout(ctx, wait)
	defer cancel()
	t := time.NewTicker(poll)
	defer t.Stop()
	for {
		entry, err := describeStore(ctx, u.api, id)
		if err == nil && snapshotOf(entry).accessKeyID == akid {
			return nil
		}
		select {
		case <-ctx.Done():
			if err != nil {
				return fmt.Errorf("kms: RotateXksCredential: KMS accepted the new credential of custom key store %s, but: %w", id, err)
			}
			return fmt.Errorf("kms: RotateXksCredential: KMS accepted the new credential of custom key store %s, but after %s: %w", id, wait, ErrRotationNotConfirmed)
		case <-t.C:
		}
	}
}
