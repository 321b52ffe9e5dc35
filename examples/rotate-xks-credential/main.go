// Command rotate-xks-credential tells KMS the new credential of an external
// key store proxy, after you rotated it on the proxy.
//
// Store state: CONNECTED or DISCONNECTED. On a CONNECTED store KMS checks the
// new credential against the proxy at once, so rotate it on the proxy first.
// Both AccessKeyId and RawSecretAccessKey are required, even if only one
// changed. This sends the bare UpdateCustomKeyStore;
// safeupdate.Updater.RotateXksCredential also checks the new credential on
// the proxy first and confirms the switch (see its Example and
// `cks rotate-xks-credential`).
//
//	go run ./examples/rotate-xks-credential        # on the embedded fake
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/kmskit/kms"
	"github.com/kmskit/kms/examples/internal/exampleenv"
	"github.com/kmskit/kms/kmstest"
)

const (
	exampleAccessKeyID = "NEWKEYID2345ABCDEFGHIJ"
	exampleSecret      = "Kx9d8f7g6h5j4k3l2m1n0pQrStUvWxYz/+AbCdEfGhI="
)

func main() {
	flags := exampleenv.RegisterFlags()
	flag.Parse()
	// On a real endpoint, pass the new credential through the environment,
	// never on the command line.
	keyID, secret := os.Getenv("XKS_ACCESS_KEY_ID"), os.Getenv("XKS_SECRET_ACCESS_KEY")

	env, err := exampleenv.Open(flags, func(s *kmstest.Server) (string, error) {
		keyID, secret = exampleAccessKeyID, exampleSecret
		if err := s.SetXksProxy(kmstest.XksProxy{
			UriEndpoint: "https://xks.example.com", UriPath: "/kms/xks/v1",
			AccessKeyId: exampleAccessKeyID, RawSecretAccessKey: exampleSecret,
		}); err != nil {
			return "", err
		}
		return "cks-0fedcba9876543210", s.AddStore(kmstest.Store{
			CustomKeyStoreId:   "cks-0fedcba9876543210",
			CustomKeyStoreName: "ExampleExternalKeyStore",
			CustomKeyStoreType: kmstest.TypeExternal,
			ConnectionState:    kmstest.StateConnected,
			XksProxyConfiguration: kmstest.XksProxyConfiguration{
				AccessKeyId: "OLDKEYID2345ABCDEFGHIJ", RawSecretAccessKey: "old" + exampleSecret[3:],
				Connectivity: kmstest.ConnectivityPublicEndpoint,
				UriEndpoint:  "https://xks.example.com", UriPath: "/kms/xks/v1",
			},
		})
	})
	if err != nil {
		exampleenv.Fail(err)
	}
	defer env.Close()
	if keyID == "" || secret == "" {
		exampleenv.Fail(errors.New("set XKS_ACCESS_KEY_ID and XKS_SECRET_ACCESS_KEY to the new proxy credential"))
	}

	in := &kms.UpdateCustomKeyStoreInput{
		CustomKeyStoreId: aws.String(env.StoreID),
		XksProxyAuthenticationCredential: &kms.XksProxyAuthenticationCredentialType{
			AccessKeyId:        aws.String(keyID),
			RawSecretAccessKey: aws.String(secret),
		},
	}
	_, err = env.Client.UpdateCustomKeyStore(context.Background(), in)
	switch {
	case errors.Is(err, kms.ErrXksProxyIncorrectAuthenticationCredential):
		exampleenv.Fail(fmt.Errorf("the proxy does not accept this credential yet; rotate it on the proxy first: %w", err))
	case err != nil:
		exampleenv.Fail(err)
	}
	fmt.Printf("KMS now signs requests to the proxy of %s with access key %s\n", env.StoreID, keyID)
}
