package kmstest_test

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/kmskit/kms/kmstest"
)

// A test drives the fake's clock: ConnectCustomKeyStore leaves the store
// CONNECTING until the transition delay has passed, then it ends CONNECTED
// or, here after a wrong password, FAILED with INVALID_CREDENTIALS.
func ExampleManualClock() {
	clk := kmstest.NewManualClock(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	srv := kmstest.NewServer(kmstest.WithClock(clk.Now), kmstest.WithTransitionDelay(time.Minute))
	defer srv.Close()
	if err := srv.Load(kmstest.Seed{
		Clusters: []kmstest.Cluster{{ClusterId: "cluster-2a34b5cdefg", KmsuserPassword: "kmsuser-password"}},
		Stores: []kmstest.Store{{CustomKeyStoreId: "cks-1234567890abcdef0", CustomKeyStoreName: "hsm-store",
			CustomKeyStoreType: kmstest.TypeCloudHSM, CloudHsmClusterId: "cluster-2a34b5cdefg", KeyStorePassword: "not-the-password"}},
	}); err != nil {
		panic(err)
	}
	send := func(target, body string) {
		req, _ := http.NewRequest(http.MethodPost, srv.URL, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/x-amz-json-1.1")
		req.Header.Set("X-Amz-Target", target)
		res, err := srv.Client().Do(req)
		if err != nil {
			panic(err)
		}
		res.Body.Close()
	}
	show := func() {
		st, _ := srv.Store("cks-1234567890abcdef0")
		fmt.Println(strings.TrimSpace(string(st.ConnectionState) + " " + st.ConnectionErrorCode))
	}

	send(kmstest.TargetConnectCustomKeyStore, `{"CustomKeyStoreId":"cks-1234567890abcdef0"}`)
	show()
	clk.Advance(time.Minute)
	show()
	send(kmstest.TargetDisconnectCustomKeyStore, `{"CustomKeyStoreId":"cks-1234567890abcdef0"}`)
	show()
	clk.Advance(time.Minute)
	show()
	// Output:
	// CONNECTING
	// FAILED INVALID_CREDENTIALS
	// DISCONNECTING
	// DISCONNECTED
}
