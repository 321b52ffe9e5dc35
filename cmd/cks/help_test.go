package main

import (
	"regexp"
	"strings"
	"testing"
)

// flagLine is a line of per-command help that names a flag.
var flagLine = regexp.MustCompile(`(?m)^\s+-+[a-z]`)

// genericPlaceholder is a help line whose value is named as package flag
// names it by default, not for what it is (ID, URL, FILE, DURATION, ...).
var genericPlaceholder = regexp.MustCompile(`(?m)^  --[a-z0-9-]+ (STRING|VALUE|INT|UINT|FLOAT64)$`)

// listedFlag is a flag's own line in per-command help, and mentionedFlag
// any --name in it (with what precedes it, to tell curl's --resolve).
var (
	listedFlag    = regexp.MustCompile(`(?m)^  --([a-z0-9-]+)`)
	mentionedFlag = regexp.MustCompile(`(curl )?--([a-z][a-z0-9-]*)`)
)

// mentionsOnlyOwnFlags fails when help, a command's, names a --flag the
// command does not take (as rotate-xks-credential once said
// --xks-access-key-id for its --access-key-id).
func mentionsOnlyOwnFlags(t *testing.T, name, help string) {
	t.Helper()
	own := map[string]bool{}
	for _, m := range listedFlag.FindAllStringSubmatch(help, -1) {
		own[m[1]] = true
	}
	if _, refused, ok := strings.Cut(help, "Refused, because a secret is never a flag value: "); ok {
		refused, _, _ = strings.Cut(refused, " (")
		for _, f := range strings.Split(refused, ", ") {
			own[strings.TrimPrefix(f, "--")] = true
		}
	}
	for _, m := range mentionedFlag.FindAllStringSubmatch(help, -1) {
		if m[1] != "" || strings.HasSuffix(m[2], "-") { // curl's flag; --xks-* stands for several
			continue
		}
		if !own[m[2]] {
			t.Errorf("cks help %s names --%s, which %s does not take:\n%s", name, m[2], name, help)
		}
	}
}

// TestSubcommandHelpSpellsFlagsOneWay: every command's help spells its
// flags --name, as cks help and every message do (never -debug in one
// place and --debug in another), names each flag's value for what it is,
// lists the AWS flags, and shows a refused secret flag as refused, not as
// a flag to use.
func TestSubcommandHelpSpellsFlagsOneWay(t *testing.T) {
	env := cksEnv(t)
	for _, c := range commands() {
		r := runCKS(t, env, "", "help", c.name)
		if r.code != 0 {
			t.Errorf("cks help %s: %v", c.name, r)
			continue
		}
		lines := flagLine.FindAllString(r.stdout, -1)
		if len(lines) == 0 {
			t.Errorf("cks help %s lists no flag:\n%s", c.name, r.stdout)
		}
		for _, l := range lines {
			if !strings.HasPrefix(strings.TrimLeft(l, " \t"), "--") {
				t.Errorf("cks help %s spells a flag with one dash:\n%s", c.name, r.stdout)
				break
			}
		}
		mustContain(t, "cks help "+c.name, r.stdout, "  --debug\n", "  --endpoint-url URL\n", "  --region REGION\n")
		mentionsOnlyOwnFlags(t, c.name, r.stdout)
		if m := genericPlaceholder.FindAllString(r.stdout, -1); m != nil {
			t.Errorf("cks help %s names values as package flag does: %q", c.name, m)
		}
		if strings.Contains(r.stdout, "  --key-store-password\n") || strings.Contains(r.stdout, "  --secret-access-key\n") {
			t.Errorf("cks help %s lists a refused secret flag as a flag:\n%s", c.name, r.stdout)
		}
		if r2 := runCKS(t, env, "", c.name, "--help"); r2.code != 0 || r2.stderr != r.stdout {
			t.Errorf("cks %s --help differs from cks help %s: %v", c.name, c.name, r2)
		}
	}
	r := runCKS(t, env, "", "help", "plan")
	mustContain(t, "cks help plan", r.stdout, "Refused, because a secret is never a flag value: --key-store-password, --secret-access-key")
	mustContain(t, "cks help plan", r.stdout, "  --id ID\n", "  --xks-endpoint URL\n", "  --xks-path PATH\n", "  --key-store-password-file FILE\n",
		"  --current-credential-file FILE\n", "  --xks-resolve NAME=ADDRESS\n", "  --xks-vpc-endpoint-service-owner ACCOUNT\n",
		"  --proxy-timeout DURATION\n", "  --output FORMAT\n", "  --allow-disconnect\n")
}

// TestHelpListsOnlyFlagsThatApply: cks help preflight lists the flags of an
// XKS proxy check and not the CloudHSM members or the name, which a proxy
// check does not take; plan and apply list every update member; the
// commands that check a proxy list --xks-resolve and --xks-ca-file; the
// commands that take the credential KMS holds now list
// --current-credential-file, and no other command does.
func TestHelpListsOnlyFlagsThatApply(t *testing.T) {
	env := cksEnv(t)
	flags := func(name string) string {
		t.Helper()
		r := runCKS(t, env, "", "help", name)
		if r.code != 0 {
			t.Fatalf("cks help %s: %v", name, r)
		}
		return r.stdout
	}
	pre := flags("preflight")
	for _, f := range []string{"--cluster-id", "--key-store-password-file", "--previous-key-store-password-file", "--new-name"} {
		if strings.Contains(pre, "  "+f+" ") {
			t.Errorf("cks help preflight lists %s, which does not apply to an XKS proxy check", f)
		}
	}
	mustContain(t, "cks help preflight", pre, "  --xks-path ", "  --xks-endpoint ", "  --current-access-key-id ", "  --external-key-id ")
	for _, name := range []string{"plan", "apply"} {
		mustContain(t, "cks help "+name, flags(name), "  --cluster-id ", "  --key-store-password-file ", "  --new-name ", "  --xks-path ")
	}
	for _, name := range []string{"preflight", "plan", "apply", "rotate-xks-credential"} {
		mustContain(t, "cks help "+name, flags(name), "  --xks-resolve ", "  --xks-ca-file ")
	}
	for _, c := range commands() {
		help := flags(c.name)
		switch c.name {
		case "preflight", "plan", "apply":
			mustContain(t, "cks help "+c.name, help, "  --current-credential-file FILE\n", "XksProxyUriPath is ignored",
				"  --current-access-key-id ", "  --current-secret-access-key-file ")
		default:
			if strings.Contains(help, "--current-") {
				t.Errorf("cks help %s lists a --current- flag, which it does not take:\n%s", c.name, help)
			}
		}
	}
	if r := runCKS(t, env, "", "preflight", "--id", xksStoreID, "--cluster-id", hsmCluster); r.code != 3 {
		t.Errorf("preflight --cluster-id: %v", r)
	}
}
