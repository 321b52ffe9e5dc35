package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// configurationFile is an XKS proxy configuration file of the credential
// accessKeyID and secret.
func configurationFile(accessKeyID, secret string) string {
	return `{
  "XksProxyUriPath": "/not-the-stores-prefix/kms/xks/v1",
  "XksProxyAuthenticationCredential": {
    "AccessKeyId": "` + accessKeyID + `",
    "RawSecretAccessKey": "` + secret + `"
  }
}
`
}

// credentialFile writes an XKS proxy configuration file as a proxy offers
// it for the KMS console, with an XksProxyUriPath that is not the store's:
// --current-credential-file reads only the credential.
func credentialFile(t *testing.T, accessKeyID, secret string) (path, body string) {
	t.Helper()
	body = configurationFile(accessKeyID, secret)
	path = filepath.Join(t.TempDir(), "xks-proxy-configuration.json")
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return path, body
}

// TestCurrentCredentialFile: --current-credential-file gives preflight,
// plan and apply the credential KMS holds now from an XKS proxy
// configuration file (or stdin): the proxy is checked with it (exit 0 for
// the right one, the prediction for a wrong one), the reports name the
// flag, and no output holds the secret or the AccessKeyId.
func TestCurrentCredentialFile(t *testing.T) {
	w := newResolvedWorld(t)
	resolve := []string{"--xks-resolve", xksHost + "=" + w.proxyAddr, "--xks-ca-file", w.caFile}
	const wrongSecret = "V3JvbmdTZWNyZXRXcm9uZ1NlY3JldFdyb25nU2VjcmV0"
	good, goodBody := credentialFile(t, xksAccessKey, xksSecret)
	wrong, _ := credentialFile(t, xksAccessKey, wrongSecret)

	tests := []struct {
		name   string
		stdin  string
		args   []string
		code   int
		stdout []string
		stderr []string
	}{
		{
			name:   "preflight with the right credential",
			args:   []string{"preflight", "--id", xksStoreID, "--external-key-id", "foo", "--current-credential-file", good},
			stdout: []string{"credential:  from --current-credential-file (the credential KMS holds now)", "key foo:", "expected to accept these proxy settings (exit 0)"},
		},
		{
			name:   "preflight with the file on stdin",
			stdin:  goodBody,
			args:   []string{"preflight", "--id", xksStoreID, "--current-credential-file", "-"},
			stdout: []string{"credential:  from --current-credential-file", "expected to accept these proxy settings (exit 0)"},
		},
		{
			name:   "preflight with a wrong secret",
			args:   []string{"preflight", "--id", xksStoreID, "--current-credential-file", wrong},
			code:   2,
			stdout: []string{"credential:  from --current-credential-file", "predicted:   KMS would answer UpdateCustomKeyStore with XksProxyIncorrectAuthenticationCredentialException"},
			stderr: []string{"XksProxyIncorrectAuthenticationCredentialException"},
		},
		{
			name:   "plan with the file",
			args:   []string{"plan", "--id", xksStoreID, "--xks-path", xksPath, "--current-credential-file", good},
			stdout: []string{"[passed] the XKS proxy accepts the settings KMS will use", "exit 0"},
		},
		{
			name:   "apply with the file",
			args:   []string{"apply", "--id", xksStoreID, "--xks-path", xksPath, "--current-credential-file", good, "--yes"},
			stdout: []string{"[passed] the XKS proxy accepts the settings KMS will use", "UpdateCustomKeyStore: done", "Applied"},
		},
		{
			name:   "two secrets from stdin",
			stdin:  goodBody,
			args:   []string{"preflight", "--id", xksStoreID, "--xks-access-key-id", xksAccessKey, "--secret-access-key-file", "-", "--current-credential-file", "-"},
			code:   1,
			stderr: []string{"--current-credential-file -: stdin already gives --secret-access-key-file"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			args := append(append([]string{tc.args[0], "--endpoint-url", w.url}, tc.args[1:]...), resolve...)
			r := runCKS(t, w.env, tc.stdin, args...)
			if r.code != tc.code {
				t.Fatalf("exit %d, want %d: %v", r.code, tc.code, r)
			}
			mustContain(t, "stdout", r.stdout, tc.stdout...)
			mustContain(t, "stderr", r.stderr, tc.stderr...)
			noCredentialPrinted(t, r, wrongSecret)
		})
	}

	// JSON names the flag that gave the credential.
	for _, src := range []struct{ stdin, file string }{{"", good}, {goodBody, "-"}} {
		r := runCKS(t, w.env, src.stdin, append([]string{"preflight", "--endpoint-url", w.url, "--id", xksStoreID, "--current-credential-file", src.file, "--output", "json"}, resolve...)...)
		var out preflightJSON
		if err := json.Unmarshal([]byte(r.stdout), &out); err != nil || r.code != 0 {
			t.Fatalf("preflight --current-credential-file %s --output json: %v %v", src.file, err, r)
		}
		if out.CredentialSource != "--current-credential-file" || out.Result != "passed" {
			t.Errorf("preflight --current-credential-file %s --output json: CredentialSource %q, Result %q", src.file, out.CredentialSource, out.Result)
		}
		noCredentialPrinted(t, r)
	}
}

// TestUncheckedNamesCurrentCredentialFile: a plan or preflight that needs
// the credential KMS holds now names --current-credential-file first, then
// the two-flag form, and exits 4 without it.
func TestUncheckedNamesCurrentCredentialFile(t *testing.T) {
	w := newResolvedWorld(t)
	resolve := []string{"--xks-resolve", xksHost + "=" + w.proxyAddr, "--xks-ca-file", w.caFile}
	const hint = "to check it: --current-credential-file F (the XKS proxy configuration file of the credential KMS holds now), or --current-access-key-id ID with --current-secret-access-key-file F"
	for _, cmd := range [][]string{{"plan", "--xks-path", xksPath}, {"preflight"}} {
		r := w.cks(t, append(append([]string{cmd[0], "--id", xksStoreID}, cmd[1:]...), resolve...)...)
		if r.code != 4 {
			t.Fatalf("%s without the current credential: exit %d, want 4: %v", cmd[0], r.code, r)
		}
		mustContain(t, cmd[0]+" stdout", r.stdout, "(exit 4)", hint)

		r = w.cks(t, append(append([]string{cmd[0], "--id", xksStoreID, "--output", "json"}, cmd[1:]...), resolve...)...)
		var out struct{ Checks []checkJSON }
		if err := json.Unmarshal([]byte(r.stdout), &out); err != nil || r.code != 4 {
			t.Fatalf("%s --output json: %v %v", cmd[0], err, r)
		}
		found := false
		for _, c := range out.Checks {
			if c.Result == "not checked" && strings.HasPrefix(c.Flag, "--current-credential-file F ") {
				found = true
			}
		}
		if !found {
			t.Errorf("%s --output json: no unchecked check names --current-credential-file first: %+v", cmd[0], out.Checks)
		}
	}

	// The disconnecting plan's refusal names it too.
	r := w.cks(t, append([]string{"apply", "--id", xksStoreID, "--xks-endpoint", vpcEndpoint, "--xks-connectivity", "VPC_ENDPOINT_SERVICE",
		"--xks-vpc-endpoint-service-name", vpcService, "--allow-disconnect", "--yes"}, resolve...)...)
	if r.code != 4 {
		t.Fatalf("apply of an unchecked disconnecting plan: exit %d, want 4: %v", r.code, r)
	}
	mustContain(t, "apply stderr", r.stderr, hint, "--accept-unchecked")
}

// TestCurrentCredentialFileConflicts: --current-credential-file with either
// flag of the two-flag form is a usage error naming both, with nothing
// sent; a file that is not an XKS proxy configuration file is an error
// that names the member at fault and quotes nothing of the file.
func TestCurrentCredentialFileConflicts(t *testing.T) {
	w := newResolvedWorld(t)
	good, _ := credentialFile(t, xksAccessKey, xksSecret)
	kmsCalls, proxyCalls := strings.Count(w.kms.Log(), "msg=call"), w.proxyCalls()

	for _, other := range [][]string{
		{"--current-access-key-id", xksAccessKey},
		{"--current-secret-access-key-file", w.secretFile},
		{"--current-access-key-id", xksAccessKey, "--current-secret-access-key-file", w.secretFile},
	} {
		for _, cmd := range [][]string{{"preflight"}, {"plan", "--xks-path", xksPath}, {"plan", "--xks-path", xksPath, "--output", "json"}, {"apply", "--xks-path", xksPath, "--yes"}} {
			args := append(append([]string{cmd[0], "--id", xksStoreID, "--current-credential-file", good}, cmd[1:]...), other...)
			r := w.cks(t, args...)
			if r.code != 3 {
				t.Errorf("%v: exit %d, want 3: %v", args, r.code, r)
				continue
			}
			mustContain(t, "stderr", r.stderr, "--current-credential-file and "+other[0])
			if len(other) > 2 {
				mustContain(t, "stderr", r.stderr, "--current-access-key-id and --current-secret-access-key-file both give")
			}
			noCredentialPrinted(t, r)
		}
	}

	// Not an XKS proxy configuration file: the member or line at fault,
	// nothing of the file.
	dir := t.TempDir()
	for name, c := range map[string]struct{ body, want string }{
		"no-access-key-id.json": {`{"XksProxyUriPath": "` + xksPath + `", "XksProxyAuthenticationCredential": {"RawSecretAccessKey": "` + xksSecret + `"}}`,
			"not an XKS proxy configuration file: XksProxyAuthenticationCredential.AccessKeyId is missing or empty"},
		"secret.txt": {xksSecret + "\n", "not an XKS proxy configuration file: line 1 column 1: not valid JSON"},
		// Read, but not a credential KMS accepts: the member and the
		// model's rule, never the value.
		"short-id.json": {configurationFile("SHORTKEY2345", xksSecret),
			"not a credential KMS accepts: XksProxyAuthenticationCredential.AccessKeyId: length 12 is below the minimum 20"},
		"digits-id.json": {configurationFile("ABCDE12345FGHIJ67890", xksSecret),
			"XksProxyAuthenticationCredential.AccessKeyId: does not match the pattern ^[A-Z2-7]+$ (length 20; character 6 is not in [A-Z2-7]; value not shown)"},
		"bad-secret.json": {configurationFile(xksAccessKey, "not*a*secret"),
			"not a credential KMS accepts: XksProxyAuthenticationCredential.RawSecretAccessKey: length 12 is below the minimum 43; XksProxyAuthenticationCredential.RawSecretAccessKey: does not match the pattern"},
		"marker-id.json": {configurationFile("[REDACTED]", xksSecret),
			"XksProxyAuthenticationCredential.AccessKeyId: is [REDACTED], the marker this package prints in place of a secret"},
		"marker-secret.json": {configurationFile(xksAccessKey, "[REDACTED]"),
			"XksProxyAuthenticationCredential.RawSecretAccessKey: is [REDACTED], the marker"},
	} {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(c.body), 0o600); err != nil {
			t.Fatal(err)
		}
		r := w.cks(t, "preflight", "--id", xksStoreID, "--current-credential-file", path)
		if r.code != 1 {
			t.Errorf("--current-credential-file %s: exit %d, want 1: %v", name, r.code, r)
		}
		mustContain(t, "stderr", r.stderr, "--current-credential-file "+path+": ", c.want)
		noCredentialPrinted(t, r, "SHORTKEY2345", "ABCDE12345FGHIJ67890", "not*a*secret")
	}
	if r := w.cks(t, "preflight", "--id", xksStoreID, "--current-credential-file", filepath.Join(dir, "absent.json")); r.code != 1 || !strings.Contains(r.stderr, "--current-credential-file: open ") {
		t.Errorf("--current-credential-file of a missing file: %v", r)
	}

	if strings.Count(w.kms.Log(), "msg=call") != kmsCalls || w.proxyCalls() != proxyCalls {
		t.Error("a conflicting or unreadable --current-credential-file sent a request")
	}
}

// noCredentialPrinted fails when r shows the seeded credential (secret or
// AccessKeyId) or any of more.
func noCredentialPrinted(t *testing.T, r result, more ...string) {
	t.Helper()
	for _, s := range append([]string{xksSecret, xksAccessKey}, more...) {
		if strings.Contains(r.stdout+r.stderr, s) {
			t.Fatalf("a secret (or the AccessKeyId) was printed: %v", r)
		}
	}
}
