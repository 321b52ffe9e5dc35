package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sync"
	"syscall"
)

// Exit codes, documented in `cks help`.
const (
	exitOK          = 0   // success; plan and preflight: KMS is expected to accept the change
	exitError       = 1   // an error: KMS, the network, credentials, a failed apply
	exitRefused     = 2   // plan, preflight, apply: KMS would refuse the change; nothing was changed
	exitUsage       = 3   // bad flags or arguments, a secret on the command line
	exitUnchecked   = 4   // plan, preflight, apply: not everything KMS checks could be checked
	exitInterrupted = 130 // Ctrl-C: stopped waiting (or restored first); the store's state is printed
)

// command is one subcommand: its name, one line of help, and what runs it.
type command struct {
	name    string
	summary string
	run     func(e *env, args []string) int
}

// commands lists the subcommands in the order `cks help` shows them.
func commands() []command {
	return []command{
		{"describe", "list custom key stores as a table or JSON", runDescribe},
		{"plan", "show what an update would do; exit 0 (all checked, would succeed), 4 (not all checked), 2 (would be refused), 1 (error)", runPlan},
		{"apply", "plan, confirm, and apply an update with live progress", runApply},
		{"preflight", "check an external key store's proxy settings as KMS would", runPreflight},
		{"rotate-xks-credential", "tell KMS a new XKS proxy credential the proxy already accepts", runRotate},
		{"connect", "connect a store (--wait to wait for CONNECTED)", runConnect},
		{"disconnect", "disconnect a store (--wait to wait for DISCONNECTED)", runDisconnect},
		{"create", "create a custom key store", runCreate},
		{"delete", "delete a DISCONNECTED custom key store that holds no KMS keys (asks first)", runDelete},
	}
}

// env is what a subcommand reads and writes: the process's streams, its
// environment and the context that Ctrl-C cancels.
type env struct {
	ctx    context.Context
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	getenv func(string) string

	stdinBuf   *bufio.Reader // see stdinReader
	stdinTaken string        // the flag that read a secret from stdin

	exit      func(code int) // ends the process (os.Exit)
	hookMu    sync.Mutex
	interrupt func(n int) // see onInterrupt
}

// onInterrupt sets what the n-th Ctrl-C (or SIGTERM) does besides the
// default: the first cancels the context, the second ends the process with
// exitInterrupted after hook runs. nil clears it.
func (e *env) onInterrupt(hook func(n int)) {
	e.hookMu.Lock()
	defer e.hookMu.Unlock()
	e.interrupt = hook
}

// interrupted runs the hook for the n-th signal.
func (e *env) interrupted(n int) {
	e.hookMu.Lock()
	hook := e.interrupt
	e.hookMu.Unlock()
	if hook != nil {
		hook(n)
	}
}

// run is the whole program: it parses args, runs one subcommand and returns
// the exit code. SIGINT and SIGTERM cancel the context the subcommand runs
// with; a second one ends the process at once with exitInterrupted, after
// the subcommand's hook (see env.onInterrupt) says what it leaves behind.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	e := &env{ctx: ctx, stdin: stdin, stdout: stdout, stderr: stderr, getenv: os.Getenv, exit: os.Exit}
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(sigs)
	done := make(chan struct{})
	defer close(done)
	go func() {
		for n := 1; ; n++ {
			select {
			case <-sigs:
			case <-done:
				return
			}
			e.interrupted(n)
			if n == 1 {
				cancel()
				continue
			}
			e.exit(exitInterrupted)
			return
		}
	}()

	if len(args) == 0 {
		printHelp(stderr)
		return exitUsage
	}
	name := args[0]
	switch name {
	case "help", "-h", "-help", "--help":
		if len(args) > 1 {
			return runSubcommandHelp(e, args[1])
		}
		printHelp(stdout)
		return exitOK
	case "version", "--version":
		fmt.Fprintln(stdout, "cks", version())
		return exitOK
	}
	for _, c := range commands() {
		if c.name == name {
			return c.run(e, args[1:])
		}
	}
	fmt.Fprintf(stderr, "cks: unknown command %q; run 'cks help'\n", name)
	return exitUsage
}

// runSubcommandHelp prints the flags of one subcommand.
func runSubcommandHelp(e *env, name string) int {
	for _, c := range commands() {
		if c.name == name {
			e.stderr = e.stdout
			return c.run(e, []string{"-help"})
		}
	}
	fmt.Fprintf(e.stderr, "cks: unknown command %q; run 'cks help'\n", name)
	return exitUsage
}
