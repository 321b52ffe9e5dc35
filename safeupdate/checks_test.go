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

// checkOf returns the plan's check named name.
func checkOf(t *testing.T, checks []safeupdate.Check, name string) safeupdate.Check {
	t.Helper()
	for _, c := range checks {
		if c.Name == name {
			return c
		}
	}
	t.Fatalf("no check %q in %+v", name, checks)
	return safeupdate.Check{}
}

// TestPlanChecksAndVerdict: every plan lists what KMS verifies for the
// update, what it could check and what not; Verdict sums it up; Apply
// refuses a plan that disconnects the store with checks not checked (only
// the plan's Describe sent), unless AcceptUnchecked, and applies it then.
func TestPlanChecksAndVerdict(t *testing.T) {
	cred1 := xksCred(routedAccessKeyID, routedSecret)
	tests := []struct {
		name    string
		in      kms.UpdateCustomKeyStoreInput
		opts    safeupdate.PlanOptions
		checks  map[string]safeupdate.CheckResult
		members map[string][]string // of the checks not checked
		verdict safeupdate.Verdict
		// applies: with AcceptUnchecked (if needed) the change is made and
		// the store is CONNECTED after it.
		applies     bool
		disconnects bool
		// proxyAt routes a proxy at this endpoint after the plan (which
		// cannot reach it), for the apply.
		proxyAt string
		// reachable: the proxy at proxyAt is routed before the plan, so
		// the preflight reaches it.
		reachable bool
		// final asserts the store's settled state in the fake after the
		// apply.
		final func(t *testing.T, st kmstest.Store)
	}{
		{
			name: "CloudHSM password change with the previous password",
			in:   kms.UpdateCustomKeyStoreInput{CustomKeyStoreId: aws.String(routedHsmStoreID), KeyStorePassword: aws.String(routedPassword)},
			opts: safeupdate.PlanOptions{AllowDisconnect: true, PreviousKeyStorePassword: aws.String(routedPassword)},
			checks: map[string]safeupdate.CheckResult{safeupdate.CheckKmsuserPassword: safeupdate.CheckNotChecked,
				safeupdate.CheckRollback: safeupdate.CheckPassed},
			verdict: safeupdate.VerdictUnchecked, applies: true, disconnects: true,
		},
		{
			name: "CloudHSM password change without the previous password",
			in:   kms.UpdateCustomKeyStoreInput{CustomKeyStoreId: aws.String(routedHsmStoreID), KeyStorePassword: aws.String(routedPassword)},
			opts: safeupdate.PlanOptions{AllowDisconnect: true},
			checks: map[string]safeupdate.CheckResult{safeupdate.CheckKmsuserPassword: safeupdate.CheckNotChecked,
				safeupdate.CheckRollback: safeupdate.CheckNotChecked},
			members: map[string][]string{safeupdate.CheckRollback: {"KeyStorePassword"}},
			verdict: safeupdate.VerdictUnchecked, applies: true, disconnects: true,
		},
		{
			name:    "cluster change",
			in:      kms.UpdateCustomKeyStoreInput{CustomKeyStoreId: aws.String(prodStoreID), CloudHsmClusterId: aws.String(prodCluster2)},
			opts:    safeupdate.PlanOptions{AllowDisconnect: true},
			checks:  map[string]safeupdate.CheckResult{safeupdate.CheckCloudHsmCluster: safeupdate.CheckNotChecked, safeupdate.CheckRollback: safeupdate.CheckPassed},
			verdict: safeupdate.VerdictUnchecked, applies: true, disconnects: true,
		},
		{
			name: "XKS path change with the current credential",
			in:   kms.UpdateCustomKeyStoreInput{CustomKeyStoreId: aws.String(routedStoreID), XksProxyUriPath: aws.String(routedOtherPath)},
			opts: safeupdate.PlanOptions{Preflight: safeupdate.PreflightOptions{Credential: &cred1}},
			checks: map[string]safeupdate.CheckResult{safeupdate.CheckXksProxy: safeupdate.CheckPassed,
				"XksProxyUriEndpoint with XksProxyUriPath is not used by another external key store": safeupdate.CheckPassed},
			verdict: safeupdate.VerdictAccept, applies: true,
		},
		{
			name:    "XKS path change without the current credential",
			in:      kms.UpdateCustomKeyStoreInput{CustomKeyStoreId: aws.String(routedStoreID), XksProxyUriPath: aws.String(routedOtherPath)},
			checks:  map[string]safeupdate.CheckResult{safeupdate.CheckXksProxy: safeupdate.CheckNotChecked},
			members: map[string][]string{safeupdate.CheckXksProxy: {"XksProxyAuthenticationCredential"}},
			verdict: safeupdate.VerdictUnchecked, applies: true, // no disconnect: KMS checks the proxy itself
		},
		{
			name: "a VPC proxy not reachable from here",
			in: kms.UpdateCustomKeyStoreInput{CustomKeyStoreId: aws.String(routedStoreID), XksProxyConnectivity: kms.XksProxyConnectivityTypeVpcEndpointService,
				XksProxyUriEndpoint: aws.String("https://xks.private.example.com"), XksProxyVpcEndpointServiceName: aws.String(vpcServiceFree)},
			opts: safeupdate.PlanOptions{AllowDisconnect: true, Preflight: safeupdate.PreflightOptions{Credential: &cred1}},
			checks: map[string]safeupdate.CheckResult{safeupdate.CheckXksProxy: safeupdate.CheckNotChecked,
				safeupdate.CheckVpcEndpointService: safeupdate.CheckNotChecked, safeupdate.CheckRollback: safeupdate.CheckPassed},
			verdict: safeupdate.VerdictUnchecked, applies: true, disconnects: true,
			proxyAt: "https://xks.private.example.com",
			final: func(t *testing.T, st kmstest.Store) {
				x := st.XksProxyConfiguration
				assert.Equal(t, kmstest.ConnectivityVpcEndpointService, x.Connectivity)
				assert.Equal(t, "https://xks.private.example.com", x.UriEndpoint)
				assert.Equal(t, vpcServiceFree, x.VpcEndpointServiceName)
			},
		},
		{
			name: "a VPC proxy reachable from here: the VPC endpoint service is still not checked",
			in: kms.UpdateCustomKeyStoreInput{CustomKeyStoreId: aws.String(routedStoreID), XksProxyConnectivity: kms.XksProxyConnectivityTypeVpcEndpointService,
				XksProxyUriEndpoint: aws.String("https://xks.private.example.com"), XksProxyVpcEndpointServiceName: aws.String(vpcServiceFree)},
			opts: safeupdate.PlanOptions{AllowDisconnect: true, Preflight: safeupdate.PreflightOptions{Credential: &cred1}},
			checks: map[string]safeupdate.CheckResult{safeupdate.CheckXksProxy: safeupdate.CheckPassed,
				safeupdate.CheckVpcEndpointService: safeupdate.CheckNotChecked, safeupdate.CheckRollback: safeupdate.CheckPassed},
			verdict: safeupdate.VerdictUnchecked, applies: true, disconnects: true,
			proxyAt: "https://xks.private.example.com", reachable: true,
			final: func(t *testing.T, st kmstest.Store) {
				assert.Equal(t, kmstest.ConnectivityVpcEndpointService, st.XksProxyConfiguration.Connectivity)
				assert.Equal(t, vpcServiceFree, st.XksProxyConfiguration.VpcEndpointServiceName)
			},
		},
		{
			name: "a VPC endpoint service change of a DISCONNECTED VPC store",
			in:   kms.UpdateCustomKeyStoreInput{CustomKeyStoreId: aws.String(xksVpcAID), XksProxyVpcEndpointServiceName: aws.String(vpcServiceFree)},
			checks: map[string]safeupdate.CheckResult{safeupdate.CheckVpcEndpointService: safeupdate.CheckNotChecked,
				safeupdate.CheckXksProxy: safeupdate.CheckNotChecked},
			members: map[string][]string{safeupdate.CheckXksProxy: {"XksProxyAuthenticationCredential"}},
			verdict: safeupdate.VerdictUnchecked,
		},
		{
			name:    "a path change of a DISCONNECTED VPC store checks no VPC endpoint service",
			in:      kms.UpdateCustomKeyStoreInput{CustomKeyStoreId: aws.String(xksVpcAID), XksProxyUriPath: aws.String(routedOtherPath)},
			checks:  map[string]safeupdate.CheckResult{safeupdate.CheckXksProxy: safeupdate.CheckNotChecked},
			members: map[string][]string{safeupdate.CheckXksProxy: {"XksProxyAuthenticationCredential"}},
			verdict: safeupdate.VerdictUnchecked,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newClockWorld(t)
			require.NoError(t, e.proxy.SetURIPrefixes("/tenant-a", "/tenant-b"))
			if tt.reachable {
				e.addProxy(t, kmstest.WithXksEndpoint(tt.proxyAt))
			}
			in := tt.in
			opts := tt.opts
			opts.Preflight.HTTPClient = e.hc
			plan, err := e.updater.Plan(context.Background(), &in, opts)
			require.NoError(t, err)
			seen := map[string]bool{}
			for _, c := range plan.Checks {
				assert.False(t, seen[c.Name], "%q listed once", c.Name)
				seen[c.Name] = true
				assert.NotEqual(t, safeupdate.CheckFailed, c.Result, "a failed check is an error of Plan")
				if c.Result == safeupdate.CheckNotChecked {
					assert.NotEmpty(t, c.Detail, "%q says why it is not checked", c.Name)
					assert.NotContains(t, c.Detail, "PlanOptions", "the detail names input members, not Go fields")
					assert.NotContains(t, c.Detail, "PreflightOptions")
				}
			}
			assert.True(t, seen["every member applies to the store's CustomKeyStoreType"], "the store-aware rules are listed")
			_, wantVpc := tt.checks[safeupdate.CheckVpcEndpointService]
			assert.Equal(t, wantVpc, seen[safeupdate.CheckVpcEndpointService], "the VPC endpoint service check is listed exactly when KMS checks the service")
			for name, want := range tt.checks {
				c := checkOf(t, plan.Checks, name)
				assert.Equal(t, want, c.Result, name)
				assert.Equal(t, tt.members[name], c.Members, name)
			}
			assert.Equal(t, tt.verdict, plan.Verdict())
			assert.Contains(t, plan.String(), "Verdict: "+string(tt.verdict))

			e.srv.ResetCalls()
			if tt.verdict == safeupdate.VerdictUnchecked && tt.disconnects {
				_, err := plan.Apply(context.Background(), safeupdate.ApplyOptions{PollInterval: clockApply.PollInterval, MaxWait: clockApply.MaxWait})
				require.ErrorIs(t, err, safeupdate.ErrUncheckedDisconnect)
				var ue *safeupdate.UncheckedDisconnectError
				require.ErrorAs(t, err, &ue)
				for _, c := range plan.Checks {
					if c.Result == safeupdate.CheckNotChecked {
						assert.Contains(t, ue.Unchecked, c.Name)
						assert.Contains(t, err.Error(), c.Name)
					}
				}
				assert.Empty(t, e.srv.Calls(), "nothing sent")
				assert.Equal(t, kmstest.StateConnected, e.settled(t, *in.CustomKeyStoreId).ConnectionState)
			}
			if !tt.applies {
				return
			}
			if tt.proxyAt != "" && !tt.reachable {
				e.addProxy(t, kmstest.WithXksEndpoint(tt.proxyAt))
			}
			rep, err := plan.Apply(context.Background(), clockApply) // AcceptUnchecked
			require.NoError(t, err)
			assert.Equal(t, kms.ConnectionStateTypeConnected, rep.State)
			assert.Equal(t, tt.disconnects, e.count(kmstest.TargetDisconnectCustomKeyStore) == 1)
			st := e.settled(t, *in.CustomKeyStoreId)
			assert.Equal(t, kmstest.StateConnected, st.ConnectionState)
			if tt.final != nil {
				tt.final(t, st)
			}
		})
	}
}
