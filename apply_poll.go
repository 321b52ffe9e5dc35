package kms

import (
	"context"
	"log/slog"
	"time"
)

// PollEvent reports one DescribeCustomKeyStores call of a wait step
// (WaitUntilDisconnected, WaitUntilConnected) of [UpdatePlan.Apply]: the
// state KMS showed, so that a caller can display progress without sending
// requests of its own against the low custom key store request quota.
type PollEvent struct {
	// Index is the Index of the wait step's StepEvent.
	Index int
	// Step is the wait step.
	Step PlanStep
	// Rollback: the wait is part of a rollback.
	Rollback bool
	// Attempt counts the polls of this wait from 1.
	Attempt int
	// Time is when the answer was seen.
	Time time.Time
	// State and ConnectionErrorCode are what DescribeCustomKeyStores showed;
	// empty when the poll failed.
	State               ConnectionStateType
	ConnectionErrorCode ConnectionErrorCodeType
	// RetryableError is the error code of a poll that failed with an error
	// the wait retries (throttling, 5xx, a broken connection); empty
	// otherwise. A poll that ends the wait with an error is reported by the
	// step's StepEvent, not here.
	RetryableError string
	// NextPoll is when the wait polls again, unless the state seen ends it:
	// ApplyOptions.PollInterval after this poll.
	NextPoll time.Time
}

// pollHandler turns the waiters' per-attempt records ("kms waiter
// attempt", see poller.wait) into PollEvents. Apply gives the waiters this
// handler with LogWaitAttempts, so each poll is seen as the waiter itself
// sees it: the same retry classification, no extra request, no second
// decoding of the answer.
type pollHandler struct {
	base     PollEvent
	interval time.Duration
	on       func(PollEvent)
}

func (h *pollHandler) Enabled(context.Context, slog.Level) bool { return true }

func (h *pollHandler) Handle(_ context.Context, rec slog.Record) error {
	if rec.Message != waiterAttemptMessage {
		return nil
	}
	ev := h.base
	ev.Time = rec.Time
	if ev.Time.IsZero() {
		ev.Time = time.Now()
	}
	rec.Attrs(func(a slog.Attr) bool {
		switch a.Key {
		case "attempt":
			ev.Attempt = int(a.Value.Int64())
		case "state":
			ev.State = ConnectionStateType(a.Value.String())
		case "connection_error_code":
			ev.ConnectionErrorCode = ConnectionErrorCodeType(a.Value.String())
		case "retryable_error":
			ev.RetryableError = a.Value.String()
		}
		return true
	})
	ev.NextPoll = ev.Time.Add(h.interval)
	h.on(ev)
	return nil
}

func (h *pollHandler) WithAttrs([]slog.Attr) slog.Handler { return h }
func (h *pollHandler) WithGroup(string) slog.Handler      { return h }

// waiterAttemptMessage is the message of the waiters' per-attempt record.
const waiterAttemptMessage = "kms waiter attempt"

// pollLogger returns the logger that reports the polls of the wait step ev
// to opts.OnPoll, or nil when OnPoll is not set.
func pollLogger(opts ApplyOptions, ev StepEvent) *slog.Logger {
	if opts.OnPoll == nil {
		return nil
	}
	return slog.New(&pollHandler{
		base:     PollEvent{Index: ev.Index, Step: ev.Step, Rollback: ev.Rollback},
		interval: opts.PollInterval,
		on:       opts.OnPoll,
	})
}
