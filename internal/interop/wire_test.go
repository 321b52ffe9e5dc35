package interop

import (
	"context"
	"encoding/json"
	"net/http"
	"sort"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awskms "github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kmskit/kms"
	"github.com/kmskit/kms/internal/sigv4check"
)

// wireCase is one input sent through both clients.
type wireCase struct {
	name string
	in   *kms.UpdateCustomKeyStoreInput
	// op, ours and official, when set instead of in, send another
	// operation's input through each client (wire_lifecycle_test.go).
	op       string
	ours     func(ctx context.Context, c *kms.Client, optFns ...func(*kms.Options)) error
	official func(ctx context.Context, c *awskms.Client) error
	// noValidate turns our offline validation off, for inputs the service
	// model allows member by member but our cross-member rules refuse (a
	// member alone, every member at once). The official client only checks
	// the required member, so it sends them either way.
	noValidate bool
}

func withID(fn func(in *kms.UpdateCustomKeyStoreInput)) *kms.UpdateCustomKeyStoreInput {
	in := &kms.UpdateCustomKeyStoreInput{CustomKeyStoreId: aws.String(storeID)}
	fn(in)
	return in
}

func xksCred(id, secret string) *kms.XksProxyAuthenticationCredentialType {
	return &kms.XksProxyAuthenticationCredentialType{AccessKeyId: aws.String(id), RawSecretAccessKey: aws.String(secret)}
}

func wireCases() []wireCase {
	return []wireCase{
		// Every member alone (with the required store ID).
		{name: "CustomKeyStoreId only", in: withID(func(*kms.UpdateCustomKeyStoreInput) {})},
		{name: "CloudHsmClusterId", in: withID(func(in *kms.UpdateCustomKeyStoreInput) { in.CloudHsmClusterId = aws.String(clusterID) })},
		{name: "KeyStorePassword", in: withID(func(in *kms.UpdateCustomKeyStoreInput) { in.KeyStorePassword = aws.String(hsmPassword) })},
		{name: "NewCustomKeyStoreName", in: withID(func(in *kms.UpdateCustomKeyStoreInput) { in.NewCustomKeyStoreName = aws.String(storeNewName) })},
		{name: "XksProxyAuthenticationCredential", in: withID(func(in *kms.UpdateCustomKeyStoreInput) {
			in.XksProxyAuthenticationCredential = xksCred(xksKeyID, xksSecret)
		})},
		{name: "XksProxyConnectivity alone", noValidate: true, in: withID(func(in *kms.UpdateCustomKeyStoreInput) {
			in.XksProxyConnectivity = kms.XksProxyConnectivityTypePublicEndpoint
		})},
		{name: "XksProxyUriEndpoint", in: withID(func(in *kms.UpdateCustomKeyStoreInput) { in.XksProxyUriEndpoint = aws.String(xksEndpoint) })},
		{name: "XksProxyUriPath", in: withID(func(in *kms.UpdateCustomKeyStoreInput) { in.XksProxyUriPath = aws.String(xksPath) })},
		{name: "XksProxyUriPath with prefix", in: withID(func(in *kms.UpdateCustomKeyStoreInput) {
			in.XksProxyUriPath = aws.String("/example_prefix/kms/xks/v1")
		})},
		{name: "XksProxyVpcEndpointServiceName", in: withID(func(in *kms.UpdateCustomKeyStoreInput) {
			in.XksProxyVpcEndpointServiceName = aws.String(vpcService)
		})},
		{name: "XksProxyVpcEndpointServiceOwner", in: withID(func(in *kms.UpdateCustomKeyStoreInput) {
			in.XksProxyVpcEndpointServiceOwner = aws.String(vpcOwner)
		})},

		// Realistic combinations.
		{name: "CloudHSM related cluster and password", in: withID(func(in *kms.UpdateCustomKeyStoreInput) {
			in.CloudHsmClusterId = aws.String(clusterID)
			in.KeyStorePassword = aws.String(hsmPassword)
		})},
		{name: "CloudHSM rename and password", in: withID(func(in *kms.UpdateCustomKeyStoreInput) {
			in.NewCustomKeyStoreName = aws.String("DevelopmentKeys")
			in.KeyStorePassword = aws.String("ExamplePassword")
		})},
		{name: "XKS rename and path", in: withID(func(in *kms.UpdateCustomKeyStoreInput) {
			in.NewCustomKeyStoreName = aws.String(storeNewName)
			in.XksProxyUriPath = aws.String("/new-prefix/kms/xks/v2")
		})},
		{name: "XKS credential and path", in: withID(func(in *kms.UpdateCustomKeyStoreInput) {
			in.XksProxyAuthenticationCredential = xksCred("BCDEFGHIJKLMNOPQRSTU", strings.Repeat("Zz9/", 16))
			in.XksProxyUriPath = aws.String(xksPath)
		})},
		{name: "switch to VPC endpoint service", in: withID(func(in *kms.UpdateCustomKeyStoreInput) {
			in.XksProxyConnectivity = kms.XksProxyConnectivityTypeVpcEndpointService
			in.XksProxyUriEndpoint = aws.String("https://myproxy-private.xks.example.com")
			in.XksProxyVpcEndpointServiceName = aws.String(vpcService)
			in.XksProxyVpcEndpointServiceOwner = aws.String(vpcOwner)
		})},
		{name: "switch to public endpoint, explicit empty service name", in: withID(func(in *kms.UpdateCustomKeyStoreInput) {
			in.XksProxyConnectivity = kms.XksProxyConnectivityTypePublicEndpoint
			in.XksProxyUriEndpoint = aws.String(xksEndpoint)
			in.XksProxyVpcEndpointServiceName = aws.String("")
		})},
		{name: "switch to public endpoint, service name left out", in: withID(func(in *kms.UpdateCustomKeyStoreInput) {
			in.XksProxyConnectivity = kms.XksProxyConnectivityTypePublicEndpoint
			in.XksProxyUriEndpoint = aws.String(xksEndpoint)
		})},
		{name: "full XKS update", in: fullXksInput()},

		// Names that exercise the string encoder.
		{name: "non-ASCII name (Latin-1, CJK, emoji)", in: withID(func(in *kms.UpdateCustomKeyStoreInput) {
			in.NewCustomKeyStoreName = aws.String("Schlüssel-Speicher 鍵ストア 🔑")
		})},
		{name: "name with JSON and HTML specials", in: withID(func(in *kms.UpdateCustomKeyStoreInput) {
			in.NewCustomKeyStoreName = aws.String(`quote " backslash \ slash / <tag> & amp`)
		})},
		{name: "name with control characters and line separators", in: withID(func(in *kms.UpdateCustomKeyStoreInput) {
			in.NewCustomKeyStoreName = aws.String("tab\tnl\ncr\r\x01\x1f del\x7f ls\u2028 ps\u2029")
		})},
		{name: "256-character non-ASCII name", in: withID(func(in *kms.UpdateCustomKeyStoreInput) {
			in.NewCustomKeyStoreName = aws.String(strings.Repeat("é", 256))
		})},

		// Every member at once: the model allows it, our cross-member rule
		// (CloudHSM and XKS members cannot be mixed) does not.
		{name: "all fields", noValidate: true, in: func() *kms.UpdateCustomKeyStoreInput {
			in := fullXksInput()
			in.CloudHsmClusterId = aws.String(clusterID)
			in.KeyStorePassword = aws.String(hsmPassword)
			return in
		}()},
	}
}

// headersOnlyOfficialSends are headers aws-sdk-go-v2 adds that we leave
// out on purpose: amz-sdk-invocation-id and amz-sdk-request are SDK
// telemetry (a per-call UUID and "attempt=N; max=M") that KMS does not
// need; the service accepts requests without them, as the CLI's older
// versions and hand-rolled clients show.
var headersOnlyOfficialSends = []string{"Amz-Sdk-Invocation-Id", "Amz-Sdk-Request"}

// headersBothSend are the headers both clients send (the Go transport adds
// Accept-Encoding and Content-Length for both).
var headersBothSend = []string{
	"Accept-Encoding", "Authorization", "Content-Length", "Content-Type",
	"User-Agent", "X-Amz-Date", "X-Amz-Target",
}

func TestWireEquivalence(t *testing.T) {
	for _, tc := range append(wireCases(), lifecycleWireCases()...) {
		if tc.in != nil {
			in := tc.in
			tc.op = "UpdateCustomKeyStore"
			tc.ours = func(ctx context.Context, c *kms.Client, optFns ...func(*kms.Options)) error {
				_, err := c.UpdateCustomKeyStore(ctx, in, optFns...)
				return err
			}
			tc.official = func(ctx context.Context, c *awskms.Client) error {
				_, err := c.UpdateCustomKeyStore(ctx, toOfficial(in))
				return err
			}
		}
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			srv, rec := newCaptureServer(t, nil)

			ours := newOurs(srv.URL, srv.Client(), fastRetryer(1))
			err := tc.ours(ctx, ours, func(o *kms.Options) { o.DisableClientValidation = tc.noValidate })
			require.NoError(t, err)
			o := requireOne(t, rec)
			rec.reset()

			official := newOfficial(srv.URL, srv.Client(), fastRetryer(1))
			err = tc.official(ctx, official)
			require.NoError(t, err)
			a := requireOne(t, rec)

			// Same body, member for member.
			var ourBody, awsBody map[string]any
			require.NoError(t, json.Unmarshal(o.Body, &ourBody), "our body: %s", o.Body)
			require.NoError(t, json.Unmarshal(a.Body, &awsBody), "official body: %s", a.Body)
			assert.Equal(t, awsBody, ourBody)
			// Byte for byte, in fact: same member order and same escaping,
			// with one deliberate difference: the official serializer
			// escapes DEL (U+007F) as \u007f, ours writes it raw as
			// encoding/json does. Both are valid JSON and decode alike
			// (checked above).
			assert.Equal(t, strings.ReplaceAll(string(a.Body), `\u007f`, "\x7f"), string(o.Body))

			// Same operation, content type, method, path and host.
			for _, h := range []string{"X-Amz-Target", "Content-Type"} {
				assert.Equal(t, a.Header.Values(h), o.Header.Values(h), h)
			}
			assert.Equal(t, []string{"TrentService." + tc.op}, o.Header.Values("X-Amz-Target"))
			assert.Equal(t, []string{"application/x-amz-json-1.1"}, o.Header.Values("Content-Type"))
			assert.Equal(t, a.Method, o.Method)
			assert.Equal(t, http.MethodPost, o.Method)
			assert.Equal(t, a.RequestURI, o.RequestURI)
			assert.Equal(t, a.Host, o.Host)
			assert.Equal(t, a.ContentLength-int64(len(`\u007f`)-1)*int64(strings.Count(string(a.Body), `\u007f`)), o.ContentLength)
			assert.Equal(t, int64(len(o.Body)), o.ContentLength)

			// Both signatures verify with the same credentials, with the same
			// scope, and both cover the target and the content type.
			mustSign := []string{"host", "x-amz-date", "x-amz-target", "content-type"}
			oAuth, err := sigv4check.Verify(o.req, o.Body, testCreds, mustSign...)
			require.NoError(t, err, "our signature")
			aAuth, err := sigv4check.Verify(a.req, a.Body, testCreds, mustSign...)
			require.NoError(t, err, "official signature")
			assert.Equal(t, aAuth.Region, oAuth.Region)
			assert.Equal(t, aAuth.Service, oAuth.Service)
			assert.Equal(t, "kms", oAuth.Service)
			assert.Equal(t, testRegion, oAuth.Region)
			// The official client also signs its telemetry headers, which
			// we do not send (see headersOnlyOfficialSends); otherwise the
			// signed sets are the same.
			assert.Equal(t, withoutTelemetry(aAuth.SignedHeaders), oAuth.SignedHeaders)

			// Header sets: ours is the official set minus the SDK telemetry.
			assert.Equal(t, sortedCopy(headersBothSend), headerNames(o.Header))
			assert.Equal(t, sortedCopy(append(append([]string(nil), headersBothSend...), headersOnlyOfficialSends...)), headerNames(a.Header))

			// Deliberate difference: each client names itself.
			assert.True(t, strings.HasPrefix(o.Header.Get("User-Agent"), "kmskit-kms-go/"+kms.Version+" "), o.Header.Get("User-Agent"))
			assert.True(t, strings.HasPrefix(a.Header.Get("User-Agent"), "aws-sdk-go-v2/"), a.Header.Get("User-Agent"))
		})
	}
}

func headerNames(h http.Header) []string {
	names := make([]string, 0, len(h))
	for k := range h {
		names = append(names, k)
	}
	sort.Strings(names)
	return names
}

func sortedCopy(s []string) []string {
	c := append([]string(nil), s...)
	sort.Strings(c)
	return c
}

func withoutTelemetry(signed []string) []string {
	var out []string
	for _, h := range signed {
		if h != "amz-sdk-invocation-id" && h != "amz-sdk-request" {
			out = append(out, h)
		}
	}
	return out
}
