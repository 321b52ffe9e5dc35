package main

import (
	"regexp"
	"strings"
	"testing"
)

// TestFlagErrorsSpellDoubleDash: a bad flag is reported with the command,
// spelt --name as cks documents it (package flag says -name), with what a
// missing or unparsable value should be, then the command's help; exit 3.
func TestFlagErrorsSpellDoubleDash(t *testing.T) {
	env := cksEnv(t)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"describe", "--bogus"}, "cks describe: flag provided but not defined: --bogus\n"},
		{[]string{"describe", "-bogus"}, "cks describe: flag provided but not defined: --bogus\n"},
		{[]string{"connect", "--id"}, "cks connect: flag needs an argument: --id ID\n"},
		{[]string{"plan", "--id", "cks-1", "--xks-resolve"}, "cks plan: flag needs an argument: --xks-resolve NAME=ADDRESS\n"},
		{[]string{"apply", "--id", "cks-1", "--max-wait", "soon"}, `cks apply: invalid value "soon" for flag --max-wait: parse error: want a DURATION such as 90s or 10m` + "\n"},
		{[]string{"connect", "--id", "cks-1", "--wait=maybe"}, `cks connect: invalid boolean value "maybe" for --wait: parse error: want true or false (--wait=false)` + "\n"},
	} {
		r := runCKS(t, env, "", tc.args...)
		if r.code != exitUsage {
			t.Errorf("cks %v: exit %d, want %d: %v", tc.args, r.code, exitUsage, r)
		}
		if !strings.HasPrefix(r.stderr, tc.want) {
			t.Errorf("cks %v: stderr starts\n%q\nwant\n%q", tc.args, stderrLine(r.stderr), tc.want)
		}
		mustContain(t, "stderr", r.stderr, "Usage: cks "+tc.args[0])
		if regexp.MustCompile(`(^|[ :])-[a-z]`).MatchString(stderrLine(r.stderr)) {
			t.Errorf("cks %v: a flag with one dash: %q", tc.args, stderrLine(r.stderr))
		}
	}
}

// stderrLine is s up to its first newline.
func stderrLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}
