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
// live wait for CONNECTED or DISCONNECTED.
func runConnection(e *env, name string, args []string) int {
	fs := newFlagSet(e, name, "--id ID [--wait]")
	var a awsFlags
	a.register(fs)
	id := fs.String("id", "", "CustomKeyStoreId of the store (required)")
	target := kms.ConnectionStateTypeDisconnected
	if name == "connect" {
		target = kms.ConnectionStateTypeConnected
	}
	wait := fs.Bool("wait", false, "wait until the store is "+string(target))
	poll := fs.Duration("poll-interval", time.Second, "time between two DescribeCustomKeyStores calls while waiting")
	maxWait := fs.Duration("max-wait", 20*time.Minute, "bound on the wait")
	if code := parseFlags(e, fs, args, nil); code >= 0 {
		return code
	}
	if *id == "" {
		return usageError(e, name, "--id is required")
	}
	prog := newProgress(e.stdout, *poll)
	c, err := a.client(e)
	if err != nil {
		return fail(e, err)
	}
	if name == "connect" {
		_, err = c.ConnectCustomKeyStore(e.ctx, &kms.ConnectCustomKeyStoreInput{CustomKeyStoreId: id})
	} else {
		_, err = c.DisconnectCustomKeyStore(e.ctx, &kms.DisconnectCustomKeyStoreInput{CustomKeyStoreId: id})
	}
	started := "started"
	if err != nil && name == "disconnect" && errors.Is(err, kms.ErrCustomKeyStoreInvalidState) {
		// KMS refuses to disconnect a store that is DISCONNECTED or on its way.
		switch describeState(e, c, *id) {
		case kms.ConnectionStateTypeDisconnected:
			fmt.Fprintf(e.stdout, "%s is already DISCONNECTED; nothing to do.\n", *id)
			return exitOK
		case kms.ConnectionStateTypeDisconnecting:
			err, started = nil, "already under way"
		}
	}
	if err != nil {
		return fail(e, err)
	}
	if !*wait {
		fmt.Fprintf(e.stdout, "%s: %s %s; KMS moves the store to %s on its own (watch with: cks describe --id %s)\n", *id, name, started, target, *id)
		return exitOK
	}
	params := &kms.DescribeCustomKeyStoresInput{CustomKeyStoreId: id}
	prog.begin("waiting for "+string(target), true)
	if name == "connect" {
		prog.endsAt(kms.ConnectionStateTypeConnected, kms.ConnectionStateTypeFailed)
		err = kms.NewCustomKeyStoreConnectedWaiter(c, func(o *kms.CustomKeyStoreConnectedWaiterOptions) {
			o.MinDelay, o.MaxDelay = *poll, *poll
			o.OnAttempt = prog.onAttempt
		}).Wait(e.ctx, params, *maxWait)
	} else {
		prog.endsAt(kms.ConnectionStateTypeDisconnected)
		err = kms.NewCustomKeyStoreDisconnectedWaiter(c, func(o *kms.CustomKeyStoreDisconnectedWaiterOptions) {
			o.MinDelay, o.MaxDelay = *poll, *poll
			o.OnAttempt = prog.onAttempt
		}).Wait(e.ctx, params, *maxWait)
	}
	prog.end(err)
	if interrupted(e, err) {
		return reportInterrupted(e, c, *id, "waiting for "+string(target))
	}
	if err != nil {
		return fail(e, err)
	}
	fmt.Fprintf(e.stdout, "%s is %s.\n", *id, target)
	return exitOK
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
