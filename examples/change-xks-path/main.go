// Command change-xks-path changes the base path of an external key store
// proxy.
//
// Store state: CONNECTED or DISCONNECTED. On a CONNECTED store KMS checks that
// the proxy answers at the new path, so make it reachable there first. The
// path starts with / and ends with /kms/xks/v1 (or another version), with an
// optional prefix such as /example/kms/xks/v1.
//
//	go run ./examples/change-xks-path              # on the embedded fake
//	go run ./examples/change-xks-path -path /tenant-a/kms/xks/v1
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
	path := flag.String("path", "/tenant-a/kms/xks/v1", "the new proxy path")
	flag.Parse()

	env, err := exampleenv.Open(flags, func(s *kmstest.Server) (string, error) {
		if err := s.SetXksProxy(kmstest.XksProxy{UriEndpoint: "https://xks.example.com"}); err != nil {
			return "", err
		}
		return "cks-0fedcba9876543210", s.AddStore(kmstest.Store{
			CustomKeyStoreId:   "cks-0fedcba9876543210",
			CustomKeyStoreName: "ExampleExternalKeyStore",
			CustomKeyStoreType: kmstest.TypeExternal,
			ConnectionState:    kmstest.StateConnected,
			XksProxyConfiguration: kmstest.XksProxyConfiguration{
				AccessKeyId: "KEYID2345ABCDEFGHIJKL", RawSecretAccessKey: "Kx9d8f7g6h5j4k3l2m1n0pQrStUvWxYz/+AbCdEfGhI=",
				Connectivity: kmstest.ConnectivityPublicEndpoint,
				UriEndpoint:  "https://xks.example.com", UriPath: "/kms/xks/v1",
			},
		})
	})
	if err != nil {
		exampleenv.Fail(err)
	}
	defer env.Close()

	in := &kms.UpdateCustomKeyStoreInput{
		CustomKeyStoreId: aws.String(env.StoreID),
		XksProxyUriPath:  aws.String(*path),
	}
	_, err = env.Client.UpdateCustomKeyStore(context.Background(), in)
	var ve *kms.ValidationError
	switch {
	case errors.As(err, &ve):
		exampleenv.Fail(fmt.Errorf("bad path, nothing was sent: %w", err))
	case errors.Is(err, kms.ErrXksProxyUriUnreachable):
		exampleenv.Fail(fmt.Errorf("KMS cannot reach the proxy at the new path: %w", err))
	case errors.Is(err, kms.ErrXksProxyUriInUse):
		exampleenv.Fail(fmt.Errorf("another store already uses this endpoint and path: %w", err))
	case err != nil:
		exampleenv.Fail(err)
	}
	fmt.Printf("%s now reaches its proxy at path %s\n", env.StoreID, *path)
}
