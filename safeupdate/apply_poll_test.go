package safeupdate_test

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kmskit/kms"
	"github.com/kmskit/kms/kmstest"
	"github.com/kmskit/kms/safeupdate"
)

// The polls of Apply's waits reach OnPoll, each with the state KMS showed,
// between the wait step's start and end events, and no request is added.
func TestApplyOnPoll(t *testing.T) {
	e := newRoutedWorld(t)
	in := &kms.UpdateCustomKeyStoreInput{CustomKeyStoreId: aws.String(routedHsmStoreID), KeyStorePassword: aws.String(routedPassword)}
	plan, err := e.updater.Plan(context.Background(), in, safeupdate.PlanOptions{AllowDisconnect: true})
	require.NoError(t, err)
	require.Equal(t, []safeupdate.StepAction{safeupdate.StepDisconnect, safeupdate.StepWaitDisconnected, safeupdate.StepUpdate, safeupdate.StepConnect, safeupdate.StepWaitConnected},
		stepActions(plan.Steps))
	describesBefore := e.countTarget(kmstest.TargetDescribeCustomKeyStores)

	type seen struct {
		step  safeupdate.StepEvent
		polls []safeupdate.PollEvent
	}
	var steps []*seen
	var stray []safeupdate.PollEvent
	rep, err := plan.Apply(context.Background(), safeupdate.ApplyOptions{
		PollInterval: fastApply.PollInterval, MaxWait: fastApply.MaxWait, AcceptUnchecked: true,
		OnStep: func(ev safeupdate.StepEvent) {
			if !ev.Done {
				steps = append(steps, &seen{step: ev})
				return
			}
			steps[len(steps)-1].step = ev
		},
		OnPoll: func(ev safeupdate.PollEvent) {
			if len(steps) == 0 || steps[len(steps)-1].step.Done {
				stray = append(stray, ev) // outside a running step
				return
			}
			steps[len(steps)-1].polls = append(steps[len(steps)-1].polls, ev)
		},
	})
	require.NoError(t, err)
	require.Len(t, rep.Steps, 5)
	assert.Empty(t, stray, "every poll belongs to a running wait step")
	require.Len(t, steps, 5)

	total := 0
	for _, s := range steps {
		wait := s.step.Step.Action == safeupdate.StepWaitDisconnected || s.step.Step.Action == safeupdate.StepWaitConnected
		if !wait {
			assert.Empty(t, s.polls, "%s does not poll", s.step.Step.Action)
			continue
		}
		require.NotEmpty(t, s.polls, "%s polls", s.step.Step.Action)
		for i, p := range s.polls {
			assert.Equal(t, i+1, p.Attempt)
			assert.Equal(t, s.step.Index, p.Index)
			assert.Equal(t, s.step.Step.Action, p.Step.Action)
			assert.False(t, p.Rollback)
			assert.NotEmpty(t, p.State)
			assert.Empty(t, p.RetryableError)
			assert.Equal(t, p.Time.Add(fastApply.PollInterval), p.NextPoll)
		}
		want := kms.ConnectionStateTypeDisconnected
		if s.step.Step.Action == safeupdate.StepWaitConnected {
			want = kms.ConnectionStateTypeConnected
		}
		assert.Equal(t, want, s.polls[len(s.polls)-1].State, "the last poll of %s saw what ended it", s.step.Step.Action)
		total += len(s.polls)
	}
	// Apply's own Describe (the stale-plan check) plus one per poll: OnPoll
	// sends nothing.
	assert.Equal(t, total+1, e.countTarget(kmstest.TargetDescribeCustomKeyStores)-describesBefore)
}

// A poll that fails with a retryable error is reported as such, and the
// wait goes on.
func TestApplyOnPollRetryableError(t *testing.T) {
	e := newRoutedWorld(t)
	in := &kms.UpdateCustomKeyStoreInput{CustomKeyStoreId: aws.String(routedHsmStoreID), KeyStorePassword: aws.String(routedPassword)}
	plan, err := e.updater.Plan(context.Background(), in, safeupdate.PlanOptions{AllowDisconnect: true})
	require.NoError(t, err)

	var polls []safeupdate.PollEvent
	_, err = plan.Apply(context.Background(), safeupdate.ApplyOptions{
		PollInterval: fastApply.PollInterval, MaxWait: fastApply.MaxWait, AcceptUnchecked: true,
		OnStep: func(ev safeupdate.StepEvent) {
			if ev.Done && ev.Step.Action == safeupdate.StepDisconnect {
				// The first poll of the wait for DISCONNECTED is throttled.
				e.srv.FailNext(1, kmstest.Fault{Code: kmstest.CodeThrottling})
			}
		},
		OnPoll: func(ev safeupdate.PollEvent) { polls = append(polls, ev) },
	})
	require.NoError(t, err)
	require.NotEmpty(t, polls)
	first := polls[0]
	assert.Equal(t, safeupdate.StepWaitDisconnected, first.Step.Action)
	assert.Equal(t, 1, first.Attempt)
	assert.Empty(t, first.State, "a failed poll saw no state")
	assert.Equal(t, "ThrottlingException", first.RetryableError)
	require.Greater(t, len(polls), 1)
	assert.Equal(t, 2, polls[1].Attempt)
	assert.NotEmpty(t, polls[1].State)
}

// countTarget is how many calls with X-Amz-Target tg the fake answered.
func (e *routedWorld) countTarget(tg string) int {
	n := 0
	for _, c := range e.targets() {
		if c == tg {
			n++
		}
	}
	return n
}
