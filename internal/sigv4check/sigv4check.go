// Package sigv4check verifies the AWS Signature Version 4 of a received
// request as an AWS service does: it parses the Authorization header, checks
// what must be signed, the credential scope and the signing time, then
// signs a copy of the request with aws/signer/v4 and compares signatures.
// It is the one verifier of the repository: kmstest answers with it, and
// tests use it to prove that what a client sent verifies.
package sigv4check

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

// KMSWindow is how far the signing time of a request may be from KMS's
// clock, either way.
const KMSWindow = 15 * time.Minute

const (
	algorithm     = "AWS4-HMAC-SHA256"
	amzDateLayout = "20060102T150405Z"
	scopeLayout   = "20060102"
)

// alwaysSigned are the headers every SigV4 request must sign.
var alwaysSigned = []string{"host", "x-amz-date"}

// signedWhenPresent are the headers a request must sign when it carries
// them: every AWS SDK and the AWS CLI do, so a client that does not has a
// bug. An unsigned X-Amz-Target would let anyone who sees the request
// replay it as another operation.
var signedWhenPresent = []string{"content-type", "x-amz-security-token", "x-amz-target"}

// Authorization is a parsed SigV4 Authorization header.
type Authorization struct {
	AccessKeyID   string
	Date          string // of the credential scope, yyyymmdd
	Region        string
	Service       string
	SignedHeaders []string // lower-case, as the request lists them
	Signature     string
}

// Parse parses an "AWS4-HMAC-SHA256 Credential=..., SignedHeaders=...,
// Signature=..." header. A header of another algorithm, or one that lacks a
// part, is an *Error of Reason Incomplete.
func Parse(header string) (Authorization, error) {
	var a Authorization
	name, rest, found := strings.Cut(header, " ")
	if !found || name != algorithm {
		return a, incomplete(header)
	}
	for _, part := range strings.Split(rest, ",") {
		key, value, found := strings.Cut(strings.TrimSpace(part), "=")
		if !found {
			return a, incomplete(header)
		}
		switch key {
		case "Credential":
			scope := strings.Split(value, "/")
			if len(scope) != 5 || scope[4] != "aws4_request" {
				return a, incomplete(header)
			}
			a.AccessKeyID, a.Date, a.Region, a.Service = scope[0], scope[1], scope[2], scope[3]
		case "SignedHeaders":
			a.SignedHeaders = strings.Split(value, ";")
		case "Signature":
			a.Signature = value
		}
	}
	if a.AccessKeyID == "" || len(a.SignedHeaders) == 0 || a.SignedHeaders[0] == "" || a.Signature == "" {
		return a, incomplete(header)
	}
	return a, nil
}

// incomplete is AWS's answer to an Authorization header it cannot parse. It
// names the algorithm only, never the signature.
func incomplete(header string) *Error { return (*Verifier)(nil).incomplete(header) }

// incomplete is the package's incomplete, the algorithm name passed through
// v's Echo. The name ends at the first space, ',' or '=': a header without
// a space ("Signature=...") must not be repeated whole.
func (v *Verifier) incomplete(header string) *Error {
	name := header
	if i := strings.IndexAny(header, " ,="); i >= 0 {
		name = header[:i]
	}
	return &Error{Reason: Incomplete, Message: "Authorization header requires 'Credential', 'Signature' and 'SignedHeaders' parameters for the AWS4-HMAC-SHA256 algorithm. Authorization=" + v.echo(name)}
}

// echo is a request value as a Message repeats it: through Echo when set.
func (v *Verifier) echo(s string) string {
	if v == nil || v.Echo == nil {
		return s
	}
	return v.Echo(s)
}

// Reason says which AWS exception a failed verification is.
type Reason int

const (
	// Incomplete is IncompleteSignatureException: no usable Authorization
	// or X-Amz-Date header, or a header that must be signed is not.
	Incomplete Reason = iota + 1
	// UnknownKey is UnrecognizedClientException: the access key ID is not
	// known, or the session token is not the key's.
	UnknownKey
	// Mismatch is InvalidSignatureException: a wrong signature, scope,
	// payload hash or signing time.
	Mismatch
)

// Error is a failed verification. Message is the text AWS would answer
// with; it never holds a secret or the signature.
type Error struct {
	Reason  Reason
	Message string
}

func (e *Error) Error() string { return "sigv4check: " + e.Message }

// Verifier checks the signatures of requests. Its zero value, with
// Credentials set, accepts any service, Region and signing time.
type Verifier struct {
	// Credentials returns the credentials of an access key ID, and false
	// for an unknown one. Required. When the credentials have a
	// SessionToken, the request must carry it in X-Amz-Security-Token.
	Credentials func(accessKeyID string) (aws.Credentials, bool)
	// Service, when set, is the only signing name accepted, e.g. "kms".
	Service string
	// Region, when set, is the only Region accepted in the scope.
	Region string
	// Window, when positive, is how far the signing time may be from Now,
	// either way (KMS: KMSWindow). Zero or less accepts any time.
	Window time.Duration
	// Now is the verifier's clock; nil means time.Now.
	Now func() time.Time
	// Echo, when set, is applied to each request value that a Message
	// repeats (the Authorization algorithm, scope date and Region, signing
	// time, signed headers), e.g. to cut long ones; nil repeats them as
	// they are.
	Echo func(string) string
}

// Check verifies r, whose body was read into body. It returns the parsed
// Authorization, and an *Error when the request is not correctly signed.
func (v *Verifier) Check(r *http.Request, body []byte) (Authorization, error) {
	header := r.Header.Get("Authorization")
	a, err := Parse(header)
	if err != nil {
		return a, v.incomplete(header)
	}
	amzDate := r.Header.Get("X-Amz-Date")
	signedAt, err := time.Parse(amzDateLayout, amzDate)
	if err != nil {
		return a, &Error{Reason: Incomplete, Message: "Authorization requires an X-Amz-Date header in ISO-8601 basic format (YYYYMMDD'T'HHMMSS'Z')."}
	}
	if err := checkSignedHeaders(r, a.SignedHeaders); err != nil {
		return a, err
	}
	creds, ok := v.Credentials(a.AccessKeyID)
	if !ok || creds.SessionToken != "" && r.Header.Get("X-Amz-Security-Token") != creds.SessionToken {
		return a, &Error{Reason: UnknownKey, Message: "The security token included in the request is invalid."}
	}
	if err := v.checkScope(a, signedAt); err != nil {
		return a, err
	}
	if err := v.checkTime(amzDate, signedAt); err != nil {
		return a, err
	}
	sum := sha256.Sum256(body)
	payloadHash := hex.EncodeToString(sum[:])
	if got := r.Header.Get("X-Amz-Content-Sha256"); got != "" && got != payloadHash {
		return a, &Error{Reason: Mismatch, Message: "The provided 'x-amz-content-sha256' header does not match what was computed."}
	}
	want, err := resign(r, body, payloadHash, a, creds, signedAt)
	if err != nil {
		return a, &Error{Reason: Mismatch, Message: "The request could not be signed again for verification: " + v.echo(err.Error())}
	}
	if !slices.Equal(want.SignedHeaders, a.SignedHeaders) {
		return a, &Error{Reason: Mismatch, Message: "The request signature we calculated does not match the signature you provided: the request lists SignedHeaders " +
			v.echo(strings.Join(a.SignedHeaders, ";")) + ", it carries " + v.echo(strings.Join(want.SignedHeaders, ";")) + "."}
	}
	if !hmac.Equal([]byte(want.Signature), []byte(a.Signature)) {
		return a, &Error{Reason: Mismatch, Message: "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method."}
	}
	return a, nil
}

// checkSignedHeaders requires Host and X-Amz-Date to be signed, and
// Content-Type, X-Amz-Security-Token and X-Amz-Target when r has them.
func checkSignedHeaders(r *http.Request, signed []string) error {
	for _, h := range alwaysSigned {
		if !slices.Contains(signed, h) {
			return &Error{Reason: Incomplete, Message: "'Host' and 'X-Amz-Date' must be SignedHeaders in the AWS Authorization."}
		}
	}
	for _, h := range signedWhenPresent {
		if _, present := r.Header[http.CanonicalHeaderKey(h)]; present && !slices.Contains(signed, h) {
			return &Error{Reason: Incomplete, Message: "'" + http.CanonicalHeaderKey(h) + "' is in the request, so it must be one of the SignedHeaders in the AWS Authorization."}
		}
	}
	return nil
}

// checkScope compares the credential scope with the signing date and with
// the Service and Region the verifier accepts.
func (v *Verifier) checkScope(a Authorization, signedAt time.Time) error {
	if day := signedAt.Format(scopeLayout); a.Date != day {
		return &Error{Reason: Mismatch, Message: "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '" + v.echo(a.Date) + "' != '" + day + "'."}
	}
	if v.Service != "" && a.Service != v.Service {
		return &Error{Reason: Mismatch, Message: "Credential should be scoped to correct service: '" + v.Service + "'."}
	}
	if v.Region != "" && a.Region != v.Region {
		return &Error{Reason: Mismatch, Message: "Credential should be scoped to a valid region, not '" + v.echo(a.Region) + "'."}
	}
	return nil
}

// checkTime rejects a signing time more than Window from Now.
func (v *Verifier) checkTime(amzDate string, signedAt time.Time) error {
	if v.Window <= 0 {
		return nil
	}
	now := time.Now
	if v.Now != nil {
		now = v.Now
	}
	at := now().UTC()
	if d := at.Sub(signedAt); d > v.Window || d < -v.Window {
		return &Error{Reason: Mismatch, Message: fmt.Sprintf("Signature expired: %s is not within %s of %s.", v.echo(amzDate), windowText(v.Window), at.Format(amzDateLayout))}
	}
	return nil
}

// windowText writes a window as AWS does: "15 minutes".
func windowText(d time.Duration) string {
	if d%time.Minute == 0 {
		if d == time.Minute {
			return "1 minute"
		}
		return fmt.Sprintf("%d minutes", d/time.Minute)
	}
	return d.String()
}

// resign signs a copy of r that holds only the headers a lists as signed,
// with creds, and returns the Authorization that aws/signer/v4 computes.
func resign(r *http.Request, body []byte, payloadHash string, a Authorization, creds aws.Credentials, signedAt time.Time) (Authorization, error) {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	cp := &http.Request{
		Method: r.Method,
		URL: &url.URL{
			Scheme:   scheme,
			Host:     r.Host,
			Path:     r.URL.Path,
			RawPath:  r.URL.RawPath,
			RawQuery: r.URL.RawQuery,
		},
		Host:   r.Host,
		Header: http.Header{},
	}
	for _, h := range a.SignedHeaders {
		switch h {
		case "host":
		case "content-length":
			cp.ContentLength = int64(len(body))
		default:
			cp.Header[http.CanonicalHeaderKey(h)] = r.Header.Values(h)
		}
	}
	if err := v4.NewSigner().SignHTTP(r.Context(), creds, cp, payloadHash, a.Service, a.Region, signedAt); err != nil {
		return Authorization{}, err
	}
	return Parse(cp.Header.Get("Authorization"))
}

// Verify checks that r, whose body is body, is signed with creds for any
// service, Region and time, and that each of wantSigned (lower-case header
// names) is signed. Tests use it on what a client sent.
func Verify(r *http.Request, body []byte, creds aws.Credentials, wantSigned ...string) (Authorization, error) {
	v := Verifier{Credentials: func(accessKeyID string) (aws.Credentials, bool) {
		return creds, accessKeyID == creds.AccessKeyID
	}}
	a, err := v.Check(r, body)
	if err != nil {
		return a, err
	}
	for _, h := range wantSigned {
		if !slices.Contains(a.SignedHeaders, h) {
			return a, errors.New("sigv4check: header " + h + " is not signed (signed: " + strings.Join(a.SignedHeaders, ";") + ")")
		}
	}
	return a, nil
}
