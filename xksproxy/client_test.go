package xksproxy_test

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kmskit/kms/internal/echotest"
	"github.com/kmskit/kms/internal/sigv4check"
	"github.com/kmskit/kms/xksproxy"
)

// Bad options are reported by every call, naming the option, and nothing is
// sent.
func TestNewRejectsBadOptions(t *testing.T) {
	srv := newCanned(t, 200, `{}`)
	good := xksproxy.Options{Endpoint: srv.URL, UriPath: testPath, Region: testRegion, Credential: testCred, HTTPClient: srv.Client()}
	tests := []struct {
		name   string
		change func(*xksproxy.Options)
		field  string
		rule   string
	}{
		{"no endpoint", func(o *xksproxy.Options) { o.Endpoint = "" }, "Endpoint", "is required"},
		{"ftp endpoint", func(o *xksproxy.Options) { o.Endpoint = "ftp://xks.example.com" }, "Endpoint", "https://"},
		{"no scheme", func(o *xksproxy.Options) { o.Endpoint = "xks.example.com" }, "Endpoint", "https://"},
		{"endpoint with path", func(o *xksproxy.Options) { o.Endpoint = "https://xks.example.com/kms/xks/v1" }, "Endpoint", "UriPath"},
		{"endpoint with query", func(o *xksproxy.Options) { o.Endpoint = "https://xks.example.com?a=b" }, "Endpoint", "only scheme and host"},
		{"endpoint with user", func(o *xksproxy.Options) { o.Endpoint = "https://u:p@xks.example.com" }, "Endpoint", "user info"},
		{"no host", func(o *xksproxy.Options) { o.Endpoint = "https://" }, "Endpoint", "no host"},
		{"no path", func(o *xksproxy.Options) { o.UriPath = "" }, "UriPath", "must end in /kms/xks/v1"},
		{"path v2", func(o *xksproxy.Options) { o.UriPath = "/kms/xks/v2" }, "UriPath", "must end in /kms/xks/v1"},
		{"path chars", func(o *xksproxy.Options) { o.UriPath = "/a.b/kms/xks/v1" }, "UriPath", "may hold only"},
		{"path long", func(o *xksproxy.Options) { o.UriPath = "/" + strings.Repeat("p", 120) + "/kms/xks/v1" }, "UriPath", "at most 128"},
		{"no region", func(o *xksproxy.Options) { o.Region = "" }, "Region", "is required"},
		{"no access key", func(o *xksproxy.Options) { o.Credential.AccessKeyID = "" }, "Credential.AccessKeyID", "is required"},
		{"no secret", func(o *xksproxy.Options) { o.Credential.SecretAccessKey = "" }, "Credential.SecretAccessKey", "is required"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := good
			tt.change(&o)
			c := xksproxy.New(o)
			_, err := c.GetHealthStatus(context.Background(), &xksproxy.GetHealthStatusInput{RequestMetadata: testMD})
			var ie *xksproxy.InputError
			require.ErrorAs(t, err, &ie)
			assert.Equal(t, tt.field, ie.Field)
			assert.Contains(t, ie.Error(), tt.rule)
			assert.NotContains(t, err.Error(), testSecret)
			assert.NotContains(t, err.Error(), testAKID)
		})
	}
	assert.Empty(t, srv.requests())
}

// Bad inputs are *InputError naming the member; nothing is sent.
func TestCallsRejectBadInput(t *testing.T) {
	srv := newCanned(t, 200, `{}`)
	c := srv.client()
	ctx := context.Background()
	iv, tag := make([]byte, 12), make([]byte, 16)
	noPrincipal := testMD
	noPrincipal.AwsPrincipalArn = ""
	noKeyArn := testMD
	noKeyArn.KmsKeyArn = ""
	noOp := testMD
	noOp.KmsOperation = ""
	longArn := testMD
	longArn.AwsPrincipalArn = strings.Repeat("a", 2049)
	tests := []struct {
		name  string
		call  func() error
		field string
	}{
		{"health without kmsOperation", func() error {
			_, err := c.GetHealthStatus(ctx, nil)
			return err
		}, "RequestMetadata.KmsOperation"},
		{"metadata without key ID", func() error {
			_, err := c.GetKeyMetadata(ctx, &xksproxy.GetKeyMetadataInput{RequestMetadata: testMD})
			return err
		}, "ExternalKeyId"},
		{"metadata with bad key ID", func() error {
			_, err := c.GetKeyMetadata(ctx, &xksproxy.GetKeyMetadataInput{ExternalKeyId: "a/b", RequestMetadata: testMD})
			return err
		}, "ExternalKeyId"},
		{"metadata without principal", func() error {
			_, err := c.GetKeyMetadata(ctx, &xksproxy.GetKeyMetadataInput{ExternalKeyId: "foo", RequestMetadata: noPrincipal})
			return err
		}, "RequestMetadata.AwsPrincipalArn"},
		{"encrypt without key ARN", func() error {
			_, err := c.Encrypt(ctx, &xksproxy.EncryptInput{ExternalKeyId: "foo", RequestMetadata: noKeyArn, Plaintext: []byte("x")})
			return err
		}, "RequestMetadata.KmsKeyArn"},
		{"encrypt without kmsOperation", func() error {
			_, err := c.Encrypt(ctx, &xksproxy.EncryptInput{ExternalKeyId: "foo", RequestMetadata: noOp, Plaintext: []byte("x")})
			return err
		}, "RequestMetadata.KmsOperation"},
		{"encrypt with a long ARN", func() error {
			_, err := c.Encrypt(ctx, &xksproxy.EncryptInput{ExternalKeyId: "foo", RequestMetadata: longArn, Plaintext: []byte("x")})
			return err
		}, "RequestMetadata.AwsPrincipalArn"},
		{"encrypt without plaintext", func() error {
			_, err := c.Encrypt(ctx, &xksproxy.EncryptInput{ExternalKeyId: "foo", RequestMetadata: testMD})
			return err
		}, "Plaintext"},
		{"encrypt with another algorithm", func() error {
			_, err := c.Encrypt(ctx, &xksproxy.EncryptInput{ExternalKeyId: "foo", RequestMetadata: testMD, Plaintext: []byte("x"), EncryptionAlgorithm: "AES_CBC"})
			return err
		}, "EncryptionAlgorithm"},
		{"encrypt with another CDIV algorithm", func() error {
			_, err := c.Encrypt(ctx, &xksproxy.EncryptInput{ExternalKeyId: "foo", RequestMetadata: testMD, Plaintext: []byte("x"), CiphertextDataIntegrityValueAlgorithm: "MD5"})
			return err
		}, "CiphertextDataIntegrityValueAlgorithm"},
		{"decrypt without ciphertext", func() error {
			_, err := c.Decrypt(ctx, &xksproxy.DecryptInput{ExternalKeyId: "foo", RequestMetadata: testMD, InitializationVector: iv, AuthenticationTag: tag})
			return err
		}, "Ciphertext"},
		{"decrypt with an 8-byte IV", func() error {
			_, err := c.Decrypt(ctx, &xksproxy.DecryptInput{ExternalKeyId: "foo", RequestMetadata: testMD, Ciphertext: []byte("c"), InitializationVector: iv[:8], AuthenticationTag: tag})
			return err
		}, "InitializationVector"},
		{"decrypt with a 12-byte tag", func() error {
			_, err := c.Decrypt(ctx, &xksproxy.DecryptInput{ExternalKeyId: "foo", RequestMetadata: testMD, Ciphertext: []byte("c"), InitializationVector: iv, AuthenticationTag: tag[:12]})
			return err
		}, "AuthenticationTag"},
		{"decrypt with 21 bytes of metadata", func() error {
			_, err := c.Decrypt(ctx, &xksproxy.DecryptInput{ExternalKeyId: "foo", RequestMetadata: testMD, Ciphertext: []byte("c"), InitializationVector: iv, AuthenticationTag: tag, CiphertextMetadata: make([]byte, 21)})
			return err
		}, "CiphertextMetadata"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.call()
			var ie *xksproxy.InputError
			require.ErrorAs(t, err, &ie)
			assert.Equal(t, tt.field, ie.Field)
		})
	}
	assert.Empty(t, srv.requests())
}

// Each operation POSTs JSON to its URI, with the spec's members, signed for
// kms-xks-proxy in the KMS Region.
func TestRequestsOnTheWire(t *testing.T) {
	srv := newCanned(t, 200, `{}`)
	c := srv.client()
	ctx := context.Background()
	_, _ = c.GetHealthStatus(ctx, &xksproxy.GetHealthStatusInput{RequestMetadata: xksproxy.RequestMetadata{
		KmsOperation: "UpdateCustomKeyStore", AwsPrincipalArn: "not sent", KmsKeyArn: "not sent"}})
	_, _ = c.GetKeyMetadata(ctx, &xksproxy.GetKeyMetadataInput{ExternalKeyId: "foo", RequestMetadata: testMD})
	_, _ = c.Encrypt(ctx, &xksproxy.EncryptInput{ExternalKeyId: "foo", RequestMetadata: testMD, Plaintext: []byte("Hello World!"),
		AdditionalAuthenticatedData: []byte("project=nile,department=marketing"), CiphertextDataIntegrityValueAlgorithm: xksproxy.CiphertextDataIntegrityValueAlgorithmSha256})
	_, _ = c.Decrypt(ctx, &xksproxy.DecryptInput{ExternalKeyId: "foo", RequestMetadata: testMD, Ciphertext: []byte{1, 2, 3},
		CiphertextMetadata: []byte("key_version=1"), InitializationVector: make([]byte, 12), AuthenticationTag: make([]byte, 16)})

	got := srv.requests()
	require.Len(t, got, 4)
	wantPaths := []string{testPath + "/health", testPath + "/keys/foo/metadata", testPath + "/keys/foo/encrypt", testPath + "/keys/foo/decrypt"}
	wantMD := []map[string]any{
		{"kmsOperation": "UpdateCustomKeyStore"},
		{"awsPrincipalArn": testMD.AwsPrincipalArn, "kmsKeyArn": testMD.KmsKeyArn, "kmsOperation": "Encrypt", "kmsRequestId": testMD.KmsRequestId},
		{"awsPrincipalArn": testMD.AwsPrincipalArn, "kmsKeyArn": testMD.KmsKeyArn, "kmsOperation": "Encrypt", "kmsRequestId": testMD.KmsRequestId, "kmsViaService": "ebs"},
		{"awsPrincipalArn": testMD.AwsPrincipalArn, "kmsKeyArn": testMD.KmsKeyArn, "kmsOperation": "Encrypt", "kmsRequestId": testMD.KmsRequestId, "kmsViaService": "ebs"},
	}
	uuid := regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
	for i, r := range got {
		assert.Equal(t, http.MethodPost, r.req.Method)
		assert.Equal(t, wantPaths[i], r.req.URL.Path)
		assert.Equal(t, "application/json", r.req.Header.Get("Content-Type"))
		a, err := sigv4check.Verify(r.req, r.body, aws.Credentials{AccessKeyID: testAKID, SecretAccessKey: testSecret}, "host", "x-amz-date")
		require.NoError(t, err, "request %d", i)
		assert.Equal(t, "kms-xks-proxy", a.Service)
		assert.Equal(t, testRegion, a.Region)
		body := jsonBody(t, r.body)
		md := body["requestMetadata"].(map[string]any)
		if i == 0 {
			assert.Regexp(t, uuid, md["kmsRequestId"], "a generated kmsRequestId")
			delete(md, "kmsRequestId")
		}
		assert.Equal(t, wantMD[i], md, "request %d", i)
		assert.NotContains(t, string(r.body), "\n", "one line of JSON")
	}
	enc := jsonBody(t, got[2].body)
	assert.Equal(t, base64.StdEncoding.EncodeToString([]byte("Hello World!")), enc["plaintext"])
	assert.Equal(t, "cHJvamVjdD1uaWxlLGRlcGFydG1lbnQ9bWFya2V0aW5n", enc["additionalAuthenticatedData"])
	assert.Equal(t, "AES_GCM", enc["encryptionAlgorithm"])
	assert.Equal(t, "SHA_256", enc["ciphertextDataIntegrityValueAlgorithm"])
	dec := jsonBody(t, got[3].body)
	assert.Equal(t, "AQID", dec["ciphertext"])
	assert.Equal(t, "a2V5X3ZlcnNpb249MQ==", dec["ciphertextMetadata"])
	assert.Equal(t, "AAAAAAAAAAAAAAAA", dec["initializationVector"])
	assert.Equal(t, "AAAAAAAAAAAAAAAAAAAAAA==", dec["authenticationTag"])
	assert.Equal(t, "AES_GCM", dec["encryptionAlgorithm"])
	assert.NotContains(t, dec, "additionalAuthenticatedData", "absent AAD is not sent")
}

// Per-call options change a copy of the client's options.
func TestPerCallOptions(t *testing.T) {
	srv := newCanned(t, 200, `{}`)
	c := srv.client()
	_, _ = c.GetHealthStatus(context.Background(), &xksproxy.GetHealthStatusInput{RequestMetadata: testMD},
		func(o *xksproxy.Options) { o.Region = "eu-west-1" })
	_, _ = c.GetHealthStatus(context.Background(), &xksproxy.GetHealthStatusInput{RequestMetadata: testMD})
	got := srv.requests()
	require.Len(t, got, 2)
	a0, err := sigv4check.Parse(got[0].req.Header.Get("Authorization"))
	require.NoError(t, err)
	a1, err := sigv4check.Parse(got[1].req.Header.Get("Authorization"))
	require.NoError(t, err)
	assert.Equal(t, "eu-west-1", a0.Region)
	assert.Equal(t, testRegion, a1.Region)
	assert.Equal(t, testRegion, c.Options().Region)
}

// TestNilOptionFuncsAreSkipped: a nil func among the option funcs of New
// or of a call is skipped, as kms.New does; the funcs around it still
// apply, and nothing panics.
func TestNilOptionFuncsAreSkipped(t *testing.T) {
	srv := newCanned(t, 200, `{"keySpec":"AES_256","keyUsage":["ENCRYPT","DECRYPT"],"keyStatus":"ENABLED"}`)
	eu := func(o *xksproxy.Options) { o.Region = "eu-west-1" }
	ctx := context.Background()
	in := &xksproxy.GetKeyMetadataInput{ExternalKeyId: "foo", RequestMetadata: testMD}
	tests := []struct {
		name       string
		newFns     []func(*xksproxy.Options)
		callFns    []func(*xksproxy.Options)
		wantRegion string
	}{
		{"New: one nil", []func(*xksproxy.Options){nil}, nil, testRegion},
		{"New: nil before a func", []func(*xksproxy.Options){nil, eu}, nil, "eu-west-1"},
		{"New: nil after a func", []func(*xksproxy.Options){eu, nil}, nil, "eu-west-1"},
		{"call: one nil", nil, []func(*xksproxy.Options){nil}, testRegion},
		{"call: nil between funcs", nil, []func(*xksproxy.Options){nil, eu, nil}, "eu-west-1"},
		{"both", []func(*xksproxy.Options){nil}, []func(*xksproxy.Options){nil}, testRegion},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := srv.client(tt.newFns...)
			var out *xksproxy.GetKeyMetadataOutput
			var err error
			require.NotPanics(t, func() { out, err = c.GetKeyMetadata(ctx, in, tt.callFns...) })
			require.NoError(t, err)
			assert.Equal(t, xksproxy.KeySpecAes256, out.KeySpec)
			got := srv.requests()
			a, err := sigv4check.Parse(got[len(got)-1].req.Header.Get("Authorization"))
			require.NoError(t, err)
			assert.Equal(t, tt.wantRegion, a.Region)
		})
	}
	// Every call skips a nil func.
	c := srv.client()
	nilFn := []func(*xksproxy.Options){nil}
	require.NotPanics(t, func() {
		_, _ = c.GetHealthStatus(ctx, &xksproxy.GetHealthStatusInput{RequestMetadata: testMD}, nilFn...)
		_, _ = c.Encrypt(ctx, &xksproxy.EncryptInput{ExternalKeyId: "foo", RequestMetadata: testMD, Plaintext: []byte("p")}, nilFn...)
		_, _ = c.Decrypt(ctx, &xksproxy.DecryptInput{ExternalKeyId: "foo", RequestMetadata: testMD, Ciphertext: []byte("c"),
			InitializationVector: make([]byte, 12), AuthenticationTag: make([]byte, 16)}, nilFn...)
	})
	assert.Len(t, srv.requests(), len(tests)+3, "each call was sent")
}

// The signing clock is the one in Options.
func TestSigningClock(t *testing.T) {
	srv := newCanned(t, 200, `{}`)
	at := time.Date(2021, 10, 9, 12, 0, 0, 0, time.UTC)
	c := srv.client(func(o *xksproxy.Options) { o.Clock = func() time.Time { return at } })
	_, _ = c.GetHealthStatus(context.Background(), &xksproxy.GetHealthStatusInput{RequestMetadata: testMD})
	got := srv.requests()
	require.Len(t, got, 1)
	assert.Equal(t, "20211009T120000Z", got[0].req.Header.Get("X-Amz-Date"))
}

// Each output reports how long the call took.
func TestLatencyIsReported(t *testing.T) {
	const delay = 30 * time.Millisecond
	srv := newCannedFunc(t, func(w http.ResponseWriter, _ *http.Request) {
		time.Sleep(delay)
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"keySpec":"AES_256","keyUsage":["ENCRYPT","DECRYPT"],"keyStatus":"ENABLED"}`))
	})
	out, err := srv.client().GetKeyMetadata(context.Background(), &xksproxy.GetKeyMetadataInput{ExternalKeyId: "foo", RequestMetadata: testMD})
	require.NoError(t, err)
	assert.GreaterOrEqual(t, out.Latency, delay)
	assert.Equal(t, xksproxy.KeySpecAes256, out.KeySpec)
	assert.Equal(t, []xksproxy.KeyUsage{xksproxy.KeyUsageEncrypt, xksproxy.KeyUsageDecrypt}, out.KeyUsage)
	assert.Equal(t, xksproxy.KeyStatusEnabled, out.KeyStatus)
}

// newHangingServer starts a server that answers only once the client gives
// up (or the test ends).
func newHangingServer(t *testing.T) *canned {
	release := make(chan struct{})
	srv := newCannedFunc(t, func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	})
	t.Cleanup(func() { close(release) }) // runs before the server closes
	return srv
}

// A canceled context stops the call and is reported as such.
func TestContextCancel(t *testing.T) {
	srv := newHangingServer(t)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	_, err := srv.client().GetHealthStatus(ctx, &xksproxy.GetHealthStatusInput{RequestMetadata: testMD})
	require.ErrorIs(t, err, context.DeadlineExceeded)
	assert.Contains(t, err.Error(), "xksproxy: GetHealthStatus")
}

// A transport error whose text holds a piece of the credential longer than
// half of it (here the path shares one with the secret) has that piece
// scrubbed, and still matches its cause, so callers (and kmstest's
// connection outcome) can classify it.
func TestTransportErrorScrubbedAndStillClassified(t *testing.T) {
	srv := newHangingServer(t)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	piece := testSecret[:24]
	c := srv.client(func(o *xksproxy.Options) { o.UriPath = "/" + piece + "/kms/xks/v1" })
	_, err := c.GetHealthStatus(ctx, &xksproxy.GetHealthStatusInput{RequestMetadata: testMD})
	require.ErrorIs(t, err, context.DeadlineExceeded)
	var ne net.Error
	require.ErrorAs(t, err, &ne)
	assert.True(t, ne.Timeout())
	assert.NotContains(t, err.Error(), piece)
	assert.Contains(t, err.Error(), "[REDACTED]")
	for _, s := range echotest.ErrorTexts(err) {
		assert.NotContains(t, s, piece, "nothing it unwraps to holds the echo")
	}
}

// The default HTTP client follows no redirect, needs TLS 1.2 and the
// system's roots, and has timeouts.
func TestDefaultHTTPClient(t *testing.T) {
	hc := xksproxy.DefaultHTTPClient()
	require.NotNil(t, hc.CheckRedirect)
	assert.Equal(t, http.ErrUseLastResponse, hc.CheckRedirect(nil, nil))
	assert.Positive(t, hc.Timeout)
	tr := hc.Transport.(*http.Transport)
	assert.Equal(t, uint16(tls.VersionTLS12), tr.TLSClientConfig.MinVersion)
	assert.Nil(t, tr.TLSClientConfig.RootCAs, "system roots")
	assert.Positive(t, tr.TLSHandshakeTimeout)
	assert.Positive(t, tr.ResponseHeaderTimeout)

	// A self-signed proxy is refused, as KMS refuses it.
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer srv.Close()
	c := xksproxy.New(xksproxy.Options{Endpoint: srv.URL, UriPath: testPath, Region: testRegion, Credential: testCred})
	_, err := c.GetHealthStatus(context.Background(), &xksproxy.GetHealthStatusInput{RequestMetadata: testMD})
	require.Error(t, err)
	var unknownCA x509.UnknownAuthorityError
	assert.ErrorAs(t, err, &unknownCA)
}

// A request URI over the specification's 256 characters is refused before
// sending.
func TestURITooLong(t *testing.T) {
	srv := newCanned(t, 200, `{}`)
	c := srv.client(func(o *xksproxy.Options) { o.UriPath = "/" + strings.Repeat("p", 100) + "/kms/xks/v1" })
	_, err := c.GetKeyMetadata(context.Background(), &xksproxy.GetKeyMetadataInput{ExternalKeyId: strings.Repeat("k", 128), RequestMetadata: testMD})
	var ie *xksproxy.InputError
	require.ErrorAs(t, err, &ie)
	assert.Equal(t, "URI", ie.Field)
	assert.Contains(t, ie.Rule, "at most 256")
	assert.Empty(t, srv.requests())
	_, err = c.GetKeyMetadata(context.Background(), &xksproxy.GetKeyMetadataInput{ExternalKeyId: "short", RequestMetadata: testMD})
	assert.NotErrorAs(t, err, &ie)
	assert.Len(t, srv.requests(), 1)
}

// TestBadReceiversAndArguments: every exported method of *Client, called
// on a nil or zero-value *Client, with a nil context or with a nil input,
// returns an *InputError naming what is wrong (or, for the methods without
// an error, a zero result): nothing panics and nothing is sent.
func TestBadReceiversAndArguments(t *testing.T) {
	srv := newCanned(t, 200, `{}`)
	good := srv.client()
	calls := map[string]func(c *xksproxy.Client, ctx context.Context, nilInput bool) error{
		"GetHealthStatus": func(c *xksproxy.Client, ctx context.Context, nilInput bool) error {
			in := &xksproxy.GetHealthStatusInput{RequestMetadata: testMD}
			if nilInput {
				in = nil
			}
			_, err := c.GetHealthStatus(ctx, in)
			return err
		},
		"GetKeyMetadata": func(c *xksproxy.Client, ctx context.Context, nilInput bool) error {
			in := &xksproxy.GetKeyMetadataInput{ExternalKeyId: "foo", RequestMetadata: testMD}
			if nilInput {
				in = nil
			}
			_, err := c.GetKeyMetadata(ctx, in)
			return err
		},
		"Encrypt": func(c *xksproxy.Client, ctx context.Context, nilInput bool) error {
			in := &xksproxy.EncryptInput{ExternalKeyId: "foo", RequestMetadata: testMD, Plaintext: []byte("p")}
			if nilInput {
				in = nil
			}
			_, err := c.Encrypt(ctx, in)
			return err
		},
		"Decrypt": func(c *xksproxy.Client, ctx context.Context, nilInput bool) error {
			in := &xksproxy.DecryptInput{ExternalKeyId: "foo", RequestMetadata: testMD, Ciphertext: []byte("c"),
				InitializationVector: make([]byte, 12), AuthenticationTag: make([]byte, 16)}
			if nilInput {
				in = nil
			}
			_, err := c.Decrypt(ctx, in)
			return err
		},
	}
	noError := map[string]func(c *xksproxy.Client){
		"Options":  func(c *xksproxy.Client) { assert.Empty(t, c.Options().Endpoint) },
		"String":   func(c *xksproxy.Client) { assert.NotEmpty(t, c.String()) },
		"GoString": func(c *xksproxy.Client) { assert.NotEmpty(t, c.GoString()) },
		"Format":   func(c *xksproxy.Client) { assert.NotEmpty(t, fmt.Sprintf("%v %+v %#v %s %q %x", c, c, c, c, c, c)) },
		"LogValue": func(c *xksproxy.Client) { _ = c.LogValue().String() },
		"GobEncode": func(c *xksproxy.Client) {
			_, err := c.GobEncode()
			assert.ErrorContains(t, err, "refusing to encode a secret")
		},
	}
	var methods []string
	typ := reflect.TypeOf(good)
	for i := range typ.NumMethod() {
		methods = append(methods, typ.Method(i).Name)
	}
	var covered []string
	for name := range calls {
		covered = append(covered, name)
	}
	for name := range noError {
		covered = append(covered, name)
	}
	slices.Sort(covered)
	require.Equal(t, methods, covered, "every exported method of *Client is in the table")

	var nilClient *xksproxy.Client
	ctx := context.Background()
	for name, call := range calls {
		for _, tc := range []struct {
			what     string
			c        *xksproxy.Client
			ctx      context.Context
			nilInput bool
			field    string
		}{
			{"nil client", nilClient, ctx, false, "Client"},
			{"zero client", &xksproxy.Client{}, ctx, false, "Client"},
			{"nil context", good, nil, false, "ctx"},
			{"nil client and context", nilClient, nil, false, "Client"},
			{"nil input", good, ctx, true, map[bool]string{true: "RequestMetadata.KmsOperation", false: "ExternalKeyId"}[name == "GetHealthStatus"]},
		} {
			t.Run(name+"/"+tc.what, func(t *testing.T) {
				var err error
				require.NotPanics(t, func() { err = call(tc.c, tc.ctx, tc.nilInput) })
				var ie *xksproxy.InputError
				require.ErrorAs(t, err, &ie)
				assert.Equal(t, tc.field, ie.Field)
				assert.Contains(t, err.Error(), tc.field)
			})
		}
	}
	for name, call := range noError {
		for what, c := range map[string]*xksproxy.Client{"nil client": nilClient, "zero client": {}} {
			t.Run(name+"/"+what, func(t *testing.T) {
				require.NotPanics(t, func() { call(c) })
			})
		}
	}
	assert.Empty(t, srv.requests())

	// The error types' methods do not panic on nil receivers either.
	var e *xksproxy.Error
	var me *xksproxy.MalformedResponseError
	var ie *xksproxy.InputError
	require.NotPanics(t, func() {
		_, _, _, _, _ = e.Error(), e.ErrorCode(), e.ErrorMessage(), e.ErrorFault(), e.HTTPStatusCode()
		_ = e.Is(xksproxy.ErrKeyNotFound)
		_, _ = me.Error(), me.Is(xksproxy.ErrMalformedResponse)
		_ = ie.Error()
	})
}

// TestTransportErrorsUnwrapToNoEcho: a malformed reply that echoes the
// access key ID makes net/http return a *url.Error quoting it; the error
// the client returns is scrubbed down its whole chain, so errors.As never
// yields that *url.Error and nothing it unwraps to holds the echo (today:
// the raw *url.Error).
func TestTransportErrorsUnwrapToNoEcho(t *testing.T) {
	cases := echotest.MalformedReplies(testAKID)
	for name, reply := range cases {
		t.Run(name, func(t *testing.T) {
			tr := &http.Transport{}
			t.Cleanup(tr.CloseIdleConnections)
			c := xksproxy.New(xksproxy.Options{Endpoint: echotest.RawServer(t, reply), UriPath: testPath, Region: testRegion, Credential: testCred,
				HTTPClient: &http.Client{Transport: tr}})
			_, err := c.GetHealthStatus(context.Background(), &xksproxy.GetHealthStatusInput{RequestMetadata: testMD})
			require.Error(t, err)
			assert.Contains(t, err.Error(), "[REDACTED]")
			for _, s := range echotest.ErrorTexts(err) {
				assert.NotContains(t, s, testAKID)
			}
			var urlErr *url.Error
			if errors.As(err, &urlErr) {
				assert.NotContains(t, urlErr.Error(), testAKID)
			}
		})
	}
}
