package kms_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	"github.com/aws/smithy-go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kmskit/kms"
	"github.com/kmskit/kms/internal/awsjson"
)

// Valid values for the lifecycle tests.
const (
	lifecycleStoreID                 = "cks-1234567890abcdef0"
	lifecycleClusterID               = "cluster-234abcdefghij"
	lifecyclePassword                = "kmsPswd-Secret1"
	lifecycleTrustAnchor             = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"
	lifecycleEndpoint                = "https://myproxy.xks.example.com"
	lifecyclePath                    = "/example-prefix/kms/xks/v1"
	lifecycleVpcEndpointServiceName  = "com.amazonaws.vpce.us-east-1.vpce-svc-example1"
	lifecycleVpcEndpointServiceOwner = "111122223333"
	lifecycleAccessKeyID             = "ABCDEFGHIJKLMNOPQRST2345"
	lifecycleSecret                  = "Zk9d8f7g6h5j4k3l2m1n0pQrStUvWxYz/+AbCdEfGhIj"
)

func cloudHsmCreate() *kms.CreateCustomKeyStoreInput {
	return &kms.CreateCustomKeyStoreInput{
		CustomKeyStoreName:     aws.String("ExampleCloudHsmStore"),
		CloudHsmClusterId:      aws.String(lifecycleClusterID),
		KeyStorePassword:       aws.String(lifecyclePassword),
		TrustAnchorCertificate: aws.String(lifecycleTrustAnchor),
	}
}

func xksCreate(conn kms.XksProxyConnectivityType) *kms.CreateCustomKeyStoreInput {
	in := &kms.CreateCustomKeyStoreInput{
		CustomKeyStoreName: aws.String("ExampleExternalStore"),
		CustomKeyStoreType: kms.CustomKeyStoreTypeExternalKeyStore,
		XksProxyAuthenticationCredential: &kms.XksProxyAuthenticationCredentialType{
			AccessKeyId: aws.String(lifecycleAccessKeyID), RawSecretAccessKey: aws.String(lifecycleSecret),
		},
		XksProxyConnectivity: conn,
		XksProxyUriEndpoint:  aws.String(lifecycleEndpoint),
		XksProxyUriPath:      aws.String(lifecyclePath),
	}
	if conn == kms.XksProxyConnectivityTypeVpcEndpointService {
		in.XksProxyVpcEndpointServiceName = aws.String(lifecycleVpcEndpointServiceName)
	}
	return in
}

// answerOK returns a handler that answers 200 with body and a request ID.
func answerOK(body string) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("X-Amzn-Requestid", "req-ok")
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		_, _ = io.WriteString(w, body)
	}
}

// checkRequest asserts the protocol of one recorded request and its exact
// body.
func checkRequest(t *testing.T, r received, op, wantBody string) {
	t.Helper()
	assert.Equal(t, http.MethodPost, r.req.Method)
	assert.Equal(t, "/", r.req.URL.Path)
	assert.Equal(t, "application/x-amz-json-1.1", r.req.Header.Get("Content-Type"))
	assert.Equal(t, "TrentService."+op, r.req.Header.Get("X-Amz-Target"))
	assert.Contains(t, r.req.Header.Get("Authorization"), "/us-east-1/kms/aws4_request")
	assert.Equal(t, wantBody, string(r.body))
}

func TestCreateCustomKeyStoreWire(t *testing.T) {
	vpc := xksCreate(kms.XksProxyConnectivityTypeVpcEndpointService)
	vpc.XksProxyVpcEndpointServiceOwner = aws.String(lifecycleVpcEndpointServiceOwner)
	typed := cloudHsmCreate()
	typed.CustomKeyStoreType = kms.CustomKeyStoreTypeAwsCloudhsm
	tests := []struct {
		name string
		in   *kms.CreateCustomKeyStoreInput
		want string
	}{
		{"CloudHSM, type left out", cloudHsmCreate(),
			`{"CloudHsmClusterId":"cluster-234abcdefghij","CustomKeyStoreName":"ExampleCloudHsmStore","KeyStorePassword":"kmsPswd-Secret1","TrustAnchorCertificate":"-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"}`},
		{"CloudHSM, type AWS_CLOUDHSM", typed,
			`{"CloudHsmClusterId":"cluster-234abcdefghij","CustomKeyStoreName":"ExampleCloudHsmStore","CustomKeyStoreType":"AWS_CLOUDHSM","KeyStorePassword":"kmsPswd-Secret1","TrustAnchorCertificate":"-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"}`},
		{"XKS public endpoint", xksCreate(kms.XksProxyConnectivityTypePublicEndpoint),
			`{"CustomKeyStoreName":"ExampleExternalStore","CustomKeyStoreType":"EXTERNAL_KEY_STORE","XksProxyAuthenticationCredential":{"AccessKeyId":"` + lifecycleAccessKeyID + `","RawSecretAccessKey":"` + lifecycleSecret + `"},"XksProxyConnectivity":"PUBLIC_ENDPOINT","XksProxyUriEndpoint":"https://myproxy.xks.example.com","XksProxyUriPath":"/example-prefix/kms/xks/v1"}`},
		{"XKS VPC endpoint service with owner", vpc,
			`{"CustomKeyStoreName":"ExampleExternalStore","CustomKeyStoreType":"EXTERNAL_KEY_STORE","XksProxyAuthenticationCredential":{"AccessKeyId":"` + lifecycleAccessKeyID + `","RawSecretAccessKey":"` + lifecycleSecret + `"},"XksProxyConnectivity":"VPC_ENDPOINT_SERVICE","XksProxyUriEndpoint":"https://myproxy.xks.example.com","XksProxyUriPath":"/example-prefix/kms/xks/v1","XksProxyVpcEndpointServiceName":"com.amazonaws.vpce.us-east-1.vpce-svc-example1","XksProxyVpcEndpointServiceOwner":"111122223333"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, rec := setup(t, answerOK(`{"CustomKeyStoreId":"cks-0123456789abcdef0"}`))
			out, err := c.CreateCustomKeyStore(context.Background(), tt.in)
			require.NoError(t, err)
			assert.Equal(t, "cks-0123456789abcdef0", aws.ToString(out.CustomKeyStoreId))
			assert.Equal(t, "req-ok", out.RequestID)
			id, ok := awsmiddleware.GetRequestIDMetadata(out.ResultMetadata)
			assert.True(t, ok)
			assert.Equal(t, "req-ok", id)
			reqs := rec.all()
			require.Len(t, reqs, 1)
			checkRequest(t, reqs[0], "CreateCustomKeyStore", tt.want)
		})
	}
}

func TestCreateCustomKeyStoreDecode(t *testing.T) {
	tests := []struct {
		name    string
		body    string
		wantID  *string
		wantErr string
	}{
		{name: "empty body", body: ``},
		{name: "empty object", body: `{}`},
		{name: "unknown members ignored", body: `{"CustomKeyStoreId":"cks-1","Extra":{"a":[1,2]}}`, wantID: aws.String("cks-1")},
		{name: "null ID", body: `{"CustomKeyStoreId":null}`},
		{name: "not JSON", body: `<html>secret-looking page</html>`, wantErr: "not a JSON value (at byte 0)"},
		{name: "ID of the wrong type", body: `{"CustomKeyStoreId":12345}`, wantErr: "CustomKeyStoreId: not a JSON string (at byte 25)"},
		{name: "trailing data", body: `{"CustomKeyStoreId":"cks-1"} {}`, wantErr: "data after the JSON value"},
		// Member names match as encoding/json matches them: exactly, else
		// without regard to case (the official client takes only the exact
		// name; issue 19 §3 moved decoding to encoding/json).
		{name: "member names match as encoding/json matches them", body: `{"customkeystoreid":"cks-1"}`, wantID: aws.String("cks-1")},
		{name: "truncated", body: `{"CustomKeyStoreId":"cks-`, wantErr: "decode response"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, _ := setup(t, answerOK(tt.body))
			out, err := c.CreateCustomKeyStore(context.Background(), cloudHsmCreate())
			if tt.wantErr == "" {
				require.NoError(t, err)
				assert.Equal(t, tt.wantID, out.CustomKeyStoreId)
				return
			}
			require.Error(t, err)
			assert.Nil(t, out)
			assert.Contains(t, err.Error(), tt.wantErr)
			assert.Contains(t, err.Error(), "req-ok", "the request ID")
			var de *smithy.DeserializationError
			assert.True(t, errors.As(err, &de), "a *smithy.DeserializationError: %v", err)
			assert.NotContains(t, err.Error(), "secret-looking", "the body is never quoted")
		})
	}
}

func TestCreateCustomKeyStoreResponseBounded(t *testing.T) {
	c, _ := setup(t, func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("X-Amzn-Requestid", "req-big")
		_, _ = io.WriteString(w, `{"CustomKeyStoreId":"`+strings.Repeat("a", 1<<20)+`"}`)
	})
	_, err := c.CreateCustomKeyStore(context.Background(), cloudHsmCreate())
	var tooLarge *awsjson.ResponseTooLargeError
	require.ErrorAs(t, err, &tooLarge)
	assert.Equal(t, "req-big", tooLarge.RequestID)
	assert.Contains(t, err.Error(), "response body larger than")
}

func TestCreateCustomKeyStoreErrorHidesSecrets(t *testing.T) {
	tests := []struct {
		in     *kms.CreateCustomKeyStoreInput
		secret string
	}{
		{xksCreate(kms.XksProxyConnectivityTypePublicEndpoint), lifecycleSecret},
		{cloudHsmCreate(), lifecyclePassword},
	}
	for _, tt := range tests {
		// A server (or a proxy in front of it) that echoes the request.
		c, _ := setup(t, errorHandler(400, nil,
			`{"__type":"XksProxyIncorrectAuthenticationCredentialException","message":"rejected `+tt.secret+`"}`))
		_, err := c.CreateCustomKeyStore(context.Background(), tt.in)
		require.Error(t, err)
		assert.NotContains(t, err.Error(), tt.secret)
		assert.Contains(t, err.Error(), "rejected [REDACTED]")
		assert.ErrorIs(t, err, kms.ErrXksProxyIncorrectAuthenticationCredential)
	}
}
