package kms

import (
	"context"
	"time"
)

// SetWaiterClock replaces a waiter's clock, sleep and jitter so that
// waiter tests are deterministic and never sleep. It is test-only: the
// kms_test package reaches it through this file.
func SetWaiterClock(w any, now func() time.Time, sleep func(context.Context, time.Duration) error, jitter func(int64) int64) {
	c := waiterClock{now: now, sleep: sleep, jitter: jitter}
	switch w := w.(type) {
	case *CustomKeyStoreConnectedWaiter:
		w.clock = c
	case *CustomKeyStoreDisconnectedWaiter:
		w.clock = c
	default:
		panic("SetWaiterClock: not a waiter")
	}
}
