package kms_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/stretchr/testify/require"

	"github.com/kmskit/kms"
)

// testCreds are the credentials every test client signs with.
var testCreds = aws.Credentials{AccessKeyID: "AKIDEXAMPLE", SecretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", Source: "test"}

func staticCreds() aws.CredentialsProvider {
	return aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) { return testCreds, nil })
}

// fastRetryer retries like the standard retryer, with tiny fixed delays.
func fastRetryer(maxAttempts int) aws.Retryer {
	return retry.NewStandard(func(o *retry.StandardOptions) {
		o.MaxAttempts = maxAttempts
		o.Backoff = retry.BackoffDelayerFunc(func(int, error) (time.Duration, error) { return time.Millisecond, nil })
	})
}

// received is one request as the test server saw it.
type received struct {
	req  *http.Request
	body []byte
}

// recorder keeps what the server received.
type recorder struct {
	mu   sync.Mutex
	reqs []received
}

func (r *recorder) all() []received {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]received(nil), r.reqs...)
}

// setup starts a server answering with handler (nil: 200 {}) and returns a
// client pointed at it and the record of what the server received.
func setup(t *testing.T, handler http.HandlerFunc, optFns ...func(*kms.Options)) (*kms.Client, *recorder) {
	t.Helper()
	rec := &recorder{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			t.Errorf("server: read body: %v", err)
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		rec.mu.Lock()
		rec.reqs = append(rec.reqs, received{req: r.Clone(context.Background()), body: body})
		rec.mu.Unlock()
		if handler == nil {
			w.Header().Set("X-Amzn-Requestid", "req-ok")
			w.Header().Set("Content-Type", "application/x-amz-json-1.1")
			_, _ = io.WriteString(w, "{}")
			return
		}
		handler(w, r)
	}))
	t.Cleanup(srv.Close)
	opts := kms.Options{
		Region:       "us-east-1",
		Credentials:  staticCreds(),
		BaseEndpoint: aws.String(srv.URL),
		HTTPClient:   srv.Client(),
		Retryer:      fastRetryer(3),
	}
	c := kms.New(opts, optFns...)
	require.NotNil(t, c)
	return c, rec
}

// errorHandler answers every request with status, headers and body.
func errorHandler(status int, headers map[string]string, body string) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) {
		for k, v := range headers {
			w.Header().Set(k, v)
		}
		w.WriteHeader(status)
		_, _ = io.WriteString(w, body)
	}
}

// roundTripFunc is an HTTPClient that never touches the network.
type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) Do(r *http.Request) (*http.Response, error) { return f(r) }
