package main

import (
	"bytes"
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kmskit/kms"
	"github.com/kmskit/kms/kmstest"
)

func TestTourSafeUpdate(t *testing.T) {
	fake := kmstest.NewServer(kmstest.WithTransitionDelay(transitionDelay))
	defer fake.Close()
	c := kms.New(kms.Options{
		Region: "us-east-1", BaseEndpoint: aws.String(fake.URL), HTTPClient: fake.Client(),
		Credentials: aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
			return aws.Credentials{AccessKeyID: "AKIDEXAMPLE", SecretAccessKey: "fake-secret"}, nil
		}),
	})
	var out bytes.Buffer
	require.NoError(t, safeUpdate(context.Background(), &out, c, fake))
	for _, want := range []string{
		"KMS is predicted to accept",
		`XksProxyUriEndpoint: "https://xks-a.example.com" → "https://xks-b.example.com" [needs DISCONNECTED]`,
		"1 canary(ies) encrypted through the current settings decrypted through the new ones",
		"applied in 5 steps; the store is CONNECTED at https://xks-b.example.com",
	} {
		assert.Contains(t, out.String(), want)
	}
	assert.NotContains(t, out.String(), newSecret)
	assert.NotContains(t, out.String(), tourKeyID)
	assert.NotContains(t, out.String(), "certificate authority", "the tour trusts its fake proxies' CAs (PreflightOptions.RootCAs): no TLS warning")
	stores := fake.Stores()
	require.Len(t, stores, 1)
	assert.Equal(t, proxyB, stores[0].XksProxyConfiguration.UriEndpoint)
	assert.Equal(t, kmstest.StateConnected, stores[0].ConnectionState)
}
