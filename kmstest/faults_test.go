package kmstest_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kmskit/kms/kmstest"
)

// TestFailNext: the next N calls fail with the fault, change nothing, and
// then calls succeed again.
func TestFailNext(t *testing.T) {
	tests := []struct {
		name       string
		fault      kmstest.Fault
		wantStatus int
		wantCode   string
	}{
		{"throttling", kmstest.Fault{Code: kmstest.CodeThrottling}, 400, kmstest.CodeThrottling},
		{"internal", kmstest.Fault{Code: kmstest.CodeKMSInternal, Message: "try again"}, 500, kmstest.CodeKMSInternal},
		{"documented exception", kmstest.Fault{Code: kmstest.CodeCustomKeyStoreInvalidState}, 400, kmstest.CodeCustomKeyStoreInvalidState},
		{"explicit status", kmstest.Fault{Code: kmstest.CodeServiceUnavailable, Status: 503}, 503, kmstest.CodeServiceUnavailable},
		{"status overrides the model", kmstest.Fault{Code: kmstest.CodeThrottling, Status: 429}, 429, kmstest.CodeThrottling},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newWorld(t)
			srv.FailNext(3, tt.fault)
			assert.Equal(t, 3, srv.PendingFaults())
			before := srv.Stores()
			body := m{"CustomKeyStoreId": hsmConnected, "NewCustomKeyStoreName": "renamed"}
			for range 3 {
				r := update(t, srv, body)
				assert.Equal(t, tt.wantStatus, r.Status)
				assert.Equal(t, tt.wantCode, r.Code)
				assert.Regexp(t, uuidPattern, r.RequestID)
				if tt.fault.Message != "" {
					assert.Equal(t, tt.fault.Message, r.Message)
				}
				assert.Equal(t, before, srv.Stores())
			}
			assert.Zero(t, srv.PendingFaults())
			requireOK(t, update(t, srv, body))
			assert.Equal(t, "renamed", store(t, srv, hsmConnected).CustomKeyStoreName)
		})
	}
}

// TestFailNextQueues: faults queue in order, and apply before any other
// check (even an unknown operation).
func TestFailNextQueues(t *testing.T) {
	srv := newWorld(t)
	srv.FailNext(1, kmstest.Fault{Code: kmstest.CodeThrottling})
	srv.FailNext(1, kmstest.Fault{Code: kmstest.CodeKMSInternal})
	requireCode(t, sendRaw(t, srv, "TrentService.CreateKey", `{}`), kmstest.CodeThrottling)
	requireCode(t, sendRaw(t, srv, kmstest.TargetUpdateCustomKeyStore, `not json`), kmstest.CodeKMSInternal)
	requireCode(t, sendRaw(t, srv, kmstest.TargetUpdateCustomKeyStore, `not json`), kmstest.CodeSerialization)
}

// TestFaultWithoutCode: a fault with no code answers a bare status with a
// body that is not KMS JSON, as a load balancer would.
func TestFaultWithoutCode(t *testing.T) {
	srv := newWorld(t)
	srv.FailNext(1, kmstest.Fault{Status: http.StatusBadGateway, Message: "<html>502 Bad Gateway</html>"})
	srv.FailNext(1, kmstest.Fault{})
	r := update(t, srv, m{"CustomKeyStoreId": hsmConnected})
	assert.Equal(t, http.StatusBadGateway, r.Status)
	assert.Equal(t, "<html>502 Bad Gateway</html>", r.Raw)
	assert.True(t, strings.HasPrefix(r.Header.Get("Content-Type"), "text/plain"))
	r = update(t, srv, m{"CustomKeyStoreId": hsmConnected})
	assert.Equal(t, http.StatusServiceUnavailable, r.Status)
	assert.Empty(t, r.Code)
}

// TestClearFaults drops pending faults and latency.
func TestClearFaults(t *testing.T) {
	srv := newWorld(t)
	srv.FailNext(5, kmstest.Fault{Code: kmstest.CodeThrottling})
	srv.SetLatency(time.Hour)
	srv.ClearFaults()
	assert.Zero(t, srv.PendingFaults())
	requireOK(t, update(t, srv, m{"CustomKeyStoreId": hsmConnected}))
}

// TestLatency: answers are delayed; a client that gives up during the delay
// changes nothing.
func TestLatency(t *testing.T) {
	srv := newWorld(t)
	srv.SetLatency(150 * time.Millisecond)
	start := time.Now()
	requireOK(t, update(t, srv, m{"CustomKeyStoreId": hsmConnected}))
	assert.GreaterOrEqual(t, time.Since(start), 150*time.Millisecond)

	srv.SetLatency(5 * time.Second)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, srv.URL+"/",
		strings.NewReader(`{"CustomKeyStoreId":"`+hsmConnected+`","NewCustomKeyStoreName":"too-late"}`))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	req.Header.Set("X-Amz-Target", kmstest.TargetUpdateCustomKeyStore)
	_, err = srv.Client().Do(req)
	require.ErrorIs(t, err, context.DeadlineExceeded)

	// A hang guard only: the fake notices the closed connection at once.
	require.Eventually(t, func() bool { return len(srv.Calls()) == 2 }, time.Minute, 10*time.Millisecond)
	assert.Zero(t, srv.Calls()[1].Status, "the canceled call was not answered")
	assert.Equal(t, "hsm-one", store(t, srv, hsmConnected).CustomKeyStoreName)

	// Latency 0 ends the delay: after an hour-long setting, a call is
	// answered (it would hang the test otherwise).
	srv.SetLatency(time.Hour)
	srv.SetLatency(0)
	requireOK(t, update(t, srv, m{"CustomKeyStoreId": hsmConnected}))
}
