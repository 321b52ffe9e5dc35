package kms_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/kmskit/kms"
	"github.com/stretchr/testify/require"
)

// testCreds are the credentials every test client signs with.
var testCreds = aws.Credentials{AccessKeyID: "AKIDEXAMPLE", SecretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", Source: "test"}

func staticCreds() aws.CredentialsProvider {
	return aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) { return testCreds, nil })
}

// fastRetryer retries like the standard retryer, with tiny fixed delays.
func fastRetryer(maxAttempts int) aws.Retryer {
	return retry.NewStandard(func(o *retry.StandardOptions) {
		o.MaxAttempts = maxAttempts
		o.Backoff = retry.BackoffDelayerFunc(func(int, error) (time.Duration, error) { return time.Millisecond, nil })
	})
}

// received is one request as the test server saw it.
type received struct {
	req  *http.Request
	body []byte
}

// recorder keeps what the server received.
type recorder struct {
	mu   sync.Mutex
	reqs []received
}

func (r *recorder) all() []received {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]received(nil), r.reqs...)
}

// setup starts a server answering with handler (nil: 200 {}) and returns a
// client pointed at it and the record of what the server received.
func setup(t *testing.T, handler http.HandlerFunc, optFns ...func(*kms.Options)) (*kms.Client, *recorder) {
	t.Helper()
	rec := &recorder{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			t.Errorf("server: read body: %v", err)
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		rec.mu.Lock()
		rec.reqs = append(rec.reqs, received{req: r.Clone(context.Background()), body: body})
		rec.mu.Unlock()
		if handler == nil {
			w.Header().Set("X-Amzn-Requestid", "req-ok")
			w.Header().Set("Content-Type", "application/x-amz-json-1.1")
			_, _ = io.WriteString(w, "{}")
			return
		}
		handler(w, r)
	}))
	t.Cleanup(srv.Close)
	opts := kms.Options{
		Region:       "us-east-1",
		Credentials:  staticCreds(),
		BaseEndpoint: aws.String(srv.URL),
		HTTPClient:   srv.Client(),
		Retryer:      fastRetryer(3),
	}
	c := kms.New(opts, optFns...)
	require.NotNil(t, c)
	return c, rec
}

// errorHandler answers every request with status, headers and body.
func errorHandler(status int, headers map[string]string, body string) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) {
		for k, v := range headers {
			w.Header().Set(k, v)
		}
		w.WriteHeader(status)
		_, _ = io.WriteString(w, body)
	}
}

// roundTripFunc is an HTTPClient that never touches the network.
type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) Do(r *http.Request) (*http.Response, error) { return f(r) }

// The three secrets, distinctive enough that finding them in any text is
// certainly a leak.
const (
	secretPassword  = "Pw-Secret-4242!"
	secretRawKey    = "RAWSECRETqwrtzuiopsdfghjklyxcvbnmQWRTZUIOPLKJHG+/="
	xksAccessKeyID  = "XKSACCESSKEYIDQRSTUVWXYZ27"
	testStoreID     = "cks-1234567890abcdef0"
	visibleName     = "visible-store-name"
	visibleUriPath  = "/example/kms/xks/v1"
	visibleEndpoint = "https://xks.example.com"
)

// secrets are the strings no output may contain (AccessKeyId is sensitive
// in the KMS model, as the other two).
var secrets = []string{secretPassword, secretRawKey, xksAccessKeyID}

// cloudHSMInput is a valid update that carries KeyStorePassword.
func cloudHSMInput() *kms.UpdateCustomKeyStoreInput {
	return &kms.UpdateCustomKeyStoreInput{
		CustomKeyStoreId:      aws.String(testStoreID),
		KeyStorePassword:      aws.String(secretPassword),
		NewCustomKeyStoreName: aws.String(visibleName),
	}
}

// xksInput is a valid update that carries RawSecretAccessKey.
func xksInput() *kms.UpdateCustomKeyStoreInput {
	return &kms.UpdateCustomKeyStoreInput{
		CustomKeyStoreId: aws.String(testStoreID),
		XksProxyAuthenticationCredential: &kms.XksProxyAuthenticationCredentialType{
			AccessKeyId:        aws.String(xksAccessKeyID),
			RawSecretAccessKey: aws.String(secretRawKey),
		},
		XksProxyUriPath: aws.String(visibleUriPath),
	}
}

// fullInput sets every member, both secrets included (it is not a valid
// update: it mixes CloudHSM and XKS members).
func fullInput() kms.UpdateCustomKeyStoreInput {
	return kms.UpdateCustomKeyStoreInput{
		CustomKeyStoreId:      aws.String(testStoreID),
		CloudHsmClusterId:     aws.String("cluster-abcdefghijk"),
		KeyStorePassword:      aws.String(secretPassword),
		NewCustomKeyStoreName: aws.String(visibleName),
		XksProxyAuthenticationCredential: &kms.XksProxyAuthenticationCredentialType{
			AccessKeyId:        aws.String(xksAccessKeyID),
			RawSecretAccessKey: aws.String(secretRawKey),
		},
		XksProxyConnectivity:            kms.XksProxyConnectivityTypeVpcEndpointService,
		XksProxyUriEndpoint:             aws.String(visibleEndpoint),
		XksProxyUriPath:                 aws.String(visibleUriPath),
		XksProxyVpcEndpointServiceName:  aws.String("com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0"),
		XksProxyVpcEndpointServiceOwner: aws.String("111122223333"),
	}
}

// visibleValues are non-secret values of fullInput that must stay visible.
var visibleValues = []string{testStoreID, "cluster-abcdefghijk", visibleName,
	"VPC_ENDPOINT_SERVICE", visibleEndpoint, visibleUriPath, "vpce-svc-0123456789abcdef0", "111122223333"}

// assertNoSecret fails when s contains a secret.
func assertNoSecret(t *testing.T, s string, msgAndArgs ...any) {
	t.Helper()
	for _, secret := range secrets {
		if strings.Contains(s, secret) {
			t.Errorf("secret %q leaked in %q %v", secret[:4]+"...", s, msgAndArgs)
		}
	}
}

// checkGoroutines records the goroutine count now and, when the test ends
// (after every cleanup registered later, such as closing servers), waits
// for the count to come back to it, calling closeIdle first. It gives up
// after a minute, a hang guard that a loaded machine never reaches: it
// returns as soon as the goroutines are gone.
func checkGoroutines(t *testing.T, closeIdle ...func()) {
	t.Helper()
	before := runtime.NumGoroutine()
	t.Cleanup(func() {
		deadline := time.Now().Add(time.Minute)
		for {
			for _, f := range closeIdle {
				f()
			}
			now := runtime.NumGoroutine()
			if now <= before {
				return
			}
			if time.Now().After(deadline) {
				buf := make([]byte, 1<<16)
				buf = buf[:runtime.Stack(buf, true)]
				t.Errorf("goroutines: %d before, %d after the test\n%s", before, now, buf)
				return
			}
			time.Sleep(20 * time.Millisecond)
		}
	})
}
