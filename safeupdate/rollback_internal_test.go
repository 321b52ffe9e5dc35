package safeupdate

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kmskit/kms"
)

func TestRollbackInput(t *testing.T) {
	id := sp("cks-1234567890abcdef0")
	prevCred := &kms.XksProxyAuthenticationCredentialType{AccessKeyId: sp("AKIAOLDOLDOLDOLDOLD2"), RawSecretAccessKey: sp(strings.Repeat("o", 43))}
	newCred := &kms.XksProxyAuthenticationCredentialType{AccessKeyId: sp("AKIANEWNEWNEWNEWNEW2"), RawSecretAccessKey: sp(strings.Repeat("n", 43))}

	t.Run("endpoint and path", func(t *testing.T) {
		in := &kms.UpdateCustomKeyStoreInput{CustomKeyStoreId: id, XksProxyUriEndpoint: sp("https://b.example.com"), XksProxyUriPath: sp("/x/kms/xks/v1")}
		rb, restored, not := rollbackInput(xksSnap(kms.ConnectionStateTypeConnected), in, nil, nil)
		require.NotNil(t, rb)
		assert.Equal(t, "https://xks.example.com", *rb.XksProxyUriEndpoint)
		assert.Equal(t, "/kms/xks/v1", *rb.XksProxyUriPath)
		assert.Equal(t, []string{"XksProxyUriEndpoint", "XksProxyUriPath"}, restored)
		assert.Empty(t, not)
		require.NoError(t, rb.Validate())
	})
	t.Run("credential only with the previous one", func(t *testing.T) {
		in := &kms.UpdateCustomKeyStoreInput{CustomKeyStoreId: id, XksProxyAuthenticationCredential: newCred}
		rb, restored, not := rollbackInput(xksSnap(kms.ConnectionStateTypeConnected), in, nil, nil)
		assert.Nil(t, rb)
		assert.Empty(t, restored)
		assert.Equal(t, []string{"XksProxyAuthenticationCredential"}, not)

		rb, restored, not = rollbackInput(xksSnap(kms.ConnectionStateTypeConnected), in, nil, prevCred)
		require.NotNil(t, rb)
		assert.Equal(t, "AKIAOLDOLDOLDOLDOLD2", *rb.XksProxyAuthenticationCredential.AccessKeyId)
		assert.Equal(t, []string{"XksProxyAuthenticationCredential"}, restored)
		assert.Empty(t, not)

		// A "previous" credential the store never held is not restored.
		other := &kms.XksProxyAuthenticationCredentialType{AccessKeyId: sp("AKIAOTHEROTHEROTHER2"), RawSecretAccessKey: sp(strings.Repeat("x", 43))}
		rb, restored, not = rollbackInput(xksSnap(kms.ConnectionStateTypeConnected), in, nil, other)
		assert.Nil(t, rb)
		assert.Empty(t, restored)
		assert.Equal(t, []string{"XksProxyAuthenticationCredential"}, not)
	})
	t.Run("password only with the previous one", func(t *testing.T) {
		in := &kms.UpdateCustomKeyStoreInput{CustomKeyStoreId: id, KeyStorePassword: sp("wrong-pass"), NewCustomKeyStoreName: sp("renamed")}
		rb, restored, not := rollbackInput(hsmSnap(kms.ConnectionStateTypeConnected), in, nil, nil)
		require.NotNil(t, rb)
		assert.Nil(t, rb.KeyStorePassword)
		assert.Equal(t, "hsm", *rb.NewCustomKeyStoreName)
		assert.Equal(t, []string{"NewCustomKeyStoreName"}, restored)
		assert.Equal(t, []string{"KeyStorePassword"}, not)

		rb, restored, _ = rollbackInput(hsmSnap(kms.ConnectionStateTypeConnected), in, sp("right-pass"), nil)
		assert.Equal(t, "right-pass", *rb.KeyStorePassword)
		assert.Equal(t, []string{"KeyStorePassword", "NewCustomKeyStoreName"}, restored, "in member order, as the member table lists them")
	})
	t.Run("connectivity back to VPC", func(t *testing.T) {
		s := xksSnap(kms.ConnectionStateTypeConnected)
		s.connectivity = kms.XksProxyConnectivityTypeVpcEndpointService
		s.endpoint, s.vpcName, s.vpcOwner = "https://vpce.example.com", "com.amazonaws.vpce.us-east-1.vpce-svc-0abc123def4567890", "111122223333"
		in := &kms.UpdateCustomKeyStoreInput{CustomKeyStoreId: id, XksProxyConnectivity: kms.XksProxyConnectivityTypePublicEndpoint,
			XksProxyUriEndpoint: sp("https://public.example.com"), XksProxyVpcEndpointServiceName: sp("")}
		rb, restored, _ := rollbackInput(s, in, nil, nil)
		require.NotNil(t, rb)
		assert.Equal(t, kms.XksProxyConnectivityTypeVpcEndpointService, rb.XksProxyConnectivity)
		assert.Equal(t, s.endpoint, *rb.XksProxyUriEndpoint)
		assert.Equal(t, s.vpcName, *rb.XksProxyVpcEndpointServiceName)
		assert.Equal(t, s.vpcOwner, *rb.XksProxyVpcEndpointServiceOwner)
		assert.Equal(t, []string{"XksProxyConnectivity", "XksProxyUriEndpoint", "XksProxyVpcEndpointServiceName", "XksProxyVpcEndpointServiceOwner"}, restored)
		require.NoError(t, rb.Validate())
	})
	t.Run("connectivity back to public", func(t *testing.T) {
		s := xksSnap(kms.ConnectionStateTypeConnected)
		in := &kms.UpdateCustomKeyStoreInput{CustomKeyStoreId: id, XksProxyConnectivity: kms.XksProxyConnectivityTypeVpcEndpointService,
			XksProxyUriEndpoint: sp("https://vpce.example.com"), XksProxyVpcEndpointServiceName: sp("com.amazonaws.vpce.us-east-1.vpce-svc-0abc123def4567890")}
		rb, _, _ := rollbackInput(s, in, nil, nil)
		require.NotNil(t, rb)
		assert.Equal(t, kms.XksProxyConnectivityTypePublicEndpoint, rb.XksProxyConnectivity)
		assert.Nil(t, rb.XksProxyVpcEndpointServiceName)
		require.NoError(t, rb.Validate())
	})
	t.Run("unchanged values are not sent back", func(t *testing.T) {
		in := &kms.UpdateCustomKeyStoreInput{CustomKeyStoreId: id, XksProxyUriPath: sp("/kms/xks/v1")}
		rb, restored, not := rollbackInput(xksSnap(kms.ConnectionStateTypeConnected), in, nil, nil)
		assert.Nil(t, rb)
		assert.Empty(t, restored)
		assert.Empty(t, not)
	})
}
