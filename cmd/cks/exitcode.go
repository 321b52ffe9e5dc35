package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/kmskit/kms"
	"github.com/kmskit/kms/internal/display"
	"github.com/kmskit/kms/safeupdate"
)

// refused reports whether err says KMS would refuse the change, nothing
// having been changed: bad input, a disconnect that was not allowed, a
// predicted proxy failure, the same-key guard, a stale plan.
func refused(err error) bool {
	var ve *kms.ValidationError
	var pe *safeupdate.PreflightError
	var ie *safeupdate.InUseError
	return errors.As(err, &ve) || errors.As(err, &pe) || errors.As(err, &ie) ||
		errors.Is(err, safeupdate.ErrDisconnectNotAllowed) ||
		errors.Is(err, safeupdate.ErrSameKeyGuard) ||
		errors.Is(err, safeupdate.ErrStalePlan)
}

// fail prints err, in cks's terms (operatorText), and returns its exit
// code: exitInterrupted after Ctrl-C, exitUsage for a bad flag value,
// exitRefused for a refusal, exitError otherwise.
func fail(e *env, err error) int {
	if interrupted(e, err) {
		fmt.Fprintf(e.stderr, "cks: interrupted: %s\n", operatorText(err.Error()))
		return exitInterrupted
	}
	fmt.Fprintf(e.stderr, "cks: %s\n", operatorText(err.Error()))
	if errors.As(err, new(flagValueError)) {
		return exitUsage
	}
	if errors.Is(err, safeupdate.ErrUncheckedDisconnect) {
		return exitUnchecked
	}
	if refused(err) {
		return exitRefused
	}
	return exitError
}

// usageError prints a usage problem of the named subcommand.
func usageError(e *env, name, msg string) int {
	fmt.Fprintf(e.stderr, "cks %s: %s; run 'cks help %s'\n", name, msg, name)
	return exitUsage
}

// interrupted reports whether err ends a run that Ctrl-C (or SIGTERM)
// cancelled.
func interrupted(e *env, err error) bool {
	return err != nil && e.ctx.Err() != nil && errors.Is(err, context.Canceled)
}

// reportInterrupted says that cks stopped waiting and the state the store
// was left in, read with a fresh Describe, and returns exitInterrupted.
func reportInterrupted(e *env, c *kms.Client, id, doing string) int {
	fmt.Fprintf(e.stderr, "cks: interrupted while %s: stopped waiting.\n", doing)
	reportState(e, c, id)
	return exitInterrupted
}

// reportState prints the state the store is in now, read with a fresh
// Describe (the run's own context may be cancelled); optFns hand it the
// secrets to scrub from what it prints.
func reportState(e *env, c *kms.Client, id string, optFns ...func(*kms.Options)) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	out, err := c.DescribeCustomKeyStores(ctx, &kms.DescribeCustomKeyStoresInput{CustomKeyStoreId: &id}, optFns...)
	if err != nil || len(out.CustomKeyStores) != 1 {
		if err == nil {
			err = errors.New("not found")
		}
		fmt.Fprintf(e.stderr, "cks: the state of custom key store %s is unknown (describe failed: %v); check with: cks describe --id %s\n", id, err, id)
		return
	}
	s := out.CustomKeyStores[0]
	fmt.Fprintf(e.stderr, "cks: custom key store %s was left %s", id, stateText(display.Clean(string(s.ConnectionState)), display.Clean(string(s.ConnectionErrorCode))))
	switch s.ConnectionState {
	case kms.ConnectionStateTypeConnecting, kms.ConnectionStateTypeDisconnecting:
		fmt.Fprintf(e.stderr, "; KMS finishes the transition on its own. Check with: cks describe --id %s\n", id)
	default:
		fmt.Fprintln(e.stderr, ".")
	}
}
