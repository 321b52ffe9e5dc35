// Command quickstart is a guided tour of kmskit/kms on the embedded fake KMS
// (package kmstest): no AWS account is needed. It walks a custom key store
// through its lifecycle: connect, wait, rename and change the XKS proxy path
// while CONNECTED, disconnect, wait, change the password, reconnect, wait;
// and it ends with the safe way to change a store: preflight, plan, apply.
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
	"time"

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
	newPath    = "/tour/kms/xks/v1"
	newKeyID   = "NEWKEYID2345ABCDEFGHIJ"
	newSecret  = "Kx9d8f7g6h5j4k3l2m1n0pQrStUvWxYz/+AbCdEfGhI="
)

// The fake moves stores between states after transitionDelay; the waiters
// poll it every few milliseconds. Against KMS, keep the waiters' defaults
// (2 s to 30 s between polls): the custom key store operations share a low
// request quota.
const (
	transitionDelay = 30 * time.Millisecond
	pollMin         = 10 * time.Millisecond
	pollMax         = 50 * time.Millisecond
	maxWait         = time.Minute
)

func main() {
	flags := exampleenv.RegisterFlags()
	name := flag.String("name", "ExampleKeyStore-renamed", "the new name, with -endpoint")
	flag.Parse()

	env, err := exampleenv.Open(flags, seed, kmstest.WithTransitionDelay(transitionDelay))
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

// seed creates a CONNECTED CloudHSM key store and a DISCONNECTED external
// key store that still holds an old proxy credential, with the cluster and
// the proxy they use. The proxy serves any path and accepts only the new
// credential.
func seed(s *kmstest.Server) (string, error) {
	steps := []error{
		s.SetCluster(kmstest.Cluster{ClusterId: clusterID, BackupLineage: "lineage-1", KmsuserPassword: "NewPassword2"}),
		s.AddStore(kmstest.Store{
			CustomKeyStoreId: hsmStoreID, CustomKeyStoreName: "ExampleCloudHsmStore",
			CustomKeyStoreType: kmstest.TypeCloudHSM, ConnectionState: kmstest.StateConnected,
			CloudHsmClusterId: clusterID, KeyStorePassword: "OldPassword1",
		}),
		s.SetXksProxy(kmstest.XksProxy{UriEndpoint: proxyURL, AccessKeyId: newKeyID, RawSecretAccessKey: newSecret}),
		s.AddStore(kmstest.Store{
			CustomKeyStoreId: xksStoreID, CustomKeyStoreName: "ExampleExternalStore",
			CustomKeyStoreType: kmstest.TypeExternal, ConnectionState: kmstest.StateDisconnected,
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

// lifecycle connects, disconnects and waits, as a program would against
// KMS (there with the waiters' default delays).
type lifecycle struct {
	c          *kms.Client
	connected  *kms.CustomKeyStoreConnectedWaiter
	disconnect *kms.CustomKeyStoreDisconnectedWaiter
}

func newLifecycle(c *kms.Client) lifecycle {
	return lifecycle{
		c: c,
		connected: kms.NewCustomKeyStoreConnectedWaiter(c, func(o *kms.CustomKeyStoreConnectedWaiterOptions) {
			o.MinDelay, o.MaxDelay = pollMin, pollMax
		}),
		disconnect: kms.NewCustomKeyStoreDisconnectedWaiter(c, func(o *kms.CustomKeyStoreDisconnectedWaiterOptions) {
			o.MinDelay, o.MaxDelay = pollMin, pollMax
		}),
	}
}

// connect connects the store and waits until it is CONNECTED (or FAILED).
func (l lifecycle) connect(ctx context.Context, id string) error {
	if _, err := l.c.ConnectCustomKeyStore(ctx, &kms.ConnectCustomKeyStoreInput{CustomKeyStoreId: aws.String(id)}); err != nil {
		return err
	}
	return l.connected.Wait(ctx, &kms.DescribeCustomKeyStoresInput{CustomKeyStoreId: aws.String(id)}, maxWait)
}

// disconnectAndWait disconnects the store and waits until it is
// DISCONNECTED.
func (l lifecycle) disconnectAndWait(ctx context.Context, id string) error {
	if _, err := l.c.DisconnectCustomKeyStore(ctx, &kms.DisconnectCustomKeyStoreInput{CustomKeyStoreId: aws.String(id)}); err != nil {
		return err
	}
	return l.disconnect.Wait(ctx, &kms.DescribeCustomKeyStoresInput{CustomKeyStoreId: aws.String(id)}, maxWait)
}

// describe returns the store's entry.
func describe(ctx context.Context, c *kms.Client, id string) (kms.CustomKeyStoresListEntry, error) {
	out, err := c.DescribeCustomKeyStores(ctx, &kms.DescribeCustomKeyStoresInput{CustomKeyStoreId: aws.String(id)})
	if err != nil {
		return kms.CustomKeyStoresListEntry{}, err
	}
	if len(out.CustomKeyStores) != 1 {
		return kms.CustomKeyStoresListEntry{}, fmt.Errorf("DescribeCustomKeyStores returned %d stores", len(out.CustomKeyStores))
	}
	return out.CustomKeyStores[0], nil
}

func tour(ctx context.Context, w io.Writer, c *kms.Client, fake *kmstest.Server) error {
	g := guide{w}
	step, say := g.step, g.say
	l := newLifecycle(c)
	fmt.Fprintln(w, "kmskit/kms quickstart: real calls of the client against the embedded fake KMS.")

	step(1, "List the custom key stores (DescribeCustomKeyStores, one page at a time)")
	p := kms.NewDescribeCustomKeyStoresPaginator(c, nil)
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return err
		}
		for _, e := range page.CustomKeyStores {
			say("%s  %-22s %-18s %s", aws.ToString(e.CustomKeyStoreId), aws.ToString(e.CustomKeyStoreName), e.CustomKeyStoreType, e.ConnectionState)
		}
	}

	step(2, "Connect the external key store and wait for CONNECTED")
	err := l.connect(ctx, xksStoreID)
	var failed *kms.ConnectionFailedError
	if !errors.As(err, &failed) {
		return fmt.Errorf("expected a *kms.ConnectionFailedError, got %v", err)
	}
	say("the waiter stopped at once: ConnectionState FAILED, ConnectionErrorCode %s", failed.ConnectionErrorCode)
	say("errors.Is(err, kms.ErrCustomKeyStoreConnectionFailed) is %v", errors.Is(err, kms.ErrCustomKeyStoreConnectionFailed))
	say("why and how to fix it: %s", strings.TrimPrefix(err.Error(), "kms: "))

	step(3, "Fix it as documented: disconnect, wait, tell KMS the proxy's credential, connect, wait")
	if err := l.disconnectAndWait(ctx, xksStoreID); err != nil {
		return err
	}
	rotate := &kms.UpdateCustomKeyStoreInput{
		CustomKeyStoreId: aws.String(xksStoreID),
		XksProxyAuthenticationCredential: &kms.XksProxyAuthenticationCredentialType{
			AccessKeyId:        aws.String(newKeyID),
			RawSecretAccessKey: aws.String(newSecret),
		},
	}
	if _, err := c.UpdateCustomKeyStore(ctx, rotate); err != nil {
		return err
	}
	say("updated: KMS now signs proxy requests with the proxy's credential")
	if err := l.connect(ctx, xksStoreID); err != nil {
		return err
	}
	e, err := describe(ctx, c, xksStoreID)
	if err != nil {
		return err
	}
	say("ok: %s is %s", xksStoreID, e.ConnectionState)

	step(4, "Rename the stores while CONNECTED (no disconnect needed)")
	for id, name := range map[string]string{hsmStoreID: "Payments-HSM", xksStoreID: "Payments-XKS"} {
		if _, err := c.UpdateCustomKeyStore(ctx, &kms.UpdateCustomKeyStoreInput{
			CustomKeyStoreId:      aws.String(id),
			NewCustomKeyStoreName: aws.String(name),
		}); err != nil {
			return err
		}
	}
	e, err = describe(ctx, c, hsmStoreID)
	if err != nil {
		return err
	}
	say("ok: the CloudHSM store is now named %q and still %s", aws.ToString(e.CustomKeyStoreName), e.ConnectionState)

	step(5, "Change the XKS proxy path while CONNECTED (no disconnect needed: KMS checks the new path with the proxy)")
	path := &kms.UpdateCustomKeyStoreInput{
		CustomKeyStoreId: aws.String(xksStoreID),
		XksProxyUriPath:  aws.String(newPath),
	}
	if _, err := c.UpdateCustomKeyStore(ctx, path); err != nil {
		return err
	}
	say("sent while CONNECTED: path.RequiresDisconnect() is %v", path.RequiresDisconnect())
	e, err = describe(ctx, c, xksStoreID)
	if err != nil {
		return err
	}
	say("ok: %s is %s at %s%s", aws.ToString(e.CustomKeyStoreName), e.ConnectionState,
		aws.ToString(e.XksProxyConfiguration.UriEndpoint), aws.ToString(e.XksProxyConfiguration.UriPath))
	say("DescribeCustomKeyStores prints the proxy's access key ID redacted: %v", e.XksProxyConfiguration)

	step(6, "Tell KMS the new kmsuser password while the CloudHSM store is CONNECTED")
	pw := &kms.UpdateCustomKeyStoreInput{
		CustomKeyStoreId: aws.String(hsmStoreID),
		KeyStorePassword: aws.String("NewPassword2"),
	}
	_, err = c.UpdateCustomKeyStore(ctx, pw)
	if !errors.Is(err, kms.ErrCustomKeyStoreInvalidState) {
		return fmt.Errorf("expected ErrCustomKeyStoreInvalidState, got %v", err)
	}
	var apiErr *kms.APIError
	errors.As(err, &apiErr)
	say("rejected, as documented: errors.Is(err, kms.ErrCustomKeyStoreInvalidState) is true")
	say("KMS said: %s (HTTP %d, request %s)", apiErr.Code, apiErr.StatusCode, apiErr.RequestID)
	say("members that need DISCONNECTED: %s", strings.Join(pw.DisconnectRequiredFields(), ", "))
	if err := l.disconnectAndWait(ctx, hsmStoreID); err != nil {
		return err
	}
	if _, err := c.UpdateCustomKeyStore(ctx, pw); err != nil {
		return err
	}
	if err := l.connect(ctx, hsmStoreID); err != nil {
		return err
	}
	say("ok: disconnected, updated (the input prints as %v), reconnected", pw)

	step(7, "Make a mistake: the client catches it offline and sends nothing")
	before := len(fake.Calls())
	_, err = c.CreateCustomKeyStore(ctx, &kms.CreateCustomKeyStoreInput{
		CustomKeyStoreName:   aws.String("NewStore"),
		CustomKeyStoreType:   kms.CustomKeyStoreTypeExternalKeyStore,
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

	if err := safeUpdate(ctx, w, c, fake); err != nil {
		return err
	}

	fmt.Fprintln(w, "\nDone. Next: README.md for usage, go doc github.com/kmskit/kms/kmstest for the fake.")
	return nil
}

func init() {
	flag.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: quickstart [-endpoint URL -region REGION -id CKS-ID [-name NAME]]")
		flag.PrintDefaults()
	}
}
