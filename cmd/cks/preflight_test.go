package main

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/kmskit/kms/kmstest"
)

// xksSetup runs the fake KMS and the standalone fake XKS proxy for the
// seeded external key store, and a second proxy at xks2.example.com with
// the same credential but other key material.
func xksSetup(t *testing.T) (url string, env []string, currentSecretFile string) {
	t.Helper()
	world := newXksWorld(t)
	world.startProxy(t, xksHost, xksPrefix, xksAccessKey, xksSecret, "foo,encrypt_only:ENCRYPT")
	world.startProxy(t, "xks2.example.com", xksPrefix, xksAccessKey, xksSecret, "foo")
	seed := baseSeed()
	seed.XksProxies = append(seed.XksProxies, kmstest.XksProxy{UriEndpoint: "https://xks2.example.com"})
	url, _ = startKMS(t, seed, 200*time.Millisecond)
	return url, cksEnv(t, world.env()...), writeSecret(t, xksSecret)
}

// TestPreflight: the XKS checks pass for the store's own settings and fail,
// with the exception KMS would answer, for a wrong path, a wrong credential,
// an unreachable proxy and a key the proxy does not have.
func TestPreflight(t *testing.T) {
	url, env, cur := xksSetup(t)
	const wrongSecret = "V3JvbmdTZWNyZXRXcm9uZ1NlY3JldFdyb25nU2VjcmV0"
	wrongFile := writeSecret(t, wrongSecret)
	current := []string{"--current-access-key-id", xksAccessKey, "--current-secret-access-key-file", cur}

	tests := []struct {
		name   string
		args   []string
		code   int
		stdout []string
		stderr []string
		op     string // the operation KMS is predicted at; "" means UpdateCustomKeyStore
		// health is the health line; answered: the proxy answered (JSON).
		health   string
		answered bool
	}{
		{
			name:   "current settings with the same-key guard",
			args:   append([]string{"--external-key-id", "foo"}, current...),
			code:   0,
			stdout: []string{"health:", "--current-access-key-id", "key foo:", "AES_256", "ENABLED", "TLS issuer:", "cks test CA", "expected to accept"},
			health: "health:      answered in ", answered: true,
		},
		{
			name:   "wrong path",
			args:   append([]string{"--xks-path", "/wrong-prefix/kms/xks/v1"}, current...),
			code:   2,
			stdout: []string{"predicted:   KMS would answer UpdateCustomKeyStore with XksProxyInvalidConfigurationException"},
			stderr: []string{"XksProxyInvalidConfigurationException"},
			health: "health:      answered with an error in ", answered: true,
		},
		{
			name:   "wrong credential",
			args:   []string{"--xks-access-key-id", "WRONGAKID2345ABCDEFG", "--secret-access-key-file", wrongFile},
			code:   2,
			stdout: []string{"--xks-access-key-id", "XksProxyIncorrectAuthenticationCredentialException"},
			health: "health:      answered with an error in ", answered: true,
		},
		{
			// A new endpoint needs the store DISCONNECTED: KMS asks the
			// proxy only when it connects, and the store would end FAILED.
			name:   "unreachable proxy",
			args:   append([]string{"--xks-endpoint", "https://down.example.com"}, current...),
			code:   2,
			stdout: []string{"ConnectCustomKeyStore would end FAILED with ConnectionErrorCode XKS_PROXY_NOT_REACHABLE"},
			op:     "ConnectCustomKeyStore",
			health: "health:      no answer from the proxy",
		},
		{
			name:   "same-key guard: a key the proxy does not have",
			args:   append([]string{"--external-key-id", "no-such-key"}, current...),
			code:   2,
			stdout: []string{"key no-such-key:", "PROBLEM"},
			stderr: []string{"no-such-key"},
			health: "health:      answered in ", answered: true,
		},
		{
			name:     "same-key guard: a key without DECRYPT",
			args:     append([]string{"--external-key-id", "encrypt_only"}, current...),
			code:     2,
			stderr:   []string{"encrypt_only"},
			answered: true,
		},
		{
			name:     "same-key guard: other key material behind a new endpoint",
			args:     append([]string{"--xks-endpoint", "https://xks2.example.com", "--external-key-id", "foo"}, current...),
			code:     2,
			stderr:   []string{"foo"},
			op:       "ConnectCustomKeyStore",
			answered: true,
		},
		{
			name:   "no credential to check with",
			args:   []string{"--xks-path", "/example-prefix/kms/xks/v1"},
			code:   4,
			stdout: []string{"not checked (exit 4)", "XksProxyAuthenticationCredential", "to check it: --current-credential-file F (the XKS proxy configuration file of the credential KMS holds now), or --current-access-key-id ID with --current-secret-access-key-file F"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			args := append([]string{"preflight", "--endpoint-url", url, "--id", xksStoreID}, tc.args...)
			r := runCKS(t, env, "", args...)
			if r.code != tc.code {
				t.Fatalf("exit %d, want %d: %v", r.code, tc.code, r)
			}
			mustContain(t, "stdout", r.stdout, tc.stdout...)
			mustContain(t, "stderr", r.stderr, tc.stderr...)
			if tc.health != "" {
				mustContain(t, "stdout", r.stdout, tc.health)
			}
			if !tc.answered && strings.Contains(r.stdout, "answered in") {
				t.Errorf("a latency for a proxy that did not answer:\n%s", r.stdout)
			}
			for _, secret := range []string{xksSecret, wrongSecret, xksAccessKey, "WRONGAKID2345ABCDEFG"} {
				if strings.Contains(r.stdout+r.stderr, secret) {
					t.Fatalf("a secret (or sensitive AccessKeyId) was printed: %v", r)
				}
			}

			j := runCKS(t, env, "", append(args, "--output", "json")...)
			if j.code != tc.code {
				t.Fatalf("--output json: exit %d: %v", j.code, j)
			}
			var out preflightJSON
			if err := json.Unmarshal([]byte(j.stdout), &out); err != nil {
				t.Fatalf("JSON: %v\n%s", err, j.stdout)
			}
			for _, secret := range []string{xksSecret, wrongSecret, xksAccessKey, "WRONGAKID2345ABCDEFG"} {
				if strings.Contains(j.stdout+j.stderr, secret) {
					t.Fatalf("a secret (or sensitive AccessKeyId) was printed as JSON: %v", j)
				}
			}
			op := tc.op
			if op == "" {
				op = "UpdateCustomKeyStore"
			}
			result := map[int]string{0: "passed", 2: "failed", 4: "not checked"}[tc.code]
			if out.Answered != tc.answered || !tc.answered && out.LatencyMillis != 0 {
				t.Errorf("JSON: Answered %t LatencyMillis %d, want answered %t", out.Answered, out.LatencyMillis, tc.answered)
			}
			if out.Operation != op || (tc.code == 2) != (out.Error != "") || out.Result != result ||
				len(out.Checks) != 1 || out.Checks[0].Result != result {
				t.Errorf("JSON: %+v", out)
			}
		})
	}
}

// TestPlanShowsPreflightFindings: plan runs the preflight for a proxy
// change and shows why KMS would refuse it.
func TestPlanShowsPreflightFindings(t *testing.T) {
	url, env, cur := xksSetup(t)
	r := runCKS(t, env, "", "plan", "--endpoint-url", url, "--id", xksStoreID, "--xks-path", "/wrong-prefix/kms/xks/v1",
		"--current-access-key-id", xksAccessKey, "--current-secret-access-key-file", cur)
	if r.code != 2 {
		t.Fatalf("exit %d, want 2: %v", r.code, r)
	}
	mustContain(t, "stdout", r.stdout, "Preflight (UpdateCustomKeyStore)", "/wrong-prefix/kms/xks/v1", "KMS would answer UpdateCustomKeyStore with XksProxyInvalidConfigurationException")

	r = runCKS(t, env, "", "plan", "--endpoint-url", url, "--id", xksStoreID, "--xks-path", xksPath,
		"--current-access-key-id", xksAccessKey, "--current-secret-access-key-file", cur, "--output", "json")
	var out planJSON
	if err := json.Unmarshal([]byte(r.stdout), &out); err != nil || r.code != 0 {
		t.Fatalf("plan JSON: %v %v", err, r)
	}
	if out.Preflight == nil || out.Preflight.Result != "passed" || out.Preflight.UriPath != xksPath {
		t.Errorf("plan JSON preflight: %+v", out.Preflight)
	}
}

// TestApplyXksEndpointChange: an endpoint change passes the preflight,
// disconnects, updates and reconnects through the new proxy.
func TestApplyXksEndpointChange(t *testing.T) {
	url, env, cur := xksSetup(t)
	r := runCKS(t, env, "", append([]string{"apply", "--endpoint-url", url, "--id", xksStoreID, "--xks-endpoint", "https://xks2.example.com",
		"--current-access-key-id", xksAccessKey, "--current-secret-access-key-file", cur, "--allow-disconnect", "--yes"}, fast...)...)
	if r.code != 0 {
		t.Fatalf("apply: %v", r)
	}
	mustContain(t, "stdout", r.stdout, `XksProxyUriEndpoint: "https://xks.example.com" → "https://xks2.example.com"`,
		"Preflight: the proxy at https://xks2.example.com"+xksPath+" answered GetHealthStatus", "[3] UpdateCustomKeyStore: done", "[5] WaitUntilConnected: done", "Applied")
	d := runCKS(t, env, "", "describe", "--endpoint-url", url, "--id", xksStoreID)
	if !strings.Contains(d.stdout, "https://xks2.example.com"+xksPath) || !strings.Contains(d.stdout, "CONNECTED") {
		t.Fatalf("after apply: %v", d)
	}
}

// TestPreflightWarnings: a proxy slower than KMS's 250 ms budget and a
// fleet member that is not ACTIVE are warnings, not refusals (exit 0).
func TestPreflightWarnings(t *testing.T) {
	world := newXksWorld(t)
	proxy := world.startInProcessProxy(t,
		kmstest.WithXksCredentials(kmstest.XksCredential{AccessKeyID: xksAccessKey, SecretAccessKey: xksSecret}),
		kmstest.WithXksEkmFleet(kmstest.XksEkm{ID: "hsm-1", Model: "Luna 7", HealthStatus: "DEGRADED"}))
	proxy.SetLatency(300 * time.Millisecond)
	url, _ := startKMS(t, baseSeed(), 200*time.Millisecond)
	env := cksEnv(t, world.env()...)
	r := runCKS(t, env, "", "preflight", "--endpoint-url", url, "--id", xksStoreID,
		"--current-access-key-id", xksAccessKey, "--current-secret-access-key-file", writeSecret(t, xksSecret))
	if r.code != 0 {
		t.Fatalf("exit %d, want 0: %v", r.code, r)
	}
	mustContain(t, "stdout", r.stdout, "fleet:       hsm-1 DEGRADED", "more than the 250ms KMS waits", "expected to accept")
	if n := strings.Count(r.stdout, "warning:"); n < 2 {
		t.Errorf("%d warnings, want the latency and the fleet's:\n%s", n, r.stdout)
	}
}
