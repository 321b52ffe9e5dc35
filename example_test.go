package kms_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/kmskit/kms"
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
