package kms

import (
	"context"
	"errors"
	"fmt"
)

// DescribeCustomKeyStoresAPIClient is a client that implements
// DescribeCustomKeyStores; *Client does.
type DescribeCustomKeyStoresAPIClient interface {
	DescribeCustomKeyStores(context.Context, *DescribeCustomKeyStoresInput, ...func(*Options)) (*DescribeCustomKeyStoresOutput, error)
}

var _ DescribeCustomKeyStoresAPIClient = (*Client)(nil)

// DescribeCustomKeyStoresPaginatorOptions tunes a
// DescribeCustomKeyStoresPaginator.
type DescribeCustomKeyStoresPaginatorOptions struct {
	// Limit is the most stores per page (1 to 1000); 0 sends no Limit and
	// lets KMS choose. It defaults to the params' Limit.
	Limit int32
	// StopOnDuplicateToken ends the listing, as if it were complete, when
	// KMS returns a NextMarker the paginator has already sent. Without it
	// NextPage returns an error naming the marker then (a listing that
	// repeats itself would never end).
	StopOnDuplicateToken bool
}

// DescribeCustomKeyStoresPaginator pages through DescribeCustomKeyStores.
// It is not safe for concurrent use.
type DescribeCustomKeyStoresPaginator struct {
	options   DescribeCustomKeyStoresPaginatorOptions
	client    DescribeCustomKeyStoresAPIClient
	params    DescribeCustomKeyStoresInput
	nextToken *string
	sent      map[string]bool // the markers sent so far
	firstPage bool
}

// NewDescribeCustomKeyStoresPaginator returns a paginator over the stores
// params selects (nil: every store), starting at params.Marker. Use it as
// aws-sdk-go-v2's:
//
//	p := kms.NewDescribeCustomKeyStoresPaginator(client, nil)
//	for p.HasMorePages() {
//		page, err := p.NextPage(ctx)
//		...
//	}
//
// A nil client makes NextPage return an error.
func NewDescribeCustomKeyStoresPaginator(client DescribeCustomKeyStoresAPIClient, params *DescribeCustomKeyStoresInput, optFns ...func(*DescribeCustomKeyStoresPaginatorOptions)) *DescribeCustomKeyStoresPaginator {
	p := &DescribeCustomKeyStoresPaginator{client: client, firstPage: true, sent: map[string]bool{}}
	if params != nil {
		p.params = *params
	}
	if p.params.Limit != nil {
		p.options.Limit = *p.params.Limit
	}
	apply(&p.options, optFns)
	p.nextToken = p.params.Marker
	return p
}

// HasMorePages reports whether NextPage has a page to return: before the
// first page, and while KMS returns a non-empty NextMarker.
func (p *DescribeCustomKeyStoresPaginator) HasMorePages() bool {
	return p != nil && (p.firstPage || (p.nextToken != nil && len(*p.nextToken) != 0))
}

// errNoMorePages is NextPage's error after the last page.
var errNoMorePages = errors.New("kms: DescribeCustomKeyStores: no more pages available")

// NextPage returns the next page. On an error the paginator stays where it
// was, so NextPage may be called again to retry the same page; a page
// whose NextMarker was sent before is such an error (unless
// StopOnDuplicateToken), since KMS would list the same stores again, and so
// is a page with Truncated true and no NextMarker, after which the rest of
// the listing cannot be asked for.
func (p *DescribeCustomKeyStoresPaginator) NextPage(ctx context.Context, optFns ...func(*Options)) (*DescribeCustomKeyStoresOutput, error) {
	switch {
	case p == nil || p.client == nil:
		return nil, errors.New("kms: DescribeCustomKeyStores paginator: no client: create it with NewDescribeCustomKeyStoresPaginator and a *kms.Client")
	case !p.HasMorePages():
		return nil, errNoMorePages
	}
	params := p.params
	params.Marker, params.Limit = p.nextToken, nil
	if p.options.Limit > 0 {
		l := p.options.Limit
		params.Limit = &l
	}
	result, err := p.client.DescribeCustomKeyStores(ctx, &params, optFns...)
	if err != nil {
		return nil, err
	}
	if result == nil {
		return nil, errors.New("kms: DescribeCustomKeyStores paginator: the client returned no page and no error")
	}
	next := result.NextMarker
	if result.Truncated && (next == nil || *next == "") {
		return nil, errors.New("kms: DescribeCustomKeyStores paginator: KMS returned a page with Truncated true and no NextMarker: more stores follow, but there is no marker to ask for them")
	}
	if next != nil && *next != "" && (p.sent[*next] || (params.Marker != nil && *params.Marker == *next)) {
		if !p.options.StopOnDuplicateToken {
			return nil, fmt.Errorf("kms: DescribeCustomKeyStores paginator: KMS returned NextMarker %s, a marker this listing has already sent: the pages would repeat forever (set StopOnDuplicateToken to end the listing there instead)", quoteBounded(*next))
		}
		next = nil
	}
	if params.Marker != nil {
		p.sent[*params.Marker] = true
	}
	p.firstPage, p.nextToken = false, next
	return result, nil
}
