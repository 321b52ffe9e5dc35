package main

import (
	"strings"
	"testing"
	"time"

	"github.com/kmskit/kms/kmstest"
)

// TestRotateXksCredential: a credential the proxy does not accept yet is
// refused (exit 2) before KMS is told; once the proxy holds both the old
// and the new credential, cks tells KMS, confirms it and says the next
// step. The standalone proxy holds one credential, so this test uses the
// in-process fake proxy, reached the same way (tunnel + CA file).
func TestRotateXksCredential(t *testing.T) {
	world := newXksWorld(t)
	old := kmstest.XksCredential{AccessKeyID: xksAccessKey, SecretAccessKey: xksSecret}
	const newAKID, newSecret = "NEWAK234567ABEXAMPLE", "TmV3U2VjcmV0TmV3U2VjcmV0TmV3U2VjcmV0TmV3U2Vj"
	proxy := world.startInProcessProxy(t, kmstest.WithXksCredentials(old))
	url, kmsLog := startKMS(t, baseSeed(), 200*time.Millisecond)
	env := cksEnv(t, world.env()...)
	args := []string{"rotate-xks-credential", "--endpoint-url", url, "--id", xksStoreID, "--access-key-id", newAKID, "--secret-access-key-file", "-"}

	// Step 1 not done: the proxy does not accept the new credential.
	r := runCKS(t, env, newSecret+"\n", args...)
	if r.code != 2 {
		t.Fatalf("rotate before the proxy accepts the new credential: %v", r)
	}
	mustContain(t, "stdout+stderr", r.stdout+r.stderr, "XksProxyIncorrectAuthenticationCredentialException")
	if strings.Contains(r.stdout+r.stderr, newSecret) || strings.Contains(r.stdout+r.stderr, newAKID) {
		t.Fatalf("the new credential was printed: %v", r)
	}
	if calls := proxy.Calls(); len(calls) == 0 || calls[len(calls)-1].ErrorName != "AuthenticationFailedException" {
		t.Fatalf("the proxy did not refuse a health check: %+v", calls)
	}
	if strings.Contains(kmsLog.Log(), "TrentService.UpdateCustomKeyStore") {
		t.Fatal("KMS was told a credential the proxy refuses")
	}

	// Step 1 done: the proxy accepts both.
	if err := proxy.SetCredentials(old, kmstest.XksCredential{AccessKeyID: newAKID, SecretAccessKey: newSecret}); err != nil {
		t.Fatal(err)
	}
	r = runCKS(t, env, newSecret+"\n", args...)
	if r.code != 0 {
		t.Fatalf("rotate: %v", r)
	}
	mustContain(t, "stdout", r.stdout, "health:", "Rotated: KMS now holds the new AccessKeyId", "Next:")
	if !strings.Contains(kmsLog.Log(), "TrentService.UpdateCustomKeyStore") {
		t.Fatal("KMS was not sent the update")
	}
	if strings.Contains(r.stdout+r.stderr, newSecret) || strings.Contains(r.stdout+r.stderr, newAKID) {
		t.Fatalf("the new credential was printed: %v", r)
	}

	// The proxy now needs only the new credential: the store still reaches it.
	if err := proxy.SetCredentials(kmstest.XksCredential{AccessKeyID: newAKID, SecretAccessKey: newSecret}); err != nil {
		t.Fatal(err)
	}
	secretFile := writeSecret(t, newSecret)
	r = runCKS(t, env, "", "preflight", "--endpoint-url", url, "--id", xksStoreID, "--current-access-key-id", newAKID, "--current-secret-access-key-file", secretFile)
	if r.code != 0 {
		t.Fatalf("preflight with the new credential: %v", r)
	}
}

// TestRotateXksCredentialByPath: a proxy that holds one credential per
// path serves the new credential only under a new prefix; cks
// rotate-xks-credential --new-xks-path checks it there, tells KMS the
// credential and the path in one update, confirms both, and says to keep
// the old path for 5 minutes.
func TestRotateXksCredentialByPath(t *testing.T) {
	world := newXksWorld(t)
	const newAKID, newSecret = "NEWAK234567ABEXAMPLE", "TmV3U2VjcmV0TmV3U2VjcmV0TmV3U2VjcmV0TmV3U2Vj"
	const newPrefix = "/next-prefix"
	old := kmstest.XksCredential{AccessKeyID: xksAccessKey, SecretAccessKey: xksSecret, URIPrefix: xksPrefix}
	next := kmstest.XksCredential{AccessKeyID: newAKID, SecretAccessKey: newSecret, URIPrefix: newPrefix}
	world.startInProcessProxy(t, kmstest.WithXksURIPrefix(newPrefix), kmstest.WithXksCredentials(old, next))
	url, kmsLog := startKMS(t, baseSeed(), 200*time.Millisecond)
	env := cksEnv(t, world.env()...)
	args := []string{"rotate-xks-credential", "--endpoint-url", url, "--id", xksStoreID, "--access-key-id", newAKID, "--secret-access-key-file", "-"}

	// In place, under the old path, the proxy refuses the new credential.
	r := runCKS(t, env, newSecret+"\n", args...)
	if r.code != 2 {
		t.Fatalf("rotate in place: %v", r)
	}
	r = runCKS(t, env, newSecret+"\n", append(args, "--new-xks-path", newPrefix+"/kms/xks/v1")...)
	if r.code != 0 {
		t.Fatalf("rotate by path: %v", r)
	}
	mustContain(t, "stdout", r.stdout, newPrefix+"/kms/xks/v1", "Rotated: KMS now holds the new AccessKeyId and XksProxyUriPath "+newPrefix+"/kms/xks/v1",
		"keep the old path "+xksPath+" and its credential on the proxy for at least 5 minutes")
	if n := strings.Count(kmsLog.Log(), "TrentService.UpdateCustomKeyStore"); n != 1 {
		t.Fatalf("%d UpdateCustomKeyStore calls, want 1:\n%s", n, kmsLog.Log())
	}
	for _, op := range []string{"TrentService.DisconnectCustomKeyStore", "TrentService.ConnectCustomKeyStore"} {
		if strings.Contains(kmsLog.Log(), op) {
			t.Errorf("rotation by path sent %s", op)
		}
	}
	if strings.Contains(r.stdout+r.stderr, newSecret) || strings.Contains(r.stdout+r.stderr, newAKID) {
		t.Fatalf("the new credential was printed: %v", r)
	}
	d := runCKS(t, env, "", "describe", "--endpoint-url", url, "--id", xksStoreID, "--output", "json")
	mustContain(t, "describe", d.stdout, `"UriPath": "`+newPrefix+`/kms/xks/v1"`, `"ConnectionState": "CONNECTED"`)
}
