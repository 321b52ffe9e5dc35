package kmstest_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kmskit/kms/kmstest"
)

var (
	testCred  = kmstest.Credential{AccessKeyId: "AKIDEXAMPLE", SecretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"}
	tokenCred = kmstest.Credential{AccessKeyId: "ASIATEMPORARY", SecretAccessKey: "temporary-secret", SessionToken: "session-token-1"}
)

// signOpts says how signedRequest signs; zero fields mean testCred, kms,
// us-east-1 and now.
type signOpts struct {
	akid, secret, token string
	service, region     string
	at                  time.Time
	// unsigned headers are set only after signing, so the signature does
	// not cover them; X-Amz-Security-Token here carries token unsigned.
	unsigned []string
}

// signedRequest builds an UpdateCustomKeyStore request for srv and signs it.
func signedRequest(t *testing.T, srv *kmstest.Server, body string, o signOpts) *http.Request {
	t.Helper()
	if o.akid == "" {
		o.akid, o.secret = testCred.AccessKeyId, testCred.SecretAccessKey
	}
	if o.service == "" {
		o.service = "kms"
	}
	if o.region == "" {
		o.region = "us-east-1"
	}
	if o.at.IsZero() {
		o.at = time.Now()
	}
	req, err := http.NewRequest(http.MethodPost, srv.URL+"/", strings.NewReader(body))
	require.NoError(t, err)
	headers := map[string]string{
		"Content-Type": "application/x-amz-json-1.1",
		"X-Amz-Target": kmstest.TargetUpdateCustomKeyStore,
	}
	creds := aws.Credentials{AccessKeyID: o.akid, SecretAccessKey: o.secret, SessionToken: o.token}
	if slices.Contains(o.unsigned, "X-Amz-Security-Token") {
		creds.SessionToken = "" // the signer would sign it
		headers["X-Amz-Security-Token"] = o.token
	}
	for name, value := range headers {
		if !slices.Contains(o.unsigned, name) {
			req.Header.Set(name, value)
		}
	}
	sum := sha256.Sum256([]byte(body))
	require.NoError(t, v4.NewSigner().SignHTTP(context.Background(), creds, req, hex.EncodeToString(sum[:]), o.service, o.region, o.at))
	for _, name := range o.unsigned {
		req.Header.Set(name, headers[name])
	}
	return req
}

// TestSigV4 checks each way a signature can be right or wrong.
func TestSigV4(t *testing.T) {
	body := `{"CustomKeyStoreId":"` + hsmConnected + `","NewCustomKeyStoreName":"signed-rename"}`
	tests := []struct {
		name string
		req  func(t *testing.T, srv *kmstest.Server) *http.Request
		code string
	}{
		{name: "valid", req: func(t *testing.T, srv *kmstest.Server) *http.Request {
			return signedRequest(t, srv, body, signOpts{})
		}},
		{name: "valid with session token", req: func(t *testing.T, srv *kmstest.Server) *http.Request {
			return signedRequest(t, srv, body, signOpts{akid: tokenCred.AccessKeyId, secret: tokenCred.SecretAccessKey, token: tokenCred.SessionToken})
		}},
		{name: "unsigned", code: kmstest.CodeIncompleteSignature, req: func(t *testing.T, srv *kmstest.Server) *http.Request {
			req := signedRequest(t, srv, body, signOpts{})
			req.Header.Del("Authorization")
			return req
		}},
		{name: "not SigV4", code: kmstest.CodeIncompleteSignature, req: func(t *testing.T, srv *kmstest.Server) *http.Request {
			req := signedRequest(t, srv, body, signOpts{})
			req.Header.Set("Authorization", "Bearer abc")
			return req
		}},
		{name: "no signature parameter", code: kmstest.CodeIncompleteSignature, req: func(t *testing.T, srv *kmstest.Server) *http.Request {
			req := signedRequest(t, srv, body, signOpts{})
			a := req.Header.Get("Authorization")
			req.Header.Set("Authorization", a[:strings.Index(a, ", Signature=")])
			return req
		}},
		{name: "no X-Amz-Date", code: kmstest.CodeIncompleteSignature, req: func(t *testing.T, srv *kmstest.Server) *http.Request {
			req := signedRequest(t, srv, body, signOpts{})
			req.Header.Del("X-Amz-Date")
			return req
		}},
		{name: "unknown access key", code: kmstest.CodeUnrecognizedClient, req: func(t *testing.T, srv *kmstest.Server) *http.Request {
			return signedRequest(t, srv, body, signOpts{akid: "AKIDUNKNOWN", secret: testCred.SecretAccessKey})
		}},
		{name: "missing session token", code: kmstest.CodeUnrecognizedClient, req: func(t *testing.T, srv *kmstest.Server) *http.Request {
			return signedRequest(t, srv, body, signOpts{akid: tokenCred.AccessKeyId, secret: tokenCred.SecretAccessKey})
		}},
		{name: "wrong secret", code: kmstest.CodeInvalidSignature, req: func(t *testing.T, srv *kmstest.Server) *http.Request {
			return signedRequest(t, srv, body, signOpts{akid: testCred.AccessKeyId, secret: "not-the-secret"})
		}},
		{name: "body changed after signing", code: kmstest.CodeInvalidSignature, req: func(t *testing.T, srv *kmstest.Server) *http.Request {
			req := signedRequest(t, srv, body, signOpts{})
			tampered := strings.Replace(body, "signed-rename", "evil-rename!!", 1)
			req.Body = io.NopCloser(strings.NewReader(tampered))
			return req
		}},
		{name: "signed header changed after signing", code: kmstest.CodeInvalidSignature, req: func(t *testing.T, srv *kmstest.Server) *http.Request {
			req := signedRequest(t, srv, body, signOpts{})
			req.Header.Set("Content-Type", "application/x-amz-json-1.0")
			return req
		}},
		{name: "wrong service", code: kmstest.CodeInvalidSignature, req: func(t *testing.T, srv *kmstest.Server) *http.Request {
			return signedRequest(t, srv, body, signOpts{service: "s3"})
		}},
		{name: "wrong region", code: kmstest.CodeInvalidSignature, req: func(t *testing.T, srv *kmstest.Server) *http.Request {
			return signedRequest(t, srv, body, signOpts{region: "us-west-2"})
		}},
		{name: "signed 20 minutes ago", code: kmstest.CodeInvalidSignature, req: func(t *testing.T, srv *kmstest.Server) *http.Request {
			return signedRequest(t, srv, body, signOpts{at: time.Now().Add(-20 * time.Minute)})
		}},
		{name: "signed 20 minutes ahead", code: kmstest.CodeInvalidSignature, req: func(t *testing.T, srv *kmstest.Server) *http.Request {
			return signedRequest(t, srv, body, signOpts{at: time.Now().Add(20 * time.Minute)})
		}},
		{name: "signed 10 minutes ago", req: func(t *testing.T, srv *kmstest.Server) *http.Request {
			return signedRequest(t, srv, body, signOpts{at: time.Now().Add(-10 * time.Minute)})
		}},
		{name: "X-Amz-Target not signed", code: kmstest.CodeIncompleteSignature, req: func(t *testing.T, srv *kmstest.Server) *http.Request {
			return signedRequest(t, srv, body, signOpts{unsigned: []string{"X-Amz-Target"}})
		}},
		{name: "Content-Type not signed", code: kmstest.CodeIncompleteSignature, req: func(t *testing.T, srv *kmstest.Server) *http.Request {
			return signedRequest(t, srv, body, signOpts{unsigned: []string{"Content-Type"}})
		}},
		{name: "X-Amz-Security-Token not signed", code: kmstest.CodeIncompleteSignature, req: func(t *testing.T, srv *kmstest.Server) *http.Request {
			return signedRequest(t, srv, body, signOpts{akid: tokenCred.AccessKeyId, secret: tokenCred.SecretAccessKey, token: tokenCred.SessionToken,
				unsigned: []string{"X-Amz-Security-Token"}})
		}},
		{name: "X-Amz-Date not signed", code: kmstest.CodeIncompleteSignature, req: func(t *testing.T, srv *kmstest.Server) *http.Request {
			req := signedRequest(t, srv, body, signOpts{})
			a := req.Header.Get("Authorization")
			req.Header.Set("Authorization", strings.Replace(a, ";x-amz-date", "", 1))
			return req
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newWorld(t, kmstest.WithSigV4(testCred, tokenCred), kmstest.WithRegion("us-east-1"))
			before := srv.Stores()
			req := tt.req(t, srv)
			r := do(t, srv.Client(), req)
			if tt.code == "" {
				requireOK(t, r)
				assert.Equal(t, "signed-rename", store(t, srv, hsmConnected).CustomKeyStoreName)
				return
			}
			requireCode(t, r, tt.code)
			assert.Equal(t, before, srv.Stores())
			assert.NotContains(t, r.Message, testCred.SecretAccessKey)
		})
	}
}

// TestSigV4Off: by default any request, signed or not, is accepted.
func TestSigV4Off(t *testing.T) {
	srv := newWorld(t)
	req := signedRequest(t, srv, `{"CustomKeyStoreId":"`+hsmConnected+`"}`, signOpts{akid: "ANYONE", secret: "anything"})
	requireOK(t, do(t, srv.Client(), req))
}

// TestSigV4AnyRegionByDefault: without WithRegion, any Region is accepted.
func TestSigV4AnyRegionByDefault(t *testing.T) {
	srv := newWorld(t, kmstest.WithSigV4(testCred))
	req := signedRequest(t, srv, `{"CustomKeyStoreId":"`+hsmConnected+`"}`, signOpts{region: "eu-west-3"})
	requireOK(t, do(t, srv.Client(), req))
}

// TestSigV4Clock: WithClock moves the time signatures are checked against.
func TestSigV4Clock(t *testing.T) {
	past := time.Date(2020, 1, 2, 3, 4, 5, 0, time.UTC)
	srv := newWorld(t, kmstest.WithSigV4(testCred), kmstest.WithClock(func() time.Time { return past }))
	body := `{"CustomKeyStoreId":"` + hsmConnected + `"}`
	requireOK(t, do(t, srv.Client(), signedRequest(t, srv, body, signOpts{at: past.Add(time.Minute)})))
	requireCode(t, do(t, srv.Client(), signedRequest(t, srv, body, signOpts{})), kmstest.CodeInvalidSignature)
}

// TestAcceptCredential: adding a credential at run time turns verification
// on.
func TestAcceptCredential(t *testing.T) {
	srv := newWorld(t)
	body := `{"CustomKeyStoreId":"` + hsmConnected + `"}`
	requireOK(t, sendRaw(t, srv, kmstest.TargetUpdateCustomKeyStore, body))
	require.NoError(t, srv.AcceptCredential(testCred))
	requireCode(t, sendRaw(t, srv, kmstest.TargetUpdateCustomKeyStore, body), kmstest.CodeIncompleteSignature)
	requireOK(t, do(t, srv.Client(), signedRequest(t, srv, body, signOpts{})))
	require.Error(t, srv.AcceptCredential(kmstest.Credential{AccessKeyId: "AKID"}))
}

// TestSigV4BeforeFaults: a request refused for its signature does not use up
// an injected fault.
func TestSigV4BeforeFaults(t *testing.T) {
	srv := newWorld(t, kmstest.WithSigV4(testCred))
	srv.FailNext(1, kmstest.Fault{Code: kmstest.CodeThrottling})
	requireCode(t, sendRaw(t, srv, kmstest.TargetUpdateCustomKeyStore, `{}`), kmstest.CodeIncompleteSignature)
	assert.Equal(t, 1, srv.PendingFaults())
	requireCode(t, do(t, srv.Client(), signedRequest(t, srv, `{}`, signOpts{})), kmstest.CodeThrottling)
}

// TestSigV4OverTLS: signatures verify over HTTPS too.
func TestSigV4OverTLS(t *testing.T) {
	srv := kmstest.NewTLSServer(kmstest.WithSigV4(testCred))
	t.Cleanup(srv.Close)
	require.NoError(t, srv.Load(worldSeed()))
	require.True(t, strings.HasPrefix(srv.URL, "https://"))
	body := `{"CustomKeyStoreId":"` + hsmConnected + `","NewCustomKeyStoreName":"tls-rename"}`
	requireOK(t, do(t, srv.Client(), signedRequest(t, srv, body, signOpts{})))
	assert.Equal(t, "tls-rename", store(t, srv, hsmConnected).CustomKeyStoreName)
	requireCode(t, do(t, srv.Client(), signedRequest(t, srv, body, signOpts{secret: "wrong", akid: testCred.AccessKeyId})),
		kmstest.CodeInvalidSignature)
}

// TestSigV4UnsignedHeaderNamed: a request that leaves a header it carries
// unsigned is told which header, and changes nothing.
func TestSigV4UnsignedHeaderNamed(t *testing.T) {
	body := `{"CustomKeyStoreId":"` + hsmConnected + `","NewCustomKeyStoreName":"unsigned-rename"}`
	for _, header := range []string{"X-Amz-Target", "Content-Type", "X-Amz-Security-Token"} {
		t.Run(header, func(t *testing.T) {
			srv := newWorld(t, kmstest.WithSigV4(testCred, tokenCred))
			before := srv.Stores()
			o := signOpts{unsigned: []string{header}}
			if header == "X-Amz-Security-Token" {
				o.akid, o.secret, o.token = tokenCred.AccessKeyId, tokenCred.SecretAccessKey, tokenCred.SessionToken
			}
			r := do(t, srv.Client(), signedRequest(t, srv, body, o))
			requireCode(t, r, kmstest.CodeIncompleteSignature)
			assert.Contains(t, r.Message, "'"+header+"'")
			assert.Contains(t, r.Message, "SignedHeaders")
			assert.NotContains(t, r.Message, tokenCred.SessionToken)
			assert.Equal(t, before, srv.Stores())
		})
	}
}

// TestWithSignatureWindow: the window is KMS's 15 minutes by default, can be
// narrowed or widened, and zero turns the time check off.
func TestWithSignatureWindow(t *testing.T) {
	now := time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)
	body := `{"CustomKeyStoreId":"` + hsmConnected + `"}`
	tests := []struct {
		name   string
		window *time.Duration // nil: the default
		signed time.Duration  // signing time relative to the fake's clock
		ok     bool
	}{
		{name: "default, 14m59s before", signed: -(15*time.Minute - time.Second), ok: true},
		{name: "default, 14m59s after", signed: 15*time.Minute - time.Second, ok: true},
		{name: "default, 15m01s before", signed: -(15*time.Minute + time.Second)},
		{name: "default, 15m01s after", signed: 15*time.Minute + time.Second},
		{name: "1 minute, 30s before", window: ptr(time.Minute), signed: -30 * time.Second, ok: true},
		{name: "1 minute, 2m before", window: ptr(time.Minute), signed: -2 * time.Minute},
		{name: "1 minute, 2m after", window: ptr(time.Minute), signed: 2 * time.Minute},
		{name: "1 hour, 50m before", window: ptr(time.Hour), signed: -50 * time.Minute, ok: true},
		{name: "off, a day before", window: ptr(time.Duration(0)), signed: -24 * time.Hour, ok: true},
		{name: "off, a day after", window: ptr(time.Duration(-1)), signed: 24 * time.Hour, ok: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts := []kmstest.Option{kmstest.WithSigV4(testCred), kmstest.WithClock(func() time.Time { return now })}
			if tt.window != nil {
				opts = append(opts, kmstest.WithSignatureWindow(*tt.window))
			}
			srv := newWorld(t, opts...)
			r := do(t, srv.Client(), signedRequest(t, srv, body, signOpts{at: now.Add(tt.signed)}))
			if tt.ok {
				requireOK(t, r)
				return
			}
			requireCode(t, r, kmstest.CodeInvalidSignature)
			assert.Contains(t, r.Message, "Signature expired")
		})
	}
}

func ptr[T any](v T) *T { return &v }
