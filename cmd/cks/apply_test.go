package main

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/kmskit/kms/kmstest"
	"github.com/kmskit/kms/safeupdate"
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

	// Only KMS can check the new cluster: apply refuses to disconnect the
	// store for an unchecked plan, naming what is unchecked.
	r = runCKS(t, env, "", append(base, "--allow-disconnect", "--yes")...)
	if r.code != 4 {
		t.Fatalf("with --allow-disconnect, without --accept-unchecked: %v", r)
	}
	mustContain(t, "stderr", r.stderr, "not checked: the CloudHSM cluster is related", "--accept-unchecked", "nothing was changed")
	if strings.Contains(r.stdout, "[1] DisconnectCustomKeyStore") {
		t.Fatalf("an unchecked plan was applied: %v", r)
	}
	if st, _, cl := storeState(t, env, url, hsmStoreID); st != "CONNECTED" || cl != hsmCluster {
		t.Fatalf("after an unchecked apply the store is %s on %s", st, cl)
	}

	r = runCKS(t, env, "", append(base, "--allow-disconnect", "--accept-unchecked", "--yes")...)
	if r.code != 0 {
		t.Fatalf("with --allow-disconnect --accept-unchecked: %v", r)
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
// restore it, does not log in with it again, leaves the store DISCONNECTED
// and prints the command that fixes it; with it, the rollback restores the
// password, reconnects and says so. The passwords are never printed.
func TestApplyRollback(t *testing.T) {
	const wrong = "not-the-kmsuser-password-55"
	wrongFile := writeSecret(t, wrong)
	prevFile := writeSecret(t, kmsuserPassword)

	t.Run("previous password unknown", func(t *testing.T) {
		url, _ := startKMS(t, baseSeed(), 200*time.Millisecond)
		env := cksEnv(t)
		r := runCKS(t, env, "", append([]string{"apply", "--endpoint-url", url, "--id", hsmStoreID,
			"--key-store-password-file", wrongFile, "--allow-disconnect", "--accept-unchecked", "--yes"}, fast...)...)
		if r.code != 1 {
			t.Fatalf("exit %d, want 1: %v", r.code, r)
		}
		mustContain(t, "stdout", r.stdout, "KeyStorePassword: changed", "[5] WaitUntilConnected: failed after", "FAILED (INVALID_CREDENTIALS)", "DisconnectCustomKeyStore (restore): done")
		mustContain(t, "stderr", r.stderr, "INVALID_CREDENTIALS", "could not restore (previous value unknown): KeyStorePassword",
			"still the new values: KeyStorePassword",
			"cks apply --id "+hsmStoreID+" --key-store-password-file <the right one>, then cks connect --id "+hsmStoreID+" --wait", "was left DISCONNECTED")
		if n := strings.Count(r.stdout, "] ConnectCustomKeyStore: done"); n != 1 {
			t.Errorf("%d connect attempts, want 1 (no second login with the refused password):\n%s", n, r.stdout)
		}
		if strings.Contains(r.stdout+r.stderr, wrong) || strings.Contains(r.stdout+r.stderr, kmsuserPassword) {
			t.Fatalf("a password was printed: %v", r)
		}
		if st, _, _ := storeState(t, env, url, hsmStoreID); st != "DISCONNECTED" {
			t.Fatalf("store is %s", st)
		}
	})

	t.Run("previous password given", func(t *testing.T) {
		url, _ := startKMS(t, baseSeed(), 200*time.Millisecond)
		env := cksEnv(t)
		r := runCKS(t, env, "", append([]string{"apply", "--endpoint-url", url, "--id", hsmStoreID,
			"--key-store-password-file", wrongFile, "--previous-key-store-password-file", prevFile, "--allow-disconnect", "--accept-unchecked", "--yes"}, fast...)...)
		if r.code != 1 {
			t.Fatalf("exit %d, want 1 (the change failed even though the rollback worked): %v", r.code, r)
		}
		mustContain(t, "stdout", r.stdout, "UpdateCustomKeyStore (rollback): done", "WaitUntilConnected (restore): done", "store CONNECTED")
		mustContain(t, "stderr", r.stderr, "INVALID_CREDENTIALS", "rollback restored: KeyStorePassword",
			"restore complete: the store is CONNECTED again with its previous settings", "was left CONNECTED")
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
// says the state it left the store in, and exits 130. During apply, the
// first SIGINT starts restoring the store (which the hour-long transition
// keeps from finishing) and a second one stops at once, printing the state
// last seen and the command that reconnects the store.
func TestInterruptDuringWait(t *testing.T) {
	url, _ := startKMS(t, baseSeed(), time.Hour)

	t.Run("disconnect --wait", func(t *testing.T) {
		cmd, out, errb := startCKS(t, cksEnv(t), nil, append([]string{"disconnect", "--endpoint-url", url, "--id", xksStoreID, "--wait"}, fast...)...)
		waitFor(t, "cks to poll: state DISCONNECTING", func() bool { return strings.Contains(out.String(), "state DISCONNECTING") })
		r := signalAndWait(t, cmd, out, errb, 1)
		mustContain(t, "stderr", r.stderr, "interrupted while waiting for DISCONNECTED: stopped waiting",
			"custom key store "+xksStoreID+" was left DISCONNECTING", "KMS finishes the transition on its own")
	})

	t.Run("apply: two SIGINTs stop at once", func(t *testing.T) {
		cmd, out, errb := startCKS(t, cksEnv(t), nil, append([]string{"apply", "--endpoint-url", url, "--id", hsmStoreID,
			"--cluster-id", hsmCluster2, "--allow-disconnect", "--accept-unchecked", "--yes"}, fast...)...)
		waitFor(t, "cks to poll: state DISCONNECTING", func() bool { return strings.Contains(out.String(), "state DISCONNECTING") })
		if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
			t.Fatal(err)
		}
		waitFor(t, "the restoring message", func() bool {
			return strings.Contains(errb.String(), "interrupted: restoring "+hsmStoreID+" to CONNECTED (Ctrl-C again to stop now)")
		})
		r := signalAndWait(t, cmd, out, errb, 1)
		mustContain(t, "stderr", r.stderr, "stopped at once: custom key store "+hsmStoreID+" was last seen DISCONNECTING",
			"cks connect --id "+hsmStoreID+" --wait")
		if strings.Contains(r.stdout, "[3] UpdateCustomKeyStore") {
			t.Errorf("the update was sent after the interrupt:\n%s", r.stdout)
		}
		if st, _, cl := storeState(t, cksEnv(t), url, hsmStoreID); st != "DISCONNECTING" || cl != hsmCluster {
			t.Errorf("store is %s on %s, want DISCONNECTING on %s", st, cl, hsmCluster)
		}
	})
}

// signalAndWait sends n SIGINTs to cmd and waits for it to exit 130.
func signalAndWait(t *testing.T, cmd *exec.Cmd, out, errb *syncBuffer, n int) result {
	t.Helper()
	for range n {
		if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
			t.Fatal(err)
		}
	}
	err := cmd.Wait()
	r := result{stdout: out.String(), stderr: errb.String(), code: cmd.ProcessState.ExitCode()}
	if err == nil || r.code != 130 {
		t.Fatalf("exit %d, want 130: %v", r.code, r)
	}
	return r
}

// TestInterruptRestores: one SIGINT while apply waits for DISCONNECTED
// restores the store: the update is not sent, the store is CONNECTED again
// with its original cluster, and cks exits 130 saying so.
func TestInterruptRestores(t *testing.T) {
	url, _ := startKMS(t, baseSeed(), 2*time.Second)
	env := cksEnv(t)
	cmd, out, errb := startCKS(t, env, nil, append([]string{"apply", "--endpoint-url", url, "--id", hsmStoreID,
		"--cluster-id", hsmCluster2, "--allow-disconnect", "--accept-unchecked", "--yes"}, fast...)...)
	waitFor(t, "cks to poll: state DISCONNECTING", func() bool { return strings.Contains(out.String(), "state DISCONNECTING") })
	r := signalAndWait(t, cmd, out, errb, 1)
	mustContain(t, "stderr", r.stderr, "interrupted: restoring "+hsmStoreID+" to CONNECTED (Ctrl-C again to stop now)",
		"the update was not sent", "restore complete: the store is CONNECTED again with its previous settings", "was left CONNECTED")
	mustContain(t, "stdout", r.stdout, "ConnectCustomKeyStore (restore): done", "WaitUntilConnected (restore): done")
	if strings.Contains(r.stdout, "(rollback)") {
		t.Errorf("nothing was rolled back, yet a step is labelled so:\n%s", r.stdout)
	}
	if strings.Contains(r.stdout, "[3] UpdateCustomKeyStore") {
		t.Errorf("the update was sent after the interrupt:\n%s", r.stdout)
	}
	if st, _, cl := storeState(t, env, url, hsmStoreID); st != "CONNECTED" || cl != hsmCluster {
		t.Errorf("store is %s on %s, want CONNECTED on %s", st, cl, hsmCluster)
	}
}

// TestApplyOnAPipePrintsThePlan: without --yes on a pipe, apply cannot ask,
// so it changes nothing and exits 3, but prints the plan first: what the
// operator reads before running it again with --yes.
func TestApplyOnAPipePrintsThePlan(t *testing.T) {
	url, kmsLog := startKMS(t, baseSeed(), 50*time.Millisecond)
	env := cksEnv(t)
	r := runCKS(t, env, "yes\n", "apply", "--endpoint-url", url, "--id", hsmStoreID, "--new-name", "renamed-on-a-pipe")
	if r.code != 3 {
		t.Fatalf("apply on a pipe without --yes: %v", r)
	}
	mustContain(t, "stdout", r.stdout, `Custom key store `+hsmStoreID+` "payments-hsm"`, `NewCustomKeyStoreName: "payments-hsm" → "renamed-on-a-pipe"`,
		"Steps:", "1. UpdateCustomKeyStore")
	mustContain(t, "stderr", r.stderr, "stdin is not a terminal", "nothing was changed", "--yes")
	if strings.Contains(r.stdout, "Applying") || strings.Contains(kmsLog.Log(), "TrentService.UpdateCustomKeyStore") {
		t.Errorf("apply on a pipe without --yes sent the update: %v", r)
	}
}

// TestInterruptTwiceRecoveryCommandWorks: after a second SIGINT stops
// apply while the store is still DISCONNECTING, the recovery command cks
// prints, run as printed (plus the fake's endpoint), waits for
// DISCONNECTED, connects the store and ends with it CONNECTED.
func TestInterruptTwiceRecoveryCommandWorks(t *testing.T) {
	url, _ := startKMS(t, baseSeed(), 5*time.Second)
	env := cksEnv(t)
	cmd, out, errb := startCKS(t, env, nil, append([]string{"apply", "--endpoint-url", url, "--id", hsmStoreID,
		"--cluster-id", hsmCluster2, "--allow-disconnect", "--accept-unchecked", "--yes"}, fast...)...)
	waitFor(t, "cks to poll: state DISCONNECTING", func() bool { return strings.Contains(out.String(), "state DISCONNECTING") })
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the restoring message", func() bool { return strings.Contains(errb.String(), "interrupted: restoring "+hsmStoreID) })
	r := signalAndWait(t, cmd, out, errb, 1)
	recovery := regexp.MustCompile(`cks connect --id \S+ --wait`).FindString(r.stderr)
	if recovery == "" {
		t.Fatalf("no recovery command printed: %v", r)
	}
	left, _, _ := storeState(t, env, url, hsmStoreID)
	args := append(strings.Fields(recovery)[1:], "--endpoint-url", url)
	rec := runCKS(t, env, "", append(args, fast...)...)
	if rec.code != 0 {
		t.Fatalf("the recovery command %q (store %s): %v", recovery, left, rec)
	}
	if left == "DISCONNECTING" {
		mustContain(t, "recovery stdout", rec.stdout, "waiting for DISCONNECTED: done")
	}
	mustContain(t, "recovery stdout", rec.stdout, "waiting for CONNECTED: done", hsmStoreID+" is CONNECTED.")
	if st, _, cl := storeState(t, env, url, hsmStoreID); st != "CONNECTED" || cl != hsmCluster {
		t.Errorf("after the recovery command the store is %s on %s, want CONNECTED on %s", st, cl, hsmCluster)
	}
}

// TestApplyWatchRecordsAcceptedTransitions: a Disconnect (or Connect) KMS
// accepted is the state the store is in, for the second Ctrl-C's message,
// before any wait has polled.
func TestApplyWatchRecordsAcceptedTransitions(t *testing.T) {
	w := &applyWatch{id: hsmStoreID, disconnects: true, state: "CONNECTED"}
	disconnect := safeupdate.Step{Action: safeupdate.StepDisconnect}
	w.step(safeupdate.StepEvent{Step: disconnect})
	if _, state := w.snapshot(); state != "CONNECTED" {
		t.Errorf("before the Disconnect is answered: %s", state)
	}
	w.step(safeupdate.StepEvent{Step: disconnect, Done: true})
	if sent, state := w.snapshot(); !sent || state != "DISCONNECTING" {
		t.Errorf("after an accepted Disconnect: sent %t, state %s, want DISCONNECTING", sent, state)
	}
	w.step(safeupdate.StepEvent{Step: safeupdate.Step{Action: safeupdate.StepConnect}, Done: true})
	if _, state := w.snapshot(); state != "CONNECTING" {
		t.Errorf("after an accepted Connect: %s, want CONNECTING", state)
	}
	w = &applyWatch{id: hsmStoreID, state: "CONNECTED"}
	w.step(safeupdate.StepEvent{Step: disconnect, Done: true, Err: errors.New("refused")})
	if _, state := w.snapshot(); state != "CONNECTED" {
		t.Errorf("after a refused Disconnect: %s, want CONNECTED", state)
	}
}

// TestApplyScrubsEchoedAccessKeyID: a KMS that echoes the store's
// AccessKeyId in the error of the Describe after the Disconnect (the
// wait's) makes apply fail and restore the store, and neither stdout nor
// stderr shows the AccessKeyId: the plan scrubs it from Describe and
// waiter errors, and cks's own Describe gets the plan's secrets.
func TestApplyScrubsEchoedAccessKeyID(t *testing.T) {
	fake := kmstest.NewFake(kmstest.WithTransitionDelay(200 * time.Millisecond))
	if err := fake.Load(baseSeed()); err != nil {
		t.Fatal(err)
	}
	var once sync.Once
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fake.ServeHTTP(w, r)
		if r.Header.Get("X-Amz-Target") == kmstest.TargetDisconnectCustomKeyStore {
			once.Do(func() {
				fake.FailNext(1, kmstest.Fault{Code: kmstest.CodeAccessDenied, Message: "access key " + xksAccessKey + " may not describe this store"})
			})
		}
	}))
	t.Cleanup(srv.Close)
	env := cksEnv(t)
	r := runCKS(t, env, "", append([]string{"apply", "--endpoint-url", srv.URL, "--id", xksStoreID,
		"--xks-endpoint", "https://xks-new.example.com", "--allow-disconnect", "--accept-unchecked", "--yes"}, fast...)...)
	if r.code != 1 {
		t.Fatalf("exit %d, want 1: %v", r.code, r)
	}
	mustContain(t, "stderr", r.stderr, "AccessDeniedException", "[REDACTED]", "the update was not sent")
	if strings.Contains(r.stdout+r.stderr, xksAccessKey) {
		t.Fatalf("the AccessKeyId was printed: %v", r)
	}
	if st, _, _ := storeState(t, env, srv.URL, xksStoreID); st != "CONNECTED" {
		t.Errorf("store is %s after the restore", st)
	}
	if st, _ := fake.Store(xksStoreID); st.XksProxyConfiguration.UriEndpoint != xksEndpoint {
		t.Errorf("the endpoint is %s: the update was sent", st.XksProxyConfiguration.UriEndpoint)
	}
}
