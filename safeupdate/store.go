package safeupdate

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/kmskit/kms"
	"github.com/kmskit/kms/internal/kmsmodel"
)

// describeInputStore checks that u can send with ctx and that in is valid
// offline, then returns the list entry of the store in names.
func (u *Updater) describeInputStore(ctx context.Context, in *kms.UpdateCustomKeyStoreInput, optFns ...func(*kms.Options)) (kms.CustomKeyStoresListEntry, error) {
	if err := u.ready(ctx); err != nil {
		return kms.CustomKeyStoresListEntry{}, err
	}
	if err := in.Validate(); err != nil {
		return kms.CustomKeyStoresListEntry{}, err
	}
	return describeStore(ctx, u.api, *in.CustomKeyStoreId, optFns...)
}

// describeStore returns the list entry of one store.
func describeStore(ctx context.Context, api API, id string, optFns ...func(*kms.Options)) (kms.CustomKeyStoresListEntry, error) {
	out, err := api.DescribeCustomKeyStores(ctx, &kms.DescribeCustomKeyStoresInput{CustomKeyStoreId: &id}, optFns...)
	if err != nil {
		return kms.CustomKeyStoresListEntry{}, err
	}
	if e := entryOf(out, id); e != nil {
		return *e, nil
	}
	return kms.CustomKeyStoresListEntry{}, fmt.Errorf("kms: DescribeCustomKeyStores returned no entry for custom key store %s: %w", id, kms.ErrCustomKeyStoreNotFound)
}

// entryOf returns the entry of store id in out, or nil.
func entryOf(out *kms.DescribeCustomKeyStoresOutput, id string) *kms.CustomKeyStoresListEntry {
	if out == nil {
		return nil
	}
	for i, e := range out.CustomKeyStores {
		if aws.ToString(e.CustomKeyStoreId) == id {
			return &out.CustomKeyStores[i]
		}
	}
	return nil
}

// describePageLimit is the page size of listStores: the most KMS returns.
const describePageLimit = 1000

// listStores reads every custom key store of the account (one page of up
// to 1,000 for most accounts) and returns the entry of store id and every
// entry as the store-aware rules read them. A store that is not listed is
// an error matching kms.ErrCustomKeyStoreNotFound.
func listStores(ctx context.Context, api API, id string, optFns ...func(*kms.Options)) (kms.CustomKeyStoresListEntry, []kmsmodel.StoreSnapshot, error) {
	var target *kms.CustomKeyStoresListEntry
	var all []kmsmodel.StoreSnapshot
	pages := kms.NewDescribeCustomKeyStoresPaginator(api, &kms.DescribeCustomKeyStoresInput{},
		func(o *kms.DescribeCustomKeyStoresPaginatorOptions) { o.Limit = describePageLimit })
	for pages.HasMorePages() {
		out, err := pages.NextPage(ctx, optFns...)
		if err != nil {
			return kms.CustomKeyStoresListEntry{}, nil, err
		}
		for i, e := range out.CustomKeyStores {
			if aws.ToString(e.CustomKeyStoreId) == id && target == nil {
				target = &out.CustomKeyStores[i]
			}
			all = append(all, snapshotOf(e).rules())
		}
	}
	if target == nil {
		return kms.CustomKeyStoresListEntry{}, nil, fmt.Errorf("kms: custom key store %s is not among the %d custom key stores DescribeCustomKeyStores lists in this account and Region: %w",
			id, len(all), kms.ErrCustomKeyStoreNotFound)
	}
	return *target, all, nil
}

// storeSnapshot is what a plan depends on of a store.
type storeSnapshot struct {
	id, name     string
	typ          kms.CustomKeyStoreType
	state        kms.ConnectionStateType
	errorCode    kms.ConnectionErrorCodeType
	cluster      string
	accessKeyID  secret // sensitive: compared, never printed
	connectivity kms.XksProxyConnectivityType
	endpoint     string
	path         string
	vpcName      string
	vpcOwner     string
}

// snapshotOf reads a list entry.
func snapshotOf(e kms.CustomKeyStoresListEntry) storeSnapshot {
	s := storeSnapshot{
		id:        aws.ToString(e.CustomKeyStoreId),
		name:      aws.ToString(e.CustomKeyStoreName),
		typ:       e.CustomKeyStoreType,
		state:     e.ConnectionState,
		errorCode: e.ConnectionErrorCode,
		cluster:   aws.ToString(e.CloudHsmClusterId),
	}
	if x := e.XksProxyConfiguration; x != nil {
		s.accessKeyID = newSecret(aws.ToString(x.AccessKeyId))
		s.connectivity = x.Connectivity
		s.endpoint = aws.ToString(x.UriEndpoint)
		s.path = aws.ToString(x.UriPath)
		s.vpcName = aws.ToString(x.VpcEndpointServiceName)
		s.vpcOwner = aws.ToString(x.VpcEndpointServiceOwner)
	}
	return s
}

// differences lists what differs between a and b, secrets without values.
func (a storeSnapshot) differences(b storeSnapshot) []string {
	var out []string
	add := func(name, x, y string) {
		if x != y {
			out = append(out, fmt.Sprintf("%s: %q → %q", name, x, y))
		}
	}
	add("CustomKeyStoreName", a.name, b.name)
	add("CustomKeyStoreType", string(a.typ), string(b.typ))
	add("ConnectionState", string(a.state), string(b.state))
	add("ConnectionErrorCode", string(a.errorCode), string(b.errorCode))
	add("CloudHsmClusterId", a.cluster, b.cluster)
	if a.accessKeyID.value() != b.accessKeyID.value() {
		out = append(out, "XksProxyConfiguration.AccessKeyId changed")
	}
	add("XksProxyConfiguration.Connectivity", string(a.connectivity), string(b.connectivity))
	add("XksProxyConfiguration.UriEndpoint", a.endpoint, b.endpoint)
	add("XksProxyConfiguration.UriPath", a.path, b.path)
	add("XksProxyConfiguration.VpcEndpointServiceName", a.vpcName, b.vpcName)
	add("XksProxyConfiguration.VpcEndpointServiceOwner", a.vpcOwner, b.vpcOwner)
	return out
}

// rules is s as the store-aware rules read it.
func (s storeSnapshot) rules() kmsmodel.StoreSnapshot {
	return kmsmodel.StoreSnapshot{
		ID: s.id, Name: s.name, Type: string(s.typ), State: string(s.state), ClusterID: s.cluster,
		Proxy: kmsmodel.ProxyConfiguration{
			Connectivity: string(s.connectivity), UriEndpoint: s.endpoint, UriPath: s.path,
			VpcEndpointServiceName: s.vpcName, VpcEndpointServiceOwner: s.vpcOwner,
		},
	}
}

// currentValue returns the store's current value of a non-secret member.
func (s storeSnapshot) currentValue(member string) string {
	switch member {
	case fieldCloudHsmClusterID:
		return s.cluster
	case fieldNewCustomKeyStoreName:
		return s.name
	case fieldXksConnectivity:
		return string(s.connectivity)
	case fieldXksURIEndpoint:
		return s.endpoint
	case fieldXksURIPath:
		return s.path
	case fieldXksVpcServiceName:
		return s.vpcName
	case fieldXksVpcServiceOwner:
		return s.vpcOwner
	}
	return ""
}
