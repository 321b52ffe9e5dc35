package awsjson

import (
	"fmt"
	"io"
	"net/http"
)

// ResponseTooLargeError reports a successful response whose body is larger
// than its operation accepts (Sender.MaxResponseBody). It is not retried.
type ResponseTooLargeError struct {
	Op        string
	Limit     int64
	RequestID string
}

func (e *ResponseTooLargeError) Error() string {
	return fmt.Sprintf("kms: %s: response body larger than %d bytes (request id %s)", e.Op, e.Limit, e.RequestID)
}

// readBody reads at most limit bytes of a successful response's body into
// res.Body and closes it. A longer body is abandoned with its connection.
func readBody(resp *http.Response, res Result, op string, limit int64) (Result, error) {
	b, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if cerr := resp.Body.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return res, fmt.Errorf("kms: %s: read response (status %d, request id %s): %w", op, resp.StatusCode, res.RequestID, err)
	}
	if int64(len(b)) > limit {
		return res, &ResponseTooLargeError{Op: op, Limit: limit, RequestID: res.RequestID}
	}
	res.Body = b
	return res, nil
}
