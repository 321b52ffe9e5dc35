package safeupdate_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kmskit/kms"
	"github.com/kmskit/kms/kmstest"
	"github.com/kmskit/kms/safeupdate"
)

func TestApplyStalePlan(t *testing.T) {
	e := newRoutedWorld(t)
	in := &kms.UpdateCustomKeyStoreInput{CustomKeyStoreId: aws.String(routedStoreID), NewCustomKeyStoreName: aws.String("renamed")}
	plan, err := e.updater.Plan(context.Background(), in, safeupdate.PlanOptions{})
	require.NoError(t, err)

	// Someone else disconnects the store meanwhile.
	_, err = e.client.DisconnectCustomKeyStore(context.Background(), &kms.DisconnectCustomKeyStoreInput{CustomKeyStoreId: aws.String(routedStoreID)})
	require.NoError(t, err)
	before := e.lifecycleTargets()

	rep, err := plan.Apply(context.Background(), fastApply)
	require.ErrorIs(t, err, safeupdate.ErrStalePlan)
	var se *safeupdate.StalePlanError
	require.ErrorAs(t, err, &se)
	assert.Contains(t, strings.Join(se.Differences, "\n"), "ConnectionState")
	assert.Empty(t, rep.Steps)
	assert.Equal(t, before, e.lifecycleTargets(), "Apply sent nothing")
	assert.Equal(t, "xks-a", *e.describe(t, routedStoreID).CustomKeyStoreName)
}

// TestApplyScrubsEchoedSecrets: a secret of the plan (the new or the
// previous password) that a later step's answer echoes — the Connect error,
// a Describe error in a wait — appears in no error, report or event:
// Apply hands every step the plan's secrets.
func TestApplyScrubsEchoedSecrets(t *testing.T) {
	const newPassword = "kmsuser-Pw-1" // the cluster's: the change connects
	const previous = "kmsuser-Pw-previous-77"
	for _, at := range []safeupdate.StepAction{safeupdate.StepConnect, safeupdate.StepWaitConnected} {
		t.Run(string(at), func(t *testing.T) {
			e := newClockWorld(t)
			in := &kms.UpdateCustomKeyStoreInput{CustomKeyStoreId: aws.String(routedHsmStoreID), KeyStorePassword: aws.String(newPassword)}
			plan, err := e.updater.Plan(context.Background(), in, safeupdate.PlanOptions{AllowDisconnect: true, PreviousKeyStorePassword: aws.String(previous)})
			require.NoError(t, err)
			var events []string
			opts := clockApply
			opts.OnStep = func(ev safeupdate.StepEvent) {
				if !ev.Done && !ev.Rollback && ev.Step.Action == at {
					e.srv.FailNext(1, kmstest.Fault{Code: kmstest.CodeAccessDenied,
						Message: "kmsuser login with " + newPassword + " (was " + previous + ") denied"})
				}
				if ev.Err != nil {
					events = append(events, ev.Err.Error(), fmt.Sprintf("%+v", ev))
				}
			}
			rep, err := plan.Apply(context.Background(), opts)
			require.Error(t, err)
			var apiErr *kms.APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, kmstest.CodeAccessDenied, apiErr.Code, "the code is intact")
			require.NotEmpty(t, events)
			texts := append(events, err.Error(), rep.String(), fmt.Sprintf("%+v", err), apiErr.Message)
			for _, text := range texts {
				assert.NotContains(t, text, newPassword)
				assert.NotContains(t, text, previous)
			}
			assert.Contains(t, apiErr.Message, "[REDACTED]", "the echo was there, and was scrubbed")
		})
	}
}
