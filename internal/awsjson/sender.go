package awsjson

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

// ErrorFunc builds the error returned for a response with a non-2xx status.
// The retryer sees that error, so it should expose ErrorCode() and
// HTTPStatusCode() for classification.
type ErrorFunc func(r *ErrorResponse) error

// Sender sends awsJson1.1 requests for one service endpoint. It is safe for
// concurrent use once built; its fields must not change afterwards.
type Sender struct {
	URL         *url.URL // the endpoint; copied for each request
	Region      string
	Service     string // SigV4 signing name, e.g. "kms"
	TargetScope string // prefix of X-Amz-Target, e.g. "TrentService"
	Credentials aws.CredentialsProvider
	HTTPClient  aws.HTTPClient
	Retryer     aws.Retryer
	UserAgent   string
	Signer      *v4.Signer // one per client: it caches derived signing keys
	NewError    ErrorFunc
	// Clock corrects the signing time after a clock skew error; nil signs
	// with the local time and never corrects it.
	Clock *Clock
	// Logger, when set and enabled at Debug, gets one record per attempt.
	Logger *slog.Logger
	// RedactBody makes the body safe to log; without it no body is logged.
	RedactBody RedactFunc
	// MaxResponseBody lists the operations whose successful response body
	// is read into Result.Body, each with the most bytes read (see
	// readBody); other operations' bodies are drained and discarded.
	MaxResponseBody map[string]int64

	lastTarget atomic.Pointer[opTarget] // see target
}

// Result is what the caller and the attempt log need from a response.
type Result struct {
	StatusCode int
	RequestID  string
	// Body is the response body of an operation in MaxResponseBody.
	Body []byte
}

// Send posts body for operation op, retrying as the Retryer allows. It
// returns the error of the last attempt; ctx cancellation ends it at once,
// also while waiting between attempts. sc holds the secret values body
// holds (nil: none): no text of the response (header values, body, and so
// the Result, the error and what is logged) keeps any of them. The retryer
// classifies an attempt's error as it came from the HTTP client; the error
// Send returns is scrubbed down its whole chain (see Scrubber.ScrubError).
// A redirect is never followed: a 3xx response is an error, and so is a
// response to a request other than the one sent (see checkFinalRequest).
func (s *Sender) Send(ctx context.Context, op string, body []byte, sc *Scrubber) (Result, error) {
	hash := payloadHash(body)
	maxAttempts := s.Retryer.MaxAttempts()
	releaseRetry := nopRelease
	logging := s.debugEnabled(ctx)
	skewRetried := false
	for attempt := 1; ; attempt++ {
		releaseAttempt, err := attemptToken(ctx, s.Retryer)
		if err != nil {
			return Result{}, fmt.Errorf("kms: %s: get attempt token: %w", op, sc.ScrubError(err))
		}
		var start time.Time
		if logging {
			start = time.Now()
		}
		var skew skewInfo
		res, err := s.attempt(ctx, op, body, hash, &skew, sc)
		if logging {
			s.logAttempt(ctx, op, body, attempt, time.Since(start), &res, err, sc)
		}
		_ = releaseRetry(err)
		releaseRetry = nopRelease
		_ = releaseAttempt(err)
		if err == nil {
			return res, nil
		}
		if ctx.Err() != nil {
			return res, sc.ScrubError(err)
		}
		// One extra attempt, re-signed with the server's time, when the
		// server rejected the signing time. It does not count against
		// maxAttempts: it corrects the request rather than retrying a fault.
		if !skewRetried && s.Clock.correct(err, &skew) {
			skewRetried = true
			continue
		}
		if !s.Retryer.IsErrorRetryable(err) {
			return res, sc.ScrubError(err)
		}
		if maxAttempts > 0 && attempt-boolInt(skewRetried) >= maxAttempts {
			return res, &AttemptsError{Attempts: attempt, Err: sc.ScrubError(err)}
		}
		var quotaErr error
		if releaseRetry, quotaErr = s.retryToken(ctx, err); quotaErr != nil {
			return res, sc.ScrubError(quotaErr)
		}
		delay, derr := s.Retryer.RetryDelay(attempt-boolInt(skewRetried), err)
		if derr != nil {
			return res, fmt.Errorf("%w (retry delay: %v)", sc.ScrubError(err), sc.Scrub(derr.Error()))
		}
		if werr := Sleep(ctx, delay); werr != nil {
			return res, fmt.Errorf("kms: %s: canceled while waiting to retry: %w; last attempt: %w", op, werr, sc.ScrubError(err))
		}
	}
}

// retryToken asks the retryer's quota for a retry. When the quota is spent
// the operation error itself is returned, so callers still see a typed error.
func (s *Sender) retryToken(ctx context.Context, opErr error) (func(error) error, error) {
	release, err := s.Retryer.GetRetryToken(ctx, opErr)
	if err != nil {
		return nopRelease, opErr
	}
	return release, nil
}

// attempt builds, signs and sends one request and reads its response.
func (s *Sender) attempt(ctx context.Context, op string, body []byte, hash string, skew *skewInfo, sc *Scrubber) (Result, error) {
	req := s.buildRequest(ctx, op, body)
	creds, err := s.Credentials.Retrieve(ctx)
	if err != nil {
		return Result{}, fmt.Errorf("kms: %s: retrieve credentials: %w", op, err)
	}
	skew.sentAt = time.Now()
	if err := s.Signer.SignHTTP(ctx, creds, req, hash, s.Service, s.Region, skew.sentAt.Add(s.Clock.Offset()).UTC()); err != nil {
		return Result{}, fmt.Errorf("kms: %s: sign request: %w", op, err)
	}
	resp, err := s.HTTPClient.Do(req)
	if err != nil {
		// Unscrubbed, for the retryer; Send scrubs what it returns.
		return Result{}, fmt.Errorf("kms: %s: send request: %w", op, err)
	}
	res := Result{StatusCode: resp.StatusCode, RequestID: scrubbedRequestID(resp.Header, sc)}
	if err := checkFinalRequest(op, req, resp); err != nil {
		_ = drainAndClose(resp.Body)
		return res, err
	}
	if resp.StatusCode >= 300 && resp.StatusCode < 400 {
		_ = drainAndClose(resp.Body)
		er := redirectResponse(req, resp, res.RequestID, sc)
		return res, s.newError(&er, sc)
	}
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		if limit := s.MaxResponseBody[op]; limit > 0 {
			return readBody(resp, res, op, limit)
		}
		if err := drainAndClose(resp.Body); err != nil {
			return res, fmt.Errorf("kms: %s: read response (status %d, request id %s): %w", op, resp.StatusCode, res.RequestID, err)
		}
		return res, nil
	}
	skew.receivedAt = time.Now()
	skew.date = sc.Scrub(resp.Header.Get("Date"))
	skew.cached = resp.Header.Get("Age") != ""
	er := readScrubbedErrorResponse(resp, sc)
	return res, s.newError(&er, sc)
}

// newError is s.NewError(er) with each text of er judged in its place too:
// with the library's text around it (the ": " before a message, say) a
// text can complete a run of a secret that it does not hold alone. Then
// the message or the request ID, or both, is Redacted, so that the error's
// text holds nothing to remove and Send returns the error itself
// (errors.As still finds it), not a scrubbed copy.
func (s *Sender) newError(er *ErrorResponse, sc *Scrubber) error {
	clean := func(err error) bool { t := err.Error(); return sc.Scrub(t) == t }
	err := s.NewError(er)
	if clean(err) {
		return err
	}
	for _, text := range [...]*string{&er.Message, &er.RequestID} {
		if kept := *text; kept != "" {
			*text = Redacted
			if err := s.NewError(er); clean(err) {
				return err
			}
			*text = kept
		}
	}
	for _, text := range [...]*string{&er.Message, &er.RequestID} {
		if *text != "" {
			*text = Redacted
		}
	}
	return s.NewError(er)
}

// opTarget is an X-Amz-Target value and the operation it is for.
type opTarget struct{ op, target string }

// target returns the X-Amz-Target of op, built once per operation in a row
// rather than once per request.
func (s *Sender) target(op string) string {
	if t := s.lastTarget.Load(); t != nil && t.op == op {
		return t.target
	}
	t := &opTarget{op: op, target: s.TargetScope + "." + op}
	s.lastTarget.Store(t)
	return t.target
}

// AttemptsError is returned when every allowed attempt failed with a
// retryable error. It wraps the last attempt's error.
type AttemptsError struct {
	Attempts int
	Err      error
}

func (e *AttemptsError) Error() string {
	return fmt.Sprintf("%v (gave up after %d attempts)", e.Err, e.Attempts)
}

func (e *AttemptsError) Unwrap() error { return e.Err }

func payloadHash(body []byte) string {
	sum := sha256.Sum256(body)
	var dst [2 * sha256.Size]byte
	hex.Encode(dst[:], sum[:])
	return string(dst[:])
}

func attemptToken(ctx context.Context, r aws.Retryer) (func(error) error, error) {
	if v2, ok := r.(aws.RetryerV2); ok {
		return v2.GetAttemptToken(ctx)
	}
	return r.GetInitialToken(), nil
}

func nopRelease(error) error { return nil }

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// Sleep waits d or until ctx is done, whichever is first; it returns
// ctx.Err() when ctx ended first. The sender's retries and the waiters
// both wait with it.
func Sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// maxDrain bounds how much of a body is read only to reuse the connection.
const maxDrain = 256 << 10

// drainAndClose reads what is left of body, up to maxDrain, and closes it.
// A larger body is abandoned: its connection is closed rather than reused.
func drainAndClose(body io.ReadCloser) error {
	_, err := io.CopyN(io.Discard, body, maxDrain)
	if err == io.EOF {
		err = nil
	}
	cerr := body.Close()
	if err == nil {
		err = cerr
	}
	return err
}
