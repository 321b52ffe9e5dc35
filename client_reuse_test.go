package kms_test

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kmskit/kms"
)

// TestSequentialCallsReuseOneConnection sends 500 sequential calls through
// one client with its default HTTP client and counts the TCP connections the
// server accepts: every response body, success or error, must be read and
// closed so that the connection goes back to the idle pool (one connection
// serves nearly every call).
func TestSequentialCallsReuseOneConnection(t *testing.T) {
	const calls = 500
	tests := []struct {
		name         string
		status       int
		body         string
		maxAttempts  int
		wantErr      error
		wantRequests int64
	}{
		{"success", http.StatusOK, "{}", 1, nil, calls},
		{"success with a larger body", http.StatusOK, `{"Padding":"` + strings.Repeat("x", 8<<10) + `"}`, 1, nil, calls},
		{"modeled 4xx error", http.StatusBadRequest,
			`{"__type":"CustomKeyStoreInvalidStateException","message":"store is CONNECTED"}`, 1, kms.ErrCustomKeyStoreInvalidState, calls},
		{"retried 5xx error", http.StatusInternalServerError,
			`{"__type":"KMSInternalException","message":"internal"}`, 2, kms.ErrKMSInternal, 2 * calls},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var conns, requests atomic.Int64
			srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				requests.Add(1)
				if _, err := io.Copy(io.Discard, r.Body); err != nil {
					t.Errorf("server: read body: %v", err)
				}
				w.Header().Set("Content-Type", "application/x-amz-json-1.1")
				w.Header().Set("X-Amzn-Requestid", "req-reuse")
				w.WriteHeader(tt.status)
				_, _ = io.WriteString(w, tt.body)
			}))
			srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
				if s == http.StateNew {
					conns.Add(1)
				}
			}
			srv.Start()
			t.Cleanup(srv.Close)

			// No HTTPClient: the client's own default, pooled transport.
			c := kms.New(kms.Options{
				Region:       "us-east-1",
				Credentials:  staticCreds(),
				BaseEndpoint: aws.String(srv.URL),
				// No retry quota: 500 failing calls would spend the
				// standard one and stop retrying.
				Retryer: retry.NewStandard(func(o *retry.StandardOptions) {
					o.MaxAttempts = tt.maxAttempts
					o.RateLimiter = ratelimit.None
					o.Backoff = retry.BackoffDelayerFunc(func(int, error) (time.Duration, error) { return 0, nil })
				}),
			})
			in := &kms.UpdateCustomKeyStoreInput{CustomKeyStoreId: aws.String("cks-1234567890abcdef0")}
			for i := 0; i < calls; i++ {
				_, err := c.UpdateCustomKeyStore(context.Background(), in)
				if tt.wantErr == nil {
					require.NoError(t, err, "call %d", i)
				} else {
					require.ErrorIs(t, err, tt.wantErr, "call %d", i)
				}
			}
			assert.Equal(t, tt.wantRequests, requests.Load())
			// A body left unread would cost a connection per call. Reuse is
			// not exact: net/http returns a connection to the idle pool
			// concurrently with the caller's next request, so on a loaded
			// machine the next request can win the race and dial. Hence a
			// bound far below one per call, not exactly one.
			t.Logf("%d TCP connections for %d sequential calls", conns.Load(), calls)
			assert.LessOrEqual(t, conns.Load(), int64(calls/10), "TCP connections opened for %d sequential calls", calls)
		})
	}
}
