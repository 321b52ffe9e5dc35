package main

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/kmskit/kms/kmstest"
)

// TestConnectDisconnectWait: disconnect --wait and connect --wait return
// once the store is there; connect --wait of a store that ends FAILED
// says why and exits 1; without --wait the call returns at once.
func TestConnectDisconnectWait(t *testing.T) {
	seed := baseSeed()
	seed.Stores = append(seed.Stores, kmstest.Store{
		CustomKeyStoreId: "cks-0000000000000bad1", CustomKeyStoreName: "bad-password", CustomKeyStoreType: kmstest.TypeCloudHSM,
		CloudHsmClusterId: "cluster-9z99z9zzzzz", KeyStorePassword: "not-what-kmsuser-has",
	})
	seed.Clusters = append(seed.Clusters, kmstest.Cluster{ClusterId: "cluster-9z99z9zzzzz", BackupLineage: "other", KmsuserPassword: "what-kmsuser-has"})
	url, _ := startKMS(t, seed, 200*time.Millisecond)
	env := cksEnv(t)

	r := runCKS(t, env, "", append([]string{"disconnect", "--endpoint-url", url, "--id", hsmStoreID, "--wait"}, fast...)...)
	if r.code != 0 {
		t.Fatalf("disconnect --wait: %v", r)
	}
	mustContain(t, "stdout", r.stdout, "waiting for DISCONNECTED: done", hsmStoreID+" is DISCONNECTED.")
	if st, _, _ := storeState(t, env, url, hsmStoreID); st != "DISCONNECTED" {
		t.Fatalf("after disconnect --wait the store is %s", st)
	}

	r = runCKS(t, env, "", append([]string{"connect", "--endpoint-url", url, "--id", hsmStoreID, "--wait"}, fast...)...)
	if r.code != 0 {
		t.Fatalf("connect --wait: %v", r)
	}
	mustContain(t, "stdout", r.stdout, "waiting for CONNECTED: done", "store CONNECTED", hsmStoreID+" is CONNECTED.")
	if st, _, _ := storeState(t, env, url, hsmStoreID); st != "CONNECTED" {
		t.Fatalf("after connect --wait the store is %s", st)
	}

	// Without --wait: the call only starts the transition.
	r = runCKS(t, env, "", "disconnect", "--endpoint-url", url, "--id", xksStoreID)
	if r.code != 0 || !strings.Contains(r.stdout, "disconnect started") {
		t.Fatalf("disconnect: %v", r)
	}
	if st, _, _ := storeState(t, env, url, xksStoreID); st != "DISCONNECTING" && st != "DISCONNECTED" {
		t.Fatalf("after disconnect the store is %s", st)
	}

	r = runCKS(t, env, "", append([]string{"connect", "--endpoint-url", url, "--id", "cks-0000000000000bad1", "--wait"}, fast...)...)
	if r.code != 1 {
		t.Fatalf("connect --wait of a store with a wrong password: %v", r)
	}
	mustContain(t, "stdout", r.stdout, "FAILED (INVALID_CREDENTIALS)")
	mustContain(t, "stderr", r.stderr, "INVALID_CREDENTIALS", "kmsuser")

	// A store that does not exist: KMS's exception, exit 1.
	r = runCKS(t, env, "", "connect", "--endpoint-url", url, "--id", "cks-00000000000000000", "--wait")
	if r.code != 1 || !strings.Contains(r.stderr, "CustomKeyStoreNotFoundException") {
		t.Fatalf("connect an unknown store: %v", r)
	}
}

// TestCreateAndDelete creates a CloudHSM store with the password from
// stdin, connects it (which proves the password was read right), then
// disconnects and deletes it.
func TestCreateAndDelete(t *testing.T) {
	seed := baseSeed()
	seed.Clusters = append(seed.Clusters, kmstest.Cluster{ClusterId: "cluster-4c56d7efghi", BackupLineage: "new", TrustAnchorCertificate: trustAnchor, KmsuserPassword: "new-cluster-kmsuser"})
	url, _ := startKMS(t, seed, 200*time.Millisecond)
	env := cksEnv(t)
	anchor := filepath.Join(t.TempDir(), "customerCA.crt")
	if err := os.WriteFile(anchor, []byte(trustAnchor), 0o600); err != nil {
		t.Fatal(err)
	}

	r := runCKS(t, env, "new-cluster-kmsuser\n", "create", "--endpoint-url", url, "--name", "created-by-cks",
		"--cluster-id", "cluster-4c56d7efghi", "--trust-anchor-certificate-file", anchor, "--key-store-password-file", "-")
	if r.code != 0 {
		t.Fatalf("create: %v", r)
	}
	if strings.Contains(r.stdout+r.stderr, "new-cluster-kmsuser") {
		t.Fatalf("the password was printed: %v", r)
	}
	var id string
	for _, f := range strings.Fields(r.stdout) {
		if strings.HasPrefix(f, "cks-") && len(f) == 21 {
			id = f
		}
	}
	if id == "" {
		t.Fatalf("create printed no store ID: %v", r)
	}
	r = runCKS(t, env, "", append([]string{"connect", "--endpoint-url", url, "--id", id, "--wait"}, fast...)...)
	if r.code != 0 {
		t.Fatalf("connect the created store: %v", r)
	}
	r = runCKS(t, env, "", "delete", "--endpoint-url", url, "--id", id, "--yes")
	if r.code != 1 || !strings.Contains(r.stderr, "CustomKeyStoreInvalidStateException") {
		t.Fatalf("delete a CONNECTED store: %v", r)
	}
	r = runCKS(t, env, "", append([]string{"disconnect", "--endpoint-url", url, "--id", id, "--wait"}, fast...)...)
	if r.code != 0 {
		t.Fatalf("disconnect: %v", r)
	}
	r = runCKS(t, env, "", "delete", "--endpoint-url", url, "--id", id, "--yes")
	if r.code != 0 || !strings.Contains(r.stdout, "Deleted custom key store "+id) {
		t.Fatalf("delete: %v", r)
	}
	r = runCKS(t, env, "", "describe", "--endpoint-url", url, "--id", id)
	if r.code != 1 || !strings.Contains(r.stderr, "CustomKeyStoreNotFoundException") {
		t.Fatalf("describe a deleted store: %v", r)
	}

	// Create validates offline and names the member and the rule.
	r = runCKS(t, env, "", "create", "--endpoint-url", url, "--name", "x-store", "--type", "EXTERNAL_KEY_STORE")
	if r.code != 2 || !strings.Contains(r.stderr, "XksProxyUriEndpoint") {
		t.Fatalf("create without the XKS members: %v", r)
	}
}

// TestDisconnectAlreadyDisconnected: disconnecting a DISCONNECTED store
// exits 0 and says it already is, with and without --wait, as connecting
// a CONNECTED store does; a store that does not exist is still an error.
func TestDisconnectAlreadyDisconnected(t *testing.T) {
	seed := baseSeed()
	seed.Stores[0].ConnectionState = kmstest.StateDisconnected
	url, kmsLog := startKMS(t, seed, 200*time.Millisecond)
	env := cksEnv(t)
	for _, args := range [][]string{{}, append([]string{"--wait"}, fast...)} {
		r := runCKS(t, env, "", append([]string{"disconnect", "--endpoint-url", url, "--id", hsmStoreID}, args...)...)
		if r.code != 0 || r.stdout != hsmStoreID+" is already DISCONNECTED; nothing to do.\n" {
			t.Errorf("disconnect %v of a DISCONNECTED store: %v", args, r)
		}
	}
	if st, _, _ := storeState(t, env, url, hsmStoreID); st != "DISCONNECTED" {
		t.Errorf("store %s", st)
	}
	if n := strings.Count(kmsLog.Log(), "TrentService.DisconnectCustomKeyStore"); n != 2 {
		t.Errorf("%d DisconnectCustomKeyStore calls, want 2 (one a run)", n)
	}

	for _, args := range [][]string{{}, append([]string{"--wait"}, fast...)} {
		r := runCKS(t, env, "", append([]string{"connect", "--endpoint-url", url, "--id", xksStoreID}, args...)...)
		if r.code != 0 || r.stdout != xksStoreID+" is already CONNECTED; nothing to do.\n" {
			t.Errorf("connect %v of a CONNECTED store: %v", args, r)
		}
	}
	if n := strings.Count(kmsLog.Log(), "TrentService.ConnectCustomKeyStore"); n != 0 {
		t.Errorf("%d ConnectCustomKeyStore calls for a CONNECTED store, want none", n)
	}
	r := runCKS(t, env, "", "disconnect", "--endpoint-url", url, "--id", "cks-00000000000000000")
	if r.code != 1 || !strings.Contains(r.stderr, "CustomKeyStoreNotFoundException") {
		t.Errorf("disconnect of an unknown store: %v", r)
	}
}

// TestWaitLastLineHasNoNextPoll: the line of the state that ends a wait
// does not announce a next poll, since none follows; the lines before it
// (the transition, unless a loaded machine polled only after it) do. So
// for disconnect --wait, connect --wait and both waits of an apply.
func TestWaitLastLineHasNoNextPoll(t *testing.T) {
	url, _ := startKMS(t, baseSeed(), time.Second)
	env := cksEnv(t)
	for _, c := range []struct {
		args   []string
		finals []string // the state ending each wait, in order
	}{
		{[]string{"disconnect", "--wait"}, []string{"DISCONNECTED"}},
		{[]string{"connect", "--wait"}, []string{"CONNECTED"}},
		{[]string{"apply", "--cluster-id", hsmCluster2, "--allow-disconnect", "--accept-unchecked", "--yes"}, []string{"DISCONNECTED", "CONNECTED"}},
	} {
		r := runCKS(t, env, "", append(append([]string{c.args[0], "--endpoint-url", url, "--id", hsmStoreID}, c.args[1:]...), fast...)...)
		if r.code != 0 {
			t.Fatalf("%v: %v", c.args, r)
		}
		waits := map[string][]string{} // state lines by wait label
		var labels []string
		for _, l := range strings.Split(r.stdout, "\n") {
			label, _, ok := strings.Cut(l, "  state ")
			if !ok {
				continue
			}
			if _, seen := waits[label]; !seen {
				labels = append(labels, label)
			}
			waits[label] = append(waits[label], l)
		}
		if len(labels) != len(c.finals) {
			t.Fatalf("%v: state lines of %d waits, want %d:\n%s", c.args, len(labels), len(c.finals), r.stdout)
		}
		for i, label := range labels {
			lines := waits[label]
			last := lines[len(lines)-1]
			if !strings.Contains(last, "state "+c.finals[i]+"  elapsed ") || strings.Contains(last, "next poll") {
				t.Errorf("%v: last state line %q announces a poll that never comes", c.args, last)
			}
			for _, l := range lines[:len(lines)-1] {
				if !strings.Contains(l, "next poll in ") {
					t.Errorf("%v: line %q of a wait still under way lacks the next poll", c.args, l)
				}
			}
		}
	}
}

// TestConnectWaitsForDisconnected: KMS refuses to connect a store that is
// still DISCONNECTING. connect without --wait says so and sends no
// ConnectCustomKeyStore; connect --wait waits until DISCONNECTED, then
// connects and waits until CONNECTED; both waits are bounded by
// --max-wait, and a store that does not get there in time is not
// connected.
func TestConnectWaitsForDisconnected(t *testing.T) {
	t.Run("DISCONNECTING, then connected", func(t *testing.T) {
		url, kmsLog := startKMS(t, baseSeed(), 3*time.Second)
		env := cksEnv(t)
		if r := runCKS(t, env, "", "disconnect", "--endpoint-url", url, "--id", hsmStoreID); r.code != 0 {
			t.Fatalf("disconnect: %v", r)
		}
		r := runCKS(t, env, "", "connect", "--endpoint-url", url, "--id", hsmStoreID)
		if st, _, _ := storeState(t, env, url, hsmStoreID); st == "DISCONNECTING" {
			// Still DISCONNECTING after the connect ran: it was refused.
			if r.code != 1 || !strings.Contains(r.stderr, "is DISCONNECTING") || !strings.Contains(r.stderr, "cks connect --id "+hsmStoreID+" --wait") {
				t.Errorf("connect of a DISCONNECTING store: %v", r)
			}
			if n := strings.Count(kmsLog.Log(), "TrentService.ConnectCustomKeyStore"); n != 0 {
				t.Errorf("%d ConnectCustomKeyStore calls for a DISCONNECTING store", n)
			}
		}
		r = runCKS(t, env, "", append([]string{"connect", "--endpoint-url", url, "--id", hsmStoreID, "--wait"}, fast...)...)
		if r.code != 0 {
			t.Fatalf("connect --wait of a DISCONNECTING store: %v", r)
		}
		mustContain(t, "stdout", r.stdout, "waiting for DISCONNECTED: done", "waiting for CONNECTED: done", hsmStoreID+" is CONNECTED.")
		if i, j := strings.Index(r.stdout, "waiting for DISCONNECTED"), strings.Index(r.stdout, "waiting for CONNECTED"); i < 0 || j < i {
			t.Errorf("the waits ran out of order:\n%s", r.stdout)
		}
		if st, _, _ := storeState(t, env, url, hsmStoreID); st != "CONNECTED" {
			t.Fatalf("after connect --wait the store is %s", st)
		}
	})

	t.Run("bounded by --max-wait", func(t *testing.T) {
		url, kmsLog := startKMS(t, baseSeed(), time.Hour)
		env := cksEnv(t)
		if r := runCKS(t, env, "", "disconnect", "--endpoint-url", url, "--id", hsmStoreID); r.code != 0 {
			t.Fatalf("disconnect: %v", r)
		}
		r := runCKS(t, env, "", append([]string{"connect", "--endpoint-url", url, "--id", hsmStoreID, "--wait", "--max-wait", "1s"}, fast...)...)
		if r.code != 1 {
			t.Fatalf("connect --wait of a store DISCONNECTING for an hour: %v", r)
		}
		mustContain(t, "stdout", r.stdout, "waiting for DISCONNECTED")
		if n := strings.Count(kmsLog.Log(), "TrentService.ConnectCustomKeyStore"); n != 0 {
			t.Errorf("%d ConnectCustomKeyStore calls before the store was DISCONNECTED", n)
		}
		if st, _, _ := storeState(t, env, url, hsmStoreID); st != "DISCONNECTING" {
			t.Errorf("store is %s", st)
		}
	})
}

// TestConnectionFlagsCheckedFirst: a --max-wait or --poll-interval of 0
// or less is a usage error (exit 3) of connect, disconnect and apply, found
// before anything is sent: no call reaches the fake.
func TestConnectionFlagsCheckedFirst(t *testing.T) {
	url, kmsLog := startKMS(t, baseSeed(), 200*time.Millisecond)
	env := cksEnv(t)
	for _, cmd := range []string{"connect", "disconnect", "apply"} {
		for _, bad := range [][]string{{"--max-wait", "0"}, {"--max-wait", "-1s"}, {"--wait", "--max-wait", "0"}, {"--poll-interval", "0"}, {"--wait", "--poll-interval", "-1s"}} {
			args := []string{cmd, "--endpoint-url", url, "--id", hsmStoreID}
			if cmd == "apply" {
				args = append(args, "--new-name", "renamed", "--yes")
			}
			r := runCKS(t, env, "", append(args, slices.DeleteFunc(slices.Clone(bad), func(a string) bool { return cmd == "apply" && a == "--wait" })...)...)
			flag := bad[len(bad)-2]
			if r.code != 3 || !strings.Contains(r.stderr, flag+" must be more than 0") || !strings.Contains(r.stderr, "cks help "+cmd) {
				t.Errorf("%s %v: %v", cmd, bad, r)
			}
		}
	}
	if n := strings.Count(kmsLog.Log(), "msg=call"); n != 0 {
		t.Errorf("%d calls reached the fake, want none:\n%s", n, kmsLog.Log())
	}
	if st, _, _ := storeState(t, env, url, hsmStoreID); st != "CONNECTED" {
		t.Errorf("store is %s", st)
	}
}
