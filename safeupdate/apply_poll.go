package safeupdate

import (
	"time"

	"github.com/kmskit/kms"
)

// PollEvent reports one DescribeCustomKeyStores call of a wait step
// (WaitUntilDisconnected, WaitUntilConnected) of [Plan.Apply]: the
// state KMS showed, so that a caller can display progress without sending
// requests of its own against the low custom key store request quota.
type PollEvent struct {
	// Index is the Index of the wait step's StepEvent.
	Index int
	// Step is the wait step.
	Step Step
	// Rollback: the wait is part of a rollback.
	Rollback bool
	// Attempt counts the polls of this wait from 1.
	Attempt int
	// Time is when the answer was seen.
	Time time.Time
	// State and ConnectionErrorCode are what DescribeCustomKeyStores showed;
	// empty when the poll failed.
	State               kms.ConnectionStateType
	ConnectionErrorCode kms.ConnectionErrorCodeType
	// RetryableError is the error code of a poll that failed with an error
	// the wait retries (throttling, 5xx, a broken connection); empty
	// otherwise. A poll that ends the wait with an error is reported by the
	// step's StepEvent, not here.
	RetryableError string
	// NextPoll is when the wait polls again, unless the state seen ends it:
	// ApplyOptions.PollInterval after this poll.
	NextPoll time.Time
}

// pollHook returns the waiter hook that reports the polls of the wait step
// ev to opts.OnPoll, or nil when OnPoll is not set.
func pollHook(opts ApplyOptions, ev StepEvent) func(kms.WaitAttempt) {
	if opts.OnPoll == nil {
		return nil
	}
	return func(a kms.WaitAttempt) {
		opts.OnPoll(PollEvent{
			Index: ev.Index, Step: ev.Step, Rollback: ev.Rollback,
			Attempt: a.Attempt, Time: a.Time,
			State: a.State, ConnectionErrorCode: a.ConnectionErrorCode,
			RetryableError: a.RetryableError,
			NextPoll:       a.Time.Add(opts.PollInterval),
		})
	}
}
