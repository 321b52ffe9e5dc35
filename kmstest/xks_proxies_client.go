package kmstest

import (
	"crypto/x509"
	"net/http"

	"github.com/kmskit/kms/internal/resolve"
)

// XksProxiesClient returns an HTTP client that reaches each of proxies by
// its endpoint's host name, as [XksProxyServer.Client] does for one: port
// 443 of each host is dialed to that proxy's loopback listener (any other
// address fails), only the proxies' CAs are trusted, and no redirect is
// followed. Use it where one client must reach several fake proxies, such as
// a preflight that compares the current proxy with a new one.
func XksProxiesClient(proxies ...*XksProxyServer) *http.Client {
	t := resolve.Table{}
	roots := x509.NewCertPool()
	for _, p := range proxies {
		t[resolve.Key(p.host, "443")] = p.ListenerAddr()
		roots.AddCert(p.CA())
	}
	return routeClient(t, roots)
}
