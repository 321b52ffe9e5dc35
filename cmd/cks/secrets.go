package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/kmskit/kms"
	"github.com/kmskit/kms/xksproxy"
	"golang.org/x/term"
)

// secretSource is where one secret may come from: a file flag (F, or "-"
// for stdin) or, when the flag is not given, an environment variable.
type secretSource struct {
	member string // the AWS member, for messages
	flag   string // the file flag's name, without dashes
	file   string // its value
	envVar string
}

// maxSecretLine bounds what is read for one secret.
const maxSecretLine = 64 << 10

// readSecret returns the secret, or nil when neither the flag nor the
// environment variable gives one. Errors never hold the secret.
func (e *env) readSecret(s secretSource) (*string, error) {
	switch {
	case s.file == "-":
		return e.readSecretStdin(s)
	case s.file != "":
		f, err := os.Open(s.file)
		if err != nil {
			return nil, fmt.Errorf("--%s: %w", s.flag, err)
		}
		defer f.Close()
		v, err := firstLine(bufio.NewReader(io.LimitReader(f, maxSecretLine)))
		if err != nil {
			return nil, fmt.Errorf("--%s %s: %w", s.flag, s.file, err)
		}
		return &v, nil
	case s.envVar != "" && e.getenv(s.envVar) != "":
		v := e.getenv(s.envVar)
		fmt.Fprintf(e.stderr, "cks: %s from the environment variable %s\n", s.member, s.envVar)
		return &v, nil
	}
	return nil, nil
}

// xksCredential is the XKS proxy credential of an access key ID flag and a
// secret source, or nil when neither is given. The environment variable is
// read only with the access key ID, so a variable left set elsewhere never
// sends a credential nobody asked for. A half credential is passed on for
// the library to name the missing member.
func (e *env) xksCredential(accessKeyID *string, secret secretSource) (*kms.XksProxyAuthenticationCredentialType, error) {
	if accessKeyID == nil && secret.file == "" {
		return nil, nil
	}
	if accessKeyID == nil {
		secret.envVar = ""
	}
	s, err := e.readSecret(secret)
	if err != nil {
		return nil, err
	}
	return &kms.XksProxyAuthenticationCredentialType{AccessKeyId: accessKeyID, RawSecretAccessKey: s}, nil
}

// takeStdin claims stdin for the secret of flag: only one secret per run
// can come from stdin.
func (e *env) takeStdin(flag string) error {
	if e.stdinTaken != "" {
		return fmt.Errorf("--%s -: stdin already gives --%s; read one of them from a file", flag, e.stdinTaken)
	}
	e.stdinTaken = flag
	return nil
}

// readConfigurationFile reads the XKS credential of an XKS proxy
// configuration file: path, or stdin for "-" (a pipe, not a terminal,
// which would echo the secret). Errors never hold the file's contents.
func (e *env) readConfigurationFile(flag, path string) (*kms.XksProxyAuthenticationCredentialType, error) {
	var f xksproxy.ConfigurationFile
	var err error
	if path == "-" {
		if err := e.takeStdin(flag); err != nil {
			return nil, err
		}
		if e.stdinIsTerminal() {
			return nil, flagValueError(fmt.Sprintf("--%s -: stdin is a terminal, which would show the secret; give the file's path, or pipe the file in (< FILE)", flag))
		}
		f, err = interruptible(e, func() (xksproxy.ConfigurationFile, error) { return xksproxy.ReadConfigurationFile(e.stdinReader()) })
		path = "- (stdin)"
	} else {
		var file *os.File
		if file, err = os.Open(path); err != nil {
			return nil, fmt.Errorf("--%s: %w", flag, err)
		}
		defer file.Close()
		f, err = xksproxy.ReadConfigurationFile(file)
	}
	if err != nil {
		return nil, fmt.Errorf("--%s %s: %w", flag, path, err)
	}
	return &kms.XksProxyAuthenticationCredentialType{AccessKeyId: &f.Credential.AccessKeyID, RawSecretAccessKey: &f.Credential.SecretAccessKey}, nil
}

// readSecretStdin reads one line from stdin, or prompts for it without echo
// when stdin is a terminal. Only one secret per run can come from stdin.
func (e *env) readSecretStdin(s secretSource) (*string, error) {
	if err := e.takeStdin(s.flag); err != nil {
		return nil, err
	}
	if e.stdinIsTerminal() {
		fd := int(e.stdin.(*os.File).Fd())
		if st, err := term.GetState(fd); err == nil {
			defer term.Restore(fd, st) // echo back on, also after Ctrl-C
		}
		fmt.Fprintf(e.stderr, "%s (not echoed): ", s.member)
		v, err := interruptible(e, func() (string, error) {
			b, err := term.ReadPassword(fd)
			return string(b), err
		})
		fmt.Fprintln(e.stderr)
		if err != nil {
			return nil, fmt.Errorf("--%s -: reading the terminal: %w", s.flag, err)
		}
		if v == "" {
			return nil, fmt.Errorf("--%s -: %s is empty", s.flag, s.member)
		}
		return &v, nil
	}
	v, err := interruptible(e, func() (string, error) { return firstLine(e.stdinReader()) })
	if err != nil {
		return nil, fmt.Errorf("--%s - (stdin): %w", s.flag, err)
	}
	return &v, nil
}

// stdinIsTerminal reports whether stdin is a terminal, where cks can
// prompt.
func (e *env) stdinIsTerminal() bool {
	f, ok := e.stdin.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// interruptible runs read, a read of stdin, and returns its result, or the
// context's error as soon as Ctrl-C cancels it: a blocked read must not
// swallow the interrupt. (The read's goroutine ends with the process.)
func interruptible[T any](e *env, read func() (T, error)) (T, error) {
	type result struct {
		v   T
		err error
	}
	ch := make(chan result, 1)
	go func() {
		v, err := read()
		ch <- result{v, err}
	}()
	select {
	case r := <-ch:
		return r.v, r.err
	case <-e.ctx.Done():
		var zero T
		return zero, e.ctx.Err()
	}
}

// stdinReader is the one buffered reader of stdin, shared by secrets and
// confirmation.
func (e *env) stdinReader() *bufio.Reader {
	if e.stdinBuf == nil {
		e.stdinBuf = bufio.NewReader(e.stdin)
	}
	return e.stdinBuf
}

// firstLine reads one line without its line ending; an empty line is an
// error. The line is never part of an error.
func firstLine(r *bufio.Reader) (string, error) {
	line, err := r.ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", err
	}
	if len(line) >= maxSecretLine && !strings.HasSuffix(line, "\n") {
		return "", errors.New("the first line is too long")
	}
	line = strings.TrimRight(line, "\r\n")
	if line == "" {
		return "", errors.New("no secret: the first line is empty")
	}
	return line, nil
}
