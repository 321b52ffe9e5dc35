package safeupdate

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"

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
	if e == nil {
		return "<nil *safeupdate.StalePlanError>"
	}
	return fmt.Sprintf("kms: apply to custom key store %s: the store changed since the plan was made (%s); nothing was changed: make a new plan",
		e.CustomKeyStoreId, strings.Join(e.Differences, "; "))
}

// Is matches ErrStalePlan.
func (e *StalePlanError) Is(target error) bool { return target == ErrStalePlan }

// Apply's defaults.
const (
	defaultPollInterval   = time.Second
	defaultMaxWait        = 20 * time.Minute
	defaultRestoreTimeout = 25 * time.Minute // CloudHSM connects take up to 20
)

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
	// of a wait, and between two tries of a call that failed with a
	// retryable error (throttling, a 5xx, a dropped connection). Zero
	// means 1 s, the fastest rate the custom key store request quota
	// allows by default; the waiters' own default backoff (2 s to 30 s)
	// would keep the store's keys unusable longer.
	PollInterval time.Duration

	// MaxWait bounds each step of the plan, its retries and waits
	// included. Zero means 20 minutes.
	MaxWait time.Duration

	// RestoreTimeout bounds the restore: what Apply does, after a failure
	// or after ctx is canceled, to bring a store it disconnected back to
	// CONNECTED (rolling back the update when the reconnect proves it
	// wrong). The restore runs on a context detached from ctx's
	// cancellation, so a canceled Apply does not abandon a store it took
	// down. Zero means 25 minutes: a CloudHSM connection takes up to 20.
	RestoreTimeout time.Duration

	// AcceptUnchecked lets Apply disconnect a CONNECTED store although some
	// of the plan's Checks were not checked. Without it Apply refuses such
	// a plan with an *UncheckedDisconnectError, sending nothing. A plan
	// that does not disconnect a connected store is applied whatever this
	// says: KMS makes its own checks on a connected store.
	AcceptUnchecked bool
}

// StepEvent reports one step of Apply: once when it starts (Done false) and
// once when it ends (Done true, with Duration and Err).
type StepEvent struct {
	// Index counts the steps of this Apply from 0, rollback steps included.
	Index int
	// Step is the step.
	Step Step
	// Rollback: the step restores the store after a failure or a cancel.
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
	// Rollback: the step restored the store after a failure or a cancel.
	Rollback bool
	// Start is when it started; Duration how long it took.
	Start    time.Time
	Duration time.Duration
	// Err is the step's error, nil when it succeeded.
	Err error
}

// ApplyReport is what Apply did. It is returned with any error after
// Apply started.
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
	// State is the store's ConnectionState as last seen when Apply
	// returned (empty when Apply saw none).
	State kms.ConnectionStateType
	// NextStep says exactly what to do when the store did not end where
	// the plan meant it to; empty when it did.
	NextStep string
}

// String lists the steps with their timing, the state the store was left
// in, and the next step when there is one.
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
		switch {
		case s.Rollback && s.Step.Action == StepUpdate:
			b.WriteString(" (rollback)") // sets the previous values back
		case s.Rollback:
			b.WriteString(" (restore)")
		}
		fmt.Fprintf(&b, ": %s", s.Duration.Round(time.Millisecond))
		if s.Err != nil {
			fmt.Fprintf(&b, ": %v", s.Err)
		}
		b.WriteByte('\n')
	}
	if r.State != "" {
		fmt.Fprintf(&b, "The store is %s.\n", r.State)
	}
	if r.NextStep != "" {
		fmt.Fprintf(&b, "Next: %s\n", r.NextStep)
	}
	return b.String()
}

// UpdateOutcome is what became of a plan's UpdateCustomKeyStore.
type UpdateOutcome string

// The outcomes of the update.
const (
	// UpdateNotSent: Apply stopped before sending it.
	UpdateNotSent UpdateOutcome = "not sent"
	// UpdateRejected: KMS answered it with an error: nothing changed.
	UpdateRejected UpdateOutcome = "rejected"
	// UpdateUnknown: no answer came (a dropped connection, a cancel): KMS
	// may have applied it.
	UpdateUnknown UpdateOutcome = "outcome unknown"
	// UpdateApplied: KMS accepted it.
	UpdateApplied UpdateOutcome = "applied"
)

// ApplyError is the error of an Apply that failed, or was canceled, after
// it started changing the store. It says what failed, what became of the
// update, what the restore did, the state the store was left in and the
// exact next step. errors.Is and errors.As see the failure (for a failed
// reconnect a *kms.ConnectionFailedError, errors.Is
// kms.ErrCustomKeyStoreConnectionFailed; for a cancel context.Canceled) and
// the rollback's error.
type ApplyError struct {
	// CustomKeyStoreId is the store.
	CustomKeyStoreId string
	// Step is the step that failed or was interrupted.
	Step StepAction
	// Err is the failure.
	Err error
	// ConnectionErrorCode is why the store failed to connect, when it did.
	ConnectionErrorCode kms.ConnectionErrorCodeType
	// Update is what became of the update.
	Update UpdateOutcome
	// Rollback is what was done to restore the store; nil when nothing was
	// attempted.
	Rollback *RollbackOutcome
	// State is the store's ConnectionState as last seen.
	State kms.ConnectionStateType
	// NextStep says exactly what to do, when the store was not left
	// CONNECTED as the plan found it.
	NextStep string
}

func (e *ApplyError) Error() string {
	if e == nil {
		return "<nil *safeupdate.ApplyError>"
	}
	var b strings.Builder
	verb := "failed"
	if errors.Is(e.Err, context.Canceled) {
		verb = "interrupted"
	}
	fmt.Fprintf(&b, "kms: apply to custom key store %s: %s %s", e.CustomKeyStoreId, e.Step, verb)
	if e.ConnectionErrorCode != "" {
		fmt.Fprintf(&b, " with ConnectionErrorCode %s", e.ConnectionErrorCode)
	}
	fmt.Fprintf(&b, ": %v", e.Err)
	switch e.Update {
	case "":
	case UpdateUnknown:
		b.WriteString("; the update's outcome is unknown (KMS may have applied it)")
	default:
		fmt.Fprintf(&b, "; the update was %s", e.Update)
	}
	if r := e.Rollback; r != nil {
		if len(r.Restored) > 0 {
			fmt.Fprintf(&b, "; rolled back %s", strings.Join(r.Restored, ", "))
		}
		if len(r.NotRestored) > 0 {
			fmt.Fprintf(&b, "; could not restore %s (previous value not supplied)", strings.Join(r.NotRestored, ", "))
		}
		if len(r.StillNew) > 0 {
			verb := "still holds the new value"
			switch {
			case e.Update == UpdateUnknown && len(r.StillNew) > 1:
				verb = "may still hold the new values"
			case e.Update == UpdateUnknown:
				verb = "may still hold the new value"
			case len(r.StillNew) > 1:
				verb = "still hold the new values"
			}
			fmt.Fprintf(&b, "; %s %s", strings.Join(r.StillNew, ", "), verb)
		}
		if r.Err != nil {
			fmt.Fprintf(&b, "; the restore did not complete: %v", r.Err)
		}
	}
	switch {
	case e.State == kms.ConnectionStateTypeConnected && e.Rollback != nil && e.Rollback.Reconnected:
		b.WriteString("; the store is CONNECTED again")
	case e.State != "":
		fmt.Fprintf(&b, "; the store was last seen %s", e.State)
	default:
		b.WriteString("; the store's state was not seen")
	}
	if e.NextStep != "" {
		fmt.Fprintf(&b, "; next: %s", e.NextStep)
	}
	return b.String()
}

// Unwrap returns the failure and the rollback's error.
func (e *ApplyError) Unwrap() []error {
	if e == nil {
		return nil
	}
	errs := []error{e.Err}
	if e.Rollback != nil && e.Rollback.Err != nil {
		errs = append(errs, e.Rollback.Err)
	}
	return errs
}

// Apply runs the plan. A plan that disconnects a CONNECTED store while some
// of its Checks were not checked is refused first, sending nothing, with an
// *UncheckedDisconnectError, unless opts.AcceptUnchecked. Apply then
// describes the store and returns a *StalePlanError, changing nothing, if
// it differs from plan.Current (a store that was CONNECTING and is now
// CONNECTED, or DISCONNECTING and now DISCONNECTED, has only done what the
// plan waits for). Then it runs the steps in order, sending the update the
// moment the store is seen DISCONNECTED, polling every opts.PollInterval
// while it waits and retrying a call that failed with a retryable error
// (throttling, a 5xx, a dropped connection) at the same pace, until the
// step's bound (opts.MaxWait). Every call is handed the plan's secrets, new
// and previous, to scrub from what it returns.
//
// Apply never leaves a store it disconnected without saying how to
// recover. After a failure, or when ctx is canceled, once it has
// disconnected the store it restores it on a context detached from ctx,
// bounded by opts.RestoreTimeout:
//
//   - before the update was sent, it sends none: it waits for
//     DISCONNECTED, reconnects and waits;
//   - after KMS accepted the update, it reconnects with the new settings;
//     only when the reconnect proves them wrong (the store ends FAILED, or
//     a wait sees it cannot connect) does it roll back: it disconnects the
//     store if needed, sends back the previous values it knows (the name,
//     cluster, endpoint, path, connectivity and VPC endpoint service from
//     the plan's Describe; the password and credential only when the plan's
//     options supplied the previous ones), reconnects and waits. When the
//     failure is a new secret KMS refused and whose previous value is
//     unknown, it does not reconnect with it again: it leaves the store
//     DISCONNECTED and NextStep says what to send;
//   - when the update's outcome is unknown, it rolls back what it can, then
//     reconnects.
//
// An error that leaves the store's state unknown in the final wait (a
// rejected or lost Describe, the bound passed) ends Apply without a second
// disconnect: the *ApplyError says the update was applied, the state last
// seen and what to check. Every failure after Apply started changing the
// store is an *ApplyError; the report lists every step run with its
// timing, and is returned with any error.
func (p *Plan) Apply(ctx context.Context, opts ApplyOptions) (*ApplyReport, error) {
	if p == nil || p.api == nil {
		return nil, errors.New("kms: Apply needs a plan made by Updater.Plan")
	}
	if ctx == nil {
		return nil, errNilContext
	}
	if p.disconnects() && !opts.AcceptUnchecked {
		if names := unchecked(p.Checks); len(names) > 0 {
			return nil, &UncheckedDisconnectError{CustomKeyStoreId: p.snap.id, Unchecked: names}
		}
	}
	r := newApplyRun(p, opts)
	defer r.finish()

	entry, err := r.describe(ctx, r.clock.Now().Add(r.opts.MaxWait))
	if err != nil {
		return r.report, fmt.Errorf("kms: apply to custom key store %s: nothing was changed: %w", p.snap.id, err)
	}
	now := snapshotOf(entry)
	if settled(p.snap.state, now.state) {
		now.state = p.snap.state // the plan's first wait expects exactly this
	}
	if d := p.snap.differences(now); len(d) > 0 {
		return r.report, &StalePlanError{CustomKeyStoreId: p.snap.id, Differences: d}
	}
	for _, st := range p.Steps {
		if err := r.step(ctx, st, false, r.clock.Now().Add(r.opts.MaxWait)); err != nil {
			return r.report, r.fail(ctx, st, err)
		}
	}
	return r.report, nil
}

// settled reports whether a store planned in state from and now in state to
// only finished the transition the plan waits for first.
func settled(from, to kms.ConnectionStateType) bool {
	return from == kms.ConnectionStateTypeConnecting && to == kms.ConnectionStateTypeConnected ||
		from == kms.ConnectionStateTypeDisconnecting && to == kms.ConnectionStateTypeDisconnected
}

// definite reports whether err is KMS's answer (or the client's refusal to
// send): the request was not applied.
func definite(err error) bool {
	var ve *kms.ValidationError
	var ae *kms.APIError
	return errors.As(err, &ve) || errors.As(err, &ae)
}

// applyRun is the state of one Apply.
type applyRun struct {
	p            *Plan
	api          API
	clock        kms.WaiterClock
	id           string
	opts         ApplyOptions
	report       *ApplyReport
	index        int
	callOpts     []func(*kms.Options) // every call's: the plan's secrets, one attempt
	describeOpts []func(*kms.Options) // a Describe's: the secrets it does not show, one attempt
	scrub        func(string) string  // removes the plan's secrets from what Describe shows
	scrubErr     func(error) error    // removes them from an error
	retryable    func(error) bool

	disconnectSent bool          // a DisconnectCustomKeyStore of a connected store may have reached KMS
	update         UpdateOutcome // what became of the plan's update
	lastState      kms.ConnectionStateType
	lastEntry      *kms.CustomKeyStoresListEntry

	disconnectedAt time.Time // when Apply first disconnected a connected store
	reconnectedAt  time.Time // when a wait then saw it CONNECTED
}

func newApplyRun(p *Plan, opts ApplyOptions) *applyRun {
	if opts.PollInterval <= 0 {
		opts.PollInterval = defaultPollInterval
	}
	if opts.MaxWait <= 0 {
		opts.MaxWait = defaultMaxWait
	}
	if opts.RestoreTimeout <= 0 {
		opts.RestoreTimeout = defaultRestoreTimeout
	}
	clock := p.clock
	if clock == nil {
		clock = realClock{}
	}
	secrets := p.secrets
	if secrets.call == nil { // a Plan not made by Updater.Plan
		secrets = secretsOf(nil, PlanOptions{}, secret{})
	}
	r := &applyRun{
		p: p, api: p.api, clock: clock, id: p.snap.id, opts: opts, update: UpdateNotSent,
		callOpts:     []func(*kms.Options){secrets.call, func(o *kms.Options) { o.RetryMaxAttempts = 1 }},
		describeOpts: []func(*kms.Options){secrets.describe, func(o *kms.Options) { o.RetryMaxAttempts = 1 }},
		scrub:        secrets.scrub,
		scrubErr:     secrets.scrubErr,
		retryable:    retryableFor(p.api),
	}
	r.report = &ApplyReport{CustomKeyStoreId: p.snap.id, Start: clock.Now(), State: p.snap.state}
	return r
}

// retryableFor classifies errors with the API's retryer, when it has one
// (a *kms.Client), or the standard one: throttling, 5xx and connection
// errors are retryable.
func retryableFor(api API) func(error) bool {
	if c, ok := api.(interface{ Options() kms.Options }); ok {
		if rt := c.Options().Retryer; rt != nil {
			return rt.IsErrorRetryable
		}
	}
	return retry.NewStandard().IsErrorRetryable
}

// finish completes the report.
func (r *applyRun) finish() {
	end := r.clock.Now()
	r.report.Duration = end.Sub(r.report.Start)
	if !r.disconnectedAt.IsZero() {
		until := r.reconnectedAt
		if until.IsZero() {
			until = end
		}
		r.report.Unavailable = until.Sub(r.disconnectedAt)
	}
}

// seen records a state KMS showed.
func (r *applyRun) seen(e *kms.CustomKeyStoresListEntry) {
	if e == nil {
		return
	}
	r.lastEntry = e
	r.lastState = e.ConnectionState
	r.report.State = e.ConnectionState
	if e.ConnectionState == kms.ConnectionStateTypeConnected && !r.disconnectedAt.IsZero() && r.reconnectedAt.IsZero() {
		r.reconnectedAt = r.clock.Now()
	}
}

// describe reads the store, retrying retryable errors until bound.
func (r *applyRun) describe(ctx context.Context, bound time.Time) (kms.CustomKeyStoresListEntry, error) {
	var entry kms.CustomKeyStoresListEntry
	_, err := r.retrying(ctx, bound, "", func(ctx context.Context) error {
		var err error
		entry, err = describeStore(ctx, r.api, r.id, r.describeOpts...)
		return r.scrubErr(err)
	})
	if err == nil {
		entry.ConnectionErrorCode = kms.ConnectionErrorCodeType(r.scrub(string(entry.ConnectionErrorCode)))
		r.seen(&entry)
	}
	return entry, err
}

// retrying runs call until it succeeds, fails with an error that is not
// retryable, or bound passes, trying again every PollInterval (the
// waiters' pace). uncertain says whether a try got no answer (it may have
// been applied). A DisconnectCustomKeyStore or ConnectCustomKeyStore that
// KMS refuses for the store's state after such a try did what it was sent
// for: the wait that follows sees the state.
func (r *applyRun) retrying(ctx context.Context, bound time.Time, action StepAction, call func(context.Context) error) (uncertain bool, err error) {
	for tried := false; ; tried = true {
		if cerr := ctx.Err(); cerr != nil {
			// This try is never written: the request did not reach KMS.
			if !tried {
				return false, &notSentError{err: cerr}
			}
			return uncertain, errors.Join(err, cerr)
		}
		err = call(ctx)
		if err == nil {
			return uncertain, nil
		}
		if uncertain && errors.Is(err, kms.ErrCustomKeyStoreInvalidState) && (action == StepDisconnect || action == StepConnect) {
			return true, nil
		}
		if !definite(err) {
			uncertain = true
		}
		if ctx.Err() != nil || !r.retryable(err) || !r.clock.Now().Add(r.opts.PollInterval).Before(bound) {
			return uncertain, err
		}
		if r.clock.Sleep(ctx, r.opts.PollInterval) != nil {
			return uncertain, err
		}
	}
}

// notSentError is the error of a call that ctx ended before it was sent:
// nothing reached KMS. It unwraps to ctx's error.
type notSentError struct{ err error }

func (e *notSentError) Error() string { return "not sent: " + e.err.Error() }
func (e *notSentError) Unwrap() error { return e.err }

// notSent reports whether err is a call's that was never sent.
func notSent(err error) bool {
	var ns *notSentError
	return errors.As(err, &ns)
}

// step runs one step, bounded by bound, reporting it.
func (r *applyRun) step(ctx context.Context, st Step, rollback bool, bound time.Time) error {
	ev := StepEvent{Index: r.index, Step: st, Rollback: rollback, Start: r.clock.Now()}
	r.index++
	if r.opts.OnStep != nil {
		r.opts.OnStep(ev)
	}
	id := r.id
	var err error
	switch st.Action {
	case StepDisconnect:
		_, err = r.retrying(ctx, bound, st.Action, func(ctx context.Context) error {
			if r.disconnectedAt.IsZero() && r.p.disconnects() {
				r.disconnectedAt = ev.Start
			}
			r.disconnectSent = true
			_, err := r.api.DisconnectCustomKeyStore(ctx, &kms.DisconnectCustomKeyStoreInput{CustomKeyStoreId: &id}, r.callOpts...)
			return err
		})
	case StepUpdate:
		var uncertain bool
		uncertain, err = r.retrying(ctx, bound, st.Action, func(ctx context.Context) error {
			_, err := r.api.UpdateCustomKeyStore(ctx, st.Input, r.callOpts...)
			return err
		})
		if !rollback {
			switch {
			case err == nil:
				r.update = UpdateApplied
			case notSent(err):
				r.update = UpdateNotSent
			case uncertain || !definite(err):
				r.update = UpdateUnknown
			default:
				r.update = UpdateRejected
			}
		}
	case StepConnect:
		_, err = r.retrying(ctx, bound, st.Action, func(ctx context.Context) error {
			_, err := r.api.ConnectCustomKeyStore(ctx, &kms.ConnectCustomKeyStoreInput{CustomKeyStoreId: &id}, r.callOpts...)
			return err
		})
	case StepWaitDisconnected, StepWaitConnected:
		err = r.wait(ctx, ev, bound)
	default:
		err = fmt.Errorf("kms: unknown plan step %q", st.Action)
	}
	if err == nil {
		// KMS accepted the transition: that is the state it is in now.
		switch st.Action {
		case StepDisconnect:
			r.seen(&kms.CustomKeyStoresListEntry{CustomKeyStoreId: aws.String(r.id), ConnectionState: kms.ConnectionStateTypeDisconnecting})
		case StepConnect:
			r.seen(&kms.CustomKeyStoresListEntry{CustomKeyStoreId: aws.String(r.id), ConnectionState: kms.ConnectionStateTypeConnecting})
		}
	}
	ev.Done, ev.Duration, ev.Err = true, r.clock.Now().Sub(ev.Start), err
	r.report.Steps = append(r.report.Steps, StepResult{Step: st, Rollback: rollback, Start: ev.Start, Duration: ev.Duration, Err: err})
	if r.opts.OnStep != nil {
		r.opts.OnStep(ev)
	}
	return err
}

// wait runs the wait step of ev with kms's waiter on the run's clock,
// pace, secrets and bound.
func (r *applyRun) wait(ctx context.Context, ev StepEvent, bound time.Time) error {
	maxWait := bound.Sub(r.clock.Now())
	if maxWait < r.opts.PollInterval {
		maxWait = r.opts.PollInterval
	}
	params := &kms.DescribeCustomKeyStoresInput{CustomKeyStoreId: aws.String(r.id)}
	clientOpts := []func(*kms.Options){r.describeOpts[0]}
	onAttempt := func(a kms.WaitAttempt) {
		a.ConnectionErrorCode = kms.ConnectionErrorCodeType(r.scrub(string(a.ConnectionErrorCode)))
		a.RetryableError = r.scrub(a.RetryableError)
		if a.State != "" {
			r.seen(&kms.CustomKeyStoresListEntry{CustomKeyStoreId: aws.String(r.id), ConnectionState: a.State, ConnectionErrorCode: a.ConnectionErrorCode})
		}
		if r.opts.OnPoll != nil {
			r.opts.OnPoll(PollEvent{WaitAttempt: a, Index: ev.Index, Step: ev.Step, Rollback: ev.Rollback, NextPoll: a.Time.Add(r.opts.PollInterval)})
		}
	}
	var err error
	if ev.Step.Action == StepWaitDisconnected {
		err = kms.NewCustomKeyStoreDisconnectedWaiter(r.api, func(o *kms.CustomKeyStoreDisconnectedWaiterOptions) {
			o.MinDelay, o.MaxDelay, o.Clock, o.OnAttempt, o.ClientOptions = r.opts.PollInterval, r.opts.PollInterval, r.clock, onAttempt, clientOpts
		}).Wait(ctx, params, maxWait)
	} else {
		err = kms.NewCustomKeyStoreConnectedWaiter(r.api, func(o *kms.CustomKeyStoreConnectedWaiterOptions) {
			o.MinDelay, o.MaxDelay, o.Clock, o.OnAttempt, o.ClientOptions = r.opts.PollInterval, r.opts.PollInterval, r.clock, onAttempt, clientOpts
		}).Wait(ctx, params, maxWait)
	}
	var cf *kms.ConnectionFailedError
	if errors.As(err, &cf) {
		// Its text is the library's own, from these fields.
		cf.ConnectionErrorCode = kms.ConnectionErrorCodeType(r.scrub(string(cf.ConnectionErrorCode)))
		cf.CustomKeyStoreId = r.id
		return err
	}
	return r.scrubErr(err) // a Describe's error: its client did not have the access key IDs
}

// fail is the error of step st, which failed with err, after restoring
// the store when the plan took it down.
func (r *applyRun) fail(ctx context.Context, st Step, err error) error {
	aerr := &ApplyError{CustomKeyStoreId: r.id, Step: st.Action, Err: err}
	var cf *kms.ConnectionFailedError
	if errors.As(err, &cf) {
		aerr.ConnectionErrorCode = cf.ConnectionErrorCode
	}
	aerr.Update = r.update
	defer func() {
		aerr.State = r.lastState
		r.report.NextStep = aerr.NextStep
	}()
	if !r.p.disconnects() || !r.disconnectSent {
		// The plan did not take a connected store down: there is nothing
		// to restore.
		aerr.NextStep = r.nextStep()
		return aerr
	}
	if st.Action == StepWaitConnected && cf == nil && ctx.Err() == nil {
		// The update was applied and the reconnect started; what became
		// of it is unknown. No second disconnect: say what to check.
		aerr.NextStep = fmt.Sprintf("the update was applied and ConnectCustomKeyStore was sent; check the store with DescribeCustomKeyStores (cks describe --id %s):"+
			" it should become CONNECTED; if it ends FAILED, disconnect it, correct the cause and connect it again", r.id)
		return aerr
	}
	rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), r.opts.RestoreTimeout)
	defer cancel()
	deadline := r.clock.Now().Add(r.opts.RestoreTimeout)
	aerr.Rollback, aerr.NextStep = r.restore(rctx, deadline, r.update == UpdateApplied && cf == nil, cf)
	if aerr.NextStep == "" {
		aerr.NextStep = r.nextStep()
	}
	return aerr
}

// nextStep is the next step for a store left in the last state seen.
func (r *applyRun) nextStep() string {
	switch r.lastState {
	case kms.ConnectionStateTypeConnected:
		return ""
	case kms.ConnectionStateTypeDisconnected:
		return fmt.Sprintf("the store is DISCONNECTED: connect it when its settings are right: ConnectCustomKeyStore (cks connect --id %s --wait)", r.id)
	case kms.ConnectionStateTypeConnecting, kms.ConnectionStateTypeDisconnecting:
		return fmt.Sprintf("KMS finishes the transition on its own: check with DescribeCustomKeyStores (cks describe --id %s);"+
			" if it ends DISCONNECTED, connect it (cks connect --id %s --wait)", r.id, r.id)
	case kms.ConnectionStateTypeFailed:
		code := ""
		if r.lastEntry != nil {
			code = string(r.lastEntry.ConnectionErrorCode)
		}
		return fmt.Sprintf("the store is FAILED (%s): disconnect it (cks disconnect --id %s --wait), correct the cause, and connect it (cks connect --id %s --wait)", code, r.id, r.id)
	}
	return fmt.Sprintf("check the store with DescribeCustomKeyStores (cks describe --id %s)", r.id)
}
