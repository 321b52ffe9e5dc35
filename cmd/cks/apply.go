package main

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/kmskit/kms"
	"github.com/kmskit/kms/safeupdate"
)

func runApply(e *env, args []string) int {
	fs := newFlagSet(e, "apply", "--id ID [update flags] [--allow-disconnect] [--accept-unchecked] [--yes]")
	var p planFlags
	p.register(fs)
	yes := fs.Bool("yes", false, "apply without asking for confirmation")
	acceptUnchecked := fs.Bool("accept-unchecked", false, "disconnect the store even though some of what KMS checks could not be checked (see cks plan)")
	poll := fs.Duration("poll-interval", time.Second, "time between two DescribeCustomKeyStores calls while waiting (KMS's default quota allows 1 per second)")
	maxWait := fs.Duration("max-wait", 20*time.Minute, "bound on each wait for DISCONNECTED or CONNECTED")
	if code := parseFlags(e, fs, args, &p.refusals); code >= 0 {
		return code
	}
	switch {
	case p.update.id == "":
		return usageError(e, "apply", "--id is required")
	case *poll <= 0:
		return usageError(e, "apply", fmt.Sprintf("--poll-interval must be more than 0 (got %s)", *poll))
	case *maxWait <= 0:
		return usageError(e, "apply", fmt.Sprintf("--max-wait must be more than 0: it bounds each wait (got %s)", *maxWait))
	}
	prog := newProgress(e.stdout, *poll)
	c, err := p.aws.client(e)
	if err != nil {
		return fail(e, err)
	}
	plan, rep, err := p.makePlan(e, c)
	p.print(e, plan, rep, err)
	if err != nil {
		if interrupted(e, err) {
			fmt.Fprintln(e.stderr, "cks: interrupted while planning; nothing was changed.")
			return exitInterrupted
		}
		return fail(e, err)
	}
	if len(plan.Steps) == 0 {
		fmt.Fprintln(e.stdout, "Nothing to do.")
		return exitOK
	}
	ask := confirmation{command: "apply", nothing: "nothing was changed"}
	if !*yes {
		// On a pipe the plan above is what the operator gets to read: cks
		// cannot ask, so nothing is applied.
		if code := ask.refuseWithoutTerminal(e); code >= 0 {
			return code
		}
	}
	if disconnects(plan) && plan.Verdict() == safeupdate.VerdictUnchecked && !*acceptUnchecked {
		fmt.Fprintf(e.stderr, "cks: the plan disconnects %s, and not everything KMS checks could be checked; nothing was changed:\n", p.update.id)
		printUnchecked(e.stderr, plan.Checks)
		fmt.Fprintln(e.stderr, "cks: give what the checks need, or pass --accept-unchecked to apply anyway (exit 4).")
		return exitUnchecked
	}
	if !*yes {
		if code := ask.ask(e, fmt.Sprintf("Apply these %d step(s) to %s?", len(plan.Steps), p.update.id)); code >= 0 {
			return code
		}
	}
	fmt.Fprintf(e.stdout, "Applying to %s:\n", p.update.id)
	watch := &applyWatch{id: p.update.id, disconnects: disconnects(plan), state: string(plan.Current.ConnectionState)}
	e.onInterrupt(func(n int) { watch.interrupt(e, n) })
	defer e.onInterrupt(nil)
	report, err := plan.Apply(e.ctx, safeupdate.ApplyOptions{
		PollInterval:    *poll,
		MaxWait:         *maxWait,
		AcceptUnchecked: *acceptUnchecked,
		OnStep: func(ev safeupdate.StepEvent) {
			watch.step(ev)
			if !ev.Done {
				label := fmt.Sprintf("[%d] %s%s", ev.Index+1, ev.Step.Action, restoreLabel(ev.Rollback, ev.Step.Action))
				waiting := ev.Step.Action == safeupdate.StepWaitConnected || ev.Step.Action == safeupdate.StepWaitDisconnected
				prog.begin(label, waiting)
				switch ev.Step.Action {
				case safeupdate.StepWaitConnected:
					prog.endsAt(kms.ConnectionStateTypeConnected, kms.ConnectionStateTypeFailed)
				case safeupdate.StepWaitDisconnected:
					prog.endsAt(kms.ConnectionStateTypeDisconnected)
				}
				return
			}
			prog.end(ev.Err)
		},
		OnPoll: func(ev safeupdate.PollEvent) {
			watch.seen(string(ev.State))
			prog.observe(string(ev.State), string(ev.ConnectionErrorCode))
		},
	})
	if report != nil && len(report.Steps) > 0 {
		fmt.Fprintf(e.stdout, "Summary: %d step(s) in %s", len(report.Steps), report.Duration.Round(100*time.Millisecond))
		if report.Unavailable > 0 {
			fmt.Fprintf(e.stdout, "; the store was not CONNECTED for %s", report.Unavailable.Round(100*time.Millisecond))
		}
		fmt.Fprintln(e.stdout)
	}
	if interrupted(e, err) {
		return reportApplyInterrupted(e, c, p.update.id, watch, err, kms.WithSecrets(p.secrets...))
	}
	if err != nil {
		printApplyError(e, err)
		if errors.As(err, new(*safeupdate.ApplyError)) {
			reportState(e, c, p.update.id, kms.WithSecrets(p.secrets...))
		}
		switch {
		case errors.Is(err, safeupdate.ErrUncheckedDisconnect):
			return exitUnchecked
		case refused(err) && !errors.As(err, new(*safeupdate.ApplyError)):
			return exitRefused
		}
		return exitError
	}
	fmt.Fprintf(e.stdout, "Applied: custom key store %s is updated.\n", p.update.id)
	return exitOK
}

// restoreLabel marks a step of the restore: "(rollback)" for the update
// that sets the previous values back, "(restore)" for the others (a
// reconnect after a cancel rolls nothing back).
func restoreLabel(restore bool, a safeupdate.StepAction) string {
	switch {
	case !restore:
		return ""
	case a == safeupdate.StepUpdate:
		return " (rollback)"
	}
	return " (restore)"
}

// disconnects reports whether plan disconnects a connected store (and
// reconnects it).
func disconnects(plan *safeupdate.Plan) bool {
	for _, st := range plan.Steps {
		if st.Action == safeupdate.StepConnect {
			return true
		}
	}
	return false
}

// applyWatch is what Ctrl-C during an apply needs to know: whether
// anything was sent, and the state last seen.
type applyWatch struct {
	id          string
	disconnects bool

	mu    sync.Mutex
	sent  bool
	state string
}

func (w *applyWatch) step(ev safeupdate.StepEvent) {
	a := ev.Step.Action
	if !ev.Done && (a == safeupdate.StepDisconnect || a == safeupdate.StepUpdate || a == safeupdate.StepConnect) {
		w.mu.Lock()
		w.sent = true
		w.mu.Unlock()
	}
	// A transition KMS accepted is the state the store is in now, before
	// any wait has polled it.
	switch {
	case ev.Done && ev.Err == nil && a == safeupdate.StepDisconnect:
		w.seen(string(kms.ConnectionStateTypeDisconnecting))
	case ev.Done && ev.Err == nil && a == safeupdate.StepConnect:
		w.seen(string(kms.ConnectionStateTypeConnecting))
	}
}

func (w *applyWatch) seen(state string) {
	if state == "" {
		return
	}
	w.mu.Lock()
	w.state = state
	w.mu.Unlock()
}

func (w *applyWatch) snapshot() (sent bool, state string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.sent, w.state
}

// interrupt says what the n-th Ctrl-C does: the first restores the store
// (Apply does, on its own context), the second stops at once.
func (w *applyWatch) interrupt(e *env, n int) {
	sent, state := w.snapshot()
	switch {
	case n == 1 && sent && w.disconnects:
		fmt.Fprintf(e.stderr, "\ninterrupted: restoring %s to CONNECTED (Ctrl-C again to stop now)\n", w.id)
	case n == 1 && sent:
		fmt.Fprintf(e.stderr, "\ninterrupted: stopping after the step under way (Ctrl-C again to stop now)\n")
	case n >= 2 && sent:
		fmt.Fprintf(e.stderr, "\ncks: stopped at once: custom key store %s was last seen %s; its KMS keys are unusable until it is CONNECTED again."+
			" To reconnect it: cks connect --id %s --wait (if it is FAILED: cks disconnect --id %s --wait first)\n", w.id, state, w.id, w.id)
	case n >= 2:
		fmt.Fprintln(e.stderr, "\ncks: stopped at once; nothing was sent, so nothing was changed.")
	}
}

// reportApplyInterrupted says what an interrupted apply changed and the
// state it left the store in, and returns exitInterrupted.
func reportApplyInterrupted(e *env, c *kms.Client, id string, w *applyWatch, err error, optFns ...func(*kms.Options)) int {
	if sent, _ := w.snapshot(); !sent {
		fmt.Fprintf(e.stderr, "cks: interrupted before anything was sent: nothing was changed; custom key store %s is as it was.\n", id)
		return exitInterrupted
	}
	printApplyError(e, err)
	reportState(e, c, id, optFns...)
	return exitInterrupted
}

// printApplyError says what failed and what the rollback did.
func printApplyError(e *env, err error) {
	fmt.Fprintf(e.stderr, "cks: %s\n", operatorText(err.Error()))
	var ae *safeupdate.ApplyError
	if !errors.As(err, &ae) {
		return
	}
	if ae.Rollback == nil {
		if ae.NextStep != "" {
			fmt.Fprintf(e.stderr, "cks: next: %s\n", operatorText(ae.NextStep))
		}
		return
	}
	rb := ae.Rollback
	if len(rb.Restored) > 0 {
		fmt.Fprintf(e.stderr, "cks: rollback restored: %s\n", strings.Join(rb.Restored, ", "))
	}
	if len(rb.NotRestored) > 0 {
		fmt.Fprintf(e.stderr, "cks: rollback could not restore (previous value unknown): %s\n", strings.Join(rb.NotRestored, ", "))
	}
	if len(rb.StillNew) > 0 {
		fmt.Fprintf(e.stderr, "cks: still the new values: %s\n", strings.Join(rb.StillNew, ", "))
	}
	switch {
	case rb.Err != nil:
		fmt.Fprintf(e.stderr, "cks: restore incomplete: %s\n", operatorText(rb.Err.Error()))
	case rb.Reconnected && len(rb.StillNew) == 0:
		fmt.Fprintln(e.stderr, "cks: restore complete: the store is CONNECTED again with its previous settings.")
	case rb.Reconnected:
		fmt.Fprintln(e.stderr, "cks: restore complete: the store is CONNECTED again (with the new values listed).")
	default:
		fmt.Fprintln(e.stderr, "cks: restore stopped short of CONNECTED.")
	}
	if ae.NextStep != "" {
		fmt.Fprintf(e.stderr, "cks: next: %s\n", operatorText(ae.NextStep))
	}
}
