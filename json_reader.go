package kms

import (
	"errors"
	"strconv"
	"time"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/kmskit/kms/internal/awsjson"
)

// jsonReader reads the JSON of a response body member by member, without
// reflection, as aws-sdk-go-v2's generated decoders do: member names match
// exactly (case-sensitive), unknown members are skipped, null is absent.
// Its errors say where the body is wrong, never what it holds. Every
// string value it returns (str, and so enum) is scrubbed with sc, the
// secrets of the call, here at the one place strings leave the decoder.
type jsonReader struct {
	b     []byte
	i     int
	depth int
	sc    *awsjson.Scrubber // nil: nothing to scrub
}

// maxJSONDepth bounds the nesting of a body, so that a hostile one cannot
// exhaust the stack.
const maxJSONDepth = 64

func (r *jsonReader) fail(what string) error {
	return errors.New(what + " (at byte " + strconv.Itoa(r.i) + ")")
}

func (r *jsonReader) space() {
	for r.i < len(r.b) {
		switch r.b[r.i] {
		case ' ', '\t', '\n', '\r':
			r.i++
		default:
			return
		}
	}
}

// peek returns the next non-space byte, or 0 at the end.
func (r *jsonReader) peek() byte {
	r.space()
	if r.i < len(r.b) {
		return r.b[r.i]
	}
	return 0
}

// null consumes a null and reports whether there was one.
func (r *jsonReader) null() bool {
	if r.peek() == 'n' && len(r.b)-r.i >= 4 && string(r.b[r.i:r.i+4]) == "null" {
		r.i += 4
		return true
	}
	return false
}

// end checks that nothing but space follows the top-level value.
func (r *jsonReader) end() error {
	if r.space(); r.i < len(r.b) {
		return r.fail("data after the JSON value")
	}
	return nil
}

// object starts reading an object: false (and nothing read) for null.
// Read its members with member.
func (r *jsonReader) object() (bool, error) {
	if r.null() {
		return false, nil
	}
	if r.peek() != '{' {
		return false, r.fail("not a JSON object")
	}
	if r.depth++; r.depth > maxJSONDepth {
		return false, r.fail("JSON nested too deeply")
	}
	r.i++
	return true, nil
}

// member returns the name of the object's next member, whose value the
// caller must then read, or ok false after the last one. first is true for
// the first call on an object. The name is only valid until the next read.
func (r *jsonReader) member(first bool) (name []byte, ok bool, err error) {
	c := r.peek()
	switch {
	case c == '}':
		r.i++
		r.depth--
		return nil, false, nil
	case !first && c == ',':
		r.i++
	case !first:
		return nil, false, r.fail("no ',' or '}' after a member")
	}
	if r.peek() != '"' {
		return nil, false, r.fail("not a member name")
	}
	if name, err = r.rawBytes(); err != nil {
		return nil, false, err
	}
	if r.peek() != ':' {
		return nil, false, r.fail("no ':' after a member name")
	}
	r.i++
	return name, true, nil
}

// skipObject reads the rest of an object and drops it.
func (r *jsonReader) skipObject() error {
	for first := true; ; first = false {
		_, ok, err := r.member(first)
		if err != nil || !ok {
			return err
		}
		if err := r.skip(); err != nil {
			return err
		}
	}
}

// array starts reading an array: false (and nothing read) for null. Read
// its elements while element reports true.
func (r *jsonReader) array() (bool, error) {
	if r.null() {
		return false, nil
	}
	if r.peek() != '[' {
		return false, r.fail("not a JSON array")
	}
	if r.depth++; r.depth > maxJSONDepth {
		return false, r.fail("JSON nested too deeply")
	}
	r.i++
	return true, nil
}

// element reports whether the array has another element to read, after
// the first call (first true) or after reading one.
func (r *jsonReader) element(first bool) (bool, error) {
	c := r.peek()
	switch {
	case c == ']':
		r.i++
		r.depth--
		return false, nil
	case first:
		return true, nil
	case c == ',':
		r.i++
		return true, nil
	}
	return false, r.fail("no ',' or ']' after an element")
}

// str reads a string member into *dst, scrubbed of r.sc's secrets; null
// leaves it nil.
func (r *jsonReader) str(dst **string) error {
	if r.null() {
		*dst = nil
		return nil
	}
	if r.peek() != '"' {
		return r.fail("not a JSON string")
	}
	s, err := r.rawString()
	if err != nil {
		return err
	}
	s = r.sc.Scrub(s)
	*dst = &s
	return nil
}

// boolean reads a boolean member into *dst; null leaves it false.
func (r *jsonReader) boolean(dst *bool) error {
	if r.null() {
		*dst = false
		return nil
	}
	r.space()
	switch {
	case len(r.b)-r.i >= 4 && string(r.b[r.i:r.i+4]) == "true":
		r.i += 4
		*dst = true
	case len(r.b)-r.i >= 5 && string(r.b[r.i:r.i+5]) == "false":
		r.i += 5
		*dst = false
	default:
		return r.fail("not a JSON boolean")
	}
	return nil
}

// number reads a number member's literal into *dst; null leaves it "".
func (r *jsonReader) number(dst *string) error {
	if r.null() {
		*dst = ""
		return nil
	}
	r.space()
	start := r.i
	if r.i < len(r.b) && r.b[r.i] == '-' {
		r.i++
	}
	digits := func() int {
		n := 0
		for r.i < len(r.b) && '0' <= r.b[r.i] && r.b[r.i] <= '9' {
			r.i++
			n++
		}
		return n
	}
	switch {
	case r.i < len(r.b) && r.b[r.i] == '0':
		r.i++
	case digits() == 0:
		r.i = start
		return r.fail("not a JSON number")
	}
	if r.i < len(r.b) && r.b[r.i] == '.' {
		r.i++
		if digits() == 0 {
			return r.fail("not a JSON number")
		}
	}
	if r.i < len(r.b) && (r.b[r.i] == 'e' || r.b[r.i] == 'E') {
		r.i++
		if r.i < len(r.b) && (r.b[r.i] == '+' || r.b[r.i] == '-') {
			r.i++
		}
		if digits() == 0 {
			return r.fail("not a JSON number")
		}
	}
	*dst = string(r.b[start:r.i])
	return nil
}

// skip reads any value and drops it.
func (r *jsonReader) skip() error {
	switch c := r.peek(); {
	case c == '{':
		if _, err := r.object(); err != nil {
			return err
		}
		return r.skipObject()
	case c == '[':
		if _, err := r.array(); err != nil {
			return err
		}
		for first := true; ; first = false {
			more, err := r.element(first)
			if err != nil || !more {
				return err
			}
			if err := r.skip(); err != nil {
				return err
			}
		}
	case c == '"':
		_, err := r.rawString()
		return err
	case c == 't' || c == 'f':
		var b bool
		return r.boolean(&b)
	case c == 'n':
		if r.null() {
			return nil
		}
		return r.fail("not a JSON value")
	default:
		var n string
		return r.number(&n)
	}
}

// rawString reads the string at r.i (which is '"'), decoding escapes as
// encoding/json does: a lone surrogate or an invalid UTF-8 byte becomes
// U+FFFD.
func (r *jsonReader) rawString() (string, error) {
	b, err := r.rawBytes()
	return string(b), err
}

// rawBytes is rawString without the copy when the string has no escapes:
// the bytes then alias the body.
func (r *jsonReader) rawBytes() ([]byte, error) {
	r.i++ // the opening quote
	start := r.i
	// Fast path: no escapes and only printable ASCII or valid UTF-8.
	for r.i < len(r.b) {
		c := r.b[r.i]
		if c == '"' {
			s := r.b[start:r.i]
			if utf8.Valid(s) {
				r.i++
				return s, nil
			}
			break
		}
		if c == '\\' || c < 0x20 {
			break
		}
		r.i++
	}
	r.i = start
	out := make([]byte, 0, 16)
	for r.i < len(r.b) {
		c := r.b[r.i]
		switch {
		case c == '"':
			r.i++
			return out, nil
		case c < 0x20:
			return nil, r.fail("control character in a JSON string")
		case c == '\\':
			if r.i+1 >= len(r.b) {
				return nil, r.fail("unterminated JSON string")
			}
			e := r.b[r.i+1]
			r.i += 2
			switch e {
			case '"', '\\', '/':
				out = append(out, e)
			case 'b':
				out = append(out, '\b')
			case 'f':
				out = append(out, '\f')
			case 'n':
				out = append(out, '\n')
			case 'r':
				out = append(out, '\r')
			case 't':
				out = append(out, '\t')
			case 'u':
				u, ok := r.hex4()
				if !ok {
					return nil, r.fail("bad \\u escape in a JSON string")
				}
				rn := rune(u)
				if utf16.IsSurrogate(rn) {
					rn = utf8.RuneError
					save := r.i
					if r.i+1 < len(r.b) && r.b[r.i] == '\\' && r.b[r.i+1] == 'u' {
						r.i += 2
						if u2, ok := r.hex4(); ok {
							if dec := utf16.DecodeRune(rune(u), rune(u2)); dec != utf8.RuneError {
								rn = dec
								save = r.i
							}
						}
					}
					r.i = save
				}
				out = utf8.AppendRune(out, rn)
			default:
				return nil, r.fail("bad escape in a JSON string")
			}
		case c < utf8.RuneSelf:
			out = append(out, c)
			r.i++
		default:
			rn, size := utf8.DecodeRune(r.b[r.i:])
			out = utf8.AppendRune(out, rn) // RuneError for an invalid byte
			r.i += size
		}
	}
	return nil, r.fail("unterminated JSON string")
}

// hex4 reads four hex digits.
func (r *jsonReader) hex4() (uint16, bool) {
	if len(r.b)-r.i < 4 {
		return 0, false
	}
	var v uint16
	for _, c := range r.b[r.i : r.i+4] {
		v <<= 4
		switch {
		case '0' <= c && c <= '9':
			v |= uint16(c - '0')
		case 'a' <= c && c <= 'f':
			v |= uint16(c - 'a' + 10)
		case 'A' <= c && c <= 'F':
			v |= uint16(c - 'A' + 10)
		default:
			return 0, false
		}
	}
	r.i += 4
	return v, true
}

// enum reads a string member into an enum's string; null leaves it "".
func (r *jsonReader) enum(dst *string) error {
	var s *string
	if err := r.str(&s); err != nil {
		return err
	}
	*dst = ""
	if s != nil {
		*dst = *s
	}
	return nil
}

// timestamp reads an awsJson timestamp (epoch seconds) into *dst; null
// leaves it nil.
func (r *jsonReader) timestamp(dst **time.Time) error {
	var lit string
	if err := r.number(&lit); err != nil {
		return err
	}
	*dst = nil
	if lit == "" {
		return nil
	}
	t, err := parseEpochSeconds(lit)
	if err != nil {
		return err
	}
	*dst = &t
	return nil
}

// readObject reads an object into dst, one member at a time with member,
// which reads the members it knows and reports false for the others, which
// are skipped. An error names the member path (".Name[2].Other").
func readObject[T any](r *jsonReader, dst *T, member func(r *jsonReader, dst *T, name []byte) (bool, error)) error {
	ok, err := r.object()
	for first := ok; ok && err == nil; first = false {
		var name []byte
		if name, ok, err = r.member(first); !ok || err != nil {
			break
		}
		var known bool
		switch known, err = member(r, dst, name); {
		case err != nil:
			err = named("."+string(name), err)
		case !known:
			err = r.skip()
		}
	}
	return err
}
