package kmstest

import (
	"errors"
	"net/http"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/kmskit/kms/internal/sigv4check"
)

// WithSignatureWindow sets how far a request's signing time (X-Amz-Date)
// may be from the fake's clock, either way, when SigV4 verification is on.
// A request outside it fails with InvalidSignatureException. The default is
// 15 minutes, KMS's window; zero or less accepts any signing time.
func WithSignatureWindow(d time.Duration) Option {
	return func(c *config) { c.signatureWindow = d }
}

// verifySigV4 checks r's signature with internal/sigv4check when
// verification is on, and turns a failure into the exception KMS answers
// with: IncompleteSignatureException, UnrecognizedClientException or
// InvalidSignatureException.
func (f *Fake) verifySigV4(r *http.Request, body []byte) *apiError {
	f.mu.Lock()
	verify := f.verify
	f.mu.Unlock()
	if !verify {
		return nil
	}
	v := sigv4check.Verifier{
		Credentials: f.credential,
		Service:     "kms",
		Region:      f.cfg.region,
		Window:      f.cfg.signatureWindow,
		Now:         f.cfg.now,
		Echo:        echo,
	}
	_, err := v.Check(r, body)
	if err == nil {
		return nil
	}
	var failed *sigv4check.Error
	if !errors.As(err, &failed) {
		return newError(CodeInvalidSignature, "The request signature could not be verified.")
	}
	switch failed.Reason {
	case sigv4check.Incomplete:
		return newError(CodeIncompleteSignature, failed.Message)
	case sigv4check.UnknownKey:
		return newError(CodeUnrecognizedClient, failed.Message)
	default:
		return newError(CodeInvalidSignature, failed.Message)
	}
}

// credential returns the accepted credential of an access key ID.
func (f *Fake) credential(accessKeyID string) (aws.Credentials, bool) {
	f.mu.Lock()
	c, ok := f.creds[accessKeyID]
	f.mu.Unlock()
	return aws.Credentials{AccessKeyID: c.AccessKeyId, SecretAccessKey: c.SecretAccessKey, SessionToken: c.SessionToken}, ok
}
