package awsjson

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
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
		{"multi-byte xäöü-geh", "multi-byte x[REDACTED]"},
		// A short piece of another word (at most 2/3 of the secret and 4
		// bytes short of it; inside the word, and at most half of it) stays;
		// a longer one goes, however long the word.
		{"id xyzPw-Secret-abcdefghijklmnop", "id xyzPw-Secret-abcdefghijklmnop"},
		{"id xyzPw-Secret-4abcdefghijklmn", "id xyz[REDACTED]abcdefghijklmn"},
		{"id xyzPw-Secret-4abc", "id xyz[REDACTED]abc"},
		{"url https://h/Pw-Secret-4/kms/xks/v1/and/more/path", "url https://h/[REDACTED]/kms/xks/v1/and/more/path"},
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

	// Until nothing is left to trim: a first trim can leave another prefix.
	assert.Equal(t, "z", NewScrubber("aaaab").TrimCut("zaaaaaaaa"))
	// A known word stays; what follows it goes.
	assert.Equal(t, "kms: ValidationException", NewScrubber("ion: abcdef").TrimCut("kms: ValidationException: ab"))
	assert.Equal(t, "kms: ", NewScrubber("ValidationExcepZZ").TrimCut("kms: ValidationExcep"), "a piece of a known word is no known word")
	// A prefix under 4 bytes goes when the cut mark would complete it.
	dots := NewScrubber("000...abc")
	assert.Equal(t, "x ", dots.TrimCut("x 000"))
	assert.Equal(t, "x ...", dots.Cut("x 000"+strings.Repeat("y", 20), 8))
	assert.Equal(t, "x 12", NewScrubber("12abcdefgh").TrimCut("x 12"), "3 bytes of a secret that goes on otherwise stay")
	// Dots at the end start the cut mark (fuzz: "0000." and "..." showed
	// "0000" of "000000" before "...").
	zeros := NewScrubber("000000")
	assert.Equal(t, "x ", zeros.TrimCut("x 0000."))
	assert.Equal(t, "x ", zeros.TrimCut("x 0000.."))
	assert.Equal(t, "x 000.", zeros.TrimCut("x 000."), "3 bytes before the dots stay")
	assert.Equal(t, "x ...", zeros.Cut("x 0000.0000000 and more", 10))
}

// TestScrubberFoldedFormWithoutSpaceInText: the runs of a secret's folded
// form count with the folded form's length also in a text without white
// space (fuzz: "    000010" kept "000010", 6 of its folded 7 bytes).
func TestScrubberFoldedFormWithoutSpaceInText(t *testing.T) {
	sc := NewScrubber("    000010")
	assert.Equal(t, "fffff0"+Redacted+"0", sc.Scrub("fffff00000100"))
}

// TestScrubberFormatCharacterTakenOut: a secret that holds a format
// character is removed where the echo dropped it.
func TestScrubberFormatCharacterTakenOut(t *testing.T) {
	sc := NewScrubber("abcde\u200bfghij")
	assert.Equal(t, "x "+Redacted+" y", sc.Scrub("x abcdefghij y"))
	assert.Equal(t, "x "+Redacted+" y", sc.Scrub("x abcde\u200bfghij y"))
	assert.Equal(t, "x abcde y", sc.Scrub("x abcde y"))
}

// TestScrubError: an error whose chain holds a secret becomes one with the
// scrubbed text that unwraps only to the clean parts of the chain (it used
// to unwrap to the echo itself); a clean chain is returned as it is.
func TestScrubError(t *testing.T) {
	sc := NewScrubber("Pw-Secret-4242!")
	base := errors.New("header Pw-Secret-4242! bad")
	err := sc.ScrubError(base)
	assert.Equal(t, "header [REDACTED] bad", err.Error())
	assert.NotErrorIs(t, err, base, "the echo is not reachable by unwrapping")
	assert.Empty(t, errors.Unwrap(err))
	clean := errors.New("clean")
	assert.Same(t, clean, sc.ScrubError(clean))
	cleanChain := fmt.Errorf("outer: %w", clean)
	assert.Same(t, cleanChain, sc.ScrubError(cleanChain))
}

// TestCleanAndExcerptDropFormatCharacters covers cleanScrubbed and Excerpt.
func TestCleanAndExcerptDropFormatCharacters(t *testing.T) {
	assert.Equal(t, "abc", cleanScrubbed("a\u202eb\u200bc", 256, nil))
	assert.Equal(t, "a b", Excerpt([]byte("a\u2066 \u200d b")))
	long := strings.Repeat("x", 300)
	assert.Equal(t, long[:253]+"...", cleanScrubbed(long, 256, nil))
}

// exactPasswords are passwords that share words, or long runs, with member
// names, IDs and error codes: the old rule (every 6-byte window shared with
// a secret) mangled all of them.
var exactPasswords = []string{"kmsuser-password", "kmsuser-free", "InvalidState!", "xStoreInvalid", "Password1!"}

// innocentTexts share words or long runs with exactPasswords but hold
// none of them: member names, IDs, codes and the debug log's body. A
// scrubber for any of those passwords keeps each whole.
var innocentTexts = []string{
	"KeyStorePassword", "CustomKeyStoreName", "NewCustomKeyStoreName", "CloudHsmClusterId",
	"XksProxyAuthenticationCredential", "RawSecretAccessKey",
	"cluster-free23456abc", "cluster-1234abcdefgh", "cks-1234567890abcdef0",
	"kms: CustomKeyStoreInvalidStateException: the custom key store is not DISCONNECTED (status 400)",
	"aws.kms#CustomKeyStoreInvalidStateException",
	"XksProxyInvalidConfigurationException",
	"CloudHsmClusterInvalidConfigurationException: the cluster has 1 HSM",
	"ConnectionErrorCode INVALID_CREDENTIALS",
	`{"CustomKeyStoreId":"cks-1234567890abcdef0","KeyStorePassword":"[REDACTED]"}`,
	"this update sends KeyStorePassword, which KMS changes only while the custom key store is DISCONNECTED",
}

// TestScrubberIsExact: with passwords that share words with member names,
// IDs and codes, every innocent text stays whole, and every echo form is
// still removed.
func TestScrubberIsExact(t *testing.T) {
	for _, pw := range exactPasswords {
		t.Run(pw, func(t *testing.T) {
			sc := NewScrubber(pw)
			for _, text := range innocentTexts {
				assert.Equal(t, text, sc.Scrub(text), "innocent text")
			}
			if pw == "kmsuser-password" {
				msg := "KeyStorePassword is not the password of kmsuser"
				assert.Equal(t, msg, sc.Scrub(msg))
			}
			n := len(pw)
			echoes := map[string]string{
				"whole":                  "bad value " + pw + " given",
				"whole, at the end":      "bad value " + pw,
				"url-encoded":            "bad value " + url.QueryEscape(pw) + " given",
				"path-escaped":           "/p/" + url.PathEscape(pw) + "/q",
				"json-escaped":           `{"m":"` + jsonEscaped(pw, true) + `"}`,
				"run longer than half":   "value " + pw[1:n-1] + " x",
				"prefix before ...":      "value '" + pw[:4] + "...' rejected",
				"prefix before …":        "value '" + pw[:n-2] + "…'",
				"suffix after ...":       "value '..." + pw[n-4:] + "' rejected",
				"format character split": "value " + pw[:n/2] + "\u200b" + pw[n/2:] + " x",
			}
			for name, text := range echoes {
				got := sc.Scrub(text)
				assert.Contains(t, got, Redacted, name)
				assert.NotContains(t, got, pw, name)
				assert.NotContains(t, got, pw[1:n-1], name)
			}
			assert.Equal(t, "value '"+Redacted+"...' rejected", sc.Scrub(echoes["prefix before ..."]))
			assert.Equal(t, "kept ", sc.TrimCut("kept "+pw[:4]), "a cut's prefix of 4 bytes")
			assert.Equal(t, "kept "+pw[:3], sc.TrimCut("kept "+pw[:3]), "3 bytes are no prefix")
			// Runs of half the secret or less stay: they are words, not echoes.
			half := "value " + pw[:n/2] + " x"
			assert.Equal(t, half, sc.Scrub(half))
		})
	}
}

// TestScrubberPieceOfWordBound: a run shared with a secret inside another
// word is kept only up to two thirds of the secret and 4 bytes short of it
// (review: "xxxxPassword1xxxx" kept 9 of the 10 bytes of "Password1!", an
// XKS vendor string 42 of 43 bytes of a secret).
func TestScrubberPieceOfWordBound(t *testing.T) {
	long := "secretSECRETsecretSECRETsecretSECRET1234567" // 43 bytes
	cases := []struct {
		secret, text, want string
	}{
		{"Password1!", "xxxxPassword1xxxx", "xxxx" + Redacted + "xxxx"},
		{"Password1!", "xxxxxxPasswoxxxxxx", "xxxxxxPasswoxxxxxx"}, // 6 bytes: not more than half
		{long, "vendor" + long[:42] + "x", "vendor" + Redacted + "x"},
		{long, "v" + strings.Repeat("a", 30) + long[:28] + strings.Repeat("b", 30), "v" + strings.Repeat("a", 30) + long[:28] + strings.Repeat("b", 30)},
		{long, "v" + strings.Repeat("a", 30) + long[:29] + strings.Repeat("b", 30), "v" + strings.Repeat("a", 30) + Redacted + strings.Repeat("b", 30)},
		{"kmsuser-free", "cluster-free23456abc", "cluster-free23456abc"},                  // 7 of 12 bytes
		{"kmsuser-free", "clustuser-free23456abcdef", "clust" + Redacted + "23456abcdef"}, // 9 of 12
	}
	for _, tc := range cases {
		assert.Equal(t, tc.want, NewScrubber(tc.secret).Scrub(tc.text), "secret %q", tc.secret)
	}
	for n, want := range map[int]int{10: 6, 12: 8, 15: 10, 43: 28, 9: 5, 6: 2} {
		assert.Equal(t, want, maxPiece(n), "maxPiece(%d)", n)
	}
}

// TestScrubberKeepsKnownCodes: a known code is never altered, not even when
// a secret shares a long run with it; an unknown code that holds a secret
// is replaced whole.
func TestScrubberKeepsKnownCodes(t *testing.T) {
	for _, pw := range append(exactPasswords, "StoreInvalidStateEx", "ValidationException") {
		sc := NewScrubber(pw)
		for _, code := range []string{"CustomKeyStoreInvalidStateException", "ValidationException", "XksProxyInvalidConfigurationException", "INVALID_CREDENTIALS"} {
			assert.Equal(t, code, sanitizeCode("aws.kms#"+code+":http://x", sc), pw)
			assert.Equal(t, "kms: "+code+": m", sc.Scrub("kms: "+code+": m"), pw)
		}
		assert.Equal(t, Redacted, sanitizeCode("aws.kms#Bad"+pw+"Exception", sc), pw)
		assert.Equal(t, Redacted, sanitizeCode(pw[1:], sc), pw)
	}
	sc := NewScrubber("InvalidState!")
	assert.Equal(t, "kms: CustomKeyStoreInvalidStateException: store "+Redacted+" is", sc.Scrub("kms: CustomKeyStoreInvalidStateException: store InvalidState! is"))
}

// TestTextsJudgedInPlace: a message or request ID that completes a run of
// a secret with the library's text around it (fuzz: secret " 00000",
// request ID "000...") is Redacted, so the error's whole text is clean.
func TestTextsJudgedInPlace(t *testing.T) {
	sc := NewScrubber(" 00000")
	assert.Equal(t, Redacted, scrubbedRequestID(http.Header{"X-Amzn-Requestid": {"000..."}}, sc))
	assert.Equal(t, "000x", scrubbedRequestID(http.Header{"X-Amzn-Requestid": {"000x"}}, sc))
	assert.Equal(t, "", scrubbedRequestID(http.Header{}, sc))

	s := &Sender{NewError: func(r *ErrorResponse) error {
		return fmt.Errorf("kms: %s: %s (request id %s)", r.Code, r.Message, r.RequestID)
	}}
	er := &ErrorResponse{Code: "ValidationException", Message: "00000x", RequestID: "rid"}
	assert.Equal(t, "kms: ValidationException: [REDACTED] (request id rid)", s.newError(er, sc).Error())
	er = &ErrorResponse{Code: "ValidationException", Message: "m", RequestID: "00000x"}
	assert.Equal(t, "kms: ValidationException: m (request id [REDACTED])", s.newError(er, sc).Error())
	er = &ErrorResponse{Code: "ValidationException", Message: "m", RequestID: "r"}
	assert.Equal(t, "kms: ValidationException: m (request id r)", s.newError(er, sc).Error())
}

// TestScrubberTrimCutShortFoldedForm: a secret whose folded form is
// shorter than the 3 bytes looked at before a cut mark is no panic (fuzz:
// slice bounds out of range [:3] with length 2).
func TestScrubberTrimCutShortFoldedForm(t *testing.T) {
	sc := NewScrubber("\u200b\u200ba\u200b\u200bb")
	assert.NotPanics(t, func() { sc.TrimCut("xyz ab") })
	assert.Equal(t, "xyz ab", sc.TrimCut("xyz ab"), "2 bytes not followed by a cut mark stay")
	assert.NotPanics(t, func() { sc.Cut("xyz abcdefghijklmnopqrstuvwxyz", 10) })
}

// TestScrubberCutBreaksKnownWord: a cut inside a known word that holds a
// secret leaves no known word, so what holds the secret goes too (fuzz:
// the secret "InvalidState" survived as "CustomKeyStoreInvalidState...").
func TestScrubberCutBreaksKnownWord(t *testing.T) {
	sc := NewScrubber("InvalidState")
	text := "fff CustomKeyStoreInvalidStateException"
	assert.Equal(t, text, sc.Scrub(text), "inside the known word the secret stays")
	got := sc.Cut(text, len("fff CustomKeyStoreInvalidState")+3)
	assert.Equal(t, "fff CustomKeyStore...", got)
	assert.Equal(t, got, sc.Scrub(got))
	// What Scrub makes of a start can go on from it ("[REDA" becomes the
	// marker): the start is still cut shorter, and no panic.
	marker := NewScrubber("[REDA")
	assert.Equal(t, "...", marker.Cut("[REDAxxxxxxxx", 8))
	assert.Equal(t, "", marker.trimScrubbedCut("[REDA"))
	// A cut that leaves the known word whole keeps it.
	assert.Equal(t, "fff CustomKeyStoreInvalidStateException...", sc.Cut(text+" and more", len(text)+3))
}

// TestScrubMarkerCompletesNoSecret: the marker's "]" with what follows it
// can complete a secret that starts with "]"; Scrub scrubs again until
// nothing is left, and a text that keeps changing is Redacted whole (fuzz:
// "]00000" before 90 zeros survived after the ninth pass).
func TestScrubMarkerCompletesNoSecret(t *testing.T) {
	sc := NewScrubber("]00000")
	few := sc.Scrub("x]00000" + strings.Repeat("0", 12))
	assert.NotContains(t, few, "]00000")
	assert.Equal(t, few, sc.Scrub(few), "nothing is left to remove")
	assert.Equal(t, Redacted, sc.Scrub("x]00000"+strings.Repeat("0", 90)))
	assert.Equal(t, "clean 00000", sc.Scrub("clean 00000"))
}
