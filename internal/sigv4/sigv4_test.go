package sigv4

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var (
	creds      = aws.Credentials{AccessKeyID: "AKIDEXAMPLE", SecretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"}
	tokenCreds = aws.Credentials{AccessKeyID: "ASIAEXAMPLE", SecretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", SessionToken: "FwoGZXIvYXdzEBYaDH+token/with=chars"}
	longCreds  = aws.Credentials{AccessKeyID: "AKIDLONG", SecretAccessKey: strings.Repeat("s", 70)}
	when       = time.Date(2026, 11, 27, 14, 30, 5, 0, time.UTC)
)

type reqCase struct {
	name     string
	url      string
	host     string // r.Host, when set
	method   string
	body     string
	headers  http.Header
	creds    aws.Credentials
	region   string
	at       time.Time
	wantFast bool // the fast path signs it (else aws/signer/v4 does)
}

func kmsHeaders() http.Header {
	return http.Header{
		"Content-Type": {"application/x-amz-json-1.1"},
		"X-Amz-Target": {"TrentService.UpdateCustomKeyStore"},
		"User-Agent":   {"kmskit-kms-go/0.1.0 (go1.26; linux/amd64)"},
	}
}

func with(h http.Header, k string, v ...string) http.Header {
	h[k] = v
	return h
}

func cases() []reqCase {
	body := `{"CustomKeyStoreId":"cks-1234567890abcdef0"}`
	return []reqCase{
		{name: "KMS request", url: "https://kms.us-east-1.amazonaws.com/", body: body, headers: kmsHeaders(), wantFast: true},
		{name: "session token", url: "https://kms.us-east-1.amazonaws.com/", body: body, headers: kmsHeaders(), creds: tokenCreds, wantFast: true},
		{name: "secret longer than a block", url: "https://kms.us-east-1.amazonaws.com/", body: body, headers: kmsHeaders(), creds: longCreds, wantFast: true},
		{name: "loopback with port", url: "http://127.0.0.1:4599/", body: body, headers: kmsHeaders(), wantFast: true},
		{name: "default https port dropped", url: "https://kms.eu-west-1.amazonaws.com:443/", body: body, headers: kmsHeaders(), region: "eu-west-1", wantFast: true},
		{name: "default http port dropped", url: "http://localhost:80/", body: body, headers: kmsHeaders(), wantFast: true},
		{name: "https on port 80 kept", url: "https://localhost:80/", body: body, headers: kmsHeaders(), wantFast: true},
		{name: "IPv6 with port", url: "http://[::1]:8080/", body: body, headers: kmsHeaders(), wantFast: true},
		{name: "IPv6 default port", url: "https://[::1]:443/", body: body, headers: kmsHeaders(), wantFast: true},
		{name: "r.Host overrides URL host", url: "http://127.0.0.1:4599/", host: "kms.local:4599", body: body, headers: kmsHeaders(), wantFast: true},
		{name: "empty path", url: "https://kms.us-east-1.amazonaws.com", body: body, headers: kmsHeaders(), wantFast: true},
		{name: "unreserved path", url: "https://example.com/a-b/c_d/e.f~g/", body: body, headers: kmsHeaders(), wantFast: true},
		{name: "empty body", url: "https://kms.us-east-1.amazonaws.com/", headers: kmsHeaders(), wantFast: true},
		{name: "GET", method: http.MethodGet, url: "https://kms.us-east-1.amazonaws.com/", headers: kmsHeaders(), wantFast: true},
		{name: "ignored headers", url: "https://kms.us-east-1.amazonaws.com/", body: body,
			headers: with(with(with(kmsHeaders(), "X-Amzn-Trace-Id", "Root=1-abc"), "Expect", "100-continue"), "Content-Length", "999"), wantFast: true},
		{name: "lower-case user-agent is signed", url: "https://kms.us-east-1.amazonaws.com/", body: body,
			headers: with(kmsHeaders(), "user-agent", "other"), wantFast: true},
		{name: "empty header value", url: "https://kms.us-east-1.amazonaws.com/", body: body, headers: with(kmsHeaders(), "X-Empty", ""), wantFast: true},
		{name: "single inner spaces", url: "https://kms.us-east-1.amazonaws.com/", body: body, headers: with(kmsHeaders(), "X-Spaced", "a b c"), wantFast: true},
		{name: "other Region and date", url: "https://kms.ap-southeast-2.amazonaws.com/", body: body, headers: kmsHeaders(), region: "ap-southeast-2",
			at: time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC), wantFast: true},
		{name: "non-UTC signing time", url: "https://kms.us-east-1.amazonaws.com/", body: body, headers: kmsHeaders(),
			at: time.Date(2026, 11, 28, 1, 0, 0, 0, time.FixedZone("UTC+11", 11*3600)), wantFast: true},

		// Handed to aws/signer/v4.
		{name: "query", url: "https://example.com/?b=2&a=1+1", body: body, headers: kmsHeaders()},
		{name: "path to escape", url: "https://example.com/a%20b/c:d", body: body, headers: kmsHeaders()},
		{name: "repeated spaces", url: "https://example.com/", body: body, headers: with(kmsHeaders(), "X-Spaced", "a  b ")},
		{name: "tab in value", url: "https://example.com/", body: body, headers: with(kmsHeaders(), "X-Tab", "a\tb")},
		{name: "non-ASCII value", url: "https://example.com/", body: body, headers: with(kmsHeaders(), "X-Name", "Schlüssel")},
		{name: "two values", url: "https://example.com/", body: body, headers: with(kmsHeaders(), "X-Multi", "a", "b")},
		{name: "Host in the header map", url: "https://example.com/", body: body, headers: with(kmsHeaders(), "Host", "evil.example")},
		{name: "X-Amz-Date already set", url: "https://example.com/", body: body, headers: with(kmsHeaders(), "X-Amz-Date", "20200101T000000Z")},
		{name: "session token with spaces", url: "https://example.com/", body: body, headers: kmsHeaders(),
			creds: aws.Credentials{AccessKeyID: "A", SecretAccessKey: "S", SessionToken: " tok  en "}},
	}
}

func newReq(t *testing.T, c reqCase) *http.Request {
	t.Helper()
	method := c.method
	if method == "" {
		method = http.MethodPost
	}
	r, err := http.NewRequest(method, c.url, bytes.NewReader([]byte(c.body)))
	require.NoError(t, err)
	if c.host != "" {
		r.Host = c.host
	}
	for k, v := range c.headers {
		r.Header[k] = append([]string(nil), v...)
	}
	return r
}

func hashOf(body string) string {
	sum := sha256.Sum256([]byte(body))
	return hex.EncodeToString(sum[:])
}

func TestSignHTTPMatchesAWSSigner(t *testing.T) {
	ours := NewSigner()
	theirs := v4.NewSigner()
	for _, c := range cases() {
		t.Run(c.name, func(t *testing.T) {
			cr := c.creds
			if cr.AccessKeyID == "" {
				cr = creds
			}
			region := c.region
			if region == "" {
				region = "us-east-1"
			}
			at := c.at
			if at.IsZero() {
				at = when
			}
			// Twice: the second time from the signing key cache.
			for round := 0; round < 2; round++ {
				a, b := newReq(t, c), newReq(t, c)
				require.NoError(t, theirs.SignHTTP(context.Background(), cr, a, hashOf(c.body), "kms", region, at))

				fast := ours.sign(cr, b, hashOf(c.body), "kms", region, at.UTC())
				assert.Equal(t, c.wantFast, fast, "fast path")
				if !fast {
					require.NoError(t, ours.SignHTTP(context.Background(), cr, b, hashOf(c.body), "kms", region, at))
				}
				assert.NotEmpty(t, b.Header.Get("Authorization"))
				assert.Equal(t, a.Header, b.Header)
				assert.Equal(t, a.Host, b.Host)
				assert.Equal(t, a.URL.String(), b.URL.String())
			}
		})
	}
}

// Two spellings of one header name are signed by aws/signer/v4, whose
// result then depends on map order (it joins the values in the order it
// meets them); the fast path must leave such a request alone.
func TestTwoSpellingsOfOneHeaderAreNotFast(t *testing.T) {
	r, err := http.NewRequest(http.MethodPost, "https://example.com/", strings.NewReader("{}"))
	require.NoError(t, err)
	r.Header["X-Dup"] = []string{"a"}
	r.Header["x-dup"] = []string{"b"}
	assert.False(t, NewSigner().sign(creds, r, hashOf("{}"), "kms", "us-east-1", when))
	assert.Empty(t, r.Header.Get("Authorization"))
	assert.Empty(t, r.Header.Get("X-Amz-Date"))
	require.NoError(t, NewSigner().SignHTTP(context.Background(), creds, r, hashOf("{}"), "kms", "us-east-1", when))
	assert.Contains(t, r.Header.Get("Authorization"), "SignedHeaders=content-length;host;x-amz-date;x-dup,")
}

// The signing key cache must follow changes of secret, date, Region and
// service, also when signers run concurrently. The reference is a fresh
// aws/signer/v4 Signer per combination: its own cache is keyed by access
// key ID, not secret, and would keep a stale key when only the secret
// changes.
func TestSigningKeyFollowsItsInputs(t *testing.T) {
	ours := NewSigner()
	secrets := []string{"secretA", "secretB/+=", strings.Repeat("x", 61)}
	regions := []string{"us-east-1", "eu-central-1"}
	services := []string{"kms", "kms-fips"}
	days := []time.Time{when, when.Add(24 * time.Hour)}
	var wg sync.WaitGroup
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for _, sec := range secrets {
				for _, reg := range regions {
					for _, svc := range services {
						for _, day := range days {
							cr := aws.Credentials{AccessKeyID: "AKID", SecretAccessKey: sec}
							a, _ := http.NewRequest(http.MethodPost, "https://kms.example.com/", strings.NewReader("{}"))
							b, _ := http.NewRequest(http.MethodPost, "https://kms.example.com/", strings.NewReader("{}"))
							_ = v4.NewSigner().SignHTTP(context.Background(), cr, a, hashOf("{}"), svc, reg, day)
							_ = ours.SignHTTP(context.Background(), cr, b, hashOf("{}"), svc, reg, day)
							if a.Header.Get("Authorization") != b.Header.Get("Authorization") {
								t.Errorf("%s %s %s %s: got %s, want %s", sec, reg, svc, day, b.Header.Get("Authorization"), a.Header.Get("Authorization"))
							}
						}
					}
				}
			}
		}()
	}
	wg.Wait()
}

func TestSignHTTPAllocations(t *testing.T) {
	s := NewSigner()
	r, err := http.NewRequest(http.MethodPost, "https://kms.us-east-1.amazonaws.com/", strings.NewReader("{}"))
	require.NoError(t, err)
	base := kmsHeaders()
	hash := hashOf("{}")
	allocs := testing.AllocsPerRun(100, func() {
		for k := range r.Header {
			delete(r.Header, k)
		}
		for k, v := range base {
			r.Header[k] = v
		}
		_ = s.SignHTTP(context.Background(), creds, r, hash, "kms", "us-east-1", when)
	})
	// One string for the X-Amz-Date and Authorization values, one array
	// for the header value slices, and what one crypto/hmac hash costs.
	assert.LessOrEqual(t, allocs, 10.0, fmt.Sprintf("allocs per SignHTTP: %v", allocs))
}
