package xksproxy

import (
	"crypto/x509"
	"net/http"

	resolver "github.com/kmskit/kms/internal/resolve"
)

// ClientFor returns an HTTP client that reaches proxies by their names
// through other addresses, as curl's --resolve does: for each NAME=ADDRESS
// of resolve it connects to ADDRESS, and still sends SNI and Host for NAME
// and verifies the certificate for NAME. Use it for Options.HTTPClient (or
// a preflight's) to check a proxy through a bastion, a port forward, or a
// private (VPC) proxy from outside its VPC.
//
// NAME is the host of an XksProxyUriEndpoint, e.g. "xks.example.com"
// (port 443, the only port KMS calls), or "NAME:PORT"; ADDRESS is
// "HOST:PORT", e.g. "127.0.0.1:4600". Names compare case-insensitively.
// Other names are reached as [DefaultHTTPClient] reaches them (the
// HTTPS_PROXY of the environment applies to them, never to the resolved
// names). roots are the certificate authorities trusted for every name;
// nil means the system's. Otherwise the client is DefaultHTTPClient's: TLS
// 1.2 or later with KMS's cipher suites, bounded times, and no redirect
// ever followed.
//
// A bad pair is an *[InputError] (Field "resolve") quoting it; no client is
// returned then.
func ClientFor(resolve map[string]string, roots *x509.CertPool) (*http.Client, error) {
	table, err := resolver.Parse(resolve)
	if err != nil {
		return nil, inputError("resolve", err.Error())
	}
	hc := DefaultHTTPClient()
	tr := hc.Transport.(*http.Transport)
	tr.TLSClientConfig.RootCAs = roots
	table.Apply(tr, true)
	return hc, nil
}
