// Package jsonfile says why a JSON file an operator wrote does not decode,
// by line and column, without quoting the file: such files hold secrets,
// and encoding/json's own texts can quote a character or a value of them.
package jsonfile

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"
	"unicode/utf8"
)

// DecodeError describes err, an error of decoding the file b with
// encoding/json (json.Unmarshal or a json.Decoder reading b from its
// start): "line L column C: not valid JSON", "line L column C: Member is a
// JSON string, not a JSON object", "empty", "the JSON ends early". An
// unknown member (json.Decoder.DisallowUnknownFields) is named, and bad
// Base64 gives its byte offset; any other error is described without its
// text. A nil err gives nil.
func DecodeError(b []byte, err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	var b64 base64.CorruptInputError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &syn):
		return fmt.Errorf("%s: not valid JSON", position(b, syn.Offset))
	case errors.As(err, &typ):
		what := "the file"
		if typ.Field != "" {
			what = typ.Field
		}
		return fmt.Errorf("%s: %s is a JSON %s, not %s", position(b, typ.Offset), what, typ.Value, kind(typ.Type))
	case errors.Is(err, io.EOF):
		return errors.New("empty")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return errors.New("the JSON ends early")
	case errors.As(err, &b64):
		return fmt.Errorf("a member is not valid Base64 (%v)", b64)
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		// A member name the file spells, never a value.
		return errors.New(strings.TrimPrefix(err.Error(), "json: "))
	}
	return errors.New("a member's value is not valid")
}

// position is "line L column C" of the byte before offset off in b, where
// encoding/json's errors point (they give how many bytes were read); the
// column counts characters from 1.
func position(b []byte, off int64) string {
	i := int(min(max(off-1, 0), int64(len(b))))
	start := bytes.LastIndexByte(b[:i], '\n') + 1
	return fmt.Sprintf("line %d column %d", bytes.Count(b[:i], []byte("\n"))+1, utf8.RuneCount(b[start:i])+1)
}

// kind names the JSON value that t decodes from.
func kind(t reflect.Type) string {
	if t == nil {
		return "the expected type"
	}
	switch t.Kind() {
	case reflect.String:
		return "a JSON string"
	case reflect.Bool:
		return "a JSON boolean"
	case reflect.Slice, reflect.Array:
		if t.Elem().Kind() == reflect.Uint8 {
			return "a JSON string (Base64)"
		}
		return "a JSON array"
	case reflect.Struct, reflect.Map:
		return "a JSON object"
	case reflect.Pointer:
		return kind(t.Elem())
	}
	return "a JSON number"
}
