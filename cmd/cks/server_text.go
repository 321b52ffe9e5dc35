package main

import (
	"bytes"
	"encoding/json"
	"io"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// printable returns s, a string a server sent, safe to print on a
// terminal: control characters (ESC, BEL, DEL, C1), format characters
// (bidi overrides such as U+202E, zero-width characters), the line and
// paragraph separators and invalid UTF-8 are dropped, and tab, CR and LF
// become a space, so a server cannot clear the screen, set the terminal's
// title, reorder what is shown or forge a table row. Every string from
// KMS or a proxy that cks prints as text goes through it.
func printable(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\t' || r == '\n' || r == '\r':
			return ' '
		case r == utf8.RuneError || hidden(r):
			return -1
		}
		return r
	}, s)
}

// hidden reports a character that does not show as itself on a terminal
// and can change how what follows it reads: a control character, a format
// character (Unicode category Cf) or U+2028 and U+2029.
func hidden(r rune) bool {
	return unicode.IsControl(r) || unicode.In(r, unicode.Cf, unicode.Zl, unicode.Zp)
}

// writeJSON writes v as indented JSON, as encoding/json does (without
// escaping <, > and &, which are no danger here), with DEL and
// every hidden character outside ASCII written as a \u escape as well
// (encoding/json escapes those below U+0020 and U+2028/U+2029, not DEL, C1
// controls or U+202E): the output is the same JSON value, and printing it
// on a terminal shows what a server sent instead of acting on it.
func writeJSON(w io.Writer, v any) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return err
	}
	b := buf.Bytes()
	out := make([]byte, 0, len(b))
	for len(b) > 0 {
		r, size := utf8.DecodeRune(b)
		if r == 0x7f || (r >= utf8.RuneSelf && hidden(r)) {
			out = appendJSONEscape(out, r)
		} else {
			out = append(out, b[:size]...)
		}
		b = b[size:]
	}
	_, err := w.Write(out)
	return err
}

// appendJSONEscape appends r as a JSON \u escape, a surrogate pair beyond
// the Basic Multilingual Plane.
func appendJSONEscape(dst []byte, r rune) []byte {
	units := []rune{r}
	if r > 0xffff {
		r1, r2 := utf16.EncodeRune(r)
		units = []rune{r1, r2}
	}
	for _, u := range units {
		dst = append(dst, `\u`...)
		hex := strconv.FormatInt(int64(u), 16)
		dst = append(dst, "0000"[len(hex):]...)
		dst = append(dst, hex...)
	}
	return dst
}
