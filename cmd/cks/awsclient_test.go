package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestProfileRegionAndDebug: --profile reads the shared config files,
// --region overrides a missing Region, a missing Region is a clear error,
// and --debug logs each HTTP attempt with the secrets redacted.
func TestProfileRegionAndDebug(t *testing.T) {
	url, _ := startKMS(t, baseSeed(), 200*time.Millisecond)
	home := t.TempDir()
	config := filepath.Join(home, "config")
	creds := filepath.Join(home, "credentials")
	if err := os.WriteFile(config, []byte("[profile ops]\nregion = us-east-1\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(creds, []byte("[ops]\naws_access_key_id = "+fakeAccessKeyID+"\naws_secret_access_key = "+fakeSecretKey+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	bare := []string{"HOME=" + home, "AWS_CONFIG_FILE=" + config, "AWS_SHARED_CREDENTIALS_FILE=" + creds, "AWS_EC2_METADATA_DISABLED=true"}

	r := runCKS(t, bare, "", "describe", "--endpoint-url", url, "--profile", "ops")
	if r.code != 0 || !strings.Contains(r.stdout, hsmStoreID) {
		t.Fatalf("--profile ops: %v", r)
	}
	r = runCKS(t, append(bare, "AWS_PROFILE=ops"), "", "describe", "--endpoint-url", url, "--region", "us-west-2")
	if r.code != 0 {
		t.Fatalf("--region over the profile's (the fake accepts any Region): %v", r)
	}
	r = runCKS(t, append(bare, "AWS_ACCESS_KEY_ID="+fakeAccessKeyID, "AWS_SECRET_ACCESS_KEY="+fakeSecretKey), "", "describe", "--endpoint-url", url)
	if r.code != 1 || !strings.Contains(r.stderr, "no AWS Region") {
		t.Fatalf("no Region: %v", r)
	}
	r = runCKS(t, bare, "", "describe", "--endpoint-url", url, "--profile", "ops", "--region", "us-east-1", "--id", hsmStoreID)
	if r.code != 0 {
		t.Fatalf("describe: %v", r)
	}
	// Wrong credentials: the fake verifies SigV4, and cks says what KMS said.
	r = runCKS(t, cksEnv(t, "AWS_SECRET_ACCESS_KEY=wrong-secret-wrong-secret"), "", "describe", "--endpoint-url", url)
	if r.code != 1 || !strings.Contains(r.stderr, "Signature") {
		t.Fatalf("wrong credentials: %v", r)
	}

	// --debug: one log line per attempt, the password redacted.
	pw := writeSecret(t, kmsuserPassword)
	r = runCKS(t, cksEnv(t), "", append([]string{"apply", "--endpoint-url", url, "--id", hsmStoreID, "--key-store-password-file", pw,
		"--allow-disconnect", "--accept-unchecked", "--yes", "--debug"}, fast...)...)
	if r.code != 0 {
		t.Fatalf("apply --debug: %v", r)
	}
	for _, op := range []string{"DescribeCustomKeyStores", "DisconnectCustomKeyStore", "UpdateCustomKeyStore", "ConnectCustomKeyStore"} {
		if !strings.Contains(r.stderr, op) {
			t.Errorf("--debug did not log %s:\n%s", op, r.stderr)
		}
	}
	mustContain(t, "--debug log", r.stderr, "REDACTED")
	for _, secret := range []string{kmsuserPassword, fakeSecretKey} {
		if strings.Contains(r.stdout+r.stderr, secret) {
			t.Fatalf("--debug printed a secret: %v", r)
		}
	}
}
