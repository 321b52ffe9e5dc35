package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"flag"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kmskit/kms/kmstest"
)

// syncBuffer is a bytes.Buffer safe for the server's and the test's
// goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestExampleSeed: the shipped example seed loads, and its documented
// credential signs a working request.
func TestExampleSeed(t *testing.T) {
	seed, err := loadSeed("example-seed.json")
	require.NoError(t, err)
	fake, err := newFake(seed, "", kmstest.DefaultTransitionDelay, slog.New(slog.NewTextHandler(io.Discard, nil)))
	require.NoError(t, err)

	stores := fake.Stores()
	require.Len(t, stores, 2)
	types := map[kmstest.StoreType]bool{}
	for _, s := range stores {
		types[s.CustomKeyStoreType] = true
	}
	assert.True(t, types[kmstest.TypeCloudHSM] && types[kmstest.TypeExternal], "one store of each type")
	require.NotEmpty(t, seed.Clusters)
	require.NotEmpty(t, seed.XksProxies)
	require.NotEmpty(t, seed.VpcEndpointServices)
	require.Len(t, seed.Credentials, 1)

	// The example's values pass the API's model: a signed rename of the
	// CloudHSM store succeeds, and a related-cluster change after
	// disconnecting does too.
	cs := seed.Credentials[0]
	id := "cks-1234567890abcdef0"
	rec := serveSigned(t, fake, cs, `{"CustomKeyStoreId":"`+id+`","NewCustomKeyStoreName":"renamed"}`)
	require.Equal(t, http.StatusOK, rec.StatusCode)
	require.NoError(t, fake.SetConnectionState(id, kmstest.StateDisconnected))
	rec = serveSigned(t, fake, cs, `{"CustomKeyStoreId":"`+id+`","CloudHsmClusterId":"`+seed.Clusters[1].ClusterId+`"}`)
	require.Equal(t, http.StatusOK, rec.StatusCode)
	s, _ := fake.Store(id)
	assert.Equal(t, "renamed", s.CustomKeyStoreName)
	assert.Equal(t, seed.Clusters[1].ClusterId, s.CloudHsmClusterId)
}

// serveSigned sends a signed UpdateCustomKeyStore to fake in process.
func serveSigned(t *testing.T, fake *kmstest.Fake, c kmstest.Credential, body string) *http.Response {
	t.Helper()
	res, _ := serveSignedTo(t, fake, c, kmstest.TargetUpdateCustomKeyStore, body)
	return res
}

// serveSignedTo sends a signed request for target to fake in process and
// returns the answer and its body.
func serveSignedTo(t *testing.T, fake *kmstest.Fake, c kmstest.Credential, target, body string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, "http://127.0.0.1:4599/", strings.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	req.Header.Set("X-Amz-Target", target)
	sum := sha256.Sum256([]byte(body))
	require.NoError(t, v4.NewSigner().SignHTTP(context.Background(), aws.Credentials{AccessKeyID: c.AccessKeyId, SecretAccessKey: c.SecretAccessKey},
		req, hex.EncodeToString(sum[:]), "kms", "us-east-1", time.Now()))
	req.Body = io.NopCloser(strings.NewReader(body))
	w := &recorder{header: http.Header{}}
	fake.ServeHTTP(w, req)
	return &http.Response{StatusCode: w.status, Header: w.header}, w.body.String()
}

// recorder is a minimal http.ResponseWriter.
type recorder struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (r *recorder) Header() http.Header { return r.header }
func (r *recorder) WriteHeader(s int)   { r.status = s }
func (r *recorder) Write(p []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	return r.body.Write(p)
}

// TestLoadSeedErrors: a missing file, bad JSON or an inconsistent seed is
// refused with the file named.
func TestLoadSeedErrors(t *testing.T) {
	dir := t.TempDir()
	_, err := loadSeed(filepath.Join(dir, "missing.json"))
	require.Error(t, err)

	bad := filepath.Join(dir, "bad.json")
	require.NoError(t, os.WriteFile(bad, []byte(`{"Stores": [{"CustomKeyStoreId": 1}]}`), 0o600))
	_, err = loadSeed(bad)
	require.ErrorContains(t, err, "bad.json")

	dup := filepath.Join(dir, "dup.json")
	require.NoError(t, os.WriteFile(dup, []byte(`{"Stores": [
		{"CustomKeyStoreId": "cks-1", "CustomKeyStoreType": "AWS_CLOUDHSM"},
		{"CustomKeyStoreId": "cks-1", "CustomKeyStoreType": "AWS_CLOUDHSM"}]}`), 0o600))
	seed, err := loadSeed(dup)
	require.NoError(t, err)
	_, err = newFake(seed, "", kmstest.DefaultTransitionDelay, slog.New(slog.NewTextHandler(io.Discard, nil)))
	require.ErrorContains(t, err, "already exists")

	seed, err = loadSeed("")
	require.NoError(t, err)
	assert.Equal(t, kmstest.Seed{}, seed)
}

// startRun runs the command on 127.0.0.1:0 and returns its address, its log
// and a function that waits for it to return.
func startRun(t *testing.T, ctx context.Context, args ...string) (addr string, log *syncBuffer, wait func() error) {
	t.Helper()
	log = &syncBuffer{}
	ready := make(chan string, 1)
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, append([]string{"-addr", "127.0.0.1:0"}, args...), log, func(a string) { ready <- a })
	}()
	select {
	case addr = <-ready:
	case err := <-done:
		t.Fatalf("run returned early: %v\n%s", err, log.String())
	case <-time.After(time.Minute): // a hang guard, not a speed requirement
		t.Fatal("server did not start")
	}
	return addr, log, func() error {
		select {
		case err := <-done:
			return err
		case <-time.After(time.Minute): // a hang guard
			return errors.New("run did not return")
		}
	}
}

// TestRunServesLogsAndStops: the command serves real HTTP, logs each call
// without secrets, and returns nil when its context ends.
func TestRunServesLogsAndStops(t *testing.T) {
	seedFile := filepath.Join(t.TempDir(), "stores.json")
	require.NoError(t, os.WriteFile(seedFile, []byte(`{"Stores": [{"CustomKeyStoreId": "cks-1", "CustomKeyStoreName": "one",
		"CustomKeyStoreType": "AWS_CLOUDHSM", "CloudHsmClusterId": "cluster-2a34b5cdefg"}]}`), 0o600))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	addr, log, wait := startRun(t, ctx, "-seed", seedFile)

	post := func(body string) *http.Response {
		req, err := http.NewRequest(http.MethodPost, "http://"+addr+"/", strings.NewReader(body))
		require.NoError(t, err)
		req.Header.Set("Content-Type", "application/x-amz-json-1.1")
		req.Header.Set("X-Amz-Target", kmstest.TargetUpdateCustomKeyStore)
		res, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		_, _ = io.Copy(io.Discard, res.Body)
		res.Body.Close()
		return res
	}
	ok := post(`{"CustomKeyStoreId":"cks-1","KeyStorePassword":"super-secret-pw"}`)
	assert.Equal(t, http.StatusOK, ok.StatusCode)
	failed := post(`{"CustomKeyStoreId":"cks-404"}`)
	assert.Equal(t, http.StatusBadRequest, failed.StatusCode)

	cancel()
	require.NoError(t, wait())

	out := log.String()
	assert.Contains(t, out, "kmstest listening")
	assert.Contains(t, out, ok.Header.Get("x-amzn-RequestId"))
	assert.Contains(t, out, failed.Header.Get("x-amzn-RequestId"))
	assert.Contains(t, out, kmstest.CodeCustomKeyStoreNotFound)
	assert.Contains(t, out, kmstest.Redacted)
	assert.NotContains(t, out, "super-secret-pw")
	assert.Contains(t, out, "kmstest shutting down")

	_, err := http.Post("http://"+addr+"/", "application/x-amz-json-1.1", strings.NewReader(`{}`))
	assert.Error(t, err, "the listener is closed after shutdown")
}

// TestRunFlags: bad flags and arguments are usage errors; -h is help.
func TestRunFlags(t *testing.T) {
	var out bytes.Buffer
	assert.ErrorIs(t, run(context.Background(), []string{"-nope"}, &out, nil), errUsage)
	assert.ErrorIs(t, run(context.Background(), []string{"extra"}, &out, nil), errUsage)
	assert.ErrorIs(t, run(context.Background(), []string{"-h"}, &out, nil), flag.ErrHelp)
	assert.Contains(t, out.String(), "-seed")
	assert.Error(t, run(context.Background(), []string{"-addr", "127.0.0.1:notaport"}, &out, nil))
	assert.Error(t, run(context.Background(), []string{"-seed", filepath.Join(t.TempDir(), "none.json")}, &out, nil))
}

// TestHelpNamesSeedFormat: -help lists the flags and says where the seed
// format is documented, naming a file that exists.
func TestHelpNamesSeedFormat(t *testing.T) {
	var out bytes.Buffer
	require.ErrorIs(t, run(context.Background(), []string{"-help"}, &out, nil), flag.ErrHelp)
	help := out.String()
	assert.Contains(t, help, "-seed")
	for _, member := range []string{"Stores", "Clusters", "XksProxies", "XksProxyRoutes", "VpcEndpointServices", "Credentials"} {
		assert.Contains(t, help, member)
	}
	for _, flag := range []string{"-xks-proxy ENDPOINT=ADDRESS", "-xks-ca FILE", "xksproxy-ca.pem"} {
		assert.Contains(t, help, flag)
	}
	assert.Contains(t, help, "kmstest/cmd/kmstest/example-seed.json")
	_, err := os.Stat("example-seed.json")
	require.NoError(t, err)
}

// TestSeedErrorsOnePrefix: whatever is wrong with a seed, the line printed
// starts with one "kmstest:" and names the file when it could be read.
func TestSeedErrorsOnePrefix(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.json")
	require.NoError(t, os.WriteFile(bad, []byte(`{"Storez": []}`), 0o600))
	dup := filepath.Join(dir, "dup.json")
	require.NoError(t, os.WriteFile(dup, []byte(`{"Clusters": [{"ClusterId": "cluster-1"}, {"ClusterId": "cluster-1"}]}`), 0o600))
	for _, tt := range []struct{ path, contains string }{
		{bad, "bad.json"},
		{dup, "appears twice"},
		{filepath.Join(dir, "missing.json"), "missing.json"},
	} {
		var out bytes.Buffer
		err := run(context.Background(), []string{"-addr", "127.0.0.1:0", "-seed", tt.path}, &out, nil)
		require.Error(t, err)
		line := errorLine(err)
		assert.True(t, strings.HasPrefix(line, "kmstest: "), line)
		assert.Equal(t, 1, strings.Count(line, "kmstest:"), line)
		assert.Contains(t, line, tt.contains)
	}
}
