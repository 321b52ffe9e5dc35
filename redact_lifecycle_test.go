package kms_test

import (
	"bytes"
	"context"
	"encoding/gob"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kmskit/kms"
)

// lifecycleSecrets are the secret values the lifecycle fixtures hold.
var lifecycleSecrets = []string{lifecyclePassword, lifecycleSecret, lifecycleAccessKeyID}

// printedForms renders v every way a user might print or log it.
func printedForms(t *testing.T, v any) map[string]string {
	t.Helper()
	forms := map[string]string{}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%d", "%30v", "%-30s"} {
		forms[verb] = fmt.Sprintf(verb, v)
		forms["&"+verb] = fmt.Sprintf(verb, &v)
	}
	forms["Sprint"] = fmt.Sprint(v)
	forms["in a slice"] = fmt.Sprintf("%+v", []any{v})
	forms["in a map"] = fmt.Sprintf("%v", map[string]any{"k": v})
	js, err := json.Marshal(v)
	require.NoError(t, err)
	forms["json"] = string(js)
	for name, h := range map[string]func(*bytes.Buffer) slog.Handler{
		"slog text": func(b *bytes.Buffer) slog.Handler { return slog.NewTextHandler(b, nil) },
		"slog json": func(b *bytes.Buffer) slog.Handler { return slog.NewJSONHandler(b, nil) },
	} {
		var b bytes.Buffer
		slog.New(h(&b)).Info("m", "v", v)
		forms[name] = b.String()
	}
	return forms
}

func TestLifecycleTypesRedactSecrets(t *testing.T) {
	created := time.UnixMilli(1700000000123).UTC()
	entry := kms.CustomKeyStoresListEntry{
		ConnectionState:    kms.ConnectionStateTypeConnected,
		CreationDate:       &created,
		CustomKeyStoreId:   aws.String(lifecycleStoreID),
		CustomKeyStoreName: aws.String("xks-store"),
		CustomKeyStoreType: kms.CustomKeyStoreTypeExternalKeyStore,
		XksProxyConfiguration: &kms.XksProxyConfigurationType{
			AccessKeyId: aws.String(lifecycleAccessKeyID), Connectivity: kms.XksProxyConnectivityTypePublicEndpoint,
			UriEndpoint: aws.String(lifecycleEndpoint), UriPath: aws.String(lifecyclePath),
		},
	}
	vpc := xksCreate(kms.XksProxyConnectivityTypeVpcEndpointService)
	values := map[string]any{
		"CreateCustomKeyStoreInput CloudHSM": *cloudHsmCreate(),
		"CreateCustomKeyStoreInput XKS":      *vpc,
		"*CreateCustomKeyStoreInput":         vpc,
		"CustomKeyStoresListEntry":           entry,
		"*XksProxyConfigurationType":         entry.XksProxyConfiguration,
		"DescribeCustomKeyStoresOutput":      kms.DescribeCustomKeyStoresOutput{CustomKeyStores: []kms.CustomKeyStoresListEntry{entry}},
		"*DescribeCustomKeyStoresOutput":     &kms.DescribeCustomKeyStoresOutput{CustomKeyStores: []kms.CustomKeyStoresListEntry{entry, entry}},
	}
	for name, v := range values {
		for form, text := range printedForms(t, v) {
			for _, secret := range lifecycleSecrets {
				assert.NotContains(t, text, secret, "%s printed with %s", name, form)
			}
		}
	}
	// What is not secret is shown.
	assert.Equal(t, `{CustomKeyStoreName:"ExampleCloudHsmStore" CloudHsmClusterId:"cluster-234abcdefghij" KeyStorePassword:[REDACTED] TrustAnchorCertificate:"-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n"}`,
		fmt.Sprint(*cloudHsmCreate()))
	assert.Equal(t, `{ConnectionState:"CONNECTED" CreationDate:2023-11-14T22:13:20.123Z CustomKeyStoreId:"cks-1234567890abcdef0" CustomKeyStoreName:"xks-store" CustomKeyStoreType:"EXTERNAL_KEY_STORE" XksProxyConfiguration:{AccessKeyId:[REDACTED] Connectivity:"PUBLIC_ENDPOINT" UriEndpoint:"https://myproxy.xks.example.com" UriPath:"/example-prefix/kms/xks/v1"}}`,
		fmt.Sprint(entry))
	assert.Contains(t, fmt.Sprintf("%#v", entry), `kms.CustomKeyStoresListEntry{ConnectionState:kms.ConnectionStateType("CONNECTED"), CreationDate:aws.Time(time.Date(2023, time.November, 14, 22, 13, 20, 123000000, time.UTC)), `)
	js, err := json.Marshal(entry)
	require.NoError(t, err)
	assert.JSONEq(t, `{"ConnectionState":"CONNECTED","CreationDate":1700000000.123,"CustomKeyStoreId":"cks-1234567890abcdef0","CustomKeyStoreName":"xks-store","CustomKeyStoreType":"EXTERNAL_KEY_STORE",
		"XksProxyConfiguration":{"AccessKeyId":"[REDACTED]","Connectivity":"PUBLIC_ENDPOINT","UriEndpoint":"https://myproxy.xks.example.com","UriPath":"/example-prefix/kms/xks/v1"}}`, string(js))
	js, err = json.Marshal(vpc)
	require.NoError(t, err)
	assert.Contains(t, string(js), `"XksProxyAuthenticationCredential":{"AccessKeyId":"[REDACTED]","RawSecretAccessKey":"[REDACTED]"}`)
	// The caller's input is not changed by redaction.
	assert.Equal(t, lifecycleSecret, *vpc.XksProxyAuthenticationCredential.RawSecretAccessKey)
	assert.Equal(t, lifecycleAccessKeyID, *vpc.XksProxyAuthenticationCredential.AccessKeyId)
}

func TestLifecycleDebugLogRedactsBodies(t *testing.T) {
	var logs bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	c, rec := setup(t, answerOK(`{"CustomKeyStoreId":"cks-1"}`), func(o *kms.Options) { o.Logger = logger })
	ctx := context.Background()
	_, err := c.CreateCustomKeyStore(ctx, xksCreate(kms.XksProxyConnectivityTypePublicEndpoint))
	require.NoError(t, err)
	_, err = c.CreateCustomKeyStore(ctx, cloudHsmCreate())
	require.NoError(t, err)
	_, err = c.ConnectCustomKeyStore(ctx, &kms.ConnectCustomKeyStoreInput{CustomKeyStoreId: aws.String(lifecycleStoreID)})
	require.NoError(t, err)
	out := logs.String()
	for _, secret := range lifecycleSecrets {
		assert.NotContains(t, out, secret)
	}
	assert.Equal(t, 3, strings.Count(out, `"msg":"kms attempt"`))
	assert.Contains(t, out, `TrentService.CreateCustomKeyStore`)
	assert.Contains(t, out, `\"XksProxyUriPath\":\"/example-prefix/kms/xks/v1\"`, "the rest of the body is logged")
	assert.Contains(t, out, `\"CustomKeyStoreId\":\"cks-1234567890abcdef0\"`, "Connect's body has no secret")
	// The wire itself carries the real values.
	assert.Contains(t, string(rec.all()[0].body), lifecycleSecret)
	assert.Contains(t, string(rec.all()[1].body), lifecyclePassword)
}

func TestLifecycleTypesGobAndTextRedactSecrets(t *testing.T) {
	created := time.UnixMilli(1700000000123).UTC()
	cfg := kms.XksProxyConfigurationType{AccessKeyId: aws.String(lifecycleAccessKeyID), Connectivity: kms.XksProxyConnectivityTypePublicEndpoint, UriPath: aws.String(lifecyclePath)}
	entry := kms.CustomKeyStoresListEntry{CustomKeyStoreId: aws.String(lifecycleStoreID), CreationDate: &created,
		ConnectionState: kms.ConnectionStateTypeFailed, ConnectionErrorCode: kms.ConnectionErrorCodeTypeXksProxyTimedOut, XksProxyConfiguration: &cfg}
	in := xksCreate(kms.XksProxyConnectivityTypePublicEndpoint)
	in.KeyStorePassword = aws.String(lifecyclePassword)

	// An input with secrets is refused, by gob and by xml, naming the
	// members and not their values (issue 17 §5).
	type gobbed struct {
		In    kms.CreateCustomKeyStoreInput
		Entry kms.CustomKeyStoresListEntry
		Cfg   kms.XksProxyConfigurationType
	}
	var buf bytes.Buffer
	err := gob.NewEncoder(&buf).Encode(gobbed{*in, entry, cfg})
	require.ErrorContains(t, err, "kms: refusing to encode a secret: KeyStorePassword, XksProxyAuthenticationCredential.AccessKeyId, XksProxyAuthenticationCredential.RawSecretAccessKey of this CreateCustomKeyStoreInput is set")
	type doc struct {
		In    kms.CreateCustomKeyStoreInput
		Entry kms.CustomKeyStoresListEntry
	}
	x, xerr := xml.Marshal(doc{*in, entry})
	require.ErrorContains(t, xerr, "kms: refusing to encode a secret: ")
	for _, secret := range lifecycleSecrets {
		assert.NotContains(t, err.Error()+xerr.Error()+buf.String()+string(x), secret)
	}

	// Without them the input survives whole; the structures Describe
	// returns encode with AccessKeyId redacted.
	in.KeyStorePassword, in.XksProxyAuthenticationCredential = nil, nil
	buf.Reset()
	require.NoError(t, gob.NewEncoder(&buf).Encode(gobbed{*in, entry, cfg}))
	for _, secret := range lifecycleSecrets {
		assert.NotContains(t, buf.String(), secret, "gob")
	}
	var back gobbed
	require.NoError(t, gob.NewDecoder(&buf).Decode(&back))
	assert.Equal(t, *in, back.In, "the input survives")
	assert.Equal(t, lifecyclePath, aws.ToString(back.In.XksProxyUriPath), "the rest survives")
	assert.Equal(t, "[REDACTED]", aws.ToString(back.Entry.XksProxyConfiguration.AccessKeyId))
	assert.Equal(t, created, *back.Entry.CreationDate)
	assert.Equal(t, kms.ConnectionErrorCodeTypeXksProxyTimedOut, back.Entry.ConnectionErrorCode)
	assert.Equal(t, "[REDACTED]", aws.ToString(back.Cfg.AccessKeyId))

	x, err = xml.Marshal(doc{*in, entry})
	require.NoError(t, err)
	for _, secret := range lifecycleSecrets {
		assert.NotContains(t, string(x), secret, "xml")
	}
	assert.Contains(t, string(x), "[REDACTED]")
}
