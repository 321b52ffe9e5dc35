package safeupdate_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kmskit/kms"
	"github.com/kmskit/kms/kmstest"
	"github.com/kmskit/kms/safeupdate"
)

// Stores of worldFile the rule tests collide with.
const (
	xksOneID       = "cks-xks0000000000001"  // "xks-one", PUBLIC https://xks1.example.com /kms/xks/v1
	xksVpcAID      = "cks-0000000000000xks3" // VPC https://vpce-a.example.com, service vpcServiceA
	vpcServiceA    = "com.amazonaws.vpce.us-east-1.vpce-svc-0abc123def4567890"
	vpcServiceFree = "com.amazonaws.vpce.us-east-1.vpce-svc-0fedcba987654321a"
)

// TestPlanRefusesWhatTheStoresShow: every update KMS would reject for a
// reason the account's custom key stores show is refused by Plan before it
// sends anything but DescribeCustomKeyStores, and the store stays
// CONNECTED: an input rule as a *kms.ValidationError naming the member and
// the rule, a value in use as an *InUseError matching KMS's exception and
// naming the other store.
func TestPlanRefusesWhatTheStoresShow(t *testing.T) {
	vpc := kms.XksProxyConnectivityTypeVpcEndpointService
	public := kms.XksProxyConnectivityTypePublicEndpoint
	tests := []struct {
		name    string
		id      string
		in      kms.UpdateCustomKeyStoreInput
		member  string // the member a *kms.ValidationError names
		rule    string // in its reason
		inUse   error  // the exception an *InUseError matches
		other   string // the store it names
		members []string
		offline bool // Validate refuses it before anything is sent
	}{
		{name: "to VPC_ENDPOINT_SERVICE without a service name", id: routedStoreID,
			in:     kms.UpdateCustomKeyStoreInput{XksProxyConnectivity: vpc, XksProxyUriEndpoint: aws.String("https://myproxy-private.xks.example.com")},
			member: "XksProxyVpcEndpointServiceName", rule: "you must also specify XksProxyVpcEndpointServiceName"},
		{name: "to VPC_ENDPOINT_SERVICE without a new endpoint", id: routedStoreID,
			in:     kms.UpdateCustomKeyStoreInput{XksProxyConnectivity: vpc, XksProxyVpcEndpointServiceName: aws.String(vpcServiceFree)},
			member: "XksProxyUriEndpoint", rule: "you must also change XksProxyUriEndpoint"},
		{name: "to PUBLIC_ENDPOINT without a new endpoint", id: xksVpcAID,
			in:     kms.UpdateCustomKeyStoreInput{XksProxyConnectivity: public},
			member: "XksProxyUriEndpoint", rule: "To change XksProxyConnectivity to PUBLIC_ENDPOINT, you must also change XksProxyUriEndpoint"},
		{name: "to PUBLIC_ENDPOINT with a service name", id: xksVpcAID,
			in: kms.UpdateCustomKeyStoreInput{XksProxyConnectivity: public, XksProxyUriEndpoint: aws.String("https://new-public.example.com"),
				XksProxyVpcEndpointServiceName: aws.String(vpcServiceFree)},
			member: "XksProxyVpcEndpointServiceName", rule: "when XksProxyConnectivity is PUBLIC_ENDPOINT", offline: true},
		{name: "a service name for a store that stays PUBLIC_ENDPOINT", id: routedStoreID,
			in:     kms.UpdateCustomKeyStoreInput{XksProxyVpcEndpointServiceName: aws.String(vpcServiceFree)},
			member: "XksProxyVpcEndpointServiceName", rule: "valid only with an XksProxyConnectivity of VPC_ENDPOINT_SERVICE"},
		{name: "an owner for a store that stays PUBLIC_ENDPOINT", id: routedStoreID,
			in:     kms.UpdateCustomKeyStoreInput{XksProxyVpcEndpointServiceOwner: aws.String("111122223333")},
			member: "XksProxyVpcEndpointServiceOwner", rule: "valid only with an XksProxyConnectivity of VPC_ENDPOINT_SERVICE"},
		{name: "name in use", id: routedStoreID,
			in:    kms.UpdateCustomKeyStoreInput{NewCustomKeyStoreName: aws.String("xks-one")},
			inUse: kms.ErrCustomKeyStoreNameInUse, other: xksOneID, members: []string{"NewCustomKeyStoreName"}},
		{name: "endpoint and path in use", id: routedStoreID,
			in:    kms.UpdateCustomKeyStoreInput{XksProxyUriEndpoint: aws.String("https://xks1.example.com"), XksProxyUriPath: aws.String("/kms/xks/v1")},
			inUse: kms.ErrXksProxyUriInUse, other: xksOneID, members: []string{"XksProxyUriEndpoint", "XksProxyUriPath"}},
		{name: "a VPC store's endpoint in use", id: routedStoreID,
			in: kms.UpdateCustomKeyStoreInput{XksProxyConnectivity: vpc, XksProxyUriEndpoint: aws.String("https://vpce-a.example.com"),
				XksProxyVpcEndpointServiceName: aws.String(vpcServiceFree)},
			inUse: kms.ErrXksProxyUriEndpointInUse, other: xksVpcAID, members: []string{"XksProxyUriEndpoint"}},
		{name: "VPC endpoint service in use", id: routedStoreID,
			in: kms.UpdateCustomKeyStoreInput{XksProxyConnectivity: vpc, XksProxyUriEndpoint: aws.String("https://private-new.example.com"),
				XksProxyVpcEndpointServiceName: aws.String(vpcServiceA)},
			inUse: kms.ErrXksProxyVpcEndpointServiceInUse, other: xksVpcAID, members: []string{"XksProxyVpcEndpointServiceName"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newRoutedWorld(t)
			require.NoError(t, e.srv.SetConnectionState(xksVpcAID, kmstest.StateConnected))
			e.srv.ResetCalls()
			in := tt.in
			in.CustomKeyStoreId = aws.String(tt.id)
			cred := xksCred(routedAccessKeyID, routedSecret)
			plan, err := e.updater.Plan(context.Background(), &in, safeupdate.PlanOptions{AllowDisconnect: true,
				Preflight: safeupdate.PreflightOptions{HTTPClient: e.hc, Credential: &cred}})
			require.Error(t, err)
			assert.Nil(t, plan)
			if tt.member != "" {
				var ve *kms.ValidationError
				require.ErrorAs(t, err, &ve)
				assert.Equal(t, []string{tt.member}, ve.Fields())
				assert.Contains(t, err.Error(), tt.rule)
			} else {
				require.ErrorIs(t, err, tt.inUse)
				var ie *safeupdate.InUseError
				require.ErrorAs(t, err, &ie)
				assert.Equal(t, tt.other, ie.OtherCustomKeyStoreId)
				assert.Equal(t, tt.members, ie.Members)
				assert.Contains(t, err.Error(), tt.other, "the error names the other store")
			}
			targets := e.targets()
			if tt.offline {
				assert.Empty(t, targets, "refused offline: nothing sent")
			} else {
				require.NotEmpty(t, targets)
			}
			for _, tg := range targets {
				assert.Equal(t, kmstest.TargetDescribeCustomKeyStores, tg, "only DescribeCustomKeyStores was sent")
			}
			assert.Empty(t, e.proxy.Calls(), "the proxy was not asked")
			st, _ := e.srv.Store(tt.id)
			assert.Equal(t, kmstest.StateConnected, st.ConnectionState)
		})
	}
}

// TestPlanReadsEveryStore: Plan lists the account's stores with pages of
// 1,000, and a store that is not listed is not found.
func TestPlanReadsEveryStore(t *testing.T) {
	e := newRoutedWorld(t)
	e.srv.ResetCalls()
	in := &kms.UpdateCustomKeyStoreInput{CustomKeyStoreId: aws.String(routedStoreID), NewCustomKeyStoreName: aws.String("renamed")}
	_, err := e.updater.Plan(context.Background(), in, safeupdate.PlanOptions{})
	require.NoError(t, err)
	calls := e.srv.Calls()
	require.Len(t, calls, 1, "one page for the whole account")
	assert.Equal(t, kmstest.TargetDescribeCustomKeyStores, calls[0].Target)
	assert.EqualValues(t, 1000, calls[0].Input["Limit"])
	assert.NotContains(t, calls[0].Input, "CustomKeyStoreId", "every store, not only this one")

	_, err = e.updater.Plan(context.Background(), &kms.UpdateCustomKeyStoreInput{CustomKeyStoreId: aws.String("cks-00000000000000404"),
		NewCustomKeyStoreName: aws.String("x")}, safeupdate.PlanOptions{})
	require.ErrorIs(t, err, kms.ErrCustomKeyStoreNotFound)
	assert.Contains(t, err.Error(), "cks-00000000000000404")
}

// TestPlanReadsEveryPage: an account with more custom key stores than one
// page holds is read page by page; a name used by a store of the second
// page is refused as in use, naming that store.
func TestPlanReadsEveryPage(t *testing.T) {
	e := newRoutedWorld(t)
	var extra kmstest.Seed
	for i := range 1005 {
		extra.Stores = append(extra.Stores, kmstest.Store{
			CustomKeyStoreId: fmt.Sprintf("cks-%017d", i+1), CustomKeyStoreName: fmt.Sprintf("paged-%04d", i),
			CustomKeyStoreType: kmstest.TypeCloudHSM, CloudHsmClusterId: routedClusterID,
		})
	}
	require.NoError(t, e.srv.Load(extra))
	page1, err := e.client.DescribeCustomKeyStores(context.Background(), &kms.DescribeCustomKeyStoresInput{Limit: aws.Int32(1000)})
	require.NoError(t, err)
	require.NotNil(t, page1.NextMarker, "more than one page")
	page2, err := e.client.DescribeCustomKeyStores(context.Background(), &kms.DescribeCustomKeyStoresInput{Limit: aws.Int32(1000), Marker: page1.NextMarker})
	require.NoError(t, err)
	require.NotEmpty(t, page2.CustomKeyStores)
	last := page2.CustomKeyStores[len(page2.CustomKeyStores)-1]
	require.NotEqual(t, routedStoreID, aws.ToString(last.CustomKeyStoreId))

	e.srv.ResetCalls()
	in := &kms.UpdateCustomKeyStoreInput{CustomKeyStoreId: aws.String(routedStoreID), NewCustomKeyStoreName: last.CustomKeyStoreName}
	_, err = e.updater.Plan(context.Background(), in, safeupdate.PlanOptions{})
	require.ErrorIs(t, err, kms.ErrCustomKeyStoreNameInUse)
	var ie *safeupdate.InUseError
	require.ErrorAs(t, err, &ie)
	assert.Equal(t, aws.ToString(last.CustomKeyStoreId), ie.OtherCustomKeyStoreId)
	calls := e.srv.Calls()
	require.Len(t, calls, 2, "two pages, nothing else")
	for _, c := range calls {
		assert.Equal(t, kmstest.TargetDescribeCustomKeyStores, c.Target)
		assert.EqualValues(t, 1000, c.Input["Limit"])
	}
	assert.NotContains(t, calls[0].Input, "Marker")
	assert.Equal(t, aws.ToString(page1.NextMarker), calls[1].Input["Marker"])
}
