// Command official makes one call of each of the six custom key store
// operations with aws-sdk-go-v2/service/kms; it exists to be measured (see
// package binsize).
package main

import (
	"context"
	"fmt"
	"os"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/aws-sdk-go-v2/service/kms/types"
)

func main() {
	creds := aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
		return aws.Credentials{AccessKeyID: os.Getenv("AWS_ACCESS_KEY_ID"), SecretAccessKey: os.Getenv("AWS_SECRET_ACCESS_KEY")}, nil
	})
	client := kms.New(kms.Options{Region: os.Getenv("AWS_REGION"), Credentials: creds})
	ctx := context.Background()
	created, err := client.CreateCustomKeyStore(ctx, &kms.CreateCustomKeyStoreInput{
		CustomKeyStoreName: aws.String("ExampleKeyStore"),
		CustomKeyStoreType: types.CustomKeyStoreTypeExternalKeyStore,
		XksProxyAuthenticationCredential: &types.XksProxyAuthenticationCredentialType{
			AccessKeyId:        aws.String(os.Getenv("XKS_ACCESS_KEY_ID")),
			RawSecretAccessKey: aws.String(os.Getenv("XKS_SECRET")),
		},
		XksProxyConnectivity: types.XksProxyConnectivityTypePublicEndpoint,
		XksProxyUriEndpoint:  aws.String("https://myproxy.example.com"),
		XksProxyUriPath:      aws.String("/kms/xks/v1"),
	})
	check(err)
	id := created.CustomKeyStoreId
	_, err = client.ConnectCustomKeyStore(ctx, &kms.ConnectCustomKeyStoreInput{CustomKeyStoreId: id})
	check(err)
	described, err := client.DescribeCustomKeyStores(ctx, &kms.DescribeCustomKeyStoresInput{CustomKeyStoreId: id})
	check(err)
	for _, s := range described.CustomKeyStores {
		fmt.Println(aws.ToString(s.CustomKeyStoreId), s.ConnectionState, s.ConnectionErrorCode)
	}
	_, err = client.DisconnectCustomKeyStore(ctx, &kms.DisconnectCustomKeyStoreInput{CustomKeyStoreId: id})
	check(err)
	_, err = client.UpdateCustomKeyStore(ctx, &kms.UpdateCustomKeyStoreInput{
		CustomKeyStoreId:      id,
		NewCustomKeyStoreName: aws.String("RenamedKeyStore"),
	})
	check(err)
	_, err = client.DeleteCustomKeyStore(ctx, &kms.DeleteCustomKeyStoreInput{CustomKeyStoreId: id})
	check(err)
}

func check(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
