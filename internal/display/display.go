// Package display makes text that came from a server safe to show a
// person: no control characters that move the cursor, clear a terminal or
// forge a line, no invisible format characters (bidi overrides such as
// U+202E, zero-width spaces) that make a text read differently from what it
// holds, and no invalid UTF-8. The library cleans error text and the
// strings it returns for display with it; cks cleans its table and progress
// output with it.
package display

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Clean returns s as valid UTF-8 without control characters (tab, CR and
// LF become a space; any other control character, C0, C1 or DEL, and any
// invalid byte become '?') or format characters (Unicode category Cf, such
// as U+202E and U+200B, dropped). A clean s is returned as it is, without
// allocating.
func Clean(s string) string {
	if IsClean(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		switch {
		case r == '\t' || r == '\n' || r == '\r':
			b.WriteByte(' ')
		case (r == utf8.RuneError && size == 1) || IsControl(r):
			b.WriteByte('?')
		case IsFormat(r):
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// IsClean reports whether Clean would return s unchanged.
func IsClean(s string) bool {
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c < 0x7f {
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if (r == utf8.RuneError && size == 1) || IsControl(r) || IsFormat(r) {
			return false
		}
		i += size
	}
	return true
}

// Head returns the longest start of s of at most n bytes that ends on a
// character boundary: s itself when it is short enough.
func Head(s string, n int) string {
	if len(s) <= n {
		return s
	}
	if n <= 0 {
		return ""
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// Line returns s cleaned (see Clean) and cut to at most limit bytes, a cut
// text ending in "...": one bounded line for a table cell or a log. A limit
// below 4 does not cut.
func Line(s string, limit int) string {
	s = Clean(s)
	if limit < 4 || len(s) <= limit {
		return s
	}
	return Head(s, limit-3) + "..."
}

// IsControl reports a C0 or C1 control character or DEL.
func IsControl(r rune) bool {
	return r < 0x20 || (r >= 0x7f && r < 0xa0)
}

// IsFormat reports a Unicode format character (category Cf): bidi
// overrides and isolates, zero-width spaces and joiners, the byte order
// mark, ... They are invisible and can make a text read differently from
// what it holds.
func IsFormat(r rune) bool {
	return r >= 0xad && unicode.Is(unicode.Cf, r)
}

// shownKeyIDChars is how much of an XKS AccessKeyId is shown masked:
// enough to tell two credentials apart after a rotation.
const shownKeyIDChars = 4

// MaskAccessKeyID returns the last four characters of an XKS AccessKeyId
// after "…", e.g. "…DE23", as cks describe and the fakes' errors show one;
// an ID that short shows as "…".
func MaskAccessKeyID(id string) string {
	r := []rune(id)
	if len(r) <= shownKeyIDChars {
		return "…"
	}
	return "…" + string(r[len(r)-shownKeyIDChars:])
}
