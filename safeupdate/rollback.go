package safeupdate

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/kmskit/kms"
)

// RollbackOutcome is what Apply did to restore a store it disconnected,
// after a failure or a cancel. It lists only what was done: a member is
// Restored only when the restoring update succeeded.
type RollbackOutcome struct {
	// Input is the update sent to restore the previous values, or nil when
	// none was sent.
	Input *kms.UpdateCustomKeyStoreInput
	// Restored names the members the restoring update set back to their
	// previous values (empty unless it succeeded).
	Restored []string
	// NotRestored names the changed members whose previous values are
	// unknown (a KeyStorePassword or credential the caller did not supply,
	// or a credential whose AccessKeyId is not the one the store held).
	NotRestored []string
	// StillNew names the changed members that hold the new values after
	// the restore (or may hold them, when the update's outcome was
	// unknown): all of them when the store was reconnected with the new
	// settings or the restoring update failed.
	StillNew []string
	// Reconnected: the restore saw the store CONNECTED again.
	Reconnected bool
	// Err is why the restore did not complete, or nil.
	Err error
}

// restore brings the store back after a failure or a cancel, on ctx
// (detached from the Apply's) until deadline. With keepNew (the update
// was applied, nothing proved it wrong) it reconnects with the new
// settings, and rolls back only if that ends FAILED. failed is the
// reconnect's failure that proves the new settings wrong, or nil. It
// returns what it did and the next step for a store it could not leave
// CONNECTED for a reason it knows better than the state says.
func (r *applyRun) restore(ctx context.Context, deadline time.Time, keepNew bool, failed *kms.ConnectionFailedError) (*RollbackOutcome, string) {
	out := &RollbackOutcome{}
	changed := r.changedMembers()
	if keepNew {
		err := r.reachConnected(ctx, deadline)
		if err == nil {
			out.Reconnected, out.StillNew = true, changed
			return out, ""
		}
		if !errors.As(err, &failed) {
			out.Err, out.StillNew = err, changed
			return out, ""
		}
	}
	if failed == nil && (r.update == UpdateNotSent || r.update == UpdateRejected) {
		err := r.reachConnected(ctx, deadline)
		out.Reconnected, out.Err = err == nil, err
		return out, ""
	}
	rb, restorable, unknown := rollbackInput(r.p.snap, r.p.in, r.p.opts.PreviousKeyStorePassword, r.p.opts.Preflight.Credential)
	out.NotRestored, out.StillNew = unknown, changed
	if rb != nil {
		if err := r.settleFor(ctx, deadline, rb); err != nil {
			out.Err = err
			return out, ""
		}
		out.Input = rb
		if err := r.step(ctx, Step{Action: StepUpdate, Input: rb, Reason: "restore: set the previous values back"}, true, deadline); err != nil {
			out.Err = fmt.Errorf("%s: %w", StepUpdate, err)
			return out, ""
		}
		out.Restored, out.StillNew = restorable, unknown
	}
	if failed != nil && knownWrong(failed.ConnectionErrorCode, unknown) {
		// Connecting again would log in with the value KMS just refused.
		if err := r.reachDisconnected(ctx, deadline); err != nil {
			out.Err = err
			return out, ""
		}
		return out, r.wrongSecretStep(failed.ConnectionErrorCode, unknown)
	}
	err := r.reachConnected(ctx, deadline)
	out.Reconnected, out.Err = err == nil, err
	return out, ""
}

// changedMembers are the members the update changes (secrets always).
func (r *applyRun) changedMembers() []string {
	var out []string
	for _, ch := range r.p.Changes {
		if !ch.Same {
			out = append(out, ch.Member)
		}
	}
	return out
}

// knownWrong reports whether a connection that failed with code was
// refused for a secret among unknown, whose previous value cannot be put
// back: the kmsuser password, or the proxy credential.
func knownWrong(code kms.ConnectionErrorCodeType, unknown []string) bool {
	switch code {
	case kms.ConnectionErrorCodeTypeInvalidCredentials, kms.ConnectionErrorCodeTypeUserLockedOut:
		return slices.Contains(unknown, fieldKeyStorePassword) || slices.Contains(unknown, fieldXksCredential)
	}
	return false
}

// wrongSecretStep is the next step for a store left DISCONNECTED because
// KMS refused a new secret whose previous value is unknown.
func (r *applyRun) wrongSecretStep(code kms.ConnectionErrorCodeType, unknown []string) string {
	if slices.Contains(unknown, fieldKeyStorePassword) {
		return fmt.Sprintf("the store is DISCONNECTED: KMS refused the new KeyStorePassword when it connected (%s), and the previous one is unknown,"+
			" so Apply did not log in with it again (failed kmsuser logins lead to a lockout): send UpdateCustomKeyStore with the KeyStorePassword"+
			" that is the password of the cluster's kmsuser, then ConnectCustomKeyStore: cks apply --id %s --key-store-password-file <the right one>, then cks connect --id %s --wait", code, r.id, r.id)
	}
	return fmt.Sprintf("the store is DISCONNECTED: the proxy refused the new XksProxyAuthenticationCredential when KMS connected (%s), and the previous one is unknown,"+
		" so Apply did not connect with it again: send UpdateCustomKeyStore with the XksProxyAuthenticationCredential the proxy accepts, then ConnectCustomKeyStore:"+
		" cks apply --id %s --xks-access-key-id <its access key ID> --secret-access-key-file <the right one>, then cks connect --id %s --wait", code, r.id, r.id)
}

// restoreStep runs one restore step of action.
func (r *applyRun) restoreStep(ctx context.Context, deadline time.Time, action StepAction, reason string) error {
	if err := r.step(ctx, Step{Action: action, Reason: "restore: " + reason}, true, deadline); err != nil {
		return fmt.Errorf("%s: %w", action, err)
	}
	return nil
}

// maxSettle bounds the transitions reachConnected and reachDisconnected
// follow; each ends in a few.
const maxSettle = 3

// reachConnected brings the store to CONNECTED from whatever state it is
// in. A FAILED store is a *kms.ConnectionFailedError: it is not
// reconnected with the settings that failed.
func (r *applyRun) reachConnected(ctx context.Context, deadline time.Time) error {
	for range maxSettle {
		e, err := r.describe(ctx, deadline)
		if err != nil {
			return fmt.Errorf("DescribeCustomKeyStores: %w", err)
		}
		switch e.ConnectionState {
		case kms.ConnectionStateTypeConnected:
			return nil
		case kms.ConnectionStateTypeConnecting:
			return r.restoreStep(ctx, deadline, StepWaitConnected, "wait until CONNECTED")
		case kms.ConnectionStateTypeDisconnecting:
			if err := r.restoreStep(ctx, deadline, StepWaitDisconnected, "wait until DISCONNECTED, to connect"); err != nil {
				return err
			}
		case kms.ConnectionStateTypeDisconnected:
			if err := r.restoreStep(ctx, deadline, StepConnect, "reconnect"); err != nil {
				return err
			}
			return r.restoreStep(ctx, deadline, StepWaitConnected, "wait until CONNECTED")
		case kms.ConnectionStateTypeFailed:
			return &kms.ConnectionFailedError{CustomKeyStoreId: r.id, ConnectionErrorCode: e.ConnectionErrorCode,
				ConnectionState: e.ConnectionState, CustomKeyStoreType: r.p.snap.typ}
		default:
			return fmt.Errorf("kms: custom key store %s is in an unknown ConnectionState %q", r.id, e.ConnectionState)
		}
	}
	return fmt.Errorf("kms: custom key store %s did not settle after %d transitions (last seen %s)", r.id, maxSettle, r.lastState)
}

// reachDisconnected brings the store to DISCONNECTED.
func (r *applyRun) reachDisconnected(ctx context.Context, deadline time.Time) error {
	e, err := r.describe(ctx, deadline)
	if err != nil {
		return fmt.Errorf("DescribeCustomKeyStores: %w", err)
	}
	switch e.ConnectionState {
	case kms.ConnectionStateTypeDisconnected:
		return nil
	case kms.ConnectionStateTypeDisconnecting:
	default:
		if err := r.restoreStep(ctx, deadline, StepDisconnect, "settle the store DISCONNECTED"); err != nil {
			return err
		}
	}
	return r.restoreStep(ctx, deadline, StepWaitDisconnected, "wait until DISCONNECTED")
}

// settleFor brings the store to a state that allows the update rb.
func (r *applyRun) settleFor(ctx context.Context, deadline time.Time, rb *kms.UpdateCustomKeyStoreInput) error {
	if !rb.RequiresDisconnect() {
		e, err := r.describe(ctx, deadline)
		if err != nil {
			return fmt.Errorf("DescribeCustomKeyStores: %w", err)
		}
		if s := e.ConnectionState; s == kms.ConnectionStateTypeConnected || s == kms.ConnectionStateTypeDisconnected {
			return nil
		}
	}
	return r.reachDisconnected(ctx, deadline)
}

// rollbackInput returns the update that sets the members in changed back
// to their values in s, with the names of those restored and of those whose
// previous values are unknown. prevPassword and prevCred are the previous
// secrets when the caller supplied them. It returns nil when nothing can be
// restored.
func rollbackInput(s storeSnapshot, in *kms.UpdateCustomKeyStoreInput, prevPassword *string, prevCred *kms.XksProxyAuthenticationCredentialType) (rb *kms.UpdateCustomKeyStoreInput, restored, notRestored []string) {
	id := s.id
	rb = &kms.UpdateCustomKeyStoreInput{CustomKeyStoreId: &id}
	restore := func(names ...string) {
		for _, name := range names {
			rb.SetMember(name, s.currentValue(name))
			restored = append(restored, name)
		}
	}
	switching := in.XksProxyConnectivity != "" && in.XksProxyConnectivity != s.connectivity
	for _, m := range in.SentMembers() {
		switch {
		case m.Name == fieldKeyStorePassword && prevPassword != nil:
			rb.SetMember(m.Name, *prevPassword)
			restored = append(restored, m.Name)
		case m.Name == fieldXksCredential && prevCred != nil && prevCred.AccessKeyId != nil && prevCred.RawSecretAccessKey != nil &&
			*prevCred.AccessKeyId == s.accessKeyID.value():
			// Only the credential the store held: one whose AccessKeyId
			// differs from Describe's was never KMS's, and "restoring" it
			// would lock the store out of its proxy.
			rb.XksProxyAuthenticationCredential = (&kms.UpdateCustomKeyStoreInput{XksProxyAuthenticationCredential: prevCred}).Copy().XksProxyAuthenticationCredential
			restored = append(restored, m.Name)
		case m.Secret:
			notRestored = append(notRestored, m.Name)
		case m.Name == fieldXksConnectivity && switching:
			// Switching back needs the endpoint and, for a VPC store, the
			// service; for a public store the service name is cleared.
			restore(fieldXksConnectivity, fieldXksURIEndpoint)
			if s.connectivity == kms.XksProxyConnectivityTypeVpcEndpointService {
				restore(fieldXksVpcServiceName)
				if s.vpcOwner != "" {
					restore(fieldXksVpcServiceOwner)
				}
			}
		case switching && (m.Name == fieldXksURIEndpoint || m.Name == fieldXksVpcServiceName || m.Name == fieldXksVpcServiceOwner),
			m.Value == s.currentValue(m.Name):
			// Set with the connectivity, or unchanged.
		case m.Name == fieldXksVpcServiceOwner && s.vpcOwner == "":
			notRestored = append(notRestored, m.Name) // an owner cannot be cleared
		default:
			restore(m.Name)
		}
	}
	if len(restored) == 0 {
		return nil, nil, notRestored
	}
	return rb, restored, notRestored
}
