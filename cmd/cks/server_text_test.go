package main

import (
	"bytes"
	"encoding/json"
	"testing"
)

// TestWriteJSONEscapesHiddenCharacters: writeJSON's output decodes to the
// same value and holds, raw, none of the characters display.Clean
// replaces or drops (but the indentation's newlines).
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
