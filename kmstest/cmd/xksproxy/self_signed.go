package main

import (
	"crypto/tls"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/kmskit/kms/internal/selfsigned"
)

// The files -tls-self-signed writes into -tls-dir.
const (
	// selfSignedCA is the CA certificate, for kmstest -xks-ca and cks
	// --xks-ca-file.
	selfSignedCA = "xksproxy-ca.pem"
	// selfSignedCert is the server certificate and its chain, for the
	// -tls-cert of another xksproxy serving the same names.
	selfSignedCert = "xksproxy-cert.pem"
	// selfSignedKey is the server certificate's private key (-tls-key).
	selfSignedKey = "xksproxy-key.pem"
)

// selfSignedValidity is how long a -tls-self-signed certificate is valid.
const selfSignedValidity = 30 * 24 * time.Hour

// parseNames parses -tls-self-signed: host names (or IP addresses),
// comma-separated.
func parseNames(s string) ([]string, error) {
	var names []string
	for _, n := range strings.Split(s, ",") {
		n = strings.TrimSpace(n)
		switch {
		case n == "":
			continue
		case strings.Contains(n, "://") || strings.ContainsAny(n, "/:@ "):
			return nil, fmt.Errorf("-tls-self-signed %q: want host names such as xks.example.com, comma-separated (no scheme, port or path)", s)
		}
		names = append(names, n)
	}
	if len(names) == 0 {
		return nil, errors.New("-tls-self-signed needs a host name, such as xks.example.com")
	}
	return names, nil
}

// writeSelfSigned issues a new CA and a server certificate for names,
// writes the three files into dir, and returns the certificate to serve.
func writeSelfSigned(dir string, names []string) (tls.Certificate, error) {
	ca, leaf, err := selfsigned.Issue(names, selfSignedValidity)
	if err != nil {
		return tls.Certificate{}, fmt.Errorf("-tls-self-signed: %w", err)
	}
	key, err := selfsigned.KeyPEM(leaf)
	if err != nil {
		return tls.Certificate{}, fmt.Errorf("-tls-self-signed: %w", err)
	}
	files := []struct {
		name string
		data []byte
		mode os.FileMode
	}{
		{selfSignedCA, selfsigned.CertificatesPEM(ca.Raw), 0o644},
		{selfSignedCert, selfsigned.CertificatesPEM(leaf.Certificate...), 0o644},
		{selfSignedKey, key, 0o600},
	}
	for _, f := range files {
		path := filepath.Join(dir, f.name)
		// An older file would keep its mode: replace it.
		if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return tls.Certificate{}, fmt.Errorf("-tls-self-signed: %w", err)
		}
		if err := os.WriteFile(path, f.data, f.mode); err != nil {
			return tls.Certificate{}, fmt.Errorf("-tls-self-signed: %w", err)
		}
	}
	return leaf, nil
}
