package xksproxy

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/kmskit/kms/internal/jsonfile"
)

// ConfigurationFile is an XKS proxy configuration file: the JSON file that
// the AWS KMS console accepts for a store's proxy path and credential, and
// that proxies with a user interface offer for download (XKS Proxy API
// specification, "XKS proxy configuration in AWS KMS console"):
//
//	{
//	  "XksProxyUriPath": "/keystores/4a0d79d6-1d1b-49fd-9dbe-799cb9c0fb3f/kms/xks/v1",
//	  "XksProxyAuthenticationCredential": {
//	    "AccessKeyId": "ABCDE23456FGHIJ7ABCD",
//	    "RawSecretAccessKey": "FYtE5EFA5FT0mCc3DrGUe2sti527BitkQ0Zr9MO9fvE"
//	  }
//	}
//
// It prints with the credential redacted, as [Credential] does.
type ConfigurationFile struct {
	// UriPath is XksProxyUriPath as the file gives it, e.g.
	// "/example-prefix/kms/xks/v1", or "" when the file has none; it is
	// not checked against the rules of Options.UriPath.
	UriPath string
	// Credential is XksProxyAuthenticationCredential: both members are set.
	// They are not checked against KMS's length and character rules.
	Credential Credential
}

// ErrInvalidConfigurationFile is matched (errors.Is) by every error of
// [ReadConfigurationFile].
var ErrInvalidConfigurationFile = errors.New("xksproxy: not an XKS proxy configuration file")

// maxConfigurationFile bounds what ReadConfigurationFile reads; the file
// holds three short strings.
const maxConfigurationFile = 64 << 10

// ReadConfigurationFile reads an XKS proxy configuration file from r, to
// its end. It needs XksProxyAuthenticationCredential.AccessKeyId and
// RawSecretAccessKey as non-empty JSON strings; XksProxyUriPath may be
// missing. Member names match case-insensitively (as encoding/json
// matches them), and other members are ignored: the specification gives the
// members KMS reads, and a proxy may add its own.
//
// A nil r, or a file that is not one JSON object, is larger than 64 KiB, or
// lacks a credential member, is an error matching
// [ErrInvalidConfigurationFile] that names the member or the line and
// column at fault. Because the file holds a secret,
// no error quotes any of its contents. An error of r is returned wrapped.
func ReadConfigurationFile(r io.Reader) (ConfigurationFile, error) {
	if r == nil {
		return ConfigurationFile{}, fmt.Errorf("%w: the io.Reader is nil", ErrInvalidConfigurationFile)
	}
	b, err := io.ReadAll(io.LimitReader(r, maxConfigurationFile+1))
	if err != nil {
		return ConfigurationFile{}, err
	}
	if len(b) > maxConfigurationFile {
		return ConfigurationFile{}, fmt.Errorf("%w: larger than 64 KiB", ErrInvalidConfigurationFile)
	}
	// The members as the file spells them, so that a type error's Field
	// is the member's name.
	var f struct {
		XksProxyUriPath                  string
		XksProxyAuthenticationCredential struct{ AccessKeyId, RawSecretAccessKey string }
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	if err := dec.Decode(&f); err != nil {
		return ConfigurationFile{}, fmt.Errorf("%w: %v", ErrInvalidConfigurationFile, jsonfile.DecodeError(b, err))
	}
	if _, err := dec.Token(); err != io.EOF {
		return ConfigurationFile{}, fmt.Errorf("%w: data after its JSON object", ErrInvalidConfigurationFile)
	}
	c := f.XksProxyAuthenticationCredential
	for _, m := range []struct{ name, value string }{{"AccessKeyId", c.AccessKeyId}, {"RawSecretAccessKey", c.RawSecretAccessKey}} {
		if m.value == "" {
			return ConfigurationFile{}, fmt.Errorf("%w: XksProxyAuthenticationCredential.%s is missing or empty", ErrInvalidConfigurationFile, m.name)
		}
	}
	return ConfigurationFile{UriPath: f.XksProxyUriPath, Credential: Credential{AccessKeyID: c.AccessKeyId, SecretAccessKey: c.RawSecretAccessKey}}, nil
}
