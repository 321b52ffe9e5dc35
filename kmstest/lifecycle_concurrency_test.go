package kmstest_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kmskit/kms/kmstest"
)

// postTarget sends body to target from any goroutine and returns the
// status and the __type.
func postTarget(c *http.Client, url, target string, body m) (int, string, error) {
	b, err := json.Marshal(body)
	if err != nil {
		return 0, "", err
	}
	req, err := http.NewRequest(http.MethodPost, url+"/", strings.NewReader(string(b)))
	if err != nil {
		return 0, "", err
	}
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	req.Header.Set("X-Amz-Target", target)
	res, err := c.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer res.Body.Close()
	var env struct {
		Type string `json:"__type"`
	}
	if err := json.NewDecoder(res.Body).Decode(&env); err != nil {
		return 0, "", err
	}
	return res.StatusCode, env.Type, nil
}

// TestConcurrentLifecycle: many clients connect, disconnect, describe and
// update the same stores at once while a test goroutine moves the fake's
// clock. Every answer is a success or the documented state error, every
// Describe shows a valid state (with an error code exactly when FAILED),
// and once the clock has moved past the last transition every store is in
// a resting state. Run with -race.
func TestConcurrentLifecycle(t *testing.T) {
	clk := kmstest.NewManualClock(t0)
	srv := kmstest.NewServer(kmstest.WithClock(clk.Now), kmstest.WithTransitionDelay(time.Second))
	t.Cleanup(srv.Close)
	const stores, workers, rounds = 6, 8, 40
	var ids []string
	for i := range stores {
		id := fmt.Sprintf("cks-%017d", i)
		ids = append(ids, id)
		cluster := fmt.Sprintf("cluster-conc%07dab", i)
		c := kmstest.Cluster{ClusterId: cluster}
		if i%2 == 1 {
			c.KmsuserPassword = "wrong-for-this-store" // these stores end FAILED
		}
		require.NoError(t, srv.SetCluster(c))
		require.NoError(t, srv.AddStore(kmstest.Store{CustomKeyStoreId: id, CustomKeyStoreName: fmt.Sprint("conc-", i),
			CustomKeyStoreType: kmstest.TypeCloudHSM, CloudHsmClusterId: cluster, KeyStorePassword: "kmsuser-pass"}))
	}
	valid := map[string]bool{"CONNECTED": true, "CONNECTING": true, "DISCONNECTED": true, "DISCONNECTING": true, "FAILED": true}
	stateError := map[string]bool{"": true, kmstest.CodeCustomKeyStoreInvalidState: true}

	errs := make(chan error, workers*rounds*3)
	var wg sync.WaitGroup
	done := make(chan struct{})
	go func() { // the clock moves on while the clients work
		for {
			select {
			case <-done:
				return
			default:
				clk.Advance(100 * time.Millisecond)
				time.Sleep(time.Millisecond)
			}
		}
	}()
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := srv.Client()
			for r := range rounds {
				id := ids[(w+r)%stores]
				target := []string{kmstest.TargetConnectCustomKeyStore, kmstest.TargetDisconnectCustomKeyStore,
					kmstest.TargetUpdateCustomKeyStore}[(w*7+r)%3]
				body := m{"CustomKeyStoreId": id}
				if target == kmstest.TargetUpdateCustomKeyStore {
					body["NewCustomKeyStoreName"] = fmt.Sprintf("conc-%s-%d-%d", id, w, r)
				}
				status, code, err := postTarget(c, srv.URL, target, body)
				if err != nil {
					errs <- err
					continue
				}
				if !stateError[code] || (code == "") != (status == 200) {
					errs <- fmt.Errorf("%s %s: status %d code %q", target, id, status, code)
				}
				p, err := describeAll(c, srv.URL)
				if err != nil {
					errs <- err
					continue
				}
				for _, e := range p.CustomKeyStores {
					if !valid[e.ConnectionState] || (e.ConnectionState == "FAILED") != (e.ConnectionErrorCode != "") {
						errs <- fmt.Errorf("store %s: state %q code %q", e.CustomKeyStoreId, e.ConnectionState, e.ConnectionErrorCode)
					}
				}
			}
		}()
	}
	wg.Wait()
	close(done)
	close(errs)
	for err := range errs {
		assert.NoError(t, err)
	}
	clk.Advance(time.Second)
	for _, s := range srv.Stores() {
		assert.Contains(t, []kmstest.ConnectionState{kmstest.StateConnected, kmstest.StateDisconnected, kmstest.StateFailed},
			s.ConnectionState, "store %s at rest", s.CustomKeyStoreId)
		if s.ConnectionState == kmstest.StateConnected {
			assert.NotEqual(t, "wrong-for-this-store", s.KeyStorePassword)
			n := 0
			fmt.Sscanf(s.CustomKeyStoreId, "cks-%d", &n)
			assert.Zero(t, n%2, "store %s with a wrong password cannot be CONNECTED", s.CustomKeyStoreId)
		}
	}
}

// describeAll describes every store from any goroutine.
func describeAll(c *http.Client, url string) (page, error) {
	req, err := http.NewRequest(http.MethodPost, url+"/", strings.NewReader(`{}`))
	if err != nil {
		return page{}, err
	}
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	req.Header.Set("X-Amz-Target", kmstest.TargetDescribeCustomKeyStores)
	res, err := c.Do(req)
	if err != nil {
		return page{}, err
	}
	defer res.Body.Close()
	var p page
	if err := json.NewDecoder(res.Body).Decode(&p); err != nil {
		return page{}, err
	}
	if res.StatusCode != 200 {
		return page{}, fmt.Errorf("describe: status %d", res.StatusCode)
	}
	return p, nil
}

// TestConcurrentConnectOneStore: of many concurrent Connects of one
// DISCONNECTED store (CloudHSM, or external whose outcome is decided
// outside the fake's lock), all succeed, and the store makes exactly one
// transition, ending CONNECTED after one delay.
func TestConcurrentConnectOneStore(t *testing.T) {
	for _, id := range []string{hsmDisconnected, xksPublicDisc} {
		t.Run(id, func(t *testing.T) {
			srv, clk := newClockedWorld(t)
			require.NoError(t, srv.SetXksProxy(kmstest.XksProxy{UriEndpoint: endpointPublicDisc}))
			var wg sync.WaitGroup
			codes := make(chan string, 32)
			for range 32 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					_, code, err := postTarget(srv.Client(), srv.URL, kmstest.TargetConnectCustomKeyStore, m{"CustomKeyStoreId": id})
					if err != nil {
						code = err.Error()
					}
					codes <- code
				}()
			}
			wg.Wait()
			close(codes)
			for code := range codes {
				assert.Empty(t, code)
			}
			requireState(t, srv, id, kmstest.StateConnecting, "")
			clk.Advance(delay)
			requireState(t, srv, id, kmstest.StateConnected, "")
		})
	}
}
