package xksproxy_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kmskit/kms/xksproxy"
)

// Read the configuration file a proxy offers for the KMS console, and call
// the proxy with it.
func ExampleReadConfigurationFile() {
	file := strings.NewReader(`{
  "XksProxyUriPath": "/keystores/4a0d79d6-1d1b-49fd-9dbe-799cb9c0fb3f/kms/xks/v1",
  "XksProxyAuthenticationCredential": {
    "AccessKeyId": "ABCDE23456FGHIJ7ABCD",
    "RawSecretAccessKey": "c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3JldA"
  }
}`)
	f, err := xksproxy.ReadConfigurationFile(file) // e.g. os.Open's *os.File
	if err != nil {
		fmt.Println(err)
		return
	}
	c := xksproxy.New(xksproxy.Options{Endpoint: "https://xks.example.com", UriPath: f.UriPath, Region: "us-east-1", Credential: f.Credential})
	_ = c
	fmt.Println(f.UriPath)
	fmt.Printf("%v\n", f) // the credential never prints
	// Output:
	// /keystores/4a0d79d6-1d1b-49fd-9dbe-799cb9c0fb3f/kms/xks/v1
	// {/keystores/4a0d79d6-1d1b-49fd-9dbe-799cb9c0fb3f/kms/xks/v1 {AccessKeyID:[REDACTED] SecretAccessKey:[REDACTED]}}
}

// TestReadConfigurationFile: a good file gives its path and credential
// (names case-insensitive, other members ignored, the path optional); a bad
// one is an error matching ErrInvalidConfigurationFile that names the
// member or line at fault and quotes nothing of the file.
func TestReadConfigurationFile(t *testing.T) {
	const (
		akid   = "QUOTEDAKID234567ABCD"
		secret = "Q2FuYXJ5U2VjcmV0Q2FuYXJ5U2VjcmV0Q2FuYXJ5U2VjcmV0"
		path   = "/quoted-prefix/kms/xks/v1"
	)
	cred := `"XksProxyAuthenticationCredential": {"AccessKeyId": "` + akid + `", "RawSecretAccessKey": "` + secret + `"}`

	good := []struct {
		name, file, path string
	}{
		{"the console's file", `{"XksProxyUriPath": "` + path + `", ` + cred + "}\n", path},
		{"without a path", "{" + cred + "}", ""},
		{"other members ignored", `{"XksProxyUriEndpoint": "https://xks.example.com", "Vendor": {"Name": "x"}, "XksProxyUriPath": "` + path + `", ` + cred + "}", path},
		{"names case-insensitive", `{"xksproxyuripath": "` + path + `", "xksproxyauthenticationcredential": {"accesskeyid": "` + akid + `", "rawsecretaccesskey": "` + secret + `"}}`, path},
	}
	for _, tc := range good {
		t.Run(tc.name, func(t *testing.T) {
			f, err := xksproxy.ReadConfigurationFile(strings.NewReader(tc.file))
			require.NoError(t, err)
			assert.Equal(t, xksproxy.ConfigurationFile{UriPath: tc.path, Credential: xksproxy.Credential{AccessKeyID: akid, SecretAccessKey: secret}}, f)
			for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
				s := fmt.Sprintf(verb, f)
				assert.NotContains(t, s, akid, verb)
				assert.NotContains(t, s, secret, verb)
			}
		})
	}

	bad := []struct {
		name, file, want string
	}{
		{"empty", "", "empty"},
		{"not JSON", "XksProxyUriPath=" + path + "\nAccessKeyId=" + akid, "line 1 column 1: not valid JSON"},
		{"bad JSON on line 3", "{\n" + `"XksProxyUriPath": "` + path + `",` + "\n" + secret + "\n}", "line 3 column 1: not valid JSON"},
		{"cut short", `{"XksProxyUriPath": "` + path + `", "XksProxyAuthenticationCredential": {"AccessKeyId": "` + akid, "the JSON ends early"},
		{"a list", `[{"XksProxyUriPath": "` + path + `"}]`, "line 1 column 1: the file is a JSON array, not a JSON object"},
		{"no credential", `{"XksProxyUriPath": "` + path + `"}`, "XksProxyAuthenticationCredential.AccessKeyId is missing or empty"},
		{"no secret", `{"XksProxyAuthenticationCredential": {"AccessKeyId": "` + akid + `"}}`, "XksProxyAuthenticationCredential.RawSecretAccessKey is missing or empty"},
		{"empty access key ID", `{"XksProxyAuthenticationCredential": {"AccessKeyId": "", "RawSecretAccessKey": "` + secret + `"}}`, "XksProxyAuthenticationCredential.AccessKeyId is missing or empty"},
		{"credential not an object", `{"XksProxyAuthenticationCredential": "` + akid + `:` + secret + `"}`, "line 1 column 108: XksProxyAuthenticationCredential is a JSON string, not a JSON object"},
		{"secret not a string", "{\"XksProxyAuthenticationCredential\": {\"AccessKeyId\": \"" + akid + "\",\n\"RawSecretAccessKey\": [\"" + secret + "\"]}}", "line 2 column 23: XksProxyAuthenticationCredential.RawSecretAccessKey is a JSON array, not a JSON string"},
		{"two objects", "{" + cred + "}\n{" + cred + "}", "data after its JSON object"},
		{"too large", "{" + cred + `, "Padding": "` + strings.Repeat(secret, 2000) + `"}`, "larger than 64 KiB"},
	}
	for _, tc := range bad {
		t.Run(tc.name, func(t *testing.T) {
			f, err := xksproxy.ReadConfigurationFile(strings.NewReader(tc.file))
			require.Error(t, err)
			assert.ErrorIs(t, err, xksproxy.ErrInvalidConfigurationFile)
			assert.Equal(t, "xksproxy: not an XKS proxy configuration file: "+tc.want, err.Error())
			assert.Equal(t, xksproxy.ConfigurationFile{}, f)
			for _, s := range []string{akid, secret, path, "Padding", "XksProxyUriPath="} {
				assert.NotContains(t, err.Error(), s)
			}
		})
	}

	// A nil reader is an error, not a panic.
	f, err := xksproxy.ReadConfigurationFile(nil)
	require.EqualError(t, err, "xksproxy: not an XKS proxy configuration file: the io.Reader is nil")
	assert.ErrorIs(t, err, xksproxy.ErrInvalidConfigurationFile)
	assert.Equal(t, xksproxy.ConfigurationFile{}, f)

	// An error of the reader is returned as it is, not as a bad file.
	readErr := errors.New("disk on fire")
	_, err = xksproxy.ReadConfigurationFile(iotest.ErrReader(readErr))
	assert.ErrorIs(t, err, readErr)
	assert.NotErrorIs(t, err, xksproxy.ErrInvalidConfigurationFile)
}
