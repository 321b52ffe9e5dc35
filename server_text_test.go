package kms_test

import (
	"bytes"
	"context"
	"encoding/gob"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kmskit/kms"
)

// assertCleanText fails unless s is valid UTF-8 of at most limit bytes
// without control or format (Cf) characters.
func assertCleanText(t *testing.T, s string, limit int, what string) {
	t.Helper()
	assert.True(t, utf8.ValidString(s), "%s is valid UTF-8", what)
	assert.LessOrEqual(t, len(s), limit, "%s is bounded", what)
	for _, r := range s {
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
			t.Errorf("%s %q holds %U", what, s, r)
		}
	}
}

// TestSuccessRequestIDCleanedAndBounded: the request ID of a success is
// cleaned and bounded like an error's (today: returned raw, 5 KB and
// U+202E included).
func TestSuccessRequestIDCleanedAndBounded(t *testing.T) {
	cases := map[string]struct{ rid, want string }{
		"5 KB":         {rid: strings.Repeat("r", 5000)},
		"bidi":         {rid: "abc\u202edef", want: "abcdef"},
		"zero width":   {rid: "ab\u200bcd\ufeff", want: "abcd"},
		"invalid":      {rid: "a\xffb", want: "a?b"},
		"secret":       {rid: "rid-" + secretPassword},
		"plain stays":  {rid: "7c3f-1a2b", want: "7c3f-1a2b"},
		"unicode kept": {rid: "réquête-✓", want: "réquête-✓"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			c, _ := setup(t, func(w http.ResponseWriter, _ *http.Request) {
				w.Header()["X-Amzn-Requestid"] = []string{tc.rid}
				_, _ = io.WriteString(w, "{}")
			})
			out, err := c.UpdateCustomKeyStore(context.Background(), cloudHSMInput())
			require.NoError(t, err)
			assertCleanText(t, out.RequestID, 256, "RequestID")
			assertNoFragment(t, out.RequestID, secretPassword)
			if tc.want != "" {
				assert.Equal(t, tc.want, out.RequestID)
			}
			meta, ok := awsmiddleware.GetRequestIDMetadata(out.ResultMetadata)
			assert.True(t, ok)
			assert.Equal(t, out.RequestID, meta)
		})
	}
}

// TestFormatCharactersDropped: Unicode format characters (category Cf)
// are dropped from Code, Message and RequestID of an error, not only
// control characters.
func TestFormatCharactersDropped(t *testing.T) {
	const cf = "\u202e\u200b\u200d\u2066\ufeff\u00ad"
	c, _ := setup(t, func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("X-Amzn-Requestid", "rid"+cf+"-1")
		w.WriteHeader(http.StatusBadRequest)
		_, _ = fmt.Fprintf(w, `{"__type":"Custom%sKeyStoreNotFoundException","message":"no%s such store"}`, cf, cf)
	}, func(o *kms.Options) { o.RetryMaxAttempts = 1 })
	_, err := c.UpdateCustomKeyStore(context.Background(), cloudHSMInput())
	var apiErr *kms.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, "CustomKeyStoreNotFoundException", apiErr.Code)
	assert.ErrorIs(t, err, kms.ErrCustomKeyStoreNotFound)
	assert.Equal(t, "no such store", apiErr.Message)
	assert.Equal(t, "rid-1", apiErr.RequestID)

	// An HTML body's excerpt drops them too.
	c, _ = setup(t, func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(http.StatusBadGateway)
		_, _ = io.WriteString(w, "<h1>bad"+cf+" gateway</h1>")
	}, func(o *kms.Options) { o.RetryMaxAttempts = 1 })
	_, err = c.UpdateCustomKeyStore(context.Background(), cloudHSMInput())
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, "<h1>bad gateway</h1>", apiErr.Message)
}

// TestEveryEncoderRedactsSecrets: encoding/json never writes a secret of an
// input or a credential (it writes "[REDACTED]"); encoding/gob and
// encoding/xml refuse to encode one, with an error naming the member and
// not the value, rather than write the marker that decoding would turn
// into the secret's value (issue 17 §5); without a secret, gob round trips
// every value.
func TestEveryEncoderRedactsSecrets(t *testing.T) {
	in := fullInput()
	cred := *in.XksProxyAuthenticationCredential
	type holder struct {
		In   kms.UpdateCustomKeyStoreInput
		Ptr  *kms.UpdateCustomKeyStoreInput
		Cred kms.XksProxyAuthenticationCredentialType
	}
	for name, v := range map[string]any{"input": in, "pointer": &in, "credential": cred, "holder": holder{in, &in, cred}} {
		t.Run(name, func(t *testing.T) {
			var g bytes.Buffer
			err := gob.NewEncoder(&g).Encode(v)
			require.ErrorContains(t, err, "kms: refusing to encode a secret: ")
			assert.Contains(t, err.Error(), "RawSecretAccessKey")
			assertNoSecret(t, err.Error()+g.String(), "gob")
			x, err := xml.Marshal(v)
			require.ErrorContains(t, err, "kms: refusing to encode a secret: ")
			assertNoSecret(t, err.Error()+string(x), "xml")
			j, err := json.Marshal(v)
			require.NoError(t, err)
			assertNoSecret(t, string(j), "json")
			assert.Contains(t, string(j), "[REDACTED]")
		})
	}

	plain := in
	plain.KeyStorePassword, plain.XksProxyAuthenticationCredential = nil, nil
	var g bytes.Buffer
	require.NoError(t, gob.NewEncoder(&g).Encode(holder{plain, &plain, kms.XksProxyAuthenticationCredentialType{}}))
	var back holder
	require.NoError(t, gob.NewDecoder(&g).Decode(&back))
	assert.Equal(t, plain, back.In, "every value survives")
	assert.Equal(t, plain, *back.Ptr)
	assert.Equal(t, *in.CustomKeyStoreId, *back.In.CustomKeyStoreId)
	assert.Equal(t, in.XksProxyConnectivity, back.Ptr.XksProxyConnectivity)
	x, err := xml.Marshal(holder{plain, &plain, kms.XksProxyAuthenticationCredentialType{}})
	require.NoError(t, err)
	assert.Contains(t, string(x), *in.CustomKeyStoreId)
}
