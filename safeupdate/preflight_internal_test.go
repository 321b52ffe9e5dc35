package safeupdate

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"fmt"
	"math/big"
	"net"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kmskit/kms"
)

func TestPredictByErrorName(t *testing.T) {
	tests := map[string]error{
		"AuthenticationFailedException": kms.ErrXksProxyIncorrectAuthenticationCredential,
		"InvalidUriPathException":       kms.ErrXksProxyInvalidConfiguration,
		"ThrottlingException":           kms.ErrXksProxyUriUnreachable,
		"DependencyTimeoutException":    kms.ErrXksProxyUriUnreachable,
		"InternalException":             kms.ErrXksProxyInvalidResponse,
		"ValidationException":           kms.ErrXksProxyInvalidResponse,
		"SomethingNewException":         kms.ErrXksProxyInvalidResponse,
	}
	for name, want := range tests {
		p := predictByErrorName(name)
		code, err := p.at(opUpdateCustomKeyStore)
		assert.Same(t, want, err, name)
		assert.Empty(t, code)
		assert.Contains(t, p.reason, name)
	}
}

func TestPredictTransport(t *testing.T) {
	hostErr := &url.Error{Op: "Post", URL: "https://xks.example.com/kms/xks/v1/health", Err: &tls.CertificateVerificationError{Err: x509.HostnameError{Host: "xks.example.com", Certificate: &x509.Certificate{}}}}
	p := predictTransport(hostErr)
	assert.Same(t, kms.ErrXksProxyUriUnreachable, first(p.at(opUpdateCustomKeyStore)))
	assert.Contains(t, p.reason, "not valid for xks.example.com")
	assert.Contains(t, p.reason, "TLS connection")

	p = predictTransport(&url.Error{Op: "Post", URL: "u", Err: x509.UnknownAuthorityError{}})
	assert.Contains(t, p.reason, "TLS handshake failed")

	p = predictTransport(fmt.Errorf("x: %w", context.DeadlineExceeded))
	assert.Same(t, kms.ErrXksProxyUriUnreachable, first(p.at(opUpdateCustomKeyStore)))
	assert.Contains(t, p.reason, "did not respond in time")

	p = predictTransport(&url.Error{Op: "Post", URL: "u", Err: &net.DNSError{Err: "no such host", Name: "x", IsNotFound: true}})
	assert.Contains(t, p.reason, "does not resolve")

	p = predictTransport(&url.Error{Op: "Post", URL: "u", Err: &net.OpError{Op: "dial", Err: errors.New("connection refused")}})
	assert.Same(t, kms.ErrXksProxyUriUnreachable, first(p.at(opUpdateCustomKeyStore)))
	assert.Contains(t, p.reason, "no TCP connection")
}

func first(_ kms.ConnectionErrorCodeType, err error) error { return err }

// TestPredictionFollowsTheOperation: the same proxy failure is predicted
// as an exception at UpdateCustomKeyStore and as FAILED with a
// ConnectionErrorCode at ConnectCustomKeyStore, from the one table.
func TestPredictionFollowsTheOperation(t *testing.T) {
	p := predictByErrorName("AuthenticationFailedException")
	code, err := p.at(opUpdateCustomKeyStore)
	assert.Same(t, kms.ErrXksProxyIncorrectAuthenticationCredential, err)
	assert.Empty(t, code)
	code, err = p.at(opConnectCustomKeyStore)
	assert.Same(t, kms.ErrCustomKeyStoreConnectionFailed, err)
	assert.Equal(t, kms.ConnectionErrorCodeTypeInvalidCredentials, code)
	pe := &PreflightError{CustomKeyStoreId: "cks-1", Operation: opConnectCustomKeyStore, Predicted: err, ConnectionErrorCode: code, Reason: "r"}
	assert.Equal(t, "kms: preflight of custom key store cks-1: ConnectCustomKeyStore would end FAILED with ConnectionErrorCode INVALID_CREDENTIALS: r", pe.Error())
	assert.ErrorIs(t, pe, kms.ErrCustomKeyStoreConnectionFailed)
}

func TestPreflightErrorMatchesPredictionAndCause(t *testing.T) {
	cause := errors.New("proxy said no")
	err := error(&PreflightError{CustomKeyStoreId: "cks-1", Operation: "UpdateCustomKeyStore", Predicted: kms.ErrXksProxyInvalidConfiguration, Reason: "bad path", Err: cause})
	assert.ErrorIs(t, err, kms.ErrXksProxyInvalidConfiguration)
	assert.ErrorIs(t, err, cause)
	assert.NotErrorIs(t, err, kms.ErrXksProxyUriUnreachable)
	assert.Equal(t, "kms: preflight of custom key store cks-1: UpdateCustomKeyStore would fail with XksProxyInvalidConfigurationException: bad path: proxy said no", err.Error())
}

func TestFleetAndLatencyWarnings(t *testing.T) {
	assert.Empty(t, fleetWarnings([]EkmFleetMember{{ID: "a", HealthStatus: "ACTIVE"}, {ID: "b", HealthStatus: "ACTIVE"}}))
	w := fleetWarnings([]EkmFleetMember{{ID: "a", Model: "m", HealthStatus: "DEGRADED"}, {ID: "b", HealthStatus: "ACTIVE"}})
	require.Len(t, w, 1)
	assert.Contains(t, w[0], `"a" (m) is DEGRADED`)
	w = fleetWarnings([]EkmFleetMember{{ID: "a", HealthStatus: "ACTIVE"}})
	require.Len(t, w, 1)
	assert.Contains(t, w[0], "one member")

	assert.Empty(t, latencyWarning(250*time.Millisecond))
	assert.Contains(t, latencyWarning(300*time.Millisecond), "300ms")
}

// selfSigned returns a CA-less self-signed certificate for host.
func selfSigned(t *testing.T, host string) *x509.Certificate {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "Test XKS CA"},
		DNSNames: []string{host}, NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	require.NoError(t, err)
	cert, err := x509.ParseCertificate(der)
	require.NoError(t, err)
	return cert
}

func TestTLSFindings(t *testing.T) {
	cert := selfSigned(t, "xks.example.com")
	cs := &tls.ConnectionState{PeerCertificates: []*x509.Certificate{cert}}
	trusted := x509.NewCertPool()
	trusted.AddCert(cert)

	issuer, w := tlsFindings("xks.example.com", cs, trusted)
	assert.Equal(t, "CN=Test XKS CA", issuer)
	assert.Empty(t, w)

	_, w = tlsFindings("xks.example.com", cs, nil)
	require.Len(t, w, 1)
	assert.Contains(t, w[0], "issuer CN=Test XKS CA")
	assert.Contains(t, w[0], "public certificate authority in the system roots")

	_, w = tlsFindings("xks.example.com", cs, x509.NewCertPool())
	require.Len(t, w, 1)
	assert.Contains(t, w[0], "issuer CN=Test XKS CA")
	assert.Contains(t, w[0], "does not chain to a certificate authority of PreflightOptions.RootCAs")

	_, w = tlsFindings("other.example.com", cs, trusted)
	require.Len(t, w, 1)
	assert.Contains(t, w[0], "not valid for other.example.com")

	_, w = tlsFindings("xks.example.com", nil, trusted)
	require.Len(t, w, 1)
	assert.Contains(t, w[0], "without TLS")
}

func TestIPEndpointWarning(t *testing.T) {
	for _, ep := range []string{"https://192.0.2.10", "https://[2001:db8::1]", "https://192.0.2.10:8443"} {
		w := ipEndpointWarning(ep)
		assert.Contains(t, w, "fully qualified domain name", ep)
		assert.Contains(t, w, hostOf(ep), ep)
	}
	for _, ep := range []string{"https://xks.example.com", "https://xks-1.example.com:443", "https://10.example.com"} {
		assert.Empty(t, ipEndpointWarning(ep), ep)
	}
}
