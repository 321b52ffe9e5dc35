package main

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"io"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/kmskit/kms/internal/testproc"
	"github.com/kmskit/kms/kmstest"
)

// The fake's account: SigV4 is verified with these.
const (
	fakeAccessKeyID = "AKIDEXAMPLE"
	fakeSecretKey   = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
)

// The seeded CloudHSM world: the store's password is the kmsuser's.
const (
	hsmStoreID      = "cks-1234567890abcdef0"
	hsmCluster      = "cluster-2a34b5cdefg"
	hsmCluster2     = "cluster-3b45c6defgh"
	kmsuserPassword = "kmsuser-password-1"
	trustAnchor     = "-----BEGIN CERTIFICATE-----\nMIIExampleProdHsmTrustAnchor\n-----END CERTIFICATE-----"
)

// The seeded external key store and its proxy.
const (
	xksStoreID   = "cks-9876543210fedcba9"
	xksHost      = "xks.example.com"
	xksEndpoint  = "https://" + xksHost
	xksPrefix    = "/example-prefix"
	xksPath      = xksPrefix + "/kms/xks/v1"
	xksAccessKey = "ABCDE234567ABEXAMPLE"
	xksSecret    = "DXjSUawnel2fr6SKC7G25CNxTyWKE5PF9XX6H/u9pSo="
)

// baseSeed is a CONNECTED CloudHSM store with two related clusters, and a
// CONNECTED external key store whose proxy KMS can reach.
func baseSeed() kmstest.Seed {
	created := time.Date(2024, 1, 15, 9, 30, 0, 0, time.UTC)
	return kmstest.Seed{
		Stores: []kmstest.Store{
			{
				CustomKeyStoreId: hsmStoreID, CustomKeyStoreName: "payments-hsm", CustomKeyStoreType: kmstest.TypeCloudHSM,
				ConnectionState: kmstest.StateConnected, CreationDate: created,
				CloudHsmClusterId: hsmCluster, TrustAnchorCertificate: trustAnchor, KeyStorePassword: kmsuserPassword,
			},
			{
				CustomKeyStoreId: xksStoreID, CustomKeyStoreName: "payments-xks", CustomKeyStoreType: kmstest.TypeExternal,
				ConnectionState: kmstest.StateConnected, CreationDate: created.Add(24 * time.Hour),
				XksProxyConfiguration: kmstest.XksProxyConfiguration{
					AccessKeyId: xksAccessKey, RawSecretAccessKey: xksSecret, Connectivity: kmstest.ConnectivityPublicEndpoint,
					UriEndpoint: xksEndpoint, UriPath: xksPath,
				},
			},
		},
		Clusters: []kmstest.Cluster{
			{ClusterId: hsmCluster, BackupLineage: "prod", TrustAnchorCertificate: trustAnchor, KmsuserPassword: kmsuserPassword},
			{ClusterId: hsmCluster2, BackupLineage: "prod", TrustAnchorCertificate: trustAnchor, KmsuserPassword: kmsuserPassword},
		},
		XksProxies: []kmstest.XksProxy{
			// Accepts any credential at any path: which credential and path
			// the proxy accepts is the real proxy's business (preflight).
			{UriEndpoint: xksEndpoint},
		},
		Credentials: []kmstest.Credential{{AccessKeyId: fakeAccessKeyID, SecretAccessKey: fakeSecretKey}},
	}
}

// startKMS runs the standalone kmstest with seed, stores moving between
// states after delay, and the extra flags, and returns its URL and log.
func startKMS(t *testing.T, seed kmstest.Seed, delay time.Duration, extra ...string) (string, *testproc.Process) {
	t.Helper()
	var b bytes.Buffer
	err := kmstest.WriteSeed(&b, seed)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "seed.json")
	if err := os.WriteFile(path, b.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	p, url := testproc.Start(t, bin.kmstest, nil, append([]string{"-addr", "127.0.0.1:0", "-seed", path, "-transition-delay", delay.String()}, extra...)...)
	return url, p
}

// tunnel is an HTTPS proxy (CONNECT) that reaches a host name's port 443 at
// a loopback address: how cks, run with HTTPS_PROXY, reaches a fake XKS
// proxy by the host name in the store's XksProxyUriEndpoint. A host it does
// not know cannot be reached.
type tunnel struct {
	srv   *httptest.Server
	mu    sync.Mutex
	hosts map[string]string
}

func newTunnel(t *testing.T) *tunnel {
	tu := &tunnel{hosts: map[string]string{}}
	tu.srv = httptest.NewServer(http.HandlerFunc(tu.serve))
	t.Cleanup(tu.srv.Close)
	return tu
}

func (tu *tunnel) route(host, addr string) {
	tu.mu.Lock()
	defer tu.mu.Unlock()
	tu.hosts[host+":443"] = addr
}

func (tu *tunnel) serve(w http.ResponseWriter, r *http.Request) {
	tu.mu.Lock()
	addr, ok := tu.hosts[r.Host]
	tu.mu.Unlock()
	if r.Method != http.MethodConnect || !ok {
		http.Error(w, "unknown host", http.StatusBadGateway)
		return
	}
	up, err := net.Dial("tcp", addr)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	w.WriteHeader(http.StatusOK)
	conn, buf, err := http.NewResponseController(w).Hijack()
	if err != nil {
		up.Close()
		return
	}
	go func() {
		defer up.Close()
		defer conn.Close()
		go func() {
			_, _ = io.Copy(up, buf)
			up.(*net.TCPConn).CloseWrite()
		}()
		_, _ = io.Copy(conn, up)
	}()
}

// xksWorld is what cks needs to reach fake XKS proxies: the tunnel and a
// CA file (SSL_CERT_FILE) that the system roots then hold.
type xksWorld struct {
	tunnel *tunnel
	caFile string
	ca     *x509.Certificate
	caKey  *ecdsa.PrivateKey
	dir    string
}

func newXksWorld(t *testing.T) *xksWorld {
	t.Helper()
	w := &xksWorld{tunnel: newTunnel(t), dir: t.TempDir()}
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "cks test CA"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	w.ca, _ = x509.ParseCertificate(der)
	w.caKey = key
	w.caFile = filepath.Join(w.dir, "ca.pem")
	w.writePEM(t, w.caFile, "CERTIFICATE", der)
	return w
}

func (w *xksWorld) writePEM(t *testing.T, path, typ string, der []byte) {
	t.Helper()
	if err := os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
}

// env is what cks needs to reach the proxies through the tunnel and trust
// their certificates.
func (w *xksWorld) env() []string {
	return []string{"HTTPS_PROXY=" + w.tunnel.srv.URL, "SSL_CERT_FILE=" + w.caFile}
}

// startProxy runs the standalone xksproxy over TLS for host, serving the
// prefix with the credential and keys given, reachable through the tunnel.
func (w *xksWorld) startProxy(t *testing.T, host, prefix, accessKeyID, secret, keys string) *testproc.Process {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(time.Now().UnixNano()), Subject: pkix.Name{CommonName: host},
		DNSNames: []string{host}, NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, w.ca, &key.PublicKey, w.caKey)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	certFile, keyFile := filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	w.writePEM(t, certFile, "CERTIFICATE", der)
	w.writePEM(t, keyFile, "PRIVATE KEY", keyDER)
	proc, url := testproc.Start(t, bin.xksproxy,
		[]string{"XKS_PROXY_ACCESS_KEY_ID=" + accessKeyID, "XKS_PROXY_SECRET_ACCESS_KEY=" + secret},
		"-addr", "127.0.0.1:0", "-uri-prefix", prefix, "-keys", keys, "-tls-cert", certFile, "-tls-key", keyFile)
	u, err := urlHost(url)
	if err != nil {
		t.Fatal(err)
	}
	w.tunnel.route(host, u)
	return proc
}

// urlHost is the host:port of a URL such as https://127.0.0.1:4321.
func urlHost(raw string) (string, error) {
	req, err := http.NewRequest(http.MethodGet, raw, nil)
	if err != nil {
		return "", err
	}
	return req.URL.Host, nil
}

// startInProcessProxy starts kmstest's fake XKS proxy in this process for
// the seeded external store's endpoint and prefix, with key "foo" and opts,
// reachable through the tunnel, its CA added to the CA file. It serves
// what the standalone proxy cannot: several credentials, latency, fleet
// health.
func (w *xksWorld) startInProcessProxy(t *testing.T, opts ...kmstest.XksOption) *kmstest.XksProxyServer {
	t.Helper()
	proxy := kmstest.NewXksProxyServer(append([]kmstest.XksOption{
		kmstest.WithXksEndpoint(xksEndpoint),
		kmstest.WithXksURIPrefix(xksPrefix),
		kmstest.WithXksKeys(kmstest.XksKey{ID: "foo"}),
	}, opts...)...)
	t.Cleanup(proxy.Close)
	w.tunnel.route(xksHost, proxy.ListenerAddr())
	f, err := os.OpenFile(w.caFile, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := pem.Encode(f, &pem.Block{Type: "CERTIFICATE", Bytes: proxy.CA().Raw}); err != nil {
		t.Fatal(err)
	}
	return proxy
}
