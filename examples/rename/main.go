// Command rename renames a custom key store.
//
// Store state: CONNECTED or DISCONNECTED (a rename never needs a disconnect).
// The new name must be unique in the account and Region.
//
//	go run ./examples/rename                      # on the embedded fake
//	go run ./examples/rename -endpoint https://kms.us-east-1.amazonaws.com -region us-east-1 -id cks-... -name NewName
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/kmskit/kms"
	"github.com/kmskit/kms/examples/internal/exampleenv"
	"github.com/kmskit/kms/kmstest"
)

func main() {
	flags := exampleenv.RegisterFlags()
	name := flag.String("name", "ExampleKeyStore-renamed", "the new name")
	flag.Parse()

	env, err := exampleenv.Open(flags, func(s *kmstest.Server) (string, error) {
		return "cks-1234567890abcdef0", s.AddStore(kmstest.Store{
			CustomKeyStoreId:   "cks-1234567890abcdef0",
			CustomKeyStoreName: "ExampleKeyStore",
			CustomKeyStoreType: kmstest.TypeCloudHSM,
			ConnectionState:    kmstest.StateConnected,
			CloudHsmClusterId:  "cluster-234abcdefghij",
		})
	})
	if err != nil {
		exampleenv.Fail(err)
	}
	defer env.Close()

	_, err = env.Client.UpdateCustomKeyStore(context.Background(), &kms.UpdateCustomKeyStoreInput{
		CustomKeyStoreId:      aws.String(env.StoreID),
		NewCustomKeyStoreName: aws.String(*name),
	})
	switch {
	case errors.Is(err, kms.ErrCustomKeyStoreNameInUse):
		exampleenv.Fail(fmt.Errorf("another store is already named %q: %w", *name, err))
	case err != nil:
		exampleenv.Fail(err)
	}
	fmt.Printf("renamed %s to %q\n", env.StoreID, *name)
}
