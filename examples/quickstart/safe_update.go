package main

import (
	"context"
	"crypto/x509"
	"io"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/kmskit/kms"
	"github.com/kmskit/kms/kmstest"
	"github.com/kmskit/kms/safeupdate"
)

// The last step's world: two fake XKS proxies in front of one key manager.
const (
	proxyA    = "https://xks-a.example.com"
	proxyB    = "https://xks-b.example.com"
	tourKeyID = "TOURKEYID234ABCDEFGHIJ"
)

// safeUpdate is the tour's last step: create an external key store after a
// preflight, then move it to another proxy endpoint with a plan that checks
// the new endpoint reaches the same key material, and apply it.
func safeUpdate(ctx context.Context, w io.Writer, c *kms.Client, fake *kmstest.Server) error {
	g := guide{w}
	g.step(8, "Change a store the safe way: preflight, plan, apply")
	material := []byte("tour-external-key-material-32by!")
	var proxies []*kmstest.XksProxyServer
	fakeCAs := x509.NewCertPool() // the tour knows its proxies are fakes: their CAs are trusted, without a warning
	for _, ep := range []string{proxyA, proxyB} {
		p := kmstest.NewXksProxyServer(kmstest.WithXksEndpoint(ep), kmstest.WithXksURIPrefix("/tour"),
			kmstest.WithXksCredentials(kmstest.XksCredential{AccessKeyID: tourKeyID, SecretAccessKey: newSecret}),
			kmstest.WithXksKeys(kmstest.XksKey{ID: "tour-key", Material: material}))
		defer p.Close()
		fake.RouteXksProxy(p) // the fake KMS really calls this proxy
		proxies = append(proxies, p)
		fakeCAs.AddCert(p.CA())
	}
	routes := kmstest.XksProxiesClient(proxies...)
	cred := kms.XksProxyAuthenticationCredentialType{AccessKeyId: aws.String(tourKeyID), RawSecretAccessKey: aws.String(newSecret)}
	create := &kms.CreateCustomKeyStoreInput{
		CustomKeyStoreName: aws.String("TourExternalStore"), CustomKeyStoreType: kms.CustomKeyStoreTypeExternalKeyStore,
		XksProxyConnectivity: kms.XksProxyConnectivityTypePublicEndpoint, XksProxyUriEndpoint: aws.String(proxyA),
		XksProxyUriPath: aws.String("/tour/kms/xks/v1"), XksProxyAuthenticationCredential: &cred,
	}
	updater := safeupdate.NewUpdater(c)
	rep, err := updater.PreflightXksProxyCreate(ctx, create, safeupdate.PreflightOptions{HTTPClient: routes, RootCAs: fakeCAs, ExternalKeyIDs: []string{"tour-key"}})
	if err != nil {
		return err
	}
	g.say("preflight of CreateCustomKeyStore: the proxy (%s) answered; KMS is predicted to accept", rep.ProxyVendor)
	out, err := c.CreateCustomKeyStore(ctx, create)
	if err != nil {
		return err
	}
	id := aws.ToString(out.CustomKeyStoreId)
	if err := newLifecycle(c).connect(ctx, id); err != nil {
		return err
	}
	g.say("created and connected %s at %s", id, proxyA)

	plan, err := updater.Plan(ctx, &kms.UpdateCustomKeyStoreInput{
		CustomKeyStoreId: aws.String(id), XksProxyUriEndpoint: aws.String(proxyB),
	}, safeupdate.PlanOptions{
		AllowDisconnect: true,
		Preflight:       safeupdate.PreflightOptions{HTTPClient: routes, RootCAs: fakeCAs, Credential: &cred, ExternalKeyIDs: []string{"tour-key"}},
	})
	if err != nil {
		return err
	}
	g.say("the plan (a canary encrypted at %s decrypted at %s: same key material):", proxyA, proxyB)
	for _, line := range strings.Split(strings.TrimSpace(plan.String()), "\n") {
		g.say("  %s", line)
	}
	report, err := plan.Apply(ctx, safeupdate.ApplyOptions{PollInterval: pollMin, MaxWait: maxWait})
	if err != nil {
		return err
	}
	e, err := describe(ctx, c, id)
	if err != nil {
		return err
	}
	g.say("applied in %d steps; the store is %s at %s", len(report.Steps), e.ConnectionState, aws.ToString(e.XksProxyConfiguration.UriEndpoint))
	return nil
}
