package safeupdate

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/kmskit/kms"
	"github.com/kmskit/kms/internal/kmsmodel"
	"github.com/kmskit/kms/internal/noredirect"
	"github.com/kmskit/kms/internal/xksmodel"
	"github.com/kmskit/kms/xksproxy"
)

// xksLatencyBudget is how long KMS waits for an XKS proxy's answer.
const xksLatencyBudget = xksmodel.KMSLatencyBudget

// defaultPreflightTimeout bounds one proxy call of a preflight.
const defaultPreflightTimeout = 5 * time.Second

// PreflightOptions configures [Updater.PreflightXksProxy] and
// [Updater.PreflightXksProxyCreate].
type PreflightOptions struct {
	// Credential is the proxy credential KMS holds now. KMS never returns
	// its secret, so an update that keeps the credential can be checked only
	// with it; it also lets the same-key guard encrypt a canary through the
	// current settings, and lets Apply restore the credential after a failed
	// reconnect. Secret: never printed or logged.
	Credential *kms.XksProxyAuthenticationCredentialType

	// HTTPClient reaches the proxy. Nil means a client like the library's:
	// TLS verified against the system roots, no redirects followed.
	HTTPClient kms.HTTPClient

	// RootCAs are the certificate authorities the certificate check takes
	// as the ones KMS trusts. Nil means the system roots, which hold the
	// public CAs, the only ones KMS trusts: a certificate from another CA is
	// then a warning. Set it to a fake or test proxy's CA (with an HTTPClient
	// that trusts it) for a check without that warning; the report's
	// TLSIssuer still names the issuer.
	RootCAs *x509.CertPool

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
	// Operation is the KMS operation whose answer is predicted (and the
	// kmsOperation the proxy saw): "CreateCustomKeyStore";
	// "UpdateCustomKeyStore" for a store that is CONNECTED when the update
	// is sent (KMS asks the proxy then and answers with an exception);
	// "ConnectCustomKeyStore" for one that is DISCONNECTED then (KMS asks
	// the proxy only when it connects, and a failure ends FAILED with a
	// ConnectionErrorCode).
	Operation string
	// Connectivity, UriEndpoint and UriPath are the settings checked: the
	// ones KMS would use after the change.
	Connectivity kms.XksProxyConnectivityType
	UriEndpoint  string
	UriPath      string
	// CredentialSource says where the credential came from: "input",
	// "PreflightOptions.Credential", or "" when there was none.
	CredentialSource string

	// Result is CheckPassed when the proxy answered as KMS requires,
	// CheckFailed when KMS is predicted to refuse (the call's error says
	// why), CheckNotChecked when the proxy could not be asked from here (no
	// credential to sign with, or a VPC endpoint that only KMS reaches).
	Result CheckResult
	// Checks are what was checked: the proxy (CheckXksProxy), with the
	// Detail of its Result.
	Checks []Check

	// Answered: the proxy answered GetHealthStatus, with its health or with
	// an error (an errorName, or an answer that is malformed). False when
	// no answer came (a connection, DNS or TLS failure, a timeout) or the
	// proxy was not asked.
	Answered bool
	// Latency is how long GetHealthStatus took from here, when Answered
	// (its error answer too); zero otherwise.
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
	// such as kms.ErrXksProxyUriUnreachable; kms.ErrCustomKeyStoreConnectionFailed
	// for a prediction at ConnectCustomKeyStore), or nil.
	Predicted error
	// ConnectionErrorCode is the code a predicted ConnectCustomKeyStore
	// failure ends FAILED with; empty otherwise.
	ConnectionErrorCode kms.ConnectionErrorCodeType
	// Warnings are findings that KMS may not reject today but that put the
	// store at risk.
	Warnings []string
}

// EkmFleetMember is one external key manager behind the proxy.
type EkmFleetMember struct {
	ID, Model, HealthStatus string
}

// summary is the report in one line.
func (r *PreflightReport) summary() string {
	if r == nil {
		return "not run"
	}
	var b strings.Builder
	switch {
	case r.Result == CheckNotChecked:
		b.WriteString("not checked: ")
		b.WriteString(r.detail())
	case r.ConnectionErrorCode != "":
		fmt.Fprintf(&b, "%s at %s%s is predicted to end FAILED with ConnectionErrorCode %s", r.Operation, r.UriEndpoint, r.UriPath, r.ConnectionErrorCode)
	case r.Predicted != nil:
		fmt.Fprintf(&b, "%s at %s%s is predicted to fail with %s", r.Operation, r.UriEndpoint, r.UriPath, strings.TrimPrefix(r.Predicted.Error(), "kms: "))
	default:
		fmt.Fprintf(&b, "the proxy at %s%s answered GetHealthStatus in %s", r.UriEndpoint, r.UriPath, r.Latency.Round(time.Millisecond))
		if n := len(r.Keys); n > 0 {
			canaries := 0
			for _, k := range r.Keys {
				if k.CanaryChecked {
					canaries++
				}
			}
			fmt.Fprintf(&b, "; %d external key(s) ENABLED, AES_256, ENCRYPT and DECRYPT", n)
			if canaries > 0 {
				fmt.Fprintf(&b, "; %d canary(ies) encrypted through the current settings decrypted through the new ones", canaries)
			}
		}
	}
	return b.String()
}

// detail is the Detail of the report's check.
func (r *PreflightReport) detail() string {
	for _, c := range r.Checks {
		if c.Name == CheckXksProxy {
			return c.Detail
		}
	}
	return ""
}

// setResult records the outcome of the proxy check.
func (r *PreflightReport) setResult(res CheckResult, detail string, members ...string) {
	r.Result = res
	r.Checks = []Check{{Name: CheckXksProxy, Result: res, Detail: detail, Members: members}}
}

// PreflightError is a predicted KMS rejection: KMS would answer the change
// with Predicted, for the reason given, when it calls GetHealthStatus on
// the proxy. It matches the predicted Err value with errors.Is (for
// example kms.ErrXksProxyIncorrectAuthenticationCredential) and wraps the
// cause (an *xksproxy.Error, a network or TLS error, a timeout).
type PreflightError struct {
	// CustomKeyStoreId is the store (empty for a create).
	CustomKeyStoreId string
	// Operation is the KMS operation predicted to fail.
	Operation string
	// Predicted is the Err value of the predicted KMS exception;
	// kms.ErrCustomKeyStoreConnectionFailed for a ConnectCustomKeyStore
	// predicted to end FAILED.
	Predicted error
	// ConnectionErrorCode is the code such a FAILED store would show;
	// empty for an exception.
	ConnectionErrorCode kms.ConnectionErrorCodeType
	// Reason is the failure scenario, in the words of the XKS proxy API
	// specification's table.
	Reason string
	// Err is the cause.
	Err error
}

func (e *PreflightError) Error() string {
	if e == nil {
		return "<nil *safeupdate.PreflightError>"
	}
	var b strings.Builder
	b.WriteString("kms: preflight")
	if e.CustomKeyStoreId != "" {
		b.WriteString(" of custom key store ")
		b.WriteString(e.CustomKeyStoreId)
	}
	if e.ConnectionErrorCode != "" {
		fmt.Fprintf(&b, ": %s would end FAILED with ConnectionErrorCode %s: %s", e.Operation, e.ConnectionErrorCode, e.Reason)
	} else {
		fmt.Fprintf(&b, ": %s would fail with %s: %s", e.Operation, strings.TrimPrefix(fmt.Sprint(e.Predicted), "kms: "), e.Reason)
	}
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

// Unwrap returns the predicted Err value and the cause.
func (e *PreflightError) Unwrap() []error {
	if e == nil {
		return nil
	}
	errs := []error{e.Predicted}
	if e.Err != nil {
		errs = append(errs, e.Err)
	}
	return errs
}

// prediction is KMS's answer to a proxy failure, from the XKS proxy API
// specification's table (the table kmstest answers with), and why.
type prediction struct {
	outcome xksmodel.KMSOutcome
	reason  string
}

// predictFrom turns KMS's outcome from the XKS proxy API specification's
// table into a prediction; detail, when set, says what was seen.
func predictFrom(o xksmodel.KMSOutcome, detail string) prediction {
	reason := o.Message
	if detail != "" {
		reason = detail + ": " + reason
	}
	return prediction{o, reason}
}

// at is the error KMS answers the prediction with at operation op: the
// exception for Create and Update, FAILED with the ConnectionErrorCode for
// Connect.
func (p prediction) at(op string) (kms.ConnectionErrorCodeType, error) {
	if op == opConnectCustomKeyStore {
		return kms.ConnectionErrorCodeType(p.outcome.ConnectionErrorCode), kms.ErrCustomKeyStoreConnectionFailed
	}
	return "", kms.ErrorForCode(p.outcome.Exception)
}

// predictByErrorName maps the errorName of a proxy's error answer to the
// KMS exception of CreateCustomKeyStore and UpdateCustomKeyStore.
func predictByErrorName(name string) prediction {
	return predictFrom(xksmodel.OutcomeForErrorName(name), "the proxy answered "+name)
}

// predictTransport maps a failure to reach the proxy (TCP, TLS, timeout)
// to its prediction, with a reason that names what failed.
func predictTransport(err error) prediction {
	f := xksmodel.TransportFailure(err)
	var hostErr x509.HostnameError
	var dnsErr *net.DNSError
	detail := map[xksmodel.Failure]string{
		xksmodel.FailureTLS:     "the TLS handshake failed",
		xksmodel.FailureTimeout: "no answer in time",
		xksmodel.FailureTCP:     "no TCP connection",
	}[f]
	switch {
	case errors.As(err, &hostErr):
		detail = "the TLS handshake failed: the proxy's certificate is not valid for " + hostErr.Host
	case errors.As(err, &dnsErr):
		detail = "no TCP connection: the host name does not resolve"
	}
	return predictFrom(xksmodel.OutcomeFor(f), detail)
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

// allUnavailable reports whether the proxy reported external key managers
// and every one is UNAVAILABLE: KMS cannot use the proxy then.
func allUnavailable(fleet []EkmFleetMember) bool {
	if len(fleet) == 0 {
		return false
	}
	for _, m := range fleet {
		if m.HealthStatus != xksmodel.HealthUnavailable {
			return false
		}
	}
	return true
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
// would: against roots (nil: the system roots), for the endpoint's host
// name. It returns the issuer of the proxy's certificate and the warnings.
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
	switch {
	case err != nil && roots == nil:
		warnings = append(warnings, fmt.Sprintf("the proxy's TLS certificate (issuer %s) does not chain to a public certificate authority in the system roots; KMS accepts only certificates from the public CAs it trusts: %v", issuer, err))
	case err != nil:
		warnings = append(warnings, fmt.Sprintf("the proxy's TLS certificate (issuer %s) does not chain to a certificate authority of PreflightOptions.RootCAs: %v", issuer, err))
	}
	return issuer, warnings
}

// The kmsOperation values a preflight sends, as KMS does.
const (
	opUpdateCustomKeyStore  = "UpdateCustomKeyStore"
	opCreateCustomKeyStore  = "CreateCustomKeyStore"
	opConnectCustomKeyStore = "ConnectCustomKeyStore"
)

// proxySettings are the settings KMS uses to reach a proxy.
type proxySettings struct {
	connectivity kms.XksProxyConnectivityType
	endpoint     string
	path         string
	cred         *kms.XksProxyAuthenticationCredentialType
}

// PreflightXksProxy predicts whether KMS will accept the update in of an
// external key store, changing nothing. It builds the proxy settings KMS
// would use after the update (the members of in, the rest from
// DescribeCustomKeyStores), calls GetHealthStatus through them with
// kmsOperation UpdateCustomKeyStore, signed with the credential of in or,
// when in keeps the current one, opts.Credential, and answers as the XKS
// proxy API specification's table says KMS would.
//
// The prediction follows the store's state, as KMS (and kmstest) answer:
// for a store that is CONNECTED when the update is sent, KMS asks the proxy
// at UpdateCustomKeyStore, and a predicted rejection is a *PreflightError
// that matches the predicted Err value
// (kms.ErrXksProxyIncorrectAuthenticationCredential,
// kms.ErrXksProxyInvalidConfiguration, kms.ErrXksProxyUriUnreachable or
// kms.ErrXksProxyInvalidResponse); for one that is DISCONNECTED then (or
// that a plan disconnects first), KMS asks the proxy only at
// ConnectCustomKeyStore, and the *PreflightError matches
// kms.ErrCustomKeyStoreConnectionFailed with the ConnectionErrorCode the
// store would end FAILED with. It wraps the cause. A proxy that answers but
// reports every external key manager UNAVAILABLE is predicted unreachable
// too. The same-key guard (opts.ExternalKeyIDs) stops with a *SameKeyError.
// Both come with the report, whose Result is CheckFailed. When the check
// cannot run from here — no credential to sign with, or a
// VPC_ENDPOINT_SERVICE endpoint that is reachable only inside its VPC — the
// error is nil, report.Result is CheckNotChecked and its check says why.
// Other errors: a
// *kms.ValidationError (also for a store that is not EXTERNAL_KEY_STORE: it
// names CustomKeyStoreId), the Describe error.
func (u *Updater) PreflightXksProxy(ctx context.Context, in *kms.UpdateCustomKeyStoreInput, opts PreflightOptions) (*PreflightReport, error) {
	entry, err := u.describeInputStore(ctx, in, secretsOf(in, PlanOptions{Preflight: opts}, secret{}).describe)
	if err != nil {
		return nil, err
	}
	atUpdate := kms.ConnectionStateTypeDisconnected
	if s := entry.ConnectionState; s == kms.ConnectionStateTypeConnected || s == kms.ConnectionStateTypeConnecting {
		atUpdate = kms.ConnectionStateTypeConnected
		if in.RequiresDisconnect() {
			atUpdate = kms.ConnectionStateTypeDisconnected // a plan disconnects it first
		}
	}
	return u.preflightUpdate(ctx, in, entry, opts, atUpdate)
}

// PreflightXksProxyCreate predicts whether KMS will accept the creation of
// an external key store with in, as [Updater.PreflightXksProxy] does for an
// update: GetHealthStatus with kmsOperation CreateCustomKeyStore through
// the endpoint and path of in, signed with its credential. The same-key
// guard checks each of opts.ExternalKeyIDs with GetKeyMetadata (there are no
// current settings to encrypt a canary through). in must be a valid
// EXTERNAL_KEY_STORE input (otherwise a *kms.ValidationError); nothing is sent
// to KMS.
func (u *Updater) PreflightXksProxyCreate(ctx context.Context, in *kms.CreateCustomKeyStoreInput, opts PreflightOptions) (*PreflightReport, error) {
	if u == nil {
		return nil, errNoAPI
	}
	if ctx == nil {
		return nil, errNilContext
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	if in.CustomKeyStoreType != kms.CustomKeyStoreTypeExternalKeyStore {
		return nil, kms.NewValidationError(kmsmodel.CreateCustomKeyStoreInput.Name, kms.FieldProblem{
			Field:  kmsmodel.CreateCustomKeyStoreInput.MustMember("CustomKeyStoreType").Name,
			Reason: fmt.Sprintf("must be %s: PreflightXksProxyCreate checks the proxy of an external key store", kms.CustomKeyStoreTypeExternalKeyStore),
		})
	}
	next := proxySettings{
		connectivity: in.XksProxyConnectivity,
		endpoint:     aws.ToString(in.XksProxyUriEndpoint),
		path:         aws.ToString(in.XksProxyUriPath),
		cred:         in.XksProxyAuthenticationCredential,
	}
	rep := &PreflightReport{Operation: opCreateCustomKeyStore, CredentialSource: "input"}
	return u.runPreflight(ctx, rep, next, nil, opts)
}

// preflightUpdate runs the preflight of in against the described store,
// which is in state atUpdate when the update is sent: CONNECTED (KMS asks
// the proxy at UpdateCustomKeyStore) or DISCONNECTED (at
// ConnectCustomKeyStore).
func (u *Updater) preflightUpdate(ctx context.Context, in *kms.UpdateCustomKeyStoreInput, entry kms.CustomKeyStoresListEntry, opts PreflightOptions, atUpdate kms.ConnectionStateType) (*PreflightReport, error) {
	s := snapshotOf(entry)
	if s.typ != kms.CustomKeyStoreTypeExternalKeyStore {
		return nil, storeTypeError(s, kms.CustomKeyStoreTypeExternalKeyStore, "only external key stores have a proxy to check")
	}
	op := opUpdateCustomKeyStore
	if atUpdate != kms.ConnectionStateTypeConnected {
		op = opConnectCustomKeyStore
	}
	rep := &PreflightReport{CustomKeyStoreId: s.id, Operation: op}
	cur := proxySettings{connectivity: s.connectivity, endpoint: s.endpoint, path: s.path}
	next := cur
	if in.XksProxyConnectivity != "" {
		next.connectivity = in.XksProxyConnectivity
	}
	if in.XksProxyUriEndpoint != nil {
		next.endpoint = *in.XksProxyUriEndpoint
	}
	if in.XksProxyUriPath != nil {
		next.path = *in.XksProxyUriPath
	}
	if oc := opts.Credential; oc != nil && oc.AccessKeyId != nil && oc.RawSecretAccessKey != nil {
		if *oc.AccessKeyId == s.accessKeyID.value() {
			cur.cred = oc
		} else {
			rep.Warnings = append(rep.Warnings, "the current credential given is not the XksProxyAuthenticationCredential the store holds (its AccessKeyId differs from DescribeCustomKeyStores'): it is not used")
		}
	}
	switch {
	case in.XksProxyAuthenticationCredential != nil:
		next.cred, rep.CredentialSource = in.XksProxyAuthenticationCredential, "input"
	case cur.cred != nil:
		next.cred, rep.CredentialSource = cur.cred, "PreflightOptions.Credential"
	}
	var canary *proxySettings
	if cur.cred != nil && (next.endpoint != cur.endpoint || next.path != cur.path) {
		canary = &cur
	}
	return u.runPreflight(ctx, rep, next, canary, opts)
}

// runPreflight checks next (and, with cur, the same key material through
// cur and next) and fills rep.
func (u *Updater) runPreflight(ctx context.Context, rep *PreflightReport, next proxySettings, cur *proxySettings, opts PreflightOptions) (*PreflightReport, error) {
	rep.Connectivity, rep.UriEndpoint, rep.UriPath = next.connectivity, next.endpoint, next.path
	if w := ipEndpointWarning(next.endpoint); w != "" {
		rep.Warnings = append(rep.Warnings, w)
	}
	if next.cred == nil {
		rep.setResult(CheckNotChecked, "the update keeps the store's XksProxyAuthenticationCredential, and KMS never returns its secret:"+
			" with the credential KMS holds now the proxy can be asked as KMS will ask it", fieldXksCredential)
		return rep, nil
	}
	timeout := opts.Timeout
	if timeout <= 0 {
		timeout = defaultPreflightTimeout
	}
	rec := &tlsRecorder{next: proxyHTTPClient(opts.HTTPClient)}
	px := u.proxyClient(next, rec)

	hctx, cancel := context.WithTimeout(ctx, timeout)
	start := time.Now()
	health, err := px.GetHealthStatus(hctx, &xksproxy.GetHealthStatusInput{RequestMetadata: xksproxy.RequestMetadata{KmsOperation: rep.Operation}})
	took := time.Since(start)
	cancel()
	host := hostOf(next.endpoint)
	if err != nil {
		if ctx.Err() != nil {
			return rep, ctx.Err()
		}
		var ie *xksproxy.InputError
		if errors.As(err, &ie) {
			return rep, fmt.Errorf("kms: preflight: %w", err)
		}
		var pe *xksproxy.Error
		var p prediction
		switch {
		case errors.As(err, &pe):
			rep.Answered, rep.Latency = true, took
			p = predictByErrorName(pe.Name)
		case errors.Is(err, xksproxy.ErrMalformedResponse):
			rep.Answered, rep.Latency = true, took
			p = predictFrom(xksmodel.OutcomeFor(xksmodel.FailureMalformed), "the proxy's answer is malformed")
		default:
			p = predictTransport(err)
			if next.connectivity == kms.XksProxyConnectivityTypeVpcEndpointService && xksmodel.TransportFailure(err) != xksmodel.FailureTLS {
				rep.setResult(CheckNotChecked, fmt.Sprintf("not checked from here: with VPC_ENDPOINT_SERVICE connectivity KMS reaches %s through the VPC endpoint service,"+
					" and this machine cannot reach it (%s): check from a host inside the VPC, or through a bastion or port forward that reaches it", host, p.reason))
				return rep, nil
			}
		}
		return rep, rep.predicted(p, err)
	}
	rep.Answered, rep.Latency = true, health.Latency
	rep.ProxyVendor, rep.ProxyModel, rep.EkmVendor, rep.FleetSize = health.XksProxyVendor, health.XksProxyModel, health.EkmVendor, health.XksProxyFleetSize
	for _, m := range health.EkmFleetDetails {
		rep.EkmFleet = append(rep.EkmFleet, EkmFleetMember{ID: m.Id, Model: m.Model, HealthStatus: string(m.HealthStatus)})
	}
	if allUnavailable(rep.EkmFleet) {
		p := predictFrom(xksmodel.OutcomeFor(xksmodel.FailureAllUnavailable), "every external key manager in ekmFleetDetails is UNAVAILABLE")
		rep.Warnings = append(rep.Warnings, fleetWarnings(rep.EkmFleet)...)
		return rep, rep.predicted(p, nil)
	}
	if w := latencyWarning(health.Latency); w != "" {
		rep.Warnings = append(rep.Warnings, w)
	}
	rep.Warnings = append(rep.Warnings, fleetWarnings(rep.EkmFleet)...)
	issuer, tw := tlsFindings(host, rec.state(), opts.RootCAs)
	rep.TLSIssuer = issuer
	rep.Warnings = append(rep.Warnings, tw...)

	if len(opts.ExternalKeyIDs) > 0 {
		var oldPx *xksproxy.Client
		if cur != nil {
			oldPx = u.proxyClient(*cur, proxyHTTPClient(opts.HTTPClient))
		}
		for _, id := range opts.ExternalKeyIDs {
			kc := checkKey(ctx, px, oldPx, id, timeout)
			rep.Keys = append(rep.Keys, kc.KeyCheck)
			if kc.Err != nil {
				serr := &SameKeyError{CustomKeyStoreId: rep.CustomKeyStoreId, ExternalKeyID: id, Problem: kc.problem, Err: kc.Err}
				rep.setResult(CheckFailed, fmt.Sprintf("the proxy answers, but the same-key guard stops the change: external key %q: %s", id, kc.problem))
				return rep, serr
			}
		}
	}
	rep.setResult(CheckPassed, rep.summary())
	return rep, nil
}

// predicted records the prediction p in the report and returns its
// *PreflightError, with cause err.
func (r *PreflightReport) predicted(p prediction, err error) error {
	r.ConnectionErrorCode, r.Predicted = p.at(r.Operation)
	pe := &PreflightError{CustomKeyStoreId: r.CustomKeyStoreId, Operation: r.Operation, Predicted: r.Predicted,
		ConnectionErrorCode: r.ConnectionErrorCode, Reason: p.reason, Err: err}
	r.setResult(CheckFailed, strings.TrimPrefix(pe.Error(), "kms: "))
	return pe
}

// proxyClient returns an xksproxy client for settings s.
func (u *Updater) proxyClient(s proxySettings, hc xksproxy.HTTPClient) *xksproxy.Client {
	return xksproxy.New(xksproxy.Options{
		Endpoint:   s.endpoint,
		UriPath:    s.path,
		Region:     u.options.Region,
		Credential: xksproxy.Credential{AccessKeyID: aws.ToString(s.cred.AccessKeyId), SecretAccessKey: aws.ToString(s.cred.RawSecretAccessKey)},
		HTTPClient: hc,
	})
}

// proxyHTTPClient returns hc, or xksproxy's default client; an
// *http.Client is copied with redirects off.
func proxyHTTPClient(hc kms.HTTPClient) xksproxy.HTTPClient {
	if hc == nil {
		return xksproxy.DefaultHTTPClient()
	}
	return noredirect.Client[xksproxy.HTTPClient](hc)
}

// tlsRecorder passes requests on and keeps the TLS state of the last
// answer.
type tlsRecorder struct {
	next xksproxy.HTTPClient
	mu   sync.Mutex
	tls  *tls.ConnectionState
}

func (r *tlsRecorder) Do(req *http.Request) (*http.Response, error) {
	resp, err := r.next.Do(req)
	if resp != nil {
		r.mu.Lock()
		r.tls = resp.TLS
		r.mu.Unlock()
	}
	return resp, err
}

func (r *tlsRecorder) state() *tls.ConnectionState {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.tls
}

// ipEndpointWarning returns the warning for an endpoint whose host is an
// IP address, or "": the XKS proxy API specification requires a fully
// qualified domain name, and KMS checks the proxy's certificate against it.
func ipEndpointWarning(endpoint string) string {
	host := hostOf(endpoint)
	if net.ParseIP(host) == nil {
		return ""
	}
	return fmt.Sprintf("XksProxyUriEndpoint names the proxy by the IP address %s: the XKS proxy API specification requires a fully qualified domain name, with a TLS certificate for that name from a public certificate authority", host)
}

// hostOf returns the host name of an endpoint URL.
func hostOf(endpoint string) string {
	u, err := url.Parse(endpoint)
	if err != nil {
		return endpoint
	}
	return u.Hostname()
}
