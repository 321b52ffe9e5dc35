//go:build linux

package main

import (
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// openPTY opens a pseudo-terminal pair: what the test types goes into
// master; cks gets slave as its stdin.
func openPTY(t *testing.T) (master, slave *os.File) {
	t.Helper()
	m, err := os.OpenFile("/dev/ptmx", os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		t.Fatalf("opening a pseudo-terminal: %v", err)
	}
	if err := unix.IoctlSetPointerInt(int(m.Fd()), unix.TIOCSPTLCK, 0); err != nil {
		t.Fatal(err)
	}
	n, err := unix.IoctlGetInt(int(m.Fd()), unix.TIOCGPTN)
	if err != nil {
		t.Fatal(err)
	}
	s, err := os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close(); m.Close() })
	return m, s
}

// waitForPasswordPrompt waits until cks prompts for the password and has
// turned the terminal's echo off, so that what is typed next is not echoed.
func waitForPasswordPrompt(t *testing.T, stderr *syncBuffer, slave *os.File) {
	t.Helper()
	waitFor(t, "the password prompt", func() bool { return strings.Contains(stderr.String(), "KeyStorePassword (not echoed): ") })
	waitFor(t, "echo off", func() bool { return !echoOn(t, slave) })
}

// echoOn reports whether the terminal echoes what is typed.
func echoOn(t *testing.T, slave *os.File) bool {
	t.Helper()
	tio, err := unix.IoctlGetTermios(int(slave.Fd()), unix.TCGETS)
	if err != nil {
		t.Fatalf("reading the terminal's settings: %v", err)
	}
	return tio.Lflag&unix.ECHO != 0
}

// TestTerminalPromptAndConfirm: on a terminal, "-" prompts for the
// password without echoing it, and apply asks before it changes anything:
// "no" changes nothing, "yes" applies.
func TestTerminalPromptAndConfirm(t *testing.T) {
	url, _ := startKMS(t, baseSeed(), 200*time.Millisecond)

	for _, answer := range []string{"no", "yes"} {
		t.Run(answer, func(t *testing.T) {
			master, slave := openPTY(t)
			typed := &syncBuffer{} // what the terminal shows: echoes
			go func() { _, _ = io.Copy(typed, master) }()

			cmd, out, errb := startCKS(t, cksEnv(t), slave, append([]string{"apply", "--endpoint-url", url, "--id", hsmStoreID,
				"--key-store-password-file", "-", "--allow-disconnect", "--accept-unchecked"}, fast...)...)

			waitForPasswordPrompt(t, errb, slave)
			if _, err := master.WriteString(kmsuserPassword + "\n"); err != nil {
				t.Fatal(err)
			}
			waitFor(t, "the confirmation", func() bool { return strings.Contains(errb.String(), "Only 'yes' is accepted: ") })
			if _, err := master.WriteString(answer + "\n"); err != nil {
				t.Fatal(err)
			}
			err := cmd.Wait()
			r := result{stdout: out.String(), stderr: errb.String(), code: cmd.ProcessState.ExitCode()}
			waitFor(t, "the answer's echo", func() bool { return strings.Contains(typed.String(), answer) })
			if strings.Contains(typed.String()+r.stdout+r.stderr, kmsuserPassword) {
				t.Fatalf("the password was echoed or printed: terminal %q, %v", typed.String(), r)
			}
			if answer == "no" {
				if err == nil || r.code != 1 || !strings.Contains(r.stderr, "apply cancelled; nothing was changed") || strings.Contains(r.stdout, "Applying") {
					t.Fatalf("answer no: %v", r)
				}
				return
			}
			if err != nil || r.code != 0 || !strings.Contains(r.stdout, "[5] WaitUntilConnected: done") {
				t.Fatalf("answer yes: %v", r)
			}
			if st, _, _ := storeState(t, cksEnv(t), url, hsmStoreID); st != "CONNECTED" {
				t.Fatalf("store %s after apply with the typed password", st)
			}
		})
	}
}

// TestTerminalCtrlC: Ctrl-C at the password prompt or at the confirmation
// ends cks at once (exit 130), with the terminal's echo back on and
// nothing changed.
func TestTerminalCtrlC(t *testing.T) {
	url, kmsLog := startKMS(t, baseSeed(), 200*time.Millisecond)

	for _, at := range []string{"password prompt", "confirmation"} {
		t.Run(at, func(t *testing.T) {
			master, slave := openPTY(t)
			go func() { _, _ = io.Copy(io.Discard, master) }()
			cmd, out, errb := startCKS(t, cksEnv(t), slave, append([]string{"apply", "--endpoint-url", url, "--id", hsmStoreID,
				"--key-store-password-file", "-", "--allow-disconnect", "--accept-unchecked"}, fast...)...)
			waitForPasswordPrompt(t, errb, slave)
			if at == "confirmation" {
				if _, err := master.WriteString(kmsuserPassword + "\n"); err != nil {
					t.Fatal(err)
				}
				waitFor(t, "the confirmation", func() bool { return strings.Contains(errb.String(), "Only 'yes' is accepted: ") })
			}
			if err := cmd.Process.Signal(unix.SIGINT); err != nil {
				t.Fatal(err)
			}
			_ = cmd.Wait()
			r := result{stdout: out.String(), stderr: errb.String(), code: cmd.ProcessState.ExitCode()}
			if r.code != 130 || !strings.Contains(r.stderr, "interrupted") {
				t.Fatalf("exit %d, want 130: %v", r.code, r)
			}
			if !echoOn(t, slave) {
				t.Fatal("the terminal's echo is still off after Ctrl-C")
			}
			if strings.Contains(r.stdout, "Applying") || strings.Contains(kmsLog.Log(), "TrentService.DisconnectCustomKeyStore") {
				t.Fatalf("something was changed: %v", r)
			}
		})
	}
}

// TestApplyStalePlan: the store changes while apply waits for "yes"; apply
// sees it, refuses (exit 2) and changes nothing.
func TestApplyStalePlan(t *testing.T) {
	url, _ := startKMS(t, baseSeed(), 200*time.Millisecond)
	master, slave := openPTY(t)
	go func() { _, _ = io.Copy(io.Discard, master) }()
	cmd, out, errb := startCKS(t, cksEnv(t), slave, append([]string{"apply", "--endpoint-url", url, "--id", hsmStoreID,
		"--cluster-id", hsmCluster2, "--allow-disconnect", "--accept-unchecked"}, fast...)...)
	waitFor(t, "the confirmation", func() bool { return strings.Contains(errb.String(), "Only 'yes' is accepted: ") })

	// Someone else disconnects the store meanwhile.
	if r := runCKS(t, cksEnv(t), "", append([]string{"disconnect", "--endpoint-url", url, "--id", hsmStoreID, "--wait"}, fast...)...); r.code != 0 {
		t.Fatalf("disconnect: %v", r)
	}
	if _, err := master.WriteString("yes\n"); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait()
	r := result{stdout: out.String(), stderr: errb.String(), code: cmd.ProcessState.ExitCode()}
	if r.code != 2 {
		t.Fatalf("exit %d, want 2: %v", r.code, r)
	}
	mustContain(t, "stderr", r.stderr, "ConnectionState", "DISCONNECTED")
	if strings.Contains(r.stdout, "[1] ") {
		t.Errorf("a step ran on a stale plan: %v", r)
	}
	if st, _, cl := storeState(t, cksEnv(t), url, hsmStoreID); st != "DISCONNECTED" || cl != hsmCluster {
		t.Errorf("store %s on %s after a stale apply", st, cl)
	}
}

// TestTerminalProgressLine: on a terminal the wait's line is redrawn in
// place (carriage return, erase line) with the state, elapsed time and
// next poll, and ends with the result.
func TestTerminalProgressLine(t *testing.T) {
	url, _ := startKMS(t, baseSeed(), 300*time.Millisecond)
	master, slave := openPTY(t)
	screen := &syncBuffer{}
	go func() { _, _ = io.Copy(screen, master) }()
	cmd := exec.Command(bin.cks, append([]string{"disconnect", "--endpoint-url", url, "--id", hsmStoreID, "--wait"}, fast...)...)
	cmd.Env = cksEnv(t)
	errb := &syncBuffer{}
	cmd.Stdin, cmd.Stdout, cmd.Stderr = strings.NewReader(""), slave, errb
	if err := cmd.Run(); err != nil {
		t.Fatalf("disconnect --wait: %v\n%s", err, errb.String())
	}
	waitFor(t, "the last line", func() bool { return strings.Contains(screen.String(), "is DISCONNECTED.") })
	mustContain(t, "terminal", screen.String(),
		"\r\x1b[K  waiting for DISCONNECTED  state ", "elapsed ", "next poll ",
		"\r\x1b[K  waiting for DISCONNECTED: done in ", "store DISCONNECTED")
}

// TestTerminalDeleteConfirms: on a terminal delete names the store and
// asks; only "yes" deletes it.
func TestTerminalDeleteConfirms(t *testing.T) {
	url, _ := startKMS(t, deletableSeed("cks-00000000000de1e72", "cks-00000000000de1e73"), 50*time.Millisecond)
	env := cksEnv(t)
	exists := func(id string) bool { return storeExists(t, env, url, id) }
	for _, c := range []struct {
		id, answer string
		code       int
	}{
		{"cks-00000000000de1e72", "no", 1},
		{"cks-00000000000de1e73", "yes", 0},
	} {
		master, slave := openPTY(t)
		go func() { _, _ = io.Copy(io.Discard, master) }()
		cmd, out, errb := startCKS(t, env, slave, "delete", "--endpoint-url", url, "--id", c.id)
		waitFor(t, "the confirmation", func() bool { return strings.Contains(errb.String(), "Only 'yes' is accepted: ") })
		mustContain(t, "the question", errb.String(), "Delete custom key store "+c.id+` "to-delete-`+c.id[len(c.id)-1:]+`" (AWS_CLOUDHSM, DISCONNECTED)?`)
		if _, err := master.WriteString(c.answer + "\n"); err != nil {
			t.Fatal(err)
		}
		_ = cmd.Wait()
		r := result{stdout: out.String(), stderr: errb.String(), code: cmd.ProcessState.ExitCode()}
		if r.code != c.code || exists(c.id) != (c.answer != "yes") {
			t.Errorf("answer %q: exists %v: %v", c.answer, exists(c.id), r)
		}
		if c.answer == "no" {
			mustContain(t, "stderr", r.stderr, "delete cancelled; nothing was deleted")
		}
	}
}

// TestTerminalCredentialFileRefused: --current-credential-file - reads a
// file piped in; on a terminal, which would echo the secret, it is a usage
// error (exit 3), and nothing is sent.
func TestTerminalCredentialFileRefused(t *testing.T) {
	_, slave := openPTY(t)
	cmd, out, errb := startCKS(t, cksEnv(t), slave, "preflight", "--endpoint-url", "http://127.0.0.1:1", "--id", xksStoreID, "--current-credential-file", "-")
	_ = cmd.Wait()
	r := result{stdout: out.String(), stderr: errb.String(), code: cmd.ProcessState.ExitCode()}
	if r.code != 3 || !strings.Contains(r.stderr, "--current-credential-file -: stdin is a terminal") || strings.Contains(r.stderr, "127.0.0.1:1") {
		t.Fatalf("--current-credential-file - on a terminal: %v", r)
	}
}
