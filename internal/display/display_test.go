package display

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestClean: control characters, format characters (bidi overrides, zero
// width) and invalid UTF-8 leave; a clean text comes back as it is, without
// allocating.
func TestClean(t *testing.T) {
	cases := map[string]string{
		"plain text":            "plain text",
		"réquête-✓":             "réquête-✓",
		"a\tb\nc\rd":            "a b c d",
		"\x1b[2J\x1b]0;title\a": "?[2J?]0;title?",
		"row\r\nforged":         "row  forged",
		"evil\u202etxt.exe":     "eviltxt.exe",
		"zero\u200bwidth\ufeff": "zerowidth",
		"bad\xffbyte\x80":       "bad?byte?",
		"del\x7f c1\u0085":      "del? c1?",
	}
	for in, want := range cases {
		assert.Equal(t, want, Clean(in), "Clean(%q)", in)
		assert.True(t, IsClean(Clean(in)))
		assert.Equal(t, in == want, IsClean(in), "IsClean(%q)", in)
	}
	s := "a clean string of some length"
	assert.Zero(t, testing.AllocsPerRun(20, func() { _ = Clean(s) }))
}

// TestHeadAndLine: cuts fall on character boundaries; Line cleans and
// marks a cut with "...".
func TestHeadAndLine(t *testing.T) {
	assert.Equal(t, "abc", Head("abc", 5))
	assert.Equal(t, "ab", Head("abc", 2))
	assert.Equal(t, "a", Head("aé", 2), "é is two bytes")
	assert.Equal(t, "", Head("abc", 0))
	assert.Equal(t, "short", Line("short", 10))
	assert.Equal(t, strings.Repeat("x", 7)+"...", Line(strings.Repeat("x", 20), 10))
	assert.Equal(t, "a b...", Line("a\nb\u202ec d e f", 6))
	assert.Equal(t, "unbounded", Line("unbounded", 0))
}

// TestMaskAccessKeyID: the last four characters after "…"; nothing of an
// ID that short.
func TestMaskAccessKeyID(t *testing.T) {
	for id, want := range map[string]string{
		"ABCDE23456FGHIJ7ABCD": "…ABCD",
		"REHEARSEKEY234567OLD": "…7OLD",
		"ABCDE":                "…BCDE",
		"ABCD":                 "…",
		"":                     "…",
	} {
		assert.Equal(t, want, MaskAccessKeyID(id), id)
	}
}
