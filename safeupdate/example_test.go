package safeupdate_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/kmskit/kms"
	"github.com/kmskit/kms/kmstest"
	"github.com/kmskit/kms/safeupdate"
)

// exampleCredentials are any keys: the fake KMS checks signatures only
// WithSigV4. Real code gets credentials from config.LoadDefaultConfig.
func exampleCredentials() aws.CredentialsProvider { return staticCreds() }

// exampleXksWorld is the world of the safe-update examples: a fake KMS
// whose external key store cks-1234567890abcdef0 is CONNECTED to a routed
// fake proxy at https://xks.example.com, path /kms/xks/v1.
func exampleXksWorld() (client *kms.Client, fake *kmstest.Server, proxy *kmstest.XksProxyServer, closeAll func()) {
	fake = kmstest.NewServer(kmstest.WithTransitionDelay(0))
	proxy = kmstest.NewXksProxyServer(kmstest.WithXksEndpoint("https://xks.example.com"),
		kmstest.WithXksCredentials(kmstest.XksCredential{AccessKeyID: "EXAMPLEKEYIDABCDEFGH2", SecretAccessKey: "Kx9d8f7g6h5j4k3l2m1n0pQrStUvWxYz/+AbCdEfGhI="}),
		kmstest.WithXksKeys(kmstest.XksKey{ID: "key-1"}))
	fake.RouteXksProxy(proxy)
	_ = fake.AddStore(kmstest.Store{
		CustomKeyStoreId: "cks-1234567890abcdef0", CustomKeyStoreName: "ExampleXKS", CustomKeyStoreType: kmstest.TypeExternal,
		ConnectionState: kmstest.StateConnected,
		XksProxyConfiguration: kmstest.XksProxyConfiguration{
			AccessKeyId: "EXAMPLEKEYIDABCDEFGH2", RawSecretAccessKey: "Kx9d8f7g6h5j4k3l2m1n0pQrStUvWxYz/+AbCdEfGhI=",
			UriEndpoint: "https://xks.example.com", UriPath: "/kms/xks/v1",
		},
	})
	client = kms.New(kms.Options{Region: "us-east-1", Credentials: exampleCredentials(), BaseEndpoint: aws.String(fake.URL), HTTPClient: fake.Client()})
	return client, fake, proxy, func() { proxy.Close(); fake.Close() }
}

// Before changing XksProxyUriPath, ask the proxy at the new path what KMS
// will ask it: a path the proxy does not serve is predicted
// XksProxyInvalidConfigurationException, and nothing is changed.
func ExampleUpdater_PreflightXksProxy() {
	client, _, proxy, closeAll := exampleXksWorld()
	defer closeAll()
	ctx := context.Background()
	updater := safeupdate.NewUpdater(client)

	current := kms.XksProxyAuthenticationCredentialType{ // KMS never returns the secret
		AccessKeyId: aws.String("EXAMPLEKEYIDABCDEFGH2"), RawSecretAccessKey: aws.String("Kx9d8f7g6h5j4k3l2m1n0pQrStUvWxYz/+AbCdEfGhI="),
	}
	report, err := updater.PreflightXksProxy(ctx, &kms.UpdateCustomKeyStoreInput{
		CustomKeyStoreId: aws.String("cks-1234567890abcdef0"),
		XksProxyUriPath:  aws.String("/tenant-b/kms/xks/v1"),
	}, safeupdate.PreflightOptions{Credential: &current, HTTPClient: proxy.Client()})
	var pe *safeupdate.PreflightError
	switch {
	case errors.As(err, &pe) && errors.Is(err, kms.ErrXksProxyInvalidConfiguration):
		fmt.Println("KMS would refuse the new path:", pe.Operation, "would fail:", pe.Predicted)
	case err != nil:
		fmt.Println("preflight:", err)
	default:
		fmt.Println("KMS is expected to accept it; warnings:", report.Warnings)
	}
	// Output:
	// KMS would refuse the new path: UpdateCustomKeyStore would fail: kms: XksProxyInvalidConfigurationException
}

// Rotate the proxy credential with the XKS specification's four steps:
// the proxy accepts the new credential alongside the old one (step 1),
// RotateXksCredential checks it through the current endpoint and path,
// updates the CONNECTED store and confirms the new AccessKeyId (steps 2
// and 3); then the proxy drops the old credential (step 4).
func ExampleUpdater_RotateXksCredential() {
	client, _, proxy, closeAll := exampleXksWorld()
	defer closeAll()
	ctx := context.Background()
	updater := safeupdate.NewUpdater(client)
	old := kmstest.XksCredential{AccessKeyID: "EXAMPLEKEYIDABCDEFGH2", SecretAccessKey: "Kx9d8f7g6h5j4k3l2m1n0pQrStUvWxYz/+AbCdEfGhI="}
	newCred := kmstest.XksCredential{AccessKeyID: "EXAMPLENEWKEYIDABCDE3", SecretAccessKey: "Nw1e2w3S4e5c6r7e8t9/+AbCdEfGhIjKlMnOpQrStUv="}

	_ = proxy.SetCredentials(old, newCred) // step 1, on the proxy
	report, err := updater.RotateXksCredential(ctx, "cks-1234567890abcdef0", &kms.XksProxyAuthenticationCredentialType{
		AccessKeyId:        aws.String("EXAMPLENEWKEYIDABCDE3"),
		RawSecretAccessKey: aws.String("Nw1e2w3S4e5c6r7e8t9/+AbCdEfGhIjKlMnOpQrStUv="),
	}, safeupdate.RotateOptions{HTTPClient: proxy.Client()})
	if err != nil {
		fmt.Println("not rotated:", err) // a *safeupdate.PreflightError when the proxy does not accept it yet
		return
	}
	fmt.Println("confirmed:", report.Confirmed)
	_ = proxy.SetCredentials(newCred) // step 4, once KMS has switched over
	// Output:
	// confirmed: true
}
