package kmstest

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/kmskit/kms/internal/sigv4check"
	"github.com/kmskit/kms/internal/xksmodel"
)

// xksSignatureWindow is how far a signing time may be from the proxy's
// clock: the specification's 5 minutes.
const xksSignatureWindow = 5 * time.Minute

// authenticate verifies r's SigV4 signature with sigv4check over exactly the
// headers the request lists as signed, for service kms-xks-proxy, any
// Region, within 5 minutes. Every failure is AuthenticationFailedException;
// the message never names the access key ID. A credential bound to another
// prefix than the request's (XksCredential.URIPrefix) is unknown.
func (p *XksProxyFake) authenticate(r *http.Request, body []byte, prefix string) *xksError {
	a, err := sigv4check.Parse(r.Header.Get("Authorization"))
	if err != nil {
		return xksErr(xksmodel.AuthenticationFailedException, "the request has no complete AWS4-HMAC-SHA256 Authorization header")
	}
	// The signer chose what to sign (KMS signs only host and x-amz-date):
	// verify exactly those, and ignore every header it did not list.
	signed := r.Clone(r.Context())
	signed.Header = http.Header{}
	for _, h := range append(a.SignedHeaders, "authorization", "x-amz-date") {
		if v, ok := r.Header[http.CanonicalHeaderKey(h)]; ok {
			signed.Header[http.CanonicalHeaderKey(h)] = v
		}
	}
	v := sigv4check.Verifier{
		Credentials: func(accessKeyID string) (aws.Credentials, bool) {
			p.mu.Lock()
			defer p.mu.Unlock()
			c, ok := p.creds[accessKeyID]
			ok = ok && (c.URIPrefix == "" || normalizePrefix(c.URIPrefix) == prefix)
			return aws.Credentials{AccessKeyID: c.AccessKeyID, SecretAccessKey: c.SecretAccessKey}, ok
		},
		Service: xksmodel.SigningName,
		Window:  xksSignatureWindow,
		Now:     p.now,
		Echo:    echo,
	}
	if _, err := v.Check(signed, body); err != nil {
		var se *sigv4check.Error
		msg := "the signature does not verify"
		if errors.As(err, &se) {
			switch se.Reason {
			case sigv4check.UnknownKey:
				msg = "the access key ID is not one this proxy accepts"
			case sigv4check.Incomplete:
				msg = "the request is not completely signed: " + se.Message
			default:
				msg = "the signature does not verify: " + se.Message
			}
		}
		return xksErr(xksmodel.AuthenticationFailedException, msg)
	}
	return nil
}

// decodeXksRequest decodes a request body; a body that is not one JSON
// object of the specification's member types is ValidationException.
func decodeXksRequest(body []byte) (*xksmodel.Request, *xksError) {
	var req xksmodel.Request
	d := json.NewDecoder(bytes.NewReader(body))
	err := d.Decode(&req)
	if err == nil {
		if _, tokErr := d.Token(); tokErr != io.EOF {
			err = errors.New("data after the JSON object")
		}
	}
	if err == nil {
		return &req, nil
	}
	var typ *json.UnmarshalTypeError
	var syn *json.SyntaxError
	switch {
	case errors.As(err, &typ) && typ.Field != "":
		return nil, xksErr(xksmodel.ValidationException, typ.Field+" has the wrong JSON type")
	case errors.As(err, &typ):
		return nil, xksErr(xksmodel.ValidationException, "the body must be a JSON object")
	case errors.As(err, &syn), errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return nil, xksErr(xksmodel.ValidationException, "the body is not JSON")
	default:
		return nil, xksErr(xksmodel.ValidationException, "a Base64 member is not valid standard Base64, or the body is not one JSON object")
	}
}

// writeXksJSON writes v as one line of JSON.
func writeXksJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		status, b = http.StatusInternalServerError, []byte(`{"errorName":"`+xksmodel.InternalException+`"}`)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}
