package awsjson

import (
	"context"
	"errors"
	"log/slog"
	"time"
)

// RedactFunc returns a copy of the request body of operation op that is safe
// to log: every secret member replaced. It is called only when a Logger is
// set and enabled at Debug level.
type RedactFunc func(op string, body []byte) []byte

// bodyNotShown is logged instead of a body that has no RedactFunc.
const bodyNotShown = "[body not shown]"

// debugEnabled reports whether attempts are logged for this call. With no
// Logger it costs one comparison.
func (s *Sender) debugEnabled(ctx context.Context) bool {
	return s.Logger != nil && s.Logger.Enabled(ctx, slog.LevelDebug)
}

// logAttempt logs one attempt at Debug level: what was called, how it went
// and the redacted body. It never logs headers, so neither the
// Authorization signature nor anything derived from the secret key. An
// error is logged by its code when it has one, since a service message may
// echo the request.
//
// Every attribute that comes from the response is scrubbed of the call's
// secrets (sc): the request ID and the error code already are, since the
// sender scrubs the response before anything reads it; an error's text is
// scrubbed here.
func (s *Sender) logAttempt(ctx context.Context, op string, body []byte, attempt int, took time.Duration, res *Result, err error, sc *Scrubber) {
	shown := bodyNotShown
	if s.RedactBody != nil {
		shown = sc.Scrub(string(s.RedactBody(op, body)))
	}
	attrs := make([]slog.Attr, 0, 8)
	attrs = append(attrs,
		slog.String("target", s.TargetScope+"."+op),
		slog.Int("attempt", attempt),
		slog.Int("status", res.StatusCode),
		slog.String("request_id", sc.Scrub(res.RequestID)),
		slog.Duration("duration", took),
		slog.String("body", shown),
	)
	if err != nil {
		var coded interface{ ErrorCode() string }
		if errors.As(err, &coded) {
			attrs = append(attrs, slog.String("error_code", sc.Scrub(coded.ErrorCode())))
		} else {
			attrs = append(attrs, slog.String("error", sc.Scrub(err.Error())))
		}
	}
	s.Logger.LogAttrs(ctx, slog.LevelDebug, "kms attempt", attrs...)
}
