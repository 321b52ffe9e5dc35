package awsjson

import (
	"encoding/json"
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/kmskit/kms/internal/display"
	"github.com/kmskit/kms/internal/kmsmodel"
)

// Redacted is the one marker this library prints in place of a secret: in
// the printed forms of inputs and where a server echoed a secret back.
const Redacted = "[REDACTED]"

const (
	// minSecret is the shortest secret value that is scrubbed at all;
	// shorter ones would wipe ordinary words out of every message.
	minSecret = 4
	// minRun is the shortest run shared with a secret that is removed
	// wherever it appears (when it is also longer than half the secret).
	minRun = 6
	// minCut is the shortest prefix (or suffix) of a secret removed where
	// a text was cut.
	minCut = 4
)

// Scrubber removes the secret values of one call from text a server sent
// back: a service, or something in front of it, may echo the request. It
// removes exactly:
//
//   - each secret whole, and its JSON-escaped and URL-encoded forms, also
//     with its white space changed (any run of white space matching any
//     other, so a tab for a space or a doubled space) or with an invisible
//     format character (U+200B, U+202E, ...) put inside (or, from a secret
//     that holds one, taken out);
//   - any run shared with a secret that is longer than half of it and at
//     least 6 bytes long, unless it is a short piece of another word: at
//     most two thirds of the secret and at least 4 bytes short of it, with
//     a letter or digit right before and right after it, and at most half
//     of the word (the run of non-space characters) it sits in, as the 7
//     bytes "er-free" are of the cluster ID "cluster-free23456abc" with the
//     password "kmsuser-free";
//   - where a text was cut, the prefix of a secret (4 bytes or more) it ends
//     in: at the end of a text the library cut (TrimCut: also a shorter
//     one that the cut mark would complete), and before a "..." or "…"
//     anywhere; and the suffix of a secret that follows a "..." or "…".
//
// Nothing else: a word that shares a few bytes with a secret stays whole.
// A known word (an error code such as "CustomKeyStoreInvalidStateException"
// or a member name such as "KeyStorePassword", see kmsmodel.IsKnownWord)
// is never altered, even where a secret shares a run with it. Matching
// preserves case. A nil *Scrubber changes nothing.
//
// The caller passes the secret values of the call: package kms lists them
// (secretValues) as internal/kmsmodel marks them Sensitive.
type Scrubber struct {
	forms  []string // distinct forms of the secrets, each >= minSecret bytes
	known  func(word string) bool
	space  bool // some form holds white space
	format bool // some form holds a format character
}

// NewScrubber returns a Scrubber for secrets that keeps the known words of
// internal/kmsmodel whole, or nil when no secret is at least minSecret
// bytes long.
func NewScrubber(secrets ...string) *Scrubber {
	return NewScrubberKeeping(kmsmodel.IsKnownWord, secrets...)
}

// NewScrubberKeeping is NewScrubber keeping whole every word (a run of
// letters, digits and '_') for which known reports true.
func NewScrubberKeeping(known func(word string) bool, secrets ...string) *Scrubber {
	var sc *Scrubber
	for _, s := range secrets {
		if len(s) < minSecret {
			continue
		}
		if sc == nil {
			sc = &Scrubber{forms: make([]string, 0, 2*len(secrets)), known: known}
		}
		sc.add(s)
		sc.add(jsonEscaped(s, true))
		sc.add(jsonEscaped(s, false))
		sc.add(strings.ReplaceAll(jsonEscaped(s, false), "/", `\/`))
		sc.add(url.QueryEscape(s))
		sc.add(url.PathEscape(s))
	}
	return sc
}

func (sc *Scrubber) add(form string) {
	if len(form) < minSecret {
		return
	}
	for _, f := range sc.forms {
		if f == form {
			return
		}
	}
	if strings.IndexFunc(form, unicode.IsSpace) >= 0 {
		sc.space = true
	}
	if hasFormat(form) {
		sc.format = true
	}
	sc.forms = append(sc.forms, form)
}

// Scrub returns text with every run that Scrubber removes replaced by
// Redacted. It returns text itself, without allocating, when there is
// nothing to replace. What it returns has nothing left to remove: removing
// a run can make a neighbouring piece of a word stand alone, and the
// marker's own "]" can complete a secret with what follows it, so it
// scrubs again until nothing changes; a text still changing after
// maxScrubRounds passes (a hostile echo such as "]00000" before many
// zeros, for the secret "]00000") is Redacted whole.
func (sc *Scrubber) Scrub(text string) string {
	if sc == nil || len(text) < minSecret {
		return text
	}
	out := sc.scrubOnce(text)
	if out == text {
		return text
	}
	for range maxScrubRounds {
		next := sc.scrubOnce(out)
		if next == out {
			return out
		}
		out = next
	}
	return Redacted
}

// maxScrubRounds bounds the passes of Scrub after the first.
const maxScrubRounds = 8

// scrubOnce is one pass of Scrub.
func (sc *Scrubber) scrubOnce(text string) string {
	var m marks
	for _, f := range sc.forms {
		m.mark(text, text, f, nil)
	}
	// The folded forms, where white space or a format character can make a
	// difference: in the text, or in a secret that an echo may drop it from.
	// A text without either is its own folded view.
	if (sc.space && strings.IndexFunc(text, unicode.IsSpace) >= 0) || sc.format || hasFormat(text) {
		v := newFoldedView(text)
		for _, f := range sc.forms {
			m.mark(text, v.text, fold(f), v)
		}
	} else if sc.space {
		for _, f := range sc.forms {
			if ff := fold(f); ff != f {
				m.mark(text, text, ff, nil)
			}
		}
	}
	if m.cov == nil || !sc.keepKnown(text, m.cov) {
		return text
	}
	return replaceRuns(text, m.cov)
}

// ScrubBytes is Scrub for a body.
func (sc *Scrubber) ScrubBytes(b []byte) []byte {
	if sc == nil {
		return b
	}
	s := string(b)
	if t := sc.Scrub(s); t != s {
		return []byte(t)
	}
	return b
}

// TrimCut drops from the end of kept, a text the library cut there, the
// longest prefix of a secret of at least minCut bytes that it ends in:
// what the cut left of an echoed secret; again, until it ends in none. A
// shorter prefix goes too when the secret goes on with "..." or "…" (the
// cut mark would complete it). Dots kept ends in count as the start of the
// cut mark. A known word it ends in stays: only what follows the word goes.
func (sc *Scrubber) TrimCut(kept string) string {
	if sc == nil {
		return kept
	}
	for changed := true; changed; {
		changed = false
		for _, f := range sc.forms {
			for _, form := range [2]string{f, fold(f)} {
				if at, ok := sc.cutAt(kept, form); ok {
					kept, changed = kept[:at], true
				}
			}
		}
	}
	return kept
}

// cutAt returns where TrimCut cuts kept for form; false when kept ends in
// no prefix of form to drop. Dots kept ends in are read as the start of the
// "..." that follows it: "0000." then shows "0000" before "...".
func (sc *Scrubber) cutAt(kept, form string) (int, bool) {
	for _, text := range [2]string{kept, strings.TrimRight(kept, ".")} {
		k := longestPrefixAtEnd(text, form)
		if k == 0 {
			k = prefixBeforeEllipsis(text, form)
		}
		if k == 0 {
			continue
		}
		at := len(text) - k
		for at < len(kept) && sc.inKnownWord(kept, at) {
			at++
		}
		if at < len(kept) {
			return at, true
		}
	}
	return 0, false
}

// prefixBeforeEllipsis returns the length of the longest prefix of form,
// shorter than minCut, that text ends in and that form follows with "..."
// or "…"; 0 if none.
func prefixBeforeEllipsis(text, form string) int {
	for k := min(minCut-1, len(text), len(form)); k >= 1; k-- {
		if text[len(text)-k:] == form[:k] && (strings.HasPrefix(form[k:], "...") || strings.HasPrefix(form[k:], "…")) {
			return k
		}
	}
	return 0
}

// Cut returns s, a scrubbed text, when it is at most limit bytes, else its
// start, cut on a character boundary with room for "...", without what the
// cut left of a secret (see TrimCut), and "...". A cut can break a known
// word that holds a secret ("CustomKeyStoreInvalidState" of
// "CustomKeyStoreInvalidStateException"), which then is no known word: the
// start is cut again before what Scrub would change, until Scrub changes
// nothing.
func (sc *Scrubber) Cut(s string, limit int) string {
	if len(s) <= limit {
		return s
	}
	return sc.trimScrubbedCut(display.Head(s, limit-3)) + "..."
}

// trimScrubbedCut is TrimCut for head, the start of a scrubbed text. The
// cut can break a known word that holds a secret, which then is no known
// word: head is cut again before what Scrub would change, until Scrub
// changes nothing.
func (sc *Scrubber) trimScrubbedCut(head string) string {
	head = sc.TrimCut(head)
	for t := sc.Scrub(head); t != head; t = sc.Scrub(head) {
		i := 0
		for i < len(head) && i < len(t) && head[i] == t[i] {
			i++
		}
		if i == len(head) { // t goes on from head: the change starts before its end
			i--
		}
		for i > 0 && !utf8.RuneStart(head[i]) {
			i--
		}
		head = sc.TrimCut(head[:i])
	}
	return head
}

// isKnown reports whether word is never altered: a known word, or the
// word of the marker itself.
func (sc *Scrubber) isKnown(word string) bool {
	if word == "REDACTED" {
		return true
	}
	if sc == nil || sc.known == nil {
		return kmsmodel.IsKnownWord(word)
	}
	return sc.known(word)
}

// keepKnown clears cov over every known word of text that it touches, and
// reports whether anything is still covered.
func (sc *Scrubber) keepKnown(text string, cov []bool) bool {
	covered := false
	for i := 0; i < len(text); {
		if !isWordByte(text[i]) {
			covered = covered || cov[i]
			i++
			continue
		}
		j, hit := i, false
		for ; j < len(text) && isWordByte(text[j]); j++ {
			hit = hit || cov[j]
		}
		if hit && sc.isKnown(text[i:j]) {
			clear(cov[i:j])
		} else {
			covered = covered || hit
		}
		i = j
	}
	return covered
}

// inKnownWord reports whether position i of text is inside a known word.
func (sc *Scrubber) inKnownWord(text string, i int) bool {
	if i >= len(text) || !isWordByte(text[i]) {
		return false
	}
	a, b := i, i
	for a > 0 && isWordByte(text[a-1]) {
		a--
	}
	for b < len(text) && isWordByte(text[b]) {
		b++
	}
	return sc.isKnown(text[a:b])
}

func isWordByte(c byte) bool {
	return c == '_' || ('0' <= c && c <= '9') || ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z')
}

// runLen is the length of the shortest run of a form of n bytes that is
// removed: longer than half of it and at least minRun bytes; the whole
// form when it is shorter than minRun.
func runLen(n int) int {
	if n < minRun {
		return n
	}
	return max(minRun, n/2+1)
}

// marks are the bytes of a text that Scrub removes: cov, for whole forms,
// cut prefixes and suffixes and the shared runs that count, and runs, the
// shared runs of one form before addRuns judges them. Each is allocated,
// with the length of the original text, on its first hit.
type marks struct {
	cov, runs []bool
}

// mark marks, in text, every occurrence of form, every run of form of
// runLen(len(form)) bytes or more that counts (see addRuns), and the
// prefix and suffix of form at a "..." or "…" (see Scrubber). With v, text
// is v's folded text of orig and positions map back to orig.
func (m *marks) mark(orig, text, form string, v *foldedView) {
	w := runLen(len(form))
	if w < minSecret || len(text) < minSecret {
		return
	}
	for off := 0; ; {
		j := strings.Index(text[off:], form)
		if j < 0 {
			break
		}
		m.cov = cover(m.cov, off+j, off+j+len(form), text, v)
		off += j + 1
	}
	hit := false
	for i := 0; w < len(form) && i+w <= len(form) && w <= len(text); i++ {
		piece := form[i : i+w]
		for off := 0; ; {
			j := strings.Index(text[off:], piece)
			if j < 0 {
				break
			}
			m.runs = cover(m.runs, off+j, off+j+w, text, v)
			hit = true
			off += j + 1
		}
	}
	if hit {
		m.addRuns(orig, len(form))
		clear(m.runs)
	}
	for _, ellipsis := range [...]string{"...", "…"} {
		for off := 0; ; {
			j := strings.Index(text[off:], ellipsis)
			if j < 0 {
				break
			}
			at := off + j
			if k := longestPrefixAtEnd(text[:at], form); k > 0 {
				m.cov = cover(m.cov, at-k, at, text, v)
			}
			after := at + len(ellipsis)
			if k := longestSuffixAtStart(text[after:], form); k > 0 {
				m.cov = cover(m.cov, after, after+k, text, v)
			}
			off = at + 1
		}
	}
}

// addRuns adds to cov each maximal run of runs (shared with a form of n
// bytes), widened to whole characters, unless it is a short piece of
// another word (see pieceOfWord).
func (m *marks) addRuns(text string, n int) {
	for i := 0; m.runs != nil && i < len(text); {
		if !m.runs[i] {
			i++
			continue
		}
		a, b := i, i
		for b < len(text) && (m.runs[b] || !utf8.RuneStart(text[b])) {
			b++
		}
		for a > 0 && !utf8.RuneStart(text[a]) {
			a--
		}
		i = b
		if pieceOfWord(text, a, b, n) {
			continue
		}
		if m.cov == nil {
			m.cov = make([]bool, len(text))
		}
		for k := a; k < b; k++ {
			m.cov[k] = true
		}
	}
}

// pieceOfWord reports whether text[a:b], a run shared with a form of n
// bytes, is a short piece of another word: it is at most maxPiece(n)
// bytes, a letter or digit stands right before and right after it, and it
// is at most half of the run of non-space characters it sits in.
func pieceOfWord(text string, a, b, n int) bool {
	if b-a > maxPiece(n) {
		return false
	}
	before, _ := utf8.DecodeLastRuneInString(text[:a])
	after, _ := utf8.DecodeRuneInString(text[b:])
	if a == 0 || b == len(text) || !isWordRune(before) || !isWordRune(after) {
		return false
	}
	ws, we := a, b
	for ws > 0 {
		r, size := utf8.DecodeLastRuneInString(text[:ws])
		if unicode.IsSpace(r) {
			break
		}
		ws -= size
	}
	for we < len(text) {
		r, size := utf8.DecodeRuneInString(text[we:])
		if unicode.IsSpace(r) {
			break
		}
		we += size
	}
	return 2*(b-a) <= we-ws
}

// maxPiece is the longest run shared with a secret of n bytes that may be
// kept as a piece of another word: at most two thirds of the secret, and
// at least 4 of its bytes missing (so "Password1" of "Password1!" goes).
func maxPiece(n int) int { return min(2*n/3, n-4) }

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// longestPrefixAtEnd returns the length of the longest proper prefix of
// form, of at least minCut bytes, that text ends in; 0 if none.
func longestPrefixAtEnd(text, form string) int {
	for k := min(len(form)-1, len(text)); k >= minCut; k-- {
		if text[len(text)-k:] == form[:k] {
			return k
		}
	}
	return 0
}

// longestSuffixAtStart returns the length of the longest proper suffix of
// form, of at least minCut bytes, that text starts with; 0 if none.
func longestSuffixAtStart(text, form string) int {
	for k := min(len(form)-1, len(text)); k >= minCut; k-- {
		if text[:k] == form[len(form)-k:] {
			return k
		}
	}
	return 0
}

// cover marks text[a:b] (of v's folded text when v is set) in cov.
func cover(cov []bool, a, b int, text string, v *foldedView) []bool {
	n := len(text)
	if v != nil {
		n = v.origLen
		a, b = v.starts[a], v.ends[b-1]
	}
	if cov == nil {
		cov = make([]bool, n)
	}
	for k := a; k < b; k++ {
		cov[k] = true
	}
	return cov
}

// replaceRuns replaces each run of covered bytes, widened to whole
// characters, with Redacted.
func replaceRuns(text string, cov []bool) string {
	var b strings.Builder
	b.Grow(len(text))
	for i := 0; i < len(text); {
		if !cov[i] {
			j := i
			for j < len(text) && !cov[j] {
				j++
			}
			// Leave out the leading bytes of a character the run starts in.
			end := j
			if j < len(text) {
				for end > i && !utf8.RuneStart(text[end]) {
					end--
				}
			}
			b.WriteString(text[i:end])
			i = j
			continue
		}
		j := i
		for j < len(text) && (cov[j] || !utf8.RuneStart(text[j])) {
			j++
		}
		b.WriteString(Redacted)
		i = j
	}
	return b.String()
}

// foldedView is a text with every run of white space folded to one space
// and every format character dropped, with, for each byte of it, the start
// and end of what it stands for in the original.
type foldedView struct {
	text         string
	starts, ends []int
	origLen      int
}

func newFoldedView(text string) *foldedView {
	var b strings.Builder
	b.Grow(len(text))
	v := &foldedView{starts: make([]int, 0, len(text)), ends: make([]int, 0, len(text)), origLen: len(text)}
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		switch {
		case unicode.IsSpace(r):
			j := i + size
			for j < len(text) {
				r2, s2 := utf8.DecodeRuneInString(text[j:])
				if !unicode.IsSpace(r2) && !display.IsFormat(r2) {
					break
				}
				j += s2
			}
			b.WriteByte(' ')
			v.starts, v.ends = append(v.starts, i), append(v.ends, j)
			i = j
		case display.IsFormat(r):
			// Dropped: the bytes around it join, and a match that spans it
			// covers it too (its end extends the previous byte).
			if n := len(v.ends); n > 0 {
				v.ends[n-1] = i + size
			}
			i += size
		default:
			for k := 0; k < size; k++ {
				b.WriteByte(text[i+k])
				v.starts, v.ends = append(v.starts, i+k), append(v.ends, i+k+1)
			}
			i += size
		}
	}
	v.text = b.String()
	return v
}

// fold returns s with every run of white space folded to one space and
// every format character dropped, as foldedView sees a text.
func fold(s string) string {
	if strings.IndexFunc(s, unicode.IsSpace) < 0 && !hasFormat(s) {
		return s
	}
	return newFoldedView(s).text
}

// hasFormat reports whether s holds a format character (see
// display.IsFormat).
func hasFormat(s string) bool {
	for i := 0; i < len(s); {
		if s[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if display.IsFormat(r) {
			return true
		}
		i += size
	}
	return false
}

// jsonEscaped returns s as it appears inside a JSON string, with or without
// the HTML escapes (\u003c ...) that Go's encoder adds by default.
func jsonEscaped(s string, html bool) string {
	plain := true
	for i := 0; i < len(s) && plain; i++ {
		c := s[i]
		plain = c >= 0x20 && c < 0x80 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&'
	}
	if plain {
		return s // the common case, without encoding/json's pooled state
	}
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(html)
	if enc.Encode(s) != nil {
		return s
	}
	out := strings.TrimSuffix(b.String(), "\n")
	return out[1 : len(out)-1]
}
