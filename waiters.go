package kms

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws/retry"

	"github.com/kmskit/kms/internal/awsjson"
	"github.com/kmskit/kms/internal/kmsmodel"
)

// Waiter defaults. With them a waiter sends at most one
// DescribeCustomKeyStores per MinDelay, so never more than one a second:
// the custom key store operations share a low per-account request quota.
const (
	defaultWaiterMinDelay = 2 * time.Second
	defaultWaiterMaxDelay = 30 * time.Second
)

// CustomKeyStoreConnectedWaiterOptions tunes a
// CustomKeyStoreConnectedWaiter.
type CustomKeyStoreConnectedWaiterOptions struct {
	// ClientOptions change the client's Options for each
	// DescribeCustomKeyStores the waiter sends. The waiter always sets
	// RetryMaxAttempts to 1: it retries throttling and 5xx errors itself,
	// on its own schedule.
	ClientOptions []func(*Options)

	// MinDelay is the shortest wait between two DescribeCustomKeyStores
	// calls; 0 means 2 seconds.
	MinDelay time.Duration

	// MaxDelay is the longest wait between two calls; 0 means 30 seconds.
	// It must not be below MinDelay.
	MaxDelay time.Duration

	// LogWaitAttempts logs each attempt (number, state seen, next delay) at
	// Info level to Logger.
	LogWaitAttempts bool

	// Logger receives the attempts when LogWaitAttempts is set. Nil means
	// the client's Options.Logger, or slog.Default() when that is nil too.
	Logger *slog.Logger

	// OnAttempt, when set, is called after each DescribeCustomKeyStores
	// call with what it showed, so a caller can show progress without
	// sending requests of its own. It runs on the waiting goroutine.
	OnAttempt func(WaitAttempt)

	// Clock is the time the waiter reads and sleeps on; nil means the real
	// clock. A test passes a simulated one (such as kmstest's ManualClock)
	// so that a wait takes no real time and ends the same way every run.
	Clock WaiterClock

	// Retryable, when set, replaces the waiter's judgment of each
	// DescribeCustomKeyStores call (as the Retryable option of
	// aws-sdk-go-v2's waiters does): it gets the call's output and error
	// and returns true to poll again, false to end the wait successfully,
	// or an error to end it with that error. Nil means the waiter's own
	// states and its retrying of throttling, 5xx and connection errors.
	Retryable func(context.Context, *DescribeCustomKeyStoresInput, *DescribeCustomKeyStoresOutput, error) (bool, error)
}

// CustomKeyStoreDisconnectedWaiterOptions tunes a
// CustomKeyStoreDisconnectedWaiter; its fields mean what they mean in
// [CustomKeyStoreConnectedWaiterOptions].
type CustomKeyStoreDisconnectedWaiterOptions struct {
	// ClientOptions change the client's Options for each
	// DescribeCustomKeyStores; RetryMaxAttempts is always 1.
	ClientOptions []func(*Options)
	// MinDelay is the shortest wait between calls; 0 means 2 seconds.
	MinDelay time.Duration
	// MaxDelay is the longest wait between calls; 0 means 30 seconds.
	MaxDelay time.Duration
	// LogWaitAttempts logs each attempt at Info level to Logger.
	LogWaitAttempts bool
	// Logger receives the attempts; nil means the client's Options.Logger,
	// or slog.Default().
	Logger *slog.Logger
	// OnAttempt, when set, is called after each DescribeCustomKeyStores.
	OnAttempt func(WaitAttempt)
	// Clock is the time the waiter reads and sleeps on; nil means the real
	// clock.
	Clock WaiterClock
	// Retryable, when set, replaces the waiter's judgment of each call:
	// true polls again, false ends the wait successfully, an error ends it.
	Retryable func(context.Context, *DescribeCustomKeyStoresInput, *DescribeCustomKeyStoresOutput, error) (bool, error)
}

// WaiterClock is the time a waiter reads and sleeps on.
type WaiterClock interface {
	// Now returns the current time.
	Now() time.Time
	// Sleep waits for d, or until ctx is done; then it returns ctx's error.
	Sleep(ctx context.Context, d time.Duration) error
}

// WaitAttempt is one DescribeCustomKeyStores call of a waiter.
type WaitAttempt struct {
	// Attempt counts the calls of this wait from 1.
	Attempt int
	// Time is when the answer was seen.
	Time time.Time
	// State and ConnectionErrorCode are what the call showed; empty when
	// it failed.
	State               ConnectionStateType
	ConnectionErrorCode ConnectionErrorCodeType
	// RetryableError is the error code of a call that failed with an error
	// the waiter retries (throttling, 5xx, a broken connection); empty
	// otherwise. An error that ends the wait is returned by Wait instead.
	RetryableError string
}

// CustomKeyStoreConnectedWaiter waits until a custom key store is
// CONNECTED, after [Client.ConnectCustomKeyStore].
type CustomKeyStoreConnectedWaiter struct {
	client  DescribeCustomKeyStoresAPIClient
	options CustomKeyStoreConnectedWaiterOptions
	clock   waiterClock
}

// NewCustomKeyStoreConnectedWaiter returns a waiter for CONNECTED that
// polls with client.
func NewCustomKeyStoreConnectedWaiter(client DescribeCustomKeyStoresAPIClient, optFns ...func(*CustomKeyStoreConnectedWaiterOptions)) *CustomKeyStoreConnectedWaiter {
	var o CustomKeyStoreConnectedWaiterOptions
	for _, fn := range optFns {
		fn(&o)
	}
	return &CustomKeyStoreConnectedWaiter{client: client, options: o, clock: realClock()}
}

// Wait polls DescribeCustomKeyStores with params, which must name one store
// (CustomKeyStoreId or CustomKeyStoreName), until the store is CONNECTED,
// and returns nil then. It returns early:
//
//   - with a *ConnectionFailedError (errors.Is(err,
//     ErrCustomKeyStoreConnectionFailed)) as soon as the store is FAILED; its
//     ConnectionErrorCode says why;
//   - with a *ConnectionFailedError when the store is DISCONNECTED or
//     DISCONNECTING after having been CONNECTING, or on two polls in a row
//     without CONNECTING in between (the second poll allows for KMS's
//     eventual consistency right after ConnectCustomKeyStore): no
//     connection attempt is under way, so waiting longer cannot succeed;
//   - with the DescribeCustomKeyStores error when it is not retryable, such
//     as one matching ErrCustomKeyStoreNotFound; throttling, 5xx and
//     connection errors are retried on the waiter's schedule;
//   - when ctx is done, or when maxWaitDur has passed; that error matches
//     context.DeadlineExceeded.
//
// Between polls it waits from MinDelay to MaxDelay, growing exponentially
// with jitter. maxWaitDur must be positive.
func (w *CustomKeyStoreConnectedWaiter) Wait(ctx context.Context, params *DescribeCustomKeyStoresInput, maxWaitDur time.Duration, optFns ...func(*CustomKeyStoreConnectedWaiterOptions)) error {
	_, err := w.WaitForOutput(ctx, params, maxWaitDur, optFns...)
	return err
}

// WaitForOutput is Wait that also returns the last DescribeCustomKeyStores
// output it received (also with most errors, nil if none came).
func (w *CustomKeyStoreConnectedWaiter) WaitForOutput(ctx context.Context, params *DescribeCustomKeyStoresInput, maxWaitDur time.Duration, optFns ...func(*CustomKeyStoreConnectedWaiterOptions)) (*DescribeCustomKeyStoresOutput, error) {
	o := w.options
	o.ClientOptions = slices.Clone(o.ClientOptions)
	for _, fn := range optFns {
		fn(&o)
	}
	p := poller{
		name: "CustomKeyStoreConnected", client: w.client, clock: w.clock,
		clientOptions: o.ClientOptions, minDelay: o.MinDelay, maxDelay: o.MaxDelay,
		log: o.LogWaitAttempts, logger: o.Logger, onAttempt: o.OnAttempt,
		decide: connectedDecider(), override: o.Retryable,
	}
	p.clock.use(o.Clock)
	return p.wait(ctx, params, maxWaitDur)
}

// connectedDecider returns the CONNECTED waiter's judgment of each state
// seen, with its memory of earlier polls.
func connectedDecider() func(e *CustomKeyStoresListEntry) (bool, error) {
	connecting := false // CONNECTING seen
	idle := 0           // DISCONNECTED or DISCONNECTING polls in a row
	return func(e *CustomKeyStoresListEntry) (bool, error) {
		failed := func() error {
			return &ConnectionFailedError{
				CustomKeyStoreId:    deref(e.CustomKeyStoreId),
				ConnectionErrorCode: e.ConnectionErrorCode,
				ConnectionState:     e.ConnectionState,
				CustomKeyStoreType:  e.CustomKeyStoreType,
			}
		}
		switch e.ConnectionState {
		case ConnectionStateTypeConnected:
			return true, nil
		case ConnectionStateTypeFailed:
			return false, failed()
		case ConnectionStateTypeConnecting:
			connecting, idle = true, 0
		case ConnectionStateTypeDisconnected, ConnectionStateTypeDisconnecting:
			idle++
			if connecting || idle >= 2 {
				return false, failed()
			}
		default:
			idle = 0 // a state this version does not know: keep waiting
		}
		return false, nil
	}
}

// CustomKeyStoreDisconnectedWaiter waits until a custom key store is
// DISCONNECTED, after [Client.DisconnectCustomKeyStore].
type CustomKeyStoreDisconnectedWaiter struct {
	client  DescribeCustomKeyStoresAPIClient
	options CustomKeyStoreDisconnectedWaiterOptions
	clock   waiterClock
}

// NewCustomKeyStoreDisconnectedWaiter returns a waiter for DISCONNECTED
// that polls with client.
func NewCustomKeyStoreDisconnectedWaiter(client DescribeCustomKeyStoresAPIClient, optFns ...func(*CustomKeyStoreDisconnectedWaiterOptions)) *CustomKeyStoreDisconnectedWaiter {
	var o CustomKeyStoreDisconnectedWaiterOptions
	for _, fn := range optFns {
		fn(&o)
	}
	return &CustomKeyStoreDisconnectedWaiter{client: client, options: o, clock: realClock()}
}

// Wait polls DescribeCustomKeyStores with params, which must name one store
// (CustomKeyStoreId or CustomKeyStoreName), until the store is
// DISCONNECTED, and returns nil then. Any other state means waiting on. It
// returns early with a DescribeCustomKeyStores error that is not retryable
// (such as one matching ErrCustomKeyStoreNotFound), when ctx is done, or
// when maxWaitDur has passed (that error matches
// context.DeadlineExceeded). maxWaitDur must be positive.
func (w *CustomKeyStoreDisconnectedWaiter) Wait(ctx context.Context, params *DescribeCustomKeyStoresInput, maxWaitDur time.Duration, optFns ...func(*CustomKeyStoreDisconnectedWaiterOptions)) error {
	_, err := w.WaitForOutput(ctx, params, maxWaitDur, optFns...)
	return err
}

// WaitForOutput is Wait that also returns the last DescribeCustomKeyStores
// output it received.
func (w *CustomKeyStoreDisconnectedWaiter) WaitForOutput(ctx context.Context, params *DescribeCustomKeyStoresInput, maxWaitDur time.Duration, optFns ...func(*CustomKeyStoreDisconnectedWaiterOptions)) (*DescribeCustomKeyStoresOutput, error) {
	o := w.options
	o.ClientOptions = slices.Clone(o.ClientOptions)
	for _, fn := range optFns {
		fn(&o)
	}
	p := poller{
		name: "CustomKeyStoreDisconnected", client: w.client, clock: w.clock,
		clientOptions: o.ClientOptions, minDelay: o.MinDelay, maxDelay: o.MaxDelay,
		log: o.LogWaitAttempts, logger: o.Logger, onAttempt: o.OnAttempt,
		decide: func(e *CustomKeyStoresListEntry) (bool, error) {
			return e.ConnectionState == ConnectionStateTypeDisconnected, nil
		},
		override: o.Retryable,
	}
	p.clock.use(o.Clock)
	return p.wait(ctx, params, maxWaitDur)
}

// waiterClock is the waiters' time: real in use, simulated in tests so
// that they are deterministic and never sleep.
type waiterClock struct {
	now   func() time.Time
	sleep func(ctx context.Context, d time.Duration) error
	// jitter returns a uniform random duration in [0, n); n > 0.
	jitter func(n int64) int64
}

func realClock() waiterClock {
	return waiterClock{now: time.Now, sleep: awsjson.Sleep, jitter: rand.Int64N}
}

// use reads and sleeps on c, when it is not nil.
func (w *waiterClock) use(c WaiterClock) {
	if c != nil {
		w.now, w.sleep = c.Now, c.Sleep
	}
}

// poller is one wait: the loop both waiters share.
type poller struct {
	name          string
	client        DescribeCustomKeyStoresAPIClient
	clock         waiterClock
	clientOptions []func(*Options)
	minDelay      time.Duration
	maxDelay      time.Duration
	log           bool
	logger        *slog.Logger
	onAttempt     func(WaitAttempt)
	// decide judges the store's entry: done, or a final error, or neither
	// (poll again).
	decide func(e *CustomKeyStoresListEntry) (bool, error)
	// override, when set, judges each call instead of decide and the
	// retryable errors (the options' Retryable).
	override func(context.Context, *DescribeCustomKeyStoresInput, *DescribeCustomKeyStoresOutput, error) (bool, error)
}

func (p *poller) wait(parent context.Context, params *DescribeCustomKeyStoresInput, maxWait time.Duration) (*DescribeCustomKeyStoresOutput, error) {
	if err := p.check(params, maxWait); err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(parent, maxWait)
	defer cancel()
	deadline := p.clock.now().Add(maxWait)
	opts := append(p.clientOptions, func(o *Options) { o.RetryMaxAttempts = 1 })
	retryable := p.retryable()
	logger := p.attemptLogger()
	target := storeLabel(params)

	var last *DescribeCustomKeyStoresOutput
	lastState := "none yet"
	for attempt := 1; ; attempt++ {
		out, err := p.client.DescribeCustomKeyStores(ctx, params, opts...)
		if err != nil && ctx.Err() != nil {
			return last, p.ended(parent, maxWait, lastState, err)
		}
		var entry *CustomKeyStoresListEntry
		if err == nil {
			last = out
			if entry = pickEntry(out, params); entry != nil {
				lastState = string(entry.ConnectionState)
			}
		}
		var done bool
		var ferr error
		switch {
		case p.override != nil:
			var again bool
			again, ferr = p.override(ctx, params, out, err)
			done = !again && ferr == nil
		case err == nil && entry == nil:
			return last, fmt.Errorf("kms: %s waiter: DescribeCustomKeyStores returned no custom key store for %s: %w", p.name, target, ErrCustomKeyStoreNotFound)
		case err == nil:
			done, ferr = p.decide(entry)
		case !retryable(err):
			return last, err
		}
		p.report(ctx, logger, attempt, target, entry, err)
		if ferr != nil || done {
			return last, ferr
		}
		remaining := deadline.Sub(p.clock.now())
		if remaining < p.minDelay {
			return last, p.ended(parent, maxWait, lastState, context.DeadlineExceeded)
		}
		delay := p.delay(attempt, remaining)
		if err := p.clock.sleep(ctx, delay); err != nil {
			return last, p.ended(parent, maxWait, lastState, err)
		}
	}
}

// report logs one attempt and hands it to onAttempt: the entry it saw, or
// the error it retries.
func (p *poller) report(ctx context.Context, logger *slog.Logger, attempt int, target string, entry *CustomKeyStoresListEntry, err error) {
	a := WaitAttempt{Attempt: attempt, Time: p.clock.now()}
	attrs := []slog.Attr{slog.String("waiter", p.name), slog.Int("attempt", attempt), slog.String("custom_key_store", target)}
	switch {
	case err != nil:
		a.RetryableError = errorCode(err)
		attrs = append(attrs, slog.String("retryable_error", a.RetryableError))
	case entry != nil:
		a.State, a.ConnectionErrorCode = entry.ConnectionState, entry.ConnectionErrorCode
		attrs = append(attrs, slog.String("state", string(a.State)), slog.String("connection_error_code", string(a.ConnectionErrorCode)))
	}
	if logger != nil {
		logger.LogAttrs(ctx, slog.LevelInfo, "kms waiter attempt", attrs...)
	}
	if p.onAttempt != nil {
		p.onAttempt(a)
	}
}

// check fills in the default delays and rejects what cannot be waited on.
func (p *poller) check(params *DescribeCustomKeyStoresInput, maxWait time.Duration) error {
	if p.minDelay <= 0 {
		p.minDelay = defaultWaiterMinDelay
	}
	if p.maxDelay <= 0 {
		p.maxDelay = defaultWaiterMaxDelay
	}
	if p.minDelay > p.maxDelay {
		return fmt.Errorf("kms: %s waiter: MinDelay %v is above MaxDelay %v", p.name, p.minDelay, p.maxDelay)
	}
	if maxWait <= 0 {
		return fmt.Errorf("kms: %s waiter: maximum wait time must be positive, not %v", p.name, maxWait)
	}
	if p.client == nil {
		return fmt.Errorf("kms: %s waiter: no client", p.name)
	}
	if params == nil || (params.CustomKeyStoreId == nil && params.CustomKeyStoreName == nil) {
		sp := newShapeProblems(kmsmodel.DescribeCustomKeyStoresInput)
		sp.add("CustomKeyStoreId", "required by the "+p.name+" waiter: it waits for one store, named by CustomKeyStoreId or CustomKeyStoreName")
		return sp.result()
	}
	return params.Validate()
}

// delay is the wait before poll attempt+1: a random duration between
// MinDelay and MinDelay*2^(attempt-1), capped at MaxDelay and at what is
// left of the maximum wait (never below MinDelay).
func (p *poller) delay(attempt int, remaining time.Duration) time.Duration {
	upper := p.maxDelay
	if shift := attempt - 1; shift < 62 && p.minDelay<<shift > 0 && p.minDelay<<shift < upper {
		upper = p.minDelay << shift
	}
	d := p.minDelay
	if upper > p.minDelay {
		d += time.Duration(p.clock.jitter(int64(upper-p.minDelay) + 1))
	}
	if d > remaining {
		d = remaining
	}
	return d
}

// ended is the error of a wait that ran out of time or was canceled.
func (p *poller) ended(parent context.Context, maxWait time.Duration, lastState string, err error) error {
	if parent.Err() == nil && (errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled)) {
		return fmt.Errorf("kms: %s waiter: exceeded max wait time %v (last state %s): %w", p.name, maxWait, lastState, context.DeadlineExceeded)
	}
	return fmt.Errorf("kms: %s waiter: stopped (last state %s): %w", p.name, lastState, err)
}

// retryable classifies Describe errors with the client's retryer, or the
// standard one for another client.
func (p *poller) retryable() func(error) bool {
	if c, ok := p.client.(*Client); ok && c.options.Retryer != nil {
		return c.options.Retryer.IsErrorRetryable
	}
	return retry.NewStandard().IsErrorRetryable
}

// attemptLogger is where attempts are logged, or nil.
func (p *poller) attemptLogger() *slog.Logger {
	if !p.log {
		return nil
	}
	if p.logger != nil {
		return p.logger
	}
	if c, ok := p.client.(*Client); ok && c.options.Logger != nil {
		return c.options.Logger
	}
	return slog.Default()
}

// pickEntry returns the entry of the store params names, or the first
// entry, or nil when there is none.
func pickEntry(out *DescribeCustomKeyStoresOutput, params *DescribeCustomKeyStoresInput) *CustomKeyStoresListEntry {
	if out == nil || len(out.CustomKeyStores) == 0 {
		return nil
	}
	for i := range out.CustomKeyStores {
		e := &out.CustomKeyStores[i]
		if (params.CustomKeyStoreId != nil && deref(e.CustomKeyStoreId) == *params.CustomKeyStoreId) ||
			(params.CustomKeyStoreName != nil && deref(e.CustomKeyStoreName) == *params.CustomKeyStoreName) {
			return e
		}
	}
	return &out.CustomKeyStores[0]
}

// storeLabel names the store params selects, for messages.
func storeLabel(params *DescribeCustomKeyStoresInput) string {
	if params.CustomKeyStoreId != nil {
		return *params.CustomKeyStoreId
	}
	return "name " + quoteBounded(*params.CustomKeyStoreName)
}

// errorCode is the code of an API error, or its text.
func errorCode(err error) string {
	var coded interface{ ErrorCode() string }
	if errors.As(err, &coded) {
		return coded.ErrorCode()
	}
	return err.Error()
}
