package sigv4check

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var (
	keyCreds   = aws.Credentials{AccessKeyID: "AKIDEXAMPLE", SecretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"}
	tokenCreds = aws.Credentials{AccessKeyID: "ASIATEMPORARY", SecretAccessKey: "temporary-secret", SessionToken: "session-token-1"}
	signedAt   = time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)
)

const body = `{"CustomKeyStoreId":"cks-1234567890abcdef0"}`

// request is a KMS request signed by aws/signer/v4 with creds at signedAt,
// for service kms in us-east-1; change runs before signing and after runs
// after it.
func request(t testing.TB, creds aws.Credentials, change, after func(*http.Request)) *http.Request {
	t.Helper()
	r, err := http.NewRequest(http.MethodPost, "https://kms.us-east-1.amazonaws.com/", strings.NewReader(body))
	require.NoError(t, err)
	r.Header.Set("Content-Type", "application/x-amz-json-1.1")
	r.Header.Set("X-Amz-Target", "TrentService.UpdateCustomKeyStore")
	if change != nil {
		change(r)
	}
	sum := sha256.Sum256([]byte(body))
	require.NoError(t, v4.NewSigner().SignHTTP(context.Background(), creds, r, hex.EncodeToString(sum[:]), "kms", "us-east-1", signedAt))
	if after != nil {
		after(r)
	}
	return r
}

func verifier() *Verifier {
	return &Verifier{
		Credentials: func(id string) (aws.Credentials, bool) {
			for _, c := range []aws.Credentials{keyCreds, tokenCreds} {
				if c.AccessKeyID == id {
					return c, true
				}
			}
			return aws.Credentials{}, false
		},
		Service: "kms",
		Region:  "us-east-1",
		Window:  KMSWindow,
		Now:     func() time.Time { return signedAt.Add(time.Minute) },
	}
}

// TestCheck covers each reason a request fails, and what passes.
func TestCheck(t *testing.T) {
	setHeader := func(name, value string) func(*http.Request) {
		return func(r *http.Request) { r.Header.Set(name, value) }
	}
	tests := []struct {
		name          string
		creds         aws.Credentials
		change, after func(*http.Request)
		verifier      func(*Verifier)
		reason        Reason
		contains      string
	}{
		{name: "valid", creds: keyCreds},
		{name: "valid with session token", creds: tokenCreds},
		{name: "valid with an extra signed header", creds: keyCreds, change: setHeader("X-Custom", "a  b")},
		{name: "valid with an unsigned User-Agent", creds: keyCreds, after: setHeader("User-Agent", "late/1.0")},
		{name: "no Authorization", creds: keyCreds, after: func(r *http.Request) { r.Header.Del("Authorization") },
			reason: Incomplete, contains: "requires 'Credential'"},
		{name: "another scheme", creds: keyCreds, after: setHeader("Authorization", "Bearer abc.def"),
			reason: Incomplete, contains: "Authorization=Bearer"},
		{name: "no X-Amz-Date", creds: keyCreds, after: func(r *http.Request) { r.Header.Del("X-Amz-Date") },
			reason: Incomplete, contains: "X-Amz-Date"},
		{name: "X-Amz-Target unsigned", creds: keyCreds,
			change: func(r *http.Request) { r.Header.Del("X-Amz-Target") },
			after:  setHeader("X-Amz-Target", "TrentService.DeleteCustomKeyStore"),
			reason: Incomplete, contains: "'X-Amz-Target'"},
		{name: "Content-Type unsigned", creds: keyCreds,
			change: func(r *http.Request) { r.Header.Del("Content-Type") },
			after:  setHeader("Content-Type", "application/x-amz-json-1.1"),
			reason: Incomplete, contains: "'Content-Type'"},
		{name: "X-Amz-Security-Token unsigned", creds: aws.Credentials{AccessKeyID: tokenCreds.AccessKeyID, SecretAccessKey: tokenCreds.SecretAccessKey},
			after:  setHeader("X-Amz-Security-Token", tokenCreds.SessionToken),
			reason: Incomplete, contains: "'X-Amz-Security-Token'"},
		{name: "unknown key", creds: aws.Credentials{AccessKeyID: "AKIDUNKNOWN", SecretAccessKey: keyCreds.SecretAccessKey},
			reason: UnknownKey},
		{name: "session token missing", creds: aws.Credentials{AccessKeyID: tokenCreds.AccessKeyID, SecretAccessKey: tokenCreds.SecretAccessKey},
			reason: UnknownKey},
		{name: "session token of another", creds: aws.Credentials{AccessKeyID: tokenCreds.AccessKeyID, SecretAccessKey: tokenCreds.SecretAccessKey, SessionToken: "other"},
			reason: UnknownKey},
		{name: "wrong secret", creds: aws.Credentials{AccessKeyID: keyCreds.AccessKeyID, SecretAccessKey: "not-the-secret"},
			reason: Mismatch, contains: "does not match"},
		{name: "signed header changed", creds: keyCreds, after: setHeader("X-Amz-Target", "TrentService.DeleteCustomKeyStore"),
			reason: Mismatch, contains: "does not match"},
		{name: "payload hash header wrong", creds: keyCreds, change: setHeader("X-Amz-Content-Sha256", strings.Repeat("0", 64)),
			reason: Mismatch, contains: "x-amz-content-sha256"},
		{name: "wrong Region", creds: keyCreds, verifier: func(v *Verifier) { v.Region = "eu-west-3" },
			reason: Mismatch, contains: "not 'us-east-1'"},
		{name: "wrong service", creds: keyCreds, verifier: func(v *Verifier) { v.Service = "s3" },
			reason: Mismatch, contains: "'s3'"},
		{name: "any Region and service", creds: keyCreds, verifier: func(v *Verifier) { v.Region, v.Service = "", "" }},
		{name: "too old", creds: keyCreds, verifier: func(v *Verifier) { v.Now = func() time.Time { return signedAt.Add(16 * time.Minute) } },
			reason: Mismatch, contains: "not within 15 minutes"},
		{name: "too new", creds: keyCreds, verifier: func(v *Verifier) { v.Now = func() time.Time { return signedAt.Add(-16 * time.Minute) } },
			reason: Mismatch, contains: "Signature expired"},
		{name: "narrow window", creds: keyCreds, verifier: func(v *Verifier) { v.Window = 30 * time.Second },
			reason: Mismatch, contains: "not within 30s"},
		{name: "no window", creds: keyCreds, verifier: func(v *Verifier) {
			v.Window = 0
			v.Now = func() time.Time { return signedAt.Add(1000 * time.Hour) }
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := request(t, tt.creds, tt.change, tt.after)
			v := verifier()
			if tt.verifier != nil {
				tt.verifier(v)
			}
			a, err := v.Check(r, []byte(body))
			if tt.reason == 0 {
				require.NoError(t, err)
				assert.Equal(t, tt.creds.AccessKeyID, a.AccessKeyID)
				assert.Equal(t, "kms", a.Service)
				return
			}
			var failed *Error
			require.True(t, errors.As(err, &failed), "want an *Error, got %v", err)
			assert.Equal(t, tt.reason, failed.Reason)
			assert.Contains(t, failed.Message, tt.contains)
			for _, secret := range []string{keyCreds.SecretAccessKey, tokenCreds.SecretAccessKey, tokenCreds.SessionToken} {
				assert.NotContains(t, failed.Message, secret)
			}
			if sig := a.Signature; sig != "" {
				assert.NotContains(t, failed.Message, sig)
			}
		})
	}
}

// TestCheckBodyChanged: the signature covers the body that was read.
func TestCheckBodyChanged(t *testing.T) {
	r := request(t, keyCreds, nil, nil)
	_, err := verifier().Check(r, []byte(strings.Replace(body, "cks-1", "cks-2", 1)))
	var failed *Error
	require.ErrorAs(t, err, &failed)
	assert.Equal(t, Mismatch, failed.Reason)
}

// TestCheckPlainHTTP: a request to a loopback port verifies; the Host it
// was signed for is part of the signature.
func TestCheckPlainHTTP(t *testing.T) {
	r := request(t, keyCreds, func(r *http.Request) {
		r.URL.Scheme, r.URL.Host, r.Host = "http", "127.0.0.1:4599", "127.0.0.1:4599"
	}, nil)
	_, err := verifier().Check(r, []byte(body))
	require.NoError(t, err)
	r.Host = "127.0.0.1:4600"
	_, err = verifier().Check(r, []byte(body))
	require.Error(t, err)
}

// TestParse reads the parts of a SigV4 Authorization header and refuses
// incomplete ones.
func TestParse(t *testing.T) {
	a, err := Parse("AWS4-HMAC-SHA256 Credential=AKID/20260304/us-east-1/kms/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=abc123")
	require.NoError(t, err)
	assert.Equal(t, Authorization{AccessKeyID: "AKID", Date: "20260304", Region: "us-east-1", Service: "kms",
		SignedHeaders: []string{"content-type", "host", "x-amz-date"}, Signature: "abc123"}, a)
	for _, bad := range []string{
		"",
		"AWS4-HMAC-SHA256",
		"AWS4-HMAC-SHA512 Credential=AKID/20260304/us-east-1/kms/aws4_request, SignedHeaders=host, Signature=abc",
		"AWS4-HMAC-SHA256 Credential=AKID/20260304/us-east-1/kms, SignedHeaders=host, Signature=abc",
		"AWS4-HMAC-SHA256 Credential=/20260304/us-east-1/kms/aws4_request, SignedHeaders=host, Signature=abc",
		"AWS4-HMAC-SHA256 Credential=AKID/20260304/us-east-1/kms/aws4_request, SignedHeaders=, Signature=abc",
		"AWS4-HMAC-SHA256 Credential=AKID/20260304/us-east-1/kms/aws4_request, SignedHeaders=host",
		"AWS4-HMAC-SHA256 Credential=AKID/20260304/us-east-1/kms/aws4_request, SignedHeaders=host, Signature",
	} {
		_, err := Parse(bad)
		var failed *Error
		require.ErrorAs(t, err, &failed, bad)
		assert.Equal(t, Incomplete, failed.Reason, bad)
	}
}

// TestVerify: the helper tests use checks the key and the headers asked
// for, at any time.
func TestVerify(t *testing.T) {
	r := request(t, keyCreds, nil, nil)
	_, err := Verify(r, []byte(body), keyCreds, "content-type", "x-amz-target")
	require.NoError(t, err)
	_, err = Verify(r, []byte(body), keyCreds, "x-amz-security-token")
	require.ErrorContains(t, err, "x-amz-security-token is not signed")
	_, err = Verify(r, []byte(body), tokenCreds)
	require.Error(t, err)
	_, err = Verify(r, []byte(body), aws.Credentials{AccessKeyID: keyCreds.AccessKeyID, SecretAccessKey: "other"})
	require.Error(t, err)
}

// TestCheckEchoesThroughEcho: every request value a Message repeats goes
// through Verifier.Echo, so a long one (here: 100 000 bytes) can be cut.
func TestCheckEchoesThroughEcho(t *testing.T) {
	long := strings.Repeat("x", 100000)
	at := signedAt.Format(amzDateLayout)
	for name, tc := range map[string]struct {
		header func(*http.Request)
		late   bool // checked an hour after signing
		want   string
	}{
		"algorithm": {header: func(r *http.Request) { r.Header.Set("Authorization", "AWS4-"+long) }, want: "Authorization=<echo>"},
		"algorithm with parts": {header: func(r *http.Request) {
			r.Header.Set("Authorization", long+" Credential=AKIDEXAMPLE/20260304/us-east-1/kms/aws4_request")
		}, want: "Authorization=<echo>"},
		"region": {header: func(r *http.Request) {
			r.Header.Set("Authorization", strings.Replace(r.Header.Get("Authorization"), "/us-east-1/", "/"+long+"/", 1))
		}, want: "not '<echo>'"},
		"scope date": {header: func(r *http.Request) {
			r.Header.Set("Authorization", strings.Replace(r.Header.Get("Authorization"), "/20260304/", "/"+long+"/", 1))
		}, want: "'<echo>' != '20260304'"},
		"signing time": {header: func(r *http.Request) {
			r.Header.Set("X-Amz-Date", at[:15]+"."+strings.Repeat("0", 100000)+"Z")
		}, late: true, want: "Signature expired: <echo> is not"},
	} {
		t.Run(name, func(t *testing.T) {
			v := verifier()
			if tc.late {
				v.Now = func() time.Time { return signedAt.Add(time.Hour) }
			}
			var echoed []int
			v.Echo = func(s string) string {
				echoed = append(echoed, len(s))
				return "<echo>"
			}
			_, err := v.Check(request(t, keyCreds, nil, tc.header), []byte(body))
			var e *Error
			require.ErrorAs(t, err, &e)
			assert.Contains(t, e.Message, tc.want)
			assert.Less(t, len(e.Message), 1000)
			require.NotEmpty(t, echoed)
			assert.GreaterOrEqual(t, echoed[0], 100000)
		})
	}
	// Parse, which has no Verifier, repeats the algorithm as it is.
	_, err := Parse("AWS4-" + long)
	assert.Contains(t, err.Error(), "Authorization=AWS4-"+long)
}

// TestIncompleteNamesOnlyTheAlgorithm: a header without a space (fuzz input
// "Signature=000000000") is not repeated whole; the name ends at the first
// space, ',' or '='.
func TestIncompleteNamesOnlyTheAlgorithm(t *testing.T) {
	for header, want := range map[string]string{
		"Signature=0123456789abcdef":               "Authorization=Signature",
		"AWS4-HMAC-SHA256,Signature=0123456789abc": "Authorization=AWS4-HMAC-SHA256",
		"Bearer abc.def":                           "Authorization=Bearer",
	} {
		e := incomplete(header)
		assert.True(t, strings.HasSuffix(e.Message, want), "%q: %s", header, e.Message)
		assert.NotContains(t, e.Message, "0123456789")
	}
}
