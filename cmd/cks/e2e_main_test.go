package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/kmskit/kms/internal/testproc"
)

// The end-to-end tests run the built cks binary against the standalone
// kmstest (and XKS proxy) binaries, each built once here.
var bin struct{ cks, kmstest, xksproxy string }

func TestMain(m *testing.M) {
	flag.Parse()
	if f := flag.Lookup("test.list"); f != nil && f.Value.String() != "" {
		os.Exit(m.Run()) // listing tests (make fuzz) needs no binaries
	}
	dir, err := os.MkdirTemp("", "cks-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	code := func() int {
		defer os.RemoveAll(dir)
		bin.cks = filepath.Join(dir, "cks")
		bin.kmstest = filepath.Join(dir, "kmstest")
		bin.xksproxy = filepath.Join(dir, "xksproxy")
		builds := [][]string{
			{"build", "-o", bin.cks, "."},
			{"build", "-C", "../..", "-o", bin.kmstest, "./kmstest/cmd/kmstest"},
			{"build", "-C", "../..", "-o", bin.xksproxy, "./kmstest/cmd/xksproxy"},
		}
		for _, args := range builds {
			cmd := exec.Command("go", args...)
			cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
			if err := cmd.Run(); err != nil {
				fmt.Fprintf(os.Stderr, "go %s: %v\n", strings.Join(args, " "), err)
				return 1
			}
		}
		return m.Run()
	}()
	os.Exit(code)
}

// syncBuffer collects a process's output while it runs.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// result is one run of cks.
type result struct {
	stdout, stderr string
	code           int
}

func (r result) String() string {
	return fmt.Sprintf("exit %d\n--- stdout\n%s--- stderr\n%s", r.code, r.stdout, r.stderr)
}

// cksEnv is the environment cks runs with: the fake's credentials and
// Region, and no shared config from the machine.
func cksEnv(t *testing.T, extra ...string) []string {
	home := t.TempDir()
	return append([]string{
		"HOME=" + home,
		"AWS_ACCESS_KEY_ID=" + fakeAccessKeyID,
		"AWS_SECRET_ACCESS_KEY=" + fakeSecretKey,
		"AWS_REGION=us-east-1",
		"AWS_CONFIG_FILE=" + filepath.Join(home, "config"),
		"AWS_SHARED_CREDENTIALS_FILE=" + filepath.Join(home, "credentials"),
		"AWS_EC2_METADATA_DISABLED=true",
	}, extra...)
}

// runCKS runs the cks binary with args, stdin and env, and waits for it.
func runCKS(t *testing.T, env []string, stdin string, args ...string) result {
	t.Helper()
	cmd := exec.Command(bin.cks, args...)
	cmd.Env = env
	cmd.Stdin = strings.NewReader(stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		code = ee.ExitCode()
	case err != nil:
		t.Fatalf("running cks: %v", err)
	}
	return result{stdout: out.String(), stderr: errb.String(), code: code}
}

// startCKS starts cks without waiting, for tests that signal it or type
// into it; stdin nil reads nothing.
func startCKS(t *testing.T, env []string, stdin io.Reader, args ...string) (*exec.Cmd, *syncBuffer, *syncBuffer) {
	t.Helper()
	cmd := exec.Command(bin.cks, args...)
	cmd.Env = env
	out, errb := &syncBuffer{}, &syncBuffer{}
	cmd.Stdout, cmd.Stderr = out, errb
	cmd.Stdin = stdin
	if stdin == nil {
		cmd.Stdin = strings.NewReader("")
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
		}
	})
	return cmd, out, errb
}

// waitFor polls cond until it holds, as testproc.Eventually does. It
// checks behaviour, not speed.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	testproc.Eventually(t, cond, "%s", what)
}
