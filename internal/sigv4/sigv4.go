// Package sigv4 signs HTTP requests with AWS Signature Version 4 in the
// header form, producing exactly what aws-sdk-go-v2's aws/signer/v4 Signer
// produces for the same request, at a fraction of its cost.
//
// The fast path covers the requests an awsJson client builds: no query, a
// path of unreserved characters, one value per header, header values of
// printable ASCII without surrounding or repeated spaces. Anything else is
// handed to aws/signer/v4 itself, so the result never differs.
package sigv4

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

const (
	algorithm   = "AWS4-HMAC-SHA256"
	amzDateKey  = "X-Amz-Date"
	amzTokenKey = "X-Amz-Security-Token"
	authKey     = "Authorization"
	// maxHeaders bounds the headers the fast path sorts on the stack.
	maxHeaders = 16
)

// Signer signs requests. The zero value is not usable; call NewSigner. It
// is safe for concurrent use.
type Signer struct {
	fallback *v4.Signer
	key      atomic.Pointer[derivedKey] // the last signing key derived
}

// NewSigner returns a Signer.
func NewSigner() *Signer {
	return &Signer{fallback: v4.NewSigner()}
}

// derivedKey is a signing key and what it was derived from.
type derivedKey struct {
	secret, date, region, service string
	key                           [sha256.Size]byte
}

// sign returns HMAC-SHA256(k.key, msg). A fresh crypto/hmac hash each time
// keeps the allocation count fixed (a sync.Pool would not, under -race).
func (k *derivedKey) sign(msg []byte) [sha256.Size]byte {
	return hmacSHA256(k.key[:], msg)
}

// SignHTTP signs r in place as aws/signer/v4's Signer.SignHTTP does: it
// sets X-Amz-Date, X-Amz-Security-Token (with a session token) and
// Authorization, and drops a default port from r.Host. payloadHash is the
// lower-case hex SHA-256 of the body.
func (s *Signer) SignHTTP(ctx context.Context, creds aws.Credentials, r *http.Request, payloadHash, service, region string, signingTime time.Time) error {
	if !s.sign(creds, r, payloadHash, service, region, signingTime.UTC()) {
		return s.fallback.SignHTTP(ctx, creds, r, payloadHash, service, region, signingTime)
	}
	return nil
}

// header is one header to sign: its name as the request spells it (or the
// lower-case pseudo names host and content-length) and its value.
type header struct {
	name, value string
	length      int64 // for content-length, written as digits instead of value
	date        bool  // for X-Amz-Date, written from the date buffer
}

// sign is the fast path. It returns false, having changed nothing, when r
// needs the general signer.
func (s *Signer) sign(creds aws.Credentials, r *http.Request, payloadHash, service, region string, t time.Time) bool {
	u := r.URL
	if u == nil || u.Opaque != "" || u.RawQuery != "" || u.RawPath != "" || !unreservedPath(u.Path) {
		return false
	}
	h := r.Header
	if h == nil || len(h) > maxHeaders-4 || h[amzDateKey] != nil || h[amzTokenKey] != nil || h[authKey] != nil {
		return false
	}
	host := r.Host
	if host == "" {
		host = u.Host
	}
	hostForHeader := host
	if port := portOnly(host); port != "" && isDefaultPort(u.Scheme, port) {
		hostForHeader = stripPort(host)
	}
	if !plainValue(hostForHeader) || hostForHeader == "" {
		return false
	}

	var dateBuf [16]byte
	amzDate := t.AppendFormat(dateBuf[:0], "20060102T150405Z")
	shortDate := amzDate[:8]

	var list [maxHeaders]header
	n := 0
	list[n] = header{name: "host", value: hostForHeader}
	n++
	if r.ContentLength > 0 {
		list[n] = header{name: "content-length", length: r.ContentLength}
		n++
	}
	list[n] = header{name: amzDateKey, date: true}
	n++
	if creds.SessionToken != "" {
		if !plainValue(creds.SessionToken) {
			return false
		}
		list[n] = header{name: amzTokenKey, value: creds.SessionToken}
		n++
	}
	for k, v := range h {
		switch k {
		case "Authorization", "User-Agent", "X-Amzn-Trace-Id", "Expect", "Transfer-Encoding":
			continue // not signed, as in aws/signer/v4
		}
		if equalFold(k, "content-length") {
			continue
		}
		if len(v) != 1 || !plainValue(v[0]) || equalFold(k, "host") {
			return false
		}
		list[n] = header{name: k, value: v[0]}
		n++
	}
	hs := list[:n]
	// Insertion sort by lower-case name; equal names (two spellings of one
	// header) need the general signer.
	for i := 1; i < len(hs); i++ {
		for j := i; j > 0; j-- {
			c := compareLower(hs[j-1].name, hs[j].name)
			if c == 0 {
				return false
			}
			if c < 0 {
				break
			}
			hs[j-1], hs[j] = hs[j], hs[j-1]
		}
	}

	// One stack buffer holds the canonical request, the string to sign and
	// the Authorization value; it grows on the heap only for huge headers.
	var buf [2048]byte
	b := buf[:0]

	// Canonical request.
	b = append(b, r.Method...)
	b = append(b, '\n')
	if u.Path == "" {
		b = append(b, '/')
	} else {
		b = append(b, u.Path...)
	}
	b = append(b, '\n', '\n') // empty query
	for _, e := range hs {
		b = appendLower(b, e.name)
		b = append(b, ':')
		switch {
		case e.length > 0:
			b = strconv.AppendInt(b, e.length, 10)
		case e.date:
			b = append(b, amzDate...)
		default:
			b = append(b, e.value...)
		}
		b = append(b, '\n')
	}
	b = append(b, '\n')
	signedStart := len(b)
	for i, e := range hs {
		if i > 0 {
			b = append(b, ';')
		}
		b = appendLower(b, e.name)
	}
	signedEnd := len(b)
	b = append(b, '\n')
	b = append(b, payloadHash...)
	canonicalHash := sha256.Sum256(b)

	// String to sign, after the canonical request in the same buffer.
	stsStart := len(b)
	b = append(b, algorithm...)
	b = append(b, '\n')
	b = append(b, amzDate...)
	b = append(b, '\n')
	scopeStart := len(b)
	b = append(b, shortDate...)
	b = append(b, '/')
	b = append(b, region...)
	b = append(b, '/')
	b = append(b, service...)
	b = append(b, "/aws4_request"...)
	scopeEnd := len(b)
	b = append(b, '\n')
	b = hex.AppendEncode(b, canonicalHash[:])
	key := s.signingKey(creds.SecretAccessKey, shortDate, region, service)
	sig := key.sign(b[stsStart:])

	// X-Amz-Date and Authorization values, made one string.
	valuesStart := len(b)
	b = append(b, amzDate...)
	authStart := len(b)
	b = append(b, algorithm+" Credential="...)
	b = append(b, creds.AccessKeyID...)
	b = append(b, '/')
	b = append(b, b[scopeStart:scopeEnd]...)
	b = append(b, ", SignedHeaders="...)
	b = append(b, b[signedStart:signedEnd]...)
	b = append(b, ", Signature="...)
	b = hex.AppendEncode(b, sig[:])
	values := string(b[valuesStart:])
	dateValue, auth := values[:authStart-valuesStart], values[authStart-valuesStart:]

	if hostForHeader != host {
		r.Host = hostForHeader
	}
	// One backing array for the new header values; each slice is capped so
	// that appending to one cannot overwrite another.
	vals := make([]string, 3)
	vals[0], vals[1], vals[2] = dateValue, auth, creds.SessionToken
	h[amzDateKey] = vals[0:1:1]
	h[authKey] = vals[1:2:2]
	if creds.SessionToken != "" {
		h[amzTokenKey] = vals[2:3:3]
	}
	return true
}

// hmacSHA256 returns HMAC-SHA256(key, msg), using crypto/hmac.
func hmacSHA256(key, msg []byte) [sha256.Size]byte {
	m := hmac.New(sha256.New, key)
	m.Write(msg)
	var out [sha256.Size]byte
	m.Sum(out[:0])
	return out
}

// signingKey returns the SigV4 signing key, derived once per secret, date,
// Region and service.
func (s *Signer) signingKey(secret string, date []byte, region, service string) *derivedKey {
	if k := s.key.Load(); k != nil && k.date == string(date) && k.region == region && k.service == service && k.secret == secret {
		return k
	}
	k := &derivedKey{secret: secret, date: string(date), region: region, service: service}
	sum := hmacSHA256([]byte("AWS4"+secret), date)
	for _, part := range []string{region, service, "aws4_request"} {
		sum = hmacSHA256(sum[:], []byte(part))
	}
	k.key = sum
	s.key.Store(k)
	return k
}

// unreservedPath reports whether path is empty or made only of '/' and the
// characters SigV4 leaves unescaped, so that escaping it changes nothing.
func unreservedPath(p string) bool {
	for i := 0; i < len(p); i++ {
		c := p[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' ||
			c == '-' || c == '.' || c == '_' || c == '~' || c == '/') {
			return false
		}
	}
	return true
}

// plainValue reports whether v is printable ASCII without leading,
// trailing or repeated spaces: a value the signer's trimming leaves alone.
func plainValue(v string) bool {
	if v == "" {
		return true
	}
	if v[0] == ' ' || v[len(v)-1] == ' ' {
		return false
	}
	for i := 0; i < len(v); i++ {
		c := v[i]
		if c < ' ' || c > '~' || c == ' ' && v[i-1] == ' ' {
			return false
		}
	}
	return true
}

func lower(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + ('a' - 'A')
	}
	return c
}

func appendLower(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		b = append(b, lower(s[i]))
	}
	return b
}

// compareLower compares a and b as their lower-case forms would compare.
func compareLower(a, b string) int {
	for i := 0; i < len(a) && i < len(b); i++ {
		ca, cb := lower(a[i]), lower(b[i])
		if ca != cb {
			if ca < cb {
				return -1
			}
			return 1
		}
	}
	switch {
	case len(a) < len(b):
		return -1
	case len(a) > len(b):
		return 1
	}
	return 0
}

func equalFold(s, lowerASCII string) bool {
	return len(s) == len(lowerASCII) && compareLower(s, lowerASCII) == 0
}

// The host rules of aws/signer/v4: a port equal to the scheme's default is
// dropped from the signed (and sent) Host.

func portOnly(hostport string) string {
	colon := strings.IndexByte(hostport, ':')
	if colon == -1 {
		return ""
	}
	if i := strings.Index(hostport, "]:"); i != -1 {
		return hostport[i+len("]:"):]
	}
	if strings.IndexByte(hostport, ']') != -1 {
		return ""
	}
	return hostport[colon+1:]
}

func stripPort(hostport string) string {
	colon := strings.IndexByte(hostport, ':')
	if colon == -1 {
		return hostport
	}
	if i := strings.IndexByte(hostport, ']'); i != -1 {
		h := hostport[:i]
		if len(h) > 0 && h[0] == '[' {
			h = h[1:]
		}
		return h
	}
	return hostport[:colon]
}

func isDefaultPort(scheme, port string) bool {
	return equalFold(scheme, "http") && port == "80" || equalFold(scheme, "https") && port == "443"
}
