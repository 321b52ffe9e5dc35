package main

import (
	"encoding/json"
	"strings"
	"syscall"
	"testing"
	"time"
)

// fast makes waits poll often, so tests against a fake with short
// transitions finish soon. No assertion depends on timing.
var fast = []string{"--poll-interval", "100ms"}

// storeState describes one store through cks itself.
func storeState(t *testing.T, env []string, url, id string) (state, code, cluster string) {
	t.Helper()
	r := runCKS(t, env, "", "describe", "--endpoint-url", url, "--id", id, "--output", "json")
	if r.code != 0 {
		t.Fatalf("describe: %v", r)
	}
	var out struct {
		CustomKeyStores []struct{ ConnectionState, ConnectionErrorCode, CloudHsmClusterId string }
	}
	if err := json.Unmarshal([]byte(r.stdout), &out); err != nil || len(out.CustomKeyStores) != 1 {
		t.Fatalf("describe JSON: %v %s", err, r.stdout)
	}
	s := out.CustomKeyStores[0]
	return s.ConnectionState, s.ConnectionErrorCode, s.CloudHsmClusterId
}

func mustContain(t *testing.T, what, text string, subs ...string) {
	t.Helper()
	for _, s := range subs {
		if !strings.Contains(text, s) {
			t.Errorf("%s lacks %q:\n%s", what, s, text)
		}
	}
}

// TestApplyWithAndWithoutAllowDisconnect: a change that needs DISCONNECTED
// is refused without --allow-disconnect and nothing changes; with it, cks
// disconnects, waits, updates, reconnects and waits, printing each step.
func TestApplyWithAndWithoutAllowDisconnect(t *testing.T) {
	url, _ := startKMS(t, baseSeed(), 200*time.Millisecond)
	env := cksEnv(t)
	base := append([]string{"apply", "--endpoint-url", url, "--id", hsmStoreID, "--cluster-id", hsmCluster2}, fast...)

	r := runCKS(t, env, "", append(base, "--yes")...)
	if r.code != 2 {
		t.Fatalf("without --allow-disconnect: %v", r)
	}
	mustContain(t, "stderr", r.stderr, "CloudHsmClusterId", "--allow-disconnect")
	if st, _, cl := storeState(t, env, url, hsmStoreID); st != "CONNECTED" || cl != hsmCluster {
		t.Fatalf("after a refused apply the store is %s on %s", st, cl)
	}

	// Not a terminal and no --yes: cks cannot ask, so it changes nothing.
	r = runCKS(t, env, "yes\n", append(base, "--allow-disconnect")...)
	if r.code != 3 || !strings.Contains(r.stderr, "--yes") {
		t.Fatalf("without --yes on a pipe: %v", r)
	}
	if st, _, cl := storeState(t, env, url, hsmStoreID); st != "CONNECTED" || cl != hsmCluster {
		t.Fatalf("after an unconfirmed apply the store is %s on %s", st, cl)
	}

	r = runCKS(t, env, "", append(base, "--allow-disconnect", "--yes")...)
	if r.code != 0 {
		t.Fatalf("with --allow-disconnect: %v", r)
	}
	mustContain(t, "stdout", r.stdout,
		`CloudHsmClusterId: "`+hsmCluster+`" → "`+hsmCluster2+`"`,
		"[1] DisconnectCustomKeyStore: done",
		"[2] WaitUntilDisconnected: done", "store DISCONNECTED",
		"[3] UpdateCustomKeyStore: done",
		"[4] ConnectCustomKeyStore: done",
		"[5] WaitUntilConnected: done", "store CONNECTED",
		"Summary: 5 step(s)", "not CONNECTED for",
		"Applied")
	if st, _, cl := storeState(t, env, url, hsmStoreID); st != "CONNECTED" || cl != hsmCluster2 {
		t.Fatalf("after apply the store is %s on %s", st, cl)
	}

	// A rename needs no disconnect: one step, and never DisconnectCustomKeyStore.
	r = runCKS(t, env, "", append([]string{"apply", "--endpoint-url", url, "--id", hsmStoreID, "--new-name", "renamed-hsm", "--yes"}, fast...)...)
	if r.code != 0 || strings.Contains(r.stdout, "DisconnectCustomKeyStore") || !strings.Contains(r.stdout, "[1] UpdateCustomKeyStore: done") {
		t.Fatalf("rename: %v", r)
	}
	d := runCKS(t, env, "", "describe", "--endpoint-url", url, "--name", "renamed-hsm")
	if d.code != 0 || !strings.Contains(d.stdout, hsmStoreID) || !strings.Contains(d.stdout, "CONNECTED") {
		t.Fatalf("after rename: %v", d)
	}
}

// TestApplyRollback: a wrong password ends the reconnect FAILED
// (INVALID_CREDENTIALS). Without the previous password cks says it could not
// restore it and leaves the store FAILED; with it, the rollback restores the
// password, reconnects and says so. The passwords are never printed.
func TestApplyRollback(t *testing.T) {
	const wrong = "not-the-kmsuser-password-55"
	wrongFile := writeSecret(t, wrong)
	prevFile := writeSecret(t, kmsuserPassword)

	t.Run("previous password unknown", func(t *testing.T) {
		url, _ := startKMS(t, baseSeed(), 200*time.Millisecond)
		env := cksEnv(t)
		r := runCKS(t, env, "", append([]string{"apply", "--endpoint-url", url, "--id", hsmStoreID,
			"--key-store-password-file", wrongFile, "--allow-disconnect", "--yes"}, fast...)...)
		if r.code != 1 {
			t.Fatalf("exit %d, want 1: %v", r.code, r)
		}
		mustContain(t, "stdout", r.stdout, "KeyStorePassword: changed", "[5] WaitUntilConnected: FAILED", "FAILED (INVALID_CREDENTIALS)", "(rollback)")
		mustContain(t, "stderr", r.stderr, "INVALID_CREDENTIALS", "could not restore (previous value unknown): KeyStorePassword",
			"was left FAILED (INVALID_CREDENTIALS)")
		if strings.Contains(r.stdout+r.stderr, wrong) || strings.Contains(r.stdout+r.stderr, kmsuserPassword) {
			t.Fatalf("a password was printed: %v", r)
		}
		if st, code, _ := storeState(t, env, url, hsmStoreID); st != "FAILED" || code != "INVALID_CREDENTIALS" {
			t.Fatalf("store is %s (%s)", st, code)
		}
	})

	t.Run("previous password given", func(t *testing.T) {
		url, _ := startKMS(t, baseSeed(), 200*time.Millisecond)
		env := cksEnv(t)
		r := runCKS(t, env, "", append([]string{"apply", "--endpoint-url", url, "--id", hsmStoreID,
			"--key-store-password-file", wrongFile, "--previous-key-store-password-file", prevFile, "--allow-disconnect", "--yes"}, fast...)...)
		if r.code != 1 {
			t.Fatalf("exit %d, want 1 (the change failed even though the rollback worked): %v", r.code, r)
		}
		mustContain(t, "stdout", r.stdout, "UpdateCustomKeyStore (rollback): done", "WaitUntilConnected (rollback): done", "store CONNECTED")
		mustContain(t, "stderr", r.stderr, "INVALID_CREDENTIALS", "rollback restored: KeyStorePassword",
			"rollback complete: the store is CONNECTED again", "was left CONNECTED")
		if strings.Contains(r.stdout+r.stderr, wrong) || strings.Contains(r.stdout+r.stderr, kmsuserPassword) {
			t.Fatalf("a password was printed: %v", r)
		}
		if st, _, _ := storeState(t, env, url, hsmStoreID); st != "CONNECTED" {
			t.Fatalf("store is %s after the rollback", st)
		}
	})
}

// TestInterruptDuringWait sends SIGINT to cks while it waits for a
// transition that the fake keeps going for an hour: cks stops waiting,
// says the state it left the store in, and exits 130.
func TestInterruptDuringWait(t *testing.T) {
	url, _ := startKMS(t, baseSeed(), time.Hour)

	interrupt := func(t *testing.T, seen string, args ...string) result {
		t.Helper()
		cmd, out, errb := startCKS(t, cksEnv(t), nil, args...)
		waitFor(t, "cks to poll: "+seen, func() bool { return strings.Contains(out.String(), seen) })
		if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
			t.Fatal(err)
		}
		err := cmd.Wait()
		r := result{stdout: out.String(), stderr: errb.String(), code: cmd.ProcessState.ExitCode()}
		if err == nil || r.code != 130 {
			t.Fatalf("exit %d, want 130: %v", r.code, r)
		}
		return r
	}

	t.Run("disconnect --wait", func(t *testing.T) {
		r := interrupt(t, "state DISCONNECTING", append([]string{"disconnect", "--endpoint-url", url, "--id", xksStoreID, "--wait"}, fast...)...)
		mustContain(t, "stderr", r.stderr, "interrupted while waiting for DISCONNECTED: stopped waiting",
			"custom key store "+xksStoreID+" was left DISCONNECTING", "KMS finishes the transition on its own")
	})

	t.Run("apply", func(t *testing.T) {
		r := interrupt(t, "state DISCONNECTING", append([]string{"apply", "--endpoint-url", url, "--id", hsmStoreID,
			"--cluster-id", hsmCluster2, "--allow-disconnect", "--yes"}, fast...)...)
		mustContain(t, "stderr", r.stderr, "interrupted while applying the plan: stopped waiting",
			"custom key store "+hsmStoreID+" was left DISCONNECTING")
		if strings.Contains(r.stdout, "[3] UpdateCustomKeyStore") {
			t.Errorf("the update was sent after the interrupt:\n%s", r.stdout)
		}
		if st, _, cl := storeState(t, cksEnv(t), url, hsmStoreID); st != "DISCONNECTING" || cl != hsmCluster {
			t.Errorf("store is %s on %s, want DISCONNECTING on %s", st, cl, hsmCluster)
		}
	})
}
