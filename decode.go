package kms

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/big"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/aws/smithy-go"

	"github.com/kmskit/kms/internal/awsjson"
)

// Responses are decoded with encoding/json into the output types (member
// names match as encoding/json matches them, unknown members are skipped,
// null is absent), with two additions: CreationDate is epoch seconds
// (epochSeconds), and a page of stores is bounded while it is decoded
// (entryList). Every string decoded is then scrubbed of the call's secrets
// (table.scrub), and no decoding error quotes the body (decodeJSONBody).

// decodeJSONBody decodes body into v; an empty body leaves v as it is. Its
// error says what is wrong and where (a member path or a byte offset),
// never what the body holds: encoding/json's own texts quote characters
// and numbers of it.
func decodeJSONBody(body []byte, v any) error {
	if len(body) == 0 {
		return nil
	}
	return plainDecodeError(json.Unmarshal(body, v), true)
}

// plainDecodeError rewrites an encoding/json error without the bytes it
// quotes, with the byte offset if at is set; errors of this file's own
// decoders pass through.
func plainDecodeError(err error, at bool) error {
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
		if !at {
			return fmt.Errorf("%snot %s", where, jsonKind(typ.Type))
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
// fraction (e.g. 1.700000000123E9), kept to the millisecond in UTC, the
// milliseconds computed as aws-sdk-go-v2 does
// (smithy-go/time.ParseEpochSeconds) but without its overflow past the year
// 2262.
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
	ms, _ := new(big.Float).Mul(big.NewFloat(f), big.NewFloat(1e3)).Int64()
	*t = epochSeconds(time.UnixMilli(ms).UTC())
	return nil
}

// entryFields is CustomKeyStoresListEntry without its methods, so that
// encoding/json decodes it member by member.
type entryFields CustomKeyStoresListEntry

// entryWire is a store as KMS sends it: CreationDate in epoch seconds.
type entryWire struct {
	*entryFields
	CreationDate *epochSeconds
}

// decode decodes one store into e from dec.
func (e *CustomKeyStoresListEntry) decode(dec *json.Decoder) error {
	w := entryWire{entryFields: (*entryFields)(e)}
	if err := dec.Decode(&w); err != nil {
		return err
	}
	e.CreationDate = (*time.Time)(w.CreationDate)
	return nil
}

// entryList is a page of stores: at most maxDescribeEntries, which the
// decoder finds when the entry after the last one allowed starts, not after
// building every entry of a hostile page.
type entryList []CustomKeyStoresListEntry

func (l *entryList) UnmarshalJSON(b []byte) error {
	*l = nil
	if string(b) == "null" {
		return nil
	}
	if b[0] != '[' {
		return decodeError("CustomKeyStores: not a JSON array")
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	_, _ = dec.Token() // the [ checked above; json.Unmarshal has checked the rest is valid JSON
	for i := 0; dec.More(); i++ {
		if i == maxDescribeEntries {
			return decodeError("CustomKeyStores: more than " + strconv.Itoa(maxDescribeEntries) +
				" custom key stores in one page, the most KMS returns")
		}
		*l = append(*l, CustomKeyStoresListEntry{})
		if err := (&(*l)[i]).decode(dec); err != nil {
			sep, text := ".", plainDecodeError(err, false).Error()
			if strings.HasPrefix(text, "not ") {
				sep = ": "
			}
			return decodeError("CustomKeyStores[" + strconv.Itoa(i) + "]" + sep + text)
		}
	}
	return nil
}

// scrub replaces every string member of in (enums too) by sc's scrubbed
// form: no secret of the call survives in what the client returns.
func (t *table[T]) scrub(in *T, sc *awsjson.Scrubber) {
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
