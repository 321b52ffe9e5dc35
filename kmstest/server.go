package kmstest

import (
	"net/http"
	"net/http/httptest"
)

// Server is a [Fake] listening on a local loopback address, in the manner of
// httptest.Server. Its Fake methods seed, inspect and fault it.
type Server struct {
	*Fake

	// URL is the base URL, e.g. "http://127.0.0.1:54321", to use as a
	// client's endpoint.
	URL string

	srv *httptest.Server
}

// NewServer starts a fake KMS over plain HTTP. Close it when done.
func NewServer(opts ...Option) *Server {
	f := NewFake(opts...)
	srv := httptest.NewServer(f)
	return &Server{Fake: f, URL: srv.URL, srv: srv}
}

// NewTLSServer starts a fake KMS over HTTPS with a self-signed certificate
// that [Server.Client] trusts. Close it when done.
func NewTLSServer(opts ...Option) *Server {
	f := NewFake(opts...)
	srv := httptest.NewTLSServer(f)
	return &Server{Fake: f, URL: srv.URL, srv: srv}
}

// Client returns an HTTP client that reaches the server (and, for a TLS
// server, trusts its certificate).
func (s *Server) Client() *http.Client { return s.srv.Client() }

// Close shuts the server down and blocks until its requests are done.
func (s *Server) Close() { s.srv.Close() }
