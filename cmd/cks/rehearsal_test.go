//go:build unix

package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/kmskit/kms/internal/testproc"
)

// The store of the README's rehearsal and the AccessKeyIds it holds, in
// order.
const (
	rehearsalStore   = "cks-1a2b3c4d5e6f70819"
	rehearsalOldKey  = "REHEARSEKEY234567OLD"
	rehearsalNewKey  = "REHEARSEKEY234567NEW"
	rehearsalPathKey = "REHEARSEKEY23456PATH"
)

// rehearsalState is what the fake KMS holds for the store.
type rehearsalState struct {
	state, endpoint, path, accessKeyID string
}

// rehearsalStep is what one cks command of the README's rehearsal must do:
// the command it is (a prefix of the line), its exit code, what its
// standard output shows, and the store's state afterwards.
type rehearsalStep struct {
	command string
	code    int
	stdout  []string
	after   rehearsalState
}

// rehearsalSteps are the README rehearsal's cks commands, in order.
func rehearsalSteps() []rehearsalStep {
	atA := rehearsalState{"CONNECTED", "https://xks.example.com", "/tenant-a/kms/xks/v1", rehearsalOldKey}
	atB := atA
	atB.path = "/tenant-b/kms/xks/v1"
	rotated := atB
	rotated.accessKeyID = rehearsalNewKey
	byPath := rotated
	byPath.path, byPath.accessKeyID = "/tenant-c/kms/xks/v1", rehearsalPathKey
	moved := byPath
	moved.endpoint = "https://xks2.example.com"
	masked := func(id string) string { return " …" + id[len(id)-4:] + " " }
	return []rehearsalStep{
		{"cks describe", 0, []string{rehearsalStore, "CONNECTED", "https://xks.example.com/tenant-a/kms/xks/v1", masked(rehearsalOldKey)}, atA},
		{"cks preflight --id " + rehearsalStore + " --xks-path /tenant-b/", 0, []string{"credential:  from --current-credential-file", "canary decrypted through the new settings"}, atA},
		{"cks plan --id " + rehearsalStore + " --xks-path /tenant-b/", 0, []string{"XksProxyUriPath", "/tenant-b/kms/xks/v1"}, atA},
		{"cks apply --id " + rehearsalStore + " --xks-path /tenant-b/", 0, []string{"Applied"}, atB},
		{"cks rotate-xks-credential --id " + rehearsalStore + " --access-key-id " + rehearsalNewKey, 0, []string{"from --access-key-id", "Rotated"}, rotated},
		{"cks describe", 0, []string{masked(rehearsalNewKey)}, rotated},
		{"cks rotate-xks-credential --id " + rehearsalStore + " --access-key-id " + rehearsalPathKey, 0, []string{"Rotated"}, byPath},
		{"cks plan --id " + rehearsalStore + " --xks-endpoint https://xks2.example.com", 2, nil, byPath},
		{"cks apply --id " + rehearsalStore + " --xks-endpoint https://xks2.example.com", 0, []string{"DisconnectCustomKeyStore", "WaitUntilConnected: done", "Applied"}, moved},
		{"cks describe", 0, []string{"https://xks2.example.com/tenant-c/kms/xks/v1", masked(rehearsalPathKey), "CONNECTED"}, moved},
	}
}

// TestREADMERehearsal runs the README's "Rehearse a change" block as an
// operator pastes it, with the binaries TestMain built: both standalone
// fakes as processes, proxy A reloaded with SIGHUP, cks reaching the
// proxies with --xks-resolve. After each cks command it checks the exit
// code, the output and the store's state as the fake holds it; no output
// holds a secret. The addresses the README gives are replaced by ports
// the system picks, so that tests can run side by side; nothing else is
// changed.
func TestREADMERehearsal(t *testing.T) {
	lines := shellLines(t, shBlock(t, readmeSection(t, "## Rehearse a change")))
	r := &rehearsal{t: t, dir: t.TempDir(), env: cksEnv(t), procs: map[string]*testproc.Process{}, reloads: map[string]int{}, logs: map[string]string{}}
	steps := rehearsalSteps()
	var transcript strings.Builder
	for i := 0; i < len(lines); i++ {
		line := lines[i]
		transcript.WriteString("$ " + line + "\n")
		switch f := strings.Fields(line); {
		case strings.Contains(line, "go build ") || strings.HasPrefix(line, "cd rehearsal && export PATH="):
			// TestMain built the commands; the test's directory is rehearsal/.
		case strings.HasPrefix(line, "cat > ") && strings.HasSuffix(line, " <<'EOF'"):
			var body []string
			for i++; i < len(lines) && lines[i] != "EOF"; i++ {
				body = append(body, lines[i])
			}
			r.write(f[2], strings.Join(body, "\n")+"\n")
			transcript.WriteString(strings.Join(body, "\n") + "\nEOF\n")
		case f[0] == "echo" && len(f) == 4 && f[2] == ">":
			r.write(f[3], strings.Trim(f[1], "'")+"\n")
		case f[0] == "export":
			for _, kv := range f[1:] {
				r.env = append(r.env, r.substitute(kv))
			}
		case (f[0] == "xksproxy" || f[0] == "kmstest") && f[len(f)-1] == "&":
			if i+1 >= len(lines) || !strings.HasSuffix(lines[i+1], "=$!") {
				t.Fatalf("README: %q is not followed by NAME=$!", line)
			}
			i++
			transcript.WriteString("$ " + lines[i] + "\n")
			r.start(strings.TrimSuffix(lines[i], "=$!"), f)
		case strings.HasPrefix(line, "until "):
			// A wait for a log line: start and reload wait for the same.
			r.wait(line)
		case f[0] == "kill" && len(f) == 3 && f[1] == "-HUP":
			r.reload(f[2])
		case f[0] == "kill":
			for _, name := range f[1:] {
				r.proc(name).Signal(t, syscall.SIGTERM)
			}
		case f[0] == "cks":
			if len(steps) == 0 {
				t.Fatalf("README: cks command the test does not expect: %s", line)
			}
			out := r.cks(line, steps[0])
			transcript.WriteString(out)
			steps = steps[1:]
		default:
			t.Fatalf("README: a line the rehearsal test does not know how to run: %s", line)
		}
	}
	if len(steps) > 0 {
		t.Errorf("the README's rehearsal lacks %d expected cks command(s), the first %q", len(steps), steps[0].command)
	}
	t.Logf("transcript:\n%s", transcript.String())
}

// rehearsal is the state of a run of the README's block.
type rehearsal struct {
	t       *testing.T
	dir     string                       // rehearsal/, the working directory
	env     []string                     // cks's environment, with the block's exports
	procs   map[string]*testproc.Process // by the shell variable holding the PID
	reloads map[string]int               // SIGHUPs sent, by process
	logs    map[string]string            // process variable, by log file name (no .log)
	addrs   []string                     // pairs: the README's address, the real one
	kmsURL  string
}

// substitute replaces the README's addresses by the real ones.
func (r *rehearsal) substitute(s string) string {
	return strings.NewReplacer(r.addrs...).Replace(s)
}

func (r *rehearsal) write(name, body string) {
	r.t.Helper()
	if err := os.WriteFile(filepath.Join(r.dir, name), []byte(body), 0o600); err != nil {
		r.t.Fatal(err)
	}
}

// start runs a fake (its command line f, ending "2> LOG &") as the
// process of shell variable name: on a port the system picks instead of
// the README's, with its file arguments in the rehearsal's directory.
func (r *rehearsal) start(name string, f []string) {
	r.t.Helper()
	bins := map[string]string{"xksproxy": bin.xksproxy, "kmstest": bin.kmstest}
	var args []string
	readmeAddr := ""
	for i := 1; i < len(f)-1; i++ {
		a := r.substitute(f[i])
		switch {
		case a == "2>":
			i++ // the log: testproc reads standard error
			if i < len(f)-1 {
				r.logs[strings.TrimSuffix(f[i], ".log")] = name
			}
			continue
		case f[i-1] == "-addr":
			readmeAddr, a = a, "127.0.0.1:0"
		case a == "." || fileExists(filepath.Join(r.dir, a)):
			a = filepath.Join(r.dir, a)
		}
		args = append(args, a)
	}
	if readmeAddr == "" {
		r.t.Fatalf("README: %s has no -addr", strings.Join(f, " "))
	}
	p, url := testproc.Start(r.t, bins[f[0]], nil, args...)
	r.procs[name] = p
	real := strings.TrimPrefix(strings.TrimPrefix(url, "https://"), "http://")
	r.addrs = append(r.addrs, readmeAddr, real)
	if f[0] == "kmstest" {
		r.kmsURL = url
	}
}

func (r *rehearsal) proc(ref string) *testproc.Process {
	r.t.Helper()
	p, ok := r.procs[strings.TrimPrefix(ref, "$")]
	if !ok {
		r.t.Fatalf("README: %s names no process started before", ref)
	}
	return p
}

// untilLine is the README's wait for a fake: a log line that appears once
// (the process listens), or the count of reloads reached.
var untilLine = regexp.MustCompile(`^until (?:grep -q '(xksproxy|kmstest) listening' ([a-z-]+)\.log|\[ "\$\(grep -c 'xksproxy reloaded' ([a-z-]+)\.log\)" -ge ([0-9]+) \]); do sleep 0\.2; done$`)

// wait checks that a README "until" line waits for what the test waited
// for before it: a fake started or reloaded, with its log file named.
func (r *rehearsal) wait(line string) {
	r.t.Helper()
	m := untilLine.FindStringSubmatch(line)
	if m == nil {
		r.t.Fatalf("README: a wait the rehearsal test does not know: %s", line)
	}
	if m[2] != "" {
		if r.logs[m[2]] == "" {
			r.t.Fatalf("README: %q waits for %s.log, which no started fake writes", line, m[2])
		}
		return
	}
	ref, ok := r.logs[m[3]]
	if !ok || strconv.Itoa(r.reloads["$"+ref]) != m[4] {
		r.t.Fatalf("README: %q waits for reload %s of %s.log; %d sent", line, m[4], m[3], r.reloads["$"+ref])
	}
}

// reload sends SIGHUP and waits until the proxy logged that it reloaded.
func (r *rehearsal) reload(ref string) {
	r.t.Helper()
	p := r.proc(ref)
	r.reloads[ref]++
	n := r.reloads[ref]
	p.Signal(r.t, syscall.SIGHUP)
	testproc.Eventually(r.t, func() bool {
		l := p.Log()
		return strings.Count(l, `msg="xksproxy reloaded"`)+strings.Count(l, "reload failed") >= n
	}, "reload %d of %s", n, ref)
	if strings.Contains(p.Log(), "reload failed") {
		r.t.Fatalf("the README's proxy configuration does not load:\n%s", p.Log())
	}
}

// cks runs one cks command line in the rehearsal's directory and checks
// it against want; it returns what it printed.
func (r *rehearsal) cks(line string, want rehearsalStep) string {
	r.t.Helper()
	if !strings.HasPrefix(line, want.command) {
		r.t.Fatalf("README runs %q where the test expects %q", line, want.command)
	}
	args := strings.Fields(r.substitute(line))[1:]
	cmd := exec.Command(bin.cks, args...)
	cmd.Dir, cmd.Env, cmd.Stdin = r.dir, r.env, strings.NewReader("")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	res := result{stdout: stdout.String(), stderr: stderr.String()}
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		res.code = ee.ExitCode()
	case err != nil:
		r.t.Fatalf("running cks: %v", err)
	}
	if res.code != want.code {
		r.t.Fatalf("%s\nexit %d, want %d: %v", line, res.code, want.code, res)
	}
	mustContain(r.t, line, res.stdout, want.stdout...)
	// The caller gave the fakes' CA (--xks-ca-file): no warning that it is
	// not a public one; and no message names a Go field.
	for _, never := range []string{"public certificate authority", "Options."} {
		if strings.Contains(res.stdout+res.stderr, never) {
			r.t.Errorf("%s printed %q: %v", line, never, res)
		}
	}
	for _, secret := range rehearsalSecrets(r.dir) {
		if strings.Contains(res.stdout+res.stderr, secret) {
			r.t.Errorf("%s printed a secret: %v", line, res)
		}
	}
	if got := r.storeState(); got != want.after {
		r.t.Errorf("after %s\nthe fake holds %+v, want %+v", line, got, want.after)
	}
	return res.stdout + res.stderr
}

// rehearsalSecret is a secret member of the rehearsal's JSON files: the
// proxies' configurations and the XKS proxy configuration file.
var rehearsalSecret = regexp.MustCompile(`"(?:RawSecretAccessKey|SecretAccessKey)":\s*"([^"]+)"`)

// rehearsalSecrets are the secrets the rehearsal wrote to files: each
// *-secret.txt and the secret members of each JSON file.
func rehearsalSecrets(dir string) []string {
	var out []string
	files, _ := filepath.Glob(filepath.Join(dir, "*"))
	for _, f := range files {
		b, err := os.ReadFile(f)
		switch {
		case err != nil:
		case strings.HasSuffix(f, "-secret.txt"):
			out = append(out, strings.TrimSpace(string(b)))
		case strings.HasSuffix(f, ".json"):
			for _, m := range rehearsalSecret.FindAllStringSubmatch(string(b), -1) {
				out = append(out, m[1])
			}
		}
	}
	return out
}

// storeState asks the fake KMS itself (DescribeCustomKeyStores over HTTP,
// not cks) what it holds for the store.
func (r *rehearsal) storeState() rehearsalState {
	r.t.Helper()
	req, err := http.NewRequest(http.MethodPost, r.kmsURL+"/", strings.NewReader(`{"CustomKeyStoreId":"`+rehearsalStore+`"}`))
	if err != nil {
		r.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	req.Header.Set("X-Amz-Target", "TrentService.DescribeCustomKeyStores")
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		r.t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	var out struct {
		CustomKeyStores []struct {
			ConnectionState       string
			XksProxyConfiguration struct{ UriEndpoint, UriPath, AccessKeyId string }
		}
	}
	if err := json.Unmarshal(body, &out); err != nil || res.StatusCode != http.StatusOK || len(out.CustomKeyStores) != 1 {
		r.t.Fatalf("DescribeCustomKeyStores: %d %s (%v)", res.StatusCode, body, err)
	}
	s := out.CustomKeyStores[0]
	x := s.XksProxyConfiguration
	return rehearsalState{s.ConnectionState, x.UriEndpoint, x.UriPath, x.AccessKeyId}
}

func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// continued is a line continued on the next one.
var continued = regexp.MustCompile(`\s*\\$`)

// shellLines joins the continued lines of a shell block ("\" at the end)
// into one; heredoc bodies stay as they are.
func shellLines(t *testing.T, block []string) []string {
	t.Helper()
	var out []string
	for i := 0; i < len(block); i++ {
		line := block[i]
		for continued.MatchString(line) && i+1 < len(block) {
			i++
			line = continued.ReplaceAllString(line, " ") + strings.TrimSpace(block[i])
		}
		out = append(out, line)
	}
	return out
}
