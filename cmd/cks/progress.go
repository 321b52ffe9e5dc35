package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"github.com/kmskit/kms"
	"github.com/kmskit/kms/internal/display"
	"golang.org/x/term"
)

// progress prints one live line per step: the step, the store's state as
// the last poll saw it, the time elapsed and when the next poll is due
// (not once the state seen ends the wait: see endsAt). On a terminal the
// line is redrawn in place every quarter second; otherwise a line is
// written when the step starts, when the state seen changes, and when the
// step ends. States and codes from KMS are printed through display.Clean.
type progress struct {
	w    io.Writer
	tty  bool
	poll time.Duration

	mu       sync.Mutex
	label    string
	start    time.Time
	state    string
	code     string
	lastPoll time.Time
	waiting  bool
	final    map[string]bool // states that end the wait: no next poll
	stop     chan struct{}
	done     chan struct{}
}

func newProgress(w io.Writer, poll time.Duration) *progress {
	f, ok := w.(*os.File)
	return &progress{w: w, tty: ok && term.IsTerminal(int(f.Fd())), poll: poll}
}

// begin starts the line of a step; waiting says the step polls.
func (p *progress) begin(label string, waiting bool) {
	p.mu.Lock()
	p.label, p.start, p.waiting = label, time.Now(), waiting
	p.lastPoll, p.final = time.Time{}, nil
	p.mu.Unlock()
	if !p.tty {
		fmt.Fprintf(p.w, "  %s ...\n", label)
		return
	}
	p.stop, p.done = make(chan struct{}), make(chan struct{})
	go p.redraw(p.stop, p.done)
}

// endsAt names the states at which the wait of the step that began last
// stops, so that the line of such a state does not announce a next poll.
func (p *progress) endsAt(states ...kms.ConnectionStateType) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.final = map[string]bool{}
	for _, s := range states {
		p.final[string(s)] = true
	}
}

// observe records the state a poll saw.
func (p *progress) observe(state, code string) {
	state, code = display.Clean(state), display.Clean(code)
	p.mu.Lock()
	changed := state != p.state || code != p.code
	p.state, p.code, p.lastPoll = state, code, time.Now()
	line := p.lineLocked()
	active := p.label != ""
	p.mu.Unlock()
	if active && !p.tty && changed {
		fmt.Fprintf(p.w, "  %s\n", line)
	}
}

// end finishes the line of the step.
func (p *progress) end(err error) {
	if p.tty && p.stop != nil {
		close(p.stop)
		<-p.done
		p.stop = nil
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	elapsed := time.Since(p.start).Round(100 * time.Millisecond)
	// "failed"/"interrupted", not "FAILED": that is a ConnectionState.
	status := "done in"
	switch {
	case errors.Is(err, context.Canceled):
		status = "interrupted after"
	case err != nil:
		status = "failed after"
	}
	prefix := "  "
	if p.tty {
		prefix = "\r\033[K  "
	}
	state := ""
	if p.waiting && p.state != "" {
		state = ", store " + stateText(p.state, p.code)
	}
	fmt.Fprintf(p.w, "%s%s: %s %s%s\n", prefix, p.label, status, elapsed, state)
	p.label = ""
}

// lineLocked is the live line; p.mu is held.
func (p *progress) lineLocked() string {
	elapsed := time.Since(p.start).Round(100 * time.Millisecond)
	if !p.waiting {
		return fmt.Sprintf("%s  elapsed %s", p.label, elapsed)
	}
	state := "not seen yet"
	if p.state != "" {
		state = stateText(p.state, p.code)
	}
	next := "soon"
	switch {
	case p.final[p.state]:
		return fmt.Sprintf("%s  state %s  elapsed %s", p.label, state, elapsed)
	case !p.lastPoll.IsZero():
		d := time.Until(p.lastPoll.Add(p.poll)).Round(100 * time.Millisecond)
		if d < 0 {
			d = 0
		}
		next = "in " + d.String()
	}
	return fmt.Sprintf("%s  state %s  elapsed %s  next poll %s", p.label, state, elapsed, next)
}

func (p *progress) redraw(stop, done chan struct{}) {
	defer close(done)
	t := time.NewTicker(250 * time.Millisecond)
	defer t.Stop()
	for {
		p.mu.Lock()
		fmt.Fprintf(p.w, "\r\033[K  %s", p.lineLocked())
		p.mu.Unlock()
		select {
		case <-stop:
			return
		case <-t.C:
		}
	}
}

// stateText is a state with its error code, e.g. "FAILED (INVALID_CREDENTIALS)".
func stateText(state, code string) string {
	if code != "" {
		return state + " (" + code + ")"
	}
	return state
}
