package main

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awskms "github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kmskit/kms"
	"github.com/kmskit/kms/kmstest"
)

// AWS_ENDPOINT_URL_KMS alone points this library and aws-sdk-go-v2 at a
// kmstest server, as the README shows; both requests are signed for the
// configured Region and keys, and both renames land in the fake.
func TestEndpointURLKMSReachesKmstest(t *testing.T) {
	srv := kmstest.NewServer(
		kmstest.WithSigV4(kmstest.Credential{AccessKeyId: "AKIDEXAMPLE", SecretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"}),
		kmstest.WithRegion("eu-west-1"),
	)
	defer srv.Close()
	const id = "cks-1234567890abcdef0"
	require.NoError(t, srv.AddStore(kmstest.Store{
		CustomKeyStoreId:   id,
		CustomKeyStoreName: "before",
		CustomKeyStoreType: kmstest.TypeCloudHSM,
		ConnectionState:    kmstest.StateDisconnected,
		CloudHsmClusterId:  "cluster-234abcdefgh",
	}))

	cfg := loadConfig(t, parityRow{
		env:    map[string]string{"AWS_ENDPOINT_URL_KMS": srv.URL},
		config: "[default]\nregion = eu-west-1\n",
	})

	_, err := kms.NewFromConfig(cfg).UpdateCustomKeyStore(context.Background(), &kms.UpdateCustomKeyStoreInput{
		CustomKeyStoreId: aws.String(id), NewCustomKeyStoreName: aws.String("renamed-by-kmskit"),
	})
	require.NoError(t, err)
	st, ok := srv.Store(id)
	require.True(t, ok)
	assert.Equal(t, "renamed-by-kmskit", st.CustomKeyStoreName)

	_, err = awskms.NewFromConfig(cfg).UpdateCustomKeyStore(context.Background(), &awskms.UpdateCustomKeyStoreInput{
		CustomKeyStoreId: aws.String(id), NewCustomKeyStoreName: aws.String("renamed-by-aws-sdk-go-v2"),
	})
	require.NoError(t, err)
	st, _ = srv.Store(id)
	assert.Equal(t, "renamed-by-aws-sdk-go-v2", st.CustomKeyStoreName)
	assert.Len(t, srv.Calls(), 2)
}
