package main

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/kmskit/kms"
)

// readme is the repository's README.md.
func readme(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// readmeSection returns the text of the README section titled heading, up
// to the next heading of its level or above.
func readmeSection(t *testing.T, heading string) string {
	t.Helper()
	text := readme(t)
	level := heading[:strings.IndexByte(heading, ' ')+1]
	start := strings.Index(text, "\n"+heading+"\n")
	if start < 0 {
		t.Fatalf("README has no section %q", heading)
	}
	body := text[start+len(heading)+2:]
	if end := strings.Index(body, "\n"+level); end >= 0 {
		body = body[:end]
	}
	return body
}

// readmeXksAccessKeyIDs are the XKS proxy AccessKeyIds the README shows:
// in Go credentials, the xksproxy command's variable, cks flags and JSON.
var readmeXksAccessKeyIDs = []*regexp.Regexp{
	regexp.MustCompile(`(?s)(?:XksCredential|xksproxy\.Credential|XksProxyAuthenticationCredentialType)\{[^}]*?AccessKeyI[dD]:\s*(?:aws\.String\()?"([^"]*)"`),
	regexp.MustCompile(`XKS_PROXY_ACCESS_KEY_ID=([^\s"']+)`),
	regexp.MustCompile(`--(?:xks-|current-)?access-key-id[ =]([^\s"'\\]+)`),
	regexp.MustCompile(`"AccessKeyId":\s*"([^"]*)"`),
}

// TestREADMEXksAccessKeyIDsMatchTheModel: every XKS AccessKeyId the README
// shows is one KMS accepts (the model's length and pattern ^[A-Z2-7]+$), so
// an operator who copies one gets no ValidationException.
func TestREADMEXksAccessKeyIDsMatchTheModel(t *testing.T) {
	text := readme(t)
	var ids []string
	for _, re := range readmeXksAccessKeyIDs {
		for _, m := range re.FindAllStringSubmatch(text, -1) {
			ids = append(ids, m[1])
		}
	}
	if len(ids) < 5 {
		t.Fatalf("found %d XKS AccessKeyIds in the README, want the examples' (at least 5): %q", len(ids), ids)
	}
	for _, id := range ids {
		if strings.HasPrefix(id, "$") || id == "..." {
			continue // a variable or an elision
		}
		in := &kms.UpdateCustomKeyStoreInput{
			CustomKeyStoreId: &hsmStoreIDVar,
			XksProxyAuthenticationCredential: &kms.XksProxyAuthenticationCredentialType{
				AccessKeyId: &id, RawSecretAccessKey: &xksSecretVar,
			},
		}
		var ve *kms.ValidationError
		if err := in.Validate(); errors.As(err, &ve) {
			t.Errorf("README's XKS AccessKeyId %q is one KMS refuses: %v", id, err)
		}
	}
}

var hsmStoreIDVar, xksSecretVar = hsmStoreID, xksSecret

// TestREADMEInstallFromAClone: the Install section says the module is not
// published yet, and its commands make a module build against a clone.
func TestREADMEInstallFromAClone(t *testing.T) {
	section := readmeSection(t, "## Install")
	mustContain(t, "README's Install section", section, "not published yet", "-replace=github.com/kmskit/kms=../kms")
	block := shBlock(t, section)

	dir := t.TempDir()
	repo, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(repo, filepath.Join(dir, "kms")); err != nil {
		t.Fatal(err)
	}
	app := filepath.Join(dir, "app")
	files := map[string]string{
		"go.mod":  "module example.com/app\n\ngo 1.24\n",
		"main.go": "package main\n\nimport (\n\t\"fmt\"\n\n\t\"github.com/kmskit/kms\"\n)\n\nfunc main() { fmt.Println(\"kms\", kms.Version) }\n",
	}
	if err := os.Mkdir(app, 0o755); err != nil {
		t.Fatal(err)
	}
	sums, err := os.ReadFile(filepath.Join(repo, "go.sum")) // the library's: no checksum database needed
	if err != nil {
		t.Fatal(err)
	}
	files["go.sum"] = string(sums)
	for name, src := range files {
		if err := os.WriteFile(filepath.Join(app, name), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// Offline: every module it needs is in the module cache of this build.
	env := append(os.Environ(), "GOFLAGS=-mod=mod", "GOPROXY=off", "GOWORK=off")
	for _, line := range append(block, "go run .") {
		cmd := exec.Command("sh", "-c", line)
		cmd.Dir, cmd.Env = app, env
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("%s: %v\n%s", line, err, out)
		}
		if line == "go run ." && !strings.HasPrefix(string(out), "kms "+kms.Version) {
			t.Errorf("go run . printed %q", out)
		}
	}
}

// TestREADMEOldAWSCLINote: where the README points the AWS CLI at kmstest
// with AWS_ENDPOINT_URL_KMS, it warns that a v2 older than 2.13 ignores it
// (and would call the real KMS) and says to use --endpoint-url there.
func TestREADMEOldAWSCLINote(t *testing.T) {
	section := readmeSection(t, "## Testing your code with kmstest")
	i := strings.Index(section, "older than 2.13 ignores `AWS_ENDPOINT_URL_KMS`")
	if i < 0 {
		t.Fatal("the kmstest section does not warn that AWS CLI v2 older than 2.13 ignores AWS_ENDPOINT_URL_KMS")
	}
	note := section[i:]
	note = note[:strings.Index(note, "\n\n")]
	mustContain(t, "the note", note, "real KMS", "--endpoint-url http://127.0.0.1:4599")
}

// shBlock returns the lines of the first ```sh block of markdown as they
// are, comment lines and blank lines left out.
func shBlock(t *testing.T, markdown string) []string {
	t.Helper()
	_, rest, ok := strings.Cut(markdown, "```sh\n")
	if !ok {
		t.Fatal("no ```sh block")
	}
	block, _, _ := strings.Cut(rest, "```")
	var lines []string
	for _, l := range strings.Split(block, "\n") {
		if trimmed := strings.TrimSpace(l); trimmed != "" && !strings.HasPrefix(trimmed, "#") {
			lines = append(lines, l)
		}
	}
	return lines
}
