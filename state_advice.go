package kms

import (
	"errors"
	"slices"
	"strings"

	"github.com/kmskit/kms/internal/kmsmodel"
)

// RequiresDisconnect reports whether the update sends a member that KMS
// changes only while the custom key store is DISCONNECTED: for CloudHSM key
// stores CloudHsmClusterId and KeyStorePassword; for external key stores
// XksProxyConnectivity, XksProxyUriEndpoint, XksProxyVpcEndpointServiceName
// and XksProxyVpcEndpointServiceOwner. If it does, call
// DisconnectCustomKeyStore first and ConnectCustomKeyStore afterwards.
// NewCustomKeyStoreName, XksProxyAuthenticationCredential and
// XksProxyUriPath can change while the store is CONNECTED. A nil input
// requires nothing.
func (in *UpdateCustomKeyStoreInput) RequiresDisconnect() bool {
	return updateTable.sendsAny(in, needsDisconnect)
}

// DisconnectRequiredFields returns the AWS names of the members this update
// sends that need a DISCONNECTED custom key store (see RequiresDisconnect),
// in member order, or nil if there are none.
func (in *UpdateCustomKeyStoreInput) DisconnectRequiredFields() []string {
	if in == nil {
		return nil
	}
	return updateTable.names(in, needsDisconnect)
}

// needsDisconnect selects the members KMS changes only while the store is
// DISCONNECTED.
func needsDisconnect(m *kmsmodel.Member) bool { return m.Change == kmsmodel.ChangeWhileDisconnected }

// stateAdviceError is a CustomKeyStoreInvalidStateException with advice on
// what to do about it appended to its message. It unwraps to the original
// error, so errors.Is and errors.As see the *APIError underneath.
type stateAdviceError struct {
	err    error
	advice string
}

func (e *stateAdviceError) Error() string { return e.err.Error() + "; " + e.advice }

func (e *stateAdviceError) Unwrap() error { return e.err }

// withStateAdvice extends a CustomKeyStoreInvalidStateException with which
// members of in need a DISCONNECTED store and the documented sequence. Other
// errors pass through unchanged (the same value).
func withStateAdvice(in *UpdateCustomKeyStoreInput, err error) error {
	if err == nil || !errors.Is(err, ErrCustomKeyStoreInvalidState) {
		return err
	}
	var done *stateAdviceError
	if errors.As(err, &done) {
		return err
	}
	var advice string
	if fields := in.DisconnectRequiredFields(); len(fields) > 0 {
		advice = "this update sends " + strings.Join(fields, ", ") + ", which KMS changes only while the custom key store is DISCONNECTED: " +
			"call DisconnectCustomKeyStore, then UpdateCustomKeyStore, then ConnectCustomKeyStore (DescribeCustomKeyStores shows the ConnectionState)"
	} else {
		anyState := updateTable.names(nil, func(m *kmsmodel.Member) bool { return m.Change == kmsmodel.ChangeWhileConnectedOrDisconnected })
		allowed := kmsmodel.ChangeWhileConnectedOrDisconnected.States()
		others := slices.DeleteFunc(slices.Clone(kmsmodel.ConnectionStateValues), func(st string) bool { return slices.Contains(allowed, st) })
		slices.Sort(others)
		advice = "this update sends only members that may change while the custom key store is " + orList(allowed) +
			" (" + strings.Join(anyState, ", ") + "), so the store is probably in a state" +
			" such as " + orList(others) + " where no update is possible until it settles:" +
			" check its ConnectionState with DescribeCustomKeyStores and retry once it is " + orList(allowed) +
			" (a " + kmsmodel.ConnectionStateFailed + " store settles only after DisconnectCustomKeyStore)"
	}
	return &stateAdviceError{err: err, advice: advice}
}

// orList joins values as "A, B or C".
func orList(values []string) string {
	if len(values) < 2 {
		return strings.Join(values, "")
	}
	return strings.Join(values[:len(values)-1], ", ") + " or " + values[len(values)-1]
}
