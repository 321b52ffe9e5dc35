package kms_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/smithy-go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kmskit/kms"
	"github.com/kmskit/kms/internal/awsjson"
)

func TestDescribeCustomKeyStoresWire(t *testing.T) {
	tests := []struct {
		name string
		in   *kms.DescribeCustomKeyStoresInput
		want string
	}{
		{"nil input: every store", nil, `{}`},
		{"empty input", &kms.DescribeCustomKeyStoresInput{}, `{}`},
		{"by ID", &kms.DescribeCustomKeyStoresInput{CustomKeyStoreId: aws.String(lifecycleStoreID)}, `{"CustomKeyStoreId":"cks-1234567890abcdef0"}`},
		{"by name", &kms.DescribeCustomKeyStoresInput{CustomKeyStoreName: aws.String(`Name "q" é`)}, `{"CustomKeyStoreName":"Name \"q\" é"}`},
		{"limit and marker", &kms.DescribeCustomKeyStoresInput{Limit: aws.Int32(1000), Marker: aws.String("marker-7")}, `{"Limit":1000,"Marker":"marker-7"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, rec := setup(t, answerOK(`{"CustomKeyStores":[],"Truncated":false}`))
			out, err := c.DescribeCustomKeyStores(context.Background(), tt.in)
			require.NoError(t, err)
			assert.Empty(t, out.CustomKeyStores)
			assert.False(t, out.Truncated)
			assert.Nil(t, out.NextMarker)
			assert.Equal(t, "req-ok", out.RequestID)
			reqs := rec.all()
			require.Len(t, reqs, 1)
			checkRequest(t, reqs[0], "DescribeCustomKeyStores", tt.want)
		})
	}
}

func TestDescribeCustomKeyStoresDecode(t *testing.T) {
	body := `{"CustomKeyStores":[
	  {"CloudHsmClusterId":"cluster-234abcdefghij","ConnectionState":"FAILED","ConnectionErrorCode":"USER_LOCKED_OUT",
	   "CreationDate":1.700000000123E9,"CustomKeyStoreId":"cks-1","CustomKeyStoreName":"hsm","CustomKeyStoreType":"AWS_CLOUDHSM",
	   "TrustAnchorCertificate":"-----BEGIN CERTIFICATE-----\nX\n-----END CERTIFICATE-----"},
	  {"ConnectionState":"CONNECTED","CreationDate":1700000001,"CustomKeyStoreId":"cks-2","CustomKeyStoreName":"xks",
	   "CustomKeyStoreType":"EXTERNAL_KEY_STORE","XksProxyConfiguration":{"AccessKeyId":"ABCDEFGHIJKLMNOPQRST","Connectivity":"VPC_ENDPOINT_SERVICE",
	   "UriEndpoint":"https://p.example.com","UriPath":"/kms/xks/v1","VpcEndpointServiceName":"com.amazonaws.vpce.us-east-1.vpce-svc-1","VpcEndpointServiceOwner":"111122223333"}},
	  {"ConnectionState":"RECONFIGURING","CustomKeyStoreType":"FUTURE_STORE","CreationDate":null,"Unknown":[1,{"a":null}]},
	  {"CreationDate":1e10}
	],"NextMarker":"next-1","Truncated":true}`
	c, _ := setup(t, answerOK(body))
	out, err := c.DescribeCustomKeyStores(context.Background(), nil)
	require.NoError(t, err)
	require.Len(t, out.CustomKeyStores, 4)
	assert.True(t, out.Truncated)
	assert.Equal(t, "next-1", aws.ToString(out.NextMarker))

	hsm := out.CustomKeyStores[0]
	assert.Equal(t, kms.ConnectionStateTypeFailed, hsm.ConnectionState)
	assert.Equal(t, kms.ConnectionErrorCodeTypeUserLockedOut, hsm.ConnectionErrorCode)
	assert.Equal(t, kms.CustomKeyStoreTypeAwsCloudhsm, hsm.CustomKeyStoreType)
	assert.Equal(t, "cluster-234abcdefghij", aws.ToString(hsm.CloudHsmClusterId))
	assert.Equal(t, "-----BEGIN CERTIFICATE-----\nX\n-----END CERTIFICATE-----", aws.ToString(hsm.TrustAnchorCertificate))
	require.NotNil(t, hsm.CreationDate)
	assert.Equal(t, time.UnixMilli(1700000000123).UTC(), *hsm.CreationDate, "fractional epoch seconds, to the millisecond, in UTC")
	assert.Nil(t, hsm.XksProxyConfiguration)

	xks := out.CustomKeyStores[1]
	assert.Equal(t, time.Unix(1700000001, 0).UTC(), *xks.CreationDate)
	require.NotNil(t, xks.XksProxyConfiguration)
	assert.Equal(t, kms.XksProxyConfigurationType{
		AccessKeyId:             aws.String("ABCDEFGHIJKLMNOPQRST"),
		Connectivity:            kms.XksProxyConnectivityTypeVpcEndpointService,
		UriEndpoint:             aws.String("https://p.example.com"),
		UriPath:                 aws.String("/kms/xks/v1"),
		VpcEndpointServiceName:  aws.String("com.amazonaws.vpce.us-east-1.vpce-svc-1"),
		VpcEndpointServiceOwner: aws.String("111122223333"),
	}, *xks.XksProxyConfiguration)

	far := out.CustomKeyStores[3]
	require.NotNil(t, far.CreationDate)
	assert.Equal(t, time.Unix(10000000000, 0).UTC(), *far.CreationDate, "past 2262, where nanoseconds overflow an int64")

	future := out.CustomKeyStores[2]
	assert.Equal(t, kms.ConnectionStateType("RECONFIGURING"), future.ConnectionState, "values added later pass through")
	assert.Equal(t, kms.CustomKeyStoreType("FUTURE_STORE"), future.CustomKeyStoreType)
	assert.Nil(t, future.CreationDate)
	assert.Nil(t, future.CustomKeyStoreId)
}

func TestDescribeCustomKeyStoresHostileBodies(t *testing.T) {
	tests := []struct {
		name, body, want string
	}{
		{"not JSON", `<html>AKIASECRETPAGE</html>`, "not a JSON value (at byte 0)"},
		{"list of the wrong type", `{"CustomKeyStores":{"a":1}}`, "CustomKeyStores: not a JSON array"},
		{"entry member of the wrong type", `{"CustomKeyStores":[{},{"XksProxyConfiguration":{"UriPath":7}}]}`, "CustomKeyStores[1].XksProxyConfiguration.UriPath: not a JSON string"},
		{"bad escape", `{"NextMarker":"a\qb"}`, "NextMarker: bad escape in a JSON string"},
		{"raw control character", "{\"NextMarker\":\"a\x01b\"}", "NextMarker: control character in a JSON string"},
		{"trailing data", `{}x`, "data after the JSON value"},
		{"Truncated as a string", `{"Truncated":"yes"}`, "Truncated: not a JSON boolean"},
		{"date as a word", `{"CustomKeyStores":[{"CreationDate":"soon"}]}`, "decode response"},
		{"date out of range", `{"CustomKeyStores":[{},{"CreationDate":1e300}]}`, "CustomKeyStores[1].CreationDate: outside the years 0001 to 9999"},
		{"negative date out of range", `{"CustomKeyStores":[{"CreationDate":-1e12}]}`, "CustomKeyStores[0].CreationDate: outside the years"},
		{"deep nesting", `{"X":` + strings.Repeat("[", 20000) + strings.Repeat("]", 20000) + `}`, "decode response"},
		{"cut off", `{"CustomKeyStores":[{"CustomKeyStoreId":"cks-`, "decode response"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, _ := setup(t, answerOK(tt.body))
			out, err := c.DescribeCustomKeyStores(context.Background(), nil)
			require.Error(t, err)
			assert.Nil(t, out)
			assert.Contains(t, err.Error(), tt.want)
			assert.NotContains(t, err.Error(), "AKIASECRETPAGE")
			var de *smithy.DeserializationError
			assert.True(t, errors.As(err, &de), "%v", err)
		})
	}
}

func TestDescribeCustomKeyStoresBodyBounded(t *testing.T) {
	c, _ := setup(t, func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("X-Amzn-Requestid", "req-huge")
		_, _ = io.WriteString(w, `{"CustomKeyStores":[`)
		entry := `{"CustomKeyStoreId":"cks-1","TrustAnchorCertificate":"` + strings.Repeat("A", 5000) + `"},`
		for written := 0; written <= 33<<20; written += len(entry) {
			if _, err := io.WriteString(w, entry); err != nil {
				return // the client gave up, as it should
			}
		}
	})
	_, err := c.DescribeCustomKeyStores(context.Background(), nil)
	var tooLarge *awsjson.ResponseTooLargeError
	require.ErrorAs(t, err, &tooLarge)
	assert.Equal(t, "req-huge", tooLarge.RequestID)
}

// TestDescribeCustomKeyStoresPageBounded: KMS returns at most 1,000 stores a
// page; a body with more is a decode error, found while decoding: a body of
// a million empty entries (under the 32 MiB cap) costs about its own size,
// not a million entries (issue 17 §7).
func TestDescribeCustomKeyStoresPageBounded(t *testing.T) {
	page := func(n int) string {
		return `{"CustomKeyStores":[` + strings.TrimSuffix(strings.Repeat(`{},`, n), ",") + `],"Truncated":false}`
	}
	for _, tc := range []struct {
		entries int
		ok      bool
	}{{1000, true}, {1001, false}, {1_000_000, false}} {
		body := page(tc.entries)
		c, _ := setup(t, answerOK(body))
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		out, err := c.DescribeCustomKeyStores(context.Background(), nil)
		runtime.ReadMemStats(&after)
		if tc.ok {
			require.NoError(t, err)
			assert.Len(t, out.CustomKeyStores, tc.entries)
			continue
		}
		var de *smithy.DeserializationError
		require.ErrorAs(t, err, &de, "%d entries", tc.entries)
		assert.Contains(t, err.Error(), "more than 1000 custom key stores in one page")
		// Reading the body, with the server's and the transport's buffers,
		// takes a few times its size; decoding a million entries would take
		// a hundred times more.
		assert.Less(t, after.TotalAlloc-before.TotalAlloc, uint64(8*len(body)+(4<<20)), "%d entries", tc.entries)
	}
}

func TestStoreIDOperationsWire(t *testing.T) {
	ctx := context.Background()
	id := aws.String(lifecycleStoreID)
	tests := []struct {
		op   string
		call func(c *kms.Client) (string, error)
	}{
		{"ConnectCustomKeyStore", func(c *kms.Client) (string, error) {
			out, err := c.ConnectCustomKeyStore(ctx, &kms.ConnectCustomKeyStoreInput{CustomKeyStoreId: id})
			if err != nil {
				return "", err
			}
			return out.RequestID, nil
		}},
		{"DisconnectCustomKeyStore", func(c *kms.Client) (string, error) {
			out, err := c.DisconnectCustomKeyStore(ctx, &kms.DisconnectCustomKeyStoreInput{CustomKeyStoreId: id})
			if err != nil {
				return "", err
			}
			return out.RequestID, nil
		}},
		{"DeleteCustomKeyStore", func(c *kms.Client) (string, error) {
			out, err := c.DeleteCustomKeyStore(ctx, &kms.DeleteCustomKeyStoreInput{CustomKeyStoreId: id})
			if err != nil {
				return "", err
			}
			return out.RequestID, nil
		}},
	}
	for _, tt := range tests {
		t.Run(tt.op, func(t *testing.T) {
			// KMS answers {}; anything else in a 2xx body is ignored, as the
			// outputs have no members.
			c, rec := setup(t, answerOK(`{"Unexpected":true}`))
			reqID, err := tt.call(c)
			require.NoError(t, err)
			assert.Equal(t, "req-ok", reqID)
			reqs := rec.all()
			require.Len(t, reqs, 1)
			checkRequest(t, reqs[0], tt.op, `{"CustomKeyStoreId":"cks-1234567890abcdef0"}`)
		})
	}
}
