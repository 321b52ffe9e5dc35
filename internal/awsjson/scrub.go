package awsjson

import (
	"encoding/json"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Redacted is the one marker this library prints in place of a secret: in
// the printed forms of inputs and where a server echoed a secret back.
const Redacted = "[REDACTED]"

const (
	// minSecret is the shortest secret value that is scrubbed at all;
	// shorter ones would wipe ordinary words out of every message.
	minSecret = 4
	// minFragment is the length of the shortest piece of a secret that is
	// scrubbed wherever it appears: no 6-byte (so no 6-character) substring
	// of a secret survives.
	minFragment = 6
	// minPrefix is the shortest prefix of a secret dropped where a text is
	// cut.
	minPrefix = 4
)

// Scrubber removes the secret values of one call from text a server sent
// back: a service, or something in front of it, may echo the request. It
// matches each secret as sent, JSON-escaped, and with its white space
// normalised (any run of white space matching any other), always case
// preserved; and it matches every piece of minFragment bytes of those forms,
// so an altered or cut echo is caught too. A nil *Scrubber changes nothing.
//
// The caller passes the secret values of the call: package kms lists them
// (secretValues) as internal/kmsmodel marks them Sensitive.
type Scrubber struct {
	forms []string // distinct forms of the secrets, each >= minSecret bytes
	space bool     // some form holds white space: scan a normalised view too
}

// NewScrubber returns a Scrubber for secrets, or nil when none is at least
// minSecret bytes long.
func NewScrubber(secrets ...string) *Scrubber {
	n := 0
	for _, s := range secrets {
		if len(s) >= minSecret {
			n++
		}
	}
	if n == 0 {
		return nil
	}
	sc := Scrubber{forms: make([]string, 0, 2*n)}
	for _, s := range secrets {
		if len(s) < minSecret {
			continue
		}
		sc.add(s)
		sc.add(jsonEscaped(s, true))
		sc.add(jsonEscaped(s, false))
		sc.add(strings.ReplaceAll(jsonEscaped(s, false), "/", `\/`))
		sc.add(normalizeSpace(s))
	}
	if len(sc.forms) == 0 {
		return nil
	}
	return &sc
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
	sc.forms = append(sc.forms, form)
}

// Scrub returns text with every run that holds a secret, or a piece of one
// at least minFragment bytes long, replaced by Redacted. It returns text
// itself, without allocating, when there is nothing to replace.
func (sc *Scrubber) Scrub(text string) string {
	if sc == nil || len(text) < minSecret {
		return text
	}
	var cov []bool
	for _, f := range sc.forms {
		cov = mark(text, f, cov, nil, nil)
	}
	if sc.space && strings.IndexFunc(text, unicode.IsSpace) >= 0 {
		norm, starts, ends := normalizedView(text)
		for _, f := range sc.forms {
			cov = mark(norm, normalizeSpace(f), cov, starts, ends)
		}
	}
	if cov == nil {
		return text
	}
	return replaceRuns(text, cov)
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

// TrimCut drops from the end of kept, a text that was cut there, any
// fragment of at least minPrefix bytes that is a prefix of a secret: what
// the cut left of an echoed secret.
func (sc *Scrubber) TrimCut(kept string) string {
	if sc == nil {
		return kept
	}
	for _, f := range sc.forms {
		for _, form := range [2]string{f, normalizeSpace(f)} {
			for k := min(len(form)-1, len(kept)); k >= minPrefix; k-- {
				if strings.HasSuffix(kept, form[:k]) {
					kept = kept[:len(kept)-k]
					break
				}
			}
		}
	}
	return kept
}

// ScrubError returns err, or, when its text holds a secret, an error with
// the scrubbed text that unwraps to err (so errors.Is and errors.As, and a
// retryer's classification, still work).
func (sc *Scrubber) ScrubError(err error) error {
	if sc == nil || err == nil {
		return err
	}
	text := err.Error()
	if clean := sc.Scrub(text); clean != text {
		return &scrubbedError{text: clean, err: err}
	}
	return err
}

// scrubbedError is an error whose text had a secret scrubbed out.
type scrubbedError struct {
	text string
	err  error
}

func (e *scrubbedError) Error() string { return e.text }
func (e *scrubbedError) Unwrap() error { return e.err }

// mark sets cov for every byte of text covered by a piece of form of
// minFragment bytes (the whole form when it is shorter). With starts and
// ends, text is a normalised view and positions map back through them.
// cov is allocated, with the length of the original text, on the first hit.
func mark(text, form string, cov []bool, starts, ends []int) []bool {
	w := min(minFragment, len(form))
	if w < minSecret || len(text) < w {
		return cov
	}
	origLen := len(text)
	if starts != nil {
		origLen = ends[len(ends)-1]
	}
	for i := 0; i+w <= len(form); i++ {
		piece := form[i : i+w]
		for off := 0; off+w <= len(text); {
			j := strings.Index(text[off:], piece)
			if j < 0 {
				break
			}
			a, b := off+j, off+j+w
			if starts != nil {
				a, b = starts[a], ends[b-1]
			}
			if cov == nil {
				cov = make([]bool, origLen)
			}
			for k := a; k < b; k++ {
				cov[k] = true
			}
			off += j + 1
		}
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

// normalizedView returns text with every run of white space folded to one
// space, and for each byte of it the start and end of what it stands for in
// text.
func normalizedView(text string) (norm string, starts, ends []int) {
	var b strings.Builder
	b.Grow(len(text))
	starts = make([]int, 0, len(text))
	ends = make([]int, 0, len(text))
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		if unicode.IsSpace(r) {
			j := i + size
			for j < len(text) {
				r2, s2 := utf8.DecodeRuneInString(text[j:])
				if !unicode.IsSpace(r2) {
					break
				}
				j += s2
			}
			b.WriteByte(' ')
			starts, ends = append(starts, i), append(ends, j)
			i = j
			continue
		}
		for k := 0; k < size; k++ {
			b.WriteByte(text[i+k])
			starts, ends = append(starts, i+k), append(ends, i+k+1)
		}
		i += size
	}
	return b.String(), starts, ends
}

// normalizeSpace folds every run of white space in s to one space.
func normalizeSpace(s string) string {
	if strings.IndexFunc(s, unicode.IsSpace) < 0 {
		return s
	}
	norm, _, _ := normalizedView(s)
	return norm
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
