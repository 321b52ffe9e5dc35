// Package sigv4check recomputes the SigV4 signature of a received request,
// so tests can prove that what a client sent verifies.
package sigv4check

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

// Authorization is a parsed SigV4 Authorization header.
type Authorization struct {
	AccessKeyID   string
	Date          string // yyyymmdd
	Region        string
	Service       string
	SignedHeaders []string
	Signature     string
}

// Parse parses an "AWS4-HMAC-SHA256 Credential=..., SignedHeaders=...,
// Signature=..." header.
func Parse(h string) (Authorization, error) {
	var a Authorization
	rest, ok := strings.CutPrefix(h, "AWS4-HMAC-SHA256 ")
	if !ok {
		return a, errors.New("sigv4check: not an AWS4-HMAC-SHA256 authorization")
	}
	for _, part := range strings.Split(rest, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok {
			return a, fmt.Errorf("sigv4check: malformed part %q", part)
		}
		switch k {
		case "Credential":
			f := strings.Split(v, "/")
			if len(f) != 5 || f[4] != "aws4_request" {
				return a, fmt.Errorf("sigv4check: malformed credential scope %q", v)
			}
			a.AccessKeyID, a.Date, a.Region, a.Service = f[0], f[1], f[2], f[3]
		case "SignedHeaders":
			a.SignedHeaders = strings.Split(v, ";")
		case "Signature":
			a.Signature = v
		}
	}
	if a.AccessKeyID == "" || len(a.SignedHeaders) == 0 || a.Signature == "" {
		return a, errors.New("sigv4check: incomplete authorization")
	}
	return a, nil
}

// Verify recomputes the signature of r (whose body is body) with creds and
// returns nil when it matches the one r carries. It also checks that the
// payload hash covers body and that wantSigned headers were signed.
func Verify(r *http.Request, body []byte, creds aws.Credentials, wantSigned ...string) (Authorization, error) {
	a, err := Parse(r.Header.Get("Authorization"))
	if err != nil {
		return a, err
	}
	if a.AccessKeyID != creds.AccessKeyID {
		return a, fmt.Errorf("sigv4check: signed with key %q, want %q", a.AccessKeyID, creds.AccessKeyID)
	}
	signed := map[string]bool{}
	for _, h := range a.SignedHeaders {
		signed[h] = true
	}
	for _, h := range wantSigned {
		if !signed[h] {
			return a, fmt.Errorf("sigv4check: header %q not signed (signed: %v)", h, a.SignedHeaders)
		}
	}
	when, err := time.Parse("20060102T150405Z", r.Header.Get("X-Amz-Date"))
	if err != nil {
		return a, fmt.Errorf("sigv4check: bad X-Amz-Date: %w", err)
	}
	sum := sha256.Sum256(body)
	hash := hex.EncodeToString(sum[:])
	if got := r.Header.Get("X-Amz-Content-Sha256"); got != "" && got != hash {
		return a, errors.New("sigv4check: X-Amz-Content-Sha256 does not match the body")
	}
	re, err := http.NewRequest(r.Method, "http://"+r.Host+r.URL.RequestURI(), bytes.NewReader(body))
	if err != nil {
		return a, err
	}
	for _, h := range a.SignedHeaders {
		if h == "host" {
			continue
		}
		if h == "content-length" {
			re.ContentLength = r.ContentLength
			continue
		}
		re.Header[http.CanonicalHeaderKey(h)] = r.Header.Values(h)
	}
	if err := v4.NewSigner().SignHTTP(r.Context(), creds, re, hash, a.Service, a.Region, when); err != nil {
		return a, err
	}
	want, err := Parse(re.Header.Get("Authorization"))
	if err != nil {
		return a, err
	}
	if want.Signature != a.Signature {
		return a, errors.New("sigv4check: signature does not match")
	}
	return a, nil
}
