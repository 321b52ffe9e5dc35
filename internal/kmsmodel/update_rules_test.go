package kmsmodel

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCheckUpdate(t *testing.T) {
	const svcA, svcB = "com.amazonaws.vpce.us-east-1.vpce-svc-0a", "com.amazonaws.vpce.us-east-1.vpce-svc-0b"
	public := StoreSnapshot{ID: "cks-public", Name: "public", Type: CustomKeyStoreTypeExternalKeyStore, State: ConnectionStateConnected,
		Proxy: ProxyConfiguration{Connectivity: XksProxyConnectivityPublicEndpoint, UriEndpoint: "https://xks.example.com", UriPath: "/kms/xks/v1"}}
	vpc := StoreSnapshot{ID: "cks-vpc", Name: "vpc", Type: CustomKeyStoreTypeExternalKeyStore, State: ConnectionStateDisconnected,
		Proxy: ProxyConfiguration{Connectivity: XksProxyConnectivityVpcEndpointService, UriEndpoint: "https://vpc.example.com",
			UriPath: "/kms/xks/v1", VpcEndpointServiceName: svcA}}
	hsm := StoreSnapshot{ID: "cks-hsm", Name: "hsm", Type: CustomKeyStoreTypeAwsCloudhsm, State: ConnectionStateDisconnected, ClusterID: "cluster-1"}
	all := []StoreSnapshot{public, vpc, hsm}
	disc := func(s StoreSnapshot) StoreSnapshot { s.State = ConnectionStateDisconnected; return s }
	s := func(v string) *string { return &v }

	tests := []struct {
		name    string
		store   StoreSnapshot
		in      UpdateMembers
		code    string
		rule    string
		members []string
		other   string
		checked []string
		proxy   *ProxyConfiguration
	}{
		{name: "member of the other type", store: hsm, in: UpdateMembers{"XksProxyUriPath": s("/p"), "NewCustomKeyStoreName": s("x")},
			code: CodeValidation, rule: RuleStoreType, members: []string{"XksProxyUriPath"}, checked: []string{RuleStoreType}},
		{name: "password to an external store", store: public, in: UpdateMembers{"KeyStorePassword": s("secret")},
			code: CodeValidation, rule: RuleStoreType, members: []string{"KeyStorePassword"}},
		{name: "needs DISCONNECTED", store: public, in: UpdateMembers{"XksProxyUriEndpoint": s("https://new.example.com"), "XksProxyUriPath": s("/p")},
			code: CodeCustomKeyStoreInvalidState, rule: RuleConnectionState, members: []string{"XksProxyUriEndpoint"}},
		{name: "FAILED allows nothing", store: func() StoreSnapshot { h := hsm; h.State = ConnectionStateFailed; return h }(),
			in: UpdateMembers{"NewCustomKeyStoreName": s("n")}, code: CodeCustomKeyStoreInvalidState, rule: RuleConnectionState,
			members: []string{"NewCustomKeyStoreName"}},
		{name: "name in use", store: hsm, in: UpdateMembers{"NewCustomKeyStoreName": s("vpc")},
			code: CodeCustomKeyStoreNameInUse, rule: RuleNameUnused, members: []string{"NewCustomKeyStoreName"}, other: "cks-vpc",
			checked: []string{RuleStoreType, RuleConnectionState, RuleNameUnused}},
		{name: "own name is no conflict", store: hsm, in: UpdateMembers{"NewCustomKeyStoreName": s("hsm")},
			checked: []string{RuleStoreType, RuleConnectionState, RuleNameUnused}},
		{name: "to VPC without a new endpoint", store: disc(public),
			in:   UpdateMembers{"XksProxyConnectivity": s("VPC_ENDPOINT_SERVICE"), "XksProxyVpcEndpointServiceName": s(svcB)},
			code: CodeXksProxyInvalidConfiguration, rule: RuleConnectivity, members: []string{"XksProxyUriEndpoint"}},
		{name: "to VPC without a service", store: disc(public),
			in:   UpdateMembers{"XksProxyConnectivity": s("VPC_ENDPOINT_SERVICE"), "XksProxyUriEndpoint": s("https://private.example.com")},
			code: CodeXksProxyInvalidConfiguration, rule: RuleConnectivity, members: []string{"XksProxyVpcEndpointServiceName"}},
		{name: "to PUBLIC without a new endpoint", store: vpc, in: UpdateMembers{"XksProxyConnectivity": s("PUBLIC_ENDPOINT")},
			code: CodeXksProxyInvalidConfiguration, rule: RuleConnectivity, members: []string{"XksProxyUriEndpoint"}},
		{name: "to PUBLIC with a service", store: vpc,
			in: UpdateMembers{"XksProxyConnectivity": s("PUBLIC_ENDPOINT"), "XksProxyUriEndpoint": s("https://p.example.com"),
				"XksProxyVpcEndpointServiceName": s(svcB)},
			code: CodeXksProxyInvalidConfiguration, rule: RuleConnectivity, members: []string{"XksProxyVpcEndpointServiceName"}},
		{name: "service for a store that stays PUBLIC", store: disc(public), in: UpdateMembers{"XksProxyVpcEndpointServiceName": s(svcB)},
			code: CodeXksProxyInvalidConfiguration, rule: RuleConnectivity, members: []string{"XksProxyVpcEndpointServiceName"}},
		{name: "owner for a store that stays PUBLIC", store: disc(public), in: UpdateMembers{"XksProxyVpcEndpointServiceOwner": s("111122223333")},
			code: CodeXksProxyInvalidConfiguration, rule: RuleConnectivity, members: []string{"XksProxyVpcEndpointServiceOwner"}},
		{name: "to PUBLIC clears the service", store: vpc,
			in:      UpdateMembers{"XksProxyConnectivity": s("PUBLIC_ENDPOINT"), "XksProxyUriEndpoint": s("https://p.example.com"), "XksProxyVpcEndpointServiceName": s("")},
			checked: []string{RuleStoreType, RuleConnectionState, RuleConnectivity, RuleUriUnused},
			proxy:   &ProxyConfiguration{Connectivity: XksProxyConnectivityPublicEndpoint, UriEndpoint: "https://p.example.com", UriPath: "/kms/xks/v1"}},
		{name: "URI in use", store: vpc, in: UpdateMembers{"XksProxyUriEndpoint": s("https://xks.example.com")},
			code: CodeXksProxyUriInUse, rule: RuleUriUnused, members: []string{"XksProxyUriEndpoint", "XksProxyUriPath"}, other: "cks-public"},
		{name: "another path is no URI conflict for a public store", store: StoreSnapshot{ID: "cks-p2", Type: CustomKeyStoreTypeExternalKeyStore,
			State: ConnectionStateConnected, Proxy: ProxyConfiguration{Connectivity: XksProxyConnectivityPublicEndpoint, UriEndpoint: "https://xks.example.com", UriPath: "/a"}},
			in:      UpdateMembers{"XksProxyUriPath": s("/b")},
			checked: []string{RuleStoreType, RuleConnectionState, RuleUriUnused}},
		{name: "VPC endpoint in use", store: vpc, in: UpdateMembers{"XksProxyUriEndpoint": s("https://xks.example.com"), "XksProxyUriPath": s("/other")},
			code: CodeXksProxyUriEndpointInUse, rule: RuleUriEndpointUnused, members: []string{"XksProxyUriEndpoint"}, other: "cks-public"},
		{name: "VPC service in use", store: disc(public),
			in: UpdateMembers{"XksProxyConnectivity": s("VPC_ENDPOINT_SERVICE"), "XksProxyUriEndpoint": s("https://private.example.com"),
				"XksProxyVpcEndpointServiceName": s(svcA)},
			code: CodeXksProxyVpcEndpointServiceInUse, rule: RuleVpcServiceUnused, members: []string{"XksProxyVpcEndpointServiceName"}, other: "cks-vpc",
			checked: []string{RuleStoreType, RuleConnectionState, RuleConnectivity, RuleUriUnused, RuleUriEndpointUnused, RuleVpcServiceUnused}},
		{name: "credential and name while CONNECTED", store: public,
			in:      UpdateMembers{"XksProxyAuthenticationCredential": s(""), "XksProxyAuthenticationCredential.AccessKeyId": s("x"), "NewCustomKeyStoreName": s("new")},
			checked: []string{RuleStoreType, RuleConnectionState, RuleNameUnused}, proxy: &public.Proxy},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := CheckUpdate(tt.store, all, tt.in)
			if tt.checked != nil {
				assert.Equal(t, tt.checked, res.Checked)
			}
			if tt.proxy != nil {
				assert.Equal(t, *tt.proxy, res.Proxy)
			}
			if tt.code == "" {
				require.Nil(t, res.Refusal)
				return
			}
			require.NotNil(t, res.Refusal)
			r := res.Refusal
			assert.Equal(t, tt.code, r.Code)
			assert.Equal(t, tt.rule, r.Rule)
			assert.Equal(t, tt.members, r.Members)
			assert.Equal(t, tt.other, r.OtherStoreID)
			assert.Equal(t, tt.rule, res.Checked[len(res.Checked)-1], "the last rule checked refused")
			if tt.other == "" {
				for _, m := range tt.members {
					assert.Contains(t, r.Message(), m, "the message names the member")
				}
			}
			if tt.other != "" && tt.code == CodeXksProxyVpcEndpointServiceInUse {
				assert.Contains(t, r.Message(), tt.other)
			}
			assert.Equal(t, r.Code+": "+r.Message(), r.Error())
		})
	}
}

func TestUpdateRulesInOrder(t *testing.T) {
	assert.Equal(t, []string{RuleStoreType, RuleConnectionState, RuleNameUnused, RuleConnectivity,
		RuleUriUnused, RuleUriEndpointUnused, RuleVpcServiceUnused}, UpdateRules)
	for _, r := range UpdateRules {
		assert.NotEmpty(t, r)
	}
}

// TestRefusalEchoed: the fake bounds the request values a message repeats;
// the rules' own text is never passed through the bound.
func TestRefusalEchoed(t *testing.T) {
	long := "name-" + strings.Repeat("x", 300)
	r := NameInUse("cks-a", long, []StoreSnapshot{{ID: "cks-b", Name: long}})
	require.NotNil(t, r)
	assert.Contains(t, r.Message(), long)
	short := r.Echoed(func(v string) string { return v[:10] + "..." })
	assert.Equal(t, `The custom key store name "name-xxxxx..." is already used by another custom key store in this account and Region.`, short)
	r = VpcServiceInUse("cks-a", "svc-%d", []StoreSnapshot{{ID: "cks-%s", Type: CustomKeyStoreTypeExternalKeyStore, Proxy: ProxyConfiguration{VpcEndpointServiceName: "svc-%d"}}})
	assert.Equal(t, "VPC endpoint service svc-%d is already used by custom key store cks-%s.", r.Message(), "percent signs are literal")
}

// TestPrivateDNSNameInUse: a PUBLIC_ENDPOINT endpoint that is another VPC
// store's private DNS name is refused, naming that store; a public store's
// endpoint, the store itself and a CloudHSM store are no collision.
func TestPrivateDNSNameInUse(t *testing.T) {
	vpc := StoreSnapshot{ID: "cks-vpc", Type: CustomKeyStoreTypeExternalKeyStore, Proxy: ProxyConfiguration{
		Connectivity: XksProxyConnectivityVpcEndpointService, UriEndpoint: "https://xks.example.com"}}
	public := vpc
	public.ID, public.Proxy.Connectivity = "cks-public", XksProxyConnectivityPublicEndpoint
	x := ProxyConfiguration{Connectivity: XksProxyConnectivityPublicEndpoint, UriEndpoint: "https://xks.example.com"}

	r := PrivateDNSNameInUse("", x, []StoreSnapshot{public, vpc})
	require.NotNil(t, r)
	assert.Equal(t, CodeXksProxyUriEndpointInUse, r.Code)
	assert.Contains(t, r.Message(), "private DNS name of external key store cks-vpc")
	assert.Nil(t, PrivateDNSNameInUse("", x, []StoreSnapshot{public}))
	assert.Nil(t, PrivateDNSNameInUse("cks-vpc", x, []StoreSnapshot{vpc}))
	x.UriEndpoint = "https://other.example.com"
	assert.Nil(t, PrivateDNSNameInUse("", x, []StoreSnapshot{vpc}))
}
