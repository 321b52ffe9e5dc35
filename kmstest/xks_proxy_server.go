package kmstest

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"fmt"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"time"

	"github.com/kmskit/kms/internal/noredirect"
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
		panic(err)
	}
	fake, err := newXksProxyFake(&c)
	if err != nil {
		panic(err)
	}
	certHosts := c.certHosts
	if certHosts == nil {
		certHosts = []string{host}
	}
	ca, leaf, err := newCertificates(certHosts)
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
		return "", fmt.Errorf("kmstest: WithXksEndpoint(%q): want https://<host name>", endpoint)
	case u.Port() != "":
		return "", fmt.Errorf("kmstest: WithXksEndpoint(%q): KMS allows no port", endpoint)
	case u.Path != "" || u.RawQuery != "" || u.Fragment != "" || u.User != nil:
		return "", fmt.Errorf("kmstest: WithXksEndpoint(%q): only scheme and host (the path is the prefix)", endpoint)
	case net.ParseIP(u.Hostname()) != nil:
		return "", fmt.Errorf("kmstest: WithXksEndpoint(%q): the specification requires a host name, not an IP address", endpoint)
	}
	return u.Hostname(), nil
}

// newCertificates returns a CA and a server certificate it issued for hosts.
func newCertificates(hosts []string) (*x509.Certificate, tls.Certificate, error) {
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, tls.Certificate{}, err
	}
	now := time.Now()
	caTmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "kmstest XKS proxy CA", Organization: []string{"kmstest"}},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.Add(24 * time.Hour),
		IsCA:                  true,
		BasicConstraintsValid: true,
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	if err != nil {
		return nil, tls.Certificate{}, err
	}
	ca, err := x509.ParseCertificate(caDER)
	if err != nil {
		return nil, tls.Certificate{}, err
	}
	leafKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, tls.Certificate{}, err
	}
	leafTmpl := &x509.Certificate{
		SerialNumber: big.NewInt(2),
		Subject:      pkix.Name{CommonName: hosts[0]},
		DNSNames:     hosts,
		NotBefore:    now.Add(-time.Hour),
		NotAfter:     now.Add(24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	leafDER, err := x509.CreateCertificate(rand.Reader, leafTmpl, ca, &leafKey.PublicKey, caKey)
	if err != nil {
		return nil, tls.Certificate{}, err
	}
	return ca, tls.Certificate{Certificate: [][]byte{leafDER, caDER}, PrivateKey: leafKey}, nil
}

// Client returns an HTTP client that reaches the server by its endpoint's
// host name (port 443 is dialed to the loopback listener; any other address
// fails), trusts only the server's CA, and follows no redirects.
func (s *XksProxyServer) Client() *http.Client {
	target := s.srv.Listener.Addr().String()
	want := net.JoinHostPort(s.host, "443")
	var d net.Dialer
	return &http.Client{
		Transport: &http.Transport{
			DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
				if addr != want {
					return nil, fmt.Errorf("kmstest: this client reaches only %s, not %s", want, addr)
				}
				return d.DialContext(ctx, network, target)
			},
			TLSClientConfig:   &tls.Config{RootCAs: s.roots, MinVersion: tls.VersionTLS12},
			ForceAttemptHTTP2: true,
		},
		CheckRedirect: noredirect.Refuse,
	}
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
