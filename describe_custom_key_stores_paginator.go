package kms

import (
	"context"
	"errors"
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

	// StopOnDuplicateToken ends the listing when KMS returns the Marker it
	// was just sent, instead of asking for the same page again.
	StopOnDuplicateToken bool
}

// DescribeCustomKeyStoresPaginator pages through DescribeCustomKeyStores.
// It is not safe for concurrent use.
type DescribeCustomKeyStoresPaginator struct {
	options   DescribeCustomKeyStoresPaginatorOptions
	client    DescribeCustomKeyStoresAPIClient
	params    *DescribeCustomKeyStoresInput
	nextToken *string
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
func NewDescribeCustomKeyStoresPaginator(client DescribeCustomKeyStoresAPIClient, params *DescribeCustomKeyStoresInput, optFns ...func(*DescribeCustomKeyStoresPaginatorOptions)) *DescribeCustomKeyStoresPaginator {
	if params == nil {
		params = &DescribeCustomKeyStoresInput{}
	}
	options := DescribeCustomKeyStoresPaginatorOptions{}
	if params.Limit != nil {
		options.Limit = *params.Limit
	}
	for _, fn := range optFns {
		fn(&options)
	}
	return &DescribeCustomKeyStoresPaginator{
		options:   options,
		client:    client,
		params:    params,
		firstPage: true,
		nextToken: params.Marker,
	}
}

// HasMorePages reports whether NextPage has a page to return: before the
// first page, and while KMS returns a non-empty NextMarker.
func (p *DescribeCustomKeyStoresPaginator) HasMorePages() bool {
	return p.firstPage || (p.nextToken != nil && len(*p.nextToken) != 0)
}

// errNoMorePages is NextPage's error after the last page.
var errNoMorePages = errors.New("kms: DescribeCustomKeyStores: no more pages available")

// NextPage returns the next page. On an error the paginator stays where it
// was, so NextPage may be called again to retry the same page.
func (p *DescribeCustomKeyStoresPaginator) NextPage(ctx context.Context, optFns ...func(*Options)) (*DescribeCustomKeyStoresOutput, error) {
	if !p.HasMorePages() {
		return nil, errNoMorePages
	}
	params := *p.params
	params.Marker = p.nextToken
	var limit *int32
	if p.options.Limit > 0 {
		l := p.options.Limit
		limit = &l
	}
	params.Limit = limit

	result, err := p.client.DescribeCustomKeyStores(ctx, &params, optFns...)
	if err != nil {
		return nil, err
	}
	p.firstPage = false
	prevToken := p.nextToken
	p.nextToken = result.NextMarker
	if p.options.StopOnDuplicateToken && prevToken != nil && p.nextToken != nil && *prevToken == *p.nextToken {
		p.nextToken = nil
	}
	return result, nil
}
