package interop

import (
	"context"
	"io"
	"net/http"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	awskms "github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/aws/smithy-go/middleware"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kmskit/kms"
)

// describeShapes are the DescribeCustomKeyStores response shapes a client
// meets: an empty and a missing listing, every store type, connectivity
// and state, ConnectionErrorCode, timestamps as integers, fractions and
// exponents, values KMS may add later, unknown members, null and absent
// members, escapes and non-ASCII strings, truncated pages.
var describeShapes = map[string]string{
	"empty body":    ``,
	"empty object":  `{}`,
	"empty listing": `{"CustomKeyStores":[],"Truncated":false}`,
	"null listing":  `{"CustomKeyStores":null,"NextMarker":null,"Truncated":null}`,
	"CloudHSM, FAILED": `{"CustomKeyStores":[{"CloudHsmClusterId":"cluster-234abcdefghij","ConnectionState":"FAILED","ConnectionErrorCode":"USER_LOCKED_OUT",
		"CreationDate":1.700000000123E9,"CustomKeyStoreId":"cks-1","CustomKeyStoreName":"hsm","CustomKeyStoreType":"AWS_CLOUDHSM",
		"TrustAnchorCertificate":"-----BEGIN CERTIFICATE-----\nX\n-----END CERTIFICATE-----"}],"Truncated":false}`,
	"external, VPC endpoint service": `{"CustomKeyStores":[{"ConnectionState":"CONNECTED","CreationDate":1700000001,"CustomKeyStoreId":"cks-2","CustomKeyStoreName":"xks é \u2028 \"q\"",
		"CustomKeyStoreType":"EXTERNAL_KEY_STORE","XksProxyConfiguration":{"AccessKeyId":"ABCDEFGHIJKLMNOPQRST","Connectivity":"VPC_ENDPOINT_SERVICE",
		"UriEndpoint":"https://p.example.com","UriPath":"/kms/xks/v1","VpcEndpointServiceName":"com.amazonaws.vpce.us-east-1.vpce-svc-1","VpcEndpointServiceOwner":"111122223333"}}]}`,
	"external, public endpoint, failed": `{"CustomKeyStores":[{"ConnectionState":"FAILED","ConnectionErrorCode":"XKS_PROXY_TIMED_OUT","CreationDate":1.7e9,
		"CustomKeyStoreId":"cks-3","CustomKeyStoreType":"EXTERNAL_KEY_STORE","XksProxyConfiguration":{"Connectivity":"PUBLIC_ENDPOINT","UriEndpoint":"https://x.example.com","UriPath":"/p/kms/xks/v2"}}]}`,
	"later values and unknown members": `{"CustomKeyStores":[{"ConnectionState":"RECONFIGURING","CustomKeyStoreType":"FUTURE_STORE","ConnectionErrorCode":"NEW_CODE",
		"CreationDate":1234567890.5,"Unknown":[1,{"a":null}],"XksProxyConfiguration":{"Connectivity":"NEW_LINK","Extra":true}}],"Other":{"x":1}}`,
	"null members": `{"CustomKeyStores":[{"CreationDate":null,"CustomKeyStoreId":null,"XksProxyConfiguration":null,"ConnectionState":null}]}`,
	"truncated page": `{"CustomKeyStores":[{"CustomKeyStoreId":"cks-4","CreationDate":0},{"CustomKeyStoreId":"cks-5","CreationDate":-1.5}],
		"NextMarker":"next-1","Truncated":true}`,
}

// TestDescribeDecodeEquivalence feeds the same responses of every custom
// key store operation to both clients and compares what they decode, member
// by member (issue 19 §3): each Describe shape above, Create's new ID
// (present, null, absent, with unknown members), and the empty outputs of
// Connect, Disconnect, Delete and Update, whose request ID both clients
// report, in the output and in its ResultMetadata.
func TestDescribeDecodeEquivalence(t *testing.T) {
	ctx := context.Background()
	clients := func(body string) (*kms.Client, *awskms.Client) {
		srv, _ := newCaptureServer(t, func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("X-Amzn-Requestid", "req-decode")
			w.Header().Set("Content-Type", "application/x-amz-json-1.1")
			_, _ = io.WriteString(w, body)
		})
		return newOurs(srv.URL, srv.Client(), fastRetryer(1)), newOfficial(srv.URL, srv.Client(), fastRetryer(1))
	}
	for name, body := range describeShapes {
		t.Run("Describe/"+name, func(t *testing.T) {
			ours, official := clients(body)
			o, err := ours.DescribeCustomKeyStores(ctx, nil)
			require.NoError(t, err)
			a, err := official.DescribeCustomKeyStores(ctx, nil)
			require.NoError(t, err)
			assert.Equal(t, a.Truncated, o.Truncated)
			assert.Equal(t, a.NextMarker, o.NextMarker)
			require.Len(t, o.CustomKeyStores, len(a.CustomKeyStores))
			for j, ae := range a.CustomKeyStores {
				oe := o.CustomKeyStores[j]
				assert.Equal(t, ae.CloudHsmClusterId, oe.CloudHsmClusterId)
				assert.Equal(t, string(ae.ConnectionErrorCode), string(oe.ConnectionErrorCode))
				assert.Equal(t, string(ae.ConnectionState), string(oe.ConnectionState))
				assert.Equal(t, ae.CreationDate, oe.CreationDate, "entry %d CreationDate", j)
				assert.Equal(t, ae.CustomKeyStoreId, oe.CustomKeyStoreId)
				assert.Equal(t, ae.CustomKeyStoreName, oe.CustomKeyStoreName)
				assert.Equal(t, string(ae.CustomKeyStoreType), string(oe.CustomKeyStoreType))
				assert.Equal(t, ae.TrustAnchorCertificate, oe.TrustAnchorCertificate)
				if ae.XksProxyConfiguration == nil {
					assert.Nil(t, oe.XksProxyConfiguration)
					continue
				}
				ax, ox := ae.XksProxyConfiguration, oe.XksProxyConfiguration
				require.NotNil(t, ox)
				assert.Equal(t, ax.AccessKeyId, ox.AccessKeyId)
				assert.Equal(t, string(ax.Connectivity), string(ox.Connectivity))
				assert.Equal(t, ax.UriEndpoint, ox.UriEndpoint)
				assert.Equal(t, ax.UriPath, ox.UriPath)
				assert.Equal(t, ax.VpcEndpointServiceName, ox.VpcEndpointServiceName)
				assert.Equal(t, ax.VpcEndpointServiceOwner, ox.VpcEndpointServiceOwner)
			}
			sameRequestID(t, a.ResultMetadata, o.RequestID, o.ResultMetadata)
		})
	}

	for name, body := range map[string]string{
		"new ID":          `{"CustomKeyStoreId":"cks-0123456789abcdef0"}`,
		"unknown members": `{"CustomKeyStoreId":"cks-0123456789abcdef0","Other":1,"More":{"a":[true]}}`,
		"null ID":         `{"CustomKeyStoreId":null}`,
		"no ID":           `{}`,
		"empty body":      ``,
	} {
		t.Run("Create/"+name, func(t *testing.T) {
			ours, official := clients(body)
			o, err := ours.CreateCustomKeyStore(ctx, cloudHsmCreateInput())
			require.NoError(t, err)
			a, err := official.CreateCustomKeyStore(ctx, createToOfficial(cloudHsmCreateInput()))
			require.NoError(t, err)
			assert.Equal(t, a.CustomKeyStoreId, o.CustomKeyStoreId)
			sameRequestID(t, a.ResultMetadata, o.RequestID, o.ResultMetadata)
		})
	}

	id := aws.String("cks-0123456789abcdef0")
	for _, body := range []string{`{}`, ``, `{"Unexpected":"member"}`} {
		ours, official := clients(body)
		for op, call := range map[string]func() (string, middleware.Metadata, middleware.Metadata, error, error){
			"Connect": func() (string, middleware.Metadata, middleware.Metadata, error, error) {
				o, oerr := ours.ConnectCustomKeyStore(ctx, &kms.ConnectCustomKeyStoreInput{CustomKeyStoreId: id})
				a, aerr := official.ConnectCustomKeyStore(ctx, &awskms.ConnectCustomKeyStoreInput{CustomKeyStoreId: id})
				if oerr != nil || aerr != nil {
					return "", middleware.Metadata{}, middleware.Metadata{}, oerr, aerr
				}
				return o.RequestID, o.ResultMetadata, a.ResultMetadata, nil, nil
			},
			"Disconnect": func() (string, middleware.Metadata, middleware.Metadata, error, error) {
				o, oerr := ours.DisconnectCustomKeyStore(ctx, &kms.DisconnectCustomKeyStoreInput{CustomKeyStoreId: id})
				a, aerr := official.DisconnectCustomKeyStore(ctx, &awskms.DisconnectCustomKeyStoreInput{CustomKeyStoreId: id})
				if oerr != nil || aerr != nil {
					return "", middleware.Metadata{}, middleware.Metadata{}, oerr, aerr
				}
				return o.RequestID, o.ResultMetadata, a.ResultMetadata, nil, nil
			},
			"Delete": func() (string, middleware.Metadata, middleware.Metadata, error, error) {
				o, oerr := ours.DeleteCustomKeyStore(ctx, &kms.DeleteCustomKeyStoreInput{CustomKeyStoreId: id})
				a, aerr := official.DeleteCustomKeyStore(ctx, &awskms.DeleteCustomKeyStoreInput{CustomKeyStoreId: id})
				if oerr != nil || aerr != nil {
					return "", middleware.Metadata{}, middleware.Metadata{}, oerr, aerr
				}
				return o.RequestID, o.ResultMetadata, a.ResultMetadata, nil, nil
			},
		} {
			t.Run(op+"/"+body, func(t *testing.T) {
				requestID, oursMeta, officialMeta, oerr, aerr := call()
				require.NoError(t, oerr)
				require.NoError(t, aerr)
				sameRequestID(t, officialMeta, requestID, oursMeta)
			})
		}
		t.Run("Update/"+body, func(t *testing.T) {
			in := &kms.UpdateCustomKeyStoreInput{CustomKeyStoreId: id, NewCustomKeyStoreName: aws.String("n")}
			o, err := ours.UpdateCustomKeyStore(ctx, in)
			require.NoError(t, err)
			a, err := official.UpdateCustomKeyStore(ctx, toOfficial(in))
			require.NoError(t, err)
			sameRequestID(t, a.ResultMetadata, o.RequestID, o.ResultMetadata)
		})
	}
}

// sameRequestID checks that both clients report the response's request ID,
// ours in RequestID and both in their ResultMetadata.
func sameRequestID(t *testing.T, official middleware.Metadata, ours string, oursMeta middleware.Metadata) {
	t.Helper()
	want, ok := awsmiddleware.GetRequestIDMetadata(official)
	require.True(t, ok, "the official client reports a request ID")
	assert.Equal(t, "req-decode", want)
	assert.Equal(t, want, ours)
	got, ok := awsmiddleware.GetRequestIDMetadata(oursMeta)
	require.True(t, ok)
	assert.Equal(t, want, got)
}
