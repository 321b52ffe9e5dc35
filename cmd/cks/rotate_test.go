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
