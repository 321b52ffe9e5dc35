package kmstest

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"time"

	"github.com/kmskit/kms/internal/noredirect"
	"github.com/kmskit/kms/internal/resolve"
	"github.com/kmskit/kms/internal/selfsigned"
)

// DefaultXksEndpoint is the endpoint of a fake XKS proxy without
// [WithXksEndpoint].
const DefaultXksEndpoint = "https://xks.example.com"

// XksProxyServer is a fake XKS proxy serving HTTPS on a loopback address,
// with a certificate for its endpoint's host name issued by a CA of its own.
// Reach it with [XksProxyServer.Client], which resolves that name to the
// listener and trusts that CA; its XksProxyFake methods seed, fault and
// inspect it.
type XksProxyServer struct {
	*XksProxyFake

	// URL is the endpoint, e.g. "https://xks.example.com": the
	// XksProxyUriEndpoint of a store that uses this proxy.
	URL string

	host  string
	srv   *httptest.Server
	ca    *x509.Certificate
	roots *x509.CertPool
}

// NewXksProxyServer starts a fake XKS proxy. It panics when an option is
// invalid (the message names it), as httptest does when it cannot listen.
// Close it when done.
func NewXksProxyServer(opts ...XksOption) *XksProxyServer {
	var c xksConfig
	for _, o := range opts {
		o(&c)
	}
	if c.endpoint == "" {
		c.endpoint = DefaultXksEndpoint
	}
	host, err := endpointHost(c.endpoint)
	if err != nil {
		panic(fmt.Errorf("kmstest: WithXksEndpoint(%q): %v", c.endpoint, err))
	}
	fake, err := newXksProxyFake(&c)
	if err != nil {
		panic(err)
	}
	certHosts := c.certHosts
	if certHosts == nil {
		certHosts = []string{host}
	}
	ca, leaf, err := selfsigned.Issue(certHosts, 24*time.Hour)
	if err != nil {
		panic(fmt.Errorf("kmstest: generating the XKS proxy certificate: %w", err))
	}
	s := &XksProxyServer{XksProxyFake: fake, URL: "https://" + host, host: host, ca: ca, roots: x509.NewCertPool()}
	s.roots.AddCert(ca)
	s.srv = httptest.NewUnstartedServer(fake)
	s.srv.EnableHTTP2 = true
	s.srv.TLS = &tls.Config{
		Certificates: []tls.Certificate{leaf},
		MinVersion:   tls.VersionTLS12,
		CipherSuites: []uint16{tls.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384, tls.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384},
		NextProtos:   []string{"h2", "http/1.1"},
	}
	s.srv.StartTLS()
	return s
}

// endpointHost checks an XksProxyUriEndpoint and returns its host name.
func endpointHost(endpoint string) (string, error) {
	u, err := url.Parse(endpoint)
	switch {
	case err != nil || u.Scheme != "https" || u.Hostname() == "":
		return "", errors.New("want https://<host name>")
	case u.Port() != "":
		return "", errors.New("KMS allows no port")
	case u.Path != "" || u.RawQuery != "" || u.Fragment != "" || u.User != nil:
		return "", errors.New("only scheme and host (the path is the prefix)")
	case net.ParseIP(u.Hostname()) != nil:
		return "", errors.New("the specification requires a host name, not an IP address")
	}
	return u.Hostname(), nil
}

// Client returns an HTTP client that reaches the server by its endpoint's
// host name (port 443 is dialed to the loopback listener; any other address
// fails), trusts only the server's CA, and follows no redirects.
func (s *XksProxyServer) Client() *http.Client {
	return routeClient(resolve.Table{resolve.Key(s.host, "443"): s.ListenerAddr()}, s.roots)
}

// routeClient returns an HTTP client that dials each name of t at its
// address and no other, trusts roots (nil: the system's), and follows no
// redirects: how the fake KMS and the fake proxies' clients reach proxies.
func routeClient(t resolve.Table, roots *x509.CertPool) *http.Client {
	tr := &http.Transport{
		TLSClientConfig:   &tls.Config{RootCAs: roots, MinVersion: tls.VersionTLS12},
		ForceAttemptHTTP2: true,
	}
	t.Apply(tr, false)
	return &http.Client{Transport: tr, CheckRedirect: noredirect.Refuse}
}

// ListenerAddr returns the loopback address the server listens on, e.g.
// "127.0.0.1:54321", for a client that dials it itself.
func (s *XksProxyServer) ListenerAddr() string { return s.srv.Listener.Addr().String() }

// RootCAs returns a pool holding the CA that issued the server's
// certificate.
func (s *XksProxyServer) RootCAs() *x509.CertPool { return s.roots.Clone() }

// CA returns the certificate of the CA that issued the server's
// certificate; its subject is "kmstest XKS proxy CA".
func (s *XksProxyServer) CA() *x509.Certificate { return s.ca }

// Close shuts the server down and blocks until its requests are done.
func (s *XksProxyServer) Close() { s.srv.Close() }
