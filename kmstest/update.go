package kmstest

import (
	"fmt"
	"strings"

	"github.com/kmskit/kms/internal/kmsmodel"
)

// update applies in to its store, all or nothing. in has passed the model
// checks. The whole check-and-apply runs under f.mu, so concurrent updates
// are serialized and never see or leave a half-applied update.
func (f *Fake) update(in updateInput) *apiError {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.settleLocked()

	st, ok := f.stores[*in.CustomKeyStoreId]
	if !ok {
		return newError(CodeCustomKeyStoreNotFound,
			fmt.Sprintf("Custom key store %s does not exist in this account and Region.", echo(*in.CustomKeyStoreId)))
	}
	next := *st
	var err *apiError
	if st.CustomKeyStoreType == TypeCloudHSM {
		err = f.updateCloudHSM(&next, in)
	} else {
		err = f.updateExternal(&next, in)
	}
	if err != nil {
		return err
	}
	*st = next
	return nil
}

// checkState returns CustomKeyStoreInvalidStateException when st's state
// does not allow changing every member in sends (the model's change
// rules: most members need DISCONNECTED, a few CONNECTED or DISCONNECTED).
func checkState(st *Store, in updateInput) *apiError {
	cs := string(st.ConnectionState)
	for _, rule := range []kmsmodel.ChangeRule{kmsmodel.ChangeWhileDisconnected, kmsmodel.ChangeWhileConnectedOrDisconnected} {
		if rule.Allows(cs) {
			continue
		}
		if need := sentMembers(in, func(m *kmsmodel.Member) bool { return m.Change == rule }); len(need) > 0 {
			return newError(CodeCustomKeyStoreInvalidState, fmt.Sprintf(
				"Custom key store %s is %s; %s can be changed only when it is %s.",
				st.CustomKeyStoreId, cs, strings.Join(need, ", "), strings.Join(rule.States(), " or ")))
		}
	}
	return nil
}

// sentMembers returns the names of the UpdateCustomKeyStore members in
// sends that satisfy keep, in member order.
func sentMembers(in updateInput, keep func(*kmsmodel.Member) bool) []string {
	var out []string
	for i := range kmsmodel.UpdateCustomKeyStoreInput.Members {
		if m := &kmsmodel.UpdateCustomKeyStoreInput.Members[i]; keep(m) && in.sends(m.Name) {
			out = append(out, m.Name)
		}
	}
	return out
}

// rejectMembers returns a ValidationException when the request has a
// member that does not apply to a store of type t.
func rejectMembers(t StoreType, in updateInput) *apiError {
	names := sentMembers(in, func(m *kmsmodel.Member) bool { return !m.Stores.Has(kmsmodel.StoreTypeOf(string(t))) })
	if len(names) == 0 {
		return nil
	}
	return newError(CodeValidation, fmt.Sprintf(
		"%s cannot be used with a custom key store whose CustomKeyStoreType is %s.", strings.Join(names, ", "), t))
}

// checkName returns CustomKeyStoreNameInUseException when another store
// already has the name.
func (f *Fake) checkName(st *Store, name *string) *apiError {
	if name == nil {
		return nil
	}
	if other := storeNamed(f.stores, *name); other != nil && other.CustomKeyStoreId != st.CustomKeyStoreId {
		return newError(CodeCustomKeyStoreNameInUse, fmt.Sprintf(
			"The custom key store name %q is already used by another custom key store in this account and Region.", echo(*name)))
	}
	return nil
}

// updateCloudHSM applies in to st, a copy of an AWS_CLOUDHSM store.
func (f *Fake) updateCloudHSM(st *Store, in updateInput) *apiError {
	if err := rejectMembers(TypeCloudHSM, in); err != nil {
		return err
	}
	if err := checkState(st, in); err != nil {
		return err
	}
	if err := f.checkName(st, in.NewCustomKeyStoreName); err != nil {
		return err
	}
	if in.CloudHsmClusterId != nil {
		if err := f.checkCluster(st, *in.CloudHsmClusterId); err != nil {
			return err
		}
		st.CloudHsmClusterId = *in.CloudHsmClusterId
	}
	if in.NewCustomKeyStoreName != nil {
		st.CustomKeyStoreName = *in.NewCustomKeyStoreName
	}
	if in.KeyStorePassword != nil {
		st.KeyStorePassword = *in.KeyStorePassword
	}
	return nil
}

// checkCluster checks that cluster id can replace st's cluster: it exists,
// shares st's cluster's backup lineage, is active and is configured right.
func (f *Fake) checkCluster(st *Store, id string) *apiError {
	c, ok := f.clusters[id]
	if !ok {
		return newError(CodeCloudHsmClusterNotFound, fmt.Sprintf("CloudHSM cluster %s does not exist.", echo(id)))
	}
	cur, ok := f.clusters[st.CloudHsmClusterId]
	if !ok {
		cur = Cluster{ClusterId: st.CloudHsmClusterId}
	}
	if c.lineage() != cur.lineage() {
		return newError(CodeCloudHsmClusterNotRelated, fmt.Sprintf(
			"CloudHSM cluster %s does not share a backup history with cluster %s of custom key store %s.",
			echo(id), st.CloudHsmClusterId, st.CustomKeyStoreId))
	}
	if !c.active() {
		return newError(CodeCloudHsmClusterNotActive, fmt.Sprintf("CloudHSM cluster %s is %s, not ACTIVE.", echo(id), c.State))
	}
	if c.InvalidConfiguration || c.hsms() < kmsmodel.MinHsmsToCreate {
		return newError(CodeCloudHsmClusterInvalidConfiguration, fmt.Sprintf(
			"CloudHSM cluster %s does not fulfill the requirements for a custom key store (it has %d active HSMs; at least %d are needed).",
			echo(id), c.hsms(), kmsmodel.MinHsmsToCreate))
	}
	return nil
}

// updateExternal applies in to st, a copy of an EXTERNAL_KEY_STORE store.
func (f *Fake) updateExternal(st *Store, in updateInput) *apiError {
	if err := rejectMembers(TypeExternal, in); err != nil {
		return err
	}
	if err := checkState(st, in); err != nil {
		return err
	}
	if err := f.checkName(st, in.NewCustomKeyStoreName); err != nil {
		return err
	}

	old := st.XksProxyConfiguration
	x, err := nextProxyConfiguration(old, in)
	if err != nil {
		return err
	}
	if in.XksProxyUriEndpoint != nil || in.XksProxyUriPath != nil || in.XksProxyConnectivity != nil {
		if err := f.checkURIUnique(st.CustomKeyStoreId, x); err != nil {
			return err
		}
	}
	if x.Connectivity == ConnectivityVpcEndpointService && (in.XksProxyVpcEndpointServiceName != nil ||
		in.XksProxyVpcEndpointServiceOwner != nil || in.XksProxyConnectivity != nil) {
		if err := f.checkVpcService(st.CustomKeyStoreId, x); err != nil {
			return err
		}
	}
	if st.ConnectionState == StateConnected && (in.XksProxyAuthenticationCredential != nil || in.XksProxyUriPath != nil) {
		if err := f.tryProxy(x, kmsOpUpdate); err != nil {
			return err
		}
	}

	st.XksProxyConfiguration = x
	if in.NewCustomKeyStoreName != nil {
		st.CustomKeyStoreName = *in.NewCustomKeyStoreName
	}
	return nil
}

// nextProxyConfiguration returns old with the members of in applied, or
// XksProxyInvalidConfigurationException when the result cannot work.
func nextProxyConfiguration(old XksProxyConfiguration, in updateInput) (XksProxyConfiguration, *apiError) {
	x := old
	if c := in.XksProxyAuthenticationCredential; c != nil {
		x.AccessKeyId, x.RawSecretAccessKey = *c.AccessKeyId, *c.RawSecretAccessKey
	}
	if in.XksProxyUriEndpoint != nil {
		x.UriEndpoint = *in.XksProxyUriEndpoint
	}
	if in.XksProxyUriPath != nil {
		x.UriPath = *in.XksProxyUriPath
	}
	if in.XksProxyVpcEndpointServiceName != nil {
		x.VpcEndpointServiceName = *in.XksProxyVpcEndpointServiceName
	}
	if in.XksProxyVpcEndpointServiceOwner != nil {
		x.VpcEndpointServiceOwner = *in.XksProxyVpcEndpointServiceOwner
	}
	if in.XksProxyConnectivity != nil {
		x.Connectivity = Connectivity(*in.XksProxyConnectivity)
	}
	invalid := func(msg string) (XksProxyConfiguration, *apiError) {
		return old, newError(CodeXksProxyInvalidConfiguration, msg)
	}
	newEndpoint := in.XksProxyUriEndpoint != nil && *in.XksProxyUriEndpoint != old.UriEndpoint
	switching := x.Connectivity != old.Connectivity

	switch {
	case switching && x.Connectivity == ConnectivityVpcEndpointService:
		if !newEndpoint {
			return invalid("To change XksProxyConnectivity to VPC_ENDPOINT_SERVICE, you must also change XksProxyUriEndpoint to https:// followed by the private DNS name of the VPC endpoint service.")
		}
		if in.XksProxyVpcEndpointServiceName == nil || *in.XksProxyVpcEndpointServiceName == "" {
			return invalid("To change XksProxyConnectivity to VPC_ENDPOINT_SERVICE, you must also specify XksProxyVpcEndpointServiceName.")
		}
	case switching && x.Connectivity == ConnectivityPublicEndpoint:
		if !newEndpoint {
			return invalid("To change XksProxyConnectivity to PUBLIC_ENDPOINT, you must also change XksProxyUriEndpoint.")
		}
		if in.XksProxyVpcEndpointServiceName != nil && *in.XksProxyVpcEndpointServiceName != "" {
			return invalid("To change XksProxyConnectivity to PUBLIC_ENDPOINT, XksProxyVpcEndpointServiceName must be null or empty.")
		}
		if in.XksProxyVpcEndpointServiceOwner != nil {
			return invalid("XksProxyVpcEndpointServiceOwner is valid only with an XksProxyConnectivity of VPC_ENDPOINT_SERVICE.")
		}
		// A public store has no VPC endpoint service.
		x.VpcEndpointServiceName, x.VpcEndpointServiceOwner = "", ""
	case x.Connectivity == ConnectivityPublicEndpoint:
		if in.XksProxyVpcEndpointServiceName != nil && *in.XksProxyVpcEndpointServiceName != "" {
			return invalid("XksProxyVpcEndpointServiceName is valid only with an XksProxyConnectivity of VPC_ENDPOINT_SERVICE.")
		}
		if in.XksProxyVpcEndpointServiceOwner != nil {
			return invalid("XksProxyVpcEndpointServiceOwner is valid only with an XksProxyConnectivity of VPC_ENDPOINT_SERVICE.")
		}
	}
	return x, nil
}

// checkURIUnique checks that no other external store uses x's endpoint and
// path, nor, for a VPC store, x's endpoint.
func (f *Fake) checkURIUnique(id string, x XksProxyConfiguration) *apiError {
	for _, o := range f.stores {
		if o.CustomKeyStoreId == id || o.CustomKeyStoreType != TypeExternal {
			continue
		}
		ox := o.XksProxyConfiguration
		if ox.UriEndpoint == x.UriEndpoint && ox.UriPath == x.UriPath {
			return newError(CodeXksProxyUriInUse, fmt.Sprintf(
				"The combination of XksProxyUriEndpoint %s and XksProxyUriPath %s is already used by another external key store in this account and Region.",
				echo(x.UriEndpoint), echo(x.UriPath)))
		}
	}
	if x.Connectivity != ConnectivityVpcEndpointService {
		return nil
	}
	for _, o := range f.stores {
		if o.CustomKeyStoreId == id || o.CustomKeyStoreType != TypeExternal {
			continue
		}
		if o.XksProxyConfiguration.UriEndpoint == x.UriEndpoint {
			return newError(CodeXksProxyUriEndpointInUse, fmt.Sprintf(
				"XksProxyUriEndpoint %s is already used by another external key store. Each external key store with VPC_ENDPOINT_SERVICE connectivity must use a different private DNS name.",
				echo(x.UriEndpoint)))
		}
	}
	return nil
}

// checkVpcService checks x's VPC endpoint service: it exists with the right
// owner, no other store uses it, and it is configured right.
func (f *Fake) checkVpcService(id string, x XksProxyConfiguration) *apiError {
	svc, ok := f.services[x.VpcEndpointServiceName]
	if !ok || svc.Owner != "" && x.VpcEndpointServiceOwner != "" && svc.Owner != x.VpcEndpointServiceOwner {
		owner := ""
		if x.VpcEndpointServiceOwner != "" {
			owner = " owned by account " + echo(x.VpcEndpointServiceOwner)
		}
		return newError(CodeXksProxyVpcEndpointServiceNotFound, fmt.Sprintf(
			"KMS cannot find VPC endpoint service %s%s, or its allowed principals do not include KMS.", echo(x.VpcEndpointServiceName), owner))
	}
	for _, o := range f.stores {
		if o.CustomKeyStoreId != id && o.CustomKeyStoreType == TypeExternal &&
			o.XksProxyConfiguration.VpcEndpointServiceName == x.VpcEndpointServiceName {
			return newError(CodeXksProxyVpcEndpointServiceInUse, fmt.Sprintf(
				"VPC endpoint service %s is already used by custom key store %s.", echo(x.VpcEndpointServiceName), o.CustomKeyStoreId))
		}
	}
	if svc.InvalidConfiguration {
		return newError(CodeXksProxyVpcEndpointServiceInvalidConfiguration, fmt.Sprintf(
			"VPC endpoint service %s does not fulfill the requirements for an external key store.", echo(x.VpcEndpointServiceName)))
	}
	return nil
}

// tryProxy plays KMS's test request to the proxy of a CONNECTED store with
// configuration x.
func (f *Fake) tryProxy(x XksProxyConfiguration, kmsOp string) *apiError {
	if err, routed := f.routedProxyErrorLocked(x, kmsOp); routed { // see RouteXksProxy
		return err
	}
	p, ok := f.proxies[x.UriEndpoint]
	if out, failed := seededProxyFailure(p, ok, x); failed {
		return outcomeError(out)
	}
	return nil
}
