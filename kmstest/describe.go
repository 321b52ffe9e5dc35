package kmstest

import (
	"cmp"
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/kmskit/kms/internal/kmsmodel"
)

// DefaultDescribeLimit is how many stores DescribeCustomKeyStores returns
// per page when the request has no Limit; the model caps Limit at 1000.
const DefaultDescribeLimit = kmsmodel.DescribeDefaultLimit

// describeInput is a decoded DescribeCustomKeyStores request.
type describeInput struct {
	CustomKeyStoreId   *string
	CustomKeyStoreName *string
	Limit              *int64
	Marker             *string
}

// decodeDescribe decodes and validates a DescribeCustomKeyStores body.
func decodeDescribe(body []byte) (describeInput, *apiError) {
	var in describeInput
	obj, err := decodeObject(body)
	if err != nil {
		return in, err
	}
	shape := kmsmodel.DescribeCustomKeyStoresInput
	vals, probs := decodeMembers(obj, shape, "", map[string]*string{}, nil)
	value := func(name string) *string { return vals[name] }
	probs = validateShape(shape, "", value, probs, func(*kmsmodel.Member) bool { return false })
	if v := vals["Limit"]; v != nil {
		m := shape.MustMember("Limit")
		n, err := strconv.ParseInt(*v, 10, 64)
		switch {
		case err != nil:
			probs = append(probs, problem{path: validationPath(m.Name), rule: "Member must be an integer"})
		case m.HasRange && n < m.MinValue:
			probs = append(probs, problem{path: validationPath(m.Name), value: v,
				rule: fmt.Sprintf("Member must have value greater than or equal to %d", m.MinValue)})
		case m.HasRange && n > m.MaxValue:
			probs = append(probs, problem{path: validationPath(m.Name), value: v,
				rule: fmt.Sprintf("Member must have value less than or equal to %d", m.MaxValue)})
		default:
			in.Limit = &n
		}
	}
	if err := validationError(probs); err != nil {
		return in, err
	}
	in.CustomKeyStoreId, in.CustomKeyStoreName, in.Marker = vals["CustomKeyStoreId"], vals["CustomKeyStoreName"], vals["Marker"]
	var both []string
	for _, name := range kmsmodel.DescribeExclusiveMembers {
		if vals[name] != nil {
			both = append(both, name)
		}
	}
	if len(both) > 1 {
		return in, newError(CodeValidation, fmt.Sprintf("Specify either %s, not both.", strings.Join(both, " or ")))
	}
	return in, nil
}

// describeOutput is DescribeCustomKeyStores' answer.
type describeOutput struct {
	CustomKeyStores []listEntry `json:"CustomKeyStores"`
	NextMarker      string      `json:"NextMarker,omitempty"`
	Truncated       bool        `json:"Truncated"`
}

// listEntry is a CustomKeyStoresListEntry.
type listEntry struct {
	CloudHsmClusterId      string               `json:"CloudHsmClusterId,omitempty"`
	ConnectionErrorCode    string               `json:"ConnectionErrorCode,omitempty"`
	ConnectionState        string               `json:"ConnectionState"`
	CreationDate           epochSeconds         `json:"CreationDate"`
	CustomKeyStoreId       string               `json:"CustomKeyStoreId"`
	CustomKeyStoreName     string               `json:"CustomKeyStoreName"`
	CustomKeyStoreType     string               `json:"CustomKeyStoreType"`
	TrustAnchorCertificate string               `json:"TrustAnchorCertificate,omitempty"`
	XksProxyConfiguration  *xksProxyConfigEntry `json:"XksProxyConfiguration,omitempty"`
}

// xksProxyConfigEntry is an XksProxyConfigurationType: never the secret.
type xksProxyConfigEntry struct {
	AccessKeyId             string `json:"AccessKeyId,omitempty"`
	Connectivity            string `json:"Connectivity,omitempty"`
	UriEndpoint             string `json:"UriEndpoint,omitempty"`
	UriPath                 string `json:"UriPath,omitempty"`
	VpcEndpointServiceName  string `json:"VpcEndpointServiceName,omitempty"`
	VpcEndpointServiceOwner string `json:"VpcEndpointServiceOwner,omitempty"`
}

// epochSeconds is an awsJson1.1 timestamp: seconds since the epoch, with
// milliseconds as a fraction.
type epochSeconds time.Time

// MarshalJSON writes t as e.g. 1700000000.123.
func (t epochSeconds) MarshalJSON() ([]byte, error) {
	ms := time.Time(t).UnixMilli()
	return []byte(strconv.FormatFloat(float64(ms)/1000, 'f', -1, 64)), nil
}

// entry returns the list entry of s: what DescribeCustomKeyStores shows.
func entry(s *Store) listEntry {
	e := listEntry{
		ConnectionState:    string(s.ConnectionState),
		CreationDate:       epochSeconds(s.CreationDate),
		CustomKeyStoreId:   s.CustomKeyStoreId,
		CustomKeyStoreName: s.CustomKeyStoreName,
		CustomKeyStoreType: string(s.CustomKeyStoreType),
	}
	if s.ConnectionState == StateFailed {
		e.ConnectionErrorCode = s.ConnectionErrorCode
	}
	if s.CustomKeyStoreType == TypeCloudHSM {
		e.CloudHsmClusterId = s.CloudHsmClusterId
		e.TrustAnchorCertificate = s.TrustAnchorCertificate
		return e
	}
	x := s.XksProxyConfiguration
	e.XksProxyConfiguration = &xksProxyConfigEntry{
		AccessKeyId:  x.AccessKeyId,
		Connectivity: string(x.Connectivity),
		UriEndpoint:  x.UriEndpoint,
		UriPath:      x.UriPath,
	}
	if x.Connectivity == ConnectivityVpcEndpointService {
		e.XksProxyConfiguration.VpcEndpointServiceName = x.VpcEndpointServiceName
		e.XksProxyConfiguration.VpcEndpointServiceOwner = x.VpcEndpointServiceOwner
	}
	return e
}

// serveDescribe runs DescribeCustomKeyStores.
func serveDescribe(f *Fake, _ context.Context, body []byte) ([]byte, *apiError) {
	in, err := decodeDescribe(body)
	if err != nil {
		return nil, err
	}
	out, err := f.describe(in)
	if err != nil {
		return nil, err
	}
	b, mErr := json.Marshal(out)
	if mErr != nil {
		return nil, newError(CodeKMSInternal, "kmstest could not encode the answer")
	}
	return b, nil
}

// describe lists the stores in (CreationDate, ID) order, a page at a time,
// or the one store asked for by ID or name.
func (f *Fake) describe(in describeInput) (describeOutput, *apiError) {
	var after *pagePos
	if in.Marker != nil {
		pos, ok := f.readMarker(*in.Marker)
		if !ok {
			return describeOutput{}, newError(CodeInvalidMarker,
				"The marker is not one that DescribeCustomKeyStores returned.")
		}
		after = &pos
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.settleLocked()

	switch {
	case in.CustomKeyStoreId != nil:
		st, err := f.storeLocked(*in.CustomKeyStoreId)
		if err != nil {
			return describeOutput{}, err
		}
		return describeOutput{CustomKeyStores: []listEntry{entry(st)}}, nil
	case in.CustomKeyStoreName != nil:
		st := storeNamed(f.stores, *in.CustomKeyStoreName)
		if st == nil {
			return describeOutput{}, newError(CodeCustomKeyStoreNotFound, fmt.Sprintf(
				"No custom key store named %q exists in this account and Region.", echo(*in.CustomKeyStoreName)))
		}
		return describeOutput{CustomKeyStores: []listEntry{entry(st)}}, nil
	}

	limit := DefaultDescribeLimit
	if in.Limit != nil {
		limit = int(*in.Limit)
	}
	// The first limit+1 stores after the marker, in listing order: one more
	// than a page tells whether the listing is truncated.
	next := make([]*Store, 0, min(limit+1, len(f.stores)))
	for _, s := range f.stores {
		if after != nil && !after.before(s) {
			continue
		}
		if len(next) == limit+1 {
			if listOrder(s, next[limit]) > 0 {
				continue
			}
			next = next[:limit]
		}
		i, _ := slices.BinarySearchFunc(next, s, listOrder)
		next = slices.Insert(next, i, s)
	}
	page := next[:min(limit, len(next))]
	out := describeOutput{CustomKeyStores: make([]listEntry, 0, len(page))}
	for _, s := range page {
		out.CustomKeyStores = append(out.CustomKeyStores, entry(s))
	}
	if len(next) > limit {
		last := page[limit-1]
		out.Truncated = true
		out.NextMarker = f.marker(pagePos{created: last.CreationDate, id: last.CustomKeyStoreId})
	}
	return out, nil
}

// listOrder orders stores as DescribeCustomKeyStores lists them: by
// CreationDate, then ID.
func listOrder(a, b *Store) int {
	return cmp.Or(a.CreationDate.Compare(b.CreationDate), cmp.Compare(a.CustomKeyStoreId, b.CustomKeyStoreId))
}

// pagePos is where a page ended: the last store returned.
type pagePos struct {
	created time.Time
	id      string
}

// before reports whether s comes after p in listing order.
func (p pagePos) before(s *Store) bool {
	if c := s.CreationDate.Compare(p.created); c != 0 {
		return c > 0
	}
	return s.CustomKeyStoreId > p.id
}

// newMarkerKey returns a random key for signing markers.
func newMarkerKey() []byte {
	k := make([]byte, 32)
	_, _ = rand.Read(k)
	return k
}

// marker encodes p as an opaque marker that only this fake accepts back.
func (f *Fake) marker(p pagePos) string {
	payload := strconv.FormatInt(p.created.UnixNano(), 10) + "/" + p.id
	mac := hmac.New(sha256.New, f.markerKey)
	mac.Write([]byte(payload))
	enc := base64.RawURLEncoding
	return enc.EncodeToString([]byte(payload)) + "." + enc.EncodeToString(mac.Sum(nil)[:16])
}

// readMarker decodes a marker that marker issued.
func (f *Fake) readMarker(m string) (pagePos, bool) {
	enc := base64.RawURLEncoding
	p64, s64, ok := strings.Cut(m, ".")
	if !ok {
		return pagePos{}, false
	}
	payload, err1 := enc.DecodeString(p64)
	sig, err2 := enc.DecodeString(s64)
	if err1 != nil || err2 != nil {
		return pagePos{}, false
	}
	mac := hmac.New(sha256.New, f.markerKey)
	mac.Write(payload)
	if !hmac.Equal(sig, mac.Sum(nil)[:16]) {
		return pagePos{}, false
	}
	ns, id, ok := strings.Cut(string(payload), "/")
	n, err := strconv.ParseInt(ns, 10, 64)
	if !ok || err != nil {
		return pagePos{}, false
	}
	return pagePos{created: time.Unix(0, n), id: id}, true
}
