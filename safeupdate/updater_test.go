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
	"github.com/kmskit/kms/safeupdate"
)

// *kms.Client is an API.
var _ safeupdate.API = (*kms.Client)(nil)

// recordingAPI is a caller's own API: it passes every call on to a
// *kms.Client and records the operation names.
type recordingAPI struct {
	next  *kms.Client
	calls []string
}

func (r *recordingAPI) DescribeCustomKeyStores(ctx context.Context, in *kms.DescribeCustomKeyStoresInput, optFns ...func(*kms.Options)) (*kms.DescribeCustomKeyStoresOutput, error) {
	r.calls = append(r.calls, "Describe")
	return r.next.DescribeCustomKeyStores(ctx, in, optFns...)
}

func (r *recordingAPI) UpdateCustomKeyStore(ctx context.Context, in *kms.UpdateCustomKeyStoreInput, optFns ...func(*kms.Options)) (*kms.UpdateCustomKeyStoreOutput, error) {
	r.calls = append(r.calls, "Update")
	return r.next.UpdateCustomKeyStore(ctx, in, optFns...)
}

func (r *recordingAPI) ConnectCustomKeyStore(ctx context.Context, in *kms.ConnectCustomKeyStoreInput, optFns ...func(*kms.Options)) (*kms.ConnectCustomKeyStoreOutput, error) {
	r.calls = append(r.calls, "Connect")
	return r.next.ConnectCustomKeyStore(ctx, in, optFns...)
}

func (r *recordingAPI) DisconnectCustomKeyStore(ctx context.Context, in *kms.DisconnectCustomKeyStoreInput, optFns ...func(*kms.Options)) (*kms.DisconnectCustomKeyStoreOutput, error) {
	r.calls = append(r.calls, "Disconnect")
	return r.next.DisconnectCustomKeyStore(ctx, in, optFns...)
}

// TestUpdaterOverOwnAPI: every call of a plan, its waits included, goes
// through the API the Updater was made with.
func TestUpdaterOverOwnAPI(t *testing.T) {
	e := newRoutedWorld(t)
	api := &recordingAPI{next: e.client}
	u := safeupdate.NewUpdater(api, func(o *safeupdate.Options) { o.Region = "us-east-1" })
	in := &kms.UpdateCustomKeyStoreInput{CustomKeyStoreId: aws.String(routedHsmStoreID), CloudHsmClusterId: aws.String(routedClusterID), NewCustomKeyStoreName: aws.String("hsm-renamed")}
	plan, err := u.Plan(context.Background(), in, safeupdate.PlanOptions{AllowDisconnect: true})
	require.NoError(t, err)
	_, err = plan.Apply(context.Background(), fastApply)
	require.NoError(t, err)

	require.GreaterOrEqual(t, len(api.calls), 7, "plan describe, apply describe, disconnect, waits, update, connect: %v", api.calls)
	var lifecycle []string
	for _, c := range api.calls {
		if c != "Describe" {
			lifecycle = append(lifecycle, c)
		}
	}
	assert.Equal(t, []string{"Disconnect", "Update", "Connect"}, lifecycle)
	assert.Equal(t, len(e.srv.Calls()), len(api.calls), "the fake saw only what went through the API")
	got := e.describe(t, routedHsmStoreID)
	assert.Equal(t, "hsm-renamed", aws.ToString(got.CustomKeyStoreName))
	assert.Equal(t, kms.ConnectionStateTypeConnected, got.ConnectionState)
}

// TestUpdaterWithoutAPI: an Updater without an API, and a plan it did not
// make, return errors instead of panicking.
func TestUpdaterWithoutAPI(t *testing.T) {
	ctx := context.Background()
	in := &kms.UpdateCustomKeyStoreInput{CustomKeyStoreId: aws.String(routedStoreID), NewCustomKeyStoreName: aws.String("n")}
	for _, u := range []*safeupdate.Updater{nil, safeupdate.NewUpdater(nil)} {
		_, err := u.Plan(ctx, in, safeupdate.PlanOptions{})
		require.ErrorContains(t, err, "NewUpdater")
		_, err = u.PreflightXksProxy(ctx, in, safeupdate.PreflightOptions{})
		require.ErrorContains(t, err, "NewUpdater")
		_, err = u.RotateXksCredential(ctx, routedStoreID, nil, safeupdate.RotateOptions{})
		require.ErrorContains(t, err, "NewUpdater")
	}
	_, err := (&safeupdate.Plan{}).Apply(ctx, safeupdate.ApplyOptions{})
	require.ErrorContains(t, err, "Updater.Plan")
}

// TestNoPanicOnBadReceiversOrArguments: every exported method of the
// package, with a nil or zero receiver, an Updater without an API, a nil
// context or a nil input, returns an error naming what is wrong (or, for a
// printing method, a text saying nil) instead of panicking.
func TestNoPanicOnBadReceiversOrArguments(t *testing.T) {
	e := newRoutedWorld(t)
	good := e.updater
	ctx := context.Background()
	var nilCtx context.Context
	in := &kms.UpdateCustomKeyStoreInput{CustomKeyStoreId: aws.String(routedStoreID), NewCustomKeyStoreName: aws.String("n")}
	create := &kms.CreateCustomKeyStoreInput{}
	cred := xksCred(routedNextAccessKeyID, routedNextSecret)
	var nilUpdater *safeupdate.Updater
	noAPI := safeupdate.NewUpdater(nil)
	nilClient := safeupdate.NewUpdater((*kms.Client)(nil))
	var nilPlan *safeupdate.Plan

	errs := map[string]func() error{}
	for name, u := range map[string]*safeupdate.Updater{"nil Updater": nilUpdater, "nil API": noAPI, "nil *kms.Client": nilClient, "zero Updater": {}} {
		errs[name+": Plan"] = func() error { _, err := u.Plan(ctx, in, safeupdate.PlanOptions{}); return err }
		errs[name+": PreflightXksProxy"] = func() error { _, err := u.PreflightXksProxy(ctx, in, safeupdate.PreflightOptions{}); return err }
		errs[name+": RotateXksCredential"] = func() error {
			_, err := u.RotateXksCredential(ctx, routedStoreID, &cred, safeupdate.RotateOptions{})
			return err
		}
	}
	// PreflightXksProxyCreate sends nothing to KMS: it needs an Updater,
	// not an API.
	errs["nil Updater: PreflightXksProxyCreate"] = func() error {
		_, err := nilUpdater.PreflightXksProxyCreate(ctx, create, safeupdate.PreflightOptions{})
		return err
	}
	errs["nil context: Plan"] = func() error { _, err := good.Plan(nilCtx, in, safeupdate.PlanOptions{}); return err }
	errs["nil context: PreflightXksProxy"] = func() error {
		_, err := good.PreflightXksProxy(nilCtx, in, safeupdate.PreflightOptions{})
		return err
	}
	errs["nil context: PreflightXksProxyCreate"] = func() error {
		_, err := good.PreflightXksProxyCreate(nilCtx, create, safeupdate.PreflightOptions{})
		return err
	}
	errs["nil context: RotateXksCredential"] = func() error {
		_, err := good.RotateXksCredential(nilCtx, routedStoreID, &cred, safeupdate.RotateOptions{})
		return err
	}
	errs["nil input: Plan"] = func() error { _, err := good.Plan(ctx, nil, safeupdate.PlanOptions{}); return err }
	errs["nil input: PreflightXksProxy"] = func() error { _, err := good.PreflightXksProxy(ctx, nil, safeupdate.PreflightOptions{}); return err }
	errs["nil input: PreflightXksProxyCreate"] = func() error {
		_, err := good.PreflightXksProxyCreate(ctx, nil, safeupdate.PreflightOptions{})
		return err
	}
	errs["nil credential: RotateXksCredential"] = func() error {
		_, err := good.RotateXksCredential(ctx, routedStoreID, nil, safeupdate.RotateOptions{})
		return err
	}
	errs["empty id: RotateXksCredential"] = func() error {
		_, err := good.RotateXksCredential(ctx, "", &cred, safeupdate.RotateOptions{})
		return err
	}
	errs["nil Plan: Apply"] = func() error { _, err := nilPlan.Apply(ctx, safeupdate.ApplyOptions{}); return err }
	errs["zero Plan: Apply"] = func() error { _, err := (&safeupdate.Plan{}).Apply(ctx, safeupdate.ApplyOptions{}); return err }
	plan, err := good.Plan(ctx, in, safeupdate.PlanOptions{})
	require.NoError(t, err)
	errs["nil context: Apply"] = func() error { _, err := plan.Apply(nilCtx, safeupdate.ApplyOptions{}); return err }

	wants := map[string]string{"nil Updater": "NewUpdater", "nil API": "NewUpdater", "nil *kms.Client": "NewUpdater", "zero Updater": "NewUpdater",
		"nil context": "nil context", "nil input": "nil", "nil credential": "XksProxyAuthenticationCredential", "empty id": "CustomKeyStoreId",
		"nil Plan": "Updater.Plan", "zero Plan": "Updater.Plan"}
	for name, call := range errs {
		t.Run(name, func(t *testing.T) {
			var err error
			require.NotPanics(t, func() { err = call() })
			require.Error(t, err)
			assert.Contains(t, err.Error(), wants[strings.SplitN(name, ":", 2)[0]])
		})
	}
	assert.Empty(t, e.lifecycleTargets(), "nothing changed")

	// Printing and error methods of nil values.
	texts := map[string]func() string{
		"Plan.String":                      nilPlan.String,
		"Plan.Verdict":                     func() string { return string(nilPlan.Verdict()) },
		"ApplyReport.String":               (*safeupdate.ApplyReport)(nil).String,
		"ApplyError.Error":                 (*safeupdate.ApplyError)(nil).Error,
		"StalePlanError.Error":             (*safeupdate.StalePlanError)(nil).Error,
		"DisconnectNotAllowedError.Error":  (*safeupdate.DisconnectNotAllowedError)(nil).Error,
		"InUseError.Error":                 (*safeupdate.InUseError)(nil).Error,
		"UncheckedDisconnectError.Error":   (*safeupdate.UncheckedDisconnectError)(nil).Error,
		"PreflightError.Error":             (*safeupdate.PreflightError)(nil).Error,
		"SameKeyError.Error":               (*safeupdate.SameKeyError)(nil).Error,
		"PlanOptions.String":               safeupdate.PlanOptions{}.String,
		"PreflightOptions.String":          safeupdate.PreflightOptions{}.String,
		"ApplyError.Unwrap":                func() string { return fmt.Sprint((*safeupdate.ApplyError)(nil).Unwrap()) },
		"PreflightError.Unwrap":            func() string { return fmt.Sprint((*safeupdate.PreflightError)(nil).Unwrap()) },
		"SameKeyError.Unwrap":              func() string { return fmt.Sprint((*safeupdate.SameKeyError)(nil).Unwrap()) },
		"InUseError.Unwrap":                func() string { return fmt.Sprint((*safeupdate.InUseError)(nil).Unwrap()) },
		"empty ApplyError.Error":           (&safeupdate.ApplyError{}).Error,
		"empty PreflightError.Error":       (&safeupdate.PreflightError{}).Error,
		"empty UncheckedDisconnect.Error":  (&safeupdate.UncheckedDisconnectError{}).Error,
		"empty DisconnectNotAllowed.Error": (&safeupdate.DisconnectNotAllowedError{}).Error,
	}
	for name, text := range texts {
		assert.NotPanics(t, func() { assert.NotEmpty(t, text(), name) }, name)
	}
	assert.Equal(t, safeupdate.VerdictRefuse, nilPlan.Verdict())
	assert.Equal(t, safeupdate.VerdictUnchecked, (&safeupdate.Plan{}).Verdict(), "the zero Plan checked nothing: not accept")
	passed := &safeupdate.Plan{Checks: []safeupdate.Check{{Name: "x", Result: safeupdate.CheckPassed}}}
	assert.Equal(t, safeupdate.VerdictUnchecked, passed.Verdict(), "a Plan not made by Updater.Plan: not accept")
}
