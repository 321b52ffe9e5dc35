package kms

// TEMPORARY (branch i12plan): the issue-11 waiter names that plan.go uses,
// until branch i11c's waiters are merged. Deleted by that merge.

import (
	"context"
	"errors"
	"time"
)

var errPending = errors.New("kms: not merged yet")

type ConnectionFailedError struct {
	CustomKeyStoreId    string
	ConnectionErrorCode ConnectionErrorCodeType
}

func (e *ConnectionFailedError) Error() string { return "kms: connection failed" }

type CustomKeyStoreConnectedWaiterOptions struct {
	MinDelay, MaxDelay time.Duration
	LogWaitAttempts    bool
}
type CustomKeyStoreConnectedWaiter struct{}

func NewCustomKeyStoreConnectedWaiter(*Client, ...func(*CustomKeyStoreConnectedWaiterOptions)) *CustomKeyStoreConnectedWaiter {
	return &CustomKeyStoreConnectedWaiter{}
}

func (w *CustomKeyStoreConnectedWaiter) Wait(context.Context, *DescribeCustomKeyStoresInput, time.Duration, ...func(*CustomKeyStoreConnectedWaiterOptions)) error {
	return errPending
}

type CustomKeyStoreDisconnectedWaiterOptions struct {
	MinDelay, MaxDelay time.Duration
	LogWaitAttempts    bool
}
type CustomKeyStoreDisconnectedWaiter struct{}

func NewCustomKeyStoreDisconnectedWaiter(*Client, ...func(*CustomKeyStoreDisconnectedWaiterOptions)) *CustomKeyStoreDisconnectedWaiter {
	return &CustomKeyStoreDisconnectedWaiter{}
}

func (w *CustomKeyStoreDisconnectedWaiter) Wait(context.Context, *DescribeCustomKeyStoresInput, time.Duration, ...func(*CustomKeyStoreDisconnectedWaiterOptions)) error {
	return errPending
}
