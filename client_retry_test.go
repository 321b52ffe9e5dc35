package kms_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kmskit/kms"
	"github.com/kmskit/kms/internal/sigv4check"
)

// failThen answers the first n requests with status/body, then 200 {}.
func failThen(n int32, status int, body string, count *atomic.Int32) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if count.Add(1) <= n {
			w.WriteHeader(status)
			_, _ = io.WriteString(w, body)
			return
		}
		_, _ = io.WriteString(w, "{}")
	}
}

func TestRetries(t *testing.T) {
	tests := []struct {
		name         string
		failures     int32
		status       int
		body         string
		maxAttempts  int
		wantAttempts int32
		wantErr      error
	}{
		{"503 then success", 2, 503, "", 3, 3, nil},
		{"500 KMSInternal then success", 1, 500, `{"__type":"KMSInternalException"}`, 3, 2, nil},
		{"throttling then success", 2, 400, `{"__type":"ThrottlingException","message":"Rate exceeded"}`, 3, 3, nil},
		{"503 exhausts attempts", 5, 503, "", 3, 3, nil},
		{"KMSInternal exhausts attempts", 5, 500, `{"__type":"KMSInternalException"}`, 4, 4, kms.ErrKMSInternal},
		{"400 service error is not retried", 5, 400, `{"__type":"CustomKeyStoreInvalidStateException"}`, 3, 1, kms.ErrCustomKeyStoreInvalidState},
		{"404 is not retried", 5, 404, ``, 3, 1, nil},
		{"RetryMaxAttempts 1 disables retries", 5, 503, "", 1, 1, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var count atomic.Int32
			c, rec := setup(t, failThen(tt.failures, tt.status, tt.body, &count), func(o *kms.Options) {
				o.Retryer = fastRetryer(tt.maxAttempts)
			})
			_, err := c.UpdateCustomKeyStore(context.Background(), &kms.UpdateCustomKeyStoreInput{CustomKeyStoreId: aws.String("cks-1")})
			assert.Equal(t, tt.wantAttempts, count.Load(), "attempts")
			if tt.failures < tt.wantAttempts {
				require.NoError(t, err)
			} else {
				require.Error(t, err)
				var apiErr *kms.APIError
				require.ErrorAs(t, err, &apiErr)
				assert.Equal(t, tt.status, apiErr.StatusCode)
				if tt.wantErr != nil {
					assert.ErrorIs(t, err, tt.wantErr)
				}
				if tt.wantAttempts > 1 {
					assert.Contains(t, err.Error(), "attempts")
				}
			}
			// Every attempt is freshly signed and verifies.
			reqs := rec.all()
			for _, r := range reqs {
				_, err := sigv4check.Verify(r.req, r.body, testCreds)
				assert.NoError(t, err)
			}
		})
	}
}

func TestRetryMaxAttemptsOverridesRetryer(t *testing.T) {
	var count atomic.Int32
	c, _ := setup(t, failThen(10, 503, "", &count), func(o *kms.Options) {
		o.Retryer = fastRetryer(2)
		o.RetryMaxAttempts = 5
	})
	_, err := c.UpdateCustomKeyStore(context.Background(), &kms.UpdateCustomKeyStoreInput{CustomKeyStoreId: aws.String("cks-1")})
	require.Error(t, err)
	assert.EqualValues(t, 5, count.Load())
}

func TestCancelDuringBackoff(t *testing.T) {
	var count atomic.Int32
	slow := retry.NewStandard(func(o *retry.StandardOptions) {
		o.MaxAttempts = 5
		o.Backoff = retry.BackoffDelayerFunc(func(int, error) (time.Duration, error) { return time.Hour, nil })
	})
	c, _ := setup(t, failThen(10, 503, "", &count), func(o *kms.Options) { o.Retryer = slow })
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	_, err := c.UpdateCustomKeyStore(ctx, &kms.UpdateCustomKeyStoreInput{CustomKeyStoreId: aws.String("cks-1")})
	require.Error(t, err)
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	var apiErr *kms.APIError
	assert.ErrorAs(t, err, &apiErr, "the last attempt's error is kept")
	// The call returned (an uncut hour-long backoff would hang the test):
	// it was cut short while waiting, and never tried again.
	assert.Contains(t, err.Error(), "canceled while waiting to retry")
	assert.EqualValues(t, 1, count.Load())
}

func TestCanceledContextSendsNothing(t *testing.T) {
	var count atomic.Int32
	c, _ := setup(t, failThen(0, 200, "", &count))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := c.UpdateCustomKeyStore(ctx, &kms.UpdateCustomKeyStoreInput{CustomKeyStoreId: aws.String("cks-1")})
	require.Error(t, err)
	assert.True(t, errors.Is(err, context.Canceled), "error wraps ctx.Err(): %v", err)
	assert.Zero(t, count.Load())
}

func TestConnectionErrorsAreRetried(t *testing.T) {
	var calls atomic.Int32
	hc := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		if calls.Add(1) < 3 {
			return nil, &netOpError{}
		}
		return &http.Response{StatusCode: 200, Header: http.Header{}, Body: http.NoBody}, nil
	})
	c := kms.New(kms.Options{Region: "us-east-1", Credentials: staticCreds(), HTTPClient: hc, Retryer: fastRetryer(3)})
	_, err := c.UpdateCustomKeyStore(context.Background(), &kms.UpdateCustomKeyStoreInput{CustomKeyStoreId: aws.String("cks-1")})
	require.NoError(t, err)
	assert.EqualValues(t, 3, calls.Load())
}

// netOpError looks like a connection reset to the retryer.
type netOpError struct{}

func (*netOpError) Error() string   { return "read tcp: connection reset by peer" }
func (*netOpError) Timeout() bool   { return false }
func (*netOpError) Temporary() bool { return true }
