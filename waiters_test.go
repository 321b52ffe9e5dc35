package kms_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kmskit/kms"
)

// fakeClock is the waiters' clock in tests: sleeping only moves it on.
type fakeClock struct {
	mu        sync.Mutex
	now       time.Time
	sleeps    []time.Duration
	onSleep   func(n int) // called after the n-th sleep (1-based)
	jitterMax bool        // jitter at its maximum, else 0
}

func newFakeClock() *fakeClock {
	return &fakeClock{now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), jitterMax: true}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c.mu.Lock()
	c.sleeps = append(c.sleeps, d)
	c.now = c.now.Add(d)
	n, hook := len(c.sleeps), c.onSleep
	c.mu.Unlock()
	if hook != nil {
		hook(n)
	}
	return ctx.Err()
}

func (c *fakeClock) Jitter(n int64) int64 {
	if c.jitterMax {
		return n - 1
	}
	return 0
}

func (c *fakeClock) Sleeps() []time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]time.Duration(nil), c.sleeps...)
}

// step is one scripted DescribeCustomKeyStores answer: a state (and code),
// or an error status and code.
type step struct {
	state, code string
	status      int
	errType     string
	storeType   string
	noStore     bool
}

// script answers each Describe with the next step, repeating the last.
func script(count *atomic.Int32, steps ...step) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) {
		i := int(count.Add(1)) - 1
		s := steps[min(i, len(steps)-1)]
		w.Header().Set("X-Amzn-Requestid", fmt.Sprintf("req-%d", i+1))
		if s.status != 0 {
			w.Header().Set("X-Amzn-Errortype", s.errType)
			w.WriteHeader(s.status)
			_, _ = io.WriteString(w, `{"message":"scripted"}`)
			return
		}
		if s.noStore {
			_, _ = io.WriteString(w, `{"CustomKeyStores":[],"Truncated":false}`)
			return
		}
		typ := s.storeType
		if typ == "" {
			typ = "AWS_CLOUDHSM"
		}
		code := ""
		if s.code != "" {
			code = fmt.Sprintf(`,"ConnectionErrorCode":%q`, s.code)
		}
		fmt.Fprintf(w, `{"CustomKeyStores":[{"CustomKeyStoreId":%q,"CustomKeyStoreType":%q,"ConnectionState":%q%s}],"Truncated":false}`,
			lifecycleStoreID, typ, s.state, code)
	}
}

var byID = &kms.DescribeCustomKeyStoresInput{CustomKeyStoreId: aws.String(lifecycleStoreID)}

func connectedWaiter(t *testing.T, c *kms.Client, clk *fakeClock, optFns ...func(*kms.CustomKeyStoreConnectedWaiterOptions)) *kms.CustomKeyStoreConnectedWaiter {
	t.Helper()
	w := kms.NewCustomKeyStoreConnectedWaiter(c, optFns...)
	kms.SetWaiterClock(w, clk.Now, clk.Sleep, clk.Jitter)
	return w
}

func TestConnectedWaiterSuccess(t *testing.T) {
	var count atomic.Int32
	c, rec := setup(t, script(&count, step{state: "CONNECTING"}, step{state: "CONNECTING"}, step{state: "CONNECTING"}, step{state: "CONNECTED"}))
	clk := newFakeClock()
	out, err := connectedWaiter(t, c, clk).WaitForOutput(context.Background(), byID, 10*time.Minute)
	require.NoError(t, err)
	require.Len(t, out.CustomKeyStores, 1)
	assert.Equal(t, kms.ConnectionStateTypeConnected, out.CustomKeyStores[0].ConnectionState)
	assert.Equal(t, "req-4", out.RequestID, "the last output")
	assert.Len(t, rec.all(), 4)
	// Exponential backoff from the 2 s default, jitter at its maximum.
	assert.Equal(t, []time.Duration{2 * time.Second, 4 * time.Second, 8 * time.Second}, clk.Sleeps())
	for _, r := range rec.all() {
		assert.Equal(t, `{"CustomKeyStoreId":"cks-1234567890abcdef0"}`, string(r.body))
		assert.Equal(t, "TrentService.DescribeCustomKeyStores", r.req.Header.Get("X-Amz-Target"))
	}
}

func TestWaiterDelaysBoundedAndAtMostOneCallPerSecond(t *testing.T) {
	for _, jitterMax := range []bool{true, false} {
		var count atomic.Int32
		c, rec := setup(t, script(&count, step{state: "CONNECTING"}))
		clk := newFakeClock()
		clk.jitterMax = jitterMax
		err := connectedWaiter(t, c, clk).Wait(context.Background(), byID, 5*time.Minute)
		require.ErrorIs(t, err, context.DeadlineExceeded)
		sleeps := clk.Sleeps()
		require.NotEmpty(t, sleeps)
		var total time.Duration
		for i, d := range sleeps {
			assert.GreaterOrEqual(t, d, 2*time.Second, "sleep %d: never below MinDelay, so never more than one Describe a second", i)
			assert.LessOrEqual(t, d, 30*time.Second, "sleep %d: never above MaxDelay", i)
			total += d
		}
		assert.LessOrEqual(t, total, 5*time.Minute, "maxWaitDur bounds the wait")
		assert.Len(t, rec.all(), len(sleeps)+1)
		if jitterMax {
			assert.Equal(t, []time.Duration{2, 4, 8, 16, 30, 30}, secondsOf(sleeps[:6]))
		} else {
			for _, d := range sleeps {
				assert.Equal(t, 2*time.Second, d)
			}
		}
	}
}

func secondsOf(ds []time.Duration) []time.Duration {
	out := make([]time.Duration, len(ds))
	for i, d := range ds {
		out[i] = d / time.Second
	}
	return out
}

func TestConnectedWaiterFailed(t *testing.T) {
	tests := []struct {
		code, storeType string
		meaning         string
	}{
		{"INVALID_CREDENTIALS", "AWS_CLOUDHSM", "KeyStorePassword for the custom key store doesn't match"},
		{"INVALID_CREDENTIALS", "EXTERNAL_KEY_STORE", "XksProxyAuthenticationCredential values is not valid"},
		{"XKS_PROXY_NOT_REACHABLE", "EXTERNAL_KEY_STORE", "KMS can't communicate with your external key store proxy"},
		{"INSUFFICIENT_CLOUDHSM_HSMS", "AWS_CLOUDHSM", "does not contain any active HSMs"},
	}
	for _, tt := range tests {
		t.Run(tt.code+"/"+tt.storeType, func(t *testing.T) {
			var count atomic.Int32
			c, rec := setup(t, script(&count, step{state: "CONNECTING", storeType: tt.storeType},
				step{state: "FAILED", code: tt.code, storeType: tt.storeType}, step{state: "CONNECTED"}))
			clk := newFakeClock()
			out, err := connectedWaiter(t, c, clk).WaitForOutput(context.Background(), byID, time.Hour)
			require.Error(t, err)
			assert.ErrorIs(t, err, kms.ErrCustomKeyStoreConnectionFailed)
			var cf *kms.ConnectionFailedError
			require.ErrorAs(t, err, &cf)
			assert.Equal(t, lifecycleStoreID, cf.CustomKeyStoreId)
			assert.Equal(t, kms.ConnectionErrorCodeType(tt.code), cf.ConnectionErrorCode)
			assert.Equal(t, kms.ConnectionStateTypeFailed, cf.ConnectionState)
			for _, want := range []string{lifecycleStoreID, tt.code, tt.meaning, "DisconnectCustomKeyStore", "UpdateCustomKeyStore", "ConnectCustomKeyStore"} {
				assert.Contains(t, err.Error(), want)
			}
			assert.Len(t, rec.all(), 2, "stops at once on FAILED")
			assert.Len(t, clk.Sleeps(), 1)
			require.NotNil(t, out)
			assert.Equal(t, kms.ConnectionStateTypeFailed, out.CustomKeyStores[0].ConnectionState)
		})
	}
}

func TestConnectedWaiterEveryConnectionErrorCodeExplained(t *testing.T) {
	for _, code := range kms.ConnectionErrorCodeType("").Values() {
		for _, typ := range kms.CustomKeyStoreType("").Values() {
			err := &kms.ConnectionFailedError{CustomKeyStoreId: "cks-1", ConnectionErrorCode: code,
				ConnectionState: kms.ConnectionStateTypeFailed, CustomKeyStoreType: typ}
			assert.Contains(t, err.Error(), " Fix: ", "%s has a documented meaning and fix", code)
		}
	}
	assert.Len(t, kms.ConnectionErrorCodeType("").Values(), 18)
	assert.Len(t, kms.ConnectionStateType("").Values(), 5)
}

func TestConnectedWaiterDisconnected(t *testing.T) {
	tests := []struct {
		name   string
		steps  []step
		calls  int
		wantOK bool
	}{
		{"DISCONNECTED after CONNECTING", []step{{state: "CONNECTING"}, {state: "DISCONNECTED"}, {state: "CONNECTED"}}, 2, false},
		{"DISCONNECTING after CONNECTING", []step{{state: "CONNECTING"}, {state: "DISCONNECTING"}}, 2, false},
		{"DISCONNECTED on two polls in a row: never connecting", []step{{state: "DISCONNECTED"}, {state: "DISCONNECTED"}, {state: "CONNECTED"}}, 2, false},
		{"one stale DISCONNECTED right after Connect is allowed", []step{{state: "DISCONNECTED"}, {state: "CONNECTING"}, {state: "CONNECTED"}}, 3, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var count atomic.Int32
			c, rec := setup(t, script(&count, tt.steps...))
			err := connectedWaiter(t, c, newFakeClock()).Wait(context.Background(), byID, time.Hour)
			assert.Len(t, rec.all(), tt.calls)
			if tt.wantOK {
				require.NoError(t, err)
				return
			}
			assert.ErrorIs(t, err, kms.ErrCustomKeyStoreConnectionFailed)
			var cf *kms.ConnectionFailedError
			require.ErrorAs(t, err, &cf)
			assert.Empty(t, cf.ConnectionErrorCode)
			assert.Contains(t, err.Error(), "not connecting")
			assert.Contains(t, err.Error(), "call ConnectCustomKeyStore")
		})
	}
}

func TestWaiterRetriesThrottlingAndServerErrors(t *testing.T) {
	var count atomic.Int32
	c, rec := setup(t, script(&count,
		step{status: 400, errType: "ThrottlingException"},
		step{status: 503, errType: "ServiceUnavailableException"},
		step{status: 500, errType: "KMSInternalException"},
		step{state: "CONNECTED"}))
	clk := newFakeClock()
	require.NoError(t, connectedWaiter(t, c, clk).Wait(context.Background(), byID, time.Hour))
	// One HTTP request per poll: the client's own retries (3 attempts in
	// setup) are off inside the waiter, which keeps its own pace.
	assert.Len(t, rec.all(), 4)
	assert.Len(t, clk.Sleeps(), 3)
	for _, d := range clk.Sleeps() {
		assert.GreaterOrEqual(t, d, 2*time.Second)
	}
}

func TestWaiterStopsOnNotFoundAndOtherErrors(t *testing.T) {
	tests := []struct {
		name string
		step step
		want error
	}{
		{"CustomKeyStoreNotFound", step{status: 400, errType: "CustomKeyStoreNotFoundException"}, kms.ErrCustomKeyStoreNotFound},
		{"empty list", step{noStore: true}, kms.ErrCustomKeyStoreNotFound},
		{"access denied", step{status: 400, errType: "AccessDeniedException"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var count atomic.Int32
			c, rec := setup(t, script(&count, tt.step, step{state: "CONNECTED"}))
			clk := newFakeClock()
			err := connectedWaiter(t, c, clk).Wait(context.Background(), byID, time.Hour)
			require.Error(t, err)
			if tt.want != nil {
				assert.ErrorIs(t, err, tt.want)
			}
			var apiErr *kms.APIError
			if tt.step.errType != "" {
				require.ErrorAs(t, err, &apiErr)
				assert.Equal(t, tt.step.errType, apiErr.Code)
			}
			assert.Len(t, rec.all(), 1)
			assert.Empty(t, clk.Sleeps())
		})
	}
}

func TestWaiterContextCanceled(t *testing.T) {
	var count atomic.Int32
	c, rec := setup(t, script(&count, step{state: "CONNECTING"}))
	clk := newFakeClock()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	clk.onSleep = func(n int) {
		if n == 3 {
			cancel()
		}
	}
	err := connectedWaiter(t, c, clk).Wait(ctx, byID, time.Hour)
	require.ErrorIs(t, err, context.Canceled)
	assert.NotErrorIs(t, err, context.DeadlineExceeded)
	assert.Contains(t, err.Error(), "last state CONNECTING")
	assert.Len(t, rec.all(), 3, "nothing is sent after the cancel")

	// Already canceled: one Describe at most, which fails at once.
	count.Store(0)
	err = connectedWaiter(t, c, newFakeClock()).Wait(ctx, byID, time.Hour)
	require.ErrorIs(t, err, context.Canceled)
}

func TestWaiterMaxWait(t *testing.T) {
	var count atomic.Int32
	c, rec := setup(t, script(&count, step{state: "CONNECTING"}))
	clk := newFakeClock()
	start := clk.Now()
	err := connectedWaiter(t, c, clk).Wait(context.Background(), byID, 20*time.Second)
	require.ErrorIs(t, err, context.DeadlineExceeded)
	assert.Contains(t, err.Error(), "exceeded max wait time 20s (last state CONNECTING)")
	assert.LessOrEqual(t, clk.Now().Sub(start), 20*time.Second)
	// 2 + 4 + 8 = 14 s, then 6 s are left: one more sleep up to the
	// deadline, one more poll, and nothing is left.
	assert.Equal(t, []time.Duration{2 * time.Second, 4 * time.Second, 8 * time.Second, 6 * time.Second}, clk.Sleeps())
	assert.Len(t, rec.all(), 5)
}

func TestWaiterOptionsAndBadParams(t *testing.T) {
	c, rec := setup(t, answerOK(`{}`))
	clk := newFakeClock()
	w := connectedWaiter(t, c, clk)
	ctx := context.Background()
	assert.ErrorContains(t, w.Wait(ctx, byID, 0), "maximum wait time must be positive")
	assert.ErrorContains(t, w.Wait(ctx, byID, time.Minute, func(o *kms.CustomKeyStoreConnectedWaiterOptions) {
		o.MinDelay, o.MaxDelay = 10*time.Second, 5*time.Second
	}), "MinDelay 10s is above MaxDelay 5s")
	var ve *kms.ValidationError
	assert.ErrorAs(t, w.Wait(ctx, nil, time.Minute), &ve)
	assert.ErrorAs(t, w.Wait(ctx, &kms.DescribeCustomKeyStoresInput{}, time.Minute), &ve)
	assert.Contains(t, ve.Error(), "waits for one store")
	assert.ErrorAs(t, w.Wait(ctx, &kms.DescribeCustomKeyStoresInput{CustomKeyStoreId: aws.String(""), CustomKeyStoreName: aws.String("n")}, time.Minute), &ve)
	assert.Empty(t, rec.all(), "nothing sent")
	assert.Empty(t, clk.Sleeps())
}

func TestWaiterCustomDelaysAndLogging(t *testing.T) {
	var count atomic.Int32
	c, _ := setup(t, script(&count, step{state: "CONNECTING"}, step{status: 400, errType: "ThrottlingException"}, step{state: "CONNECTED"}))
	clk := newFakeClock()
	var logs bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&logs, nil))
	w := connectedWaiter(t, c, clk, func(o *kms.CustomKeyStoreConnectedWaiterOptions) {
		o.MinDelay, o.MaxDelay = 5*time.Second, 6*time.Second
	})
	err := w.Wait(context.Background(), &kms.DescribeCustomKeyStoresInput{CustomKeyStoreName: aws.String("ExampleStore")}, time.Hour,
		func(o *kms.CustomKeyStoreConnectedWaiterOptions) { o.LogWaitAttempts, o.Logger = true, logger })
	require.NoError(t, err)
	assert.Equal(t, []time.Duration{5 * time.Second, 6 * time.Second}, clk.Sleeps())
	out := logs.String()
	assert.Contains(t, out, "waiter=CustomKeyStoreConnected attempt=1")
	assert.Contains(t, out, "state=CONNECTING")
	assert.Contains(t, out, "retryable_error=ThrottlingException")
	assert.Contains(t, out, "attempt=3")
	assert.Contains(t, out, "state=CONNECTED")
}

func TestDisconnectedWaiter(t *testing.T) {
	var count atomic.Int32
	c, rec := setup(t, script(&count, step{state: "CONNECTED"}, step{state: "DISCONNECTING"}, step{status: 400, errType: "ThrottlingException"}, step{state: "DISCONNECTED"}))
	clk := newFakeClock()
	w := kms.NewCustomKeyStoreDisconnectedWaiter(c, func(o *kms.CustomKeyStoreDisconnectedWaiterOptions) { o.MaxDelay = 3 * time.Second })
	kms.SetWaiterClock(w, clk.Now, clk.Sleep, clk.Jitter)
	out, err := w.WaitForOutput(context.Background(), byID, time.Hour)
	require.NoError(t, err)
	assert.Equal(t, kms.ConnectionStateTypeDisconnected, out.CustomKeyStores[0].ConnectionState)
	assert.Len(t, rec.all(), 4)
	assert.Equal(t, []time.Duration{2 * time.Second, 3 * time.Second, 3 * time.Second}, clk.Sleeps())

	// maxWait and not found.
	count.Store(0)
	c2, _ := setup(t, script(new(atomic.Int32), step{state: "DISCONNECTING"}))
	w2 := kms.NewCustomKeyStoreDisconnectedWaiter(c2)
	kms.SetWaiterClock(w2, clk.Now, clk.Sleep, clk.Jitter)
	assert.ErrorIs(t, w2.Wait(context.Background(), byID, 7*time.Second), context.DeadlineExceeded)
	c3, _ := setup(t, script(new(atomic.Int32), step{status: 400, errType: "CustomKeyStoreNotFoundException"}))
	w3 := kms.NewCustomKeyStoreDisconnectedWaiter(c3)
	kms.SetWaiterClock(w3, clk.Now, clk.Sleep, clk.Jitter)
	assert.ErrorIs(t, w3.Wait(context.Background(), byID, time.Minute), kms.ErrCustomKeyStoreNotFound)
	assert.False(t, errors.Is(w3.Wait(context.Background(), byID, time.Minute), kms.ErrCustomKeyStoreConnectionFailed))
}

// TestWaiterRealClock runs a waiter on the real clock with a tiny delay:
// it must return as soon as the store is CONNECTED. No timing is asserted.
func TestWaiterRealClock(t *testing.T) {
	var count atomic.Int32
	c, rec := setup(t, script(&count, step{state: "CONNECTING"}, step{state: "CONNECTED"}))
	w := kms.NewCustomKeyStoreConnectedWaiter(c, func(o *kms.CustomKeyStoreConnectedWaiterOptions) {
		o.MinDelay, o.MaxDelay = time.Millisecond, time.Millisecond
	})
	require.NoError(t, w.Wait(context.Background(), byID, time.Minute))
	assert.Len(t, rec.all(), 2)
}

func TestWaiterOnAttemptReportsEachPoll(t *testing.T) {
	var count atomic.Int32
	c, rec := setup(t, script(&count,
		step{state: "CONNECTING"},
		step{status: 400, errType: "ThrottlingException"},
		step{state: "FAILED", code: "INVALID_CREDENTIALS"}))
	clk := newFakeClock()
	var seen []kms.WaitAttempt
	err := connectedWaiter(t, c, clk, func(o *kms.CustomKeyStoreConnectedWaiterOptions) {
		o.OnAttempt = func(a kms.WaitAttempt) { seen = append(seen, a) }
	}).Wait(context.Background(), byID, time.Hour)
	require.ErrorIs(t, err, kms.ErrCustomKeyStoreConnectionFailed)
	require.Len(t, seen, 3, "one report per poll")
	assert.Len(t, rec.all(), 3, "the hook sends no request of its own")
	assert.Equal(t, kms.WaitAttempt{Attempt: 1, Time: seen[0].Time, State: kms.ConnectionStateTypeConnecting}, seen[0])
	assert.Equal(t, 2, seen[1].Attempt)
	assert.Equal(t, "ThrottlingException", seen[1].RetryableError)
	assert.Empty(t, seen[1].State)
	assert.Equal(t, kms.ConnectionStateTypeFailed, seen[2].State)
	assert.Equal(t, kms.ConnectionErrorCodeTypeInvalidCredentials, seen[2].ConnectionErrorCode)
	assert.True(t, seen[2].Time.After(seen[0].Time), "times follow the waiter's clock")

	count.Store(0)
	seen = nil
	dw := kms.NewCustomKeyStoreDisconnectedWaiter(c, func(o *kms.CustomKeyStoreDisconnectedWaiterOptions) {
		o.OnAttempt = func(a kms.WaitAttempt) { seen = append(seen, a) }
	})
	kms.SetWaiterClock(dw, clk.Now, clk.Sleep, clk.Jitter)
	require.Error(t, dw.Wait(context.Background(), byID, time.Minute), "never DISCONNECTED")
	require.NotEmpty(t, seen)
	assert.Equal(t, kms.ConnectionStateTypeConnecting, seen[0].State)
}

// TestWaiterClockOption: the Clock option is what a waiter reads and sleeps
// on, so a wait on a simulated clock takes no real time.
func TestWaiterClockOption(t *testing.T) {
	var count atomic.Int32
	c, rec := setup(t, script(&count, step{state: "DISCONNECTING"}, step{state: "DISCONNECTED"}))
	clk := newFakeClock()
	var seen []time.Time
	err := kms.NewCustomKeyStoreDisconnectedWaiter(c, func(o *kms.CustomKeyStoreDisconnectedWaiterOptions) {
		o.Clock = clk
		o.MinDelay, o.MaxDelay = 3*time.Second, 3*time.Second
		o.OnAttempt = func(a kms.WaitAttempt) { seen = append(seen, a.Time) }
	}).Wait(context.Background(), byID, time.Minute)
	require.NoError(t, err)
	assert.Len(t, rec.all(), 2)
	assert.Equal(t, []time.Duration{3 * time.Second}, clk.Sleeps(), "slept on the option's clock")
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	assert.Equal(t, []time.Time{start, start.Add(3 * time.Second)}, seen, "attempt times come from the option's clock")

	t.Run("max wait is measured on it", func(t *testing.T) {
		var count atomic.Int32
		c, _ := setup(t, script(&count, step{state: "CONNECTING"}))
		clk := newFakeClock()
		err := kms.NewCustomKeyStoreConnectedWaiter(c, func(o *kms.CustomKeyStoreConnectedWaiterOptions) {
			o.Clock = clk
			o.MinDelay, o.MaxDelay = time.Second, time.Second
		}).Wait(context.Background(), byID, 10*time.Second)
		require.ErrorIs(t, err, context.DeadlineExceeded)
		assert.Equal(t, int32(11), count.Load(), "one poll a simulated second, at 0 s to 10 s")
	})
}

// TestWaiterRetryableOption: Retryable replaces the waiter's judgment of
// each call, as in aws-sdk-go-v2's waiters.
func TestWaiterRetryableOption(t *testing.T) {
	var count atomic.Int32
	c, _ := setup(t, script(&count,
		step{state: "CONNECTED"}, step{status: 400, errType: "ThrottlingException"}, step{state: "CONNECTED", code: ""}, step{state: "FAILED", code: "NETWORK_ERRORS"}))
	clk := newFakeClock()
	var calls []string
	retryable := func(_ context.Context, in *kms.DescribeCustomKeyStoresInput, out *kms.DescribeCustomKeyStoresOutput, err error) (bool, error) {
		assert.Equal(t, lifecycleStoreID, aws.ToString(in.CustomKeyStoreId))
		switch {
		case err != nil:
			calls = append(calls, "error")
			return true, nil
		case out.CustomKeyStores[0].ConnectionState == kms.ConnectionStateTypeFailed:
			calls = append(calls, "FAILED")
			return false, nil
		}
		calls = append(calls, "CONNECTED")
		return true, nil
	}
	var attempts []kms.WaitAttempt
	err := kms.NewCustomKeyStoreConnectedWaiter(c, func(o *kms.CustomKeyStoreConnectedWaiterOptions) {
		o.Clock, o.Retryable = clk, retryable
		o.OnAttempt = func(a kms.WaitAttempt) { attempts = append(attempts, a) }
	}).Wait(context.Background(), byID, time.Hour)
	require.NoError(t, err, "FAILED ends this wait successfully: Retryable said so")
	assert.Equal(t, []string{"CONNECTED", "error", "CONNECTED", "FAILED"}, calls)
	require.Len(t, attempts, 4)
	assert.Equal(t, "ThrottlingException", attempts[1].RetryableError)
	assert.Equal(t, kms.ConnectionStateTypeFailed, attempts[3].State)

	stop := errors.New("stop")
	count.Store(0)
	err = kms.NewCustomKeyStoreConnectedWaiter(c, func(o *kms.CustomKeyStoreConnectedWaiterOptions) {
		o.Clock = clk
		o.Retryable = func(context.Context, *kms.DescribeCustomKeyStoresInput, *kms.DescribeCustomKeyStoresOutput, error) (bool, error) {
			return false, stop
		}
	}).Wait(context.Background(), byID, time.Hour)
	require.ErrorIs(t, err, stop)
	assert.Equal(t, int32(1), count.Load())
}
