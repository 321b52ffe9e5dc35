package kms

import (
	"context"
	"errors"
	"math"
	"math/big"
	"strconv"
	"time"

	"github.com/aws/smithy-go/middleware"

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
// is not a valid listing is a *smithy.DeserializationError.
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
	wire, err := decodeDescribe(res.body)
	if err != nil {
		return nil, deserializationError(k.op, res.requestID, err)
	}
	out := &DescribeCustomKeyStoresOutput{
		NextMarker:     wire.NextMarker,
		Truncated:      wire.Truncated,
		RequestID:      res.requestID,
		ResultMetadata: res.metadata,
	}
	if len(wire.CustomKeyStores) > 0 {
		out.CustomKeyStores = make([]CustomKeyStoresListEntry, len(wire.CustomKeyStores))
	}
	for i, w := range wire.CustomKeyStores {
		e, err := w.entry()
		if err != nil {
			return nil, deserializationError(k.op, res.requestID, named("CustomKeyStores["+strconv.Itoa(i)+"]", err))
		}
		out.CustomKeyStores[i] = e
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

// describeWire is the body of a DescribeCustomKeyStores response.
type describeWire struct {
	CustomKeyStores []entryWire
	NextMarker      *string
	Truncated       bool
}

// entryWire is a CustomKeyStoresListEntry on the wire; CreationDate is the
// number's literal ("" when absent).
type entryWire struct {
	CloudHsmClusterId      *string
	ConnectionErrorCode    *string
	ConnectionState        *string
	CreationDate           string
	CustomKeyStoreId       *string
	CustomKeyStoreName     *string
	CustomKeyStoreType     *string
	TrustAnchorCertificate *string
	XksProxyConfiguration  *xksConfigWire
}

// xksConfigWire is an XksProxyConfigurationType on the wire.
type xksConfigWire struct {
	AccessKeyId             *string
	Connectivity            *string
	UriEndpoint             *string
	UriPath                 *string
	VpcEndpointServiceName  *string
	VpcEndpointServiceOwner *string
}

// decodeDescribe decodes a DescribeCustomKeyStores body; an empty body is
// an empty listing.
func decodeDescribe(body []byte) (describeWire, error) {
	var w describeWire
	if len(body) == 0 {
		return w, nil
	}
	r := &jsonReader{b: body}
	err := r.object(func(name string) error {
		switch name {
		case "CustomKeyStores":
			w.CustomKeyStores = w.CustomKeyStores[:0]
			return named(name, r.array(func() error {
				var e entryWire
				if err := e.read(r); err != nil {
					return named("["+strconv.Itoa(len(w.CustomKeyStores))+"]", err)
				}
				w.CustomKeyStores = append(w.CustomKeyStores, e)
				return nil
			}))
		case "NextMarker":
			return named(name, r.str(&w.NextMarker))
		case "Truncated":
			return named(name, r.boolean(&w.Truncated))
		}
		return r.skip()
	})
	if err != nil {
		return w, err
	}
	return w, r.end()
}

// read reads an entry object.
func (e *entryWire) read(r *jsonReader) error {
	return r.object(func(name string) error {
		var err error
		switch name {
		case "CloudHsmClusterId":
			err = r.str(&e.CloudHsmClusterId)
		case "ConnectionErrorCode":
			err = r.str(&e.ConnectionErrorCode)
		case "ConnectionState":
			err = r.str(&e.ConnectionState)
		case "CreationDate":
			err = r.number(&e.CreationDate)
		case "CustomKeyStoreId":
			err = r.str(&e.CustomKeyStoreId)
		case "CustomKeyStoreName":
			err = r.str(&e.CustomKeyStoreName)
		case "CustomKeyStoreType":
			err = r.str(&e.CustomKeyStoreType)
		case "TrustAnchorCertificate":
			err = r.str(&e.TrustAnchorCertificate)
		case "XksProxyConfiguration":
			if r.null() {
				e.XksProxyConfiguration = nil
				return nil
			}
			e.XksProxyConfiguration = &xksConfigWire{}
			err = e.XksProxyConfiguration.read(r)
		default:
			return r.skip()
		}
		return named("."+name, err)
	})
}

// read reads a proxy configuration object.
func (x *xksConfigWire) read(r *jsonReader) error {
	return r.object(func(name string) error {
		var err error
		switch name {
		case "AccessKeyId":
			err = r.str(&x.AccessKeyId)
		case "Connectivity":
			err = r.str(&x.Connectivity)
		case "UriEndpoint":
			err = r.str(&x.UriEndpoint)
		case "UriPath":
			err = r.str(&x.UriPath)
		case "VpcEndpointServiceName":
			err = r.str(&x.VpcEndpointServiceName)
		case "VpcEndpointServiceOwner":
			err = r.str(&x.VpcEndpointServiceOwner)
		default:
			return r.skip()
		}
		return named("."+name, err)
	})
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

// entry converts w. Enum values KMS may add later pass through as they
// are. The only error is a CreationDate that is not a usable time.
func (w *entryWire) entry() (CustomKeyStoresListEntry, error) {
	e := CustomKeyStoresListEntry{
		CloudHsmClusterId:      w.CloudHsmClusterId,
		ConnectionErrorCode:    ConnectionErrorCodeType(deref(w.ConnectionErrorCode)),
		ConnectionState:        ConnectionStateType(deref(w.ConnectionState)),
		CustomKeyStoreId:       w.CustomKeyStoreId,
		CustomKeyStoreName:     w.CustomKeyStoreName,
		CustomKeyStoreType:     CustomKeyStoreType(deref(w.CustomKeyStoreType)),
		TrustAnchorCertificate: w.TrustAnchorCertificate,
	}
	if w.CreationDate != "" {
		t, err := parseEpochSeconds(w.CreationDate)
		if err != nil {
			return e, named(".CreationDate", err)
		}
		e.CreationDate = &t
	}
	if x := w.XksProxyConfiguration; x != nil {
		e.XksProxyConfiguration = x.config()
	}
	return e, nil
}

// config converts x.
func (x *xksConfigWire) config() *XksProxyConfigurationType {
	return &XksProxyConfigurationType{
		AccessKeyId:             x.AccessKeyId,
		Connectivity:            XksProxyConnectivityType(deref(x.Connectivity)),
		UriEndpoint:             x.UriEndpoint,
		UriPath:                 x.UriPath,
		VpcEndpointServiceName:  x.VpcEndpointServiceName,
		VpcEndpointServiceOwner: x.VpcEndpointServiceOwner,
	}
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
