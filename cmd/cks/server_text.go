package main

import (
	"bytes"
	"encoding/json"
	"io"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/kmskit/kms/internal/display"
)

// writeJSON writes v as indented JSON, as encoding/json does (without
// escaping <, > and &, which are no danger here), with DEL, C1 controls
// and format characters such as U+202E written as \u escapes as well
// (encoding/json escapes only those below U+0020 and U+2028/U+2029): the
// output is the same JSON value, and printing it on a terminal shows what
// a server sent instead of acting on it.
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
		// Below DEL, only JSON's own characters remain: encoding/json has
		// escaped every control character inside a string.
		if r >= 0x7f && (display.IsControl(r) || display.IsFormat(r)) {
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
