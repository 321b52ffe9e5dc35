package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/stretchr/testify/require"

	"github.com/kmskit/kms/kmstest"
)

// The kinds of call TestStandaloneRSS (and TestCallsAndLogBoundedByBytes)
// send, as the issue reproduced them.
const (
	// modeSigned: an UpdateCustomKeyStore whose body has the size asked,
	// signed with the seeded credential (a ValidationException: the name
	// is too long).
	modeSigned = "signed"
	// modeUnsigned: the same body without a signature
	// (IncompleteSignatureException).
	modeUnsigned = "unsigned"
	// modeAuthHeader: an empty body with an Authorization header of the
	// size asked (IncompleteSignatureException, which repeats it).
	modeAuthHeader = "auth-header"
)

// rssCredential is the credential the measured command accepts.
var rssCredential = aws.Credentials{AccessKeyID: "AKIDEXAMPLE", SecretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"}

// bigBody is an UpdateCustomKeyStore body of exactly size bytes.
func bigBody(size int) []byte {
	head, tail := `{"CustomKeyStoreId":"cks-1234567890abcdef0","NewCustomKeyStoreName":"`, `"}`
	return []byte(head + strings.Repeat("x", size-len(head)-len(tail)) + tail)
}

// sha256Hex is the SigV4 payload hash of b.
func sha256Hex(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// loadRequest is one call of mode to url: body (whose payload hash is
// hash) for modeSigned and modeUnsigned, an Authorization header of size
// bytes for modeAuthHeader.
func loadRequest(t testing.TB, url, mode string, body []byte, size int, hash string) *http.Request {
	if mode == modeAuthHeader {
		body = []byte(`{}`)
	}
	req, err := http.NewRequest(http.MethodPost, url+"/", bytes.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	req.Header.Set("X-Amz-Target", kmstest.TargetUpdateCustomKeyStore)
	switch mode {
	case modeSigned:
		require.NoError(t, v4.NewSigner().SignHTTP(context.Background(), rssCredential, req, hash, "kms", "us-east-1", time.Now()))
	case modeAuthHeader:
		req.Header.Set("Authorization", strings.Repeat("A", size))
		req.Header.Set("X-Amz-Date", time.Now().UTC().Format("20060102T150405Z"))
	}
	return req
}

// TestStandaloneRSS measures the standalone command's memory: it builds
// the command (or runs KMSTEST_RSS_BIN, e.g. one built from an older
// commit), starts it on loopback with SigV4 on, sends KMSTEST_RSS_CALLS
// calls (default 10000) of KMSTEST_RSS mode (signed, unsigned or
// auth-header) and KMSTEST_RSS_SIZE bytes (default 1 MiB), one at a time,
// and reports VmHWM and VmRSS from /proc/<pid>/status and the bytes written
// to stderr. It runs only when KMSTEST_RSS is set, and fails when VmHWM
// reaches KMSTEST_RSS_LIMIT_MB (default 100):
//
//	KMSTEST_RSS=signed go test -run TestStandaloneRSS -v -timeout 30m ./kmstest/cmd/kmstest
func TestStandaloneRSS(t *testing.T) {
	mode := os.Getenv("KMSTEST_RSS")
	if mode == "" {
		t.Skip("set KMSTEST_RSS=signed, unsigned or auth-header to measure")
	}
	require.Contains(t, []string{modeSigned, modeUnsigned, modeAuthHeader}, mode)
	calls := envInt(t, "KMSTEST_RSS_CALLS", 10000)
	size := envInt(t, "KMSTEST_RSS_SIZE", 1<<20)
	limitMB := envInt(t, "KMSTEST_RSS_LIMIT_MB", 100)

	dir := t.TempDir()
	bin := os.Getenv("KMSTEST_RSS_BIN")
	if bin == "" {
		bin = filepath.Join(dir, "kmstest")
		out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
		require.NoError(t, err, "go build: %s", out)
	}
	seedFile := filepath.Join(dir, "seed.json")
	require.NoError(t, os.WriteFile(seedFile, []byte(fmt.Sprintf(`{"Credentials":[{"AccessKeyId":%q,"SecretAccessKey":%q}]}`,
		rssCredential.AccessKeyID, rssCredential.SecretAccessKey)), 0o600))
	cmd := exec.Command(bin, "-addr", "127.0.0.1:0", "-seed", seedFile)
	stderr, err := cmd.StderrPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	t.Cleanup(func() {
		_ = cmd.Process.Signal(os.Interrupt)
		_ = cmd.Wait()
	})

	var logged atomic.Int64
	urls := make(chan string, 1)
	go func() {
		r := bufio.NewReader(stderr)
		listening := regexp.MustCompile(`msg="kmstest listening" url=(\S+)`)
		for {
			line, err := r.ReadString('\n')
			logged.Add(int64(len(line)))
			if m := listening.FindStringSubmatch(line); m != nil {
				urls <- m[1]
			}
			if err != nil {
				return
			}
		}
	}()
	var url string
	select {
	case url = <-urls:
	case <-time.After(time.Minute): // a hang guard
		t.Fatal("kmstest did not start")
	}
	_, baseRSS := procStatus(t, cmd.Process.Pid)

	body := bigBody(size)
	hash := sha256Hex(body)
	client := &http.Client{}
	start := time.Now()
	for i := range calls {
		res, err := client.Do(loadRequest(t, url, mode, body, size, hash))
		require.NoError(t, err, "call %d", i)
		_, _ = io.Copy(io.Discard, res.Body)
		res.Body.Close()
		require.NotEqual(t, http.StatusOK, res.StatusCode)
	}
	hwm, rss := procStatus(t, cmd.Process.Pid)
	t.Logf("%d %s calls of %d bytes in %s: VmHWM %d kB, VmRSS %d kB (at start %d kB), stderr %d bytes",
		calls, mode, size, time.Since(start).Round(time.Second), hwm, rss, baseRSS, logged.Load())
	require.Less(t, hwm, limitMB*1000, "VmHWM in kB")
}

// envInt reads a positive integer from the environment, def when unset.
func envInt(t *testing.T, name string, def int) int {
	v := os.Getenv(name)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	require.NoError(t, err, name)
	require.Positive(t, n, name)
	return n
}

// procStatus returns a process's VmHWM and VmRSS, in kB.
func procStatus(t *testing.T, pid int) (hwm, rss int) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	require.NoError(t, err)
	for _, line := range strings.Split(string(b), "\n") {
		var n int
		if _, err := fmt.Sscanf(line, "VmHWM: %d kB", &n); err == nil {
			hwm = n
		}
		if _, err := fmt.Sscanf(line, "VmRSS: %d kB", &n); err == nil {
			rss = n
		}
	}
	require.Positive(t, hwm)
	return hwm, rss
}
