package kms

import (
	"context"
	"errors"
	"math"
	"math/big"
	"strconv"
	"time"

	"github.com/aws/smithy-go/middleware"

	"github.com/kmskit/kms/internal/awsjson"
	"github.com/kmskit/kms/internal/kmsmodel"
)

// DescribeCustomKeyStoresInput is the request of
// [Client.DescribeCustomKeyStores]. A nil input, or one with neither
// CustomKeyStoreId nor CustomKeyStoreName, describes every custom key store
// in the account and Region.
type DescribeCustomKeyStoresInput struct {
	// CustomKeyStoreId describes only this store. Not with
	// CustomKeyStoreName.
	CustomKeyStoreId *string

	// CustomKeyStoreName describes only the store of this name. Not with
	// CustomKeyStoreId.
	CustomKeyStoreName *string

	// Limit is the most stores to return, 1 to 1000; KMS may return fewer.
	// Nil lets KMS choose.
	Limit *int32

	// Marker continues a truncated listing: the NextMarker of the previous
	// page. [NewDescribeCustomKeyStoresPaginator] sets it for you.
	Marker *string
}

// DescribeCustomKeyStoresOutput is one page of custom key stores.
type DescribeCustomKeyStoresOutput struct {
	// CustomKeyStores are the stores of this page.
	CustomKeyStores []CustomKeyStoresListEntry

	// NextMarker, when Truncated, is the Marker of the next page.
	NextMarker *string

	// Truncated reports that more stores follow; ask for them with
	// NextMarker.
	Truncated bool

	// RequestID is the x-amzn-RequestId of the response.
	RequestID string
	// ResultMetadata carries the request ID as aws-sdk-go-v2 does.
	ResultMetadata middleware.Metadata
}

// maxDescribeResponse bounds the body of a DescribeCustomKeyStores
// response: 1000 stores, each with a trust anchor certificate of up to
// 5000 characters, fit with room to spare.
const maxDescribeResponse = 32 << 20

// DescribeCustomKeyStores returns the custom key stores of the account and
// Region, one page at a time (see [NewDescribeCustomKeyStoresPaginator]),
// or the one store named by CustomKeyStoreId or CustomKeyStoreName. Use it
// to see a store's ConnectionState and, when FAILED, its
// ConnectionErrorCode.
//
// A bad input returns a *ValidationError and sends nothing. KMS errors
// match ErrCustomKeyStoreNotFound (no store has that ID or name),
// ErrInvalidMarker or ErrKMSInternal with errors.Is. A response body that
// is not a valid listing is a *smithy.DeserializationError. The call
// carries no secret; pass the secrets of a change you are making with
// [WithSecrets], and no string of the page, no error text and nothing an
// error unwraps to shows them.
func (c *Client) DescribeCustomKeyStores(ctx context.Context, params *DescribeCustomKeyStoresInput, optFns ...func(*Options)) (*DescribeCustomKeyStoresOutput, error) {
	if params == nil {
		params = &DescribeCustomKeyStoresInput{}
	}
	k := call{
		op: "DescribeCustomKeyStores",
		validate: func(full bool) error {
			if full {
				return params.Validate()
			}
			return nil
		},
		encode: func(dst []byte) []byte { return params.appendWire(dst) },
	}
	res, err := c.invoke(ctx, k, optFns)
	if err != nil {
		return nil, err
	}
	out := &DescribeCustomKeyStoresOutput{RequestID: res.requestID, ResultMetadata: res.metadata}
	if err := out.decode(res.body, res.scrubber); err != nil {
		return nil, deserializationError(k.op, res.requestID, err)
	}
	return out, nil
}

// appendWire appends the awsJson1.1 body of in to dst, members in the
// official SDK's order.
func (in *DescribeCustomKeyStoresInput) appendWire(dst []byte) []byte {
	o := openObject(dst)
	o.str("CustomKeyStoreId", in.CustomKeyStoreId)
	o.str("CustomKeyStoreName", in.CustomKeyStoreName)
	o.int32("Limit", in.Limit)
	o.str("Marker", in.Marker)
	return o.close()
}

// Validate checks the input offline and returns nil or a *ValidationError:
// each member's length and pattern (from the KMS model), Limit between 1
// and 1000, and not both CustomKeyStoreId and CustomKeyStoreName. A nil
// input is valid: it describes every store.
func (in *DescribeCustomKeyStoresInput) Validate() error {
	if in == nil {
		return nil
	}
	p := newShapeProblems(kmsmodel.DescribeCustomKeyStoresInput)
	p.str("CustomKeyStoreId", in.CustomKeyStoreId)
	p.str("CustomKeyStoreName", in.CustomKeyStoreName)
	p.integer("Limit", in.Limit)
	p.str("Marker", in.Marker)
	if in.CustomKeyStoreId != nil && in.CustomKeyStoreName != nil {
		ex := kmsmodel.DescribeExclusiveMembers
		p.add(ex[1], "cannot be sent with "+ex[0]+": name one store by ID or by name, not both")
	}
	return p.result()
}

// decode reads a DescribeCustomKeyStores body into out, every string
// scrubbed with sc; an empty body is an empty listing.
func (out *DescribeCustomKeyStoresOutput) decode(body []byte, sc *awsjson.Scrubber) error {
	if len(body) == 0 {
		return nil
	}
	r := &jsonReader{b: body, sc: sc}
	if err := readObject(r, out, describeMember); err != nil {
		return err
	}
	return r.end()
}

// describeMember reads one member of a DescribeCustomKeyStores body.
func describeMember(r *jsonReader, out *DescribeCustomKeyStoresOutput, name []byte) (bool, error) {
	switch string(name) {
	case "CustomKeyStores":
		out.CustomKeyStores = nil
		more, err := r.array()
		for first := true; more && err == nil; first = false {
			if more, err = r.element(first); !more || err != nil {
				break
			}
			out.CustomKeyStores = append(out.CustomKeyStores, CustomKeyStoresListEntry{})
			i := len(out.CustomKeyStores) - 1
			if err = readObject(r, &out.CustomKeyStores[i], entryMember); err != nil {
				err = named("["+strconv.Itoa(i)+"]", err)
			}
		}
		return true, err
	case "NextMarker":
		return true, r.str(&out.NextMarker)
	case "Truncated":
		return true, r.boolean(&out.Truncated)
	}
	return false, nil
}

// entryMember reads one member of a CustomKeyStoresListEntry. Enum values
// KMS may add later pass through as they are.
func entryMember(r *jsonReader, e *CustomKeyStoresListEntry, name []byte) (bool, error) {
	switch string(name) {
	case "CloudHsmClusterId":
		return true, r.str(&e.CloudHsmClusterId)
	case "ConnectionErrorCode":
		return true, r.enum((*string)(&e.ConnectionErrorCode))
	case "ConnectionState":
		return true, r.enum((*string)(&e.ConnectionState))
	case "CreationDate":
		return true, r.timestamp(&e.CreationDate)
	case "CustomKeyStoreId":
		return true, r.str(&e.CustomKeyStoreId)
	case "CustomKeyStoreName":
		return true, r.str(&e.CustomKeyStoreName)
	case "CustomKeyStoreType":
		return true, r.enum((*string)(&e.CustomKeyStoreType))
	case "TrustAnchorCertificate":
		return true, r.str(&e.TrustAnchorCertificate)
	case "XksProxyConfiguration":
		e.XksProxyConfiguration = nil
		if r.null() {
			return true, nil
		}
		e.XksProxyConfiguration = new(XksProxyConfigurationType)
		return true, readObject(r, e.XksProxyConfiguration, xksConfigMember)
	}
	return false, nil
}

// xksConfigMember reads one member of an XksProxyConfigurationType.
func xksConfigMember(r *jsonReader, c *XksProxyConfigurationType, name []byte) (bool, error) {
	switch string(name) {
	case "AccessKeyId":
		return true, r.str(&c.AccessKeyId)
	case "Connectivity":
		return true, r.enum((*string)(&c.Connectivity))
	case "UriEndpoint":
		return true, r.str(&c.UriEndpoint)
	case "UriPath":
		return true, r.str(&c.UriPath)
	case "VpcEndpointServiceName":
		return true, r.str(&c.VpcEndpointServiceName)
	case "VpcEndpointServiceOwner":
		return true, r.str(&c.VpcEndpointServiceOwner)
	}
	return false, nil
}

// pathError is a decoding error at a member path such as
// "CustomKeyStores[1].CreationDate".
type pathError struct {
	path string
	err  error
}

func (e *pathError) Error() string { return e.path + ": " + e.err.Error() }

// named puts path in front of the path of err.
func named(path string, err error) error {
	if err == nil {
		return nil
	}
	if pe, ok := err.(*pathError); ok {
		return &pathError{path: path + pe.path, err: pe.err}
	}
	return &pathError{path: path, err: err}
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// The range of times an awsJson timestamp may hold here: years 0001 to
// 9999, as time.Time formats them.
const (
	minEpochSeconds = -62135596800
	maxEpochSeconds = 253402300799
)

// parseEpochSeconds parses an awsJson timestamp, epoch seconds with an
// optional fraction (e.g. 1.700000000123E9), to millisecond precision in
// UTC, computing the milliseconds as aws-sdk-go-v2 does
// (smithy-go/time.ParseEpochSeconds) but without its overflow past the year
// 2262.
func parseEpochSeconds(s string) (time.Time, error) {
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return time.Time{}, errors.New("not a number of seconds")
	}
	if f < minEpochSeconds || f > maxEpochSeconds {
		return time.Time{}, errors.New("outside the years 0001 to 9999")
	}
	ms := big.NewFloat(f)
	ms.Mul(ms, big.NewFloat(1e3))
	n, _ := ms.Int64()
	return time.UnixMilli(n).UTC(), nil
}
