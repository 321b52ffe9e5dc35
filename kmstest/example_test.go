package kmstest_test

import (
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/kmskit/kms/kmstest"
)

// A test seeds a store, lets the code under test call the fake (here a raw
// request stands in for any KMS client), then inspects the result.
func ExampleNewServer() {
	srv := kmstest.NewServer()
	defer srv.Close()
	if err := srv.AddStore(kmstest.Store{
		CustomKeyStoreId:   "cks-1234567890abcdef0",
		CustomKeyStoreName: "hsm-store",
		CustomKeyStoreType: kmstest.TypeCloudHSM,
		ConnectionState:    kmstest.StateConnected,
		CloudHsmClusterId:  "cluster-2a34b5cdefg",
	}); err != nil {
		panic(err)
	}

	send := func(body string) {
		req, _ := http.NewRequest(http.MethodPost, srv.URL, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/x-amz-json-1.1")
		req.Header.Set("X-Amz-Target", kmstest.TargetUpdateCustomKeyStore)
		res, err := srv.Client().Do(req)
		if err != nil {
			panic(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		fmt.Println(res.StatusCode, string(b))
	}
	send(`{"CustomKeyStoreId":"cks-1234567890abcdef0","NewCustomKeyStoreName":"renamed"}`)
	send(`{"CustomKeyStoreId":"cks-1234567890abcdef0","KeyStorePassword":"new-password"}`)

	st, _ := srv.Store("cks-1234567890abcdef0")
	fmt.Println(st.CustomKeyStoreName, st.ConnectionState)
	for _, c := range srv.Calls() {
		fmt.Println(c.Status, c.Code, c.Input["KeyStorePassword"])
	}
	// Output:
	// 200 {}
	// 400 {"__type":"CustomKeyStoreInvalidStateException","message":"Custom key store cks-1234567890abcdef0 is CONNECTED; KeyStorePassword can be changed only when it is DISCONNECTED."}
	// renamed CONNECTED
	// 200  <nil>
	// 400 CustomKeyStoreInvalidStateException *** Sensitive Data Redacted ***
}

// Make the next two calls fail with throttling, as a retry test would.
func ExampleFake_FailNext() {
	srv := kmstest.NewServer()
	defer srv.Close()
	srv.FailNext(2, kmstest.Fault{Code: kmstest.CodeThrottling})
	fmt.Println(srv.PendingFaults())
	// Output: 2
}
