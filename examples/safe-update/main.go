// Command safe-update moves an external key store to a new proxy endpoint
// the safe way: preflight the new settings (will KMS accept them? do they
// reach the same key material?), print the plan, and apply it with the
// least downtime, rolling back if the store does not reconnect.
//
// Store state: any. Changing XksProxyUriEndpoint needs the store
// DISCONNECTED, so the plan disconnects a CONNECTED store (its keys are
// unusable until it reconnects) and reconnects it afterwards.
//
//	go run ./examples/safe-update                  # on the embedded fake
//	XKS_ACCESS_KEY_ID=... XKS_SECRET_ACCESS_KEY=... go run ./examples/safe-update \
//	    -endpoint https://kms.us-east-1.amazonaws.com -region us-east-1 -id cks-... \
//	    -new-endpoint https://xks2.example.com -keys key-1,key-2
//
// On a real endpoint the current proxy credential comes from
// XKS_ACCESS_KEY_ID and XKS_SECRET_ACCESS_KEY (never argv): KMS never
// returns its secret, and the preflight signs with it.
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
	"github.com/kmskit/kms/safeupdate"
)

// The embedded world: a CONNECTED store using the proxy at oldEndpoint, and
// a second proxy at newEndpoint in front of the same key manager.
const (
	storeID     = "cks-0fedcba9876543210"
	oldEndpoint = "https://xks.example.com"
	newEndpoint = "https://xks2.example.com"
	uriPrefix   = "/example-prefix"
	accessKeyID = "EXAMPLEKEYIDABCDEFGH2"
	secret      = "Kx9d8f7g6h5j4k3l2m1n0pQrStUvWxYz/+AbCdEfGhI="
)

// material is the one AES key both embedded proxies hold as "key-1".
var material = []byte("example-external-key-material-32")

func main() {
	flags := exampleenv.RegisterFlags()
	target := flag.String("new-endpoint", newEndpoint, "the new XksProxyUriEndpoint")
	keys := flag.String("keys", "key-1", "comma-separated external key IDs of the store's KMS keys (same-key guard)")
	flag.Parse()

	cred := kms.XksProxyAuthenticationCredentialType{
		AccessKeyId: aws.String(os.Getenv("XKS_ACCESS_KEY_ID")), RawSecretAccessKey: aws.String(os.Getenv("XKS_SECRET_ACCESS_KEY")),
	}
	var proxies []*kmstest.XksProxyServer
	defer func() {
		for _, p := range proxies {
			p.Close()
		}
	}()
	env, err := exampleenv.Open(flags, func(s *kmstest.Server) (string, error) {
		var err error
		proxies, err = seed(s)
		cred = kms.XksProxyAuthenticationCredentialType{AccessKeyId: aws.String(accessKeyID), RawSecretAccessKey: aws.String(secret)}
		return storeID, err
	})
	if err != nil {
		exampleenv.Fail(err)
	}
	defer env.Close()
	if *cred.AccessKeyId == "" || *cred.RawSecretAccessKey == "" {
		exampleenv.Fail(errors.New("set XKS_ACCESS_KEY_ID and XKS_SECRET_ACCESS_KEY to the store's current proxy credential"))
	}

	opts := safeupdate.PreflightOptions{Credential: &cred, ExternalKeyIDs: strings.Split(*keys, ",")}
	if len(proxies) > 0 {
		opts.HTTPClient = kmstest.XksProxiesClient(proxies...)
	}
	if err := run(context.Background(), os.Stdout, env.Client, env.StoreID, *target, opts); err != nil {
		exampleenv.Fail(err)
	}
}

// run plans and applies the endpoint change, printing what happens.
func run(ctx context.Context, w io.Writer, client *kms.Client, id, target string, opts safeupdate.PreflightOptions) error {
	in := &kms.UpdateCustomKeyStoreInput{CustomKeyStoreId: aws.String(id), XksProxyUriEndpoint: aws.String(target)}
	plan, err := safeupdate.NewUpdater(client).Plan(ctx, in, safeupdate.PlanOptions{AllowDisconnect: true, Preflight: opts})
	var pe *safeupdate.PreflightError
	var ske *safeupdate.SameKeyError
	switch {
	case errors.As(err, &pe):
		return fmt.Errorf("KMS would reject the change, nothing was changed: %w", err)
	case errors.As(err, &ske):
		return fmt.Errorf("the new endpoint does not reach the same key material, nothing was changed: %w", err)
	case err != nil:
		return err
	}
	fmt.Fprint(w, plan)

	report, err := plan.Apply(ctx, safeupdate.ApplyOptions{OnStep: func(ev safeupdate.StepEvent) {
		if ev.Done {
			fmt.Fprintf(w, "done: %s\n", ev.Step.Action)
		}
	}})
	var ae *safeupdate.ApplyError
	if errors.As(err, &ae) {
		return fmt.Errorf("the store did not reconnect (%s); rollback: %+v: %w", ae.ConnectionErrorCode, ae.Rollback, err)
	}
	if err != nil {
		return err
	}
	fmt.Fprint(w, report)
	return nil
}

// seed starts the two proxies, routes the fake KMS to them, and adds the
// store.
func seed(s *kmstest.Server) ([]*kmstest.XksProxyServer, error) {
	var proxies []*kmstest.XksProxyServer
	for _, ep := range []string{oldEndpoint, newEndpoint} {
		p := kmstest.NewXksProxyServer(
			kmstest.WithXksEndpoint(ep),
			kmstest.WithXksURIPrefix(uriPrefix),
			kmstest.WithXksCredentials(kmstest.XksCredential{AccessKeyID: accessKeyID, SecretAccessKey: secret}),
			kmstest.WithXksKeys(kmstest.XksKey{ID: "key-1", Material: material}),
		)
		proxies = append(proxies, p)
		s.RouteXksProxy(p)
	}
	return proxies, s.AddStore(kmstest.Store{
		CustomKeyStoreId:   storeID,
		CustomKeyStoreName: "ExampleExternalKeyStore",
		CustomKeyStoreType: kmstest.TypeExternal,
		ConnectionState:    kmstest.StateConnected,
		XksProxyConfiguration: kmstest.XksProxyConfiguration{
			AccessKeyId: accessKeyID, RawSecretAccessKey: secret,
			UriEndpoint: oldEndpoint, UriPath: uriPrefix + "/kms/xks/v1",
		},
	})
}
