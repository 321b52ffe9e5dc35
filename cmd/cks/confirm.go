package main

import (
	"fmt"
	"strings"
)

// confirmation is how a command that changes a store asks before it does:
// on a terminal it asks, and only "yes" goes on; on a pipe nobody can
// answer, so it needs --yes.
type confirmation struct {
	command string // the subcommand, for messages
	nothing string // what was not done, e.g. "nothing was deleted"
}

// refuseWithoutTerminal reports, when stdin is not a terminal, that
// --yes is needed, and returns exitUsage; otherwise -1 to go on.
func (c confirmation) refuseWithoutTerminal(e *env) int {
	if e.stdinIsTerminal() {
		return -1
	}
	fmt.Fprintf(e.stderr, "cks %s: stdin is not a terminal, so cks cannot ask for confirmation; %s. Pass --yes to %s without asking.\n", c.command, c.nothing, c.command)
	return exitUsage
}

// ask asks question on the terminal. It returns -1 to go on, or the exit
// code: exitInterrupted after Ctrl-C, exitError for any answer but "yes".
func (c confirmation) ask(e *env, question string) int {
	fmt.Fprintf(e.stderr, "%s Only 'yes' is accepted: ", question)
	line, err := interruptible(e, func() (string, error) { return e.stdinReader().ReadString('\n') })
	if interrupted(e, err) {
		fmt.Fprintf(e.stderr, "\ncks: interrupted; %s.\n", c.nothing)
		return exitInterrupted
	}
	if strings.TrimSpace(line) != "yes" {
		fmt.Fprintf(e.stderr, "cks: %s cancelled; %s.\n", c.command, c.nothing)
		return exitError
	}
	return -1
}
