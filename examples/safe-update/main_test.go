package main

import (
	"bytes"
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kmskit/kms"
	"github.com/kmskit/kms/examples/internal/exampleenv"
	"github.com/kmskit/kms/kmstest"
	"github.com/kmskit/kms/safeupdate"
)

func TestSafeUpdate(t *testing.T) {
	empty := ""
	var proxies []*kmstest.XksProxyServer
	env, err := exampleenv.Open(exampleenv.Flags{Endpoint: &empty, Region: &empty, ID: &empty}, func(s *kmstest.Server) (string, error) {
		var err error
		proxies, err = seed(s)
		return storeID, err
	})
	require.NoError(t, err)
	defer env.Close()
	defer func() {
		for _, p := range proxies {
			p.Close()
		}
	}()
	cred := kms.XksProxyAuthenticationCredentialType{AccessKeyId: aws.String(accessKeyID), RawSecretAccessKey: aws.String(secret)}
	opts := safeupdate.PreflightOptions{Credential: &cred, ExternalKeyIDs: []string{"key-1"}, HTTPClient: kmstest.XksProxiesClient(proxies...)}

	var out bytes.Buffer
	require.NoError(t, run(context.Background(), &out, env.Client, storeID, newEndpoint, opts))
	for _, want := range []string{
		`XksProxyUriEndpoint: "https://xks.example.com" → "https://xks2.example.com" [needs DISCONNECTED]`,
		"done: WaitUntilConnected",
		"Applied to custom key store " + storeID,
	} {
		assert.Contains(t, out.String(), want)
	}
	assert.NotContains(t, out.String(), secret)
	assert.NotContains(t, out.String(), accessKeyID)
	st, ok := env.Fake.Store(storeID)
	require.True(t, ok)
	assert.Equal(t, newEndpoint, st.XksProxyConfiguration.UriEndpoint)
	assert.Equal(t, kmstest.StateConnected, st.ConnectionState)

	// A proxy with other key material behind the endpoint is a hard stop.
	other := kmstest.NewXksProxyServer(kmstest.WithXksEndpoint("https://xks3.example.com"), kmstest.WithXksURIPrefix(uriPrefix),
		kmstest.WithXksCredentials(kmstest.XksCredential{AccessKeyID: accessKeyID, SecretAccessKey: secret}),
		kmstest.WithXksKeys(kmstest.XksKey{ID: "key-1"}))
	defer other.Close()
	env.Fake.RouteXksProxy(other)
	opts.HTTPClient = kmstest.XksProxiesClient(append(proxies, other)...)
	err = run(context.Background(), &out, env.Client, storeID, "https://xks3.example.com", opts)
	require.ErrorIs(t, err, safeupdate.ErrSameKeyGuard)
	st, _ = env.Fake.Store(storeID)
	assert.Equal(t, newEndpoint, st.XksProxyConfiguration.UriEndpoint, "nothing changed")
}
