package kmstest_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/stretchr/testify/require"

	"github.com/kmskit/kms/kmstest"
	"github.com/kmskit/kms/xksproxy"
)

const (
	xksAKID     = "ABCDE12345FGHIJ67890"
	xksSecret   = "c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3JldA"
	xksAKID2    = "ZYXWV23456UTSRQ76543"
	xksSecret2  = "bmV3LXNlY3JldC1uZXctc2VjcmV0LW5ldy1zZWNyZXQtMQ"
	xksPrefix   = "/example/uri/path/prefix"
	xksURIPath  = xksPrefix + "/kms/xks/v1"
	xksRegion   = "us-east-1"
	xksEndpoint = "https://xks.example.com"
)

var (
	xksCred  = kmstest.XksCredential{AccessKeyID: xksAKID, SecretAccessKey: xksSecret}
	xksCred2 = kmstest.XksCredential{AccessKeyID: xksAKID2, SecretAccessKey: xksSecret2}
	xksMD    = xksproxy.RequestMetadata{
		AwsPrincipalArn: "arn:aws:iam::123456789012:user/Alice",
		KmsKeyArn:       "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
		KmsOperation:    "Encrypt",
	}
)

// newTestXksProxy starts the proxy of the compliance tests: the standalone
// command's example keys, one credential, the example prefix.
func newTestXksProxy(t *testing.T, opts ...kmstest.XksOption) *kmstest.XksProxyServer {
	t.Helper()
	all := append([]kmstest.XksOption{
		kmstest.WithXksEndpoint(xksEndpoint),
		kmstest.WithXksURIPrefix(xksPrefix),
		kmstest.WithXksCredentials(xksCred),
		kmstest.WithXksKeys(
			kmstest.XksKey{ID: "foo"},
			kmstest.XksKey{ID: "encrypt_only_key", KeyUsage: []string{"ENCRYPT"}},
			kmstest.XksKey{ID: "decrypt_only_key", KeyUsage: []string{"DECRYPT"}},
			kmstest.XksKey{ID: "impotent_key", KeyUsage: []string{}},
			kmstest.XksKey{ID: "disabled_key", KeyStatus: "DISABLED"},
		),
	}, opts...)
	p := kmstest.NewXksProxyServer(all...)
	t.Cleanup(p.Close)
	return p
}

// xksClient returns an xksproxy client for p with cred and uriPath.
func xksClient(p *kmstest.XksProxyServer, cred kmstest.XksCredential, uriPath string) *xksproxy.Client {
	return xksproxy.New(xksproxy.Options{
		Endpoint: p.URL, UriPath: uriPath, Region: xksRegion,
		Credential: xksproxy.Credential{AccessKeyID: cred.AccessKeyID, SecretAccessKey: cred.SecretAccessKey},
		HTTPClient: p.Client(),
	})
}

// rawRequest is a request the xksproxy client cannot make.
type rawRequest struct {
	method      string
	path        string
	body        string
	contentType string // "" means application/json; "-" means none
	cred        *kmstest.XksCredential
	service     string    // "" means kms-xks-proxy
	at          time.Time // zero means now
	signed      string    // which headers to sign: "kms" (host;x-amz-date), "curl" (+content-type), "sdk" (+content-length), "none"
	tamper      func(*http.Request)
}

// rawResponse is what came back.
type rawResponse struct {
	status int
	header http.Header
	body   []byte
}

// send signs and sends r to p.
func (r rawRequest) send(t *testing.T, p *kmstest.XksProxyServer) rawResponse {
	t.Helper()
	if r.method == "" {
		r.method = http.MethodPost
	}
	req, err := http.NewRequestWithContext(context.Background(), r.method, p.URL+r.path, bytes.NewReader([]byte(r.body)))
	require.NoError(t, err)
	cred := xksCred
	if r.cred != nil {
		cred = *r.cred
	}
	service := r.service
	if service == "" {
		service = "kms-xks-proxy"
	}
	at := r.at
	if at.IsZero() {
		at = time.Now()
	}
	ct := r.contentType
	if ct == "" {
		ct = "application/json"
	}
	signCT := r.signed == "curl" || r.signed == "sdk"
	if signCT && ct != "-" {
		req.Header.Set("Content-Type", ct)
	}
	if r.signed != "sdk" {
		req.ContentLength = 0 // not signed, as KMS and curl do
	}
	if r.signed != "none" {
		sum := sha256.Sum256([]byte(r.body))
		require.NoError(t, v4.NewSigner().SignHTTP(context.Background(),
			aws.Credentials{AccessKeyID: cred.AccessKeyID, SecretAccessKey: cred.SecretAccessKey},
			req, hex.EncodeToString(sum[:]), service, xksRegion, at))
	}
	req.ContentLength = int64(len(r.body))
	if !signCT && ct != "-" {
		req.Header.Set("Content-Type", ct)
	}
	if r.tamper != nil {
		r.tamper(req)
	}
	res, err := p.Client().Do(req)
	require.NoError(t, err)
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	require.NoError(t, err)
	return rawResponse{res.StatusCode, res.Header, b}
}
