package kmstest

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

// sigv4 verification constants.
const (
	sigAlgorithm = "AWS4-HMAC-SHA256"
	amzDateFmt   = "20060102T150405Z"
	maxClockSkew = 15 * time.Minute
	signingName  = "kms"
)

// authorization is a parsed SigV4 Authorization header.
type authorization struct {
	accessKeyID   string
	date          string // YYYYMMDD of the credential scope
	region        string
	service       string
	signedHeaders string // as sent, e.g. "content-type;host;x-amz-date"
	signature     string
}

// parseAuthorization parses h; ok is false when it is not a complete SigV4
// header.
func parseAuthorization(h string) (a authorization, ok bool) {
	alg, rest, found := strings.Cut(h, " ")
	if !found || alg != sigAlgorithm {
		return a, false
	}
	params := map[string]string{}
	for _, part := range strings.Split(rest, ",") {
		k, v, found := strings.Cut(strings.TrimSpace(part), "=")
		if !found {
			return a, false
		}
		params[k] = v
	}
	scope := strings.Split(params["Credential"], "/")
	if len(scope) != 5 || scope[4] != "aws4_request" || scope[0] == "" {
		return a, false
	}
	a = authorization{
		accessKeyID:   scope[0],
		date:          scope[1],
		region:        scope[2],
		service:       scope[3],
		signedHeaders: params["SignedHeaders"],
		signature:     params["Signature"],
	}
	return a, a.signedHeaders != "" && a.signature != ""
}

// verifySigV4 checks r's signature when verification is on: a missing or
// malformed signature is IncompleteSignatureException, an unknown access key
// UnrecognizedClientException and a wrong signature, scope or time
// InvalidSignatureException.
func (f *Fake) verifySigV4(r *http.Request, body []byte) *apiError {
	f.mu.Lock()
	verify := f.verify
	var cred Credential
	a, complete := parseAuthorization(r.Header.Get("Authorization"))
	if complete {
		cred = f.creds[a.accessKeyID]
	}
	f.mu.Unlock()
	if !verify {
		return nil
	}

	if !complete {
		return newError(CodeIncompleteSignature,
			"Authorization header requires 'Credential', 'Signature' and 'SignedHeaders' parameters for the AWS4-HMAC-SHA256 algorithm. Authorization="+algorithmOf(r.Header.Get("Authorization")))
	}
	amzDate := r.Header.Get("X-Amz-Date")
	signedAt, err := time.Parse(amzDateFmt, amzDate)
	if err != nil {
		return newError(CodeIncompleteSignature, "Authorization requires an X-Amz-Date header in ISO-8601 basic format (YYYYMMDD'T'HHMMSS'Z').")
	}
	signed := strings.Split(a.signedHeaders, ";")
	if !slices.Contains(signed, "host") || !slices.Contains(signed, "x-amz-date") {
		return newError(CodeIncompleteSignature, "'Host' and 'X-Amz-Date' must be SignedHeaders in the AWS Authorization.")
	}
	if cred.AccessKeyId == "" {
		return newError(CodeUnrecognizedClient, "The security token included in the request is invalid.")
	}
	if cred.SessionToken != "" && r.Header.Get("X-Amz-Security-Token") != cred.SessionToken {
		return newError(CodeUnrecognizedClient, "The security token included in the request is invalid.")
	}
	if a.date != signedAt.Format("20060102") {
		return newError(CodeInvalidSignature, "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '"+a.date+"' != '"+signedAt.Format("20060102")+"'.")
	}
	if a.service != signingName {
		return newError(CodeInvalidSignature, "Credential should be scoped to correct service: 'kms'.")
	}
	if f.cfg.region != "" && a.region != f.cfg.region {
		return newError(CodeInvalidSignature, "Credential should be scoped to a valid region, not '"+a.region+"'.")
	}
	now := f.cfg.now().UTC()
	if d := now.Sub(signedAt); d > maxClockSkew || d < -maxClockSkew {
		return newError(CodeInvalidSignature, "Signature expired: "+amzDate+" is not within 15 minutes of "+now.Format(amzDateFmt)+".")
	}

	want, err := resign(r, body, signed, cred, a, signedAt)
	if err != nil {
		return newError(CodeInvalidSignature, "The request could not be re-signed for verification: "+err.Error())
	}
	if want.signedHeaders != a.signedHeaders {
		return newError(CodeInvalidSignature, "The request signature we calculated does not match the signature you provided: kmstest signs "+want.signedHeaders+", the request signed "+a.signedHeaders+".")
	}
	if !hmac.Equal([]byte(want.signature), []byte(a.signature)) {
		return newError(CodeInvalidSignature, "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.")
	}
	return nil
}

// resign signs a copy of r holding only the headers the client signed, with
// cred, and returns the Authorization header computed.
func resign(r *http.Request, body []byte, signed []string, cred Credential, a authorization, at time.Time) (authorization, error) {
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
	for _, h := range signed {
		switch h {
		case "host":
		case "content-length":
			cp.ContentLength = int64(len(body))
		default:
			cp.Header[http.CanonicalHeaderKey(h)] = r.Header.Values(h)
		}
	}
	sum := sha256.Sum256(body)
	creds := aws.Credentials{AccessKeyID: cred.AccessKeyId, SecretAccessKey: cred.SecretAccessKey}
	if err := v4.NewSigner().SignHTTP(r.Context(), creds, cp, hex.EncodeToString(sum[:]), a.service, a.region, at); err != nil {
		return authorization{}, err
	}
	got, ok := parseAuthorization(cp.Header.Get("Authorization"))
	if !ok {
		return authorization{}, errInternalSign
	}
	return got, nil
}

// errInternalSign reports that the signer produced no usable header.
var errInternalSign = &apiError{code: CodeInternalFailure, message: "signer produced no Authorization header", status: http.StatusInternalServerError}

// algorithmOf returns the first word of an Authorization header, for
// messages that must not echo the signature.
func algorithmOf(h string) string {
	alg, _, _ := strings.Cut(h, " ")
	return alg
}
