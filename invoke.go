package kms

import (
	"context"
	"fmt"

	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	"github.com/aws/smithy-go/middleware"

	"github.com/kmskit/kms/internal/awsjson"
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
	// secrets are the values of the input's secret members (see
	// secretValues), scrubbed from every text of the response; nil when the
	// input has none.
	secrets []string
}

// validation returns a call's validate: full runs Validate, the rest
// (Options.DisableClientValidation) only the required members' check.
func validation(full, required func() error) func(bool) error {
	return func(all bool) error {
		if all {
			return full()
		}
		return required()
	}
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
	// scrubber holds the call's secrets: the operation's decoder scrubs
	// every string it returns with it (see jsonReader).
	scrubber *awsjson.Scrubber
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
	sc := awsjson.NewScrubber(append(k.secrets, options.secrets.list()...)...)
	res, err := sender.Send(ctx, k.op, body, sc)
	if err != nil {
		return nil, err
	}
	r := &response{body: res.Body, requestID: res.RequestID, scrubber: sc}
	awsmiddleware.SetRequestIDMetadata(&r.metadata, res.RequestID)
	return r, nil
}
