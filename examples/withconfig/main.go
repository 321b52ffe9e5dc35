// Command withconfig renames a custom key store using the SDK's full
// configuration chain (environment, shared config and credentials files, SSO,
// IMDS, ...) through config.LoadDefaultConfig and kms.NewFromConfig.
//
// It is a module of its own so that the library does not depend on
// aws-sdk-go-v2/config. It talks to real KMS: it needs an AWS account.
//
// Store state: CONNECTED or DISCONNECTED.
//
//	cd examples/withconfig && go run . -id cks-1234567890abcdef0 -name NewName
package main

import (
	"context"
	"flag"
	"fmt"
	"os"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"

	"github.com/kmskit/kms"
)

func main() {
	id := flag.String("id", "", "custom key store ID (required)")
	name := flag.String("name", "", "new name (required)")
	flag.Parse()
	if *id == "" || *name == "" {
		flag.Usage()
		os.Exit(2)
	}
	ctx := context.Background()
	cfg, err := config.LoadDefaultConfig(ctx)
	if err != nil {
		fmt.Fprintln(os.Stderr, "load AWS config:", err)
		os.Exit(1)
	}
	client := kms.NewFromConfig(cfg)
	out, err := client.UpdateCustomKeyStore(ctx, &kms.UpdateCustomKeyStoreInput{
		CustomKeyStoreId:      aws.String(*id),
		NewCustomKeyStoreName: aws.String(*name),
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Printf("renamed %s to %q (request %s)\n", *id, *name, out.RequestID)
}
