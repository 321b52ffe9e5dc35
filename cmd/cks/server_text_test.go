package main

import (
	"bytes"
	"encoding/json"
	"testing"
)

func TestPrintable(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"plain CONNECTED", "plain CONNECTED"},
		{"ünïcode …MPLE", "ünïcode …MPLE"},
		{"\x1b[2Jclear", "[2Jclear"},
		{"\x1b]0;title\x07x", "]0;titlex"},
		{"row\r\nforged\tcol", "row  forged col"},
		{"abc\u202edcba\u2066\u200b", "abcdcba"},
		{"a\u2028b\u2029c", "abc"},
		{"del\x7f c1\u0085\u009b", "del c1"},
		{"bad\xff\xfeutf8", "badutf8"},
		{"tag\U000E0041", "tag"},
	} {
		if got := printable(c.in); got != c.want {
			t.Errorf("printable(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// TestWriteJSONEscapesHiddenCharacters: writeJSON's output decodes to the
// same value and holds none of the characters printable drops, outside
// ASCII's newline of the indentation.
func TestWriteJSONEscapesHiddenCharacters(t *testing.T) {
	in := map[string]string{"s": "\x1b[2J\x07\r\n\t\x7f\u0085\u202e\u2028\u200b\U000E0041 <&> ok"}
	var buf bytes.Buffer
	if err := writeJSON(&buf, in); err != nil {
		t.Fatal(err)
	}
	want := "{\n  \"s\": \"\\u001b[2J\\u0007\\r\\n\\t\\u007f\\u0085\\u202e\\u2028\\u200b\\udb40\\udc41 <&> ok\"\n}\n"
	if buf.String() != want {
		t.Errorf("writeJSON = %q, want %q", buf.String(), want)
	}
	var out map[string]string
	if err := json.Unmarshal(buf.Bytes(), &out); err != nil || out["s"] != in["s"] {
		t.Errorf("decoded %q (%v), want %q", out["s"], err, in["s"])
	}
}
