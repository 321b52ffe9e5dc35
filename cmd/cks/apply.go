package main

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/kmskit/kms/safeupdate"
)

func runApply(e *env, args []string) int {
	fs := newFlagSet(e, "apply", "--id ID [update flags] [--allow-disconnect] [--yes]")
	var p planFlags
	p.register(fs)
	yes := fs.Bool("yes", false, "apply without asking for confirmation")
	poll := fs.Duration("poll-interval", time.Second, "time between two DescribeCustomKeyStores calls while waiting (KMS's default quota allows 1 per second)")
	maxWait := fs.Duration("max-wait", 20*time.Minute, "bound on each wait for DISCONNECTED or CONNECTED")
	if code := parseFlags(e, fs, args, &p.refusals); code >= 0 {
		return code
	}
	if p.update.id == "" {
		return usageError(e, "apply", "--id is required")
	}
	if !*yes && !e.stdinIsTerminal() {
		fmt.Fprintln(e.stderr, "cks apply: stdin is not a terminal, so cks cannot ask for confirmation; nothing was changed. Pass --yes to apply without asking.")
		return exitUsage
	}
	prog := newProgress(e.stdout, *poll)
	c, err := p.aws.client(e)
	if err != nil {
		return fail(e, err)
	}
	plan, rep, err := p.makePlan(e, c)
	if plan != nil {
		fmt.Fprint(e.stdout, plan.String())
	}
	if rep != nil {
		printPreflight(e.stdout, rep, err)
	}
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
	if !*yes {
		if code := confirm(e, p.update.id, len(plan.Steps)); code >= 0 {
			return code
		}
	}

	fmt.Fprintf(e.stdout, "Applying to %s:\n", p.update.id)
	report, err := plan.Apply(e.ctx, safeupdate.ApplyOptions{
		PollInterval: *poll,
		MaxWait:      *maxWait,
		OnStep: func(ev safeupdate.StepEvent) {
			if !ev.Done {
				label := fmt.Sprintf("[%d] %s", ev.Index+1, ev.Step.Action)
				if ev.Rollback {
					label += " (rollback)"
				}
				waiting := ev.Step.Action == safeupdate.StepWaitConnected || ev.Step.Action == safeupdate.StepWaitDisconnected
				prog.begin(label, waiting)
				return
			}
			prog.end(ev.Err)
		},
		OnPoll: func(ev safeupdate.PollEvent) { prog.observe(string(ev.State), string(ev.ConnectionErrorCode)) },
	})
	if interrupted(e, err) {
		return reportInterrupted(e, c, p.update.id, "applying the plan")
	}
	if report != nil && len(report.Steps) > 0 {
		fmt.Fprintf(e.stdout, "Summary: %d step(s) in %s", len(report.Steps), report.Duration.Round(100*time.Millisecond))
		if report.Unavailable > 0 {
			fmt.Fprintf(e.stdout, "; the store was not CONNECTED for %s", report.Unavailable.Round(100*time.Millisecond))
		}
		fmt.Fprintln(e.stdout)
	}
	if err != nil {
		printApplyError(e, err)
		if errors.As(err, new(*safeupdate.ApplyError)) {
			reportState(e, c, p.update.id)
		}
		if refused(err) && !errors.As(err, new(*safeupdate.ApplyError)) {
			return exitRefused
		}
		return exitError
	}
	fmt.Fprintf(e.stdout, "Applied: custom key store %s is updated.\n", p.update.id)
	return exitOK
}

// confirm asks on the terminal whether to apply; it returns -1 to go on,
// or the exit code.
func confirm(e *env, id string, steps int) int {
	fmt.Fprintf(e.stderr, "Apply these %d step(s) to %s? Only 'yes' is accepted: ", steps, id)
	line, err := e.interruptible(func() (string, error) { return e.stdinReader().ReadString('\n') })
	if interrupted(e, err) {
		fmt.Fprintln(e.stderr, "\ncks: interrupted; nothing was changed.")
		return exitInterrupted
	}
	if strings.TrimSpace(line) != "yes" {
		fmt.Fprintln(e.stderr, "cks: apply cancelled; nothing was changed.")
		return exitError
	}
	return -1
}

// printApplyError says what failed and what the rollback did.
func printApplyError(e *env, err error) {
	fmt.Fprintf(e.stderr, "cks: %v\n", err)
	var ae *safeupdate.ApplyError
	if !errors.As(err, &ae) || ae.Rollback == nil {
		return
	}
	rb := ae.Rollback
	if len(rb.Restored) > 0 {
		fmt.Fprintf(e.stderr, "cks: rollback restored: %s\n", strings.Join(rb.Restored, ", "))
	}
	if len(rb.NotRestored) > 0 {
		fmt.Fprintf(e.stderr, "cks: rollback could not restore (previous value unknown): %s\n", strings.Join(rb.NotRestored, ", "))
	}
	switch {
	case rb.Err != nil:
		fmt.Fprintf(e.stderr, "cks: rollback incomplete: %v\n", rb.Err)
	case rb.Reconnected:
		fmt.Fprintln(e.stderr, "cks: rollback complete: the store is CONNECTED again with its previous settings.")
	default:
		fmt.Fprintln(e.stderr, "cks: rollback complete.")
	}
}
