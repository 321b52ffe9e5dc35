package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// writeSecret writes a secret file as an operator would (one line).
func writeSecret(t *testing.T, value string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "secret")
	if err := os.WriteFile(path, []byte(value+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestPlanExitCodes: 0 when every check passed and KMS would accept the
// change, 4 when some could not be checked (each listed with the flag that
// would let it be checked), 2 when KMS would refuse it, 1 on error; text
// and JSON; the secret never printed.
func TestPlanExitCodes(t *testing.T) {
	url, kmsLog := startKMS(t, baseSeed(), 50*time.Millisecond)
	env := cksEnv(t)
	const newPassword = "brand-new-kmsuser-pw-7731"
	pwFile := writeSecret(t, newPassword)

	tests := []struct {
		name     string
		args     []string
		code     int
		stdout   []string
		stderr   []string
		members  []string
		noStdout []string
	}{
		{
			name:   "rename while CONNECTED",
			args:   []string{"--id", hsmStoreID, "--new-name", "payments-hsm-2"},
			code:   0,
			stdout: []string{`NewCustomKeyStoreName: "payments-hsm" → "payments-hsm-2"`, "UpdateCustomKeyStore", "exit 0"},
		},
		{
			// Only KMS can check the cluster: the plan says so, exit 4.
			name: "cluster change with --allow-disconnect",
			args: []string{"--id", hsmStoreID, "--cluster-id", hsmCluster2, "--allow-disconnect"},
			code: 4,
			stdout: []string{`CloudHsmClusterId: "` + hsmCluster + `" → "` + hsmCluster2 + `"`, "DisconnectCustomKeyStore", "WaitUntilDisconnected", "ConnectCustomKeyStore", "WaitUntilConnected",
				"Result: not everything KMS checks could be checked (exit 4)", "not checked: the CloudHSM cluster is related", "to check it: no flag: only KMS can check it"},
			noStdout: []string{"refused", "exit 0"},
		},
		{
			name: "password change: secret shown only as changed",
			args: []string{"--id", hsmStoreID, "--key-store-password-file", pwFile, "--allow-disconnect"},
			code: 4,
			stdout: []string{"KeyStorePassword: changed", "not checked: a failed reconnect can be rolled back",
				"to check it: --previous-key-store-password-file F", "not checked: KeyStorePassword is the password of the cluster's kmsuser"},
		},
		{
			name:    "cluster change without --allow-disconnect is refused",
			args:    []string{"--id", hsmStoreID, "--cluster-id", hsmCluster2},
			code:    2,
			stderr:  []string{"CloudHsmClusterId", "DISCONNECTED", "--allow-disconnect"},
			members: []string{"CloudHsmClusterId"},
		},
		{
			name:    "invalid member is refused, naming member and rule",
			args:    []string{"--id", hsmStoreID, "--new-name", ""},
			code:    2,
			stderr:  []string{"NewCustomKeyStoreName", "minimum"},
			members: []string{"NewCustomKeyStoreName"},
		},
		{
			// KMS would answer ValidationException: the library's
			// *ValidationError names the member and the rule; refused, exit 2.
			name:    "XKS member for a CloudHSM store is refused",
			args:    []string{"--id", hsmStoreID, "--xks-path", "/kms/xks/v1"},
			code:    2,
			stderr:  []string{"XksProxyUriPath", "cannot be used with a custom key store whose CustomKeyStoreType is AWS_CLOUDHSM"},
			members: []string{"XksProxyUriPath"},
		},
		{
			name:   "unknown store is an error",
			args:   []string{"--id", "cks-00000000000000000", "--new-name", "x-store"},
			code:   1,
			stderr: []string{"CustomKeyStoreNotFoundException"},
		},
		{
			name:   "unreachable KMS is an error",
			args:   []string{"--id", hsmStoreID, "--new-name", "x-store", "--endpoint-url", "http://127.0.0.1:1"},
			code:   1,
			stderr: []string{"127.0.0.1:1"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			args := append([]string{"plan", "--endpoint-url", url}, tc.args...)
			r := runCKS(t, env, "", args...)
			if r.code != tc.code {
				t.Fatalf("exit %d, want %d: %v", r.code, tc.code, r)
			}
			for _, s := range tc.stdout {
				if !strings.Contains(r.stdout, s) {
					t.Errorf("stdout lacks %q: %v", s, r)
				}
			}
			for _, s := range tc.noStdout {
				if strings.Contains(r.stdout, s) {
					t.Errorf("stdout has %q: %v", s, r)
				}
			}
			for _, s := range tc.stderr {
				if !strings.Contains(r.stderr, s) {
					t.Errorf("stderr lacks %q: %v", s, r)
				}
			}
			if strings.Contains(r.stdout+r.stderr, newPassword) {
				t.Fatalf("the password was printed: %v", r)
			}

			// The same as data.
			j := runCKS(t, env, "", append(args, "--output", "json")...)
			if j.code != tc.code {
				t.Fatalf("--output json: exit %d, want %d: %v", j.code, tc.code, j)
			}
			var out planJSON
			if err := json.Unmarshal([]byte(j.stdout), &out); err != nil {
				t.Fatalf("--output json: %v\n%s", err, j.stdout)
			}
			want := map[int]string{0: "accept", 1: "error", 2: "refused", 4: "unchecked"}[tc.code]
			if out.Result != want || out.ExitCode != tc.code {
				t.Errorf("JSON Result %q ExitCode %d, want %q %d", out.Result, out.ExitCode, want, tc.code)
			}
			// An error (an unknown store, an unreachable KMS) is no verdict.
			verdict := map[int]string{0: "accept", 1: "", 2: "refuse", 4: "unchecked"}[tc.code]
			if out.Verdict != verdict {
				t.Errorf("JSON Verdict %q, want %q", out.Verdict, verdict)
			}
			if tc.code == 1 && (strings.Contains(j.stdout, `"Verdict"`) || out.Error == "") {
				t.Errorf("JSON of an error carries a Verdict or no Error:\n%s", j.stdout)
			}
			if (tc.code == 0 || tc.code == 4) && len(out.Checks) == 0 {
				t.Error("JSON has no Checks")
			}
			for _, c := range out.Checks {
				if (c.Result == "not checked") != (c.Flag != "") {
					t.Errorf("JSON check %+v: a flag for every check not checked, and only those", c)
				}
			}
			if (tc.code == 1 || tc.code == 2) && out.Error == "" {
				t.Error("JSON Error is empty for a refused or failed plan")
			}
			for _, m := range tc.members {
				if !strings.Contains(strings.Join(out.Members, ","), m) {
					t.Errorf("JSON Members %v lack %s", out.Members, m)
				}
			}
			if strings.Contains(j.stdout+j.stderr, newPassword) {
				t.Fatalf("the password was printed as JSON: %v", j)
			}
		})
	}

	// JSON of an accepted plan: the changes and the steps.
	j := runCKS(t, env, "", "plan", "--endpoint-url", url, "--id", hsmStoreID, "--key-store-password-file", pwFile, "--new-name", "n2-store", "--allow-disconnect", "--output", "json")
	var out planJSON
	if err := json.Unmarshal([]byte(j.stdout), &out); err != nil {
		t.Fatal(err)
	}
	if out.CustomKeyStoreId != hsmStoreID || out.ConnectionState != "CONNECTED" || len(out.Steps) != 5 {
		t.Errorf("JSON plan: %+v", out)
	}
	var pw *changeJSON
	for i := range out.Changes {
		if out.Changes[i].Member == "KeyStorePassword" {
			pw = &out.Changes[i]
		}
	}
	if pw == nil || !pw.Secret || !pw.Changed || pw.From != "" || pw.To != "" || !pw.NeedsDisconnect {
		t.Errorf("JSON KeyStorePassword change: %+v", pw)
	}

	// Planning changes nothing: every call the fake saw was a Describe.
	if !strings.Contains(kmsLog.Log(), "TrentService.DescribeCustomKeyStores") {
		t.Fatalf("the fake's log does not show the calls:\n%s", kmsLog.Log())
	}
	for _, line := range strings.Split(kmsLog.Log(), "\n") {
		for _, op := range []string{"UpdateCustomKeyStore", "DisconnectCustomKeyStore", "ConnectCustomKeyStore"} {
			if strings.Contains(line, "TrentService."+op) || strings.Contains(line, "operation="+op) {
				t.Errorf("plan sent %s: %s", op, line)
			}
		}
	}
	if strings.Contains(kmsLog.Log(), newPassword) {
		t.Error("the fake logged the password")
	}
}
