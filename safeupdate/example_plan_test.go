package safeupdate_test

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/kmskit/kms"
	"github.com/kmskit/kms/kmstest"
	"github.com/kmskit/kms/safeupdate"
)

// Move an external key store to another proxy endpoint: the plan checks
// the new endpoint (will KMS accept it? same key material?), then Apply
// disconnects, updates and reconnects. Here on kmstest with two fake
// proxies in front of one key.
func ExampleUpdater_Plan() {
	fake := kmstest.NewServer(kmstest.WithTransitionDelay(0))
	defer fake.Close()
	material := []byte("example-external-key-material-32")
	var proxies []*kmstest.XksProxyServer
	for _, ep := range []string{"https://xks.example.com", "https://xks2.example.com"} {
		p := kmstest.NewXksProxyServer(kmstest.WithXksEndpoint(ep),
			kmstest.WithXksCredentials(kmstest.XksCredential{AccessKeyID: "EXAMPLEKEYIDABCDEFGH2", SecretAccessKey: "Kx9d8f7g6h5j4k3l2m1n0pQrStUvWxYz/+AbCdEfGhI="}),
			kmstest.WithXksKeys(kmstest.XksKey{ID: "key-1", Material: material}))
		defer p.Close()
		fake.RouteXksProxy(p)
		proxies = append(proxies, p)
	}
	_ = fake.AddStore(kmstest.Store{
		CustomKeyStoreId: "cks-1234567890abcdef0", CustomKeyStoreName: "ExampleXKS", CustomKeyStoreType: kmstest.TypeExternal,
		ConnectionState: kmstest.StateConnected,
		XksProxyConfiguration: kmstest.XksProxyConfiguration{
			AccessKeyId: "EXAMPLEKEYIDABCDEFGH2", RawSecretAccessKey: "Kx9d8f7g6h5j4k3l2m1n0pQrStUvWxYz/+AbCdEfGhI=",
			UriEndpoint: "https://xks.example.com", UriPath: "/kms/xks/v1",
		},
	})
	client := kms.New(kms.Options{Region: "us-east-1", Credentials: exampleCredentials(), BaseEndpoint: aws.String(fake.URL), HTTPClient: fake.Client()})
	ctx := context.Background()
	updater := safeupdate.NewUpdater(client)

	current := kms.XksProxyAuthenticationCredentialType{ // KMS never returns the secret
		AccessKeyId: aws.String("EXAMPLEKEYIDABCDEFGH2"), RawSecretAccessKey: aws.String("Kx9d8f7g6h5j4k3l2m1n0pQrStUvWxYz/+AbCdEfGhI="),
	}
	plan, err := updater.Plan(ctx, &kms.UpdateCustomKeyStoreInput{
		CustomKeyStoreId:    aws.String("cks-1234567890abcdef0"),
		XksProxyUriEndpoint: aws.String("https://xks2.example.com"),
	}, safeupdate.PlanOptions{
		AllowDisconnect: true, // the endpoint changes only while DISCONNECTED
		Preflight:       safeupdate.PreflightOptions{Credential: &current, ExternalKeyIDs: []string{"key-1"}, HTTPClient: kmstest.XksProxiesClient(proxies...)},
	})
	if err != nil {
		fmt.Println("not changed:", err) // e.g. a *safeupdate.PreflightError or *safeupdate.SameKeyError
		return
	}
	for _, s := range plan.Steps {
		fmt.Println(s.Action)
	}
	fmt.Println("verdict:", plan.Verdict()) // accept: everything KMS checks was checked
	if _, err := plan.Apply(ctx, safeupdate.ApplyOptions{}); err != nil {
		fmt.Println("apply:", err) // a *safeupdate.ApplyError says what was rolled back
		return
	}
	st, _ := fake.Store("cks-1234567890abcdef0")
	fmt.Println(st.ConnectionState, st.XksProxyConfiguration.UriEndpoint)
	// Output:
	// DisconnectCustomKeyStore
	// WaitUntilDisconnected
	// UpdateCustomKeyStore
	// ConnectCustomKeyStore
	// WaitUntilConnected
	// verdict: accept
	// CONNECTED https://xks2.example.com
}
