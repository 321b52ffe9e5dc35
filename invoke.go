package kms

import (
	"context"
	"fmt"

	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	"github.com/aws/smithy-go/middleware"
)

// call is one operation call, as the custom key store lifecycle operations
// make it: validate, encode, send (signed, retried), and hand the response
// to the operation's decoder.
type call struct {
	op string
	// validate checks the input; full is false with
	// Options.DisableClientValidation, when only required members count.
	validate func(full bool) error
	// encode appends the request body.
	encode func(dst []byte) []byte
	// secrets holds the input's secret members, scrubbed from any error
	// text; nil when the input has none.
	secrets *UpdateCustomKeyStoreInput
}

// maxResponseBody lists the operations whose response body the client
// decodes, with the most bytes it reads (the sender's MaxResponseBody).
var maxResponseBody = map[string]int64{
	"CreateCustomKeyStore":    maxCreateResponse,
	"DescribeCustomKeyStores": maxDescribeResponse,
}

// response is what a successful call returns to its operation.
type response struct {
	body      []byte
	requestID string
	metadata  middleware.Metadata
}

// invoke runs k with the client's options changed by optFns.
func (c *Client) invoke(ctx context.Context, k call, optFns []func(*Options)) (*response, error) {
	sender, options, err := c.forCall(optFns)
	if err != nil {
		return nil, fmt.Errorf("kms: %s: %w", k.op, err)
	}
	if err := k.validate(!options.DisableClientValidation); err != nil {
		return nil, err
	}
	// Not pooled: net/http may read a request body after Do returns. 512
	// bytes, as UpdateCustomKeyStore: a full external key store Create
	// (about 430 bytes) is encoded without growing the buffer.
	body := k.encode(make([]byte, 0, 512))
	secrets := append(k.secrets.secretValues(), options.Secrets.values()...)
	res, err := sender.Send(ctx, k.op, body, secrets...)
	if err != nil {
		return nil, scrubError(secrets, err)
	}
	r := &response{body: res.Body, requestID: res.RequestID}
	awsmiddleware.SetRequestIDMetadata(&r.metadata, res.RequestID)
	return r, nil
}
