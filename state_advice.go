package kms

import (
	"errors"
	"strings"
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
	return in != nil && (in.CloudHsmClusterId != nil ||
		in.KeyStorePassword != nil ||
		in.XksProxyConnectivity != "" ||
		in.XksProxyUriEndpoint != nil ||
		in.XksProxyVpcEndpointServiceName != nil ||
		in.XksProxyVpcEndpointServiceOwner != nil)
}

// DisconnectRequiredFields returns the AWS names of the members this update
// sends that need a DISCONNECTED custom key store (see RequiresDisconnect),
// in member order, or nil if there are none.
func (in *UpdateCustomKeyStoreInput) DisconnectRequiredFields() []string {
	if !in.RequiresDisconnect() {
		return nil
	}
	var out []string
	if in.CloudHsmClusterId != nil {
		out = append(out, fieldCloudHsmClusterID)
	}
	if in.KeyStorePassword != nil {
		out = append(out, fieldKeyStorePassword)
	}
	if in.XksProxyConnectivity != "" {
		out = append(out, fieldXksConnectivity)
	}
	if in.XksProxyUriEndpoint != nil {
		out = append(out, fieldXksURIEndpoint)
	}
	if in.XksProxyVpcEndpointServiceName != nil {
		out = append(out, fieldXksVpcServiceName)
	}
	if in.XksProxyVpcEndpointServiceOwner != nil {
		out = append(out, fieldXksVpcServiceOwner)
	}
	return out
}

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
	var b strings.Builder
	if fields := in.DisconnectRequiredFields(); len(fields) > 0 {
		b.WriteString("this update sends ")
		b.WriteString(strings.Join(fields, ", "))
		b.WriteString(", which KMS changes only while the custom key store is DISCONNECTED: call DisconnectCustomKeyStore, then UpdateCustomKeyStore, then ConnectCustomKeyStore (DescribeCustomKeyStores shows the ConnectionState)")
	} else {
		b.WriteString("this update sends only members that may change while the custom key store is CONNECTED or DISCONNECTED" +
			" (NewCustomKeyStoreName, XksProxyAuthenticationCredential, XksProxyUriPath), so the store is probably in a state" +
			" such as CONNECTING, DISCONNECTING or FAILED where no update is possible until it settles:" +
			" check its ConnectionState with DescribeCustomKeyStores and retry once it is CONNECTED or DISCONNECTED" +
			" (a FAILED store settles only after DisconnectCustomKeyStore)")
	}
	return &stateAdviceError{err: err, advice: b.String()}
}
