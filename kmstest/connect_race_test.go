package kmstest_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kmskit/kms/kmstest"
)

// TestConnectReadsStateUnderLock: ConnectCustomKeyStore of a FAILED store
// answers CustomKeyStoreInvalidStateException naming the store's state,
// while other clients disconnect it (which moves it to DISCONNECTED) and
// describe every store. Each store's cluster is missing, so every connect
// that goes through ends FAILED at once and the next one is refused again.
// Under -race this finds a read of the store's state outside the fake's
// lock (the state is written by disconnect and connect meanwhile); without
// -race it checks that every answer is one the state machine allows.
func TestConnectReadsStateUnderLock(t *testing.T) {
	const stores, rounds = 16, 40
	f := kmstest.NewFake(kmstest.WithTransitionDelay(0), kmstest.WithMaxCalls(0))
	var ids []string
	for i := range stores {
		id := fmt.Sprintf("cks-race%013d", i)
		ids = append(ids, id)
		require.NoError(t, f.AddStore(kmstest.Store{CustomKeyStoreId: id, CustomKeyStoreName: "race-" + id,
			CustomKeyStoreType: kmstest.TypeCloudHSM, CloudHsmClusterId: "cluster-absent2345ab",
			ConnectionState: kmstest.StateFailed, ConnectionErrorCode: "CLUSTER_NOT_FOUND"}))
	}
	serve := func(target, body string) (int, string) {
		req := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/x-amz-json-1.1")
		req.Header.Set("X-Amz-Target", target)
		w := httptest.NewRecorder()
		f.ServeHTTP(w, req)
		return w.Code, w.Body.String()
	}
	errs := make(chan error, stores*rounds*3)
	var wg sync.WaitGroup
	for _, id := range ids {
		body := `{"CustomKeyStoreId":"` + id + `"}`
		for _, target := range []string{kmstest.TargetConnectCustomKeyStore, kmstest.TargetDisconnectCustomKeyStore, kmstest.TargetDescribeCustomKeyStores} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for range rounds {
					status, answer := serve(target, body)
					switch {
					case status == http.StatusOK:
					case target == kmstest.TargetConnectCustomKeyStore &&
						strings.Contains(answer, kmstest.CodeCustomKeyStoreInvalidState) &&
						strings.Contains(answer, "Custom key store "+id+" is FAILED;"):
					case target == kmstest.TargetDisconnectCustomKeyStore &&
						strings.Contains(answer, kmstest.CodeCustomKeyStoreInvalidState) &&
						strings.Contains(answer, "Custom key store "+id+" is DISCONNECTED;"):
					default:
						errs <- fmt.Errorf("%s %s: %d %s", target, id, status, answer)
					}
				}
			}()
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		assert.NoError(t, err)
	}
	for _, s := range f.Stores() {
		assert.Contains(t, []kmstest.ConnectionState{kmstest.StateDisconnected, kmstest.StateFailed}, s.ConnectionState, s.CustomKeyStoreId)
	}
}
