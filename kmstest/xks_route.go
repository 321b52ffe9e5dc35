package kmstest

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/kmskit/kms/internal/xksmodel"
	"github.com/kmskit/kms/xksproxy"
)

// The kmsOperation values the fake sends to a routed proxy.
const (
	kmsOpCreate  = "CreateCustomKeyStore"
	kmsOpConnect = "ConnectCustomKeyStore"
	kmsOpUpdate  = "UpdateCustomKeyStore"
)

// defaultXksRegion signs calls to routed proxies when [WithRegion] is not
// set.
const defaultXksRegion = "us-east-1"

// xksRoute is how the fake reaches a routed proxy.
type xksRoute struct {
	client *http.Client
}

// RouteXksProxy makes the fake KMS call p, over HTTPS with p.Client(), for
// every external key store whose XksProxyUriEndpoint is p.URL, as KMS calls
// a proxy: GetHealthStatus through the store's UriPath, signed (SigV4,
// service kms-xks-proxy, the Region of [WithRegion] or us-east-1) with the
// store's credential, with kmsOperation CreateCustomKeyStore,
// ConnectCustomKeyStore or UpdateCustomKeyStore, and KMS's time budget
// ([WithXksProxyTimeout], 250 ms by default). A failure answers as the XKS
// proxy API specification's table says: CreateCustomKeyStore and
// UpdateCustomKeyStore (of a CONNECTED store changing its credential or
// path) fail with the KMS exception (for example
// XksProxyIncorrectAuthenticationCredentialException for
// AuthenticationFailedException), and ConnectCustomKeyStore ends FAILED with
// the ConnectionErrorCode (INVALID_CREDENTIALS, XKS_PROXY_NOT_REACHABLE,
// XKS_PROXY_TIMED_OUT, XKS_PROXY_INVALID_TLS_CONFIGURATION, ...). A proxy
// whose every external key manager is UNAVAILABLE does not connect either.
//
// A routed endpoint wins over an [XksProxy] seeded at the same endpoint
// (the seeded simulation stays for tests without a proxy server). After
// p.Close the endpoint is unreachable, as a stopped proxy is. While the fake
// calls a routed proxy for Create or Update, its other requests wait.
func (f *Fake) RouteXksProxy(p *XksProxyServer) {
	hc := p.Client()
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.routes == nil {
		f.routes = map[string]xksRoute{}
	}
	f.routes[p.URL] = xksRoute{client: hc}
}

// WithXksProxyTimeout sets how long the fake waits for a routed proxy's
// answer (see [Fake.RouteXksProxy]); a later answer is a socket timeout.
// The default is KMS's 250 ms; tests on a loaded machine may want more.
func WithXksProxyTimeout(d time.Duration) Option {
	return func(c *config) { c.xksTimeout = d }
}

// routeLocked returns the route of endpoint, if any. f.mu must be held.
func (f *Fake) routeLocked(endpoint string) (xksRoute, bool) {
	r, ok := f.routes[endpoint]
	return r, ok
}

// callRoutedProxy calls GetHealthStatus on the proxy of x through r as KMS
// would for kmsOp, and returns KMS's outcome, or ok when the proxy answered
// healthy.
func (f *Fake) callRoutedProxy(ctx context.Context, r xksRoute, x XksProxyConfiguration, kmsOp string) (out xksmodel.KMSOutcome, ok bool) {
	region := f.cfg.region
	if region == "" {
		region = defaultXksRegion
	}
	timeout := f.cfg.xksTimeout
	if timeout <= 0 {
		timeout = xksmodel.KMSLatencyBudget
	}
	px := xksproxy.New(xksproxy.Options{
		Endpoint:   x.UriEndpoint,
		UriPath:    x.UriPath,
		Region:     region,
		Credential: xksproxy.Credential{AccessKeyID: x.AccessKeyId, SecretAccessKey: x.RawSecretAccessKey},
		HTTPClient: r.client,
	})
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	health, err := px.GetHealthStatus(ctx, &xksproxy.GetHealthStatusInput{
		RequestMetadata: xksproxy.RequestMetadata{KmsOperation: kmsOp, KmsRequestId: newRequestID()},
	})
	var pe *xksproxy.Error
	var ie *xksproxy.InputError
	switch {
	case err == nil:
		for _, e := range health.EkmFleetDetails {
			if e.HealthStatus != xksproxy.EkmHealthStatusUnavailable {
				return xksmodel.KMSOutcome{}, true
			}
		}
		return xksmodel.OutcomeFor(xksmodel.FailureAllUnavailable), false
	case errors.As(err, &pe):
		return xksmodel.OutcomeForErrorName(pe.Name), false
	case errors.Is(err, xksproxy.ErrMalformedResponse), errors.As(err, &ie):
		// A configuration the client cannot even send (e.g. a URI over
		// 256 characters) gets no interpretable answer either.
		return xksmodel.OutcomeFor(xksmodel.FailureMalformed), false
	}
	return xksmodel.OutcomeFor(xksmodel.TransportFailure(err)), false
}

// routedProxyErrorLocked is tryProxy for a routed endpoint: the exception
// of Create or Update, or nil. It is called with f.mu held; routed reports
// whether x's endpoint is routed at all.
func (f *Fake) routedProxyErrorLocked(x XksProxyConfiguration, kmsOp string) (err *apiError, routed bool) {
	r, ok := f.routeLocked(x.UriEndpoint)
	if !ok {
		return nil, false
	}
	out, healthy := f.callRoutedProxy(context.Background(), r, x, kmsOp)
	if healthy {
		return nil, true
	}
	return newError(out.Exception, out.Message), true
}

// routedConnectOutcome is externalConnectOutcome for a routed endpoint: the
// ConnectionErrorCode ("" for CONNECTED). It is called without f.mu held.
func (f *Fake) routedConnectOutcome(ctx context.Context, x XksProxyConfiguration) (code string, routed bool) {
	f.mu.Lock()
	r, ok := f.routeLocked(x.UriEndpoint)
	f.mu.Unlock()
	if !ok {
		return "", false
	}
	out, healthy := f.callRoutedProxy(context.WithoutCancel(ctx), r, x, kmsOpConnect)
	if healthy {
		return "", true
	}
	return out.ConnectionErrorCode, true
}
