package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"
)

// TestSecretsFromFileStdinAndEnv: the password is read from a file, from
// stdin ("-", CRLF or not) and from CKS_KEY_STORE_PASSWORD, exactly: the
// store reconnects only when KMS got the kmsuser's password.
func TestSecretsFromFileStdinAndEnv(t *testing.T) {
	url, _ := startKMS(t, baseSeed(), 200*time.Millisecond)
	pwFile := writeSecret(t, kmsuserPassword)
	apply := append([]string{"apply", "--endpoint-url", url, "--id", hsmStoreID, "--allow-disconnect", "--accept-unchecked", "--yes"}, fast...)

	cases := []struct {
		name  string
		stdin string
		env   []string
		args  []string
	}{
		{"file", "", nil, []string{"--key-store-password-file", pwFile}},
		{"stdin", kmsuserPassword + "\n", nil, []string{"--key-store-password-file", "-"}},
		{"stdin CRLF without more lines", kmsuserPassword + "\r\n", nil, []string{"--key-store-password-file", "-"}},
		{"environment", "", []string{"CKS_KEY_STORE_PASSWORD=" + kmsuserPassword}, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := runCKS(t, cksEnv(t, tc.env...), tc.stdin, append(apply, tc.args...)...)
			if r.code != 0 {
				t.Fatalf("apply: %v", r)
			}
			mustContain(t, "stdout", r.stdout, "KeyStorePassword: changed", "[5] WaitUntilConnected: done")
			if tc.env != nil {
				mustContain(t, "stderr", r.stderr, "KeyStorePassword from the environment variable CKS_KEY_STORE_PASSWORD")
			}
			if strings.Contains(r.stdout+r.stderr, kmsuserPassword) {
				t.Fatalf("the password was printed: %v", r)
			}
		})
	}

	errCases := []struct {
		name, stdin string
		args        []string
		want        string
	}{
		{"empty stdin", "", []string{"--key-store-password-file", "-"}, "--key-store-password-file - (stdin): no secret"},
		{"missing file", "", []string{"--key-store-password-file", "/nonexistent/pw"}, "--key-store-password-file: open /nonexistent/pw"},
		{"two secrets from stdin", "a-long-password\nsecond\n", []string{"--key-store-password-file", "-", "--previous-key-store-password-file", "-"}, "stdin already gives --key-store-password-file"},
	}
	for _, tc := range errCases {
		t.Run(tc.name, func(t *testing.T) {
			r := runCKS(t, cksEnv(t), tc.stdin, append(apply, tc.args...)...)
			if r.code != 1 || !strings.Contains(r.stderr, tc.want) {
				t.Fatalf("want exit 1 and %q: %v", tc.want, r)
			}
			if strings.Contains(r.stderr, "a-long-password") {
				t.Fatalf("the secret was echoed: %v", r)
			}
		})
	}
}

// TestSecretFlagsRefused: --key-store-password VALUE and --secret-access-key
// VALUE, in every spelling, are refused with why and what to use instead,
// without echoing the value and before anything is sent.
func TestSecretFlagsRefused(t *testing.T) {
	url, kmsLog := startKMS(t, baseSeed(), 200*time.Millisecond)
	const value = "Sup3rSecretValue-do-not-echo"
	cmds := map[string][]string{
		"plan":                  {"--id", hsmStoreID},
		"apply":                 {"--id", hsmStoreID, "--yes"},
		"preflight":             {"--id", xksStoreID},
		"create":                {"--name", "x-store"},
		"rotate-xks-credential": {"--id", xksStoreID, "--access-key-id", "ABCDE234567ABEXAMPLE"},
	}
	for cmd, base := range cmds {
		flags := []string{"key-store-password", "secret-access-key"}
		if cmd == "rotate-xks-credential" {
			flags = flags[1:]
		}
		for _, flag := range flags {
			for _, form := range [][]string{{"--" + flag, value}, {"-" + flag, value}, {"--" + flag + "=" + value}} {
				args := append(append([]string{cmd, "--endpoint-url", url}, base...), form...)
				r := runCKS(t, cksEnv(t), "", args...)
				if r.code != 3 {
					t.Errorf("%v: exit %d, want 3: %v", form, r.code, r)
					continue
				}
				if strings.Contains(r.stdout+r.stderr, value) {
					t.Errorf("%s %v: the value was echoed: %v", cmd, form, r)
				}
				mustContain(t, "stderr", r.stderr, "--"+flag+" is refused", "shell history", "-file F")
			}
		}
	}
	if strings.Contains(kmsLog.Log(), "msg=call") {
		t.Errorf("a refused command sent a request:\n%s", kmsLog.Log())
	}
	if strings.Contains(kmsLog.Log(), value) {
		t.Error("the value reached the fake")
	}
}

// TestRunInProcess drives run itself, as main does: help, usage errors and
// a refused secret need no server.
func TestRunInProcess(t *testing.T) {
	call := func(args ...string) (int, string, string) {
		var out, errb bytes.Buffer
		code := run(context.Background(), args, strings.NewReader(""), &out, &errb)
		return code, out.String(), errb.String()
	}
	code, out, _ := call("help")
	if code != 0 {
		t.Fatalf("help: exit %d", code)
	}
	for _, s := range []string{"describe", "plan", "apply", "preflight", "rotate-xks-credential", "connect", "disconnect", "create", "delete",
		"Exit codes:", "  0 ", "  1 ", "  2 ", "  3 ", "  4    unchecked", "--accept-unchecked", "  130", "CKS_KEY_STORE_PASSWORD", "CKS_SECRET_ACCESS_KEY", "CKS_CURRENT_SECRET_ACCESS_KEY",
		"--region", "--profile", "--endpoint-url", "--debug", "--new-name", "--cluster-id", "--xks-endpoint", "--xks-path", "--xks-connectivity",
		"--xks-vpc-endpoint-service-name", "--xks-vpc-endpoint-service-owner", "--xks-access-key-id", "--key-store-password-file", "--secret-access-key-file"} {
		if !strings.Contains(out, s) {
			t.Errorf("cks help lacks %q", s)
		}
	}
	code, out, _ = call("help", "apply")
	if code != 0 || !strings.Contains(out, "-allow-disconnect") || !strings.Contains(out, "-accept-unchecked") || !strings.Contains(out, "-yes") || !strings.Contains(out, "-key-store-password-file") {
		t.Errorf("help apply: exit %d\n%s", code, out)
	}
	if code, _, errb := call(); code != 3 || !strings.Contains(errb, "Usage: cks") {
		t.Errorf("no command: exit %d", code)
	}
	if code, _, errb := call("frobnicate"); code != 3 || !strings.Contains(errb, `unknown command "frobnicate"`) {
		t.Errorf("unknown command: exit %d %s", code, errb)
	}
	if code, _, errb := call("plan", "--new-name", "x"); code != 3 || !strings.Contains(errb, "--id is required") {
		t.Errorf("plan without --id: exit %d %s", code, errb)
	}
	if code, _, errb := call("plan", "--id", "cks-1", "stray"); code != 3 || !strings.Contains(errb, `unexpected argument "stray"`) {
		t.Errorf("stray argument: exit %d %s", code, errb)
	}
	code, _, errb := call("plan", "--id", "cks-1", "--key-store-password", "hunter2-hunter2")
	if code != 3 || strings.Contains(errb, "hunter2") || !strings.Contains(errb, "--key-store-password-file") {
		t.Errorf("refused secret: exit %d %s", code, errb)
	}
	if code, _, errb := call("plan", "--id", "cks-1", "--key-store-password"); code != 3 || !strings.Contains(errb, "needs an argument") {
		t.Errorf("refused flag without a value: exit %d %s", code, errb)
	}
}
