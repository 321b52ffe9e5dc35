//go:build unix

package main

import (
	"bytes"
	"context"
	"crypto/x509"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kmskit/kms/internal/testproc"
	"github.com/kmskit/kms/xksproxy"
)

// The end-to-end tests run the kmstest and xksproxy commands as processes,
// built once on first use.
var bins struct {
	once              sync.Once
	dir               string
	kmstest, xksproxy string
	err               error
}

func TestMain(m *testing.M) {
	code := m.Run()
	if bins.dir != "" {
		os.RemoveAll(bins.dir)
	}
	os.Exit(code)
}

// binaries builds both commands (once) and returns their paths.
func binaries(t *testing.T) (kmstestBin, xksproxyBin string) {
	t.Helper()
	bins.once.Do(func() {
		if bins.dir, bins.err = os.MkdirTemp("", "kmstest-e2e-"); bins.err != nil {
			return
		}
		bins.kmstest, bins.xksproxy = filepath.Join(bins.dir, "kmstest"), filepath.Join(bins.dir, "xksproxy")
		for path, pkg := range map[string]string{bins.kmstest: "./", bins.xksproxy: "../xksproxy"} {
			if out, err := exec.Command("go", "build", "-o", path, pkg).CombinedOutput(); err != nil {
				bins.err = fmt.Errorf("go build %s: %v\n%s", pkg, err, out)
				return
			}
		}
	})
	require.NoError(t, bins.err)
	return bins.kmstest, bins.xksproxy
}

// hup sends SIGHUP to the xksproxy p and waits until it has logged its
// n-th outcome of a reload ("reloaded" or "reload failed").
func hup(t *testing.T, p *testproc.Process, n int) {
	t.Helper()
	p.Signal(t, syscall.SIGHUP)
	testproc.Eventually(t, func() bool {
		l := p.Log()
		return strings.Count(l, `msg="xksproxy reloaded"`)+strings.Count(l, "reload failed") >= n
	}, "reload %d", n)
}

// kmsCall sends one awsJson1.1 request to the kmstest at base.
func kmsCall(t *testing.T, base, op string, body any) (int, map[string]any) {
	t.Helper()
	b, err := json.Marshal(body)
	require.NoError(t, err)
	req, err := http.NewRequest(http.MethodPost, base+"/", bytes.NewReader(b))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	req.Header.Set("X-Amz-Target", "TrentService."+op)
	res, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	require.NoError(t, err)
	var out map[string]any
	require.NoError(t, json.Unmarshal(raw, &out), string(raw))
	return res.StatusCode, out
}

// storeState returns a store's ConnectionState and ConnectionErrorCode.
func storeState(t *testing.T, base, id string) (string, string) {
	t.Helper()
	status, out := kmsCall(t, base, "DescribeCustomKeyStores", map[string]string{"CustomKeyStoreId": id})
	require.Equal(t, http.StatusOK, status, out)
	st := out["CustomKeyStores"].([]any)[0].(map[string]any)
	code, _ := st["ConnectionErrorCode"].(string)
	return st["ConnectionState"].(string), code
}

// connectAndSettle connects a DISCONNECTED store and waits until it is no
// longer CONNECTING; it returns the state and error code.
func connectAndSettle(t *testing.T, base, id string) (string, string) {
	t.Helper()
	status, out := kmsCall(t, base, "ConnectCustomKeyStore", map[string]string{"CustomKeyStoreId": id})
	require.Equal(t, http.StatusOK, status, out)
	var state, code string
	testproc.Eventually(t, func() bool { state, code = storeState(t, base, id); return state != "CONNECTING" }, "%s settles", id)
	return state, code
}

// disconnectAndSettle disconnects a store and waits until it is
// DISCONNECTED.
func disconnectAndSettle(t *testing.T, base, id string) {
	t.Helper()
	status, out := kmsCall(t, base, "DisconnectCustomKeyStore", map[string]string{"CustomKeyStoreId": id})
	require.Equal(t, http.StatusOK, status, out)
	testproc.Eventually(t, func() bool { s, _ := storeState(t, base, id); return s == "DISCONNECTED" }, "%s disconnects", id)
}

// The credentials of the end-to-end tests: the old and new one of the
// rotation under /tenant-a, another one KMS never has, and tenant B's.
const (
	e2eOldKey, e2eOldSecret     = "OLDKEY23456ABCDEFGHI", "b2xkLXNlY3JldC1vbGQtc2VjcmV0LW9sZC1zZWNyZXQtb2xkLXM"
	e2eNewKey, e2eNewSecret     = "NEWKEY23456ABCDEFGHI", "bmV3LXNlY3JldC1uZXctc2VjcmV0LW5ldy1zZWNyZXQtbmV3LXM"
	e2eOtherKey, e2eOtherSecret = "OTHERKEY2345ABCDEFGH", "b3RoZXItc2VjcmV0LW90aGVyLXNlY3JldC1vdGhlci1zZWNyZXQ"
	e2eBKey, e2eBSecret         = "TENANTB23456ABCDEFGH", "dGVuYW50LWItc2VjcmV0LXRlbmFudC1iLXNlY3JldC10ZW5hbnQ"
	e2eStoreA, e2eStoreB        = "cks-00000000000000ea1", "cks-00000000000000eb2"
)

// proxyConfig is a -config file: /tenant-a accepting credsA, /tenant-b
// accepting tenant B's credential.
func proxyConfig(credsA ...[2]string) string {
	var cs []string
	for _, c := range credsA {
		cs = append(cs, `{"AccessKeyId": "`+c[0]+`", "SecretAccessKey": "`+c[1]+`"}`)
	}
	return `[{"UriPrefix": "/tenant-a", "Credentials": [` + strings.Join(cs, ", ") + `], "Keys": [{"ID": "foo"}]},
	  {"UriPrefix": "/tenant-b", "Credentials": [{"AccessKeyId": "` + e2eBKey + `", "SecretAccessKey": "` + e2eBSecret + `"}], "Keys": [{"ID": "foo"}]}]`
}

// TestE2ERoutedStoreThroughReloads: the standalone kmstest, routed with
// -xks-proxy to a standalone xksproxy serving two prefixes with a
// self-signed certificate, connects stores through it; a credential
// rotation is rehearsed with SIGHUP (add the new credential: both work;
// remove the old: only the new works), and a store whose credential the
// proxy no longer accepts fails to connect with INVALID_CREDENTIALS. A bad
// file on reload changes nothing.
func TestE2ERoutedStoreThroughReloads(t *testing.T) {
	kmstestBin, xksproxyBin := binaries(t)
	dir := t.TempDir()
	cfg := filepath.Join(dir, "proxy.json")
	writeFile := func(path, body string) { require.NoError(t, os.WriteFile(path, []byte(body), 0o600)) }
	oldCred, newCred, otherCred := [2]string{e2eOldKey, e2eOldSecret}, [2]string{e2eNewKey, e2eNewSecret}, [2]string{e2eOtherKey, e2eOtherSecret}
	writeFile(cfg, proxyConfig(oldCred))
	proxy, proxyURL := testproc.Start(t, xksproxyBin, nil, "-addr", "127.0.0.1:0", "-config", cfg, "-tls-self-signed", "xks.example.com", "-tls-dir", dir)
	require.True(t, strings.HasPrefix(proxyURL, "https://127.0.0.1:"), proxyURL)
	proxyAddr := strings.TrimPrefix(proxyURL, "https://")
	caFile := filepath.Join(dir, "xksproxy-ca.pem")

	// The seed is written by hand: it holds the secrets, which kmstest's
	// types do not print.
	store := func(id, path string, c [2]string) string {
		return `{"CustomKeyStoreId": "` + id + `", "CustomKeyStoreName": "` + id + `", "CustomKeyStoreType": "EXTERNAL_KEY_STORE",
		  "XksProxyConfiguration": {"AccessKeyId": "` + c[0] + `", "RawSecretAccessKey": "` + c[1] + `",
		  "UriEndpoint": "https://xks.example.com", "UriPath": "` + path + `"}}`
	}
	seed := `{"Stores": [` + store(e2eStoreA, "/tenant-a/kms/xks/v1", oldCred) + ", " +
		store(e2eStoreB, "/tenant-b/kms/xks/v1", [2]string{e2eBKey, e2eBSecret}) + `]}`
	seedFile := filepath.Join(dir, "seed.json")
	writeFile(seedFile, seed)
	_, kms := testproc.Start(t, kmstestBin, nil, "-addr", "127.0.0.1:0", "-seed", seedFile, "-transition-delay", "0",
		"-xks-proxy", "https://xks.example.com="+proxyAddr, "-xks-ca", caFile,
		"-xks-proxy-timeout", testproc.HangGuard.String()) // KMS's 250 ms is a speed requirement

	// The proxy by its name, as cks --xks-resolve reaches it.
	pem, err := os.ReadFile(caFile)
	require.NoError(t, err)
	roots := x509.NewCertPool()
	require.True(t, roots.AppendCertsFromPEM(pem))
	hc, err := xksproxy.ClientFor(map[string]string{"xks.example.com": proxyAddr}, roots)
	require.NoError(t, err)
	accepts := func(c [2]string) error {
		px := xksproxy.New(xksproxy.Options{Endpoint: "https://xks.example.com", UriPath: "/tenant-a/kms/xks/v1", Region: "us-east-1",
			Credential: xksproxy.Credential{AccessKeyID: c[0], SecretAccessKey: c[1]}, HTTPClient: hc})
		_, err := px.GetHealthStatus(context.Background(), &xksproxy.GetHealthStatusInput{
			RequestMetadata: xksproxy.RequestMetadata{KmsOperation: "KmsHealthCheck", KmsRequestId: "e2e"}})
		return err
	}
	updateCred := func(id string, c [2]string) (int, map[string]any) {
		return kmsCall(t, kms, "UpdateCustomKeyStore", map[string]any{"CustomKeyStoreId": id,
			"XksProxyAuthenticationCredential": map[string]string{"AccessKeyId": c[0], "RawSecretAccessKey": c[1]}})
	}

	// Two prefixes, each store through its own.
	for _, id := range []string{e2eStoreA, e2eStoreB} {
		state, code := connectAndSettle(t, kms, id)
		require.Equal(t, "CONNECTED", state, "%s: %s\n%s", id, code, proxy.Log())
	}
	logShows(t, proxy, "path=/tenant-a/kms/xks/v1/health status=200")
	logShows(t, proxy, "path=/tenant-b/kms/xks/v1/health status=200")
	require.NoError(t, accepts(oldCred))
	require.ErrorIs(t, accepts(newCred), xksproxy.ErrAuthenticationFailed)
	status, out := updateCred(e2eStoreA, newCred)
	require.Equal(t, http.StatusBadRequest, status)
	assert.Equal(t, "XksProxyIncorrectAuthenticationCredentialException", out["__type"], "KMS tries the new credential on the proxy")

	// Rotation step 1: the proxy accepts both.
	writeFile(cfg, proxyConfig(oldCred, newCred))
	hup(t, proxy, 1)
	assert.NoError(t, accepts(oldCred), "old and new both work")
	assert.NoError(t, accepts(newCred), "old and new both work")
	status, out = updateCred(e2eStoreA, newCred)
	require.Equal(t, http.StatusOK, status, out)
	logShows(t, proxy, "kms_operation=UpdateCustomKeyStore")

	// Rotation step 2: only the new one.
	writeFile(cfg, proxyConfig(newCred))
	hup(t, proxy, 2)
	assert.ErrorIs(t, accepts(oldCred), xksproxy.ErrAuthenticationFailed, "only the new one works")
	assert.NoError(t, accepts(newCred))
	disconnectAndSettle(t, kms, e2eStoreA)
	state, code := connectAndSettle(t, kms, e2eStoreA)
	require.Equal(t, "CONNECTED", state, code)

	// A bad file: nothing changes.
	writeFile(cfg, `[{"UriPrefix": "/tenant-a", "Credentials": [`)
	hup(t, proxy, 3)
	assert.Contains(t, proxy.Log(), "reload failed, the previous configuration stays")
	assert.NoError(t, accepts(newCred))

	// The proxy no longer accepts the store's credential.
	writeFile(cfg, proxyConfig(otherCred))
	hup(t, proxy, 4)
	disconnectAndSettle(t, kms, e2eStoreA)
	state, code = connectAndSettle(t, kms, e2eStoreA)
	assert.Equal(t, "FAILED", state)
	assert.Equal(t, "INVALID_CREDENTIALS", code)
	status, out = kmsCall(t, kms, "UpdateCustomKeyStore", map[string]any{"CustomKeyStoreId": e2eStoreB, "XksProxyUriPath": "/tenant-b/kms/xks/v1"})
	assert.Equal(t, http.StatusOK, status, "the other prefix is unchanged: %v", out)

	for _, s := range []string{e2eOldSecret, e2eNewSecret, e2eOtherSecret, e2eBSecret} {
		assert.NotContains(t, proxy.Log(), s)
	}
}

// TestE2EBadStarts: a bad -config, -xks-proxy or -xks-ca is one line on
// standard error and a non-zero exit, before anything listens.
func TestE2EBadStarts(t *testing.T) {
	kmstestBin, xksproxyBin := binaries(t)
	dir := t.TempDir()
	badJSON := filepath.Join(dir, "bad.json")
	require.NoError(t, os.WriteFile(badJSON, []byte(`[{"UriPrefix": "/a", "Credentials": [{"AccessKeyId": "A", "SecretAccessKey": s3cr3t}]}]`), 0o600))
	tests := []struct {
		bin  string
		args []string
		want string
	}{
		{xksproxyBin, []string{"-config", filepath.Join(dir, "absent.json")}, "xksproxy: -config: open "},
		{xksproxyBin, []string{"-config", badJSON}, "xksproxy: -config " + badJSON + ": line 1 column 78: not valid JSON"},
		{kmstestBin, []string{"-xks-proxy", "xks.example.com"}, `kmstest: -xks-proxy "xks.example.com": want ENDPOINT=ADDRESS`},
		{kmstestBin, []string{"-xks-proxy", "http://xks.example.com=127.0.0.1:4600"}, "want https://<host name>"},
		{kmstestBin, []string{"-xks-proxy", "https://xks.example.com=nowhere"}, `the address "nowhere" must be HOST:PORT`},
		{kmstestBin, []string{"-xks-proxy", "https://xks.example.com=127.0.0.1:4600", "-xks-ca", filepath.Join(dir, "absent.pem")}, "the CA file: open "},
	}
	for _, tt := range tests {
		t.Run(filepath.Base(tt.bin)+" "+strings.Join(tt.args, " "), func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), testproc.HangGuard)
			defer cancel()
			cmd := exec.CommandContext(ctx, tt.bin, append([]string{"-addr", "127.0.0.1:0"}, tt.args...)...)
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			err := cmd.Run()
			var exit *exec.ExitError
			require.ErrorAs(t, err, &exit, stderr.String())
			assert.Equal(t, 1, exit.ExitCode())
			assert.Equal(t, 1, strings.Count(stderr.String(), "\n"), "one line: %q", stderr.String())
			assert.Contains(t, stderr.String(), tt.want)
			assert.NotContains(t, stderr.String(), "listening")
			assert.NotContains(t, stderr.String(), "s3cr3t")
		})
	}
}

// logShows waits until the process's log holds want: a process writes its
// log line after it has answered, so the line may come a moment later.
func logShows(t *testing.T, p *testproc.Process, want string) {
	t.Helper()
	testproc.Eventually(t, func() bool { return strings.Contains(p.Log(), want) }, "log with %q:\n%s", want, p.Log())
}
