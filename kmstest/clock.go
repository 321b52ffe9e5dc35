package kmstest

import (
	"context"
	"sync"
	"time"
)

// ManualClock is a clock that moves only when a test moves it, for driving
// the fake's store transitions deterministically:
//
//	clk := kmstest.NewManualClock(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
//	srv := kmstest.NewServer(kmstest.WithClock(clk.Now), kmstest.WithTransitionDelay(time.Minute))
//	// ConnectCustomKeyStore: the store is CONNECTING ...
//	clk.Advance(time.Minute)
//	// ... and now CONNECTED (or FAILED).
//
// The same clock checks SigV4 request times when verification is on. A
// ManualClock is safe for concurrent use.
type ManualClock struct {
	mu  sync.Mutex
	now time.Time
}

// NewManualClock returns a clock that reads t until moved.
func NewManualClock(t time.Time) *ManualClock {
	return &ManualClock{now: t}
}

// Now returns the clock's time. Pass the method value to [WithClock].
func (c *ManualClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Advance moves the clock forward by d (backward when d is negative).
func (c *ManualClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// Set moves the clock to t.
func (c *ManualClock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = t
}

// Sleep is a simulated sleep: it moves the clock forward by d at once and
// returns, or returns ctx's error without moving it when ctx is done. Code
// that waits on the clock (kms's waiters with their Clock option,
// safeupdate's Options.Clock) then takes no real time, and the fake's
// transitions, read from the same clock, happen exactly when that code
// polls after them.
func (c *ManualClock) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if d > 0 {
		c.Advance(d)
	}
	return nil
}
