package main

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kmskit/kms"
)

// NewFromConfig must read the FIPS switch, Region and retry settings the way
// the SDK's config module exposes them.
func TestNewFromConfigReadsSDKConfig(t *testing.T) {
	t.Setenv("AWS_USE_FIPS_ENDPOINT", "true")
	t.Setenv("AWS_REGION", "us-gov-west-1")
	t.Setenv("AWS_MAX_ATTEMPTS", "6")
	t.Setenv("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "secret")
	t.Setenv("AWS_CONFIG_FILE", "/nonexistent")
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent")

	cfg, err := config.LoadDefaultConfig(context.Background())
	require.NoError(t, err)
	o := kms.NewFromConfig(cfg).Options()
	assert.Equal(t, "us-gov-west-1", o.Region)
	assert.Equal(t, aws.FIPSEndpointStateEnabled, o.EndpointOptions.UseFIPSEndpoint)
	assert.Equal(t, 6, o.Retryer.MaxAttempts())
	creds, err := o.Credentials.Retrieve(context.Background())
	require.NoError(t, err)
	assert.Equal(t, "AKIDEXAMPLE", creds.AccessKeyID)

	t.Setenv("AWS_USE_FIPS_ENDPOINT", "false")
	cfg, err = config.LoadDefaultConfig(context.Background())
	require.NoError(t, err)
	assert.NotEqual(t, aws.FIPSEndpointStateEnabled, kms.NewFromConfig(cfg).Options().EndpointOptions.UseFIPSEndpoint)
}
