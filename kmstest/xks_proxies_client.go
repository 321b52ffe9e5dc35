package kmstest

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net"
	"net/http"
	"strings"

	"github.com/kmskit/kms/internal/noredirect"
)

// XksProxiesClient returns an HTTP client that reaches each of proxies by
// its endpoint's host name, as [XksProxyServer.Client] does for one: port
// 443 of each host is dialed to that proxy's loopback listener (any other
// address fails), only the proxies' CAs are trusted, and no redirect is
// followed. Use it where one client must reach several fake proxies, such as
// a preflight that compares the current proxy with a new one.
func XksProxiesClient(proxies ...*XksProxyServer) *http.Client {
	targets := map[string]string{}
	roots := x509.NewCertPool()
	for _, p := range proxies {
		targets[net.JoinHostPort(strings.TrimPrefix(p.URL, "https://"), "443")] = p.ListenerAddr()
		roots.AddCert(p.CA())
	}
	var d net.Dialer
	return &http.Client{
		Transport: &http.Transport{
			DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
				target, ok := targets[addr]
				if !ok {
					return nil, fmt.Errorf("kmstest: no fake XKS proxy at %s", addr)
				}
				return d.DialContext(ctx, network, target)
			},
			TLSClientConfig:   &tls.Config{RootCAs: roots, MinVersion: tls.VersionTLS12},
			ForceAttemptHTTP2: true,
		},
		CheckRedirect: noredirect.Refuse,
	}
}
