package kms

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// appendJSON appends the awsJson1.1 body of in to dst: the members that are
// set, in the order the official SDK writes them (by name, nested members
// too; TestAppendWireMemberOrder checks it). A pointer to "" is written as
// "", an empty enum is left out, a nil in is {}. With redact every secret is
// written as "[REDACTED]": the form MarshalJSON and the debug log show. It
// allocates only when dst must grow.
func (t *table[T]) appendJSON(dst []byte, in T, redact bool) []byte {
	dst = append(dst, '{')
	c := t.cursor(in, t.wire)
	for m, r, ok := c.next(); ok; m, r, ok = c.next() {
		if c.closed {
			dst = append(dst, '}')
		}
		if c.sep {
			dst = append(dst, ',')
		}
		dst = append(append(append(dst, '"'), m.Name...), '"', ':')
		switch {
		case r.obj:
			dst = append(dst, '{')
			c.enter()
		case m.Sensitive && redact:
			dst = appendJSONString(dst, redactedText)
		case r.str != nil:
			dst = appendJSONString(dst, **r.str)
		case r.enum != nil:
			dst = appendJSONString(dst, *r.enum)
		case r.num != nil:
			dst = strconv.AppendInt(dst, int64(**r.num), 10)
		case r.when != nil: // epoch seconds, to the millisecond
			dst = strconv.AppendFloat(dst, float64((*r.when).UnixMilli())/1000, 'f', -1, 64)
		}
	}
	if c.open {
		dst = append(dst, '}')
	}
	return append(dst, '}')
}

const hexDigits = "0123456789abcdef"

// appendJSONString appends s as a JSON string. Like encoding/json it escapes
// control characters, U+2028 and U+2029, and writes invalid UTF-8 as U+FFFD;
// unlike it, and like the official SDK, it leaves <, > and & alone.
func appendJSONString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		b := s[i]
		if b < utf8.RuneSelf {
			if b >= 0x20 && b != '"' && b != '\\' {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			if e := strings.IndexByte("\"\\\n\r\t", b); e >= 0 {
				dst = append(dst, '\\', "\"\\nrt"[e])
			} else {
				dst = append(dst, '\\', 'u', '0', '0', hexDigits[b>>4], hexDigits[b&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			dst = append(append(dst, s[start:i]...), `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			dst = append(append(dst, s[start:i]...), '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}
