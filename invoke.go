package kms

import (
	"context"
	"errors"
	"fmt"

	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	"github.com/aws/smithy-go/middleware"

	"github.com/kmskit/kms/internal/awsjson"
	"github.com/kmskit/kms/internal/kmsmodel"
)

// maxResponseBody lists the operations whose response body the client
// decodes, with the most bytes it reads (the sender's MaxResponseBody).
var maxResponseBody = map[string]int64{
	kmsmodel.OpCreateCustomKeyStore:    maxCreateResponse,
	kmsmodel.OpDescribeCustomKeyStores: maxDescribeResponse,
}

// response is what a successful call returns to its operation.
type response struct {
	body      []byte
	requestID string
	metadata  middleware.Metadata
	// scrubber holds the call's secrets: the operation's decoder scrubs
	// every string it returns with it.
	scrubber *awsjson.Scrubber
}

// errZeroClient is the error of every call on a nil or zero-value Client.
var errZeroClient = errors.New("the Client is nil or its zero value, which has no Region or Credentials: create it with New or NewFromConfig")

// invoke is every operation's call, one pipeline: check in against t
// (Validate), encode it, send it (signed, retried, its secrets and those of
// WithSecrets scrubbed from whatever comes back) with the client's options
// changed by optFns, and return the response to the operation's decoder.
func invoke[T any](ctx context.Context, c *Client, t *table[T], in T, optFns []func(*Options)) (*response, error) {
	op := t.op.Name
	switch {
	case c == nil || (c.sender == nil && c.err == nil):
		return nil, fmt.Errorf("kms: %s: %w", op, errZeroClient)
	case ctx == nil:
		return nil, fmt.Errorf("kms: %s: nil Context (pass context.Background() if there is no other)", op)
	}
	sender, options, err := c.forCall(optFns)
	if err != nil {
		return nil, fmt.Errorf("kms: %s: %w", op, err)
	}
	if err := t.validate(in, !options.DisableClientValidation); err != nil {
		return nil, err
	}
	// Not pooled: net/http may read a request body after Do returns. 512
	// bytes: a full external key store Create (about 430 bytes) is encoded
	// without growing the buffer.
	body := t.appendJSON(make([]byte, 0, 512), in, false)
	secrets, _ := t.secrets(in)
	sc := awsjson.NewScrubber(append(secrets, options.secretValues()...)...)
	res, err := sender.Send(ctx, op, body, sc) // every error comes back scrubbed, down its chain
	if err != nil {
		return nil, err
	}
	r := &response{body: res.Body, requestID: res.RequestID, scrubber: sc}
	awsmiddleware.SetRequestIDMetadata(&r.metadata, res.RequestID)
	return r, nil
}

// forCall returns the sender and options for one call: the client's own, or
// new ones when optFns override something.
func (c *Client) forCall(optFns []func(*Options)) (*awsjson.Sender, *Options, error) {
	if len(optFns) == 0 {
		return c.sender, &c.options, c.err
	}
	o := c.options.Copy()
	apply(&o, optFns)
	finalizeOptions(&o)
	s, err := newSender(&o)
	if s != nil && c.sender != nil {
		s.Clock = c.sender.Clock   // a learned clock offset holds for every call
		s.Signer = c.sender.Signer // and so does the signer's key cache
	}
	return s, &o, err
}

// apply calls each of fns that is not nil on v.
func apply[X any](v *X, fns []func(*X)) {
	for _, fn := range fns {
		if fn != nil {
			fn(v)
		}
	}
}
