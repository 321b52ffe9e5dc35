package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/kmskit/kms/internal/display"
	"github.com/kmskit/kms/internal/jsonfile"
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
		return nil, jsonfile.DecodeError(b, err)
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
	if err := checkAccessKeyIDs(entries); err != nil {
		return nil, err
	}
	return entries, nil
}

// checkAccessKeyIDs applies the XKS Proxy API's rule that an access key ID
// identifies one secret access key (Appendix A): an AccessKeyId is listed
// once under a prefix, and wherever else it is listed it has the same
// SecretAccessKey (one credential may serve several prefixes). The error
// shows the AccessKeyId masked, as cks describe does.
func checkAccessKeyIDs(entries []entry) error {
	type place struct{ element, index int }
	first := map[string]place{}
	for i, e := range entries {
		for j, c := range e.Credentials {
			p, seen := first[c.AccessKeyId]
			if !seen {
				first[c.AccessKeyId] = place{i, j}
				continue
			}
			at := fmt.Sprintf("element %d (UriPrefix %q): Credentials[%d]: AccessKeyId %s", i, e.UriPrefix, j, display.MaskAccessKeyID(c.AccessKeyId))
			if p.element == i {
				return fmt.Errorf("%s is listed twice under the prefix (Credentials[%d] too); give each credential once", at, p.index)
			}
			if entries[p.element].Credentials[p.index].SecretAccessKey != c.SecretAccessKey {
				return fmt.Errorf("%s has another SecretAccessKey than in element %d; an access key ID must identify one secret access key", at, p.element)
			}
		}
	}
	return nil
}
