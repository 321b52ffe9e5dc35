package kmstest_test

import (
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kmskit/kms/kmstest"
)

// post sends one update from a goroutine; it reports errors instead of
// failing, since t.FailNow must not be called off the test goroutine.
func post(c *http.Client, url string, body m) (int, string, error) {
	return postTarget(c, url, kmstest.TargetUpdateCustomKeyStore, body)
}

// TestConcurrentUpdates: many clients update different stores and the same
// store at once. Every update is applied whole (no torn credential pair or
// proxy configuration), none is lost, and name uniqueness holds under
// contention.
func TestConcurrentUpdates(t *testing.T) {
	srv := kmstest.NewServer()
	t.Cleanup(srv.Close)
	const stores, writers, rounds = 8, 6, 15

	for i := range stores {
		require.NoError(t, srv.AddStore(kmstest.Store{CustomKeyStoreId: fmt.Sprintf("cks-%02d", i), CustomKeyStoreName: fmt.Sprintf("store-%02d", i),
			CustomKeyStoreType: kmstest.TypeExternal, XksProxyConfiguration: kmstest.XksProxyConfiguration{
				UriEndpoint: fmt.Sprintf("https://xks%02d.example.com", i), UriPath: pathV1}}))
	}
	// Credential pairs: writer w sends access key ids[w] with secret secrets[w].
	ids := make([]string, writers)
	secrets := make([]string, writers)
	secretOf := map[string]string{}
	for w := range writers {
		ids[w] = "AKIA" + strings.Repeat(string(rune('A'+w)), 16)
		secrets[w] = strings.Repeat(string(rune('a'+w)), 43)
		secretOf[ids[w]] = secrets[w]
	}

	var wg sync.WaitGroup
	errs := make(chan error, stores*writers*rounds*2)
	okPaths := make([]map[string]bool, stores) // paths whose update succeeded, per store
	var mu sync.Mutex
	for i := range stores {
		okPaths[i] = map[string]bool{}
	}
	for i := range stores {
		for w := range writers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				id := fmt.Sprintf("cks-%02d", i)
				for r := range rounds {
					path := fmt.Sprintf("/w%d/r%d/kms/xks/v1", w, r)
					status, code, err := post(srv.Client(), srv.URL, m{"CustomKeyStoreId": id,
						"XksProxyAuthenticationCredential": cred(ids[w], secrets[w]), "XksProxyUriPath": path})
					if err != nil || status != 200 {
						errs <- fmt.Errorf("store %s writer %d: status %d code %s err %v", id, w, status, code, err)
						continue
					}
					mu.Lock()
					okPaths[i][path] = true
					mu.Unlock()
				}
			}()
		}
	}
	// Racing renames to one contested name: exactly one store may win.
	wins := make(chan string, stores)
	for i := range stores {
		wg.Add(1)
		go func() {
			defer wg.Done()
			id := fmt.Sprintf("cks-%02d", i)
			status, code, err := post(srv.Client(), srv.URL, m{"CustomKeyStoreId": id, "NewCustomKeyStoreName": "contested"})
			switch {
			case err != nil:
				errs <- err
			case status == 200:
				wins <- id
			case code != kmstest.CodeCustomKeyStoreNameInUse:
				errs <- fmt.Errorf("rename %s: status %d code %s", id, status, code)
			}
		}()
	}
	wg.Wait()
	close(errs)
	close(wins)
	for err := range errs {
		t.Error(err)
	}

	var winners []string
	for id := range wins {
		winners = append(winners, id)
	}
	require.Len(t, winners, 1, "exactly one store may take the contested name")

	calls := srv.Calls()
	assert.Len(t, calls, stores*writers*rounds+stores, "every call is recorded")

	for i, s := range srv.Stores() {
		x := s.XksProxyConfiguration
		// Not torn: the stored secret belongs to the stored access key.
		want, ok := secretOf[x.AccessKeyId]
		require.True(t, ok, "store %s: access key %q", s.CustomKeyStoreId, x.AccessKeyId)
		assert.Equal(t, want, x.RawSecretAccessKey, "store %s: secret of another writer", s.CustomKeyStoreId)
		// Not lost: the last path stored is one that a successful call sent,
		// and the store's other members are intact.
		assert.True(t, okPaths[i][x.UriPath], "store %s: path %s", s.CustomKeyStoreId, x.UriPath)
		assert.Equal(t, fmt.Sprintf("https://xks%02d.example.com", i), x.UriEndpoint)
		if s.CustomKeyStoreId == winners[0] {
			assert.Equal(t, "contested", s.CustomKeyStoreName)
		} else {
			assert.Equal(t, fmt.Sprintf("store-%02d", i), s.CustomKeyStoreName)
		}
	}
}

// TestConcurrentSeedingAndReading: seeding, state changes and reads race
// with updates without data races.
func TestConcurrentSeedingAndReading(t *testing.T) {
	srv := newWorld(t)
	var wg sync.WaitGroup
	const n = 20
	wg.Add(4)
	go func() {
		defer wg.Done()
		for i := range n {
			_ = srv.SetConnectionState(hsmDisconnected, allStates[i%len(allStates)])
		}
	}()
	go func() {
		defer wg.Done()
		for i := range n {
			_ = srv.AddStore(kmstest.Store{CustomKeyStoreId: fmt.Sprintf("cks-extra-%d", i), CustomKeyStoreType: kmstest.TypeCloudHSM})
			_ = srv.SetCluster(kmstest.Cluster{ClusterId: fmt.Sprintf("cluster-extra%d", i)})
		}
	}()
	go func() {
		defer wg.Done()
		for range n {
			_ = srv.Stores()
			_ = srv.Calls()
		}
	}()
	go func() {
		defer wg.Done()
		for i := range n {
			_, _, _ = post(srv.Client(), srv.URL, m{"CustomKeyStoreId": hsmDisconnected, "NewCustomKeyStoreName": fmt.Sprintf("n-%d", i)})
		}
	}()
	wg.Wait()
	assert.Len(t, srv.Stores(), len(worldSeed().Stores)+n)
	assert.Len(t, srv.Calls(), n)
}

// TestConcurrentDisjointMembers: goroutines that each update a different
// member of the same store leave each member at the last value its writer
// sent. A read-modify-write race would lose some of them.
func TestConcurrentDisjointMembers(t *testing.T) {
	srv := newWorld(t)
	const rounds = 40
	type writer struct {
		body func(r int) m
	}
	writers := []writer{
		{func(r int) m { return m{"NewCustomKeyStoreName": fmt.Sprintf("name-%d", r)} }},
		{func(r int) m { return m{"XksProxyUriPath": fmt.Sprintf("/p%d/kms/xks/v1", r)} }},
		{func(r int) m {
			return m{"XksProxyAuthenticationCredential": cred("AKIAROUND"+strings.Repeat("Q", 11+r%5), secretNew)}
		}},
		{func(r int) m { return m{"XksProxyUriEndpoint": fmt.Sprintf("https://r%d.vpce.example.com", r)} }},
	}
	var wg sync.WaitGroup
	errs := make(chan error, len(writers)*rounds)
	for _, w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for r := range rounds {
				status, code, err := post(srv.Client(), srv.URL, withID(xksVpc, w.body(r)))
				if err != nil || status != 200 {
					errs <- fmt.Errorf("round %d: status %d code %s err %v", r, status, code, err)
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	s := store(t, srv, xksVpc)
	last := rounds - 1
	assert.Equal(t, fmt.Sprintf("name-%d", last), s.CustomKeyStoreName)
	assert.Equal(t, fmt.Sprintf("/p%d/kms/xks/v1", last), s.XksProxyConfiguration.UriPath)
	assert.Equal(t, "AKIAROUND"+strings.Repeat("Q", 11+last%5), s.XksProxyConfiguration.AccessKeyId)
	assert.Equal(t, fmt.Sprintf("https://r%d.vpce.example.com", last), s.XksProxyConfiguration.UriEndpoint)
	// Untouched members are intact.
	assert.Equal(t, svcUsed, s.XksProxyConfiguration.VpcEndpointServiceName)
	assert.Equal(t, kmstest.ConnectivityVpcEndpointService, s.XksProxyConfiguration.Connectivity)
}
