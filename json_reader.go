package kms

import (
	"errors"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// jsonReader reads the JSON of a response body member by member, without
// reflection, as aws-sdk-go-v2's generated decoders do: member names match
// exactly (case-sensitive), unknown members are skipped, null is absent.
// Its errors say where the body is wrong, never what it holds.
type jsonReader struct {
	b     []byte
	i     int
	depth int
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

// object reads an object, calling member for each member name; member must
// read the value. A null object calls nothing.
func (r *jsonReader) object(member func(name string) error) error {
	if r.null() {
		return nil
	}
	if r.peek() != '{' {
		return r.fail("not a JSON object")
	}
	if r.depth++; r.depth > maxJSONDepth {
		return r.fail("JSON nested too deeply")
	}
	r.i++
	if r.peek() == '}' {
		r.i++
		r.depth--
		return nil
	}
	for {
		if r.peek() != '"' {
			return r.fail("not a member name")
		}
		name, err := r.rawString()
		if err != nil {
			return err
		}
		if r.peek() != ':' {
			return r.fail("no ':' after a member name")
		}
		r.i++
		if err := member(name); err != nil {
			return err
		}
		switch r.peek() {
		case ',':
			r.i++
		case '}':
			r.i++
			r.depth--
			return nil
		default:
			return r.fail("no ',' or '}' after a member")
		}
	}
}

// array reads an array, calling elem for each element; elem must read it.
// A null array calls nothing.
func (r *jsonReader) array(elem func() error) error {
	if r.null() {
		return nil
	}
	if r.peek() != '[' {
		return r.fail("not a JSON array")
	}
	if r.depth++; r.depth > maxJSONDepth {
		return r.fail("JSON nested too deeply")
	}
	r.i++
	if r.peek() == ']' {
		r.i++
		r.depth--
		return nil
	}
	for {
		if err := elem(); err != nil {
			return err
		}
		switch r.peek() {
		case ',':
			r.i++
		case ']':
			r.i++
			r.depth--
			return nil
		default:
			return r.fail("no ',' or ']' after an element")
		}
	}
}

// str reads a string member into *dst; null leaves it nil.
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
		return r.object(func(string) error { return r.skip() })
	case c == '[':
		return r.array(r.skip)
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
	r.i++ // the opening quote
	start := r.i
	// Fast path: no escapes and only printable ASCII or valid UTF-8.
	for r.i < len(r.b) {
		c := r.b[r.i]
		if c == '"' {
			s := r.b[start:r.i]
			if utf8.Valid(s) {
				r.i++
				return string(s), nil
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
			return string(out), nil
		case c < 0x20:
			return "", r.fail("control character in a JSON string")
		case c == '\\':
			if r.i+1 >= len(r.b) {
				return "", r.fail("unterminated JSON string")
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
					return "", r.fail("bad \\u escape in a JSON string")
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
				return "", r.fail("bad escape in a JSON string")
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
	return "", r.fail("unterminated JSON string")
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
