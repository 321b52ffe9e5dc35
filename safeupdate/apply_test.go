package safeupdate_test

import (
	"context"
	"fmt"
	"strings"
	"sync/atomic"
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

// echoingAPI is a hostile KMS in front of the fake: when armed, the next
// DescribeCustomKeyStores shows the store FAILED with a
// ConnectionErrorCode that echoes text.
type echoingAPI struct {
	*kms.Client
	armed atomic.Bool
	text  string
}

func (a *echoingAPI) DescribeCustomKeyStores(ctx context.Context, in *kms.DescribeCustomKeyStoresInput, optFns ...func(*kms.Options)) (*kms.DescribeCustomKeyStoresOutput, error) {
	out, err := a.Client.DescribeCustomKeyStores(ctx, in, optFns...)
	if err == nil && a.armed.CompareAndSwap(true, false) {
		for i := range out.CustomKeyStores {
			out.CustomKeyStores[i].ConnectionState = kms.ConnectionStateTypeFailed
			out.CustomKeyStores[i].ConnectionErrorCode = kms.ConnectionErrorCodeType("INTERNAL_ERROR " + a.text)
		}
	}
	return out, err
}

// TestApplyScrubsEchoedAccessKeyIDs: the store's AccessKeyId and the new
// one, which a Describe's client is not handed (its answer shows the
// store's own, and the plan compares it), never reach an event, an error
// or the report when a Describe error, a waiter's error or a
// ConnectionErrorCode echoes them; the error keeps its type and code.
func TestApplyScrubsEchoedAccessKeyIDs(t *testing.T) {
	echo := "key " + routedNextAccessKeyID + " replaces " + routedAccessKeyID
	denied := kmstest.Fault{Code: kmstest.CodeAccessDenied, Message: "denied: " + echo}
	tests := []struct {
		name string
		at   safeupdate.StepAction
		// code: the echo is a ConnectionErrorCode, not a Describe error.
		code bool
	}{
		{name: "Describe error in WaitUntilDisconnected", at: safeupdate.StepWaitDisconnected},
		{name: "Describe error in WaitUntilConnected", at: safeupdate.StepWaitConnected},
		{name: "ConnectionErrorCode in WaitUntilConnected", at: safeupdate.StepWaitConnected, code: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newClockWorld(t)
			e.addProxy(t, kmstest.WithXksEndpoint(routedOtherEndpoint), kmstest.WithXksCredentials(
				kmstest.XksCredential{AccessKeyID: routedAccessKeyID, SecretAccessKey: routedSecret},
				kmstest.XksCredential{AccessKeyID: routedNextAccessKeyID, SecretAccessKey: routedNextSecret}))
			api := &echoingAPI{Client: e.client, text: echo}
			u := safeupdate.NewUpdater(api, func(o *safeupdate.Options) { o.Clock = e.clk })
			cred1, cred2 := xksCred(routedAccessKeyID, routedSecret), xksCred(routedNextAccessKeyID, routedNextSecret)
			in := &kms.UpdateCustomKeyStoreInput{CustomKeyStoreId: aws.String(routedStoreID),
				XksProxyUriEndpoint: aws.String(routedOtherEndpoint), XksProxyAuthenticationCredential: &cred2}
			plan, err := u.Plan(context.Background(), in, safeupdate.PlanOptions{AllowDisconnect: true,
				Preflight: safeupdate.PreflightOptions{HTTPClient: e.hc, Credential: &cred1}})
			require.NoError(t, err)
			assert.Equal(t, routedAccessKeyID, *plan.Current.XksProxyConfiguration.AccessKeyId, "the store's entry is data: not scrubbed")

			var texts []string
			opts := clockApply
			opts.OnStep = func(ev safeupdate.StepEvent) {
				if !ev.Done && !ev.Rollback && ev.Step.Action == tt.at {
					if tt.code {
						api.armed.Store(true)
					} else {
						e.srv.FailNext(1, denied)
					}
				}
				if ev.Err != nil {
					texts = append(texts, ev.Err.Error(), fmt.Sprintf("%+v", ev), fmt.Sprintf("%#v", ev.Err))
				}
			}
			opts.OnPoll = func(ev safeupdate.PollEvent) { texts = append(texts, fmt.Sprintf("%+v", ev)) }
			rep, err := plan.Apply(context.Background(), opts)
			require.Error(t, err)
			var ae *safeupdate.ApplyError
			require.ErrorAs(t, err, &ae)
			texts = append(texts, err.Error(), fmt.Sprintf("%+v", err), rep.String(), rep.NextStep, string(ae.ConnectionErrorCode), ae.NextStep)
			if tt.code {
				var cf *kms.ConnectionFailedError
				require.ErrorAs(t, err, &cf)
				assert.Contains(t, string(cf.ConnectionErrorCode), "[REDACTED]", "the echo was there, and was scrubbed")
			} else {
				var apiErr *kms.APIError
				require.ErrorAs(t, err, &apiErr, "the KMS error keeps its type")
				assert.Equal(t, kmstest.CodeAccessDenied, apiErr.Code, "and its code")
				assert.Contains(t, apiErr.Message, "[REDACTED]", "the echo was there, and was scrubbed")
				texts = append(texts, apiErr.Message)
			}
			for _, text := range texts {
				assert.NotContains(t, text, routedNextAccessKeyID)
				assert.NotContains(t, text, routedAccessKeyID)
				assert.NotContains(t, text, routedNextSecret)
			}
			st := e.settled(t, routedStoreID)
			assert.NotEmpty(t, st.ConnectionState, "the fake's store is there")
		})
	}

	t.Run("Describe error of the plan", func(t *testing.T) {
		e := newClockWorld(t)
		cred2 := xksCred(routedNextAccessKeyID, routedNextSecret)
		e.srv.FailNext(1, denied)
		_, err := e.updater.Plan(context.Background(), &kms.UpdateCustomKeyStoreInput{CustomKeyStoreId: aws.String(routedStoreID),
			XksProxyAuthenticationCredential: &cred2}, safeupdate.PlanOptions{})
		var apiErr *kms.APIError
		require.ErrorAs(t, err, &apiErr)
		assert.Equal(t, kmstest.CodeAccessDenied, apiErr.Code)
		assert.NotContains(t, err.Error(), routedNextAccessKeyID)
		assert.NotContains(t, fmt.Sprintf("%+v", err), routedNextAccessKeyID)
		assert.Contains(t, err.Error(), "[REDACTED]")
	})
}
