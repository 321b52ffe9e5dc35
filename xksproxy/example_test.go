package xksproxy_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/kmskit/kms/kmstest"
	"github.com/kmskit/kms/xksproxy"
)

// Check a proxy the way KMS does before it connects a store to it. Here the
// proxy is kmstest's fake; against a real one, leave HTTPClient nil.
func ExampleNew() {
	cred := xksproxy.Credential{AccessKeyID: "ABCDE23456FGHIJ7ABCD", SecretAccessKey: "c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3JldA"}
	proxy := kmstest.NewXksProxyServer(
		kmstest.WithXksEndpoint("https://xks.example.com"),
		kmstest.WithXksURIPrefix("/example-prefix"),
		kmstest.WithXksCredentials(kmstest.XksCredential{AccessKeyID: cred.AccessKeyID, SecretAccessKey: cred.SecretAccessKey}),
	)
	defer proxy.Close()

	client := xksproxy.New(xksproxy.Options{
		Endpoint:   "https://xks.example.com",    // XksProxyUriEndpoint
		UriPath:    "/example-prefix/kms/xks/v1", // XksProxyUriPath
		Region:     "us-east-1",                  // the KMS Region that calls the proxy
		Credential: cred,                         // XksProxyAuthenticationCredential
		HTTPClient: proxy.Client(),               // nil: system roots, no redirects
	})
	health, err := client.GetHealthStatus(context.Background(), &xksproxy.GetHealthStatusInput{
		RequestMetadata: xksproxy.RequestMetadata{KmsOperation: "UpdateCustomKeyStore"},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, ekm := range health.EkmFleetDetails {
		fmt.Println(ekm.Id, ekm.HealthStatus)
	}
	fmt.Println("within KMS's 250 ms:", health.Latency < 250e6)
	// Output:
	// kmstest-ekm-1 ACTIVE
	// kmstest-ekm-2 ACTIVE
	// within KMS's 250 ms: true
}

// Encrypt and decrypt under an external key, as KMS does for a key in an
// external key store, and tell the proxy's errors apart.
func ExampleClient_Encrypt() {
	cred := xksproxy.Credential{AccessKeyID: "ABCDE23456FGHIJ7ABCD", SecretAccessKey: "c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3JldA"}
	proxy := kmstest.NewXksProxyServer(
		kmstest.WithXksCredentials(kmstest.XksCredential{AccessKeyID: cred.AccessKeyID, SecretAccessKey: cred.SecretAccessKey}),
		kmstest.WithXksKeys(kmstest.XksKey{ID: "foo"}),
	)
	defer proxy.Close()
	client := xksproxy.New(xksproxy.Options{
		Endpoint: proxy.URL, UriPath: "/kms/xks/v1", Region: "us-east-1", Credential: cred, HTTPClient: proxy.Client(),
	})
	ctx := context.Background()
	md := xksproxy.RequestMetadata{
		AwsPrincipalArn: "arn:aws:iam::123456789012:user/Alice",
		KmsKeyArn:       "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
		KmsOperation:    "Encrypt",
	}
	aad := []byte("project=nile,department=marketing")

	enc, err := client.Encrypt(ctx, &xksproxy.EncryptInput{
		ExternalKeyId:                         "foo",
		RequestMetadata:                       md,
		Plaintext:                             []byte("Hello World!"),
		AdditionalAuthenticatedData:           aad,
		CiphertextDataIntegrityValueAlgorithm: xksproxy.CiphertextDataIntegrityValueAlgorithmSha256, // checked by Encrypt
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	md.KmsOperation = "Decrypt"
	dec, err := client.Decrypt(ctx, &xksproxy.DecryptInput{
		ExternalKeyId:               "foo",
		RequestMetadata:             md,
		Ciphertext:                  enc.Ciphertext,
		CiphertextMetadata:          enc.CiphertextMetadata,
		InitializationVector:        enc.InitializationVector,
		AuthenticationTag:           enc.AuthenticationTag,
		AdditionalAuthenticatedData: aad,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("%s\n", dec.Plaintext)
	fmt.Println(xksproxy.DecryptOutput{Plaintext: dec.Plaintext}) // never prints the plaintext

	_, err = client.Decrypt(ctx, &xksproxy.DecryptInput{
		ExternalKeyId: "foo", RequestMetadata: md, Ciphertext: enc.Ciphertext,
		InitializationVector: enc.InitializationVector, AuthenticationTag: enc.AuthenticationTag,
		AdditionalAuthenticatedData: []byte("another context"),
	})
	var proxyErr *xksproxy.Error
	switch {
	case errors.Is(err, xksproxy.ErrInvalidCiphertext):
		errors.As(err, &proxyErr)
		fmt.Println("wrong AAD:", proxyErr.Name, proxyErr.StatusCode)
	case errors.Is(err, xksproxy.ErrMalformedResponse):
		fmt.Println("the proxy does not follow the specification:", err)
	case err != nil:
		fmt.Println("other failure:", err)
	}
	// Output:
	// Hello World!
	// {Plaintext:[REDACTED] Latency:0s}
	// wrong AAD: InvalidCiphertextException 400
}
