package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kmskit/kms/kmstest"
)

// readmePassword is the kmsuser password of the README's examples.
const readmePassword = "kmsuser-password"

// TestDebugLogKeepsMemberNames: with --debug, the logged request body of
// an update that sends the README's password reads "KeyStorePassword"
// whole, the password redacted: the scrubber removes the secret, not text
// that only shares a few bytes with it (issue 17's scrubber rule).
func TestDebugLogKeepsMemberNames(t *testing.T) {
	seed := baseSeed()
	seed.Stores[0].ConnectionState = kmstest.StateDisconnected
	seed.Clusters[0].KmsuserPassword = readmePassword
	url, _ := startKMS(t, seed, 50*time.Millisecond)
	pwFile := filepath.Join(t.TempDir(), "kmsuser-password.txt")
	if err := os.WriteFile(pwFile, []byte(readmePassword+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	r := runCKS(t, cksEnv(t), "", append([]string{"apply", "--endpoint-url", url, "--id", hsmStoreID,
		"--key-store-password-file", pwFile, "--yes", "--debug"}, fast...)...)
	if r.code != 0 {
		t.Fatalf("apply: %v", r)
	}
	if strings.Contains(r.stdout+r.stderr, readmePassword) {
		t.Fatalf("the password was printed: %v", r)
	}
	mustContain(t, "the debug log", r.stderr, `target=TrentService.UpdateCustomKeyStore`, `\"KeyStorePassword\":\"[REDACTED]\"`)
	if strings.Contains(r.stderr, "KeyStoreP[REDACTED]") {
		t.Errorf("the member name was mangled:\n%s", r.stderr)
	}
}
