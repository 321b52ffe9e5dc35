package kmstest

import (
	"math"
	"strings"
	"unicode/utf8"
)

// maxEcho bounds, in characters, a request value that a message repeats:
// AWS truncates long values in its validation messages too, and a 1 MiB
// value must not come back in a 1 MiB message (or fill Calls).
const maxEcho = 128

// echo returns v as a message repeats it: at most maxEcho characters, a
// longer value cut on a character boundary and marked "...". Every message
// of the fake KMS and of the fake XKS proxy (SigV4 failures included)
// repeats request values through it.
func echo(v string) string { return cut(v, maxEcho, math.MaxInt, "...") }

// cut returns v when it has at most maxChars characters and maxBytes bytes;
// otherwise its longest prefix within both, cut on a character boundary,
// followed by mark. A cut value is a copy, so it never keeps a long
// original in memory.
func cut(v string, maxChars, maxBytes int, mark string) string {
	if len(v) <= maxChars && len(v) <= maxBytes {
		return v
	}
	for i, n := 0, 0; i < len(v); n++ {
		_, size := utf8.DecodeRuneInString(v[i:])
		if n == maxChars || i+size > maxBytes {
			return strings.Clone(v[:i]) + mark
		}
		i += size
	}
	return v
}
