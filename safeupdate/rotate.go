package safeupdate

import (
	"context"
	"crypto/x509"
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

	// RootCAs are the CAs the preflight's certificate check takes as the
	// ones KMS trusts, as PreflightOptions.RootCAs.
	RootCAs *x509.CertPool

	// Timeout bounds the preflight's call to the proxy; zero means 5 s.
	Timeout time.Duration

	// PollInterval is the time between two DescribeCustomKeyStores calls
	// while confirming the new AccessKeyId; zero means 1 s.
	PollInterval time.Duration

	// ConfirmWait bounds the confirmation; zero means 30 s.
	ConfirmWait time.Duration

	// NewUriPath, when set, rotates by path, for proxies that hold one
	// credential per URI path prefix (such as AWS's sample XKS proxy): the
	// proxy serves the new credential under this new XksProxyUriPath (and
	// the old credential still under the old path), and the rotation sends
	// XksProxyAuthenticationCredential and XksProxyUriPath in one
	// UpdateCustomKeyStore. Both change while the store is CONNECTED: no
	// disconnect.
	NewUriPath *string
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
// alongside the current credential (or, with opts.NewUriPath, to serve
// newCred under that new path while it serves the current credential under
// the current one). Then RotateXksCredential
//
//   - checks newCred through the store's current endpoint and the path it
//     will use (the current one, or opts.NewUriPath) with GetHealthStatus
//     (kmsOperation UpdateCustomKeyStore): a proxy that does not accept it
//     yet is a *PreflightError matching
//     kms.ErrXksProxyIncorrectAuthenticationCredential (or, for a new
//     path it does not serve, kms.ErrXksProxyInvalidConfiguration), and
//     nothing changes;
//   - calls UpdateCustomKeyStore once, with the credential (and the new
//     path), while the store is CONNECTED (or DISCONNECTED: neither member
//     ever needs a disconnect);
//   - confirms with DescribeCustomKeyStores, polling on the waiters' pace
//     and clock, that KMS holds the new AccessKeyId (and path).
//
// A store that is not EXTERNAL_KEY_STORE is a *kms.ValidationError naming
// CustomKeyStoreId; a newCred whose AccessKeyId is the store's current one
// is a *kms.ValidationError naming XksProxyAuthenticationCredential.AccessKeyId
// (the proxy could not hold both secrets under one access key ID); a
// NewUriPath that is the store's current path is one naming
// XksProxyUriPath.
//
// The report's NextStep is the last step: once every KMS host has switched
// over, remove the old credential (and path) from the proxy; by path, KMS
// documents that an XKS update can take up to five minutes to be fully
// effective, so the old path and credential stay for at least 5 minutes. A
// store in another state is refused (kms.ErrCustomKeyStoreInvalidState); a
// VPC_ENDPOINT_SERVICE proxy that cannot be reached from here is not
// checked (Preflight.Result is CheckNotChecked) and KMS checks the
// credential itself.
func (u *Updater) RotateXksCredential(ctx context.Context, id string, newCred *kms.XksProxyAuthenticationCredentialType, opts RotateOptions) (*RotateReport, error) {
	in := &kms.UpdateCustomKeyStoreInput{CustomKeyStoreId: &id, XksProxyAuthenticationCredential: newCred, XksProxyUriPath: opts.NewUriPath}
	if newCred == nil {
		in.XksProxyAuthenticationCredential = &kms.XksProxyAuthenticationCredentialType{}
	}
	entry, err := u.describeInputStore(ctx, in, secretsOf(in, PlanOptions{}, secret{}).describe)
	if err != nil {
		return nil, err
	}
	s := snapshotOf(entry)
	secrets := secretsOf(in, PlanOptions{}, s.accessKeyID)
	if s.typ != kms.CustomKeyStoreTypeExternalKeyStore {
		return nil, storeTypeError(s, kms.CustomKeyStoreTypeExternalKeyStore, "RotateXksCredential changes the proxy credential of an external key store")
	}
	if *newCred.AccessKeyId == s.accessKeyID.value() {
		return nil, validationError(fieldXksAccessKeyID, "is the access key ID the store holds now; a rotation needs a new one:"+
			" the XKS proxy API specification makes an access key ID name exactly one secret, so a proxy cannot accept the old and the new secret under it at once (step 1 of the rotation)")
	}
	if p := opts.NewUriPath; p != nil && *p == s.path {
		return nil, validationError(fieldXksURIPath, "is the path the store uses now; a rotation by path needs the new path the proxy serves the new credential under")
	}
	for _, m := range []string{fieldXksCredential, fieldXksURIPath} {
		if rule := updateShape.MustMember(m).Change; !rule.Allows(string(s.state)) {
			return nil, fmt.Errorf("kms: RotateXksCredential: custom key store %s is %s; %s changes only while it is %s: %w",
				id, s.state, m, strings.Join(rule.States(), " or "), kms.ErrCustomKeyStoreInvalidState)
		}
	}
	rep := &RotateReport{CustomKeyStoreId: id}
	rep.Preflight, err = u.preflightUpdate(ctx, in, entry, PreflightOptions{HTTPClient: opts.HTTPClient, RootCAs: opts.RootCAs, Timeout: opts.Timeout}, s.state)
	if err != nil {
		return rep, err
	}
	if _, err := u.api.UpdateCustomKeyStore(ctx, in, secrets.call); err != nil {
		return rep, err
	}
	path := s.path
	if opts.NewUriPath != nil {
		path = *opts.NewUriPath
	}
	if err := u.confirmRotation(ctx, id, *newCred.AccessKeyId, path, secrets, opts); err != nil {
		return rep, err
	}
	rep.Confirmed = true
	if opts.NewUriPath != nil {
		rep.NextStep = fmt.Sprintf("KMS now signs requests to the proxy with the new credential under the new path %s. An XKS update can take up to five minutes"+
			" to be fully effective: keep the old path %s and its credential on the proxy for at least 5 minutes, then remove them"+
			" (step 4 of the XKS proxy API specification's rotation).", path, s.path)
		return rep, nil
	}
	rep.NextStep = "KMS now signs requests to the proxy with the new credential. After some time every KMS host has switched over;" +
		" then remove the old credential from the proxy configuration (step 4 of the XKS proxy API specification's rotation)."
	return rep, nil
}

// confirmRotation waits, with kms's waiter on u's clock, until
// DescribeCustomKeyStores shows the store with akid and path.
func (u *Updater) confirmRotation(ctx context.Context, id, akid, path string, secrets planSecrets, opts RotateOptions) error {
	poll, wait := opts.PollInterval, opts.ConfirmWait
	if poll <= 0 {
		poll = time.Second
	}
	if wait <= 0 {
		wait = 30 * time.Second
	}
	retryable := retryableFor(u.api)
	err := kms.NewCustomKeyStoreConnectedWaiter(u.api, func(o *kms.CustomKeyStoreConnectedWaiterOptions) {
		o.MinDelay, o.MaxDelay, o.Clock = poll, poll, u.clock()
		o.ClientOptions = []func(*kms.Options){secrets.describe}
		o.Retryable = func(_ context.Context, _ *kms.DescribeCustomKeyStoresInput, out *kms.DescribeCustomKeyStoresOutput, err error) (bool, error) {
			if err != nil {
				if retryable(err) {
					return true, nil
				}
				return false, err
			}
			e := entryOf(out, id)
			if e == nil {
				return true, nil
			}
			s := snapshotOf(*e)
			return s.accessKeyID.value() != akid || s.path != path, nil
		}
	}).Wait(ctx, &kms.DescribeCustomKeyStoresInput{CustomKeyStoreId: &id}, wait)
	switch {
	case err == nil:
		return nil
	case errors.Is(err, context.DeadlineExceeded) && ctx.Err() == nil:
		return fmt.Errorf("kms: RotateXksCredential: KMS accepted the new credential of custom key store %s, but after %s: %w", id, wait, ErrRotationNotConfirmed)
	}
	return fmt.Errorf("kms: RotateXksCredential: KMS accepted the new credential of custom key store %s, but: %w", id, err)
}
