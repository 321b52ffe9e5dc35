package kms_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/kmskit/kms"
	"github.com/kmskit/kms/kmstest"
)

// exampleServer stands in for KMS: it answers every request with status and
// body.
func exampleServer(status int, body string) *httptest.Server {
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Amzn-Requestid", "example-request-id")
		w.WriteHeader(status)
		_, _ = io.WriteString(w, body)
	}))
}

func exampleCredentials() aws.CredentialsProvider {
	return aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
		return aws.Credentials{AccessKeyID: "AKIDEXAMPLE", SecretAccessKey: "example-secret"}, nil
	})
}

// Rename a custom key store; allowed whether it is CONNECTED or not.
func ExampleClient_UpdateCustomKeyStore() {
	srv := exampleServer(http.StatusOK, "{}")
	defer srv.Close()

	client := kms.New(kms.Options{
		Region:       "us-east-1",
		Credentials:  exampleCredentials(),
		BaseEndpoint: aws.String(srv.URL),
		HTTPClient:   srv.Client(),
	})
	out, err := client.UpdateCustomKeyStore(context.Background(), &kms.UpdateCustomKeyStoreInput{
		CustomKeyStoreId:      aws.String("cks-1234567890abcdef0"),
		NewCustomKeyStoreName: aws.String("ExampleKeyStore"),
	})
	if err != nil {
		fmt.Println("error:", err)
		return
	}
	fmt.Println("renamed; request", out.RequestID)
	// Output: renamed; request example-request-id
}

// Test a KMS error with errors.Is and read its details with errors.As.
func ExampleClient_UpdateCustomKeyStore_errors() {
	srv := exampleServer(http.StatusBadRequest,
		`{"__type":"CustomKeyStoreInvalidStateException","message":"The custom key store is connected."}`)
	defer srv.Close()

	client := kms.New(kms.Options{
		Region:       "us-east-1",
		Credentials:  exampleCredentials(),
		BaseEndpoint: aws.String(srv.URL),
		HTTPClient:   srv.Client(),
	})
	_, err := client.UpdateCustomKeyStore(context.Background(), &kms.UpdateCustomKeyStoreInput{
		CustomKeyStoreId: aws.String("cks-1234567890abcdef0"),
		KeyStorePassword: aws.String("NewPassword1"),
	})
	if errors.Is(err, kms.ErrCustomKeyStoreInvalidState) {
		fmt.Println("disconnect the store first")
	}
	var apiErr *kms.APIError
	if errors.As(err, &apiErr) {
		fmt.Println(apiErr.Code, apiErr.StatusCode, apiErr.RequestID)
	}
	// Output:
	// disconnect the store first
	// CustomKeyStoreInvalidStateException 400 example-request-id
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
