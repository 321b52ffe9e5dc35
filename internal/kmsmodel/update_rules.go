package kmsmodel

import (
	"fmt"
	"strings"
)

// The store-aware rules of UpdateCustomKeyStore: what KMS refuses for a
// reason that the store's own entry and the account's other entries of
// DescribeCustomKeyStores show. They are code over a snapshot, read by the
// fake (which then checks what only its world knows: clusters, VPC endpoint
// services, proxies) and by the planner (which predicts the fake's and
// KMS's answer before it sends anything), so that the two cannot drift.

// StoreSnapshot is a custom key store as DescribeCustomKeyStores shows it,
// without its credential: all the store-aware rules read.
type StoreSnapshot struct {
	ID        string // CustomKeyStoreId
	Name      string // CustomKeyStoreName
	Type      string // CustomKeyStoreType
	State     string // ConnectionState
	ClusterID string // CloudHsmClusterId (AWS_CLOUDHSM)
	// Proxy is the XksProxyConfiguration (EXTERNAL_KEY_STORE) without the
	// AccessKeyId.
	Proxy ProxyConfiguration
}

// ProxyConfiguration is an external key store's XksProxyConfiguration
// without its credential.
type ProxyConfiguration struct {
	Connectivity            string
	UriEndpoint             string
	UriPath                 string
	VpcEndpointServiceName  string
	VpcEndpointServiceOwner string
}

// UpdateMembers is what one UpdateCustomKeyStore request sends: each member
// by wire name, nested members dotted
// ("XksProxyAuthenticationCredential.AccessKeyId"); a member that is not
// sent is absent or nil, a structure that is sent has a non-nil value. The
// rules never read a secret member's value: a caller may give any non-nil
// pointer for one.
type UpdateMembers map[string]*string

// Sends reports whether the request has the member called name.
func (u UpdateMembers) Sends(name string) bool { return u[name] != nil }

// value returns the member's value and whether it is sent.
func (u UpdateMembers) value(name string) (string, bool) {
	if v := u[name]; v != nil {
		return *v, true
	}
	return "", false
}

// sent returns the names of the UpdateCustomKeyStore members in u that
// satisfy keep, in member order.
func (u UpdateMembers) sent(keep func(*Member) bool) []string {
	var out []string
	for i := range UpdateCustomKeyStoreInput.Members {
		if m := &UpdateCustomKeyStoreInput.Members[i]; keep(m) && u.Sends(m.Name) {
			out = append(out, m.Name)
		}
	}
	return out
}

// Refusal is the answer KMS gives an update that a store-aware rule
// refuses.
type Refusal struct {
	// Rule is the rule that refused, one of the Rule constants.
	Rule string
	// Code is the error code, e.g. CodeXksProxyUriInUse or CodeValidation.
	Code string
	// Members are the request's members the refusal is about, in member
	// order.
	Members []string
	// OtherStoreID is the other custom key store that already uses the
	// value, for the in-use refusals.
	OtherStoreID string

	// format and values make the message: values are the request's values
	// it repeats, each a %s or %q of format.
	format string
	values []string
}

// refusal returns the refusal with the message format, whose %s and %q
// verbs repeat the request's values. Anything else in format is literal.
func refusal(code string, members []string, other, format string, values ...string) *Refusal {
	return &Refusal{Code: code, Members: members, OtherStoreID: other, format: format, values: values}
}

// literal escapes s for a refusal's format.
func literal(s string) string { return strings.ReplaceAll(s, "%", "%%") }

// Message is KMS's message, with the request's values whole.
func (r *Refusal) Message() string { return r.Echoed(func(v string) string { return v }) }

// Echoed is the message with each request value it repeats passed through
// echo, as the fake bounds what its messages repeat.
func (r *Refusal) Echoed(echo func(string) string) string {
	args := make([]any, len(r.values))
	for i, v := range r.values {
		args[i] = echo(v)
	}
	return fmt.Sprintf(r.format, args...)
}

// Error is "Code: Message".
func (r *Refusal) Error() string { return r.Code + ": " + r.Message() }

// The store-aware rules, in the order KMS checks them. Each name says what
// passes.
const (
	RuleStoreType         = "every member applies to the store's CustomKeyStoreType"
	RuleConnectionState   = "the store's ConnectionState allows changing every member"
	RuleNameUnused        = "NewCustomKeyStoreName is not used by another custom key store"
	RuleConnectivity      = "the XksProxyConnectivity the update leaves has the members it needs"
	RuleUriUnused         = "XksProxyUriEndpoint with XksProxyUriPath is not used by another external key store"
	RuleUriEndpointUnused = "XksProxyUriEndpoint (a private DNS name) is not used by another external key store"
	RuleVpcServiceUnused  = "XksProxyVpcEndpointServiceName is not used by another external key store"
)

// UpdateRules are the store-aware rules in the order CheckUpdate checks
// them.
var UpdateRules = []string{RuleStoreType, RuleConnectionState, RuleNameUnused, RuleConnectivity,
	RuleUriUnused, RuleUriEndpointUnused, RuleVpcServiceUnused}

// UpdateResult is what the store-aware rules say of one update.
type UpdateResult struct {
	// Checked names the rules that apply to the update, in the order they
	// were checked; when Refusal is not nil the last one refused.
	Checked []string
	// Refusal is the first refusal, nil when every rule passed.
	Refusal *Refusal
	// Proxy is the proxy configuration the update leaves an external key
	// store with (valid when Refusal is nil).
	Proxy ProxyConfiguration
}

// CheckUpdate applies the store-aware rules to an update of store, with
// others the account's other custom key stores (an entry with store's ID is
// skipped), in the order KMS checks them, and stops at the first refusal:
//
//   - a member of the other store type: ValidationException;
//   - a member that store.State does not allow changing:
//     CustomKeyStoreInvalidStateException;
//   - NewCustomKeyStoreName used by another store:
//     CustomKeyStoreNameInUseException;
//   - a connectivity switch without the members it needs, or a VPC endpoint
//     service for a store that stays PUBLIC_ENDPOINT:
//     XksProxyInvalidConfigurationException;
//   - the endpoint and path used by another external store:
//     XksProxyUriInUseException; for a VPC_ENDPOINT_SERVICE store, the
//     endpoint: XksProxyUriEndpointInUseException;
//   - the VPC endpoint service used by another store:
//     XksProxyVpcEndpointServiceInUseException.
//
// What these entries cannot show (the cluster, the VPC endpoint service,
// the proxy) is for the caller to check afterwards.
func CheckUpdate(store StoreSnapshot, others []StoreSnapshot, in UpdateMembers) UpdateResult {
	res := UpdateResult{Checked: make([]string, 0, len(UpdateRules)), Proxy: store.Proxy}
	check := func(rule string, r *Refusal) bool {
		res.Checked = append(res.Checked, rule)
		if r != nil {
			r.Rule = rule
			res.Refusal = r
		}
		return r == nil
	}
	if !check(RuleStoreType, checkStoreType(store, in)) || !check(RuleConnectionState, checkState(store, in)) {
		return res
	}
	if name, ok := in.value("NewCustomKeyStoreName"); ok && !check(RuleNameUnused, NameInUse(store.ID, name, others)) {
		return res
	}
	if StoreTypeOf(store.Type) != External {
		return res
	}
	if in.Sends("XksProxyConnectivity") || in.Sends("XksProxyUriEndpoint") ||
		in.Sends("XksProxyVpcEndpointServiceName") || in.Sends("XksProxyVpcEndpointServiceOwner") {
		next, r := nextProxy(store.Proxy, in)
		if !check(RuleConnectivity, r) {
			return res
		}
		res.Proxy = next
	} else {
		res.Proxy, _ = nextProxy(store.Proxy, in)
	}
	x := res.Proxy
	if in.Sends("XksProxyUriEndpoint") || in.Sends("XksProxyUriPath") || in.Sends("XksProxyConnectivity") {
		if !check(RuleUriUnused, UriInUse(store.ID, x, others)) {
			return res
		}
		if x.Connectivity == XksProxyConnectivityVpcEndpointService && !check(RuleUriEndpointUnused, UriEndpointInUse(store.ID, x, others)) {
			return res
		}
	}
	if x.Connectivity == XksProxyConnectivityVpcEndpointService && (in.Sends("XksProxyVpcEndpointServiceName") ||
		in.Sends("XksProxyVpcEndpointServiceOwner") || in.Sends("XksProxyConnectivity")) {
		check(RuleVpcServiceUnused, VpcServiceInUse(store.ID, x.VpcEndpointServiceName, others))
	}
	return res
}

// checkStoreType refuses a member that does not apply to the store's type.
func checkStoreType(store StoreSnapshot, in UpdateMembers) *Refusal {
	t := StoreTypeOf(store.Type)
	names := in.sent(func(m *Member) bool { return !m.Stores.Has(t) })
	if len(names) == 0 {
		return nil
	}
	return refusal(CodeValidation, names, "", literal(strings.Join(names, ", ")+" cannot be used with a custom key store whose CustomKeyStoreType is "+store.Type+"."))
}

// checkState refuses a member that store.State does not allow changing
// (most need DISCONNECTED, a few CONNECTED or DISCONNECTED).
func checkState(store StoreSnapshot, in UpdateMembers) *Refusal {
	for _, rule := range []ChangeRule{ChangeWhileDisconnected, ChangeWhileConnectedOrDisconnected} {
		if rule.Allows(store.State) {
			continue
		}
		if need := in.sent(func(m *Member) bool { return m.Change == rule }); len(need) > 0 {
			return refusal(CodeCustomKeyStoreInvalidState, need, "", literal(fmt.Sprintf(
				"Custom key store %s is %s; %s can be changed only when it is %s.",
				store.ID, store.State, strings.Join(need, ", "), strings.Join(rule.States(), " or "))))
		}
	}
	return nil
}

// NameInUse refuses name when a custom key store other than the one with
// ID id has it (CustomKeyStoreNameInUseException). id is "" for a new
// store.
func NameInUse(id, name string, others []StoreSnapshot) *Refusal {
	for _, o := range others {
		if o.ID != id && o.Name == name {
			return refusal(CodeCustomKeyStoreNameInUse, []string{"NewCustomKeyStoreName"}, o.ID,
				"The custom key store name %q is already used by another custom key store in this account and Region.", name)
		}
	}
	return nil
}

// UriInUse refuses x's endpoint and path when another external key store
// than the one with ID id uses both (XksProxyUriInUseException).
func UriInUse(id string, x ProxyConfiguration, others []StoreSnapshot) *Refusal {
	for _, o := range others {
		if o.ID != id && StoreTypeOf(o.Type) == External && o.Proxy.UriEndpoint == x.UriEndpoint && o.Proxy.UriPath == x.UriPath {
			return refusal(CodeXksProxyUriInUse, []string{"XksProxyUriEndpoint", "XksProxyUriPath"}, o.ID,
				"The combination of XksProxyUriEndpoint %s and XksProxyUriPath %s is already used by another external key store in this account and Region.",
				x.UriEndpoint, x.UriPath)
		}
	}
	return nil
}

// UriEndpointInUse refuses the endpoint of x, a VPC_ENDPOINT_SERVICE
// configuration, when another external key store than the one with ID id
// uses it (XksProxyUriEndpointInUseException): each VPC store needs its own
// private DNS name.
func UriEndpointInUse(id string, x ProxyConfiguration, others []StoreSnapshot) *Refusal {
	for _, o := range others {
		if o.ID != id && StoreTypeOf(o.Type) == External && o.Proxy.UriEndpoint == x.UriEndpoint {
			return refusal(CodeXksProxyUriEndpointInUse, []string{"XksProxyUriEndpoint"}, o.ID,
				"XksProxyUriEndpoint %s is already used by another external key store. Each external key store with VPC_ENDPOINT_SERVICE connectivity must use a different private DNS name.",
				x.UriEndpoint)
		}
	}
	return nil
}

// PrivateDNSNameInUse refuses the endpoint of x, a PUBLIC_ENDPOINT
// configuration, when it is the private DNS name of another external key
// store (not the one with ID id) that uses VPC_ENDPOINT_SERVICE
// connectivity (XksProxyUriEndpointInUseException). kmstest's
// CreateCustomKeyStore reads it.
func PrivateDNSNameInUse(id string, x ProxyConfiguration, others []StoreSnapshot) *Refusal {
	for _, o := range others {
		if o.ID != id && StoreTypeOf(o.Type) == External && o.Proxy.Connectivity == XksProxyConnectivityVpcEndpointService && o.Proxy.UriEndpoint == x.UriEndpoint {
			return refusal(CodeXksProxyUriEndpointInUse, []string{"XksProxyUriEndpoint"}, o.ID,
				"XksProxyUriEndpoint %s is the private DNS name of external key store "+literal(o.ID)+", which uses VPC_ENDPOINT_SERVICE connectivity.",
				x.UriEndpoint)
		}
	}
	return nil
}

// VpcServiceInUse refuses the VPC endpoint service when an external key
// store other than the one with ID id uses it
// (XksProxyVpcEndpointServiceInUseException).
func VpcServiceInUse(id, service string, others []StoreSnapshot) *Refusal {
	for _, o := range others {
		if o.ID != id && StoreTypeOf(o.Type) == External && o.Proxy.VpcEndpointServiceName == service {
			return refusal(CodeXksProxyVpcEndpointServiceInUse, []string{"XksProxyVpcEndpointServiceName"}, o.ID,
				"VPC endpoint service %s is already used by custom key store "+literal(o.ID)+".", service)
		}
	}
	return nil
}

// nextProxy returns old with the members of in applied, or the
// XksProxyInvalidConfigurationException refusal when the result cannot
// work.
func nextProxy(old ProxyConfiguration, in UpdateMembers) (ProxyConfiguration, *Refusal) {
	x := old
	endpoint, endpointSent := in.value("XksProxyUriEndpoint")
	svc, svcSent := in.value("XksProxyVpcEndpointServiceName")
	owner, ownerSent := in.value("XksProxyVpcEndpointServiceOwner")
	if endpointSent {
		x.UriEndpoint = endpoint
	}
	if v, ok := in.value("XksProxyUriPath"); ok {
		x.UriPath = v
	}
	if svcSent {
		x.VpcEndpointServiceName = svc
	}
	if ownerSent {
		x.VpcEndpointServiceOwner = owner
	}
	if v, ok := in.value("XksProxyConnectivity"); ok {
		x.Connectivity = v
	}
	invalid := func(msg string, members ...string) (ProxyConfiguration, *Refusal) {
		return old, refusal(CodeXksProxyInvalidConfiguration, members, "", literal(msg))
	}
	newEndpoint := endpointSent && endpoint != old.UriEndpoint
	switching := x.Connectivity != old.Connectivity

	switch {
	case switching && x.Connectivity == XksProxyConnectivityVpcEndpointService:
		if !newEndpoint {
			return invalid("To change XksProxyConnectivity to VPC_ENDPOINT_SERVICE, you must also change XksProxyUriEndpoint to https:// followed by the private DNS name of the VPC endpoint service.",
				"XksProxyUriEndpoint")
		}
		if svc == "" {
			return invalid("To change XksProxyConnectivity to VPC_ENDPOINT_SERVICE, you must also specify XksProxyVpcEndpointServiceName.",
				"XksProxyVpcEndpointServiceName")
		}
	case switching && x.Connectivity == XksProxyConnectivityPublicEndpoint:
		if !newEndpoint {
			return invalid("To change XksProxyConnectivity to PUBLIC_ENDPOINT, you must also change XksProxyUriEndpoint.", "XksProxyUriEndpoint")
		}
		if svc != "" {
			return invalid("To change XksProxyConnectivity to PUBLIC_ENDPOINT, XksProxyVpcEndpointServiceName must be null or empty.",
				"XksProxyVpcEndpointServiceName")
		}
		if ownerSent {
			return invalid("XksProxyVpcEndpointServiceOwner is valid only with an XksProxyConnectivity of VPC_ENDPOINT_SERVICE.",
				"XksProxyVpcEndpointServiceOwner")
		}
		// A public store has no VPC endpoint service.
		x.VpcEndpointServiceName, x.VpcEndpointServiceOwner = "", ""
	case x.Connectivity == XksProxyConnectivityPublicEndpoint:
		if svc != "" {
			return invalid("XksProxyVpcEndpointServiceName is valid only with an XksProxyConnectivity of VPC_ENDPOINT_SERVICE.",
				"XksProxyVpcEndpointServiceName")
		}
		if ownerSent {
			return invalid("XksProxyVpcEndpointServiceOwner is valid only with an XksProxyConnectivity of VPC_ENDPOINT_SERVICE.",
				"XksProxyVpcEndpointServiceOwner")
		}
	}
	return x, nil
}
