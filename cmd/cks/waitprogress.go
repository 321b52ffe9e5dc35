package main

import (
	"context"
	"log/slog"
)

// attemptLogger returns the logger a waiter's LogWaitAttempts writes to:
// each attempt record ("kms waiter attempt", with the state and
// connection_error_code the poll saw) updates the progress line. That is
// how the polls of `cks connect|disconnect --wait` show without requests
// of cks's own against KMS's low request quota (apply uses
// ApplyOptions.OnPoll instead).
func (p *progress) attemptLogger() *slog.Logger {
	return slog.New(attemptHandler{p})
}

// attemptHandler feeds waiter attempt records to a progress line.
type attemptHandler struct{ p *progress }

func (h attemptHandler) Enabled(context.Context, slog.Level) bool { return true }

func (h attemptHandler) Handle(_ context.Context, rec slog.Record) error {
	var state, code string
	rec.Attrs(func(a slog.Attr) bool {
		switch a.Key {
		case "state":
			state = a.Value.String()
		case "connection_error_code":
			code = a.Value.String()
		}
		return true
	})
	if state != "" {
		h.p.observe(state, code)
	}
	return nil
}

func (h attemptHandler) WithAttrs([]slog.Attr) slog.Handler { return h }
func (h attemptHandler) WithGroup(string) slog.Handler      { return h }
