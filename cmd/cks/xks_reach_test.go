package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kmskit/kms/internal/testproc"
	"github.com/kmskit/kms/kmstest"
)

// The VPC endpoint service and private endpoint of the resolved world.
const (
	vpcService  = "com.amazonaws.vpce.us-east-1.vpce-svc-0abc123def4567890"
	vpcEndpoint = "https://xks-private.example.com"
)

// resolvedWorld is a standalone xksproxy that serves the seeded external
// store's prefix with its credential under a self-signed certificate for
// xks.example.com and xks-private.example.com, and a standalone kmstest
// that calls it (-xks-proxy): what cks reaches with --xks-resolve and
// --xks-ca-file, with no tunnel and no SSL_CERT_FILE.
type resolvedWorld struct {
	url, proxyAddr, caFile, secretFile string
	proxy, kms                         *testproc.Process
	env                                []string
}

func newResolvedWorld(t *testing.T) *resolvedWorld {
	t.Helper()
	dir := t.TempDir()
	w := &resolvedWorld{caFile: filepath.Join(dir, "xksproxy-ca.pem"), secretFile: filepath.Join(dir, "secret.txt"), env: cksEnv(t)}
	cfg := `[{"UriPrefix": "` + xksPrefix + `", "Keys": [{"ID": "foo"}],
	  "Credentials": [{"AccessKeyId": "` + xksAccessKey + `", "SecretAccessKey": "` + xksSecret + `"}]}]`
	for name, body := range map[string]string{"proxy.json": cfg, "secret.txt": xksSecret + "\n"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	var url string
	w.proxy, url = testproc.Start(t, bin.xksproxy, nil, "-addr", "127.0.0.1:0", "-config", filepath.Join(dir, "proxy.json"),
		"-tls-self-signed", xksHost+",xks-private.example.com", "-tls-dir", dir)
	w.proxyAddr = strings.TrimPrefix(url, "https://")
	seed := baseSeed()
	seed.XksProxies = nil
	seed.VpcEndpointServices = []kmstest.VpcEndpointService{{ServiceName: vpcService}}
	w.url, w.kms = startKMS(t, seed, 50*time.Millisecond, "-xks-proxy", xksEndpoint+"="+w.proxyAddr,
		"-xks-proxy", vpcEndpoint+"="+w.proxyAddr, "-xks-ca", w.caFile, "-xks-proxy-timeout", testproc.HangGuard.String())
	return w
}

// cks runs cks against the world's KMS.
func (w *resolvedWorld) cks(t *testing.T, args ...string) result {
	t.Helper()
	return runCKS(t, w.env, "", append([]string{args[0], "--endpoint-url", w.url}, args[1:]...)...)
}

// proxyCalls counts the calls the proxy answered.
func (w *resolvedWorld) proxyCalls() int { return strings.Count(w.proxy.Log(), "msg=call") }

// TestXksResolveAndCAFile: with --xks-resolve NAME=ADDRESS cks reaches the
// proxy by its name at another address (SNI, Host and the certificate for
// NAME), with --xks-ca-file it trusts the proxy's CA, and then does not
// warn that the CA is not a public one (it says what it checked against
// instead); without the CA file the TLS check fails as it would for KMS. A
// VPC_ENDPOINT_SERVICE proxy is checked too when --xks-resolve reaches it,
// and is "not checked from here" (exit 4, naming --xks-resolve) when
// nothing does. Bad values are usage errors, nothing sent.
func TestXksResolveAndCAFile(t *testing.T) {
	w := newResolvedWorld(t)
	resolve := []string{"--xks-resolve", xksHost + "=" + w.proxyAddr, "--xks-ca-file", w.caFile}
	check := []string{"preflight", "--id", xksStoreID, "--xks-access-key-id", xksAccessKey, "--secret-access-key-file", w.secretFile}

	before := w.proxyCalls()
	r := w.cks(t, append(check, resolve...)...)
	if r.code != 0 {
		t.Fatalf("preflight through --xks-resolve: %v", r)
	}
	mustContain(t, "stdout", r.stdout, "health:      answered", "(checked against --xks-ca-file "+w.caFile+", not the public CAs KMS trusts)",
		"Result: KMS is expected to accept these proxy settings (exit 0).")
	if strings.Contains(r.stdout+r.stderr, "certificate authority") {
		t.Errorf("a warning about the CA the caller gave: %v", r)
	}
	if w.proxyCalls() <= before {
		t.Errorf("the proxy was not called:\n%s", w.proxy.Log())
	}

	r = w.cks(t, append(check, "--xks-resolve", xksHost+"="+w.proxyAddr)...)
	if r.code != 2 || !strings.Contains(r.stdout, "certificate") {
		t.Errorf("without --xks-ca-file the proxy's certificate is not trusted: %v", r)
	}

	// A private (VPC) proxy, reached through --xks-resolve.
	vpc := []string{"preflight", "--id", xksStoreID, "--xks-connectivity", "VPC_ENDPOINT_SERVICE", "--xks-endpoint", vpcEndpoint,
		"--xks-vpc-endpoint-service-name", vpcService, "--xks-access-key-id", xksAccessKey, "--secret-access-key-file", w.secretFile, "--xks-ca-file", w.caFile}
	before = w.proxyCalls()
	r = w.cks(t, append(vpc, "--xks-resolve", "xks-private.example.com="+w.proxyAddr)...)
	if r.code != 0 || !strings.Contains(r.stdout, "through "+vpcEndpoint+xksPath+" (VPC_ENDPOINT_SERVICE)") {
		t.Fatalf("VPC preflight through --xks-resolve: %v", r)
	}
	if w.proxyCalls() <= before {
		t.Errorf("the VPC proxy was not called:\n%s", w.proxy.Log())
	}
	r = w.cks(t, append(vpc, "--xks-resolve", "xks-private.example.com=127.0.0.1:1")...)
	if r.code != 4 {
		t.Errorf("VPC preflight that cannot reach the proxy: %v", r)
	}
	mustContain(t, "stdout", r.stdout, "not checked from here", "to check it: --xks-resolve NAME=ADDRESS")
	if strings.Contains(r.stdout, "PreflightOptions.") {
		t.Errorf("the advice names a Go field: %v", r)
	}

	// Bad values: exit 3, and neither KMS nor the proxy is called.
	kmsCalls, proxyCalls := strings.Count(w.kms.Log(), "msg=call"), w.proxyCalls()
	for _, bad := range [][]string{
		{"--xks-resolve", xksHost},
		{"--xks-resolve", xksHost + "=127.0.0.1"},
		{"--xks-resolve", xksHost + "=" + w.proxyAddr, "--xks-resolve", strings.ToUpper(xksHost) + "=" + w.proxyAddr},
		{"--xks-ca-file", w.secretFile},
	} {
		for _, cmd := range [][]string{check, {"rotate-xks-credential", "--id", xksStoreID, "--access-key-id", "ABCDE234567ABNEWKEYS", "--secret-access-key-file", w.secretFile}} {
			if r := w.cks(t, append(cmd, bad...)...); r.code != 3 || !strings.Contains(r.stderr, bad[len(bad)-2]) {
				t.Errorf("%s %v: %v", cmd[0], bad, r)
			}
		}
	}
	if strings.Count(w.kms.Log(), "msg=call") != kmsCalls || w.proxyCalls() != proxyCalls {
		t.Error("a bad --xks-resolve or --xks-ca-file sent a request")
	}
}

// TestMessagesNameCksFlags: what cks prints names its own flags, never the
// library's Go fields: the disconnect refusal says --allow-disconnect, an
// unchecked proxy says --current-credential-file (or
// --current-access-key-id), the JSON CredentialSource is the flag that gave
// the credential, and rotate-xks-credential says the credential came from
// its --access-key-id.
func TestMessagesNameCksFlags(t *testing.T) {
	w := newResolvedWorld(t)
	resolve := []string{"--xks-resolve", xksHost + "=" + w.proxyAddr, "--xks-ca-file", w.caFile}
	noGoField := func(what string, r result) {
		t.Helper()
		if s := r.stdout + r.stderr; strings.Contains(s, "Options.") || strings.Contains(s, `"input"`) {
			t.Errorf("%s names a Go field: %v", what, r)
		}
	}

	r := w.cks(t, "plan", "--id", hsmStoreID, "--cluster-id", hsmCluster2)
	if r.code != 2 || !strings.Contains(r.stderr, "pass --allow-disconnect to allow it") {
		t.Errorf("plan without --allow-disconnect: %v", r)
	}
	noGoField("plan without --allow-disconnect", r)

	r = w.cks(t, append([]string{"plan", "--id", xksStoreID, "--xks-path", "/other/kms/xks/v1"}, resolve...)...)
	if r.code != 4 {
		t.Errorf("plan of a path change without the current credential: %v", r)
	}
	mustContain(t, "stdout", r.stdout, "--current-credential-file F", "--current-access-key-id")
	noGoField("an unchecked plan", r)

	for flags, want := range map[string]string{
		"--current-access-key-id " + xksAccessKey + " --current-secret-access-key-file " + w.secretFile: "--current-access-key-id",
		"--xks-access-key-id " + xksAccessKey + " --secret-access-key-file " + w.secretFile:             "--xks-access-key-id",
	} {
		r = w.cks(t, append(append([]string{"preflight", "--id", xksStoreID, "--output", "json"}, strings.Fields(flags)...), resolve...)...)
		var out struct{ CredentialSource, Result string }
		if err := json.Unmarshal([]byte(r.stdout), &out); err != nil || r.code != 0 {
			t.Fatalf("preflight --output json %s: %v %v", flags, err, r)
		}
		if out.CredentialSource != want {
			t.Errorf("preflight %s: CredentialSource %q, want %q", flags, out.CredentialSource, want)
		}
		noGoField("preflight --output json", r)
	}

	r = w.cks(t, append([]string{"rotate-xks-credential", "--id", xksStoreID, "--access-key-id", "ABCDE234567ABNEWKEYS", "--secret-access-key-file", w.secretFile}, resolve...)...)
	if r.code != 2 {
		t.Errorf("rotation to a credential the proxy does not accept: %v", r)
	}
	mustContain(t, "stdout", r.stdout, "credential:  from --access-key-id (the new credential)")
	if strings.Contains(r.stdout, "--xks-access-key-id") {
		t.Errorf("rotate names a flag it does not have: %v", r)
	}
}
