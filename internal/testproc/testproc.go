// Package testproc runs the standalone fakes (the kmstest and xksproxy
// commands) as processes in end-to-end tests: start one, wait until it
// listens, read its log, signal it, stop it when the test ends.
package testproc

import (
	"bufio"
	"bytes"
	"fmt"
	"os/exec"
	"path/filepath"
	"regexp"
	"sync"
	"syscall"
	"testing"
	"time"
)

// HangGuard bounds every wait of this package: far beyond what any step
// takes, it only keeps a broken build from hanging a test; nothing is
// timed.
const HangGuard = 2 * time.Minute

// Process is a started command.
type Process struct {
	cmd *exec.Cmd
	mu  sync.Mutex
	log bytes.Buffer // standard error, line by line
}

// listening is the log line of a fake that serves: msg="... listening" url=URL.
var listening = regexp.MustCompile(`listening" url=(\S+)`)

// Start starts name with args and env (nil: the test's environment),
// waits until it logs `msg="... listening" url=URL` on standard error, and
// returns it and URL. It fails the test if the process stops first. The
// process gets SIGINT, and is waited for, when the test ends.
func Start(t testing.TB, name string, env []string, args ...string) (*Process, string) {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Env = env
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &Process{cmd: cmd}
	urls := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		found := false
		for sc.Scan() {
			p.mu.Lock()
			fmt.Fprintln(&p.log, sc.Text())
			p.mu.Unlock()
			if m := listening.FindStringSubmatch(sc.Text()); m != nil && !found {
				found = true
				urls <- m[1]
			}
		}
		close(urls)
	}()
	t.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGINT)
		_ = cmd.Wait()
	})
	select {
	case u, ok := <-urls:
		if !ok {
			_ = cmd.Wait()
			t.Fatalf("%s stopped before listening:\n%s", filepath.Base(name), p.Log())
		}
		return p, u
	case <-time.After(HangGuard):
		t.Fatalf("%s did not start:\n%s", filepath.Base(name), p.Log())
	}
	return nil, ""
}

// Log returns what the process has written to standard error so far.
func (p *Process) Log() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.log.String()
}

// Signal sends sig to the process.
func (p *Process) Signal(t testing.TB, sig syscall.Signal) {
	t.Helper()
	if err := p.cmd.Process.Signal(sig); err != nil {
		t.Fatal(err)
	}
}

// Eventually polls cond until it holds, and fails the test if it still
// does not after HangGuard.
func Eventually(t testing.TB, cond func() bool, format string, args ...any) {
	t.Helper()
	for deadline := time.Now().Add(HangGuard); !cond(); {
		if time.Now().After(deadline) {
			t.Fatalf("never: "+format, args...)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
