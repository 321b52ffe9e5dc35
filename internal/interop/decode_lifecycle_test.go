package interop

import (
	"context"
	"io"
	"net/http"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestDescribeDecodeEquivalence feeds the same DescribeCustomKeyStores and
// CreateCustomKeyStore responses to both clients and compares what they
// decode, member by member: timestamps (integer, fractional, exponent),
// enums KMS may add later, absent and null members.
func TestDescribeDecodeEquivalence(t *testing.T) {
	bodies := []string{
		`{"CustomKeyStores":[],"Truncated":false}`,
		`{"CustomKeyStores":[
		  {"CloudHsmClusterId":"cluster-234abcdefghij","ConnectionState":"FAILED","ConnectionErrorCode":"USER_LOCKED_OUT",
		   "CreationDate":1.700000000123E9,"CustomKeyStoreId":"cks-1","CustomKeyStoreName":"hsm","CustomKeyStoreType":"AWS_CLOUDHSM",
		   "TrustAnchorCertificate":"-----BEGIN CERTIFICATE-----\nX\n-----END CERTIFICATE-----"},
		  {"ConnectionState":"CONNECTED","CreationDate":1700000001,"CustomKeyStoreId":"cks-2","CustomKeyStoreName":"xks é \u2028",
		   "CustomKeyStoreType":"EXTERNAL_KEY_STORE","XksProxyConfiguration":{"AccessKeyId":"ABCDEFGHIJKLMNOPQRST","Connectivity":"VPC_ENDPOINT_SERVICE",
		   "UriEndpoint":"https://p.example.com","UriPath":"/kms/xks/v1","VpcEndpointServiceName":"com.amazonaws.vpce.us-east-1.vpce-svc-1","VpcEndpointServiceOwner":"111122223333"}},
		  {"ConnectionState":"RECONFIGURING","CustomKeyStoreType":"FUTURE_STORE","CreationDate":1234567890.5,"Unknown":[1,{"a":null}]},
		  {"CreationDate":null,"CustomKeyStoreId":null}
		],"NextMarker":"next-1","Truncated":true}`,
	}
	for i, body := range bodies {
		srv, _ := newCaptureServer(t, func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("X-Amzn-Requestid", "req-decode")
			w.Header().Set("Content-Type", "application/x-amz-json-1.1")
			_, _ = io.WriteString(w, body)
		})
		ctx := context.Background()
		o, err := newOurs(srv.URL, srv.Client(), fastRetryer(1)).DescribeCustomKeyStores(ctx, nil)
		require.NoError(t, err, "body %d", i)
		a, err := newOfficial(srv.URL, srv.Client(), fastRetryer(1)).DescribeCustomKeyStores(ctx, nil)
		require.NoError(t, err, "body %d", i)
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
	}

	srv, _ := newCaptureServer(t, func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("X-Amzn-Requestid", "req-create")
		_, _ = io.WriteString(w, `{"CustomKeyStoreId":"cks-0123456789abcdef0","Other":1}`)
	})
	o, err := newOurs(srv.URL, srv.Client(), fastRetryer(1)).CreateCustomKeyStore(context.Background(), cloudHsmCreateInput())
	require.NoError(t, err)
	a, err := newOfficial(srv.URL, srv.Client(), fastRetryer(1)).CreateCustomKeyStore(context.Background(), createToOfficial(cloudHsmCreateInput()))
	require.NoError(t, err)
	assert.Equal(t, aws.ToString(a.CustomKeyStoreId), aws.ToString(o.CustomKeyStoreId))
}
