package kms_test

// The README's code snippets are copies of parts of these Examples (see
// TestREADMESnippetsAreExamples), so that each one compiles and runs. They
// talk to kmstest, the fake KMS: no AWS account is needed.

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"

	"github.com/kmskit/kms"
	"github.com/kmskit/kms/kmstest"
)

// exampleCredentials are any keys: the fake KMS checks signatures only
// WithSigV4. Real code gets credentials from config.LoadDefaultConfig.
func exampleCredentials() aws.CredentialsProvider {
	return aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
		return aws.Credentials{AccessKeyID: "AKIDEXAMPLE", SecretAccessKey: "example-secret"}, nil
	})
}

// exampleStore is the store the Examples' fake KMS holds.
var exampleStore = kmstest.Store{
	CustomKeyStoreId:   "cks-1234567890abcdef0",
	CustomKeyStoreName: "OldName",
	CustomKeyStoreType: kmstest.TypeCloudHSM,
	ConnectionState:    kmstest.StateConnected,
	CloudHsmClusterId:  "cluster-234abcdefghij",
}

// exampleSetup returns a fake KMS holding exampleStore and a client of it.
func exampleSetup() (*kmstest.Server, *kms.Client) {
	srv := kmstest.NewServer()
	if err := srv.AddStore(exampleStore); err != nil {
		panic(err)
	}
	creds := aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
		return aws.Credentials{AccessKeyID: "AKIDEXAMPLE", SecretAccessKey: "example-secret"}, nil
	})
	return srv, kms.New(kms.Options{
		Region:       "us-east-1",
		Credentials:  creds,
		BaseEndpoint: aws.String(srv.URL),
		HTTPClient:   srv.Client(),
	})
}

// Create a client and rename a custom key store (allowed whether it is
// CONNECTED or not). The fake KMS stands in for the real one.
func ExampleNew() {
	// creds signs the requests: any aws.CredentialsProvider. Static keys
	// here; in production the SDK's chain (see NewFromConfig) or your own.
	creds := aws.CredentialsProviderFunc(func(ctx context.Context) (aws.Credentials, error) {
		return aws.Credentials{AccessKeyID: "AKIDEXAMPLE", SecretAccessKey: "example-secret"}, nil
	})

	// A fake KMS holding one store; for the real KMS leave out
	// BaseEndpoint and HTTPClient.
	srv := kmstest.NewServer()
	defer srv.Close()
	if err := srv.AddStore(kmstest.Store{
		CustomKeyStoreId:   "cks-1234567890abcdef0",
		CustomKeyStoreType: kmstest.TypeCloudHSM,
		ConnectionState:    kmstest.StateConnected,
		CloudHsmClusterId:  "cluster-234abcdefghij",
	}); err != nil {
		panic(err)
	}

	client := kms.New(kms.Options{
		Region:       "us-east-1",
		Credentials:  creds,
		BaseEndpoint: aws.String(srv.URL), // http is allowed here
		HTTPClient:   srv.Client(),
	})
	_, err := client.UpdateCustomKeyStore(context.Background(), &kms.UpdateCustomKeyStoreInput{
		CustomKeyStoreId:      aws.String("cks-1234567890abcdef0"),
		NewCustomKeyStoreName: aws.String("ExampleKeyStore"),
	})
	if err != nil {
		fmt.Println("error:", err)
		return
	}
	st, _ := srv.Store("cks-1234567890abcdef0")
	fmt.Println(st.CustomKeyStoreName)
	// Output: ExampleKeyStore
}

// Override Options for one call: optFns change a copy of the client's.
func ExampleClient_UpdateCustomKeyStore_perCallOptions() {
	srv, client := exampleSetup()
	defer srv.Close()
	srv.FailNext(1, kmstest.Fault{Code: kmstest.CodeThrottling})
	ctx := context.Background()
	in := &kms.UpdateCustomKeyStoreInput{
		CustomKeyStoreId:      aws.String("cks-1234567890abcdef0"),
		NewCustomKeyStoreName: aws.String("ExampleKeyStore"),
	}

	_, err := client.UpdateCustomKeyStore(ctx, in, func(o *kms.Options) {
		o.RetryMaxAttempts = 1 // no retry for this call
	})

	var apiErr *kms.APIError
	if errors.As(err, &apiErr) {
		fmt.Println(apiErr.Code, "after", len(srv.Calls()), "attempt")
	}
	// Output: ThrottlingException after 1 attempt
}

// Test a KMS error with errors.Is and read its details with errors.As.
func ExampleClient_UpdateCustomKeyStore_errors() {
	srv, client := exampleSetup()
	defer srv.Close()
	ctx := context.Background()
	in := &kms.UpdateCustomKeyStoreInput{
		CustomKeyStoreId: aws.String("cks-1234567890abcdef0"),
		KeyStorePassword: aws.String("NewPassword1"), // needs DISCONNECTED
	}

	_, err := client.UpdateCustomKeyStore(ctx, in)

	var ve *kms.ValidationError
	switch {
	case err == nil:
	case errors.As(err, &ve):
		// bad input, nothing was sent: ve.Fields() names every member at fault
	case errors.Is(err, kms.ErrCustomKeyStoreInvalidState):
		// most members need the store DISCONNECTED: DisconnectCustomKeyStore,
		// update, then ConnectCustomKeyStore
		fmt.Println("disconnect the store first")
	case errors.Is(err, kms.ErrCustomKeyStoreNotFound):
		// wrong ID, account or Region
	default:
		var apiErr *kms.APIError
		if errors.As(err, &apiErr) {
			fmt.Printf("KMS said %s (%d): %s, request %s\n",
				apiErr.Code, apiErr.StatusCode, apiErr.Message, apiErr.RequestID)
		}
	}
	// Output: disconnect the store first
}

// Test your own code's retries against the fake: make calls fail, then
// check what was sent and what changed.
func ExampleClient_UpdateCustomKeyStore_kmstest() {
	srv := kmstest.NewServer()
	defer srv.Close()
	if err := srv.AddStore(kmstest.Store{
		CustomKeyStoreId:   "cks-1234567890abcdef0",
		CustomKeyStoreName: "OldName",
		CustomKeyStoreType: kmstest.TypeCloudHSM,
		ConnectionState:    kmstest.StateConnected,
		CloudHsmClusterId:  "cluster-234abcdefghij",
	}); err != nil {
		panic(err)
	}
	srv.FailNext(2, kmstest.Fault{Code: kmstest.CodeThrottling}) // exercise your retries

	// Any keys sign for the fake; it checks signatures only WithSigV4.
	creds := aws.CredentialsProviderFunc(func(ctx context.Context) (aws.Credentials, error) {
		return aws.Credentials{AccessKeyID: "AKIDEXAMPLE", SecretAccessKey: "example-secret"}, nil
	})
	client := kms.New(kms.Options{
		Region:       "us-east-1",
		Credentials:  creds,
		BaseEndpoint: aws.String(srv.URL),
		HTTPClient:   srv.Client(),
		Retryer:      retry.AddWithMaxBackoffDelay(retry.NewStandard(), time.Millisecond), // fast retries in tests
	})
	_, err := client.UpdateCustomKeyStore(context.Background(), &kms.UpdateCustomKeyStoreInput{
		CustomKeyStoreId:      aws.String("cks-1234567890abcdef0"),
		NewCustomKeyStoreName: aws.String("ExampleKeyStore"),
	})

	st, _ := srv.Store("cks-1234567890abcdef0") // read the result back
	calls := srv.Calls()                        // what your code sent (secrets redacted)
	fmt.Println(err, st.CustomKeyStoreName, len(calls), calls[0].Code)
	// Output: <nil> ExampleKeyStore 3 ThrottlingException
}

// Validation happens offline: nothing is sent for a bad input.
func ExampleUpdateCustomKeyStoreInput_Validate() {
	in := &kms.UpdateCustomKeyStoreInput{}
	var ve *kms.ValidationError
	if errors.As(in.Validate(), &ve) {
		fmt.Println(ve.Fields())
	}
	// Output: [CustomKeyStoreId]
}

// Create a CloudHSM key store, connect it and wait until it is CONNECTED,
// here on the kmstest fake. Against KMS, keep the waiter's default delays
// (2 s to 30 s between polls).
func ExampleNewCustomKeyStoreConnectedWaiter() {
	srv := kmstest.NewServer(kmstest.WithTransitionDelay(10 * time.Millisecond))
	defer srv.Close()
	_ = srv.SetCluster(kmstest.Cluster{ClusterId: "cluster-234abcdefghij"})
	client := kms.New(kms.Options{
		Region:       "us-east-1",
		Credentials:  exampleCredentials(),
		BaseEndpoint: aws.String(srv.URL),
		HTTPClient:   srv.Client(),
	})
	ctx := context.Background()

	created, err := client.CreateCustomKeyStore(ctx, &kms.CreateCustomKeyStoreInput{
		CustomKeyStoreName:     aws.String("ExampleCloudHsmStore"),
		CloudHsmClusterId:      aws.String("cluster-234abcdefghij"),
		KeyStorePassword:       aws.String("kmsPswd-Example1"),
		TrustAnchorCertificate: aws.String("-----BEGIN CERTIFICATE-----\n...\n-----END CERTIFICATE-----"),
	})
	if err != nil {
		fmt.Println("error:", err)
		return
	}
	id := created.CustomKeyStoreId
	if _, err := client.ConnectCustomKeyStore(ctx, &kms.ConnectCustomKeyStoreInput{CustomKeyStoreId: id}); err != nil {
		fmt.Println("error:", err)
		return
	}
	waiter := kms.NewCustomKeyStoreConnectedWaiter(client, func(o *kms.CustomKeyStoreConnectedWaiterOptions) {
		o.MinDelay, o.MaxDelay = 5*time.Millisecond, 20*time.Millisecond // the fake is fast
	})
	err = waiter.Wait(ctx, &kms.DescribeCustomKeyStoresInput{CustomKeyStoreId: id}, 5*time.Minute)
	var failed *kms.ConnectionFailedError
	switch {
	case errors.As(err, &failed):
		fmt.Println("connection failed:", failed.ConnectionErrorCode) // err says why and how to fix it
	case err != nil:
		fmt.Println("error:", err)
	default:
		fmt.Println("connected")
	}
	// Output: connected
}

// List every custom key store, one page at a time.
func ExampleNewDescribeCustomKeyStoresPaginator() {
	srv := kmstest.NewServer()
	defer srv.Close()
	for i, name := range []string{"first", "second", "third"} {
		_ = srv.AddStore(kmstest.Store{
			CustomKeyStoreId:   fmt.Sprintf("cks-%017d", i),
			CustomKeyStoreName: name,
			CustomKeyStoreType: kmstest.TypeCloudHSM,
			CloudHsmClusterId:  "cluster-234abcdefghij",
		})
	}
	client := kms.New(kms.Options{
		Region:       "us-east-1",
		Credentials:  exampleCredentials(),
		BaseEndpoint: aws.String(srv.URL),
		HTTPClient:   srv.Client(),
	})

	p := kms.NewDescribeCustomKeyStoresPaginator(client, nil, func(o *kms.DescribeCustomKeyStoresPaginatorOptions) {
		o.Limit = 2
	})
	for p.HasMorePages() {
		page, err := p.NextPage(context.Background())
		if err != nil {
			fmt.Println("error:", err)
			return
		}
		for _, store := range page.CustomKeyStores {
			fmt.Println(aws.ToString(store.CustomKeyStoreName), store.ConnectionState)
		}
	}
	// Output:
	// first DISCONNECTED
	// second DISCONNECTED
	// third DISCONNECTED
}
