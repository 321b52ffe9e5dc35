package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/kmskit/kms/kmstest"
)

// entry is one element of the -config file: a path prefix, the credentials
// it accepts and the external keys it serves.
type entry struct {
	// UriPrefix is the path before /kms/xks/v1, as -uri-prefix takes it.
	UriPrefix string
	// Credentials are the SigV4 credentials accepted under the prefix; at
	// least one.
	Credentials []entryCredential
	// Keys are the external keys served under the prefix, in
	// kmstest.XksKey's shape.
	Keys []kmstest.XksKey
}

// entryCredential is one credential of an entry.
type entryCredential struct {
	AccessKeyId     string
	SecretAccessKey string
}

// readConfigFile reads and checks the -config file at path. Its errors name
// the file and the element at fault and never quote the file's content (it
// holds secrets).
func readConfigFile(path string) ([]entry, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("-config: %w", err)
	}
	entries, err := decodeConfig(b)
	if err != nil {
		return nil, fmt.Errorf("-config %s: %w", path, err)
	}
	return entries, nil
}

// decodeConfig decodes and checks a -config file's content.
func decodeConfig(b []byte) ([]entry, error) {
	var entries []entry
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&entries); err != nil {
		return nil, jsonError(b, err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("data after the JSON list")
	}
	if len(entries) == 0 {
		return nil, errors.New(`lists no prefix; want [{"UriPrefix": "...", "Credentials": [{"AccessKeyId": "...", "SecretAccessKey": "..."}], "Keys": [{"ID": "..."}]}]`)
	}
	for i, e := range entries {
		if len(e.Credentials) == 0 {
			return nil, fmt.Errorf("element %d (UriPrefix %q) has no Credentials", i, e.UriPrefix)
		}
		for j, c := range e.Credentials {
			if c.AccessKeyId == "" || c.SecretAccessKey == "" {
				return nil, fmt.Errorf("element %d (UriPrefix %q): Credentials[%d] needs AccessKeyId and SecretAccessKey", i, e.UriPrefix, j)
			}
		}
	}
	return entries, nil
}

// jsonError describes a decoding error by position and member, without the
// text it failed on.
func jsonError(b []byte, err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return fmt.Errorf("line %d: not valid JSON", lineAt(b, syn.Offset))
	case errors.As(err, &typ):
		if typ.Field == "" {
			return fmt.Errorf("line %d: want a JSON list of prefixes, not a JSON %s", lineAt(b, typ.Offset), typ.Value)
		}
		return fmt.Errorf("line %d: %s cannot be a JSON %s", lineAt(b, typ.Offset), typ.Field, typ.Value)
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return errors.New("the JSON ends early")
	}
	// An unknown member (the message names it) or bad Base64 (it gives the
	// byte offset): neither quotes a value.
	return err
}

// lineAt returns the line of byte offset off in b.
func lineAt(b []byte, off int64) int {
	if off > int64(len(b)) {
		off = int64(len(b))
	}
	return bytes.Count(b[:off], []byte("\n")) + 1
}
