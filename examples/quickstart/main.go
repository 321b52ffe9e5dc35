// Command quickstart is a guided tour of kmskit/kms on the embedded fake KMS
// (package kmstest): no AWS account is needed.
//
//	go run ./examples/quickstart
//
// With -endpoint, -region and -id it instead runs a single rename against a
// real endpoint (credentials from AWS_ACCESS_KEY_ID and
// AWS_SECRET_ACCESS_KEY):
//
//	go run ./examples/quickstart -endpoint https://kms.us-east-1.amazonaws.com -region us-east-1 -id cks-1234567890abcdef0 -name NewName
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/kmskit/kms"
	"github.com/kmskit/kms/examples/internal/exampleenv"
	"github.com/kmskit/kms/kmstest"
)

// The tour's two stores and the things around them.
const (
	hsmStoreID = "cks-1234567890abcdef0"
	xksStoreID = "cks-0fedcba9876543210"
	clusterID  = "cluster-234abcdefghij"
	proxyURL   = "https://xks.example.com"
	privateURL = "https://xks-private.example.com"
	vpcService = "com.amazonaws.vpce.us-east-1.vpce-svc-0abc123def4567890"
	newKeyID   = "NEWKEYID2345ABCDEFGHIJ"
	newSecret  = "Kx9d8f7g6h5j4k3l2m1n0pQrStUvWxYz/+AbCdEfGhI="
)

func main() {
	flags := exampleenv.RegisterFlags()
	name := flag.String("name", "ExampleKeyStore-renamed", "the new name, with -endpoint")
	flag.Parse()

	env, err := exampleenv.Open(flags, seed)
	if err != nil {
		exampleenv.Fail(err)
	}
	defer env.Close()
	ctx := context.Background()

	if env.Real {
		_, err := env.Client.UpdateCustomKeyStore(ctx, &kms.UpdateCustomKeyStoreInput{
			CustomKeyStoreId:      aws.String(env.StoreID),
			NewCustomKeyStoreName: aws.String(*name),
		})
		if err != nil {
			exampleenv.Fail(err)
		}
		fmt.Printf("renamed %s to %q\n", env.StoreID, *name)
		return
	}
	if err := tour(ctx, os.Stdout, env.Client, env.Fake); err != nil {
		exampleenv.Fail(err)
	}
}

// seed creates a CONNECTED CloudHSM key store and a CONNECTED external key
// store, with the cluster, proxy and VPC endpoint service they can use.
func seed(s *kmstest.Server) (string, error) {
	steps := []error{
		s.SetCluster(kmstest.Cluster{ClusterId: clusterID, BackupLineage: "lineage-1"}),
		s.AddStore(kmstest.Store{
			CustomKeyStoreId: hsmStoreID, CustomKeyStoreName: "ExampleCloudHsmStore",
			CustomKeyStoreType: kmstest.TypeCloudHSM, ConnectionState: kmstest.StateConnected,
			CloudHsmClusterId: clusterID, KeyStorePassword: "OldPassword1",
		}),
		s.SetXksProxy(kmstest.XksProxy{UriEndpoint: proxyURL, UriPath: "/kms/xks/v1",
			AccessKeyId: newKeyID, RawSecretAccessKey: newSecret}),
		s.SetXksProxy(kmstest.XksProxy{UriEndpoint: privateURL}),
		s.SetVpcEndpointService(kmstest.VpcEndpointService{ServiceName: vpcService, Owner: "111122223333"}),
		s.AddStore(kmstest.Store{
			CustomKeyStoreId: xksStoreID, CustomKeyStoreName: "ExampleExternalStore",
			CustomKeyStoreType: kmstest.TypeExternal, ConnectionState: kmstest.StateConnected,
			XksProxyConfiguration: kmstest.XksProxyConfiguration{
				AccessKeyId: "OLDKEYID2345ABCDEFGHIJ", RawSecretAccessKey: "old" + newSecret[3:],
				Connectivity: kmstest.ConnectivityPublicEndpoint, UriEndpoint: proxyURL, UriPath: "/kms/xks/v1",
			},
		}),
	}
	return hsmStoreID, errors.Join(steps...)
}

// guide prints the tour.
type guide struct{ w io.Writer }

// step prints a numbered heading.
func (g guide) step(n int, title string) { fmt.Fprintf(g.w, "\n%d. %s\n", n, title) }

// say prints an indented line.
func (g guide) say(format string, args ...any) { fmt.Fprintf(g.w, "   "+format+"\n", args...) }

func tour(ctx context.Context, w io.Writer, c *kms.Client, fake *kmstest.Server) error {
	g := guide{w}
	step, say := g.step, g.say
	fmt.Fprintln(w, "kmskit/kms quickstart: real calls of the client against the embedded fake KMS.")
	fmt.Fprintf(w, "Seeded: CloudHSM store %s and external store %s, both CONNECTED.\n", hsmStoreID, xksStoreID)

	step(1, "Rename the CloudHSM key store (allowed while CONNECTED)")
	if _, err := c.UpdateCustomKeyStore(ctx, &kms.UpdateCustomKeyStoreInput{
		CustomKeyStoreId:      aws.String(hsmStoreID),
		NewCustomKeyStoreName: aws.String("Payments-HSM"),
	}); err != nil {
		return err
	}
	st, _ := fake.Store(hsmStoreID)
	say("ok: the store is now named %q", st.CustomKeyStoreName)

	step(2, "Tell KMS the new kmsuser password while the store is CONNECTED")
	pw := &kms.UpdateCustomKeyStoreInput{
		CustomKeyStoreId: aws.String(hsmStoreID),
		KeyStorePassword: aws.String("NewPassword2"),
	}
	_, err := c.UpdateCustomKeyStore(ctx, pw)
	if !errors.Is(err, kms.ErrCustomKeyStoreInvalidState) {
		return fmt.Errorf("expected ErrCustomKeyStoreInvalidState, got %v", err)
	}
	var apiErr *kms.APIError
	errors.As(err, &apiErr)
	say("rejected, as documented: errors.Is(err, kms.ErrCustomKeyStoreInvalidState) is true")
	say("KMS said: %s (HTTP %d, request %s)", apiErr.Code, apiErr.StatusCode, apiErr.RequestID)
	say("members that need DISCONNECTED: %s", strings.Join(pw.DisconnectRequiredFields(), ", "))
	say("what to do: DisconnectCustomKeyStore, UpdateCustomKeyStore, ConnectCustomKeyStore")

	step(3, "Disconnect it (here through the kmstest API) and try again")
	if err := fake.SetConnectionState(hsmStoreID, kmstest.StateDisconnected); err != nil {
		return err
	}
	if _, err := c.UpdateCustomKeyStore(ctx, pw); err != nil {
		return err
	}
	say("ok: KMS now knows the new password (the input prints it as %v)", pw)
	if err := fake.SetConnectionState(hsmStoreID, kmstest.StateConnected); err != nil {
		return err
	}

	step(4, "Rotate the XKS proxy credential of the external store (allowed while CONNECTED)")
	if _, err := c.UpdateCustomKeyStore(ctx, &kms.UpdateCustomKeyStoreInput{
		CustomKeyStoreId: aws.String(xksStoreID),
		XksProxyAuthenticationCredential: &kms.XksProxyAuthenticationCredentialType{
			AccessKeyId:        aws.String(newKeyID),
			RawSecretAccessKey: aws.String(newSecret),
		},
	}); err != nil {
		return err
	}
	st, _ = fake.Store(xksStoreID)
	say("ok: the proxy accepted the new credential; KMS signs with access key %s", st.XksProxyConfiguration.AccessKeyId)

	step(5, "Switch the external store to a VPC endpoint service (needs DISCONNECTED)")
	if err := fake.SetConnectionState(xksStoreID, kmstest.StateDisconnected); err != nil {
		return err
	}
	if _, err := c.UpdateCustomKeyStore(ctx, &kms.UpdateCustomKeyStoreInput{
		CustomKeyStoreId:               aws.String(xksStoreID),
		XksProxyConnectivity:           kms.XksProxyConnectivityTypeVpcEndpointService,
		XksProxyUriEndpoint:            aws.String(privateURL),
		XksProxyVpcEndpointServiceName: aws.String(vpcService),
	}); err != nil {
		return err
	}
	st, _ = fake.Store(xksStoreID)
	say("ok: connectivity %s via %s", st.XksProxyConfiguration.Connectivity, st.XksProxyConfiguration.VpcEndpointServiceName)

	step(6, "Make a mistake: the client catches it offline and sends nothing")
	before := len(fake.Calls())
	_, err = c.UpdateCustomKeyStore(ctx, &kms.UpdateCustomKeyStoreInput{
		CustomKeyStoreId:     aws.String(xksStoreID),
		KeyStorePassword:     aws.String("short"),
		XksProxyConnectivity: kms.XksProxyConnectivityTypeVpcEndpointService,
	})
	var ve *kms.ValidationError
	if !errors.As(err, &ve) {
		return fmt.Errorf("expected a *kms.ValidationError, got %v", err)
	}
	say("members at fault: %s", strings.Join(ve.Fields(), ", "))
	for _, p := range ve.Problems() {
		say("- %s: %s", p.Field, p.Reason)
	}
	say("requests sent for it: %d", len(fake.Calls())-before)

	fmt.Fprintln(w, "\nDone. Next: README.md for usage, go doc github.com/kmskit/kms/kmstest for the fake.")
	return nil
}

func init() {
	flag.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: quickstart [-endpoint URL -region REGION -id CKS-ID [-name NAME]]")
		flag.PrintDefaults()
	}
}
