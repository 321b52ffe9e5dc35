package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kmskit/kms/kmstest"
)

// The credentials of the -config tests.
const (
	akidA   = "TENANTA23456ABCDEFGH"
	secretA = "dGVuYW50LWEtc2VjcmV0LXRlbmFudC1hLXNlY3JldC10ZW5hbnQ"
	akidB   = "TENANTB23456ABCDEFGH"
	secretB = "dGVuYW50LWItc2VjcmV0LXRlbmFudC1iLXNlY3JldC10ZW5hbnQ"
	akidC   = "TENANTC23456ABCDEFGH"
	secretC = "dGVuYW50LWMtc2VjcmV0LXRlbmFudC1jLXNlY3JldC10ZW5hbnQ"
)

// writeConfig writes a -config file holding body and returns its path.
func writeConfig(t *testing.T, body string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "proxy.json")
	require.NoError(t, os.WriteFile(path, []byte(body), 0o600))
	return path
}

// twoTenants is a -config file with two prefixes, each with its own
// credential, serving the key foo.
const twoTenants = `[
  {"UriPrefix": "/tenant-a", "Credentials": [{"AccessKeyId": "` + akidA + `", "SecretAccessKey": "` + secretA + `"}],
   "Keys": [{"ID": "foo"}, {"ID": "enc", "KeyUsage": ["ENCRYPT"]}]},
  {"UriPrefix": "tenant-b", "Credentials": [{"AccessKeyId": "` + akidB + `", "SecretAccessKey": "` + secretB + `"}],
   "Keys": [{"ID": "foo"}]}
]`

func TestDecodeConfig(t *testing.T) {
	entries, err := decodeConfig([]byte(twoTenants))
	require.NoError(t, err)
	assert.Equal(t, []entry{
		{UriPrefix: "/tenant-a", Credentials: []entryCredential{{akidA, secretA}},
			Keys: []kmstest.XksKey{{ID: "foo"}, {ID: "enc", KeyUsage: []string{"ENCRYPT"}}}},
		{UriPrefix: "tenant-b", Credentials: []entryCredential{{akidB, secretB}}, Keys: []kmstest.XksKey{{ID: "foo"}}},
	}, entries)

	entries, err = decodeConfig([]byte(`[{"uriprefix": "/x", "credentials": [{"accesskeyid": "A", "secretaccesskey": "S"}],
		"keys": [{"id": "k", "Material": "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="}]}]`))
	require.NoError(t, err, "names match case-insensitively; Material is Base64")
	assert.Len(t, entries[0].Keys[0].Material, 32)

	// One credential (the same AccessKeyId and secret) may serve several
	// prefixes: the AccessKeyId still identifies one secret.
	cred := `[{"AccessKeyId": "` + akidA + `", "SecretAccessKey": "` + secretA + `"}]`
	entries, err = decodeConfig([]byte(`[{"UriPrefix": "/a", "Credentials": ` + cred + `}, {"UriPrefix": "/b", "Credentials": ` + cred + `}]`))
	require.NoError(t, err)
	assert.Len(t, entries, 2)
}

// Bad -config files stop the command before it serves, with one line that
// names the file and the fault and quotes no secret.
func TestBadConfigFiles(t *testing.T) {
	credA := `[{"AccessKeyId": "` + akidA + `", "SecretAccessKey": "` + secretA + `"}]`
	tests := []struct {
		name, body, want string
	}{
		{"not JSON", `[{"UriPrefix": "/a", "Credentials": [{"AccessKeyId": "` + akidA + `", "SecretAccessKey": ` + secretA + `}]}]`, "line 1 column 97: not valid JSON"},
		{"an object", `{"UriPrefix": "/a"}`, "line 1 column 1: the file is a JSON object, not a JSON array"},
		{"wrong type", "[\n{\"UriPrefix\": 7}]", "line 2 column 15: UriPrefix is a JSON number, not a JSON string"},
		{"cut short", `[{"UriPrefix": "/a", "Credentials": ` + credA, "the JSON ends early"},
		{"data after", `[{"UriPrefix": "/a", "Credentials": ` + credA + `}] []`, "data after the JSON list"},
		{"empty list", `[]`, "lists no prefix"},
		{"unknown member", `[{"UriPrefix": "/a", "Credential": ` + credA + `}]`, `unknown field "Credential"`},
		{"no credentials", `[{"UriPrefix": "/a", "Keys": [{"ID": "foo"}]}]`, `element 0 (UriPrefix "/a") has no Credentials`},
		{"no secret", `[{"UriPrefix": "/a", "Credentials": [{"AccessKeyId": "` + akidA + `"}]}]`, "Credentials[0] needs AccessKeyId and SecretAccessKey"},
		{"bad prefix", `[{"UriPrefix": "a.b", "Credentials": ` + credA + `}]`, `element 0 (UriPrefix "a.b"): WithXksURIPrefix("a.b")`},
		{"bad key ID", `[{"UriPrefix": "/a", "Credentials": ` + credA + `, "Keys": [{"ID": "a/b"}]}]`, `XKS key ID "a/b"`},
		{"short material", `[{"UriPrefix": "/a", "Credentials": ` + credA + `, "Keys": [{"ID": "k", "Material": "AAEC"}]}]`, "Material must be 32 bytes"},
		{"bad Base64", `[{"UriPrefix": "/a", "Credentials": ` + credA + `, "Keys": [{"ID": "k", "Material": "!!!!"}]}]`, "illegal base64"},
		{"one prefix twice", `[{"UriPrefix": "/a", "Credentials": ` + credA + `}, {"UriPrefix": "a/", "Credentials": ` + credA + `}]`,
			`element 1 (UriPrefix "a/"): serves /a/kms/xks/v1, as an earlier element does`},
		{"one key, two materials", `[{"UriPrefix": "/a", "Credentials": ` + credA + `, "Keys": [{"ID": "k", "Material": "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="}]},
			{"UriPrefix": "/b", "Credentials": ` + credA + `, "Keys": [{"ID": "k", "Material": "HwECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="}]}]`,
			`key "k" has another Material`},
		{"one AccessKeyId twice under a prefix", `[{"UriPrefix": "/a", "Credentials": [{"AccessKeyId": "` + akidA + `", "SecretAccessKey": "` + secretA + `"}, {"AccessKeyId": "` + akidA + `", "SecretAccessKey": "` + secretB + `"}]}]`,
			`element 0 (UriPrefix "/a"): Credentials[1]: AccessKeyId …EFGH is listed twice under the prefix (Credentials[0] too); give each credential once`},
		{"one credential twice under a prefix", `[{"UriPrefix": "/a", "Credentials": [{"AccessKeyId": "` + akidB + `", "SecretAccessKey": "` + secretB + `"}, ` + credA[1:len(credA)-1] + `, ` + credA[1:len(credA)-1] + `]}]`,
			`element 0 (UriPrefix "/a"): Credentials[2]: AccessKeyId …EFGH is listed twice under the prefix (Credentials[1] too)`},
		{"one AccessKeyId, two secrets, two prefixes", `[{"UriPrefix": "/a", "Credentials": ` + credA + `}, {"UriPrefix": "/b", "Credentials": [{"AccessKeyId": "` + akidA + `", "SecretAccessKey": "` + secretB + `"}]}]`,
			`element 1 (UriPrefix "/b"): Credentials[0]: AccessKeyId …EFGH has another SecretAccessKey than in element 0; an access key ID must identify one secret access key`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := writeConfig(t, tt.body)
			var log syncBuffer
			err := run(context.Background(), []string{"-addr", "127.0.0.1:0", "-config", path}, env(nil), &log, func(string) { t.Error("served") })
			require.Error(t, err)
			assert.Contains(t, err.Error(), "-config "+path+": ")
			assert.Contains(t, err.Error(), tt.want)
			assert.NotContains(t, err.Error(), "\n")
			assert.NotContains(t, err.Error()+log.String(), secretA)
			assert.NotContains(t, err.Error()+log.String(), secretB)
			assert.NotContains(t, err.Error(), akidA, "an AccessKeyId shows masked")
		})
	}

	t.Run("missing file", func(t *testing.T) {
		err := run(context.Background(), []string{"-addr", "127.0.0.1:0", "-config", filepath.Join(t.TempDir(), "absent.json")}, env(nil), &syncBuffer{}, nil)
		require.ErrorContains(t, err, "-config: open ")
		assert.ErrorContains(t, err, "no such file")
	})
	t.Run("with the flags it replaces", func(t *testing.T) {
		path := writeConfig(t, twoTenants)
		for _, extra := range [][]string{{"-uri-prefix", "/a"}, {"-keys", "foo"}, {"-credentials-file", path}} {
			err := run(context.Background(), append([]string{"-addr", "127.0.0.1:0", "-config", path}, extra...), credEnv, &syncBuffer{}, nil)
			require.ErrorContains(t, err, "-config replaces -uri-prefix, -keys and -credentials-file", extra[0])
		}
	})
	t.Run("the environment's credential is not needed", func(t *testing.T) {
		base, _ := start(t, []string{"-addr", "127.0.0.1:0", "-config", writeConfig(t, twoTenants)}, env(nil))
		assert.True(t, strings.HasPrefix(base, "http://127.0.0.1:"))
	})
}
