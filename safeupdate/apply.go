package safeupdate

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/kmskit/kms"
)

// ErrStalePlan is matched (errors.Is) by the error of Apply when the store
// changed since the plan was made.
var ErrStalePlan = errors.New("kms: the custom key store changed since the plan was made")

// StalePlanError is the error of Apply when DescribeCustomKeyStores shows
// the store different from when it was planned. Nothing was changed. It
// matches ErrStalePlan.
type StalePlanError struct {
	// CustomKeyStoreId is the store.
	CustomKeyStoreId string
	// Differences name what changed, e.g. "ConnectionState: CONNECTED → FAILED".
	// Secret members are named without their values.
	Differences []string
}

func (e *StalePlanError) Error() string {
	return fmt.Sprintf("kms: apply to custom key store %s: the store changed since the plan was made (%s); nothing was changed: make a new plan",
		e.CustomKeyStoreId, strings.Join(e.Differences, "; "))
}

// Is matches ErrStalePlan.
func (e *StalePlanError) Is(target error) bool { return target == ErrStalePlan }

// ApplyOptions configures [Plan.Apply].
type ApplyOptions struct {
	// OnStep, when set, is called before and after each step, from the
	// goroutine that called Apply.
	OnStep func(StepEvent)

	// OnPoll, when set, is called after each DescribeCustomKeyStores call
	// of a wait step with the state it saw, from the goroutine that called
	// Apply, between that step's two OnStep calls. It sends nothing itself.
	OnPoll func(PollEvent)

	// PollInterval is the time between two DescribeCustomKeyStores calls
	// of a wait. Zero means 1 s, the fastest rate the custom key store
	// request quota allows by default; the waiters' own default backoff
	// (2 s to 30 s) would keep the store's keys unusable longer.
	PollInterval time.Duration

	// MaxWait bounds each wait. Zero means 20 minutes.
	MaxWait time.Duration
}

// StepEvent reports one step of Apply: once when it starts (Done false) and
// once when it ends (Done true, with Duration and Err).
type StepEvent struct {
	// Index counts the steps of this Apply from 0, rollback steps included.
	Index int
	// Step is the step.
	Step Step
	// Rollback: the step restores the previous state after a failure.
	Rollback bool
	// Done: the step ended.
	Done bool
	// Start is when the step started.
	Start time.Time
	// Duration is how long it took (Done only).
	Duration time.Duration
	// Err is the step's error (Done only).
	Err error
}

// StepResult is one step Apply ran.
type StepResult struct {
	// Step is the step.
	Step Step
	// Rollback: the step restored the previous state after a failure.
	Rollback bool
	// Start is when it started; Duration how long it took.
	Start    time.Time
	Duration time.Duration
	// Err is the step's error, nil when it succeeded.
	Err error
}

// ApplyReport is what Apply did.
type ApplyReport struct {
	// CustomKeyStoreId is the store.
	CustomKeyStoreId string
	// Steps are the steps run, rollback steps included, in order.
	Steps []StepResult
	// Start is when Apply started; Duration how long it took.
	Start    time.Time
	Duration time.Duration
	// Unavailable is how long, as seen from here, the store was not
	// CONNECTED because of Apply: from the DisconnectCustomKeyStore call
	// until a wait saw it CONNECTED again (or until Apply returned). Zero
	// when Apply did not disconnect a connected store.
	Unavailable time.Duration
}

// String lists the steps with their timing.
func (r *ApplyReport) String() string {
	if r == nil {
		return "<nil report>"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "Applied to custom key store %s in %s", r.CustomKeyStoreId, r.Duration.Round(time.Millisecond))
	if r.Unavailable > 0 {
		fmt.Fprintf(&b, " (not CONNECTED for %s)", r.Unavailable.Round(time.Millisecond))
	}
	b.WriteByte('\n')
	for i, s := range r.Steps {
		fmt.Fprintf(&b, "  %d. %s", i+1, s.Step.Action)
		if s.Rollback {
			b.WriteString(" (rollback)")
		}
		fmt.Fprintf(&b, ": %s", s.Duration.Round(time.Millisecond))
		if s.Err != nil {
			fmt.Fprintf(&b, ": %v", s.Err)
		}
		b.WriteByte('\n')
	}
	return b.String()
}

// ApplyError is the error of an Apply that failed after changing something.
// It holds the failure and what the rollback did. errors.Is and errors.As
// see both: the failure (for a failed reconnect a *kms.ConnectionFailedError,
// errors.Is kms.ErrCustomKeyStoreConnectionFailed) and the rollback's error.
type ApplyError struct {
	// CustomKeyStoreId is the store.
	CustomKeyStoreId string
	// Step is the step that failed.
	Step StepAction
	// Err is the failure.
	Err error
	// ConnectionErrorCode is why the store failed to connect, when it did.
	ConnectionErrorCode kms.ConnectionErrorCodeType
	// Rollback is what was done to restore the store; nil when nothing was
	// attempted.
	Rollback *RollbackOutcome
}

func (e *ApplyError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "kms: apply to custom key store %s: %s failed", e.CustomKeyStoreId, e.Step)
	if e.ConnectionErrorCode != "" {
		fmt.Fprintf(&b, " with ConnectionErrorCode %s", e.ConnectionErrorCode)
	}
	fmt.Fprintf(&b, ": %v", e.Err)
	r := e.Rollback
	if r == nil {
		b.WriteString("; no rollback attempted")
		return b.String()
	}
	if len(r.Restored) > 0 {
		fmt.Fprintf(&b, "; rolled back %s", strings.Join(r.Restored, ", "))
	}
	if len(r.NotRestored) > 0 {
		fmt.Fprintf(&b, "; could not restore %s (previous value not supplied)", strings.Join(r.NotRestored, ", "))
	}
	switch {
	case r.Err != nil:
		fmt.Fprintf(&b, "; rollback failed: %v", r.Err)
	case r.Reconnected:
		b.WriteString("; the store is CONNECTED again")
	default:
		b.WriteString("; the store is left DISCONNECTED")
	}
	return b.String()
}

// Unwrap returns the failure and the rollback's error.
func (e *ApplyError) Unwrap() []error {
	errs := []error{e.Err}
	if e.Rollback != nil && e.Rollback.Err != nil {
		errs = append(errs, e.Rollback.Err)
	}
	return errs
}

// Apply runs the plan. It describes the store first and returns a
// *StalePlanError, changing nothing, if the store differs from
// plan.Current (a store that was CONNECTING and is now CONNECTED, or
// DISCONNECTING and now DISCONNECTED, has only done what the plan waits
// for). Then it runs the steps in order, sending the update the
// moment the store is seen DISCONNECTED, and polling every
// opts.PollInterval (1 s by default) while it waits.
//
// If a step fails after the store was disconnected or updated, Apply
// restores what it can: when the reconnect ends FAILED (or the update is
// rejected), it disconnects the store if needed, sends back the previous
// values of the members it changed (the name, cluster, endpoint, path,
// connectivity and VPC endpoint service from the plan's Describe; the
// password and credential only if PlanOptions supplied the previous ones),
// reconnects if the store was CONNECTED or CONNECTING, waits, and returns
// an *ApplyError with the failure and the RollbackOutcome. The report lists
// every step run with its timing, and is returned with any error.
func (p *Plan) Apply(ctx context.Context, opts ApplyOptions) (*ApplyReport, error) {
	if p == nil || p.api == nil {
		return nil, errors.New("kms: Apply needs a plan made by Updater.Plan")
	}
	r := &applyRun{api: p.api, id: p.snap.id, opts: opts}
	if r.opts.PollInterval <= 0 {
		r.opts.PollInterval = time.Second
	}
	if r.opts.MaxWait <= 0 {
		r.opts.MaxWait = 20 * time.Minute
	}
	r.report = &ApplyReport{CustomKeyStoreId: p.snap.id, Start: time.Now()}
	defer r.finish()

	entry, err := describeStore(ctx, p.api, p.snap.id)
	if err != nil {
		return r.report, fmt.Errorf("kms: apply to custom key store %s: %w", p.snap.id, err)
	}
	now := snapshotOf(entry)
	if settled(p.snap.state, now.state) {
		now.state = p.snap.state // the plan's first wait expects exactly this
	}
	if d := p.snap.differences(now); len(d) > 0 {
		return r.report, &StalePlanError{CustomKeyStoreId: p.snap.id, Differences: d}
	}

	reconnects := slices.ContainsFunc(p.Steps, func(s Step) bool { return s.Action == StepConnect })
	updated := false
	for _, st := range p.Steps {
		err := r.step(ctx, st, false)
		if err == nil {
			if st.Action == StepUpdate {
				updated = true
			}
			continue
		}
		aerr := &ApplyError{CustomKeyStoreId: p.snap.id, Step: st.Action, Err: err}
		var cf *kms.ConnectionFailedError
		if errors.As(err, &cf) {
			aerr.ConnectionErrorCode = cf.ConnectionErrorCode
		}
		disconnected := r.disconnectedAt != (time.Time{})
		switch {
		case !disconnected && !updated:
			return r.report, aerr // nothing changed
		case ctx.Err() != nil:
			aerr.Rollback = &RollbackOutcome{Err: fmt.Errorf("not attempted: %w", ctx.Err())}
			return r.report, aerr
		}
		var rb *kms.UpdateCustomKeyStoreInput
		outcome := &RollbackOutcome{}
		if updated || !definitelyRejected(err) && st.Action == StepUpdate {
			rb, outcome.Restored, outcome.NotRestored = rollbackInput(p.snap, p.in, p.opts.PreviousKeyStorePassword, p.opts.Preflight.Credential)
		}
		outcome.Input = rb
		outcome.Err = r.restore(ctx, rb, reconnects)
		outcome.Reconnected = outcome.Err == nil && reconnects
		aerr.Rollback = outcome
		return r.report, aerr
	}
	return r.report, nil
}

// settled reports whether a store planned in state from and now in state to
// only finished the transition the plan waits for first.
func settled(from, to kms.ConnectionStateType) bool {
	return from == kms.ConnectionStateTypeConnecting && to == kms.ConnectionStateTypeConnected ||
		from == kms.ConnectionStateTypeDisconnecting && to == kms.ConnectionStateTypeDisconnected
}

// definitelyRejected reports whether err proves that KMS did not apply the
// request: a validation error or an error response.
func definitelyRejected(err error) bool {
	var ve *kms.ValidationError
	var ae *kms.APIError
	return errors.As(err, &ve) || errors.As(err, &ae)
}

// applyRun is the state of one Apply.
type applyRun struct {
	api    API
	id     string
	opts   ApplyOptions
	report *ApplyReport
	index  int

	disconnectedAt time.Time // when Apply first disconnected a connected store
	reconnectedAt  time.Time // when a wait then saw it CONNECTED
}

// finish completes the report.
func (r *applyRun) finish() {
	end := time.Now()
	r.report.Duration = end.Sub(r.report.Start)
	if !r.disconnectedAt.IsZero() {
		until := r.reconnectedAt
		if until.IsZero() {
			until = end
		}
		r.report.Unavailable = until.Sub(r.disconnectedAt)
	}
}

// step runs one step, reporting it.
func (r *applyRun) step(ctx context.Context, st Step, rollback bool) error {
	ev := StepEvent{Index: r.index, Step: st, Rollback: rollback, Start: time.Now()}
	r.index++
	if r.opts.OnStep != nil {
		r.opts.OnStep(ev)
	}
	id := r.id
	var err error
	switch st.Action {
	case StepDisconnect:
		if r.disconnectedAt.IsZero() {
			r.disconnectedAt = ev.Start
		}
		_, err = r.api.DisconnectCustomKeyStore(ctx, &kms.DisconnectCustomKeyStoreInput{CustomKeyStoreId: &id})
	case StepWaitDisconnected:
		err = kms.NewCustomKeyStoreDisconnectedWaiter(r.api, func(o *kms.CustomKeyStoreDisconnectedWaiterOptions) {
			o.MinDelay, o.MaxDelay = r.opts.PollInterval, r.opts.PollInterval
			o.OnAttempt = pollHook(r.opts, ev)
		}).Wait(ctx, &kms.DescribeCustomKeyStoresInput{CustomKeyStoreId: &id}, r.opts.MaxWait)
	case StepUpdate:
		_, err = r.api.UpdateCustomKeyStore(ctx, st.Input)
	case StepConnect:
		_, err = r.api.ConnectCustomKeyStore(ctx, &kms.ConnectCustomKeyStoreInput{CustomKeyStoreId: &id})
	case StepWaitConnected:
		err = kms.NewCustomKeyStoreConnectedWaiter(r.api, func(o *kms.CustomKeyStoreConnectedWaiterOptions) {
			o.MinDelay, o.MaxDelay = r.opts.PollInterval, r.opts.PollInterval
			o.OnAttempt = pollHook(r.opts, ev)
		}).Wait(ctx, &kms.DescribeCustomKeyStoresInput{CustomKeyStoreId: &id}, r.opts.MaxWait)
		if err == nil && !r.disconnectedAt.IsZero() && r.reconnectedAt.IsZero() {
			r.reconnectedAt = time.Now()
		}
	default:
		err = fmt.Errorf("kms: unknown plan step %q", st.Action)
	}
	ev.Done, ev.Duration, ev.Err = true, time.Since(ev.Start), err
	r.report.Steps = append(r.report.Steps, StepResult{Step: st, Rollback: rollback, Start: ev.Start, Duration: ev.Duration, Err: err})
	if r.opts.OnStep != nil {
		r.opts.OnStep(ev)
	}
	return err
}
