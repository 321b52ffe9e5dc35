package main

import (
	"context"
	"fmt"
	"os"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"

	"github.com/kmskit/kms"
	"github.com/kmskit/kms/kmstest"
)

// The SDK's configuration chain, pointed at the fake KMS through the
// environment so that it runs without an AWS account. The README's
// NewFromConfig snippet is a copy of its middle part.
func Example() {
	srv := kmstest.NewServer()
	defer srv.Close()
	if err := srv.AddStore(kmstest.Store{
		CustomKeyStoreId:   "cks-1234567890abcdef0",
		CustomKeyStoreType: kmstest.TypeCloudHSM,
		CloudHsmClusterId:  "cluster-234abcdefghij",
	}); err != nil {
		panic(err)
	}
	defer setenv(map[string]string{
		"AWS_REGION":                          "us-east-1",
		"AWS_ACCESS_KEY_ID":                   "AKIDEXAMPLE",
		"AWS_SECRET_ACCESS_KEY":               "example-secret",
		"AWS_ENDPOINT_URL_KMS":                srv.URL,
		"AWS_CONFIG_FILE":                     os.DevNull,
		"AWS_SHARED_CREDENTIALS_FILE":         os.DevNull,
		"AWS_SESSION_TOKEN":                   "",
		"AWS_PROFILE":                         "",
		"AWS_ENDPOINT_URL":                    "",
		"AWS_IGNORE_CONFIGURED_ENDPOINT_URLS": "",
	})()

	ctx := context.Background()
	cfg, err := config.LoadDefaultConfig(ctx) // Region, credentials, retries, FIPS
	if err != nil {
		fmt.Println("load AWS config:", err)
		return
	}
	client := kms.NewFromConfig(cfg)
	_, err = client.UpdateCustomKeyStore(ctx, &kms.UpdateCustomKeyStoreInput{
		CustomKeyStoreId:      aws.String("cks-1234567890abcdef0"),
		NewCustomKeyStoreName: aws.String("ExampleKeyStore"),
	})

	fmt.Println(err)
	// Output: <nil>
}

// setenv sets the environment variables in vars, unsetting those whose
// value is "", and returns a function that restores what they were.
func setenv(vars map[string]string) (restore func()) {
	type saved struct {
		value string
		set   bool
	}
	before := map[string]saved{}
	for k, v := range vars {
		old, set := os.LookupEnv(k)
		before[k] = saved{old, set}
		if v == "" {
			os.Unsetenv(k)
		} else {
			os.Setenv(k, v)
		}
	}
	return func() {
		for k, s := range before {
			if s.set {
				os.Setenv(k, s.value)
			} else {
				os.Unsetenv(k)
			}
		}
	}
}
