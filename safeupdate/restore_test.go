package safeupdate_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kmskit/kms"
	"github.com/kmskit/kms/kmstest"
	"github.com/kmskit/kms/safeupdate"
)

// The stores of worldFile the restore tests change: prodStoreID is a
// CONNECTED CloudHSM store whose cluster prodCluster shares its backup
// history with prodCluster2 (any kmsuser password works); routedHsmStoreID
// accepts only routedPassword.
const (
	prodStoreID  = "cks-1234567890abcdef0"
	prodName     = "ProductionHSMStore"
	prodCluster  = "cluster-2a34b5cdefg"
	prodCluster2 = "cluster-3b45c6defgh"
	routedName   = "hsm-a"
)

// clockApply polls once a second of a clock world's manual clock.
var clockApply = safeupdate.ApplyOptions{PollInterval: time.Second, MaxWait: 10 * time.Minute, AcceptUnchecked: true}

// newClockWorld is the routed world on a manual clock.
func newClockWorld(t *testing.T) *routedWorld {
	t.Helper()
	return startWorld(t, kmstest.NewManualClock(time.Now()))
}

// settled returns the store once every transition the fake has pending is
// over (an hour later on its clock).
func (e *routedWorld) settled(t *testing.T, id string) kmstest.Store {
	t.Helper()
	e.clk.Advance(time.Hour)
	st, ok := e.srv.Store(id)
	require.True(t, ok)
	return st
}

// count is how many calls of target the fake answered.
func (e *routedWorld) count(target string) int {
	n := 0
	for _, c := range e.srv.Calls() {
		if c.Target == target {
			n++
		}
	}
	return n
}

// prodChange renames prodStoreID and moves it to prodCluster2: a
// disconnecting plan whose cluster only KMS can check.
func prodChange() *kms.UpdateCustomKeyStoreInput {
	return &kms.UpdateCustomKeyStoreInput{CustomKeyStoreId: aws.String(prodStoreID), CloudHsmClusterId: aws.String(prodCluster2),
		NewCustomKeyStoreName: aws.String("prod-renamed")}
}

// TestApplyCancelRestores: a cancel at each point of a disconnecting plan
// leaves the store CONNECTED: with its original settings when the update
// was not sent, with the new ones when KMS accepted it and the reconnect
// succeeded; the report says which. On a manual clock.
func TestApplyCancelRestores(t *testing.T) {
	tests := []struct {
		name    string
		cancel  func(ev safeupdate.StepEvent, poll *safeupdate.PollEvent) bool
		update  safeupdate.UpdateOutcome
		updates int // UpdateCustomKeyStore calls
	}{
		{name: "during WaitUntilDisconnected", update: safeupdate.UpdateNotSent,
			cancel: func(_ safeupdate.StepEvent, p *safeupdate.PollEvent) bool {
				return p != nil && p.Step.Action == safeupdate.StepWaitDisconnected && !p.Rollback
			}},
		{name: "after the update", update: safeupdate.UpdateApplied, updates: 1,
			cancel: func(ev safeupdate.StepEvent, p *safeupdate.PollEvent) bool {
				return p == nil && ev.Done && ev.Step.Action == safeupdate.StepUpdate && !ev.Rollback
			}},
		{name: "during WaitUntilConnected", update: safeupdate.UpdateApplied, updates: 1,
			cancel: func(_ safeupdate.StepEvent, p *safeupdate.PollEvent) bool {
				return p != nil && p.Step.Action == safeupdate.StepWaitConnected && !p.Rollback
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newClockWorld(t)
			plan, err := e.updater.Plan(context.Background(), prodChange(), safeupdate.PlanOptions{AllowDisconnect: true})
			require.NoError(t, err)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			opts := clockApply
			opts.OnStep = func(ev safeupdate.StepEvent) {
				if tt.cancel(ev, nil) {
					cancel()
				}
			}
			opts.OnPoll = func(p safeupdate.PollEvent) {
				if tt.cancel(safeupdate.StepEvent{}, &p) {
					cancel()
				}
			}
			rep, err := plan.Apply(ctx, opts)
			require.ErrorIs(t, err, context.Canceled)
			var ae *safeupdate.ApplyError
			require.ErrorAs(t, err, &ae)
			assert.Equal(t, tt.update, ae.Update)
			require.NotNil(t, ae.Rollback)
			assert.NoError(t, ae.Rollback.Err)
			assert.True(t, ae.Rollback.Reconnected)
			assert.Empty(t, ae.Rollback.Restored, "nothing needed rolling back")
			assert.Equal(t, kms.ConnectionStateTypeConnected, ae.State)
			assert.Equal(t, kms.ConnectionStateTypeConnected, rep.State)
			assert.Empty(t, ae.NextStep)
			assert.Contains(t, err.Error(), "interrupted")
			assert.Contains(t, err.Error(), "the update was "+string(tt.update))
			assert.Contains(t, err.Error(), "the store is CONNECTED again")

			st := e.settled(t, prodStoreID)
			assert.Equal(t, kmstest.StateConnected, st.ConnectionState)
			if tt.update == safeupdate.UpdateApplied {
				assert.Equal(t, []string{"CloudHsmClusterId", "NewCustomKeyStoreName"}, ae.Rollback.StillNew)
				assert.Equal(t, prodCluster2, st.CloudHsmClusterId)
				assert.Equal(t, "prod-renamed", st.CustomKeyStoreName)
			} else {
				assert.Empty(t, ae.Rollback.StillNew)
				assert.Equal(t, prodCluster, st.CloudHsmClusterId)
				assert.Equal(t, prodName, st.CustomKeyStoreName)
			}
			assert.Equal(t, tt.updates, e.count(kmstest.TargetUpdateCustomKeyStore), "no update sent after the cancel, no rollback update")
			assert.Equal(t, 1, e.count(kmstest.TargetDisconnectCustomKeyStore))
		})
	}

	t.Run("before anything was sent", func(t *testing.T) {
		e := newClockWorld(t)
		plan, err := e.updater.Plan(context.Background(), prodChange(), safeupdate.PlanOptions{AllowDisconnect: true})
		require.NoError(t, err)
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		_, err = plan.Apply(ctx, clockApply)
		require.ErrorIs(t, err, context.Canceled)
		assert.Contains(t, err.Error(), "nothing was changed")
		assert.Equal(t, 0, e.count(kmstest.TargetDisconnectCustomKeyStore))
		assert.Equal(t, kmstest.StateConnected, e.settled(t, prodStoreID).ConnectionState)
	})
}

// TestApplyUnknownFinalWait: a rejected Describe in the final wait, after
// KMS accepted the update, ends Apply: no rollback, no second disconnect,
// and an error that says the update was applied, the state last seen and
// what to check.
func TestApplyUnknownFinalWait(t *testing.T) {
	e := newClockWorld(t)
	plan, err := e.updater.Plan(context.Background(), prodChange(), safeupdate.PlanOptions{AllowDisconnect: true})
	require.NoError(t, err)
	opts := clockApply
	opts.OnStep = func(ev safeupdate.StepEvent) {
		if !ev.Done && ev.Step.Action == safeupdate.StepWaitConnected {
			e.srv.FailNext(1, kmstest.Fault{Code: kmstest.CodeAccessDenied})
		}
	}
	rep, err := plan.Apply(context.Background(), opts)
	var ae *safeupdate.ApplyError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, safeupdate.StepWaitConnected, ae.Step)
	assert.Equal(t, safeupdate.UpdateApplied, ae.Update)
	assert.Nil(t, ae.Rollback, "no rollback")
	assert.Equal(t, kms.ConnectionStateTypeConnecting, ae.State, "the last state known: KMS accepted ConnectCustomKeyStore")
	var apiErr *kms.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, kmstest.CodeAccessDenied, apiErr.Code)
	for _, want := range []string{"the update was applied", "last seen CONNECTING", "cks describe --id " + prodStoreID, "AccessDeniedException"} {
		assert.Contains(t, err.Error(), want)
	}
	assert.Equal(t, ae.NextStep, rep.NextStep)
	assert.Equal(t, 1, e.count(kmstest.TargetDisconnectCustomKeyStore), "no second disconnect")
	assert.Equal(t, 1, e.count(kmstest.TargetUpdateCustomKeyStore), "no rollback update")
	st := e.settled(t, prodStoreID)
	assert.Equal(t, kmstest.StateConnected, st.ConnectionState, "KMS finished the reconnect on its own")
	assert.Equal(t, prodCluster2, st.CloudHsmClusterId)
}

// wrongPassword renames routedHsmStoreID and gives it a password its
// cluster's kmsuser refuses: the reconnect ends FAILED
// (INVALID_CREDENTIALS) and the rollback restores both members.
func wrongPassword() *kms.UpdateCustomKeyStoreInput {
	return &kms.UpdateCustomKeyStoreInput{CustomKeyStoreId: aws.String(routedHsmStoreID), KeyStorePassword: aws.String(routedWrongPassword),
		NewCustomKeyStoreName: aws.String("hsm-a-renamed")}
}

// TestRollbackReportsOnlyWhatItRestored: a restoring update that KMS
// refuses restores nothing, and the outcome says the members still hold
// the new values; the store is left DISCONNECTED, and the error says so.
func TestRollbackReportsOnlyWhatItRestored(t *testing.T) {
	e := newClockWorld(t)
	plan, err := e.updater.Plan(context.Background(), wrongPassword(), safeupdate.PlanOptions{AllowDisconnect: true, PreviousKeyStorePassword: aws.String(routedPassword)})
	require.NoError(t, err)
	opts := clockApply
	opts.OnStep = func(ev safeupdate.StepEvent) {
		if !ev.Done && ev.Rollback && ev.Step.Action == safeupdate.StepUpdate {
			e.srv.FailNext(1, kmstest.Fault{Code: kmstest.CodeAccessDenied})
		}
	}
	_, err = plan.Apply(context.Background(), opts)
	var ae *safeupdate.ApplyError
	require.ErrorAs(t, err, &ae)
	require.NotNil(t, ae.Rollback)
	assert.Empty(t, ae.Rollback.Restored, "the restoring update failed: nothing was restored")
	assert.Equal(t, []string{"KeyStorePassword", "NewCustomKeyStoreName"}, ae.Rollback.StillNew)
	assert.NotNil(t, ae.Rollback.Input, "the restoring update was sent")
	assert.Error(t, ae.Rollback.Err)
	assert.False(t, ae.Rollback.Reconnected)
	assert.NotContains(t, err.Error(), "rolled back")
	assert.Contains(t, err.Error(), "KeyStorePassword, NewCustomKeyStoreName still hold the new values")
	assert.Contains(t, err.Error(), "last seen DISCONNECTED")
	st := e.settled(t, routedHsmStoreID)
	assert.Equal(t, kmstest.StateDisconnected, st.ConnectionState)
	assert.Equal(t, "hsm-a-renamed", st.CustomKeyStoreName)
	assert.Equal(t, routedWrongPassword, st.KeyStorePassword)
}

// faultKind is one fault the matrix injects into one step.
type faultKind struct {
	name      string
	transient bool // a transient fault (or a cancel) must never leave the store down
	inject    func(e *routedWorld, cancel context.CancelFunc)
}

var faultKinds = []faultKind{
	{"5xx", true, func(e *routedWorld, _ context.CancelFunc) {
		e.srv.FailNext(1, kmstest.Fault{Code: kmstest.CodeKMSInternal})
	}},
	{"throttling", true, func(e *routedWorld, _ context.CancelFunc) {
		e.srv.FailNext(1, kmstest.Fault{Code: kmstest.CodeThrottling})
	}},
	{"dropped connection", true, func(e *routedWorld, _ context.CancelFunc) { e.drop.Drop() }},
	{"AccessDeniedException", false, func(e *routedWorld, _ context.CancelFunc) {
		e.srv.FailNext(1, kmstest.Fault{Code: kmstest.CodeAccessDenied})
	}},
	{"cancel", true, func(_ *routedWorld, cancel context.CancelFunc) { cancel() }},
}

// matrixPlan is a disconnecting plan of the matrix, with the values its
// store holds before and after.
type matrixPlan struct {
	name     string
	id       string
	in       func() *kms.UpdateCustomKeyStoreInput
	opts     safeupdate.PlanOptions
	rollback bool // the faults go into the rollback's steps
	old, new map[string]string
}

// holds returns the value of member m in st.
func holds(st kmstest.Store, m string) string {
	switch m {
	case "CloudHsmClusterId":
		return st.CloudHsmClusterId
	case "NewCustomKeyStoreName":
		return st.CustomKeyStoreName
	case "KeyStorePassword":
		return st.KeyStorePassword
	}
	panic("holds: " + m)
}

// TestApplyFaultMatrix drives every step of a disconnecting plan, and every
// step of a rollback, with a transient fault (a 5xx, throttling, a dropped
// connection), a definite fault (AccessDeniedException) and a cancel, and
// checks what Apply says against the fake's settled state: a nil error
// means CONNECTED with the new settings; every Restored member holds its
// old value and Reconnected means CONNECTED; an error with the store not
// CONNECTED names the state it is in; a transient fault or a cancel never
// leaves the store not CONNECTED.
func TestApplyFaultMatrix(t *testing.T) {
	plans := []matrixPlan{
		{name: "forward", id: prodStoreID, in: prodChange, opts: safeupdate.PlanOptions{AllowDisconnect: true},
			old: map[string]string{"CloudHsmClusterId": prodCluster, "NewCustomKeyStoreName": prodName},
			new: map[string]string{"CloudHsmClusterId": prodCluster2, "NewCustomKeyStoreName": "prod-renamed"}},
		{name: "rollback", id: routedHsmStoreID, in: wrongPassword, rollback: true,
			opts: safeupdate.PlanOptions{AllowDisconnect: true, PreviousKeyStorePassword: aws.String(routedPassword)},
			old:  map[string]string{"KeyStorePassword": routedPassword, "NewCustomKeyStoreName": routedName},
			new:  map[string]string{"KeyStorePassword": routedWrongPassword, "NewCustomKeyStoreName": "hsm-a-renamed"}},
	}
	steps := []safeupdate.StepAction{safeupdate.StepDisconnect, safeupdate.StepWaitDisconnected, safeupdate.StepUpdate,
		safeupdate.StepConnect, safeupdate.StepWaitConnected}
	runs, down, untruthful := 0, 0, 0
	for _, mp := range plans {
		for _, step := range steps {
			for _, fk := range faultKinds {
				name := fmt.Sprintf("%s/%s/%s", mp.name, step, fk.name)
				t.Run(name, func(t *testing.T) {
					runs++
					e := newClockWorld(t)
					plan, err := e.updater.Plan(context.Background(), mp.in(), mp.opts)
					require.NoError(t, err)
					ctx, cancel := context.WithCancel(context.Background())
					defer cancel()
					injected := false
					opts := clockApply
					opts.OnStep = func(ev safeupdate.StepEvent) {
						if !injected && !ev.Done && ev.Rollback == mp.rollback && ev.Step.Action == step {
							injected = true
							fk.inject(e, cancel)
						}
					}
					_, err = plan.Apply(ctx, opts)
					require.True(t, injected, "the step ran")
					st := e.settled(t, mp.id)
					var lies []string
					if err == nil {
						if st.ConnectionState != kmstest.StateConnected {
							lies = append(lies, "nil error but the store is "+string(st.ConnectionState))
						}
						for m, v := range mp.new {
							if holds(st, m) != v {
								lies = append(lies, "nil error but "+m+" is not the new value")
							}
						}
					}
					var ae *safeupdate.ApplyError
					if errors.As(err, &ae) && ae.Rollback != nil {
						for _, m := range ae.Rollback.Restored {
							if holds(st, m) != mp.old[m] {
								lies = append(lies, "Restored lists "+m+", which does not hold its old value")
							}
						}
						if ae.Rollback.Reconnected && st.ConnectionState != kmstest.StateConnected {
							lies = append(lies, "Reconnected, but the store is "+string(st.ConnectionState))
						}
					}
					if err != nil && st.ConnectionState != kmstest.StateConnected && !strings.Contains(err.Error(), string(st.ConnectionState)) {
						lies = append(lies, "the error does not name the state the store is in, "+string(st.ConnectionState)+": "+err.Error())
					}
					if len(lies) > 0 {
						untruthful++
						t.Errorf("untruthful report: %s", strings.Join(lies, "; "))
					}
					if fk.transient && st.ConnectionState != kmstest.StateConnected {
						down++
						t.Errorf("a %s left the store %s: %v", fk.name, st.ConnectionState, err)
					}
				})
			}
		}
	}
	t.Logf("fault matrix: %d runs, %d stores left down by a transient fault or a cancel, %d untruthful reports", runs, down, untruthful)
}

// cancelingAPI passes every call on to next and cancels after the n-th
// call has returned (its answer decoded): the next call of the Apply finds
// its context canceled before it is written.
type cancelingAPI struct {
	next   safeupdate.API
	n      int
	cancel context.CancelFunc

	mu      sync.Mutex
	calls   int
	targets []string // the calls answered before the cancel
}

func (a *cancelingAPI) done(target string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.calls++
	if a.calls <= a.n {
		a.targets = append(a.targets, target)
	}
	if a.calls == a.n {
		a.cancel()
	}
}

func (a *cancelingAPI) DescribeCustomKeyStores(ctx context.Context, in *kms.DescribeCustomKeyStoresInput, optFns ...func(*kms.Options)) (*kms.DescribeCustomKeyStoresOutput, error) {
	defer a.done(kmstest.TargetDescribeCustomKeyStores)
	return a.next.DescribeCustomKeyStores(ctx, in, optFns...)
}

func (a *cancelingAPI) UpdateCustomKeyStore(ctx context.Context, in *kms.UpdateCustomKeyStoreInput, optFns ...func(*kms.Options)) (*kms.UpdateCustomKeyStoreOutput, error) {
	defer a.done(kmstest.TargetUpdateCustomKeyStore)
	return a.next.UpdateCustomKeyStore(ctx, in, optFns...)
}

func (a *cancelingAPI) ConnectCustomKeyStore(ctx context.Context, in *kms.ConnectCustomKeyStoreInput, optFns ...func(*kms.Options)) (*kms.ConnectCustomKeyStoreOutput, error) {
	defer a.done(kmstest.TargetConnectCustomKeyStore)
	return a.next.ConnectCustomKeyStore(ctx, in, optFns...)
}

func (a *cancelingAPI) DisconnectCustomKeyStore(ctx context.Context, in *kms.DisconnectCustomKeyStoreInput, optFns ...func(*kms.Options)) (*kms.DisconnectCustomKeyStoreOutput, error) {
	defer a.done(kmstest.TargetDisconnectCustomKeyStore)
	return a.next.DisconnectCustomKeyStore(ctx, in, optFns...)
}

// TestApplyCancelBeforeEachCall: a cancel after each call of a
// disconnecting plan, before the next is written. A request never written
// is not sent: an update canceled before it is written is UpdateNotSent
// (never "outcome unknown") and no rollback update is sent for it; a
// store the plan disconnected is reconnected; a Disconnect never written
// leaves the store as it was. The fake's call hook records what reached
// it, and its settled state is asserted.
func TestApplyCancelBeforeEachCall(t *testing.T) {
	// The calls of an Apply that nothing interrupts, on the manual clock.
	count := &cancelingAPI{n: -1, cancel: func() {}}
	{
		e := newClockWorld(t)
		count.next = e.client
		plan, err := safeupdate.NewUpdater(count, func(o *safeupdate.Options) { o.Clock = e.clk }).
			Plan(context.Background(), prodChange(), safeupdate.PlanOptions{AllowDisconnect: true})
		require.NoError(t, err)
		count.calls = 0
		_, err = plan.Apply(context.Background(), clockApply)
		require.NoError(t, err)
	}
	require.Greater(t, count.calls, 5)
	for n := 1; n < count.calls; n++ {
		t.Run(fmt.Sprintf("after call %d", n), func(t *testing.T) {
			var mu sync.Mutex
			var reached []string // what reached the fake, in order
			e := startWorldWith(t, kmstest.NewManualClock(time.Now()), []kmstest.Option{kmstest.WithCallHook(func(c kmstest.Call) {
				mu.Lock()
				reached = append(reached, c.Target)
				mu.Unlock()
			})})
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			api := &cancelingAPI{next: e.client, n: -1, cancel: cancel}
			plan, err := safeupdate.NewUpdater(api, func(o *safeupdate.Options) { o.Clock = e.clk }).
				Plan(context.Background(), prodChange(), safeupdate.PlanOptions{AllowDisconnect: true})
			require.NoError(t, err)
			api.mu.Lock()
			api.calls, api.n = 0, n
			api.mu.Unlock()
			mu.Lock()
			reached = nil
			mu.Unlock()

			rep, err := plan.Apply(ctx, clockApply)
			require.ErrorIs(t, err, context.Canceled)
			require.NotNil(t, rep)
			api.mu.Lock()
			before := append([]string(nil), api.targets...)
			api.mu.Unlock()
			sentDisconnect := slices.Contains(before, kmstest.TargetDisconnectCustomKeyStore)
			sentUpdate := slices.Contains(before, kmstest.TargetUpdateCustomKeyStore)

			st := e.settled(t, prodStoreID)
			mu.Lock()
			updates := 0
			for _, tg := range reached {
				if tg == kmstest.TargetUpdateCustomKeyStore {
					updates++
				}
			}
			mu.Unlock()
			assert.Equal(t, kmstest.StateConnected, st.ConnectionState, "the store ends CONNECTED")
			if n == 1 { // the Apply's own Describe: nothing else is sent
				assert.NotContains(t, reached, kmstest.TargetDisconnectCustomKeyStore)
			}
			if !sentDisconnect {
				assert.Equal(t, prodCluster, st.CloudHsmClusterId)
				assert.Zero(t, updates)
				var ae *safeupdate.ApplyError
				if errors.As(err, &ae) {
					assert.Equal(t, safeupdate.UpdateNotSent, ae.Update)
					assert.Nil(t, ae.Rollback, "nothing to restore")
					assert.Contains(t, err.Error(), "not sent")
				}
				return
			}
			var ae *safeupdate.ApplyError
			require.ErrorAs(t, err, &ae)
			assert.NotEqual(t, safeupdate.UpdateUnknown, ae.Update, "a request never written is not of unknown outcome")
			require.NotNil(t, ae.Rollback)
			assert.Nil(t, ae.Rollback.Input, "no rollback update")
			assert.Empty(t, ae.Rollback.Restored)
			assert.True(t, ae.Rollback.Reconnected)
			assert.Equal(t, kms.ConnectionStateTypeConnected, ae.State)
			if sentUpdate {
				assert.Equal(t, safeupdate.UpdateApplied, ae.Update)
				assert.Equal(t, prodCluster2, st.CloudHsmClusterId)
				assert.Equal(t, "prod-renamed", st.CustomKeyStoreName)
				assert.Equal(t, 1, updates)
			} else {
				assert.Equal(t, safeupdate.UpdateNotSent, ae.Update)
				assert.Contains(t, err.Error(), "the update was not sent")
				assert.Equal(t, prodCluster, st.CloudHsmClusterId)
				assert.Equal(t, prodName, st.CustomKeyStoreName)
				assert.Zero(t, updates, "no UpdateCustomKeyStore reached the fake")
			}
		})
	}
}
