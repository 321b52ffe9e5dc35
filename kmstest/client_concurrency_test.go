package kmstest_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kmskit/kms"
	"github.com/kmskit/kms/kmstest"
)

const (
	concurrentGoroutines = 8
	concurrentRounds     = 25
	concurrentClients    = 3
)

// base32Alphabet is the alphabet of XKS access key IDs ([A-Z2-7]).
const base32Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"

// credentialPair returns the credential goroutine g sends in round i: the access key
// ID and the secret both encode (g, i), so a stored credential whose halves
// come from two different requests is detectable.
func credentialPair(g, i int) (akid, secret string) {
	tag := string([]byte{base32Alphabet[g%32], base32Alphabet[i/32%32], base32Alphabet[i%32]})
	akid = "XKSCONCURRENTKEY" + tag + "AAAA" // 23 characters of [A-Z2-7]
	secret = fmt.Sprintf("g%02d/i%03d+", g, i) + strings.Repeat("s", 40)
	return akid, secret
}

// TestKmstestConcurrentUpdates runs concurrentGoroutines goroutines, spread over
// concurrentClients of our clients, each making concurrentRounds rounds of three updates:
// its own external store (rename and new path in one request), a shared
// external store (rename and credential rotation in one request) and a
// shared CloudHSM store (rename and password in one request). Run with
// -race. At the end every own store holds its goroutine's last write, and
// each shared store holds the complete write of exactly one request.
func TestKmstestConcurrentUpdates(t *testing.T) {
	srv := kmstest.NewServer()
	t.Cleanup(srv.Close)

	const sharedXks, sharedHsm = "cks-shared0000000xks", "cks-shared0000000hsm"
	own := func(g int) string { return fmt.Sprintf("cks-own%013d", g) }
	ownEndpoint := func(g int) string { return fmt.Sprintf("https://xks-own-%d.example.com", g) }
	akid0, secret0 := credentialPair(31, 0)
	stores := []kmstest.Store{
		{CustomKeyStoreId: sharedXks, CustomKeyStoreName: "shared-xks", CustomKeyStoreType: kmstest.TypeExternal,
			ConnectionState: kmstest.StateConnected, XksProxyConfiguration: kmstest.XksProxyConfiguration{
				AccessKeyId: akid0, RawSecretAccessKey: secret0, UriEndpoint: "https://xks-shared.example.com", UriPath: scenarioPathWithoutPrefix}},
		{CustomKeyStoreId: sharedHsm, CustomKeyStoreName: "shared-hsm", CustomKeyStoreType: kmstest.TypeCloudHSM,
			ConnectionState: kmstest.StateDisconnected, CloudHsmClusterId: scenarioClusterOriginal, KeyStorePassword: scenarioInitialPassword},
	}
	// Proxies accept any credential and path.
	proxies := []kmstest.XksProxy{{UriEndpoint: "https://xks-shared.example.com"}}
	for g := range concurrentGoroutines {
		state := kmstest.StateDisconnected
		if g%2 == 0 {
			state = kmstest.StateConnected // path changes are tried against the proxy
		}
		stores = append(stores, kmstest.Store{CustomKeyStoreId: own(g), CustomKeyStoreName: fmt.Sprintf("own-%d", g),
			CustomKeyStoreType: kmstest.TypeExternal, ConnectionState: state,
			XksProxyConfiguration: kmstest.XksProxyConfiguration{AccessKeyId: akid0, RawSecretAccessKey: secret0,
				UriEndpoint: ownEndpoint(g), UriPath: scenarioPathWithoutPrefix}})
		proxies = append(proxies, kmstest.XksProxy{UriEndpoint: ownEndpoint(g)})
	}
	require.NoError(t, srv.Load(kmstest.Seed{Stores: stores, XksProxies: proxies}))
	initial := srv.Stores()

	clients := make([]*kms.Client, concurrentClients)
	for i := range clients {
		// Each client has its own connection pool.
		hc := &http.Client{Transport: http.DefaultTransport.(*http.Transport).Clone()}
		t.Cleanup(hc.CloseIdleConnections)
		clients[i] = kms.New(kms.Options{
			Region:           "us-east-1",
			Credentials:      scenarioCredentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", ""),
			BaseEndpoint:     aws.String(srv.URL),
			HTTPClient:       hc,
			RetryMaxAttempts: 1,
		})
	}

	ownName := func(g, i int) string { return fmt.Sprintf("own-%d-round-%d", g, i) }
	ownPath := func(i int) string { return fmt.Sprintf("/round%d/kms/xks/v%d", i, 1+i%2) }
	xksName := func(g, i int) string { return fmt.Sprintf("shared-xks-%d-%d", g, i) }
	hsmName := func(g, i int) string { return fmt.Sprintf("shared-hsm-%d-%d", g, i) }
	hsmPassword := func(g, i int) string { return fmt.Sprintf("password-%d-%d", g, i) }

	start := make(chan struct{})
	var wg sync.WaitGroup
	for g := range concurrentGoroutines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			client := clients[g%len(clients)]
			ctx := context.Background()
			<-start
			for i := range concurrentRounds {
				_, err := client.UpdateCustomKeyStore(ctx, &kms.UpdateCustomKeyStoreInput{
					CustomKeyStoreId:      aws.String(own(g)),
					NewCustomKeyStoreName: aws.String(ownName(g, i)),
					XksProxyUriPath:       aws.String(ownPath(i)),
				})
				assert.NoError(t, err, "own store, goroutine %d round %d", g, i)

				akid, secret := credentialPair(g, i)
				_, err = client.UpdateCustomKeyStore(ctx, &kms.UpdateCustomKeyStoreInput{
					CustomKeyStoreId:                 aws.String(sharedXks),
					NewCustomKeyStoreName:            aws.String(xksName(g, i)),
					XksProxyAuthenticationCredential: scenarioCredential(akid, secret),
				})
				assert.NoError(t, err, "shared external store, goroutine %d round %d", g, i)

				_, err = client.UpdateCustomKeyStore(ctx, &kms.UpdateCustomKeyStoreInput{
					CustomKeyStoreId:      aws.String(sharedHsm),
					NewCustomKeyStoreName: aws.String(hsmName(g, i)),
					KeyStorePassword:      aws.String(hsmPassword(g, i)),
				})
				assert.NoError(t, err, "shared CloudHSM store, goroutine %d round %d", g, i)
			}
		}()
	}
	close(start)
	wg.Wait()

	// Every request reached the fake once and succeeded.
	calls := srv.Calls()
	require.Len(t, calls, concurrentGoroutines*concurrentRounds*3)
	for _, c := range calls {
		assert.Equal(t, http.StatusOK, c.Status, "%s %s", c.Code, c.Message)
	}

	// No lost update: each own store holds its goroutine's last write and
	// nothing else changed.
	for g := range concurrentGoroutines {
		want := initial[indexOfStore(t, initial, own(g))]
		want.CustomKeyStoreName = ownName(g, concurrentRounds-1)
		want.XksProxyConfiguration.UriPath = ownPath(concurrentRounds - 1)
		got, ok := srv.Store(own(g))
		require.True(t, ok)
		assert.Equal(t, want, got)
	}

	// No torn update: the shared stores hold the name and secret of one and
	// the same request.
	x, ok := srv.Store(sharedXks)
	require.True(t, ok)
	var g, i int
	_, err := fmt.Sscanf(x.CustomKeyStoreName, "shared-xks-%d-%d", &g, &i)
	require.NoError(t, err, "name %q was never sent", x.CustomKeyStoreName)
	require.True(t, g >= 0 && g < concurrentGoroutines && i >= 0 && i < concurrentRounds, "name %q was never sent", x.CustomKeyStoreName)
	akid, secret := credentialPair(g, i)
	assert.Equal(t, akid, x.XksProxyConfiguration.AccessKeyId, "credential and name come from the same request")
	assert.Equal(t, secret, x.XksProxyConfiguration.RawSecretAccessKey, "access key ID and secret come from the same request")
	wantX := initial[indexOfStore(t, initial, sharedXks)]
	wantX.CustomKeyStoreName, wantX.XksProxyConfiguration.AccessKeyId, wantX.XksProxyConfiguration.RawSecretAccessKey = x.CustomKeyStoreName, akid, secret
	assert.Equal(t, wantX, x)

	h, ok := srv.Store(sharedHsm)
	require.True(t, ok)
	_, err = fmt.Sscanf(h.CustomKeyStoreName, "shared-hsm-%d-%d", &g, &i)
	require.NoError(t, err, "name %q was never sent", h.CustomKeyStoreName)
	require.True(t, g >= 0 && g < concurrentGoroutines && i >= 0 && i < concurrentRounds, "name %q was never sent", h.CustomKeyStoreName)
	wantH := initial[indexOfStore(t, initial, sharedHsm)]
	wantH.CustomKeyStoreName, wantH.KeyStorePassword = h.CustomKeyStoreName, hsmPassword(g, i)
	assert.Equal(t, wantH, h)
}

// indexOfStore returns the index of the store with id in stores.
func indexOfStore(t *testing.T, stores []kmstest.Store, id string) int {
	t.Helper()
	for i, s := range stores {
		if s.CustomKeyStoreId == id {
			return i
		}
	}
	require.Failf(t, "no store", "%s", id)
	return -1
}

// TestKmstestConcurrentNameContest has every goroutine rename its own store
// to the same name at once: exactly one wins, the others get
// CustomKeyStoreNameInUseException, and exactly one store has the name.
func TestKmstestConcurrentNameContest(t *testing.T) {
	for round := range 10 {
		srv := kmstest.NewServer()
		t.Cleanup(srv.Close)
		for g := range concurrentGoroutines {
			require.NoError(t, srv.AddStore(kmstest.Store{CustomKeyStoreId: fmt.Sprintf("cks-contest%09d", g),
				CustomKeyStoreName: fmt.Sprintf("contestant-%d", g), CustomKeyStoreType: kmstest.TypeCloudHSM,
				ConnectionState: kmstest.StateConnected, CloudHsmClusterId: scenarioClusterOriginal}))
		}
		initial := srv.Stores()
		clients := []*kms.Client{scenarioClient(srv, nil), scenarioClient(srv, nil)}

		const contested = "the-one-name"
		errs := make([]error, concurrentGoroutines)
		start := make(chan struct{})
		var wg sync.WaitGroup
		for g := range concurrentGoroutines {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				_, errs[g] = clients[g%2].UpdateCustomKeyStore(context.Background(), &kms.UpdateCustomKeyStoreInput{
					CustomKeyStoreId:      aws.String(fmt.Sprintf("cks-contest%09d", g)),
					NewCustomKeyStoreName: aws.String(contested),
				})
			}()
		}
		close(start)
		wg.Wait()

		winner := -1
		for g, err := range errs {
			if err == nil {
				assert.Equal(t, -1, winner, "round %d: goroutines %d and %d both won", round, winner, g)
				winner = g
				continue
			}
			assertOnlyCode(t, err, "CustomKeyStoreNameInUseException", http.StatusBadRequest)
		}
		require.NotEqual(t, -1, winner, "round %d: nobody won", round)
		for _, s := range srv.Stores() {
			want := initial[indexOfStore(t, initial, s.CustomKeyStoreId)]
			if s.CustomKeyStoreId == fmt.Sprintf("cks-contest%09d", winner) {
				want.CustomKeyStoreName = contested
			}
			assert.Equal(t, want, s, "round %d", round)
		}
	}
}
