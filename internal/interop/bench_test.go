package interop

// Benchmarks of our client next to aws-sdk-go-v2/service/kms and next to
// hand-written floors. `make bench` runs them all in one invocation and
// writes BENCHMARKS.md; the names below are what that report looks for.
//
//	ClientOnly/*  the client alone: an HTTPClient that answers a canned
//	              200 "{}" without any network, full XKS input.
//	Loopback/*    end to end against one httptest server on loopback.
//	ErrorPath/*   a canned 400 CustomKeyStoreInvalidStateException, decoded.
//	Parallel/*    Loopback with b.RunParallel.

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws/retry"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	awstypes "github.com/aws/aws-sdk-go-v2/service/kms/types"

	"github.com/kmskit/kms"
)

// cannedClient answers every request with the same response, without any
// network. It reads the request body, as a transport would.
type cannedClient struct {
	status int
	header http.Header // shared, read-only
	body   string
}

func (c *cannedClient) Do(r *http.Request) (*http.Response, error) {
	if r.Body != nil {
		_, _ = io.Copy(io.Discard, r.Body)
		_ = r.Body.Close()
	}
	return &http.Response{
		Status:        http.StatusText(c.status),
		StatusCode:    c.status,
		Proto:         "HTTP/1.1",
		ProtoMajor:    1,
		ProtoMinor:    1,
		Header:        c.header,
		Body:          io.NopCloser(strings.NewReader(c.body)),
		ContentLength: int64(len(c.body)),
		Request:       r,
	}, nil
}

func cannedOK() *cannedClient {
	return &cannedClient{status: http.StatusOK, body: "{}", header: http.Header{
		"Content-Type":     {"application/x-amz-json-1.1"},
		"X-Amzn-Requestid": {"5f6a6d2e-4c3b-4d3e-9a7b-1c2d3e4f5a6b"},
		"Content-Length":   {"2"},
	}}
}

const invalidStateBody = `{"__type":"CustomKeyStoreInvalidStateException","message":"Custom key store cks-1234567890abcdef0 is CONNECTED; disconnect it first."}`

func cannedInvalidState() *cannedClient {
	return &cannedClient{status: http.StatusBadRequest, body: invalidStateBody, header: http.Header{
		"Content-Type":     {"application/x-amz-json-1.1"},
		"X-Amzn-Requestid": {"5f6a6d2e-4c3b-4d3e-9a7b-1c2d3e4f5a6b"},
		"Content-Length":   {fmt.Sprint(len(invalidStateBody))},
	}}
}

// floorInput is what a hand-written client would marshal: encoding/json
// with omitempty pointers.
type floorInput struct {
	CloudHsmClusterId                *string             `json:",omitempty"`
	CustomKeyStoreId                 *string             `json:",omitempty"`
	KeyStorePassword                 *string             `json:",omitempty"`
	NewCustomKeyStoreName            *string             `json:",omitempty"`
	XksProxyAuthenticationCredential *floorXksCredential `json:",omitempty"`
	XksProxyConnectivity             string              `json:",omitempty"`
	XksProxyUriEndpoint              *string             `json:",omitempty"`
	XksProxyUriPath                  *string             `json:",omitempty"`
	XksProxyVpcEndpointServiceName   *string             `json:",omitempty"`
	XksProxyVpcEndpointServiceOwner  *string             `json:",omitempty"`
}

type floorXksCredential struct {
	AccessKeyId        *string `json:",omitempty"`
	RawSecretAccessKey *string `json:",omitempty"`
}

func toFloor(in *kms.UpdateCustomKeyStoreInput) *floorInput {
	f := &floorInput{
		CloudHsmClusterId:               in.CloudHsmClusterId,
		CustomKeyStoreId:                in.CustomKeyStoreId,
		KeyStorePassword:                in.KeyStorePassword,
		NewCustomKeyStoreName:           in.NewCustomKeyStoreName,
		XksProxyConnectivity:            string(in.XksProxyConnectivity),
		XksProxyUriEndpoint:             in.XksProxyUriEndpoint,
		XksProxyUriPath:                 in.XksProxyUriPath,
		XksProxyVpcEndpointServiceName:  in.XksProxyVpcEndpointServiceName,
		XksProxyVpcEndpointServiceOwner: in.XksProxyVpcEndpointServiceOwner,
	}
	if c := in.XksProxyAuthenticationCredential; c != nil {
		f.XksProxyAuthenticationCredential = &floorXksCredential{AccessKeyId: c.AccessKeyId, RawSecretAccessKey: c.RawSecretAccessKey}
	}
	return f
}

// floor is the least a client can do: marshal, build the request, sign it
// with aws/signer/v4 (unless nosign), send it, drain and close the body.
type floor struct {
	url    string
	hc     kms.HTTPClient
	signer *v4.Signer
	nosign bool
}

func (f *floor) call(ctx context.Context, in *floorInput) error {
	body, err := json.Marshal(in)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, f.url, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	req.Header.Set("X-Amz-Target", "TrentService.UpdateCustomKeyStore")
	if !f.nosign {
		sum := sha256.Sum256(body)
		if err := f.signer.SignHTTP(ctx, testCreds, req, hex.EncodeToString(sum[:]), "kms", testRegion, time.Now().UTC()); err != nil {
			return err
		}
	}
	resp, err := f.hc.Do(req)
	if err != nil {
		return err
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("floor: status %d", resp.StatusCode)
	}
	return nil
}

// signOnly is the marshal + sign floor without any HTTP exchange.
func (f *floor) signOnly(ctx context.Context, in *floorInput) error {
	body, err := json.Marshal(in)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, f.url, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	req.Header.Set("X-Amz-Target", "TrentService.UpdateCustomKeyStore")
	sum := sha256.Sum256(body)
	return f.signer.SignHTTP(ctx, testCreds, req, hex.EncodeToString(sum[:]), "kms", testRegion, time.Now().UTC())
}

// newTransport is the same pooled transport for every client, with enough
// idle connections per host for the parallel benchmarks.
func newTransport() *http.Client {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConns = 100
	t.MaxIdleConnsPerHost = 100
	return &http.Client{Transport: t}
}

// callers returns one call function per client, each sending the full XKS
// input to url through its own hc.
func callers(b *testing.B, url string, hc func() kms.HTTPClient) map[string]func(context.Context) error {
	in := fullXksInput()
	awsIn := toOfficial(in)
	fin := toFloor(in)
	ours := newOurs(url, hc(), retry.NewStandard())
	official := newOfficial(url, hc(), retry.NewStandard())
	signing := &floor{url: url, hc: hc(), signer: v4.NewSigner()}
	nosign := &floor{url: url, hc: hc(), nosign: true}
	m := map[string]func(context.Context) error{
		"ours": func(ctx context.Context) error {
			_, err := ours.UpdateCustomKeyStore(ctx, in)
			return err
		},
		"official": func(ctx context.Context) error {
			_, err := official.UpdateCustomKeyStore(ctx, awsIn)
			return err
		},
		"floor-sign":   func(ctx context.Context) error { return signing.call(ctx, fin) },
		"floor-nosign": func(ctx context.Context) error { return nosign.call(ctx, fin) },
	}
	for name, call := range m {
		if err := call(context.Background()); err != nil {
			b.Fatalf("%s: %v", name, err)
		}
	}
	return m
}

func runSeq(b *testing.B, call func(context.Context) error) {
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := call(ctx); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkClientOnly is the cost of the client alone.
func BenchmarkClientOnly(b *testing.B) {
	const url = "https://kms.us-east-1.amazonaws.com/"
	calls := callers(b, url, func() kms.HTTPClient { return cannedOK() })
	for _, name := range []string{"ours", "official"} {
		b.Run(name, func(b *testing.B) { runSeq(b, calls[name]) })
	}
	in := toFloor(fullXksInput())
	f := &floor{url: url, signer: v4.NewSigner()}
	b.Run("floor-marshal-sign", func(b *testing.B) {
		runSeq(b, func(ctx context.Context) error { return f.signOnly(ctx, in) })
	})
	b.Run("floor-marshal", func(b *testing.B) {
		runSeq(b, func(context.Context) error {
			_, err := json.Marshal(in)
			return err
		})
	})
}

func newLoopbackServer(b *testing.B) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		w.Header().Set("X-Amzn-Requestid", "5f6a6d2e-4c3b-4d3e-9a7b-1c2d3e4f5a6b")
		_, _ = io.WriteString(w, "{}")
	}))
	b.Cleanup(srv.Close)
	return srv
}

// BenchmarkLoopback is end to end on loopback.
func BenchmarkLoopback(b *testing.B) {
	srv := newLoopbackServer(b)
	calls := callers(b, srv.URL, func() kms.HTTPClient { return newTransport() })
	for _, name := range []string{"ours", "official", "floor-sign", "floor-nosign"} {
		b.Run(name, func(b *testing.B) { runSeq(b, calls[name]) })
	}
}

// BenchmarkErrorPath decodes a 400 CustomKeyStoreInvalidStateException.
func BenchmarkErrorPath(b *testing.B) {
	const url = "https://kms.us-east-1.amazonaws.com/"
	in := fullXksInput()
	awsIn := toOfficial(in)
	ours := newOurs(url, cannedInvalidState(), retry.NewStandard())
	official := newOfficial(url, cannedInvalidState(), retry.NewStandard())
	ctx := context.Background()
	if _, err := ours.UpdateCustomKeyStore(ctx, in); !errors.Is(err, kms.ErrCustomKeyStoreInvalidState) {
		b.Fatalf("ours: %v", err)
	}
	var typed *awstypes.CustomKeyStoreInvalidStateException
	if _, err := official.UpdateCustomKeyStore(ctx, awsIn); !errors.As(err, &typed) {
		b.Fatalf("official: %v", err)
	}
	b.Run("ours", func(b *testing.B) {
		runSeq(b, func(ctx context.Context) error {
			if _, err := ours.UpdateCustomKeyStore(ctx, in); err == nil {
				return errors.New("ours: no error")
			}
			return nil
		})
	})
	b.Run("official", func(b *testing.B) {
		runSeq(b, func(ctx context.Context) error {
			if _, err := official.UpdateCustomKeyStore(ctx, awsIn); err == nil {
				return errors.New("official: no error")
			}
			return nil
		})
	})
}

// BenchmarkParallel is Loopback with concurrent callers sharing one client.
func BenchmarkParallel(b *testing.B) {
	srv := newLoopbackServer(b)
	calls := callers(b, srv.URL, func() kms.HTTPClient { return newTransport() })
	for _, name := range []string{"ours", "official", "floor-sign"} {
		call := calls[name]
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				ctx := context.Background()
				for pb.Next() {
					if err := call(ctx); err != nil {
						b.Error(err)
						return
					}
				}
			})
		})
	}
}
