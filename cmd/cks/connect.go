package main

import (
	"errors"
	"fmt"
	"time"

	"github.com/kmskit/kms"
)

func runConnect(e *env, args []string) int    { return runConnection(e, "connect", args) }
func runDisconnect(e *env, args []string) int { return runConnection(e, "disconnect", args) }

// runConnection is connect and disconnect: the call, then with --wait a
// live wait for CONNECTED or DISCONNECTED. Every flag is checked before
// anything is sent.
func runConnection(e *env, name string, args []string) int {
	fs := newFlagSet(e, name, "--id ID [--wait]")
	var a awsFlags
	a.register(fs)
	id := fs.String("id", "", "CustomKeyStoreId of the store (required)")
	target := kms.ConnectionStateTypeDisconnected
	if name == "connect" {
		target = kms.ConnectionStateTypeConnected
	}
	waitHelp := "wait until the store is " + string(target)
	if name == "connect" {
		waitHelp += " (a store still DISCONNECTING is first waited for until DISCONNECTED, then connected)"
	}
	wait := fs.Bool("wait", false, waitHelp)
	poll := fs.Duration("poll-interval", time.Second, "time between two DescribeCustomKeyStores calls while waiting")
	maxWait := fs.Duration("max-wait", 20*time.Minute, "bound on the wait (both waits of a connect that first waits for DISCONNECTED)")
	if code := parseFlags(e, fs, args, nil); code >= 0 {
		return code
	}
	switch {
	case *id == "":
		return usageError(e, name, "--id is required")
	case *poll <= 0:
		return usageError(e, name, fmt.Sprintf("--poll-interval must be more than 0 (got %s)", *poll))
	case *maxWait <= 0:
		return usageError(e, name, fmt.Sprintf("--max-wait must be more than 0: it bounds the wait (got %s)", *maxWait))
	}
	c, err := a.client(e)
	if err != nil {
		return fail(e, err)
	}
	w := connectionWait{e: e, c: c, id: *id, poll: *poll, deadline: time.Now().Add(*maxWait), prog: newProgress(e.stdout, *poll)}
	if name == "connect" {
		return w.connect(*wait)
	}
	return w.disconnect(*wait)
}

// connectionWait is one connect or disconnect of a store, and its waits,
// all bounded by one deadline.
type connectionWait struct {
	e        *env
	c        *kms.Client
	id       string
	poll     time.Duration
	deadline time.Time
	prog     *progress
}

// connect connects the store from the state it is in: nothing to do when
// it is CONNECTED, no call when it is CONNECTING already; with wait, a
// store still DISCONNECTING is waited for until DISCONNECTED first (KMS
// refuses to connect it before).
func (w connectionWait) connect(wait bool) int {
	state, err := w.state()
	if err != nil {
		return fail(w.e, err)
	}
	started := "started"
	switch state {
	case kms.ConnectionStateTypeConnected:
		fmt.Fprintf(w.e.stdout, "%s is already CONNECTED; nothing to do.\n", w.id)
		return exitOK
	case kms.ConnectionStateTypeConnecting:
		started = "already under way"
	case kms.ConnectionStateTypeDisconnecting:
		if !wait {
			fmt.Fprintf(w.e.stderr, "cks: %s is DISCONNECTING, and KMS connects a store only once it is DISCONNECTED: run cks connect --id %s --wait, which waits for that and connects it\n", w.id, w.id)
			return exitError
		}
		if code := w.waitFor(kms.ConnectionStateTypeDisconnected); code >= 0 {
			return code
		}
		fallthrough
	default:
		if _, err := w.c.ConnectCustomKeyStore(w.e.ctx, &kms.ConnectCustomKeyStoreInput{CustomKeyStoreId: &w.id}); err != nil {
			return fail(w.e, err)
		}
	}
	return w.finish(wait, "connect", started, kms.ConnectionStateTypeConnected)
}

// disconnect disconnects the store; a store DISCONNECTED already is
// nothing to do, one DISCONNECTING already under way.
func (w connectionWait) disconnect(wait bool) int {
	_, err := w.c.DisconnectCustomKeyStore(w.e.ctx, &kms.DisconnectCustomKeyStoreInput{CustomKeyStoreId: &w.id})
	started := "started"
	if err != nil && errors.Is(err, kms.ErrCustomKeyStoreInvalidState) {
		// KMS refuses to disconnect a store that is DISCONNECTED or on its way.
		switch describeState(w.e, w.c, w.id) {
		case kms.ConnectionStateTypeDisconnected:
			fmt.Fprintf(w.e.stdout, "%s is already DISCONNECTED; nothing to do.\n", w.id)
			return exitOK
		case kms.ConnectionStateTypeDisconnecting:
			err, started = nil, "already under way"
		}
	}
	if err != nil {
		return fail(w.e, err)
	}
	return w.finish(wait, "disconnect", started, kms.ConnectionStateTypeDisconnected)
}

// finish says the transition started or, with wait, waits for target.
func (w connectionWait) finish(wait bool, name, started string, target kms.ConnectionStateType) int {
	if !wait {
		fmt.Fprintf(w.e.stdout, "%s: %s %s; KMS moves the store to %s on its own (watch with: cks describe --id %s)\n", w.id, name, started, target, w.id)
		return exitOK
	}
	if code := w.waitFor(target); code >= 0 {
		return code
	}
	fmt.Fprintf(w.e.stdout, "%s is %s.\n", w.id, target)
	return exitOK
}

// waitFor waits until the store is target (CONNECTED ends FAILED too),
// with a live progress line, until the deadline. It returns -1 when the
// store got there, or the exit code.
func (w connectionWait) waitFor(target kms.ConnectionStateType) int {
	params := &kms.DescribeCustomKeyStoresInput{CustomKeyStoreId: &w.id}
	left := time.Until(w.deadline)
	if left < w.poll {
		left = w.poll
	}
	w.prog.begin("waiting for "+string(target), true)
	var err error
	if target == kms.ConnectionStateTypeConnected {
		w.prog.endsAt(kms.ConnectionStateTypeConnected, kms.ConnectionStateTypeFailed)
		err = kms.NewCustomKeyStoreConnectedWaiter(w.c, func(o *kms.CustomKeyStoreConnectedWaiterOptions) {
			o.MinDelay, o.MaxDelay = w.poll, w.poll
			o.OnAttempt = w.prog.onAttempt
		}).Wait(w.e.ctx, params, left)
	} else {
		w.prog.endsAt(kms.ConnectionStateTypeDisconnected)
		err = kms.NewCustomKeyStoreDisconnectedWaiter(w.c, func(o *kms.CustomKeyStoreDisconnectedWaiterOptions) {
			o.MinDelay, o.MaxDelay = w.poll, w.poll
			o.OnAttempt = w.prog.onAttempt
		}).Wait(w.e.ctx, params, left)
	}
	w.prog.end(err)
	if interrupted(w.e, err) {
		return reportInterrupted(w.e, w.c, w.id, "waiting for "+string(target))
	}
	if err != nil {
		return fail(w.e, err)
	}
	return -1
}

// state is the store's ConnectionState as a Describe shows it.
func (w connectionWait) state() (kms.ConnectionStateType, error) {
	out, err := w.c.DescribeCustomKeyStores(w.e.ctx, &kms.DescribeCustomKeyStoresInput{CustomKeyStoreId: &w.id})
	if err != nil {
		return "", err
	}
	if len(out.CustomKeyStores) != 1 {
		return "", fmt.Errorf("DescribeCustomKeyStores returned %d entries for custom key store %s: %w", len(out.CustomKeyStores), w.id, kms.ErrCustomKeyStoreNotFound)
	}
	return out.CustomKeyStores[0].ConnectionState, nil
}

// describeState is the store's state as a fresh Describe shows it, or ""
// when the call fails.
func describeState(e *env, c *kms.Client, id string) kms.ConnectionStateType {
	out, err := c.DescribeCustomKeyStores(e.ctx, &kms.DescribeCustomKeyStoresInput{CustomKeyStoreId: &id})
	if err != nil || len(out.CustomKeyStores) != 1 {
		return ""
	}
	return out.CustomKeyStores[0].ConnectionState
}
