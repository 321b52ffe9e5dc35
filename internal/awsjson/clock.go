package awsjson

import (
	"errors"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/kmskit/kms/internal/kmsmodel"
)

// Clock is the signing clock of one client: the local time plus an offset
// learned from a server that rejected a signature as skewed. The zero value
// has no offset; a nil *Clock is the local clock. It is safe for concurrent
// use.
type Clock struct {
	offset atomic.Int64 // nanoseconds added to the local time
}

// Offset returns the correction currently applied to the local time.
func (c *Clock) Offset() time.Duration {
	if c == nil {
		return 0
	}
	return time.Duration(c.offset.Load())
}

// skewThreshold is how far the server's Date must be from the signing time
// for a skew error to be corrected, as in the AWS SDKs' clock skew rules.
const skewThreshold = 4 * time.Minute

// maxTrustedRoundTrip bounds the round trip of a response whose Date is
// trusted to measure skew: a slower one says little about the server clock.
const maxTrustedRoundTrip = 15 * time.Minute

// maxSkew bounds the correction: a server Date further off than this is not
// a clock to sign with (a broken or hostile server, or a cached page), and
// is ignored.
const maxSkew = 24 * time.Hour

// skewInfo is what an error response says about the server's clock.
type skewInfo struct {
	date       string    // the Date header
	cached     bool      // an Age header: the response may come from a cache
	sentAt     time.Time // local time before sending
	receivedAt time.Time // local time the response headers arrived
}

// correct learns the server's clock from a failed attempt. It returns true,
// after storing the new offset, when err carries a clock skew code
// (kmsmodel.ClockSkewCodes; AccessDeniedException and other codes never
// count) and the response's Date is more than skewThreshold, and at most
// maxSkew, from the local time: the request is then worth signing again.
// An absent or unparsable Date, a Date more than maxSkew off, a cached
// response, or a slow round trip change nothing.
func (c *Clock) correct(err error, info *skewInfo) bool {
	if c == nil || info.date == "" || info.cached {
		return false
	}
	var coded interface{ ErrorCode() string }
	if !errors.As(err, &coded) || !kmsmodel.IsClockSkew(coded.ErrorCode()) {
		return false
	}
	if info.receivedAt.Sub(info.sentAt) > maxTrustedRoundTrip {
		return false
	}
	server, perr := http.ParseTime(info.date)
	if perr != nil {
		return false
	}
	skew := server.Sub(info.receivedAt)
	if skew > maxSkew || skew < -maxSkew {
		return false
	}
	applied := c.Offset()
	if d := skew - applied; d <= skewThreshold && d >= -skewThreshold {
		return false
	}
	c.offset.Store(int64(skew))
	return true
}
