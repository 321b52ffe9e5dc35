package kms

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
	"time"

	"github.com/kmskit/kms/internal/xksmodel"
)

// xksLatencyBudget is how long KMS waits for an XKS proxy's answer.
const xksLatencyBudget = 250 * time.Millisecond

// defaultPreflightTimeout bounds one proxy call of a preflight.
const defaultPreflightTimeout = 5 * time.Second

// PreflightOptions configures [Client.PreflightXksProxy] and
// [Client.PreflightXksProxyCreate].
type PreflightOptions struct {
	// Credential is the proxy credential KMS holds now. KMS never returns
	// its secret, so an update that keeps the credential can be checked only
	// with it; it also lets the same-key guard encrypt a canary through the
	// current settings, and lets Apply restore the credential after a failed
	// reconnect. Secret: never printed or logged.
	Credential *XksProxyAuthenticationCredentialType

	// HTTPClient reaches the proxy. Nil means a client like the library's:
	// TLS verified against the system roots, no redirects followed.
	HTTPClient HTTPClient

	// ExternalKeyIDs, when set, are the external key IDs of the KMS keys in
	// the store, for the same-key guard: each must be ENABLED, AES_256,
	// ENCRYPT and DECRYPT through the new settings and, when Credential is
	// set and the endpoint or path changes, must decrypt through the new
	// settings a canary encrypted through the current ones.
	ExternalKeyIDs []string

	// Timeout bounds each call to the proxy. Zero means 5 s. A proxy that
	// does not answer in time is predicted XksProxyUriUnreachableException;
	// one that answers after KMS's 250 ms budget gets a warning.
	Timeout time.Duration
}

// PreflightReport is what a preflight found. Err of the call says whether
// KMS is predicted to accept the change; the report says why, and what else
// is worth knowing.
type PreflightReport struct {
	// CustomKeyStoreId is the store (empty for a create).
	CustomKeyStoreId string
	// Operation is the KMS operation checked: "UpdateCustomKeyStore" or
	// "CreateCustomKeyStore" (the kmsOperation the proxy saw).
	Operation string
	// Connectivity, UriEndpoint and UriPath are the settings checked: the
	// ones KMS would use after the change.
	Connectivity XksProxyConnectivityType
	UriEndpoint  string
	UriPath      string
	// CredentialSource says where the credential came from: "input",
	// "PreflightOptions.Credential", or "" when there was none.
	CredentialSource string

	// Checked: the proxy was asked. False when NotChecked says why not.
	Checked bool
	// NotChecked says why the proxy was not asked (no credential for the
	// check, or a VPC endpoint not reachable from here); empty when Checked.
	NotChecked string

	// Latency is how long GetHealthStatus took from here.
	Latency time.Duration
	// ProxyVendor, ProxyModel, EkmVendor and FleetSize are what the proxy
	// said of itself.
	ProxyVendor, ProxyModel, EkmVendor string
	FleetSize                          int
	// EkmFleet lists the external key managers and their healthStatus.
	EkmFleet []EkmFleetMember

	// TLSIssuer is the issuer of the proxy's certificate, when TLS was seen.
	TLSIssuer string

	// Keys are the same-key guard's findings, one per external key ID.
	Keys []KeyCheck

	// Predicted is the KMS error predicted for the change (an Err value
	// such as ErrXksProxyUriUnreachable), or nil.
	Predicted error
	// Warnings are findings that KMS may not reject today but that put the
	// store at risk.
	Warnings []string
}

// EkmFleetMember is one external key manager behind the proxy.
type EkmFleetMember struct {
	ID, Model, HealthStatus string
}

// KeyCheck is the same-key guard's finding for one external key.
type KeyCheck struct {
	// ExternalKeyID is the key.
	ExternalKeyID string
	// KeySpec, KeyUsage and KeyStatus are what GetKeyMetadata returned
	// through the new settings.
	KeySpec   string
	KeyUsage  []string
	KeyStatus string
	// CanaryChecked: a canary encrypted through the current settings
	// decrypted through the new ones.
	CanaryChecked bool
	// Err is the problem found, nil when none.
	Err error
}

// summary is the report in one line.
func (r *PreflightReport) summary() string {
	if r == nil {
		return "not run"
	}
	var b strings.Builder
	switch {
	case !r.Checked:
		b.WriteString(r.NotChecked)
	case r.Predicted != nil:
		fmt.Fprintf(&b, "%s at %s%s is predicted to fail with %s", r.Operation, r.UriEndpoint, r.UriPath, strings.TrimPrefix(r.Predicted.Error(), "kms: "))
	default:
		fmt.Fprintf(&b, "the proxy at %s%s answered GetHealthStatus in %s", r.UriEndpoint, r.UriPath, r.Latency.Round(time.Millisecond))
		if n := len(r.Keys); n > 0 {
			fmt.Fprintf(&b, "; %d external key(s) checked", n)
		}
	}
	return b.String()
}

// ErrSameKeyGuard is matched (errors.Is) by a *SameKeyError.
var ErrSameKeyGuard = errors.New("kms: same-key guard: the new proxy settings do not reach the same usable key material")

// SameKeyError is a hard stop from the same-key guard: through the new
// settings an external key is missing, unusable, or holds different key
// material (a canary encrypted through the current settings does not
// decrypt). KMS might accept the change, and every ciphertext under the
// store's keys would then be unrecoverable. It matches ErrSameKeyGuard and
// wraps the cause.
type SameKeyError struct {
	// CustomKeyStoreId is the store.
	CustomKeyStoreId string
	// ExternalKeyID is the key that failed.
	ExternalKeyID string
	// Problem says what is wrong.
	Problem string
	// Err is the cause, or nil.
	Err error
}

func (e *SameKeyError) Error() string {
	s := fmt.Sprintf("kms: same-key guard for custom key store %s: external key %q: %s", e.CustomKeyStoreId, e.ExternalKeyID, e.Problem)
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

// Is matches ErrSameKeyGuard.
func (e *SameKeyError) Is(target error) bool { return target == ErrSameKeyGuard }

// Unwrap returns the cause.
func (e *SameKeyError) Unwrap() error { return e.Err }

// PreflightError is a predicted KMS rejection: KMS would answer the change
// with Predicted, for the reason given, when it calls GetHealthStatus on
// the proxy. It matches the predicted Err value with errors.Is (for
// example ErrXksProxyIncorrectAuthenticationCredential) and wraps the
// cause (an *xksproxy.Error, a network or TLS error, a timeout).
type PreflightError struct {
	// CustomKeyStoreId is the store (empty for a create).
	CustomKeyStoreId string
	// Operation is the KMS operation predicted to fail.
	Operation string
	// Predicted is the Err value of the predicted KMS exception.
	Predicted error
	// Reason is the failure scenario, in the words of the XKS proxy API
	// specification's table.
	Reason string
	// Err is the cause.
	Err error
}

func (e *PreflightError) Error() string {
	var b strings.Builder
	b.WriteString("kms: preflight")
	if e.CustomKeyStoreId != "" {
		b.WriteString(" of custom key store ")
		b.WriteString(e.CustomKeyStoreId)
	}
	fmt.Fprintf(&b, ": %s would fail with %s: %s", e.Operation, strings.TrimPrefix(fmt.Sprint(e.Predicted), "kms: "), e.Reason)
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

// Unwrap returns the predicted Err value and the cause.
func (e *PreflightError) Unwrap() []error {
	errs := []error{e.Predicted}
	if e.Err != nil {
		errs = append(errs, e.Err)
	}
	return errs
}

// prediction is one row of the XKS proxy API specification's table of
// proxy failures and the KMS exception Create/UpdateCustomKeyStore answers.
type prediction struct {
	err    error
	reason string
}

// predictByErrorName maps the errorName of a proxy's error answer to the
// KMS exception of CreateCustomKeyStore and UpdateCustomKeyStore. Names the
// table gives no Create/Update exception for (they cannot come from
// GetHealthStatus) are answers KMS cannot interpret.
func predictByErrorName(name string) prediction {
	switch name {
	case xksmodel.AuthenticationFailedException:
		return prediction{ErrXksProxyIncorrectAuthenticationCredential, "the proxy rejected the request because it could not authenticate AWS KMS (AuthenticationFailedException): verify the XKS proxy authentication credential"}
	case xksmodel.InvalidUriPathException:
		return prediction{ErrXksProxyInvalidConfiguration, "the proxy rejected the request because of an invalid URI path (InvalidUriPathException): verify XksProxyUriPath"}
	case xksmodel.ThrottlingException:
		return prediction{ErrXksProxyUriUnreachable, "the proxy rejected the request due to a very high request rate (ThrottlingException)"}
	case xksmodel.DependencyTimeoutException:
		return prediction{ErrXksProxyUriUnreachable, "the proxy did not respond to the request in the time allotted (DependencyTimeoutException)"}
	case xksmodel.InternalException:
		return prediction{ErrXksProxyInvalidResponse, "the proxy cannot communicate with the external key manager (InternalException)"}
	case xksmodel.ValidationException:
		return prediction{ErrXksProxyInvalidResponse, "KMS cannot interpret the response from the proxy (ValidationException)"}
	}
	return prediction{ErrXksProxyInvalidResponse, "KMS cannot interpret the response from the proxy (" + name + ")"}
}

// predictTransport maps a failure to reach the proxy (TCP, TLS, timeout)
// to its prediction, with a reason that names what failed.
func predictTransport(err error) prediction {
	var hostErr x509.HostnameError
	var authErr x509.UnknownAuthorityError
	var certErr *tls.CertificateVerificationError
	var invalid x509.CertificateInvalidError
	var recErr tls.RecordHeaderError
	var dnsErr *net.DNSError
	var urlErr *url.Error
	switch {
	case errors.As(err, &hostErr):
		return prediction{ErrXksProxyUriUnreachable, "AWS KMS cannot establish a TLS connection: the proxy's certificate is not valid for " + hostErr.Host}
	case errors.As(err, &authErr), errors.As(err, &certErr), errors.As(err, &invalid), errors.As(err, &recErr):
		return prediction{ErrXksProxyUriUnreachable, "AWS KMS cannot establish a TLS connection to the proxy: verify the TLS configuration, including its certificate"}
	case errors.Is(err, context.DeadlineExceeded) || errors.As(err, &urlErr) && urlErr.Timeout():
		return prediction{ErrXksProxyUriUnreachable, "the proxy did not respond in time (socket timeout)"}
	case errors.As(err, &dnsErr):
		return prediction{ErrXksProxyUriUnreachable, "AWS KMS cannot communicate with the proxy: its host name does not resolve"}
	}
	return prediction{ErrXksProxyUriUnreachable, "AWS KMS cannot establish a TCP connection to the proxy"}
}

// fleetWarnings returns the warnings about a proxy's ekmFleetDetails.
func fleetWarnings(fleet []EkmFleetMember) []string {
	var out []string
	for _, m := range fleet {
		if m.HealthStatus != xksmodel.HealthActive {
			out = append(out, fmt.Sprintf("external key manager %q (%s) is %s, not ACTIVE", m.ID, m.Model, m.HealthStatus))
		}
	}
	if len(fleet) == 1 {
		out = append(out, "the external key manager fleet has one member: KMS flags that as an availability risk")
	}
	return out
}

// latencyWarning returns the warning for an answer that took d, or "".
func latencyWarning(d time.Duration) string {
	if d <= xksLatencyBudget {
		return ""
	}
	return fmt.Sprintf("GetHealthStatus took %s from here, more than the %s KMS waits for any proxy answer: from KMS that would be XksProxyUriUnreachableException unless the delay is the network between here and the proxy",
		d.Round(time.Millisecond), xksLatencyBudget)
}

// tlsFindings checks the certificate chain the proxy presented the way KMS
// would: against the system roots, for the endpoint's host name. It
// returns the issuer of the proxy's certificate and the warnings.
func tlsFindings(host string, cs *tls.ConnectionState, roots *x509.CertPool) (issuer string, warnings []string) {
	if cs == nil || len(cs.PeerCertificates) == 0 {
		return "", []string{"the proxy answered without TLS: KMS reaches a proxy only over HTTPS"}
	}
	leaf := cs.PeerCertificates[0]
	issuer = leaf.Issuer.String()
	inter := x509.NewCertPool()
	for _, c := range cs.PeerCertificates[1:] {
		inter.AddCert(c)
	}
	if err := leaf.VerifyHostname(host); err != nil {
		warnings = append(warnings, fmt.Sprintf("the proxy's TLS certificate is not valid for %s (KMS checks the host name of XksProxyUriEndpoint): %v", host, err))
	}
	_, err := leaf.Verify(x509.VerifyOptions{Roots: roots, Intermediates: inter})
	if err != nil {
		warnings = append(warnings, fmt.Sprintf("the proxy's TLS certificate (issuer %s) does not chain to a public certificate authority in the system roots; KMS accepts only certificates from the public CAs it trusts: %v", issuer, err))
	}
	return issuer, warnings
}

// preflightUpdate is filled in once package xksproxy is merged.
func (c *Client) preflightUpdate(_ context.Context, in *UpdateCustomKeyStoreInput, _ CustomKeyStoresListEntry, _ PreflightOptions) (*PreflightReport, error) {
	return &PreflightReport{CustomKeyStoreId: deref(in.CustomKeyStoreId), NotChecked: "not checked: package xksproxy not merged yet"}, nil
}
