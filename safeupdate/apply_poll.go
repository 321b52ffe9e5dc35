package safeupdate

import (
	"time"

	"github.com/kmskit/kms"
)

// PollEvent reports one DescribeCustomKeyStores call of a wait step
// (WaitUntilDisconnected, WaitUntilConnected) of [Plan.Apply]: what the
// waiter saw (kms.WaitAttempt: the attempt, its time, the state and
// ConnectionErrorCode, or the retryable error), so that a caller can
// display progress without sending requests of its own against the low
// custom key store request quota.
type PollEvent struct {
	kms.WaitAttempt
	// Index is the Index of the wait step's StepEvent.
	Index int
	// Step is the wait step.
	Step Step
	// Rollback: the wait is part of a restore.
	Rollback bool
	// NextPoll is when the wait polls again, unless the state seen ends it:
	// ApplyOptions.PollInterval after this poll.
	NextPoll time.Time
}
