package echotest

import (
	"encoding/json"
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Survivor returns what of secret survives in s that a scrubber must
// remove, "" when nothing does. It is the promise of issue 17, written
// without the scrubber's code:
//
//   - the secret whole, JSON-escaped or URL-encoded, or with its white
//     space changed or a format character (U+200B, ...) put inside;
//   - any run shared with the secret (raw, or both with white space folded
//     and format characters dropped) of more than MaxKept(len(secret))
//     bytes;
//   - a prefix of the secret of 4 bytes or more right before a "..." or
//     "…", and a suffix of 4 bytes or more right after one;
//
// unless it lies inside words (runs of letters, digits and '_') for which
// known reports true: a known word is never altered.
func Survivor(s, secret string, known func(string) bool) string {
	n := len(secret)
	if n < 4 {
		return ""
	}
	if got := longRun(s, secret, MaxKept(n), known); got != "" {
		return got
	}
	if fs, fsecret := foldText(s), foldText(secret); len(fsecret) >= 4 && (fs != s || fsecret != secret) {
		if got := longRun(fs, fsecret, MaxKept(len(fsecret)), known); got != "" {
			return got
		}
	}
	for _, form := range encodedForms(secret) {
		for off := 0; ; {
			j := strings.Index(s[off:], form)
			if j < 0 {
				break
			}
			if !inKnown(s, off+j, off+j+len(form), known) {
				return form
			}
			off += j + 1
		}
	}
	for _, ellipsis := range [...]string{"...", "…"} {
		for off := 0; ; {
			j := strings.Index(s[off:], ellipsis)
			if j < 0 {
				break
			}
			at := off + j
			for k := min(n-1, at); k >= 4; k-- {
				if s[at-k:at] == secret[:k] && !inKnown(s, at-k, at, known) {
					return s[at-k : at]
				}
			}
			after := at + len(ellipsis)
			for k := min(n-1, len(s)-after); k >= 4; k-- {
				if s[after:after+k] == secret[n-k:] && !inKnown(s, after, after+k, known) {
					return s[after : after+k]
				}
			}
			off = at + 1
		}
	}
	return ""
}

// MaxKept is the longest run shared with a secret of n bytes that may
// survive: 5 bytes or half the secret, or, as a piece of another word, two
// thirds of it when that leaves at least 4 of its bytes out; for a secret
// shorter than 6 bytes, anything short of the whole.
func MaxKept(n int) int {
	if n < 6 {
		return n - 1
	}
	return max(5, n/2, min(2*n/3, n-4))
}

// longRun returns the first maximal run of text shared with form that is
// longer than limit and not inside known words.
func longRun(text, form string, limit int, known func(string) bool) string {
	w := limit + 1
	for i := 0; i+w <= len(form); i++ {
		for off := 0; ; {
			j := strings.Index(text[off:], form[i:i+w])
			if j < 0 {
				break
			}
			a, b, fa, fb := off+j, off+j+w, i, i+w
			off += j + 1
			for a > 0 && fa > 0 && text[a-1] == form[fa-1] {
				a, fa = a-1, fa-1
			}
			for b < len(text) && fb < len(form) && text[b] == form[fb] {
				b, fb = b+1, fb+1
			}
			if !inKnown(text, a, b, known) {
				return text[a:b]
			}
		}
	}
	return ""
}

// encodedForms returns secret JSON-escaped (with and without the HTML
// escapes, and with "/" escaped) and URL-encoded (query and path).
func encodedForms(secret string) []string {
	var forms []string
	for _, html := range [...]bool{true, false} {
		var b strings.Builder
		enc := json.NewEncoder(&b)
		enc.SetEscapeHTML(html)
		if enc.Encode(secret) == nil {
			q := strings.TrimSuffix(b.String(), "\n")
			forms = append(forms, q[1:len(q)-1])
		}
	}
	forms = append(forms, strings.ReplaceAll(forms[len(forms)-1], "/", `\/`), url.QueryEscape(secret), url.PathEscape(secret))
	return forms
}

// foldText returns s with every run of white space (and the format
// characters inside it) as one space and every other format character
// (Unicode Cf from U+00AD on) dropped.
func foldText(s string) string {
	var b strings.Builder
	space := false
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case unicode.IsSpace(r):
			space = true
		case r >= 0xad && unicode.Is(unicode.Cf, r):
		default:
			if space {
				b.WriteByte(' ')
				space = false
			}
			b.WriteString(s[i : i+size]) // invalid bytes stay as they are
		}
		i += size
	}
	if space {
		b.WriteByte(' ')
	}
	return b.String()
}

// inKnown reports whether s[a:b] lies inside words of s for which known
// reports true.
func inKnown(s string, a, b int, known func(string) bool) bool {
	if known == nil || a >= b {
		return false
	}
	for i := a; i < b; {
		if !isWordByte(s[i]) {
			return false
		}
		ws, we := i, i
		for ws > 0 && isWordByte(s[ws-1]) {
			ws--
		}
		for we < len(s) && isWordByte(s[we]) {
			we++
		}
		if !known(s[ws:we]) {
			return false
		}
		i = we
	}
	return true
}

func isWordByte(c byte) bool {
	return c == '_' || ('0' <= c && c <= '9') || ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z')
}
