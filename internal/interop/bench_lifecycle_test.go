package interop

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	awskms "github.com/aws/aws-sdk-go-v2/service/kms"

	"github.com/kmskit/kms"
)

// cannedBody answers every request with 200 and body.
func cannedBody(body string) *cannedClient {
	return &cannedClient{status: http.StatusOK, body: body, header: http.Header{
		"Content-Type":     {"application/x-amz-json-1.1"},
		"X-Amzn-Requestid": {"5f6a6d2e-4c3b-4d3e-9a7b-1c2d3e4f5a6b"},
		"Content-Length":   {fmt.Sprint(len(body))},
	}}
}

// describeBody is a page of n stores, half CloudHSM and half external.
func describeBody(n int) string {
	var b strings.Builder
	b.WriteString(`{"CustomKeyStores":[`)
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		if i%2 == 0 {
			fmt.Fprintf(&b, `{"CloudHsmClusterId":"cluster-234abcdefghij","ConnectionState":"CONNECTED","CreationDate":1.700000000123E9,"CustomKeyStoreId":"cks-%017x","CustomKeyStoreName":"hsm-%d","CustomKeyStoreType":"AWS_CLOUDHSM","TrustAnchorCertificate":"%s"}`, i, i, trustAnchor)
		} else {
			fmt.Fprintf(&b, `{"ConnectionState":"FAILED","ConnectionErrorCode":"XKS_PROXY_TIMED_OUT","CreationDate":1700000001,"CustomKeyStoreId":"cks-%017x","CustomKeyStoreName":"xks-%d","CustomKeyStoreType":"EXTERNAL_KEY_STORE","XksProxyConfiguration":{"AccessKeyId":"ABCDEFGHIJKLMNOPQRST","Connectivity":"PUBLIC_ENDPOINT","UriEndpoint":"https://p.example.com","UriPath":"/kms/xks/v1"}}`, i, i)
		}
	}
	b.WriteString(`],"NextMarker":"next","Truncated":true}`)
	return strings.ReplaceAll(b.String(), "\n", `\n`)
}

// BenchmarkLifecycleClientOnly is the cost of each lifecycle operation's
// client alone (canned answers, no network), ours against aws-sdk-go-v2.
func BenchmarkLifecycleClientOnly(b *testing.B) {
	const url = "https://kms.us-east-1.amazonaws.com/"
	id := aws.String(storeID)
	type pair struct {
		body     string
		ours     func(ctx context.Context, c *kms.Client) error
		official func(ctx context.Context, c *awskms.Client) error
	}
	xks := xksCreateInput(kms.XksProxyConnectivityTypeVpcEndpointService)
	pairs := map[string]pair{
		"Create": {`{"CustomKeyStoreId":"cks-1234567890abcdef0"}`,
			func(ctx context.Context, c *kms.Client) error { _, err := c.CreateCustomKeyStore(ctx, xks); return err },
			func(ctx context.Context, c *awskms.Client) error {
				_, err := c.CreateCustomKeyStore(ctx, createToOfficial(xks))
				return err
			}},
		"Describe10": {describeBody(10),
			func(ctx context.Context, c *kms.Client) error {
				_, err := c.DescribeCustomKeyStores(ctx, nil)
				return err
			},
			func(ctx context.Context, c *awskms.Client) error {
				_, err := c.DescribeCustomKeyStores(ctx, nil)
				return err
			}},
		"Connect": {`{}`,
			func(ctx context.Context, c *kms.Client) error {
				_, err := c.ConnectCustomKeyStore(ctx, &kms.ConnectCustomKeyStoreInput{CustomKeyStoreId: id})
				return err
			},
			func(ctx context.Context, c *awskms.Client) error {
				_, err := c.ConnectCustomKeyStore(ctx, &awskms.ConnectCustomKeyStoreInput{CustomKeyStoreId: id})
				return err
			}},
		"Disconnect": {`{}`,
			func(ctx context.Context, c *kms.Client) error {
				_, err := c.DisconnectCustomKeyStore(ctx, &kms.DisconnectCustomKeyStoreInput{CustomKeyStoreId: id})
				return err
			},
			func(ctx context.Context, c *awskms.Client) error {
				_, err := c.DisconnectCustomKeyStore(ctx, &awskms.DisconnectCustomKeyStoreInput{CustomKeyStoreId: id})
				return err
			}},
		"Delete": {`{}`,
			func(ctx context.Context, c *kms.Client) error {
				_, err := c.DeleteCustomKeyStore(ctx, &kms.DeleteCustomKeyStoreInput{CustomKeyStoreId: id})
				return err
			},
			func(ctx context.Context, c *awskms.Client) error {
				_, err := c.DeleteCustomKeyStore(ctx, &awskms.DeleteCustomKeyStoreInput{CustomKeyStoreId: id})
				return err
			}},
	}
	for _, op := range []string{"Create", "Describe10", "Connect", "Disconnect", "Delete"} {
		p := pairs[op]
		ours := newOurs(url, cannedBody(p.body), retry.NewStandard())
		official := newOfficial(url, cannedBody(p.body), retry.NewStandard())
		b.Run(op+"/ours", func(b *testing.B) {
			runSeq(b, func(ctx context.Context) error { return p.ours(ctx, ours) })
		})
		b.Run(op+"/official", func(b *testing.B) {
			runSeq(b, func(ctx context.Context) error { return p.official(ctx, official) })
		})
	}
}
