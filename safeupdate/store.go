package safeupdate

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/kmskit/kms"
)

// describeInputStore checks that u can send and that in is valid offline,
// then returns the list entry of the store in names.
func (u *Updater) describeInputStore(ctx context.Context, in *kms.UpdateCustomKeyStoreInput) (kms.CustomKeyStoresListEntry, error) {
	if err := u.ready(); err != nil {
		return kms.CustomKeyStoresListEntry{}, err
	}
	if err := in.Validate(); err != nil {
		return kms.CustomKeyStoresListEntry{}, err
	}
	return describeStore(ctx, u.api, *in.CustomKeyStoreId)
}

// describeStore returns the list entry of one store.
func describeStore(ctx context.Context, api API, id string) (kms.CustomKeyStoresListEntry, error) {
	out, err := api.DescribeCustomKeyStores(ctx, &kms.DescribeCustomKeyStoresInput{CustomKeyStoreId: &id})
	if err != nil {
		return kms.CustomKeyStoresListEntry{}, err
	}
	for _, e := range out.CustomKeyStores {
		if e.CustomKeyStoreId != nil && *e.CustomKeyStoreId == id {
			return e, nil
		}
	}
	return kms.CustomKeyStoresListEntry{}, fmt.Errorf("kms: DescribeCustomKeyStores returned no entry for custom key store %s", id)
}

// storeSnapshot is what a plan depends on of a store, comparable with ==.
type storeSnapshot struct {
	id, name     string
	typ          kms.CustomKeyStoreType
	state        kms.ConnectionStateType
	errorCode    kms.ConnectionErrorCodeType
	cluster      string
	accessKeyID  string // sensitive: compared, never printed
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
		s.accessKeyID = aws.ToString(x.AccessKeyId)
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
	if a.accessKeyID != b.accessKeyID {
		out = append(out, "XksProxyConfiguration.AccessKeyId changed")
	}
	add("XksProxyConfiguration.Connectivity", string(a.connectivity), string(b.connectivity))
	add("XksProxyConfiguration.UriEndpoint", a.endpoint, b.endpoint)
	add("XksProxyConfiguration.UriPath", a.path, b.path)
	add("XksProxyConfiguration.VpcEndpointServiceName", a.vpcName, b.vpcName)
	add("XksProxyConfiguration.VpcEndpointServiceOwner", a.vpcOwner, b.vpcOwner)
	return out
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
