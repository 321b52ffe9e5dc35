package kms_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kmskit/kms"
	"github.com/kmskit/kms/kmstest"
)

// loadSize returns the workers and calls per worker of TestLoad: the full
// 64 x 500, or less under -short and -race. The test asserts behaviour
// (nothing lost, counts agree on both sides, goroutines return), never
// speed, so a smaller run checks the same things.
func loadSize() (workers, callsEach int) {
	switch {
	case testing.Short():
		return 8, 50
	case raceEnabled:
		return 16, 50
	}
	return 64, 500
}

// stallLimit is how long TestLoad waits without a single call finishing
// before it calls the run hung. It bounds a hang, not the run: a slow
// machine that keeps finishing calls never hits it.
const stallLimit = 2 * time.Minute

// watchProgress cancels the returned context when done stops growing for
// stallLimit, and reports whether it did.
func watchProgress(done *atomic.Int64) (context.Context, func() bool) {
	ctx, cancel := context.WithCancel(context.Background())
	var stalled atomic.Bool
	stop := make(chan struct{})
	go func() {
		tick := time.NewTicker(stallLimit / 20)
		defer tick.Stop()
		last, lastChange := done.Load(), time.Now()
		for {
			select {
			case <-stop:
				return
			case now := <-tick.C:
				if n := done.Load(); n != last {
					last, lastChange = n, now
				} else if now.Sub(lastChange) > stallLimit {
					stalled.Store(true)
					cancel()
					return
				}
			}
		}
	}()
	return ctx, func() bool {
		close(stop)
		cancel()
		return stalled.Load()
	}
}

// TestLoad drives workers x callsEach calls (see loadSize) through one
// client against the kmstest fake, which throttles every 10th request
// (kmstest fault injection). Every call must end in success or a typed
// error, the counts must add up on both sides, and the goroutines must go
// back to where they were.
func TestLoad(t *testing.T) {
	workers, callsEach := loadSize()
	const (
		stores      = 8
		missingEach = 50 // every 50th call of a worker names a missing store
	)
	checkGoroutines(t)

	fake := kmstest.NewFake(kmstest.WithSigV4(kmstest.Credential{
		AccessKeyId: testCreds.AccessKeyID, SecretAccessKey: testCreds.SecretAccessKey}),
		kmstest.WithMaxCalls(workers*callsEach*2), kmstest.WithMaxCallBytes(1<<30)) // keep every call: the test counts them
	require.NoError(t, fake.SetXksProxy(kmstest.XksProxy{UriEndpoint: visibleEndpoint}))
	for i := range stores {
		require.NoError(t, fake.AddStore(kmstest.Store{
			CustomKeyStoreId:   fmt.Sprintf("cks-%017d", i),
			CustomKeyStoreName: fmt.Sprintf("store-%d", i),
			CustomKeyStoreType: kmstest.TypeExternal,
			ConnectionState:    kmstest.StateConnected,
			XksProxyConfiguration: kmstest.XksProxyConfiguration{
				AccessKeyId: xksAccessKeyID, RawSecretAccessKey: secretRawKey,
				UriEndpoint: visibleEndpoint, UriPath: fmt.Sprintf("/s%d/kms/xks/v1", i),
			},
		}))
	}
	var requests, injected atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if requests.Add(1)%10 == 0 {
			injected.Add(1)
			fake.FailNext(1, kmstest.Fault{Code: kmstest.CodeThrottling})
		}
		fake.ServeHTTP(w, r)
	}))
	defer srv.Close()

	c := kms.New(kms.Options{
		Region:       "us-east-1",
		Credentials:  staticCreds(),
		BaseEndpoint: aws.String(srv.URL),
		Retryer:      fastRetryer(4),
	})
	defer c.Options().HTTPClient.(*http.Client).CloseIdleConnections()

	var ok, throttled, throttledMissing, notFound, lost, finished atomic.Int64
	var firstLost atomic.Value
	ctx, stopWatching := watchProgress(&finished)
	start := time.Now()
	var wg sync.WaitGroup
	for g := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range callsEach {
				id := fmt.Sprintf("cks-%017d", (g+i)%stores)
				missing := i%missingEach == missingEach-1
				if missing {
					id = "cks-missing"
				}
				in := &kms.UpdateCustomKeyStoreInput{
					CustomKeyStoreId: aws.String(id),
					XksProxyUriPath:  aws.String(fmt.Sprintf("/g%d/i%d/kms/xks/v1", g, i)),
				}
				_, err := c.UpdateCustomKeyStore(ctx, in)
				finished.Add(1)
				var apiErr *kms.APIError
				switch {
				case err == nil && !missing:
					ok.Add(1)
				case errors.Is(err, kms.ErrCustomKeyStoreNotFound) && missing:
					notFound.Add(1)
				case errors.As(err, &apiErr) && apiErr.Code == kmstest.CodeThrottling:
					throttled.Add(1) // throttled on every attempt
					if missing {
						throttledMissing.Add(1)
					}
				default:
					lost.Add(1)
					firstLost.CompareAndSwap(nil, err.Error())
				}
			}
		}()
	}
	wg.Wait()
	took := time.Since(start)
	require.False(t, stopWatching(), "no call finished for %v: the run hung", stallLimit)

	total := int64(workers * callsEach)
	t.Logf("%d calls in %v (%.0f calls/s): %d ok, %d not found, %d throttled after retries, %d lost; %d requests, %d throttled by the server",
		total, took.Round(time.Millisecond), float64(total)/took.Seconds(), ok.Load(), notFound.Load(), throttled.Load(), lost.Load(),
		requests.Load(), injected.Load())
	require.Zero(t, lost.Load(), "first untyped error: %v", firstLost.Load())
	assert.Equal(t, total, ok.Load()+notFound.Load()+throttled.Load(), "every call is accounted for")
	assert.EqualValues(t, workers*callsEach/missingEach, notFound.Load()+throttledMissing.Load())
	assert.Equal(t, requests.Load()/10, injected.Load())
	assert.Zero(t, fake.PendingFaults(), "every injected fault was served")

	// The server's record agrees with the client's.
	var served200, served429 int64
	for _, call := range fake.Calls() {
		switch call.Code {
		case "":
			served200++
		case kmstest.CodeThrottling:
			served429++
		}
	}
	assert.Equal(t, ok.Load(), served200, "one successful request per successful call")
	assert.Equal(t, injected.Load(), served429)
	assert.Equal(t, requests.Load(), ok.Load()+notFound.Load()+served429, "requests = successes + not-found answers + throttles")
	assert.Less(t, throttled.Load(), total/100, "retries absorb the throttling")
}
