package safeupdate_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kmskit/kms"
	"github.com/kmskit/kms/kmstest"
	"github.com/kmskit/kms/safeupdate"
)

// fastApply polls quickly: the fake's transitions take milliseconds.
var fastApply = safeupdate.ApplyOptions{PollInterval: 5 * time.Millisecond, MaxWait: time.Minute}

func stepActions(steps []safeupdate.Step) []safeupdate.StepAction {
	var out []safeupdate.StepAction
	for _, s := range steps {
		out = append(out, s.Action)
	}
	return out
}

func resultActions(steps []safeupdate.StepResult) []string {
	var out []string
	for _, s := range steps {
		a := string(s.Step.Action)
		if s.Rollback {
			a += " (rollback)"
		}
		out = append(out, a)
	}
	return out
}

// lifecycleTargets lists the Disconnect, Update and Connect calls the fake
// answered, in order.
func (e *routedWorld) lifecycleTargets() []string {
	var out []string
	for _, tg := range e.targets() {
		switch tg {
		case kmstest.TargetDisconnectCustomKeyStore, kmstest.TargetUpdateCustomKeyStore, kmstest.TargetConnectCustomKeyStore:
			out = append(out, strings.TrimPrefix(tg, "TrentService."))
		}
	}
	return out
}

func TestPlanApplyRename(t *testing.T) {
	e := newRoutedWorld(t)
	in := &kms.UpdateCustomKeyStoreInput{CustomKeyStoreId: aws.String(routedStoreID), NewCustomKeyStoreName: aws.String("renamed")}
	plan, err := e.updater.Plan(context.Background(), in, safeupdate.PlanOptions{})
	require.NoError(t, err)
	assert.Equal(t, []safeupdate.StepAction{safeupdate.StepUpdate}, stepActions(plan.Steps))
	assert.Nil(t, plan.Preflight, "a rename does not touch the proxy settings")
	assert.Contains(t, plan.String(), `NewCustomKeyStoreName: "xks-a" → "renamed"`)

	var events []safeupdate.StepEvent
	rep, err := plan.Apply(context.Background(), safeupdate.ApplyOptions{OnStep: func(ev safeupdate.StepEvent) { events = append(events, ev) }})
	require.NoError(t, err)
	assert.Equal(t, []string{"UpdateCustomKeyStore"}, resultActions(rep.Steps))
	assert.Zero(t, rep.Unavailable)
	require.Len(t, events, 2)
	assert.False(t, events[0].Done)
	assert.True(t, events[1].Done)
	assert.NoError(t, events[1].Err)
	assert.Equal(t, []string{"UpdateCustomKeyStore"}, e.lifecycleTargets(), "never disconnected")

	got := e.describe(t, routedStoreID)
	assert.Equal(t, "renamed", *got.CustomKeyStoreName)
	assert.Equal(t, kms.ConnectionStateTypeConnected, got.ConnectionState)
}

func TestPlanApplyPathChange(t *testing.T) {
	e := newRoutedWorld(t)
	require.NoError(t, e.proxy.SetURIPrefixes("/tenant-a", "/tenant-b"))
	cred1 := xksCred(routedAccessKeyID, routedSecret)
	in := &kms.UpdateCustomKeyStoreInput{CustomKeyStoreId: aws.String(routedStoreID), XksProxyUriPath: aws.String(routedOtherPath)}
	plan, err := e.updater.Plan(context.Background(), in,
		safeupdate.PlanOptions{Preflight: safeupdate.PreflightOptions{HTTPClient: e.hc, Credential: &cred1, ExternalKeyIDs: []string{"key-1"}}})
	require.NoError(t, err, "a path change never needs AllowDisconnect")
	assert.Equal(t, []safeupdate.StepAction{safeupdate.StepUpdate}, stepActions(plan.Steps))
	require.NotNil(t, plan.Preflight)
	assert.Equal(t, safeupdate.CheckPassed, plan.Preflight.Result)
	require.Len(t, plan.Preflight.Keys, 1)
	assert.True(t, plan.Preflight.Keys[0].CanaryChecked)
	assert.Contains(t, plan.String(), "Preflight: the proxy at https://xks-a.example.com/tenant-b/kms/xks/v1 answered GetHealthStatus")

	rep, err := plan.Apply(context.Background(), fastApply)
	require.NoError(t, err)
	assert.Equal(t, []string{"UpdateCustomKeyStore"}, resultActions(rep.Steps))
	got := e.describe(t, routedStoreID)
	assert.Equal(t, routedOtherPath, *got.XksProxyConfiguration.UriPath)
	assert.Equal(t, kms.ConnectionStateTypeConnected, got.ConnectionState)
	assert.NotContains(t, e.lifecycleTargets(), "DisconnectCustomKeyStore")
}

func TestPlanApplyPathChangeRefusedByPreflight(t *testing.T) {
	e := newRoutedWorld(t)
	cred1 := xksCred(routedAccessKeyID, routedSecret)
	in := &kms.UpdateCustomKeyStoreInput{CustomKeyStoreId: aws.String(routedStoreID), XksProxyUriPath: aws.String(routedOtherPath)}
	plan, err := e.updater.Plan(context.Background(), in,
		safeupdate.PlanOptions{Preflight: safeupdate.PreflightOptions{HTTPClient: e.hc, Credential: &cred1}})
	require.ErrorIs(t, err, kms.ErrXksProxyInvalidConfiguration)
	assert.Nil(t, plan)
	assert.Empty(t, e.lifecycleTargets(), "nothing changed")
}

func TestPlanApplyEndpointChange(t *testing.T) {
	e := newRoutedWorld(t)
	e.addProxy(t, kmstest.WithXksEndpoint(routedOtherEndpoint)) // the same key material behind another endpoint
	cred1 := xksCred(routedAccessKeyID, routedSecret)
	in := &kms.UpdateCustomKeyStoreInput{CustomKeyStoreId: aws.String(routedStoreID), XksProxyUriEndpoint: aws.String(routedOtherEndpoint)}
	plan, err := e.updater.Plan(context.Background(), in, safeupdate.PlanOptions{
		AllowDisconnect: true,
		Preflight:       safeupdate.PreflightOptions{HTTPClient: e.hc, Credential: &cred1, ExternalKeyIDs: []string{"key-1"}},
	})
	require.NoError(t, err)
	assert.Equal(t, []safeupdate.StepAction{safeupdate.StepDisconnect, safeupdate.StepWaitDisconnected, safeupdate.StepUpdate, safeupdate.StepConnect, safeupdate.StepWaitConnected},
		stepActions(plan.Steps))
	out := plan.String()
	assert.Contains(t, out, `XksProxyUriEndpoint: "https://xks-a.example.com" → "https://xks-b.example.com" [needs DISCONNECTED]`)
	assert.NotContains(t, out, routedSecret)
	assert.NotContains(t, out, routedAccessKeyID)
	assert.Empty(t, e.lifecycleTargets(), "planning changes nothing")

	var done []safeupdate.StepAction
	rep, err := plan.Apply(context.Background(), safeupdate.ApplyOptions{
		PollInterval: fastApply.PollInterval, MaxWait: fastApply.MaxWait,
		OnStep: func(ev safeupdate.StepEvent) {
			if ev.Done {
				done = append(done, ev.Step.Action)
			}
		},
	})
	require.NoError(t, err)
	assert.Equal(t, stepActions(plan.Steps), done)
	assert.Equal(t, []string{"DisconnectCustomKeyStore", "UpdateCustomKeyStore", "ConnectCustomKeyStore"}, e.lifecycleTargets())
	assert.Positive(t, rep.Unavailable)
	assert.Contains(t, rep.String(), "5. WaitUntilConnected")
	got := e.describe(t, routedStoreID)
	assert.Equal(t, routedOtherEndpoint, *got.XksProxyConfiguration.UriEndpoint)
	assert.Equal(t, kms.ConnectionStateTypeConnected, got.ConnectionState)
}

func TestPlanRefusedWithoutAllowDisconnect(t *testing.T) {
	e := newRoutedWorld(t)
	in := &kms.UpdateCustomKeyStoreInput{CustomKeyStoreId: aws.String(routedStoreID), XksProxyUriEndpoint: aws.String(routedOtherEndpoint),
		NewCustomKeyStoreName: aws.String("renamed")}
	plan, err := e.updater.Plan(context.Background(), in, safeupdate.PlanOptions{})
	require.ErrorIs(t, err, safeupdate.ErrDisconnectNotAllowed)
	assert.Nil(t, plan)
	var dn *safeupdate.DisconnectNotAllowedError
	require.ErrorAs(t, err, &dn)
	assert.Equal(t, []string{"XksProxyUriEndpoint"}, dn.Members)
	assert.Equal(t, kms.ConnectionStateTypeConnected, dn.State)
	assert.Empty(t, e.lifecycleTargets())
}

func TestPlanFailedStoreIsDisconnectedFirst(t *testing.T) {
	e := newRoutedWorld(t)
	require.NoError(t, e.srv.SetConnectionState(routedHsmStoreID, kmstest.StateFailed))
	in := &kms.UpdateCustomKeyStoreInput{CustomKeyStoreId: aws.String(routedHsmStoreID), KeyStorePassword: aws.String(routedPassword)}
	plan, err := e.updater.Plan(context.Background(), in, safeupdate.PlanOptions{})
	require.NoError(t, err, "a FAILED store's keys are unusable already: no AllowDisconnect needed")
	assert.Equal(t, []safeupdate.StepAction{safeupdate.StepDisconnect, safeupdate.StepWaitDisconnected, safeupdate.StepUpdate}, stepActions(plan.Steps))
	assert.Contains(t, plan.String(), "stays DISCONNECTED afterwards")
	_, err = plan.Apply(context.Background(), fastApply)
	require.NoError(t, err)
	assert.Equal(t, kms.ConnectionStateTypeDisconnected, e.describe(t, routedHsmStoreID).ConnectionState)
	assert.False(t, slices.Contains(e.lifecycleTargets(), "ConnectCustomKeyStore"))
}

// A member of the other store type is refused as KMS would refuse it
// (ValidationException), before anything is sent, as a *ValidationError
// naming each such member; the preflight refuses a CloudHSM store the same
// way.
func TestPlanMemberOfOtherStoreType(t *testing.T) {
	e := newRoutedWorld(t)
	ctx := context.Background()
	in := &kms.UpdateCustomKeyStoreInput{CustomKeyStoreId: aws.String(routedHsmStoreID), XksProxyUriPath: aws.String(routedOtherPath), NewCustomKeyStoreName: aws.String("renamed")}
	plan, err := e.updater.Plan(ctx, in, safeupdate.PlanOptions{AllowDisconnect: true})
	assert.Nil(t, plan)
	var ve *kms.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, []string{"XksProxyUriPath"}, ve.Fields())
	assert.Contains(t, err.Error(), "XksProxyUriPath: cannot be used with a custom key store whose CustomKeyStoreType is AWS_CLOUDHSM")

	in = &kms.UpdateCustomKeyStoreInput{CustomKeyStoreId: aws.String(routedStoreID), KeyStorePassword: aws.String(routedWrongPassword), CloudHsmClusterId: aws.String(routedClusterID)}
	_, err = e.updater.Plan(ctx, in, safeupdate.PlanOptions{AllowDisconnect: true})
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, []string{"CloudHsmClusterId", "KeyStorePassword"}, ve.Fields())
	assert.NotContains(t, err.Error(), routedWrongPassword)

	_, err = e.updater.PreflightXksProxy(ctx, &kms.UpdateCustomKeyStoreInput{CustomKeyStoreId: aws.String(routedHsmStoreID), XksProxyUriPath: aws.String(routedOtherPath)}, safeupdate.PreflightOptions{})
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, []string{"CustomKeyStoreId"}, ve.Fields())

	_, err = e.updater.PreflightXksProxyCreate(ctx, &kms.CreateCustomKeyStoreInput{
		CustomKeyStoreName: aws.String("new-hsm"), CustomKeyStoreType: kms.CustomKeyStoreTypeAwsCloudhsm,
		CloudHsmClusterId: aws.String(routedClusterID), TrustAnchorCertificate: aws.String("-----BEGIN CERTIFICATE-----x"), KeyStorePassword: aws.String(routedPassword),
	}, safeupdate.PreflightOptions{})
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, []string{"CustomKeyStoreType"}, ve.Fields())
	assert.Contains(t, err.Error(), "CreateCustomKeyStoreInput")
	assert.Empty(t, e.lifecycleTargets(), "nothing was sent")
}

// A credential change that keeps the AccessKeyId is planned, with a
// warning: the proxy cannot hold both secrets under one ID.
func TestPlanWarnsSameAccessKeyID(t *testing.T) {
	e := newRoutedWorld(t)
	same := xksCred(routedAccessKeyID, routedNextSecret)
	in := &kms.UpdateCustomKeyStoreInput{CustomKeyStoreId: aws.String(routedStoreID), XksProxyAuthenticationCredential: &same}
	plan, err := e.updater.Plan(context.Background(), in, safeupdate.PlanOptions{Preflight: safeupdate.PreflightOptions{HTTPClient: e.hc}})
	// The proxy knows only the old secret under that ID: the preflight
	// predicts the failure, and the plan is refused.
	require.ErrorIs(t, err, kms.ErrXksProxyIncorrectAuthenticationCredential)
	assert.Nil(t, plan)

	require.NoError(t, e.proxy.SetCredentials(kmstest.XksCredential{AccessKeyID: routedAccessKeyID, SecretAccessKey: routedNextSecret}))
	plan, err = e.updater.Plan(context.Background(), in, safeupdate.PlanOptions{Preflight: safeupdate.PreflightOptions{HTTPClient: e.hc}})
	require.NoError(t, err)
	out := plan.String()
	assert.Contains(t, out, "keeps the store's AccessKeyId")
	assert.NotContains(t, out, routedAccessKeyID)
	assert.NotContains(t, out, routedNextSecret)

	other := xksCred(routedNextAccessKeyID, routedNextSecret)
	require.NoError(t, e.proxy.SetCredentials(kmstest.XksCredential{AccessKeyID: routedNextAccessKeyID, SecretAccessKey: routedNextSecret}))
	plan, err = e.updater.Plan(context.Background(), &kms.UpdateCustomKeyStoreInput{CustomKeyStoreId: aws.String(routedStoreID), XksProxyAuthenticationCredential: &other},
		safeupdate.PlanOptions{Preflight: safeupdate.PreflightOptions{HTTPClient: e.hc}})
	require.NoError(t, err)
	assert.NotContains(t, plan.String(), "keeps the store's AccessKeyId")
}
