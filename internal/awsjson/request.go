package awsjson

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
)

// outgoing holds what one request points to, in one allocation: its URL,
// its body reader and the backing array of its header values.
type outgoing struct {
	url  url.URL
	body bodyReader
	// values backs Content-Type, X-Amz-Target, User-Agent, and the empty
	// X-Amz-Date and Authorization slots that the signer appends to.
	values [5]string
}

// bodyReader reads a request body from memory; Close does nothing. The
// request has no GetBody: nothing can re-send the body.
type bodyReader struct{ bytes.Reader }

func (*bodyReader) Close() error { return nil }

// buildRequest returns the POST of body to s.URL for operation op, with the
// headers the signer and KMS need. Each request has its own URL, header map
// and values: the signer and the transport may change them.
func (s *Sender) buildRequest(ctx context.Context, op string, body []byte) *http.Request {
	o := &outgoing{url: *s.URL}
	o.body.Reset(body)
	o.values[0], o.values[1], o.values[2] = "application/x-amz-json-1.1", s.target(op), s.UserAgent
	// Each value slice is capped, so that appending to one cannot overwrite
	// another; the signer sets X-Amz-Date and Authorization by appending to
	// a zero-length slice, which fills these slots instead of allocating.
	header := make(http.Header, 6)
	header["Content-Type"] = o.values[0:1:1]
	header["X-Amz-Target"] = o.values[1:2:2]
	header["User-Agent"] = o.values[2:3:3]
	header["X-Amz-Date"] = o.values[3:3:4]
	header["Authorization"] = o.values[4:4:5]
	req := http.Request{
		Method:        http.MethodPost,
		URL:           &o.url,
		Proto:         "HTTP/1.1",
		ProtoMajor:    1,
		ProtoMinor:    1,
		Header:        header,
		Body:          &o.body,
		ContentLength: int64(len(body)),
		Host:          o.url.Host,
	}
	return req.WithContext(ctx)
}
