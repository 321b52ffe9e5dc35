package interop

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	awskms "github.com/aws/aws-sdk-go-v2/service/kms"
	awstypes "github.com/aws/aws-sdk-go-v2/service/kms/types"
	"github.com/stretchr/testify/require"

	"github.com/kmskit/kms"
)

const testRegion = "us-east-1"

// testCreds are the credentials both clients sign with.
var testCreds = aws.Credentials{
	AccessKeyID:     "AKIDINTEROPEXAMPLE",
	SecretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYINTEROPKEY",
	Source:          "interop",
}

// staticCreds returns testCreds without allocating per call beyond what the
// client itself does.
func staticCreds() aws.CredentialsProvider {
	return aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) { return testCreds, nil })
}

// fastRetryer is the standard retryer with maxAttempts and no backoff, so
// that retry tests are quick and both clients retry alike.
func fastRetryer(maxAttempts int) aws.Retryer {
	return retry.NewStandard(func(o *retry.StandardOptions) {
		o.MaxAttempts = maxAttempts
		o.Backoff = retry.BackoffDelayerFunc(func(int, error) (time.Duration, error) { return 0, nil })
	})
}

// newOurs returns our client pointed at url.
func newOurs(url string, hc kms.HTTPClient, retryer aws.Retryer) *kms.Client {
	return kms.New(kms.Options{
		Region:       testRegion,
		Credentials:  staticCreds(),
		BaseEndpoint: aws.String(url),
		HTTPClient:   hc,
		Retryer:      retryer,
	})
}

// newOfficial returns aws-sdk-go-v2's client pointed at url.
func newOfficial(url string, hc awskms.HTTPClient, retryer aws.Retryer) *awskms.Client {
	return awskms.New(awskms.Options{
		Region:       testRegion,
		Credentials:  staticCreds(),
		BaseEndpoint: aws.String(url),
		HTTPClient:   hc,
		Retryer:      retryer,
	})
}

// toOfficial converts our input to the official one; the field names and
// types are the same by design.
func toOfficial(in *kms.UpdateCustomKeyStoreInput) *awskms.UpdateCustomKeyStoreInput {
	out := &awskms.UpdateCustomKeyStoreInput{
		CustomKeyStoreId:                in.CustomKeyStoreId,
		CloudHsmClusterId:               in.CloudHsmClusterId,
		KeyStorePassword:                in.KeyStorePassword,
		NewCustomKeyStoreName:           in.NewCustomKeyStoreName,
		XksProxyConnectivity:            awstypes.XksProxyConnectivityType(in.XksProxyConnectivity),
		XksProxyUriEndpoint:             in.XksProxyUriEndpoint,
		XksProxyUriPath:                 in.XksProxyUriPath,
		XksProxyVpcEndpointServiceName:  in.XksProxyVpcEndpointServiceName,
		XksProxyVpcEndpointServiceOwner: in.XksProxyVpcEndpointServiceOwner,
	}
	if c := in.XksProxyAuthenticationCredential; c != nil {
		out.XksProxyAuthenticationCredential = &awstypes.XksProxyAuthenticationCredentialType{
			AccessKeyId:        c.AccessKeyId,
			RawSecretAccessKey: c.RawSecretAccessKey,
		}
	}
	return out
}

// Valid values for every member (our client validates offline).
const (
	storeID      = "cks-1234567890abcdef0"
	xksKeyID     = "ABCDEFGHIJKLMNOPQRST2345"
	xksSecret    = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTU/+="
	xksEndpoint  = "https://myproxy.example.com"
	xksPath      = "/kms/xks/v1"
	vpcService   = "com.amazonaws.vpce.us-east-1.vpce-svc-0abc123"
	vpcOwner     = "111122223333"
	clusterID    = "cluster-abcdefghijkl"
	hsmPassword  = "kmsPswd123"
	storeNewName = "ExampleXksStore"
)

// fullXksInput is a full external key store update: every XKS member.
func fullXksInput() *kms.UpdateCustomKeyStoreInput {
	return &kms.UpdateCustomKeyStoreInput{
		CustomKeyStoreId:      aws.String(storeID),
		NewCustomKeyStoreName: aws.String(storeNewName),
		XksProxyAuthenticationCredential: &kms.XksProxyAuthenticationCredentialType{
			AccessKeyId:        aws.String(xksKeyID),
			RawSecretAccessKey: aws.String(xksSecret),
		},
		XksProxyConnectivity:            kms.XksProxyConnectivityTypeVpcEndpointService,
		XksProxyUriEndpoint:             aws.String(xksEndpoint),
		XksProxyUriPath:                 aws.String("/prefix/kms/xks/v1"),
		XksProxyVpcEndpointServiceName:  aws.String(vpcService),
		XksProxyVpcEndpointServiceOwner: aws.String(vpcOwner),
	}
}

// captured is one request as the capturing server saw it.
type captured struct {
	Method        string
	RequestURI    string
	Host          string
	ContentLength int64
	Header        http.Header
	Body          []byte
	req           *http.Request // for signature verification
}

// capture records what a server received.
type capture struct {
	mu   sync.Mutex
	reqs []captured
}

func (c *capture) all() []captured {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]captured(nil), c.reqs...)
}

func (c *capture) count() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.reqs)
}

func (c *capture) reset() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.reqs = nil
}

// newCaptureServer starts a server that records every request and answers
// with respond (nil: 200 "{}" with a request ID).
func newCaptureServer(t testing.TB, respond http.HandlerFunc) (*httptest.Server, *capture) {
	t.Helper()
	c := &capture{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			t.Errorf("server: read body: %v", err)
		}
		clone := r.Clone(context.Background())
		clone.Body = io.NopCloser(bytes.NewReader(body))
		c.mu.Lock()
		c.reqs = append(c.reqs, captured{
			Method:        r.Method,
			RequestURI:    r.RequestURI,
			Host:          r.Host,
			ContentLength: r.ContentLength,
			Header:        r.Header.Clone(),
			Body:          body,
			req:           clone,
		})
		c.mu.Unlock()
		if respond == nil {
			w.Header().Set("X-Amzn-Requestid", "req-ok")
			w.Header().Set("Content-Type", "application/x-amz-json-1.1")
			_, _ = io.WriteString(w, "{}")
			return
		}
		respond(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv, c
}

// requireOne returns the only captured request.
func requireOne(t *testing.T, c *capture) captured {
	t.Helper()
	all := c.all()
	require.Len(t, all, 1)
	return all[0]
}
