package kms_test

import (
	"context"
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
