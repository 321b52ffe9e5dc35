package kms_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kmskit/kms"
	"github.com/kmskit/kms/internal/sigv4check"
)

const (
	testAccessKeyID = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	testSecret      = "K6Hn3kV9Yd2mQp7rT1uWx4zA8bC5eF0gH2iJ6kL9mN3="
)

func TestUpdateCustomKeyStoreWireRequest(t *testing.T) {
	tests := []struct {
		name string
		in   kms.UpdateCustomKeyStoreInput
		want string
	}{
		{
			name: "rename",
			in: kms.UpdateCustomKeyStoreInput{
				CustomKeyStoreId:      aws.String("cks-1234567890abcdef0"),
				NewCustomKeyStoreName: aws.String("ExampleKeyStore"),
			},
			want: `{"CustomKeyStoreId":"cks-1234567890abcdef0","NewCustomKeyStoreName":"ExampleKeyStore"}`,
		},
		{
			name: "CloudHSM password and cluster",
			in: kms.UpdateCustomKeyStoreInput{
				CustomKeyStoreId:  aws.String("cks-1234567890abcdef0"),
				KeyStorePassword:  aws.String("ExamplePassword"),
				CloudHsmClusterId: aws.String("cluster-234abcdefghij"),
			},
			want: `{"CloudHsmClusterId":"cluster-234abcdefghij","CustomKeyStoreId":"cks-1234567890abcdef0","KeyStorePassword":"ExamplePassword"}`,
		},
		{
			name: "XKS credential rotation",
			in: kms.UpdateCustomKeyStoreInput{
				CustomKeyStoreId: aws.String("cks-1234567890abcdef0"),
				XksProxyAuthenticationCredential: &kms.XksProxyAuthenticationCredentialType{
					AccessKeyId:        aws.String(testAccessKeyID),
					RawSecretAccessKey: aws.String(testSecret),
				},
			},
			want: `{"CustomKeyStoreId":"cks-1234567890abcdef0","XksProxyAuthenticationCredential":{"AccessKeyId":"` + testAccessKeyID + `","RawSecretAccessKey":"` + testSecret + `"}}`,
		},
		{
			name: "switch to VPC_ENDPOINT_SERVICE",
			in: kms.UpdateCustomKeyStoreInput{
				CustomKeyStoreId:                aws.String("cks-1234567890abcdef0"),
				XksProxyConnectivity:            kms.XksProxyConnectivityTypeVpcEndpointService,
				XksProxyUriEndpoint:             aws.String("https://myproxy-private.xks.example.com"),
				XksProxyVpcEndpointServiceName:  aws.String("com.amazonaws.vpce.us-east-1.vpce-svc-example1"),
				XksProxyVpcEndpointServiceOwner: aws.String("111122223333"),
			},
			want: `{"CustomKeyStoreId":"cks-1234567890abcdef0","XksProxyConnectivity":"VPC_ENDPOINT_SERVICE","XksProxyUriEndpoint":"https://myproxy-private.xks.example.com","XksProxyVpcEndpointServiceName":"com.amazonaws.vpce.us-east-1.vpce-svc-example1","XksProxyVpcEndpointServiceOwner":"111122223333"}`,
		},
		{
			name: "switch to PUBLIC_ENDPOINT clears the service name",
			in: kms.UpdateCustomKeyStoreInput{
				CustomKeyStoreId:               aws.String("cks-1234567890abcdef0"),
				XksProxyConnectivity:           kms.XksProxyConnectivityTypePublicEndpoint,
				XksProxyUriEndpoint:            aws.String("https://myproxy.xks.example.com"),
				XksProxyVpcEndpointServiceName: aws.String(""),
			},
			want: `{"CustomKeyStoreId":"cks-1234567890abcdef0","XksProxyConnectivity":"PUBLIC_ENDPOINT","XksProxyUriEndpoint":"https://myproxy.xks.example.com","XksProxyVpcEndpointServiceName":""}`,
		},
		{
			name: "XKS every field",
			in: kms.UpdateCustomKeyStoreInput{
				CustomKeyStoreId:      aws.String("cks-1234567890abcdef0"),
				NewCustomKeyStoreName: aws.String("Schlüsselspeicher \"eu\" \u2028 ✓"),
				XksProxyAuthenticationCredential: &kms.XksProxyAuthenticationCredentialType{
					AccessKeyId:        aws.String(testAccessKeyID),
					RawSecretAccessKey: aws.String(testSecret),
				},
				XksProxyConnectivity:            kms.XksProxyConnectivityTypeVpcEndpointService,
				XksProxyUriEndpoint:             aws.String("https://myproxy-private.xks.example.com"),
				XksProxyUriPath:                 aws.String("/example-prefix/kms/xks/v1"),
				XksProxyVpcEndpointServiceName:  aws.String("com.amazonaws.vpce.us-east-1.vpce-svc-example1"),
				XksProxyVpcEndpointServiceOwner: aws.String("111122223333"),
			},
			want: `{"CustomKeyStoreId":"cks-1234567890abcdef0","NewCustomKeyStoreName":"Schlüsselspeicher \"eu\" \u2028 ✓","XksProxyAuthenticationCredential":{"AccessKeyId":"` + testAccessKeyID + `","RawSecretAccessKey":"` + testSecret + `"},"XksProxyConnectivity":"VPC_ENDPOINT_SERVICE","XksProxyUriEndpoint":"https://myproxy-private.xks.example.com","XksProxyUriPath":"/example-prefix/kms/xks/v1","XksProxyVpcEndpointServiceName":"com.amazonaws.vpce.us-east-1.vpce-svc-example1","XksProxyVpcEndpointServiceOwner":"111122223333"}`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, rec := setup(t, nil)
			out, err := c.UpdateCustomKeyStore(context.Background(), &tt.in)
			require.NoError(t, err)
			require.NotNil(t, out)
			assert.Equal(t, "req-ok", out.RequestID)
			id, ok := awsmiddleware.GetRequestIDMetadata(out.ResultMetadata)
			assert.True(t, ok)
			assert.Equal(t, "req-ok", id)

			reqs := rec.all()
			require.Len(t, reqs, 1)
			r := reqs[0]
			assert.Equal(t, http.MethodPost, r.req.Method)
			assert.Equal(t, "/", r.req.URL.Path)
			assert.Equal(t, "application/x-amz-json-1.1", r.req.Header.Get("Content-Type"))
			assert.Equal(t, "TrentService.UpdateCustomKeyStore", r.req.Header.Get("X-Amz-Target"))
			assert.Contains(t, r.req.Header.Get("User-Agent"), "kmskit-kms-go/"+kms.Version)
			assert.Equal(t, tt.want, string(r.body))
			assert.JSONEq(t, tt.want, string(r.body))

			_, err = sigv4check.Verify(r.req, r.body, testCreds, "host", "x-amz-date", "x-amz-target", "content-type")
			require.NoError(t, err)
			a, err := sigv4check.Parse(r.req.Header.Get("Authorization"))
			require.NoError(t, err)
			assert.Equal(t, "kms", a.Service)
			assert.Equal(t, "us-east-1", a.Region)
		})
	}
}

func TestSignatureDetectsTampering(t *testing.T) {
	c, rec := setup(t, nil)
	_, err := c.UpdateCustomKeyStore(context.Background(), &kms.UpdateCustomKeyStoreInput{
		CustomKeyStoreId: aws.String("cks-1234567890abcdef0"), NewCustomKeyStoreName: aws.String("a"),
	})
	require.NoError(t, err)
	r := rec.all()[0]
	_, err = sigv4check.Verify(r.req, []byte(`{"CustomKeyStoreId":"cks-other"}`), testCreds)
	assert.Error(t, err, "a changed body must not verify")
	other := testCreds
	other.SecretAccessKey = "not-the-secret"
	_, err = sigv4check.Verify(r.req, r.body, other)
	assert.Error(t, err, "another secret must not verify")
}

func TestRequiredMembersSendNothing(t *testing.T) {
	tests := []struct {
		name  string
		in    *kms.UpdateCustomKeyStoreInput
		field string
	}{
		{"nil input", nil, "UpdateCustomKeyStoreInput"},
		{"nil id", &kms.UpdateCustomKeyStoreInput{NewCustomKeyStoreName: aws.String("x")}, "CustomKeyStoreId"},
		{"empty id", &kms.UpdateCustomKeyStoreInput{CustomKeyStoreId: aws.String("")}, "CustomKeyStoreId"},
	}
	for _, disable := range []bool{false, true} {
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				c, rec := setup(t, nil, func(o *kms.Options) { o.DisableClientValidation = disable })
				out, err := c.UpdateCustomKeyStore(context.Background(), tt.in)
				assert.Nil(t, out)
				var ve *kms.ValidationError
				require.ErrorAs(t, err, &ve)
				assert.Contains(t, ve.Fields(), tt.field)
				assert.Contains(t, err.Error(), tt.field)
				assert.Empty(t, rec.all(), "nothing may be sent")
			})
		}
	}
}

func TestPerCallOptionsOverride(t *testing.T) {
	var attempts atomic.Int32
	c, _ := setup(t, func(w http.ResponseWriter, r *http.Request) {
		attempts.Add(1)
		w.WriteHeader(http.StatusServiceUnavailable)
	})
	in := &kms.UpdateCustomKeyStoreInput{CustomKeyStoreId: aws.String("cks-1")}
	_, err := c.UpdateCustomKeyStore(context.Background(), in, func(o *kms.Options) { o.RetryMaxAttempts = 1 })
	require.Error(t, err)
	assert.EqualValues(t, 1, attempts.Load(), "per-call RetryMaxAttempts 1 disables retries")
	assert.Equal(t, 0, c.Options().RetryMaxAttempts, "per-call options do not change the client")

	attempts.Store(0)
	_, err = c.UpdateCustomKeyStore(context.Background(), in)
	require.Error(t, err)
	assert.EqualValues(t, 3, attempts.Load())
}

func TestMissingConfigurationFailsBeforeSending(t *testing.T) {
	var sent atomic.Int32
	hc := roundTripFunc(func(*http.Request) (*http.Response, error) {
		sent.Add(1)
		return nil, errors.New("must not be called")
	})
	in := &kms.UpdateCustomKeyStoreInput{CustomKeyStoreId: aws.String("cks-1")}
	tests := []struct {
		name string
		opts kms.Options
		want string
	}{
		{"no region", kms.Options{Credentials: staticCreds(), HTTPClient: hc}, "Region"},
		{"no credentials", kms.Options{Region: "us-east-1", HTTPClient: hc}, "Credentials"},
		{"bad region", kms.Options{Region: "us-east-1.evil.example", Credentials: staticCreds(), HTTPClient: hc}, "Region"},
		{"bad endpoint", kms.Options{Region: "us-east-1", Credentials: staticCreds(), HTTPClient: hc, BaseEndpoint: aws.String("localhost:1")}, "BaseEndpoint"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := kms.New(tt.opts).UpdateCustomKeyStore(context.Background(), in)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
		})
	}
	assert.Zero(t, sent.Load())
}

func TestEndpointPerPartition(t *testing.T) {
	tests := []struct {
		region string
		fips   bool
		host   string
	}{
		{"us-east-1", false, "kms.us-east-1.amazonaws.com"},
		{"us-east-1", true, "kms-fips.us-east-1.amazonaws.com"},
		{"cn-north-1", false, "kms.cn-north-1.amazonaws.com.cn"},
		{"us-gov-west-1", false, "kms.us-gov-west-1.amazonaws.com"},
		{"us-gov-west-1", true, "kms-fips.us-gov-west-1.amazonaws.com"},
		{"us-iso-east-1", false, "kms.us-iso-east-1.c2s.ic.gov"},
		{"us-isob-east-1", false, "kms.us-isob-east-1.sc2s.sgov.gov"},
	}
	for _, tt := range tests {
		t.Run(tt.host, func(t *testing.T) {
			var got *http.Request
			hc := roundTripFunc(func(r *http.Request) (*http.Response, error) {
				got = r
				return &http.Response{StatusCode: 200, Header: http.Header{}, Body: io.NopCloser(strings.NewReader("{}"))}, nil
			})
			fips := aws.FIPSEndpointStateUnset
			if tt.fips {
				fips = aws.FIPSEndpointStateEnabled
			}
			c := kms.New(kms.Options{Region: tt.region, Credentials: staticCreds(), HTTPClient: hc,
				EndpointOptions: kms.EndpointOptions{UseFIPSEndpoint: fips}})
			_, err := c.UpdateCustomKeyStore(context.Background(), &kms.UpdateCustomKeyStoreInput{CustomKeyStoreId: aws.String("cks-1")})
			require.NoError(t, err)
			require.NotNil(t, got)
			assert.Equal(t, "https", got.URL.Scheme)
			assert.Equal(t, tt.host, got.URL.Host)
			a, err := sigv4check.Parse(got.Header.Get("Authorization"))
			require.NoError(t, err)
			assert.Equal(t, tt.region, a.Region)
		})
	}
}

// fipsSource mimics the FIPS getter of aws-sdk-go-v2/config's EnvConfig.
type fipsSource struct{}

func (fipsSource) GetUseFIPSEndpoint(context.Context) (aws.FIPSEndpointState, bool, error) {
	return aws.FIPSEndpointStateEnabled, true, nil
}

func TestNewFromConfig(t *testing.T) {
	var got *http.Request
	hc := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		got = r
		return &http.Response{StatusCode: 200, Header: http.Header{"X-Amzn-Requestid": {"r1"}}, Body: io.NopCloser(strings.NewReader("{}"))}, nil
	})
	cfg := aws.Config{Region: "eu-west-1", Credentials: staticCreds(), HTTPClient: hc, RetryMaxAttempts: 5,
		ConfigSources: []interface{}{fipsSource{}}}
	c := kms.NewFromConfig(cfg)
	assert.Equal(t, aws.FIPSEndpointStateEnabled, c.Options().EndpointOptions.UseFIPSEndpoint)
	assert.Equal(t, 5, c.Options().Retryer.MaxAttempts())
	_, err := c.UpdateCustomKeyStore(context.Background(), &kms.UpdateCustomKeyStoreInput{CustomKeyStoreId: aws.String("cks-1")})
	require.NoError(t, err)
	assert.Equal(t, "kms-fips.eu-west-1.amazonaws.com", got.URL.Host)

	cfg.BaseEndpoint = aws.String("http://127.0.0.1:4599")
	cfg.Retryer = func() aws.Retryer { return fastRetryer(7) }
	cfg.RetryMaxAttempts = 0
	c = kms.NewFromConfig(cfg)
	assert.Equal(t, 7, c.Options().Retryer.MaxAttempts(), "aws.Config's retryer is honoured")
	_, err = c.UpdateCustomKeyStore(context.Background(), &kms.UpdateCustomKeyStoreInput{CustomKeyStoreId: aws.String("cks-1")})
	require.NoError(t, err)
	assert.Equal(t, "127.0.0.1:4599", got.URL.Host)
	assert.Equal(t, "http", got.URL.Scheme)
}

func TestConcurrentCallsShareOneClient(t *testing.T) {
	c, rec := setup(t, func(w http.ResponseWriter, r *http.Request) {
		var body struct{ CustomKeyStoreId string }
		if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		w.Header().Set("X-Amzn-Requestid", body.CustomKeyStoreId)
		_, _ = io.WriteString(w, "{}")
	})
	const goroutines, calls = 16, 20
	var wg sync.WaitGroup
	errs := make(chan error, goroutines*calls)
	for g := 0; g < goroutines; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < calls; i++ {
				id := "cks-" + strings.Repeat("x", g) + "-" + string(rune('a'+i))
				out, err := c.UpdateCustomKeyStore(context.Background(), &kms.UpdateCustomKeyStoreInput{CustomKeyStoreId: aws.String(id)})
				if err != nil {
					errs <- err
					continue
				}
				if out.RequestID != id {
					errs <- errors.New("response crossed to another call: " + out.RequestID + " != " + id)
				}
			}
		}(g)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	assert.Len(t, rec.all(), goroutines*calls)
}
