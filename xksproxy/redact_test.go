package xksproxy_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/gob"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"log/slog"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kmskit/kms/kmstest"
	"github.com/kmskit/kms/xksproxy"
)

// No fmt verb, slog handler or JSON encoding shows the credential or a
// plaintext, alone or inside another value.
func TestSecretsNeverPrinted(t *testing.T) {
	plaintext := []byte("PLAINTEXT-attack-at-dawn")
	values := map[string]any{
		"Credential":    testCred,
		"*Credential":   &testCred,
		"Options":       xksproxy.Options{Endpoint: "https://xks.example.com", UriPath: testPath, Region: testRegion, Credential: testCred},
		"EncryptInput":  xksproxy.EncryptInput{ExternalKeyId: "foo", RequestMetadata: testMD, Plaintext: plaintext, AdditionalAuthenticatedData: []byte("aad")},
		"*EncryptInput": &xksproxy.EncryptInput{ExternalKeyId: "foo", Plaintext: plaintext},
		"DecryptOutput": xksproxy.DecryptOutput{Plaintext: plaintext},
		"in a slice":    []any{testCred, xksproxy.DecryptOutput{Plaintext: plaintext}},
	}
	secrets := []string{testSecret, testAKID, string(plaintext), base64.StdEncoding.EncodeToString(plaintext), fmt.Sprint([]byte(plaintext))}
	for name, v := range values {
		t.Run(name, func(t *testing.T) {
			var texts []string
			for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%d", "%10v"} {
				texts = append(texts, fmt.Sprintf(verb, v))
			}
			var buf bytes.Buffer
			slog.New(slog.NewJSONHandler(&buf, nil)).Info("x", "v", v)
			slog.New(slog.NewTextHandler(&buf, nil)).Info("x", "v", v)
			texts = append(texts, buf.String())
			if b, err := json.Marshal(v); err == nil {
				texts = append(texts, string(b))
			}
			for _, text := range texts {
				for _, s := range secrets {
					assert.NotContains(t, text, s)
				}
			}
		})
	}
	assert.Equal(t, "{AccessKeyID:[REDACTED] SecretAccessKey:[REDACTED]}", fmt.Sprint(testCred))
	assert.Equal(t, `xksproxy.Credential{AccessKeyID:"[REDACTED]", SecretAccessKey:""}`, fmt.Sprintf("%#v", xksproxy.Credential{AccessKeyID: "x"}))
	assert.Contains(t, fmt.Sprint(xksproxy.EncryptInput{ExternalKeyId: "foo", Plaintext: plaintext}), "ExternalKeyId:foo")
}

// The Logger gets one Debug line per call, without the credential, the
// plaintext, the signature or the body.
func TestLoggerShowsNoSecrets(t *testing.T) {
	p := kmstest.NewXksProxyServer(kmstest.WithXksURIPrefix("/example-prefix"),
		kmstest.WithXksCredentials(kmstest.XksCredential{AccessKeyID: testAKID, SecretAccessKey: testSecret}),
		kmstest.WithXksKeys(kmstest.XksKey{ID: "foo"}))
	defer p.Close()
	var buf bytes.Buffer
	c := xksproxy.New(xksproxy.Options{Endpoint: p.URL, UriPath: testPath, Region: testRegion, Credential: testCred, HTTPClient: p.Client(),
		Logger: slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))})
	plaintext := []byte("PLAINTEXT-attack-at-dawn")
	enc, err := c.Encrypt(context.Background(), &xksproxy.EncryptInput{ExternalKeyId: "foo", RequestMetadata: testMD, Plaintext: plaintext})
	require.NoError(t, err)
	dec, err := c.Decrypt(context.Background(), &xksproxy.DecryptInput{ExternalKeyId: "foo", RequestMetadata: testMD,
		Ciphertext: enc.Ciphertext, InitializationVector: enc.InitializationVector, AuthenticationTag: enc.AuthenticationTag})
	require.NoError(t, err)
	assert.Equal(t, plaintext, dec.Plaintext)
	_, err = c.Decrypt(context.Background(), &xksproxy.DecryptInput{ExternalKeyId: "nope", RequestMetadata: testMD,
		Ciphertext: enc.Ciphertext, InitializationVector: enc.InitializationVector, AuthenticationTag: enc.AuthenticationTag})
	require.ErrorIs(t, err, xksproxy.ErrKeyNotFound)

	log := buf.String()
	assert.Contains(t, log, "operation=Encrypt")
	assert.Contains(t, log, "operation=Decrypt")
	assert.Contains(t, log, "errorName=KeyNotFoundException")
	for _, s := range []string{testSecret, testAKID, string(plaintext), base64.StdEncoding.EncodeToString(plaintext), "Signature="} {
		assert.NotContains(t, log, s)
	}
}

// TestEveryEncoderRedactsSecrets: encoding/gob and encoding/xml refuse to
// encode a set credential or plaintext, alone or inside another value,
// with an error rather than writing the marker (which decoded back as
// "[REDACTED]" and was then signed with); encoding/json writes the marker,
// for logging. Without a secret set, gob round-trips the value.
func TestEveryEncoderRedactsSecrets(t *testing.T) {
	plaintext := []byte("PLAINTEXT-attack-at-dawn")
	in := xksproxy.EncryptInput{ExternalKeyId: "foo", RequestMetadata: testMD, Plaintext: plaintext}
	out := xksproxy.DecryptOutput{Plaintext: plaintext, Latency: 3 * time.Millisecond}
	type holder struct {
		Cred xksproxy.Credential
		In   xksproxy.EncryptInput
		Out  *xksproxy.DecryptOutput
	}
	all := holder{testCred, in, &out}
	for name, v := range map[string]any{"credential": testCred, "encrypt input": in, "decrypt output": out, "holder": all} {
		t.Run(name, func(t *testing.T) {
			var g bytes.Buffer
			err := gob.NewEncoder(&g).Encode(v)
			require.ErrorContains(t, err, "refusing to encode a secret", "gob")
			_, err = xml.Marshal(v)
			require.ErrorContains(t, err, "refusing to encode a secret", "xml")
			for _, secret := range []string{testSecret, testAKID, string(plaintext), base64.StdEncoding.EncodeToString(plaintext)} {
				assert.NotContains(t, g.String(), secret)
				assert.NotContains(t, err.Error(), secret)
			}
			j, err := json.Marshal(v)
			require.NoError(t, err)
			assert.Contains(t, string(j), "[REDACTED]", "json, for logging")
		})
	}
	noSecrets := holder{In: xksproxy.EncryptInput{ExternalKeyId: "foo", RequestMetadata: testMD}, Out: &xksproxy.DecryptOutput{Latency: 3 * time.Millisecond}}
	var g bytes.Buffer
	require.NoError(t, gob.NewEncoder(&g).Encode(noSecrets))
	var back holder
	require.NoError(t, gob.NewDecoder(&g).Decode(&back))
	assert.Equal(t, "foo", back.In.ExternalKeyId)
	assert.Equal(t, testMD, back.In.RequestMetadata)
	assert.Equal(t, 3*time.Millisecond, back.Out.Latency)
	_, err := xml.Marshal(noSecrets)
	require.NoError(t, err)
}
