// Package echotest holds what the tests of echo scrubbing in package kms
// and xksproxy share: a loopback server that answers with raw bytes or a
// reply set by the test, and a walk over an error's whole chain. Tests
// only.
package echotest

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"sync"
	"testing"
)

// RawServer answers every request on a loopback TCP listener with reply,
// written as it is (a malformed status line, header or body included), and
// returns its base URL. It stops when the test ends.
func RawServer(tb testing.TB, reply string) string {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { _ = ln.Close() })
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer conn.Close()
				req, err := http.ReadRequest(bufio.NewReader(conn))
				if err != nil {
					return
				}
				_, _ = io.Copy(io.Discard, req.Body)
				_, _ = io.WriteString(conn, reply)
			}()
		}
	}()
	return "http://" + ln.Addr().String()
}

// MalformedReplies are raw HTTP replies that make net/http fail with a
// *url.Error quoting echo, by name: a bad status line, header line,
// Content-Length or Transfer-Encoding, a bare line instead of a status
// line, and a redirect whose Location cannot be parsed.
func MalformedReplies(echo string) map[string]string {
	return map[string]string{
		"bad status line":       "HTTP/1.1 " + echo + " OK\r\n\r\n",
		"bad header line":       "HTTP/1.1 200 OK\r\n" + echo + "\r\n\r\n",
		"bad Content-Length":    "HTTP/1.1 200 OK\r\nContent-Length: 12" + echo + "\r\n\r\n{}",
		"bad Transfer-Encoding": "HTTP/1.1 200 OK\r\nTransfer-Encoding: " + echo + "\r\n\r\n{}",
		"bare line":             echo + "\r\n\r\n",
		"unparsable Location":   "HTTP/1.1 302 Found\r\nLocation: http://[::1%zz]/" + echo + "\r\nContent-Length: 0\r\n\r\n",
	}
}

// Reply is an http.Handler that answers with what Set last gave it.
type Reply struct {
	mu     sync.Mutex
	status int
	header http.Header
	body   []byte
}

// Set makes every following request get status, header and body.
func (r *Reply) Set(status int, header http.Header, body []byte) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.status, r.header, r.body = status, header, body
}

// ServeHTTP writes the reply.
func (r *Reply) ServeHTTP(w http.ResponseWriter, _ *http.Request) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for k, v := range r.header {
		w.Header()[k] = v
	}
	w.WriteHeader(r.status)
	_, _ = w.Write(r.body)
}

// ErrorTexts returns the text (Error()) and the %+v form of err and of
// everything it unwraps to, through Unwrap() error and Unwrap() []error.
func ErrorTexts(err error) []string {
	if err == nil {
		return nil
	}
	texts := []string{err.Error(), fmt.Sprintf("%+v", err)}
	switch u := err.(type) {
	case interface{ Unwrap() error }:
		texts = append(texts, ErrorTexts(u.Unwrap())...)
	case interface{ Unwrap() []error }:
		for _, in := range u.Unwrap() {
			texts = append(texts, ErrorTexts(in)...)
		}
	}
	return texts
}
