package kmstest

import (
	"fmt"
	"maps"
	"slices"

	"github.com/kmskit/kms/internal/kmsmodel"
)

// update applies in to its store, all or nothing. in has passed the model
// checks. The store-aware rules (internal/kmsmodel, shared with the
// planner) come first, then what only the fake's world knows: the cluster,
// the VPC endpoint service, the proxy. The whole check-and-apply runs under
// f.mu, so concurrent updates are serialized and never see or leave a
// half-applied update.
func (f *Fake) update(in updateInput) *apiError {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.settleLocked()

	st, ok := f.stores[*in.CustomKeyStoreId]
	if !ok {
		return newError(CodeCustomKeyStoreNotFound,
			fmt.Sprintf("Custom key store %s does not exist in this account and Region.", echo(*in.CustomKeyStoreId)))
	}
	res := kmsmodel.CheckUpdate(storeSnapshot(st), f.snapshotsLocked(), kmsmodel.UpdateMembers(in.members))
	if res.Refusal != nil {
		return refused(res.Refusal)
	}
	next := *st
	var err *apiError
	if st.CustomKeyStoreType == TypeCloudHSM {
		err = f.updateCloudHSM(&next, in)
	} else {
		err = f.updateExternal(&next, in, res.Proxy)
	}
	if err != nil {
		return err
	}
	if in.NewCustomKeyStoreName != nil {
		next.CustomKeyStoreName = *in.NewCustomKeyStoreName
	}
	*st = next
	return nil
}

// storeSnapshot is what the store-aware update rules read of st.
func storeSnapshot(st *Store) kmsmodel.StoreSnapshot {
	x := st.XksProxyConfiguration
	return kmsmodel.StoreSnapshot{
		ID: st.CustomKeyStoreId, Name: st.CustomKeyStoreName, Type: string(st.CustomKeyStoreType),
		State: string(st.ConnectionState), ClusterID: st.CloudHsmClusterId,
		Proxy: kmsmodel.ProxyConfiguration{
			Connectivity: string(x.Connectivity), UriEndpoint: x.UriEndpoint, UriPath: x.UriPath,
			VpcEndpointServiceName: x.VpcEndpointServiceName, VpcEndpointServiceOwner: x.VpcEndpointServiceOwner,
		},
	}
}

// snapshotsLocked returns every store as the update rules read it, in ID
// order, so that a refusal naming another store names the same one each
// time.
func (f *Fake) snapshotsLocked() []kmsmodel.StoreSnapshot {
	out := make([]kmsmodel.StoreSnapshot, 0, len(f.stores))
	for _, id := range slices.Sorted(maps.Keys(f.stores)) {
		out = append(out, storeSnapshot(f.stores[id]))
	}
	return out
}

// refused is the answer for a refusal of the store-aware rules.
func refused(r *kmsmodel.Refusal) *apiError {
	if r == nil {
		return nil
	}
	return newError(r.Code, r.Echoed(echo))
}

// updateCloudHSM applies in to st, a copy of an AWS_CLOUDHSM store that
// passed the store-aware rules.
func (f *Fake) updateCloudHSM(st *Store, in updateInput) *apiError {
	if in.CloudHsmClusterId != nil {
		if err := f.checkCluster(st, *in.CloudHsmClusterId); err != nil {
			return err
		}
		st.CloudHsmClusterId = *in.CloudHsmClusterId
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

// updateExternal applies in to st, a copy of an EXTERNAL_KEY_STORE store
// that passed the store-aware rules, which left it with the proxy
// configuration next.
func (f *Fake) updateExternal(st *Store, in updateInput, next kmsmodel.ProxyConfiguration) *apiError {
	x := XksProxyConfiguration{
		AccessKeyId: st.XksProxyConfiguration.AccessKeyId, RawSecretAccessKey: st.XksProxyConfiguration.RawSecretAccessKey,
		Connectivity: Connectivity(next.Connectivity), UriEndpoint: next.UriEndpoint, UriPath: next.UriPath,
		VpcEndpointServiceName: next.VpcEndpointServiceName, VpcEndpointServiceOwner: next.VpcEndpointServiceOwner,
	}
	if c := in.XksProxyAuthenticationCredential; c != nil {
		x.AccessKeyId, x.RawSecretAccessKey = *c.AccessKeyId, *c.RawSecretAccessKey
	}
	if x.Connectivity == ConnectivityVpcEndpointService && (in.XksProxyVpcEndpointServiceName != nil ||
		in.XksProxyVpcEndpointServiceOwner != nil || in.XksProxyConnectivity != nil) {
		if err := f.checkVpcService(x); err != nil {
			return err
		}
	}
	if st.ConnectionState == StateConnected && (in.XksProxyAuthenticationCredential != nil || in.XksProxyUriPath != nil) {
		if err := f.tryProxy(x, kmsOpUpdate); err != nil {
			return err
		}
	}
	st.XksProxyConfiguration = x
	return nil
}

// checkVpcService checks x's VPC endpoint service in the fake's world: it
// exists with the right owner and is configured right. (That no other
// store uses it is a store-aware rule: kmsmodel.VpcServiceInUse.)
func (f *Fake) checkVpcService(x XksProxyConfiguration) *apiError {
	svc, ok := f.services[x.VpcEndpointServiceName]
	if !ok || svc.Owner != "" && x.VpcEndpointServiceOwner != "" && svc.Owner != x.VpcEndpointServiceOwner {
		owner := ""
		if x.VpcEndpointServiceOwner != "" {
			owner = " owned by account " + echo(x.VpcEndpointServiceOwner)
		}
		return newError(CodeXksProxyVpcEndpointServiceNotFound, fmt.Sprintf(
			"KMS cannot find VPC endpoint service %s%s, or its allowed principals do not include KMS.", echo(x.VpcEndpointServiceName), owner))
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
