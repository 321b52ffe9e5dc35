package awsjson

import (
	"context"
	"errors"
)

// maxErrorTree bounds how deep ScrubError walks an error's chain.
const maxErrorTree = 32

// ScrubError returns err itself when no error of its chain (err and
// everything it unwraps to, through Unwrap() error and Unwrap() []error)
// has a text that holds a secret. Otherwise it returns an error with err's
// text scrubbed that unwraps only to what is safe: the parts of the chain
// whose own chains are clean (a *net.OpError under an echoing *url.Error,
// say), and context.Canceled or context.DeadlineExceeded when err matched
// them. It reports err's Timeout() and Temporary() (it is a net.Error), so
// errors.Is, errors.As and a retryer's classification keep working, but
// nothing it unwraps to, such as the *url.Error of a malformed reply,
// holds the echo.
func (sc *Scrubber) ScrubError(err error) error {
	if sc == nil || err == nil || sc.cleanChain(err, 0) {
		return err
	}
	e := &scrubbedError{text: sc.Scrub(err.Error())}
	var timeout interface{ Timeout() bool }
	e.timeout = errors.As(err, &timeout) && timeout.Timeout()
	var temporary interface{ Temporary() bool }
	e.temporary = errors.As(err, &temporary) && temporary.Temporary()
	e.kept = sc.cleanParts(err, nil, 0)
	for _, sentinel := range [...]error{context.Canceled, context.DeadlineExceeded} {
		if errors.Is(err, sentinel) && !errors.Is(errors.Join(e.kept...), sentinel) {
			e.kept = append(e.kept, sentinel)
		}
	}
	return e
}

// cleanChain reports whether no text of err's chain holds a secret.
func (sc *Scrubber) cleanChain(err error, depth int) bool {
	if depth > maxErrorTree {
		return false
	}
	if text := err.Error(); sc.Scrub(text) != text {
		return false
	}
	for _, in := range unwrapAll(err) {
		if !sc.cleanChain(in, depth+1) {
			return false
		}
	}
	return true
}

// cleanParts appends to kept the largest parts of err's chain below err
// whose chains are clean.
func (sc *Scrubber) cleanParts(err error, kept []error, depth int) []error {
	if depth > maxErrorTree {
		return kept
	}
	for _, in := range unwrapAll(err) {
		if sc.cleanChain(in, depth+1) {
			kept = append(kept, in)
		} else {
			kept = sc.cleanParts(in, kept, depth+1)
		}
	}
	return kept
}

// unwrapAll returns what err unwraps to, without nils.
func unwrapAll(err error) []error {
	switch u := err.(type) {
	case interface{ Unwrap() error }:
		if in := u.Unwrap(); in != nil {
			return []error{in}
		}
	case interface{ Unwrap() []error }:
		var out []error
		for _, in := range u.Unwrap() {
			if in != nil {
				out = append(out, in)
			}
		}
		return out
	}
	return nil
}

// scrubbedError is an error whose chain held a secret: its text is
// scrubbed, and it unwraps only to the clean parts of that chain.
type scrubbedError struct {
	text               string
	timeout, temporary bool
	kept               []error
}

func (e *scrubbedError) Error() string   { return e.text }
func (e *scrubbedError) Unwrap() []error { return e.kept }

// Timeout reports whether the original error was a timeout.
func (e *scrubbedError) Timeout() bool { return e.timeout }

// Temporary reports whether the original error said it was temporary.
func (e *scrubbedError) Temporary() bool { return e.temporary }
