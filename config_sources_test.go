package kms_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kmskit/kms"
)

// configSource mimics a source of aws.Config.ConfigSources (EnvConfig or
// SharedConfig of aws-sdk-go-v2/config): each setting is found only when set.
type configSource struct {
	services  map[string]string // SDK ID -> endpoint
	ignore    *bool
	fips      aws.FIPSEndpointState
	dualStack aws.DualStackEndpointState
	err       error // returned by every getter
}

func (s configSource) GetServiceBaseEndpoint(_ context.Context, sdkID string) (string, bool, error) {
	v, ok := s.services[sdkID]
	return v, ok, s.err
}

func (s configSource) GetIgnoreConfiguredEndpoints(context.Context) (bool, bool, error) {
	if s.ignore == nil {
		return false, false, s.err
	}
	return *s.ignore, true, s.err
}

func (s configSource) GetUseFIPSEndpoint(context.Context) (aws.FIPSEndpointState, bool, error) {
	return s.fips, s.fips != aws.FIPSEndpointStateUnset, s.err
}

func (s configSource) GetUseDualStackEndpoint(context.Context) (aws.DualStackEndpointState, bool, error) {
	return s.dualStack, s.dualStack != aws.DualStackEndpointStateUnset, s.err
}

// unsetenv removes key for the test and restores it afterwards.
func unsetenv(t *testing.T, key string) {
	t.Helper()
	t.Setenv(key, "")
	require.NoError(t, os.Unsetenv(key))
}

// sent is what one call put on the wire.
type sent struct {
	url, signingRegion, userAgent string
}

var credentialScope = regexp.MustCompile(`Credential=[^/]+/\d{8}/([^/]+)/kms/aws4_request`)

// callOnce makes one UpdateCustomKeyStore call through a client built by
// newClient with an HTTPClient that records the request and answers {}.
func callOnce(t *testing.T, newClient func(HTTPClient kms.HTTPClient) *kms.Client, optFns ...func(*kms.Options)) sent {
	t.Helper()
	var got *http.Request
	hc := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		got = r
		return &http.Response{StatusCode: 200, Header: http.Header{}, Body: io.NopCloser(strings.NewReader("{}"))}, nil
	})
	_, err := newClient(hc).UpdateCustomKeyStore(context.Background(), &kms.UpdateCustomKeyStoreInput{CustomKeyStoreId: aws.String("cks-1")}, optFns...)
	require.NoError(t, err)
	require.NotNil(t, got)
	m := credentialScope.FindStringSubmatch(got.Header.Get("Authorization"))
	require.Len(t, m, 2, got.Header.Get("Authorization"))
	return sent{url: got.URL.String(), signingRegion: m[1], userAgent: got.Header.Get("User-Agent")}
}

func fromConfig(cfg aws.Config) func(kms.HTTPClient) *kms.Client {
	return func(hc kms.HTTPClient) *kms.Client {
		cfg.HTTPClient = hc
		cfg.Credentials = staticCreds()
		return kms.NewFromConfig(cfg)
	}
}

// The base endpoint follows aws-sdk-go-v2's resolveBaseEndpoint order.
func TestNewFromConfigBaseEndpointOrder(t *testing.T) {
	yes, no := true, false
	kmsEnv := configSource{services: map[string]string{"KMS": "http://127.0.0.1:4599"}}
	otherEnv := configSource{services: map[string]string{"S3": "http://127.0.0.1:9000"}}
	shared := configSource{services: map[string]string{"KMS": "http://127.0.0.1:4600"}}
	tests := []struct {
		name       string
		globalEnv  bool // AWS_ENDPOINT_URL set
		serviceEnv bool // AWS_ENDPOINT_URL_KMS set
		base       *string
		sources    []any
		want       string
	}{
		{"nothing", false, false, nil, nil, "https://kms.eu-west-1.amazonaws.com/"},
		{"cfg.BaseEndpoint only", false, false, aws.String("http://127.0.0.1:1111"), nil, "http://127.0.0.1:1111/"},
		{"service endpoint from env", false, true, nil, []any{kmsEnv}, "http://127.0.0.1:4599/"},
		{"service endpoint beats cfg.BaseEndpoint", true, true, aws.String("http://127.0.0.1:1111"), []any{kmsEnv}, "http://127.0.0.1:4599/"},
		{"AWS_ENDPOINT_URL without AWS_ENDPOINT_URL_KMS stops at cfg.BaseEndpoint", true, false, aws.String("http://127.0.0.1:1111"), []any{otherEnv, shared}, "http://127.0.0.1:1111/"},
		{"shared services section", false, false, nil, []any{otherEnv, shared}, "http://127.0.0.1:4600/"},
		{"shared services section beats endpoint_url", false, false, aws.String("http://127.0.0.1:1111"), []any{shared}, "http://127.0.0.1:4600/"},
		{"env beats shared", false, true, nil, []any{kmsEnv, shared}, "http://127.0.0.1:4599/"},
		{"ignore switch", false, true, nil, []any{configSource{services: kmsEnv.services, ignore: &yes}}, "https://kms.eu-west-1.amazonaws.com/"},
		{"ignore switch in shared config", false, false, nil, []any{otherEnv, configSource{services: shared.services, ignore: &yes}}, "https://kms.eu-west-1.amazonaws.com/"},
		{"env ignore=false beats shared ignore=true", false, true, nil, []any{configSource{services: kmsEnv.services, ignore: &no}, configSource{ignore: &yes}}, "http://127.0.0.1:4599/"},
		{"a failing source ends the search", false, false, nil, []any{configSource{err: errors.New("boom")}, shared}, "https://kms.eu-west-1.amazonaws.com/"},
		{"sources that expose nothing are skipped", false, false, nil, []any{"not a source", 42, shared}, "http://127.0.0.1:4600/"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			unsetenv(t, "AWS_ENDPOINT_URL")
			unsetenv(t, "AWS_ENDPOINT_URL_KMS")
			if tt.globalEnv {
				t.Setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:1111")
			}
			if tt.serviceEnv {
				t.Setenv("AWS_ENDPOINT_URL_KMS", "http://127.0.0.1:4599")
			}
			got := callOnce(t, fromConfig(aws.Config{Region: "eu-west-1", BaseEndpoint: tt.base, ConfigSources: tt.sources}))
			assert.Equal(t, tt.want, got.url)
			assert.Equal(t, "eu-west-1", got.signingRegion)
		})
	}
}

func TestNewFromConfigDualStackAndFIPS(t *testing.T) {
	tests := []struct {
		name    string
		region  string
		sources []any
		want    string
	}{
		{"dual-stack", "us-east-1", []any{configSource{dualStack: aws.DualStackEndpointStateEnabled}}, "https://kms.us-east-1.api.aws/"},
		{"dual-stack disabled", "us-east-1", []any{configSource{dualStack: aws.DualStackEndpointStateDisabled}}, "https://kms.us-east-1.amazonaws.com/"},
		{"dual-stack and FIPS", "us-gov-west-1", []any{configSource{dualStack: aws.DualStackEndpointStateEnabled, fips: aws.FIPSEndpointStateEnabled}}, "https://kms-fips.us-gov-west-1.api.aws/"},
		{"dual-stack china", "cn-north-1", []any{configSource{dualStack: aws.DualStackEndpointStateEnabled}}, "https://kms.cn-north-1.api.amazonwebservices.com.cn/"},
		{"env FIPS, shared dual-stack", "eu-west-1", []any{configSource{fips: aws.FIPSEndpointStateEnabled}, configSource{dualStack: aws.DualStackEndpointStateEnabled}}, "https://kms-fips.eu-west-1.api.aws/"},
		{"first source wins", "eu-west-1", []any{configSource{dualStack: aws.DualStackEndpointStateDisabled}, configSource{dualStack: aws.DualStackEndpointStateEnabled}}, "https://kms.eu-west-1.amazonaws.com/"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			unsetenv(t, "AWS_ENDPOINT_URL")
			unsetenv(t, "AWS_ENDPOINT_URL_KMS")
			cfg := aws.Config{Region: tt.region, ConfigSources: tt.sources}
			got := callOnce(t, fromConfig(cfg))
			assert.Equal(t, tt.want, got.url)
			assert.Equal(t, tt.region, got.signingRegion)
		})
	}
	c := kms.NewFromConfig(aws.Config{Region: "us-east-1", ConfigSources: []any{configSource{dualStack: aws.DualStackEndpointStateEnabled}}})
	assert.Equal(t, aws.DualStackEndpointStateEnabled, c.Options().EndpointOptions.UseDualStackEndpoint)
}

// A FIPS pseudo-region selects the FIPS host and is signed for as the real
// Region; Options keep the Region as given.
func TestFIPSPseudoRegion(t *testing.T) {
	tests := []struct {
		region, wantURL, wantSigning string
		dualStack                    bool
	}{
		{"fips-us-east-1", "https://kms-fips.us-east-1.amazonaws.com/", "us-east-1", false},
		{"us-west-2-fips", "https://kms-fips.us-west-2.amazonaws.com/", "us-west-2", false},
		{"fips-us-gov-west-1", "https://kms-fips.us-gov-west-1.amazonaws.com/", "us-gov-west-1", false},
		{"us-gov-fips-east-1", "https://kms-fips.us-gov-east-1.amazonaws.com/", "us-gov-east-1", false},
		{"fips-ca-central-1", "https://kms-fips.ca-central-1.api.aws/", "ca-central-1", true},
	}
	for _, tt := range tests {
		t.Run(tt.region, func(t *testing.T) {
			var c *kms.Client
			got := callOnce(t, func(hc kms.HTTPClient) *kms.Client {
				o := kms.Options{Region: tt.region, Credentials: staticCreds(), HTTPClient: hc}
				if tt.dualStack {
					o.EndpointOptions.UseDualStackEndpoint = aws.DualStackEndpointStateEnabled
				}
				c = kms.New(o)
				return c
			})
			assert.Equal(t, tt.wantURL, got.url)
			assert.Equal(t, tt.wantSigning, got.signingRegion)
			assert.Equal(t, tt.region, c.Options().Region)
		})
	}

	// With a base endpoint, the pseudo-region still signs for the real Region.
	got := callOnce(t, func(hc kms.HTTPClient) *kms.Client {
		return kms.New(kms.Options{Region: "fips-us-east-1", Credentials: staticCreds(), HTTPClient: hc, BaseEndpoint: aws.String("http://127.0.0.1:4599")})
	})
	assert.Equal(t, "http://127.0.0.1:4599/", got.url)
	assert.Equal(t, "us-east-1", got.signingRegion)
}

func TestFIPSPseudoRegionErrors(t *testing.T) {
	for _, region := range []string{"fips-", "-fips", "fips-US-EAST-1"} {
		t.Run(region, func(t *testing.T) {
			sends := 0
			hc := roundTripFunc(func(*http.Request) (*http.Response, error) { sends++; return nil, errors.New("must not send") })
			c := kms.New(kms.Options{Region: region, Credentials: staticCreds(), HTTPClient: hc})
			_, err := c.UpdateCustomKeyStore(context.Background(), &kms.UpdateCustomKeyStoreInput{CustomKeyStoreId: aws.String("cks-1")})
			require.Error(t, err)
			assert.Contains(t, err.Error(), "invalid Region")
			assert.Contains(t, err.Error(), region)
			assert.Zero(t, sends)
		})
	}
}

func TestAppIDUserAgent(t *testing.T) {
	prefix := "kmskit-kms-go/" + kms.Version + " ("
	newWith := func(appID string) func(kms.HTTPClient) *kms.Client {
		return func(hc kms.HTTPClient) *kms.Client {
			return kms.New(kms.Options{Region: "us-east-1", Credentials: staticCreds(), HTTPClient: hc, AppID: appID})
		}
	}

	got := callOnce(t, newWith(""))
	assert.True(t, strings.HasPrefix(got.userAgent, prefix), got.userAgent)
	assert.NotContains(t, got.userAgent, "app/")

	got = callOnce(t, newWith("billing-svc_v2.1"))
	assert.True(t, strings.HasPrefix(got.userAgent, prefix), got.userAgent)
	assert.True(t, strings.HasSuffix(got.userAgent, ") app/billing-svc_v2.1"), got.userAgent)

	// Like aws-sdk-go-v2: anything but letters, digits and !#$%&'*+-.^_`|~
	// becomes '-', one per character.
	got = callOnce(t, newWith("my app/1 (é)\r\nX-Evil: 1"))
	assert.True(t, strings.HasSuffix(got.userAgent, " app/my-app-1------X-Evil--1"), got.userAgent)
	got = callOnce(t, newWith("!#$%&'*+-.^_`|~"))
	assert.True(t, strings.HasSuffix(got.userAgent, " app/!#$%&'*+-.^_`|~"), got.userAgent)

	// From aws.Config, and per call.
	got = callOnce(t, fromConfig(aws.Config{Region: "us-east-1", AppID: "from-config"}))
	assert.True(t, strings.HasSuffix(got.userAgent, " app/from-config"), got.userAgent)
	got = callOnce(t, fromConfig(aws.Config{Region: "us-east-1", AppID: "from-config"}), func(o *kms.Options) { o.AppID = "per-call" })
	assert.True(t, strings.HasSuffix(got.userAgent, " app/per-call"), got.userAgent)
}

// Per-call options re-resolve the endpoint: dual-stack, FIPS and the Region
// can be switched for one call, and the client keeps its own.
func TestEndpointOptionsPerCall(t *testing.T) {
	var got *http.Request
	hc := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		got = r
		return &http.Response{StatusCode: 200, Header: http.Header{}, Body: io.NopCloser(strings.NewReader("{}"))}, nil
	})
	c := kms.New(kms.Options{Region: "eu-west-1", Credentials: staticCreds(), HTTPClient: hc,
		EndpointOptions: kms.EndpointOptions{UseDualStackEndpoint: aws.DualStackEndpointStateEnabled}})
	call := func(optFns ...func(*kms.Options)) (string, string) {
		t.Helper()
		got = nil
		_, err := c.UpdateCustomKeyStore(context.Background(), &kms.UpdateCustomKeyStoreInput{CustomKeyStoreId: aws.String("cks-1")}, optFns...)
		require.NoError(t, err)
		require.NotNil(t, got)
		m := credentialScope.FindStringSubmatch(got.Header.Get("Authorization"))
		require.Len(t, m, 2)
		return got.URL.String(), m[1]
	}

	u, region := call(func(o *kms.Options) {
		o.EndpointOptions.UseDualStackEndpoint = aws.DualStackEndpointStateDisabled
		o.EndpointOptions.UseFIPSEndpoint = aws.FIPSEndpointStateEnabled
	})
	assert.Equal(t, "https://kms-fips.eu-west-1.amazonaws.com/", u)
	assert.Equal(t, "eu-west-1", region)
	u, region = call(func(o *kms.Options) { o.Region = "fips-us-east-1" })
	assert.Equal(t, "https://kms-fips.us-east-1.api.aws/", u)
	assert.Equal(t, "us-east-1", region)
	u, region = call()
	assert.Equal(t, "https://kms.eu-west-1.api.aws/", u)
	assert.Equal(t, "eu-west-1", region)
}
