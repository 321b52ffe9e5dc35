package kms

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/aws/smithy-go"

	"github.com/kmskit/kms/internal/awsjson"
)

// Responses are decoded with encoding/json into the output types (member
// names match as encoding/json matches them, unknown members are skipped,
// null is absent), CreationDate as epoch seconds; every string decoded is
// then scrubbed of the call's secrets (table.scrub), and no decoding error
// quotes the body (plainDecodeError).

// decodeJSONBody decodes body into v; an empty body leaves v as it is. Its
// error says what is wrong and where (a member path or a byte offset),
// never what the body holds: encoding/json's own texts quote characters
// and numbers of it.
func decodeJSONBody(body []byte, v any) error {
	if len(body) == 0 {
		return nil
	}
	return plainDecodeError(json.Unmarshal(body, v))
}

// plainDecodeError rewrites an encoding/json error without the bytes it
// quotes; errors of this file's own decoders pass through.
func plainDecodeError(err error) error {
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &syntax):
		what := "not valid JSON"
		for _, k := range [...]struct{ in, says string }{
			{"in string escape code", "bad escape in a JSON string"},
			{"in string literal", "control character in a JSON string"},
			{"after top-level value", "data after the JSON value"},
			{"looking for beginning of value", "not a JSON value"},
		} {
			if strings.Contains(syntax.Error(), k.in) {
				what = k.says
			}
		}
		if strings.Contains(syntax.Error(), "unexpected end") {
			return errors.New("the body ends before its JSON value does")
		}
		return fmt.Errorf("%s (at byte %d)", what, max(syntax.Offset-1, 0))
	case errors.As(err, &typ):
		where := ""
		if f := strings.TrimPrefix(typ.Field, "entryFields."); f != "" {
			where = f + ": "
		}
		return fmt.Errorf("%snot %s (at byte %d)", where, jsonKind(typ.Type), typ.Offset)
	case errors.As(err, new(decodeError)):
		return err
	}
	return errors.New("not a valid JSON body")
}

// jsonKind names the JSON value a Go type decodes from.
func jsonKind(t reflect.Type) string {
	if k, ok := map[reflect.Kind]string{reflect.String: "a JSON string", reflect.Bool: "a JSON boolean", reflect.Slice: "a JSON array",
		reflect.Struct: "a JSON object", reflect.Map: "a JSON object"}[t.Kind()]; ok {
		return k
	}
	return "a JSON number"
}

// decodeError is an error of this file's own decoders.
type decodeError string

func (e decodeError) Error() string { return string(e) }

// epochSeconds is an awsJson timestamp: epoch seconds with an optional
// fraction (e.g. 1.700000000123E9), kept to the millisecond in UTC as
// aws-sdk-go-v2 keeps it (smithy-go/time.ParseEpochSeconds), without its
// overflow past the year 2262.
type epochSeconds time.Time

// The range of times a timestamp may hold here: years 0001 to 9999, as
// time.Time formats them.
const (
	minEpochSeconds = -62135596800
	maxEpochSeconds = 253402300799
)

func (t *epochSeconds) UnmarshalJSON(b []byte) error {
	f, err := strconv.ParseFloat(string(b), 64)
	switch {
	case err != nil || math.IsNaN(f) || math.IsInf(f, 0):
		return decodeError("CreationDate: not a number of seconds")
	case f < minEpochSeconds || f > maxEpochSeconds:
		return decodeError("CreationDate: outside the years 0001 to 9999")
	}
	// aws-sdk-go-v2 multiplies by 1e3 in a big.Float of 53 bits and
	// truncates: the float64 product, truncated, is the same number.
	*t = epochSeconds(time.UnixMilli(int64(f * 1e3)).UTC())
	return nil
}

// entryFields is CustomKeyStoresListEntry without its methods, so that
// encoding/json decodes it member by member.
type entryFields CustomKeyStoresListEntry

// entryWire is a store as KMS sends it: CreationDate in epoch seconds.
type entryWire struct {
	entryFields
	CreationDate *epochSeconds
}

// decode decodes one store into e from dec.
func (e *CustomKeyStoresListEntry) decode(dec *json.Decoder) error {
	var w entryWire
	if err := dec.Decode(&w); err != nil {
		return err
	}
	*e = CustomKeyStoresListEntry(w.entryFields)
	e.CreationDate = (*time.Time)(w.CreationDate)
	return nil
}

// decodePage decodes a DescribeCustomKeyStores body into out, streaming it
// with one json.Decoder: the members of the top object by name (matched as
// encoding/json matches them), each store as it comes, so that more than
// maxDescribeEntries stores is found when the entry after the last allowed
// one starts, not after building every entry of a hostile page.
func decodePage(body []byte, out *DescribeCustomKeyStoresOutput) error {
	dec := json.NewDecoder(bytes.NewReader(body))
	switch tok, err := dec.Token(); {
	case err != nil:
		return plainDecodeError(err)
	case tok != nil && tok != json.Delim('{'):
		return decodeError("not a JSON object")
	case tok != nil: // null is an empty page
		for dec.More() {
			if tok, err = dec.Token(); err != nil {
				return plainDecodeError(err)
			}
			switch key, _ := tok.(string); {
			case strings.EqualFold(key, "CustomKeyStores"):
				err = decodeStores(dec, out)
			case strings.EqualFold(key, "NextMarker"):
				err = underKey(key, dec.Decode(&out.NextMarker))
			case strings.EqualFold(key, "Truncated"):
				err = underKey(key, dec.Decode(&out.Truncated))
			default:
				err = plainDecodeError(dec.Decode(new(json.RawMessage)))
			}
			if err != nil {
				return err
			}
		}
		if _, err := dec.Token(); err != nil { // the closing }
			return plainDecodeError(err)
		}
	}
	if _, err := dec.Token(); err != io.EOF {
		return decodeError(fmt.Sprintf("data after the JSON value (at byte %d)", dec.InputOffset()))
	}
	return nil
}

// underKey puts the member name key in front of a decoding error.
func underKey(key string, err error) error {
	if err = plainDecodeError(err); err == nil {
		return nil
	}
	return decodeError(key + ": " + err.Error())
}

// decodeStores decodes the CustomKeyStores array.
func decodeStores(dec *json.Decoder, out *DescribeCustomKeyStoresOutput) error {
	out.CustomKeyStores = nil
	if tok, err := dec.Token(); err != nil || tok == nil {
		return plainDecodeError(err) // nil for null
	} else if tok != json.Delim('[') {
		return decodeError("CustomKeyStores: not a JSON array")
	}
	out.CustomKeyStores = []CustomKeyStoresListEntry{} // [] is an empty list, not nil, as encoding/json and aws-sdk-go-v2 decode it
	for i := 0; dec.More(); i++ {
		if i == maxDescribeEntries {
			return decodeError("CustomKeyStores: more than " + strconv.Itoa(maxDescribeEntries) +
				" custom key stores in one page, the most KMS returns")
		}
		out.CustomKeyStores = append(out.CustomKeyStores, CustomKeyStoresListEntry{})
		if err := out.CustomKeyStores[i].decode(dec); err != nil {
			sep, text := ".", plainDecodeError(err).Error()
			if strings.HasPrefix(text, "not ") {
				sep = ": "
			}
			return decodeError("CustomKeyStores[" + strconv.Itoa(i) + "]" + sep + text)
		}
	}
	_, err := dec.Token() // the closing ]
	return plainDecodeError(err)
}

// scrub replaces every string member of in (enums too) by sc's scrubbed
// form: no secret of the call survives in what the client returns.
func (t *table[T]) scrub(in T, sc *awsjson.Scrubber) {
	for i := 0; sc != nil && i < len(t.members); i++ {
		switch r := t.members[i].at(in); {
		case r.str != nil && *r.str != nil:
			if s := sc.Scrub(**r.str); s != **r.str {
				*r.str = &s
			}
		case r.enum != nil:
			*r.enum = sc.Scrub(*r.enum)
		}
	}
}

// deserializationError wraps a decoding failure in a
// *smithy.DeserializationError, as aws-sdk-go-v2 does. The text says where
// the body is wrong, never what it holds.
func deserializationError(op, requestID string, err error) error {
	return fmt.Errorf("kms: %s: decode response (request id %s): %w", op, requestID,
		&smithy.DeserializationError{Err: err})
}
