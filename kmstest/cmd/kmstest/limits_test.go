package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kmskit/kms/kmstest"
)

// TestTimeoutAndMaxCallsFlags: the server has read, write and idle
// timeouts (defaults, or the flags' values), and -max-calls bounds Calls.
func TestTimeoutAndMaxCallsFlags(t *testing.T) {
	f, err := parseFlags(nil, io.Discard)
	require.NoError(t, err)
	srv := newHTTPServer(f, http.NotFoundHandler())
	assert.Equal(t, 30*time.Second, srv.ReadTimeout)
	assert.Equal(t, 30*time.Second, srv.WriteTimeout)
	assert.Equal(t, 2*time.Minute, srv.IdleTimeout)
	assert.Equal(t, 10*time.Second, srv.ReadHeaderTimeout)
	assert.Equal(t, kmstest.DefaultMaxCalls, f.maxCalls)

	f, err = parseFlags([]string{"-read-timeout", "2s", "-write-timeout", "3s", "-idle-timeout", "4s", "-max-calls", "2"}, io.Discard)
	require.NoError(t, err)
	srv = newHTTPServer(f, http.NotFoundHandler())
	assert.Equal(t, 2*time.Second, srv.ReadTimeout)
	assert.Equal(t, 2*time.Second, srv.ReadHeaderTimeout, "never above ReadTimeout")
	assert.Equal(t, 3*time.Second, srv.WriteTimeout)
	assert.Equal(t, 4*time.Second, srv.IdleTimeout)

	fake, err := newFake(kmstest.Seed{}, "", 0, slog.New(slog.NewTextHandler(io.Discard, nil)), kmstest.WithMaxCalls(f.maxCalls))
	require.NoError(t, err)
	for range 5 {
		req := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(`{}`))
		fake.ServeHTTP(httptest.NewRecorder(), req)
	}
	assert.Len(t, fake.Calls(), 2)

	for _, bad := range [][]string{{"-read-timeout", "0s"}, {"-write-timeout", "-1s"}, {"-idle-timeout", "0"}, {"-max-calls", "-1"}, {"-max-calls", "x"}} {
		_, err := parseFlags(bad, io.Discard)
		assert.ErrorIs(t, err, errUsage, "%v", bad)
	}
}

// TestSlowBodiesAreDropped: 300 connections that send their headers and
// then trickle (here: stop sending) their body are closed by the server
// once -read-timeout ends, instead of being held. Each client waits at
// most a generous bound derived from the timeout, only so that a broken
// server fails the test instead of hanging it.
func TestSlowBodiesAreDropped(t *testing.T) {
	const conns = 300
	const readTimeout = 300 * time.Millisecond
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	addr, _, wait := startRun(t, ctx, "-read-timeout", readTimeout.String())

	var wg sync.WaitGroup
	errs := make(chan error, conns)
	opened := make([]net.Conn, 0, conns)
	for range conns {
		c, err := net.Dial("tcp", addr)
		require.NoError(t, err)
		opened = append(opened, c)
		_, err = fmt.Fprintf(c, "POST / HTTP/1.1\r\nHost: %s\r\nContent-Type: application/x-amz-json-1.1\r\n"+
			"X-Amz-Target: %s\r\nContent-Length: 100000\r\n\r\n{\"CustomKeyStoreId\":", addr, kmstest.TargetUpdateCustomKeyStore)
		require.NoError(t, err)
	}
	for _, c := range opened {
		wg.Add(1)
		go func(c net.Conn) {
			defer wg.Done()
			defer c.Close()
			// A hang guard, not a speed requirement: far beyond the
			// server's timeout even on a loaded machine.
			_ = c.SetReadDeadline(time.Now().Add(200*readTimeout + time.Minute))
			_, err := io.Copy(io.Discard, c)
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				errs <- fmt.Errorf("connection still held open by the server: %w", err)
				return
			}
			// EOF (nil from io.Copy) or a reset: the server dropped it.
			errs <- nil
		}(c)
	}
	wg.Wait()
	close(errs)
	held := 0
	for err := range errs {
		if err != nil {
			held++
		}
	}
	assert.Zero(t, held, "of %d slow connections", conns)

	cancel()
	require.NoError(t, wait())
}

// TestCallsAndLogBoundedByBytes: through the command's fake and logger,
// a 1 MiB body, unauthenticated or with a valid signature, and an
// unauthenticated 900 KiB Authorization header each leave a short answer,
// a log line with an excerpt of about 2 KiB of the input (64 KiB of it is
// recorded) that says it was cut and how long the input is, and records
// that together stay within -max-call-bytes; the flag is parsed and a
// negative one is a usage error.
func TestCallsAndLogBoundedByBytes(t *testing.T) {
	f, err := parseFlags([]string{"-max-call-bytes", "300000"}, io.Discard)
	require.NoError(t, err)
	assert.Equal(t, 300000, f.maxCallBytes)
	f0, err := parseFlags(nil, io.Discard)
	require.NoError(t, err)
	assert.Equal(t, kmstest.DefaultMaxCallBytes, f0.maxCallBytes)
	_, err = parseFlags([]string{"-max-call-bytes", "-1"}, io.Discard)
	assert.ErrorIs(t, err, errUsage)

	var log syncBuffer
	seed := kmstest.Seed{Credentials: []kmstest.Credential{{AccessKeyId: rssCredential.AccessKeyID, SecretAccessKey: rssCredential.SecretAccessKey}}}
	fake, err := newFake(seed, "", 0, slog.New(slog.NewTextHandler(&log, nil)), kmstest.WithMaxCalls(f.maxCalls), kmstest.WithMaxCallBytes(f.maxCallBytes))
	require.NoError(t, err)

	body := bigBody(1 << 20)
	codes := map[string]string{modeSigned: kmstest.CodeValidation, modeUnsigned: kmstest.CodeIncompleteSignature, modeAuthHeader: kmstest.CodeIncompleteSignature}
	for _, mode := range []string{modeSigned, modeUnsigned, modeAuthHeader, modeSigned, modeUnsigned, modeAuthHeader} {
		before := len(log.String())
		size := 1 << 20
		if mode == modeAuthHeader {
			size = 900 << 10
		}
		req := loadRequest(t, "http://kmstest.local", mode, body, size, sha256Hex(body))
		w := httptest.NewRecorder()
		fake.ServeHTTP(w, req)
		assert.Contains(t, w.Body.String(), codes[mode], mode)
		assert.Less(t, w.Body.Len(), 1000, "%s: the answer repeats at most 128 characters of a value", mode)
		line := log.String()[before:]
		assert.Equal(t, 1, strings.Count(line, "\n"), mode)
		assert.Less(t, len(line), 3<<10, "%s: one log line, with an excerpt of the input of about 2 KiB", mode)
		if mode == modeSigned {
			input, err := json.Marshal(fake.Calls()[len(fake.Calls())-1].Input)
			require.NoError(t, err)
			assert.Greater(t, len(input), 60<<10, "the record keeps 64 KiB")
			assert.Contains(t, line, `...`+kmstest.InputCut+`" input_bytes=`+strconv.Itoa(len(input))+" ", "the line says it was cut, and how long the input is")
		}
	}

	// A short input is logged whole, without input_bytes.
	before := len(log.String())
	fake.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodPost, "/", strings.NewReader(`{"CustomKeyStoreId":"cks-1234567890abcdef0"}`)))
	line := log.String()[before:]
	assert.Contains(t, line, `input="{\"CustomKeyStoreId\":\"cks-1234567890abcdef0\"}"`)
	assert.NotContains(t, line, "input_bytes")
	assert.NotContains(t, line, kmstest.InputCut)
	calls := fake.Calls()
	require.NotEmpty(t, calls)
	total := 0
	for _, c := range calls {
		b, err := json.Marshal(c)
		require.NoError(t, err)
		total += len(b)
	}
	assert.Less(t, total, 300000, "the kept calls fit in -max-call-bytes")
	assert.NotContains(t, log.String(), rssCredential.SecretAccessKey)
}
