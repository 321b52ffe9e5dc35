package xksproxy_test

import (
	"bytes"
	"encoding/base64"
	"encoding/gob"
	"encoding/hex"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"log"
	"log/slog"
	"net/http"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kmskit/kms/xksproxy"
)

// printPlaintext is the plaintext of the values TestEveryTypePrintsNoSecret
// prints.
var printPlaintext = []byte("PLAINTEXT-attack-at-dawn")

// printedSecrets are the forms of the secrets no printing may show: as
// they are, in Base64, as fmt prints a []byte, and in hex (%x).
func printedSecrets() []string {
	var out []string
	for _, s := range []string{testSecret, testAKID, string(printPlaintext)} {
		out = append(out, s, hex.EncodeToString([]byte(s)), strings.ToUpper(hex.EncodeToString([]byte(s))))
	}
	return append(out, base64.StdEncoding.EncodeToString(printPlaintext), fmt.Sprint(printPlaintext))
}

// exportedTypes lists the exported types declared in the package's
// non-test files.
func exportedTypes(t *testing.T) []string {
	t.Helper()
	entries, err := os.ReadDir(".")
	require.NoError(t, err)
	var names []string
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".go") || strings.HasSuffix(e.Name(), "_test.go") {
			continue
		}
		f, err := parser.ParseFile(token.NewFileSet(), e.Name(), nil, 0)
		require.NoError(t, err)
		for _, d := range f.Decls {
			if g, ok := d.(*ast.GenDecl); ok && g.Tok == token.TYPE {
				for _, s := range g.Specs {
					if ts := s.(*ast.TypeSpec); ts.Name.IsExported() {
						names = append(names, ts.Name.Name)
					}
				}
			}
		}
	}
	slices.Sort(names)
	return names
}

// TestEveryTypePrintsNoSecret: every exported type of the package, filled
// with the credential and a plaintext where it can hold them, prints no
// secret under any fmt verb, log.Printf, slog's text and JSON handlers,
// encoding/json, encoding/xml or encoding/gob: alone, behind a pointer,
// in an exported field, and held in an unexported field of another struct
// (where fmt calls no method and prints by reflection), a Client even by
// value. Encoders that would lose a set secret (gob, xml) return an error
// that says they refuse. Today a Client prints its credential.
func TestEveryTypePrintsNoSecret(t *testing.T) {
	opts := xksproxy.Options{Endpoint: "https://xks.example.com", UriPath: testPath, Region: testRegion, Credential: testCred,
		HTTPClient: &http.Client{}, Logger: slog.Default(), Clock: time.Now}
	client := xksproxy.New(opts)
	values := map[string]any{
		"Client":                                client,
		"Options":                               opts,
		"Credential":                            testCred,
		"ConfigurationFile":                     xksproxy.ConfigurationFile{UriPath: testPath, Credential: testCred},
		"HTTPClient":                            xksproxy.HTTPClient(&http.Client{}),
		"RequestMetadata":                       testMD,
		"GetHealthStatusInput":                  xksproxy.GetHealthStatusInput{RequestMetadata: testMD},
		"GetHealthStatusOutput":                 xksproxy.GetHealthStatusOutput{XksProxyFleetSize: 1, XksProxyVendor: "v", EkmFleetDetails: []xksproxy.EkmFleetDetail{{Id: "h", Model: "m", HealthStatus: xksproxy.EkmHealthStatusActive}}},
		"EkmFleetDetail":                        xksproxy.EkmFleetDetail{Id: "h", Model: "m", HealthStatus: xksproxy.EkmHealthStatusDegraded},
		"GetKeyMetadataInput":                   xksproxy.GetKeyMetadataInput{ExternalKeyId: "foo", RequestMetadata: testMD},
		"GetKeyMetadataOutput":                  xksproxy.GetKeyMetadataOutput{KeySpec: xksproxy.KeySpecAes256, KeyUsage: []xksproxy.KeyUsage{xksproxy.KeyUsageEncrypt}, KeyStatus: xksproxy.KeyStatusEnabled},
		"EncryptInput":                          xksproxy.EncryptInput{ExternalKeyId: "foo", RequestMetadata: testMD, Plaintext: printPlaintext, AdditionalAuthenticatedData: []byte("aad")},
		"EncryptOutput":                         xksproxy.EncryptOutput{Ciphertext: []byte("c"), InitializationVector: make([]byte, 12), AuthenticationTag: make([]byte, 16)},
		"DecryptInput":                          xksproxy.DecryptInput{ExternalKeyId: "foo", RequestMetadata: testMD, Ciphertext: []byte("c")},
		"DecryptOutput":                         xksproxy.DecryptOutput{Plaintext: printPlaintext, Latency: time.Millisecond},
		"Error":                                 &xksproxy.Error{Name: "KeyNotFoundException", Message: "m", StatusCode: 404, Operation: "Encrypt"},
		"MalformedResponseError":                &xksproxy.MalformedResponseError{Operation: "Encrypt", StatusCode: 200, Reason: "r"},
		"InputError":                            &xksproxy.InputError{Field: "f", Rule: "r"},
		"KeySpec":                               xksproxy.KeySpecAes256,
		"KeyUsage":                              xksproxy.KeyUsageDecrypt,
		"KeyStatus":                             xksproxy.KeyStatusEnabled,
		"EkmHealthStatus":                       xksproxy.EkmHealthStatusActive,
		"EncryptionAlgorithm":                   xksproxy.EncryptionAlgorithmAesGcm,
		"CiphertextDataIntegrityValueAlgorithm": xksproxy.CiphertextDataIntegrityValueAlgorithmSha256,
	}
	var names []string
	for name := range values {
		names = append(names, name)
	}
	slices.Sort(names)
	require.Equal(t, exportedTypes(t), names, "every exported type is printed")
	// The types that hold a secret; true for those with their own gob
	// encoder, which refuses (Options and ConfigurationFile fail through
	// their members).
	holdsSecret := map[string]bool{"Client": true, "Options": false, "ConfigurationFile": false, "Credential": true, "EncryptInput": true, "DecryptOutput": true}

	type exported struct{ V any }
	for _, name := range names {
		v := values[name]
		forms := map[string]any{"value": v, "in an exported field": exported{v}, "in a slice": []any{v}}
		if name == "Client" {
			forms["by value"] = *client
		}
		for form, x := range forms {
			t.Run(name+"/"+form, func(t *testing.T) {
				ownEncoder, secret := holdsSecret[name]
				texts := printAll(t, x, secret, ownEncoder && form == "value")
				for _, text := range texts {
					for _, s := range printedSecrets() {
						assert.NotContains(t, text, s)
					}
				}
			})
		}
	}

	// Held in unexported fields, where fmt prints by reflection and, with
	// %s or %q, follows pointers: a Client is safe there, by value or by
	// pointer, and so is what holds one.
	type unexported struct {
		c  xksproxy.Client
		pc *xksproxy.Client
	}
	for _, v := range []any{unexported{*client, client}, &unexported{*client, client}, []unexported{{*client, client}}} {
		for _, text := range printFmt(v) {
			for _, s := range printedSecrets() {
				assert.NotContains(t, text, s, "unexported fields")
			}
		}
	}

	assert.Contains(t, fmt.Sprint(client), "Endpoint:https://xks.example.com")
	assert.Contains(t, fmt.Sprint(client), "Credential:{AccessKeyID:[REDACTED] SecretAccessKey:[REDACTED]}")
	assert.Contains(t, fmt.Sprintf("%#v", client), `Credential:xksproxy.Credential{AccessKeyID:"[REDACTED]", SecretAccessKey:"[REDACTED]"}`)
}

// printFmt returns v printed with every fmt verb and by log.Printf.
func printFmt(v any) []string {
	var texts []string
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d", "%10v", "%-8s"} {
		texts = append(texts, fmt.Sprintf(verb, v))
	}
	var lb bytes.Buffer
	log.New(&lb, "", 0).Printf("%v %+v", v, v)
	return append(texts, lb.String())
}

// printAll returns v printed every way: fmt, log, slog's text and JSON
// handlers, encoding/json, encoding/xml and encoding/gob (an error's text
// counts as what it printed). With secret, gob must fail, and, for the
// value itself (direct), say that it refuses to encode a secret.
func printAll(t *testing.T, v any, secret, direct bool) []string {
	t.Helper()
	texts := printFmt(v)
	var sb bytes.Buffer
	slog.New(slog.NewTextHandler(&sb, nil)).Info("m", "v", v)
	slog.New(slog.NewJSONHandler(&sb, nil)).Info("m", "v", v)
	texts = append(texts, sb.String())
	if b, err := json.Marshal(v); err == nil {
		texts = append(texts, string(b))
	} else {
		texts = append(texts, err.Error())
	}
	if b, err := xml.Marshal(v); err == nil {
		texts = append(texts, string(b))
	} else {
		texts = append(texts, err.Error())
	}
	var g bytes.Buffer
	err := gob.NewEncoder(&g).Encode(v)
	texts = append(texts, g.String())
	if err != nil {
		texts = append(texts, err.Error())
	}
	if secret {
		require.Error(t, err, "gob")
		if direct {
			assert.Contains(t, err.Error(), "refusing to encode a secret")
		}
	}
	return texts
}
