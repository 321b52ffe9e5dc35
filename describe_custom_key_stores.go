package kms

import (
	"context"

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

// maxDescribeEntries is the most stores one page holds, the model's
// maximum Limit (1000). A page with more is a decode error, found when the
// entry after the last allowed one starts.
var maxDescribeEntries = int(kmsmodel.DescribeCustomKeyStoresInput.MustMember("Limit").MaxValue)

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
	res, err := invoke(ctx, c, describeTable, params, optFns)
	if err != nil {
		return nil, err
	}
	out := &DescribeCustomKeyStoresOutput{RequestID: res.requestID, ResultMetadata: res.metadata}
	if err := out.decode(res.body, res.scrubber); err != nil {
		return nil, deserializationError(kmsmodel.OpDescribeCustomKeyStores, res.requestID, err)
	}
	return out, nil
}

// Validate checks the input offline and returns nil or a *ValidationError:
// each member's length and pattern (from the KMS model), Limit between 1
// and 1000, and not both CustomKeyStoreId and CustomKeyStoreName. A nil
// input is valid: it describes every store.
func (in *DescribeCustomKeyStoresInput) Validate() error { return describeTable.validate(in, true) }

// describeRules is DescribeCustomKeyStores's documented cross-member rule.
func describeRules(_ *table[*DescribeCustomKeyStoresInput], in *DescribeCustomKeyStoresInput, p problems) problems {
	if in.CustomKeyStoreId != nil && in.CustomKeyStoreName != nil {
		ex := kmsmodel.DescribeExclusiveMembers
		p.add(ex[1], "cannot be sent with "+ex[0]+": name one store by ID or by name, not both")
	}
	return p
}

// decode reads a DescribeCustomKeyStores body into out, every string
// scrubbed with sc; an empty body is an empty listing.
func (out *DescribeCustomKeyStoresOutput) decode(body []byte, sc *awsjson.Scrubber) error {
	if len(body) == 0 {
		return nil
	}
	if err := decodePage(body, out); err != nil {
		return err
	}
	for i := range out.CustomKeyStores {
		entryTable.scrub(&out.CustomKeyStores[i], sc)
	}
	if sc != nil && out.NextMarker != nil {
		m := sc.Scrub(*out.NextMarker)
		out.NextMarker = &m
	}
	return nil
}
