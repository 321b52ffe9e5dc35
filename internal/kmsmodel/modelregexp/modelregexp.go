// Package modelregexp compiles the patterns of internal/kmsmodel for code
// that wants them as regular expressions: the fake (kmstest) and tests. The
// client does not import it (it checks each pattern with a hand-written
// matcher), so that it does not link package regexp; kmsmodel stays data
// only and the pattern source stays written once, there.
package modelregexp

import (
	"regexp"
	"strings"

	"github.com/kmskit/kms/internal/kmsmodel"
)

// compiled holds every pattern of kmsmodel.Patterns, compiled once when the
// package is initialised and never changed after.
var compiled = func() map[*kmsmodel.Pattern]*regexp.Regexp {
	m := make(map[*kmsmodel.Pattern]*regexp.Regexp, len(kmsmodel.Patterns))
	for _, p := range kmsmodel.Patterns {
		m[p] = Compile(p.Source)
	}
	return m
}()

// Regexp returns p compiled (Go RE2 syntax, \uXXXX escapes translated). A
// pattern of kmsmodel.Patterns is compiled once; any other is compiled on
// each call. A Go regexp is unanchored like a Smithy pattern: MatchString
// reports a match anywhere in the value.
func Regexp(p *kmsmodel.Pattern) *regexp.Regexp {
	if re, ok := compiled[p]; ok {
		return re
	}
	return Compile(p.Source)
}

// MatchString reports whether p matches somewhere in s, with Smithy's
// unanchored semantics.
func MatchString(p *kmsmodel.Pattern, s string) bool { return Regexp(p).MatchString(s) }

// Compile compiles a pattern source written as the model writes it
// (ECMA-262). It panics if src does not compile: the sources are constants.
func Compile(src string) *regexp.Regexp { return regexp.MustCompile(goSyntax(src)) }

// goSyntax rewrites ECMA-262 \uXXXX escapes as RE2 \x{XXXX}. The other
// constructs the KMS patterns use mean the same in both.
func goSyntax(src string) string {
	if !strings.Contains(src, `\u`) {
		return src
	}
	var b strings.Builder
	for i := 0; i < len(src); i++ {
		if src[i] == '\\' && i+6 <= len(src) && src[i+1] == 'u' {
			b.WriteString(`\x{` + src[i+2:i+6] + `}`)
			i += 5
			continue
		}
		if src[i] == '\\' && i+1 < len(src) {
			b.WriteString(src[i : i+2])
			i++
			continue
		}
		b.WriteByte(src[i])
	}
	return b.String()
}
