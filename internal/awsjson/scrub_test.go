package awsjson

import (
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
)

func TestScrubber(t *testing.T) {
	sc := NewScrubber("Pw-Secret-4242!", "tab\tsep  ret", "äöü-geheim", "abc")
	cases := []struct{ in, want string }{
		{"nothing here", "nothing here"},
		{"pw=Pw-Secret-4242! end", "pw=[REDACTED] end"},
		{"twice Pw-Secret-4242!Pw-Secret-4242!", "twice [REDACTED]"},
		{"piece Secret-4 only", "piece [REDACTED] only"},
		{"short Secr stays", "short Secr stays"},
		{"folded tab sep ret!", "folded [REDACTED]!"},
		{"refolded tab\n\nsep\tret!", "refolded [REDACTED]!"},
		{`json "tab\tsep  ret"`, `json "[REDACTED]"`},
		{"multi-byte xäöü-gehy", "multi-byte x[REDACTED]y"},
		{"short secret abc stays a word", "short secret abc stays a word"},
		{`escaped \u003cnone\u003e`, `escaped \u003cnone\u003e`},
	}
	for _, tc := range cases {
		got := sc.Scrub(tc.in)
		assert.Equal(t, tc.want, got, "Scrub(%q)", tc.in)
		assert.True(t, utf8.ValidString(got))
	}
	// No allocation and the same string when nothing matches (secrets
	// without white space need no normalised view).
	plain := NewScrubber("Pw-Secret-4242!", "AKIAEXAMPLEKEYID2345")
	assert.Zero(t, testing.AllocsPerRun(50, func() { _ = plain.Scrub("a clean request id 1234") }))

	var nilSc *Scrubber
	assert.Equal(t, "Pw-Secret-4242!", nilSc.Scrub("Pw-Secret-4242!"))
	assert.Nil(t, NewScrubber("", "ab"))

	// JSON escapes of a secret with quotes, backslashes and HTML.
	js := NewScrubber(`q"u\o<te>&`)
	assert.Equal(t, `m=[REDACTED]`, js.Scrub(`m=q\"u\\o\u003cte\u003e\u0026`))
	assert.Equal(t, `m=[REDACTED]`, js.Scrub(`m=q\"u\\o<te>&`))
}

func TestScrubberTrimCut(t *testing.T) {
	sc := NewScrubber("Pw-Secret-4242!", "tab\tsecret")
	assert.Equal(t, "kept ", sc.TrimCut("kept Pw-S"))
	assert.Equal(t, "kept Pw-", sc.TrimCut("kept Pw-"), "3 bytes are not a fragment")
	assert.Equal(t, "kept ", sc.TrimCut("kept tab s"), "the folded form counts")
	assert.Equal(t, "kept Pw-Sx", sc.TrimCut("kept Pw-Sx"))
}

func TestScrubError(t *testing.T) {
	sc := NewScrubber("Pw-Secret-4242!")
	base := errors.New("header Pw-Secret-4242! bad")
	err := sc.ScrubError(base)
	assert.Equal(t, "header [REDACTED] bad", err.Error())
	assert.ErrorIs(t, err, base)
	clean := errors.New("clean")
	assert.Same(t, clean, sc.ScrubError(clean))
}

// TestCleanAndExcerptDropFormatCharacters covers cleanText and Excerpt.
func TestCleanAndExcerptDropFormatCharacters(t *testing.T) {
	assert.Equal(t, "abc", cleanText("a\u202eb\u200bc", 256))
	assert.Equal(t, "a b", Excerpt([]byte("a\u2066 \u200d b")))
	long := strings.Repeat("x", 300)
	assert.Equal(t, long[:253]+"...", cleanText(long, 256))
}
