package kmstest

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"net/http"
	"os"
	"time"

	"github.com/kmskit/kms/internal/resolve"
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

// XksProxyRoute sends the fake KMS's calls for an XksProxyUriEndpoint to
// a proxy running at another address, such as the xksproxy command: the
// seed member XksProxyRoutes and the kmstest command's -xks-proxy. See
// [Fake.RouteXksEndpoint].
type XksProxyRoute struct {
	// UriEndpoint is the XksProxyUriEndpoint of the stores routed: https://
	// and a host name, without port or path, e.g. "https://xks.example.com".
	// Required, unique.
	UriEndpoint string `json:"UriEndpoint"`
	// Address is where the proxy listens, HOST:PORT, e.g. "127.0.0.1:4600".
	// Required.
	Address string `json:"Address"`
	// CAFile is a PEM file of the certificates that the proxy's
	// certificate must chain to (xksproxy -tls-self-signed writes one,
	// xksproxy-ca.pem; a self-signed -tls-cert is its own); "" means the
	// system's roots. A relative path is relative to the working directory
	// ([Fake.Load]), or to the seed file's directory (the kmstest command).
	CAFile string `json:"CAFile,omitempty"`
}

// RouteXksEndpoint makes the fake KMS call the proxy listening at
// r.Address for every external key store whose XksProxyUriEndpoint is
// r.UriEndpoint, as [Fake.RouteXksProxy] does for an in-process proxy, with
// the same checks and outcomes: the fake connects to r.Address, sends SNI
// and Host for the endpoint's host name, and verifies the proxy's
// certificate for that name against r.CAFile. It replaces any earlier route
// of the endpoint. A proxy that is down answers as an unreachable one
// (XKS_PROXY_NOT_REACHABLE); one that reloads its configuration is called
// with what it serves at each call.
//
// A bad route is an error naming the member at fault (it wraps the reason),
// and the fake is unchanged.
func (f *Fake) RouteXksEndpoint(r XksProxyRoute) error {
	route, err := newXksRoute(r)
	if err != nil {
		return fmt.Errorf("kmstest: XKS proxy route %s: %w", r.UriEndpoint, err)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.routes == nil {
		f.routes = map[string]xksRoute{}
	}
	f.routes[r.UriEndpoint] = route
	return nil
}

// newXksRoute checks r and returns its route.
func newXksRoute(r XksProxyRoute) (xksRoute, error) {
	host, err := endpointHost(r.UriEndpoint)
	if err != nil {
		return xksRoute{}, fmt.Errorf("the endpoint %q: %v", r.UriEndpoint, err)
	}
	if err := resolve.CheckAddress(r.Address); err != nil {
		return xksRoute{}, fmt.Errorf("the address %q %v", r.Address, err)
	}
	var roots *x509.CertPool
	if r.CAFile != "" {
		pemBytes, err := os.ReadFile(r.CAFile)
		if err != nil {
			return xksRoute{}, fmt.Errorf("the CA file: %v", err)
		}
		roots = x509.NewCertPool()
		if !roots.AppendCertsFromPEM(pemBytes) {
			return xksRoute{}, fmt.Errorf("the CA file %s holds no PEM certificate", r.CAFile)
		}
	}
	return xksRoute{client: routeClient(resolve.Table{resolve.Key(host, "443"): r.Address}, roots)}, nil
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
	return outcomeError(out), true
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
