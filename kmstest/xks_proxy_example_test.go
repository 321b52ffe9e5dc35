package kmstest_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/kmskit/kms/kmstest"
	"github.com/kmskit/kms/xksproxy"
)

// A fake XKS proxy at https://xks.example.com, reached by name over TLS
// through p.Client(); here the code under test is an xksproxy client.
func ExampleNewXksProxyServer() {
	oldCred := kmstest.XksCredential{AccessKeyID: "ABCDE23456FGHIJ7ABCD", SecretAccessKey: "c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3JldA"}
	newCred := kmstest.XksCredential{AccessKeyID: "ZYXWV23456UTSRQ76543", SecretAccessKey: "bmV3LXNlY3JldC1uZXctc2VjcmV0LW5ldy1zZWNyZXQtMQ"}
	p := kmstest.NewXksProxyServer(
		kmstest.WithXksEndpoint("https://xks.example.com"), // the host name its certificate is for
		kmstest.WithXksURIPrefix("/example-prefix"),        // serves /example-prefix/kms/xks/v1/...
		kmstest.WithXksCredentials(oldCred),
		kmstest.WithXksKeys(kmstest.XksKey{ID: "foo"}), // AES_256, ENCRYPT+DECRYPT, ENABLED
	)
	defer p.Close()

	health := func(cred kmstest.XksCredential) error {
		c := xksproxy.New(xksproxy.Options{
			Endpoint: p.URL, UriPath: "/example-prefix/kms/xks/v1", Region: "us-east-1",
			Credential: xksproxy.Credential{AccessKeyID: cred.AccessKeyID, SecretAccessKey: cred.SecretAccessKey},
			HTTPClient: p.Client(), // reaches p by its name and trusts its certificate
		})
		_, err := c.GetHealthStatus(context.Background(), &xksproxy.GetHealthStatusInput{
			RequestMetadata: xksproxy.RequestMetadata{KmsOperation: "UpdateCustomKeyStore"},
		})
		return err
	}
	fmt.Println(p.URL, health(oldCred))

	p.FailNext(1, "AuthenticationFailedException") // inject a fault
	fmt.Println(errors.Is(health(oldCred), xksproxy.ErrAuthenticationFailed))

	_ = p.SetCredentials(oldCred, newCred) // a rotation: both work
	fmt.Println(health(oldCred), health(newCred))
	_ = p.SetCredentials(newCred) // the old one is retired
	fmt.Println(errors.Is(health(oldCred), xksproxy.ErrAuthenticationFailed))

	p.SetLatency(300 * time.Millisecond) // slower than KMS's 250 ms budget
	p.SetEkmFleet(kmstest.XksEkm{ID: "hsm-1", Model: "Luna 5.0", HealthStatus: "DEGRADED"})

	for _, c := range p.Calls() { // what was called (no secrets)
		fmt.Printf("%s %d %q %q\n", c.Operation, c.Status, c.ErrorName, c.RequestMetadata.KmsOperation)
	}
	// Output:
	// https://xks.example.com <nil>
	// true
	// <nil> <nil>
	// true
	// GetHealthStatus 200 "" "UpdateCustomKeyStore"
	// GetHealthStatus 401 "AuthenticationFailedException" "UpdateCustomKeyStore"
	// GetHealthStatus 200 "" "UpdateCustomKeyStore"
	// GetHealthStatus 200 "" "UpdateCustomKeyStore"
	// GetHealthStatus 401 "AuthenticationFailedException" ""
}
