package kms_test

import (
	"bytes"
	"context"
	"encoding/gob"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/kmskit/kms"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestFormatRedactsSecrets(t *testing.T) {
	in := fullInput()
	cred := *in.XksProxyAuthenticationCredential
	type exported struct {
		Name  string
		Input kms.UpdateCustomKeyStoreInput
		Ptr   *kms.UpdateCustomKeyStoreInput
	}
	type unexported struct {
		in  kms.UpdateCustomKeyStoreInput
		ptr *kms.UpdateCustomKeyStoreInput
	}
	values := []struct {
		name string
		v    any
		// redactedShown: the output names the secrets as [REDACTED]; false
		// where fmt cannot call methods (unexported fields print pointers).
		redactedShown bool
	}{
		{"value", in, true},
		{"pointer", &in, true},
		{"credential value", cred, true},
		{"credential pointer", &cred, true},
		{"exported fields", exported{Name: "x", Input: in, Ptr: &in}, true},
		{"unexported fields", unexported{in: in, ptr: &in}, false},
		{"slice of values", []kms.UpdateCustomKeyStoreInput{in, in}, true},
		{"slice of pointers", []*kms.UpdateCustomKeyStoreInput{&in, nil}, true},
		{"map", map[string]kms.UpdateCustomKeyStoreInput{"k": in}, true},
		{"interface slice", []any{in, &cred}, true},
	}
	verbs := []string{"%v", "%+v", "%#v", "%s", "%q", "%+q", "%#q", "%x", "%X", "%d", "%30v", "%-30s", "%T", "%p"}
	for _, val := range values {
		for _, verb := range verbs {
			t.Run(val.name+"/"+verb, func(t *testing.T) {
				out := fmt.Sprintf(verb, val.v)
				assertNoSecret(t, out)
				if !val.redactedShown {
					return
				}
				switch verb {
				case "%v", "%+v", "%#v", "%s", "%30v", "%-30s", "%q", "%+q", "%#q":
					assert.Contains(t, out, "[REDACTED]")
					if !strings.HasPrefix(val.name, "credential") {
						assert.Contains(t, out, visibleName, "non-secret members stay visible")
					}
				}
			})
		}
	}
	// Print, Println and the Stringer/GoStringer methods.
	for _, out := range []string{fmt.Sprint(in), fmt.Sprintln(&in), in.String(), in.GoString(), cred.String(), cred.GoString()} {
		assertNoSecret(t, out)
		assert.Contains(t, out, "[REDACTED]")
	}
	for _, v := range visibleValues {
		assert.Contains(t, fmt.Sprintf("%v", in), v)
		assert.Contains(t, fmt.Sprintf("%#v", &in), v)
	}
}

func TestFormatExactText(t *testing.T) {
	in := kms.UpdateCustomKeyStoreInput{
		CustomKeyStoreId: aws.String("cks-1"),
		KeyStorePassword: aws.String(secretPassword),
		XksProxyAuthenticationCredential: &kms.XksProxyAuthenticationCredentialType{
			AccessKeyId:        aws.String("AKID"),
			RawSecretAccessKey: aws.String(secretRawKey),
		},
		XksProxyConnectivity:           kms.XksProxyConnectivityTypePublicEndpoint,
		XksProxyVpcEndpointServiceName: aws.String(""),
	}
	text := `{CustomKeyStoreId:"cks-1" KeyStorePassword:[REDACTED] XksProxyAuthenticationCredential:{AccessKeyId:[REDACTED] RawSecretAccessKey:[REDACTED]} XksProxyConnectivity:"PUBLIC_ENDPOINT" XksProxyVpcEndpointServiceName:""}`
	goSyntax := `kms.UpdateCustomKeyStoreInput{CustomKeyStoreId:aws.String("cks-1"), KeyStorePassword:aws.String("[REDACTED]"), ` +
		`XksProxyAuthenticationCredential:&kms.XksProxyAuthenticationCredentialType{AccessKeyId:aws.String("[REDACTED]"), RawSecretAccessKey:aws.String("[REDACTED]")}, ` +
		`XksProxyConnectivity:kms.XksProxyConnectivityType("PUBLIC_ENDPOINT"), XksProxyVpcEndpointServiceName:aws.String("")}`
	tests := []struct {
		format string
		arg    any
		want   string
	}{
		{"%v", in, text},
		{"%+v", &in, text},
		{"%s", in, text},
		{"%#v", in, goSyntax},
		{"%#v", &in, goSyntax},
		{"%q", in, fmt.Sprintf("%q", text)},
		{"%d", in, "%!d(kms.UpdateCustomKeyStoreInput)"},
		{"%v", kms.UpdateCustomKeyStoreInput{}, "{}"},
		{"%#v", kms.UpdateCustomKeyStoreInput{}, "kms.UpdateCustomKeyStoreInput{}"},
		{"%v", (*kms.UpdateCustomKeyStoreInput)(nil), "<nil>"},
		{"%6v", kms.XksProxyAuthenticationCredentialType{}, "    {}"},
		{"%-6v|", kms.XksProxyAuthenticationCredentialType{}, "{}    |"},
		{"%v", *in.XksProxyAuthenticationCredential, `{AccessKeyId:[REDACTED] RawSecretAccessKey:[REDACTED]}`},
	}
	for _, tt := range tests {
		t.Run(tt.format, func(t *testing.T) {
			assert.Equal(t, tt.want, fmt.Sprintf(tt.format, tt.arg))
		})
	}
}

func TestSlogRedactsSecrets(t *testing.T) {
	in := fullInput()
	handlers := []struct {
		name string
		new  func(io.Writer) slog.Handler
	}{
		{"json", func(w io.Writer) slog.Handler { return slog.NewJSONHandler(w, nil) }},
		{"text", func(w io.Writer) slog.Handler { return slog.NewTextHandler(w, nil) }},
	}
	args := []struct {
		name string
		attr slog.Attr
	}{
		{"value", slog.Any("in", in)},
		{"pointer", slog.Any("in", &in)},
		{"credential", slog.Any("cred", in.XksProxyAuthenticationCredential)},
		{"in a group", slog.Group("g", slog.Any("in", in))},
		{"slice", slog.Any("ins", []kms.UpdateCustomKeyStoreInput{in})},
		{"struct", slog.Any("s", struct {
			In *kms.UpdateCustomKeyStoreInput
		}{&in})},
	}
	for _, h := range handlers {
		for _, a := range args {
			t.Run(h.name+"/"+a.name, func(t *testing.T) {
				var buf bytes.Buffer
				slog.New(h.new(&buf)).Info("update", a.attr)
				out := buf.String()
				assertNoSecret(t, out)
				assert.Contains(t, out, "[REDACTED]")
				if a.name != "credential" {
					assert.Contains(t, out, visibleName)
				}
			})
		}
	}
	// The group form names every visible member.
	var buf bytes.Buffer
	slog.New(slog.NewJSONHandler(&buf, nil)).Info("update", "in", in)
	var rec struct {
		In map[string]any `json:"in"`
	}
	require.NoError(t, json.Unmarshal(buf.Bytes(), &rec))
	assert.Equal(t, "[REDACTED]", rec.In["KeyStorePassword"])
	assert.Equal(t, map[string]any{"AccessKeyId": "[REDACTED]", "RawSecretAccessKey": "[REDACTED]"}, rec.In["XksProxyAuthenticationCredential"])
	assert.Equal(t, visibleName, rec.In["NewCustomKeyStoreName"])
	assert.Len(t, rec.In, 10)
}

func TestJSONRedactsSecrets(t *testing.T) {
	in := fullInput()
	for _, v := range []any{in, &in, []any{in}, struct {
		Req *kms.UpdateCustomKeyStoreInput
	}{&in}} {
		b, err := json.Marshal(v)
		require.NoError(t, err)
		assertNoSecret(t, string(b))
		assert.Contains(t, string(b), `"KeyStorePassword":"[REDACTED]"`)
		assert.Contains(t, string(b), `"RawSecretAccessKey":"[REDACTED]"`)
		assert.Contains(t, string(b), `"AccessKeyId":"[REDACTED]"`)
		for _, s := range visibleValues {
			assert.Contains(t, string(b), s)
		}
	}
	var back kms.UpdateCustomKeyStoreInput
	b, err := json.Marshal(in)
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(b, &back))
	assert.Equal(t, "[REDACTED]", *back.KeyStorePassword)
	assert.Equal(t, *in.XksProxyUriEndpoint, *back.XksProxyUriEndpoint)
	assert.Equal(t, in.XksProxyConnectivity, back.XksProxyConnectivity)

	cred, err := json.Marshal(in.XksProxyAuthenticationCredential)
	require.NoError(t, err)
	assert.JSONEq(t, `{"AccessKeyId":"[REDACTED]","RawSecretAccessKey":"[REDACTED]"}`, string(cred))

	// Nil secrets are left out, not redacted.
	b, err = json.Marshal(kms.UpdateCustomKeyStoreInput{CustomKeyStoreId: aws.String("cks-1"),
		XksProxyAuthenticationCredential: &kms.XksProxyAuthenticationCredentialType{AccessKeyId: aws.String("A")}})
	require.NoError(t, err)
	assert.JSONEq(t, `{"CustomKeyStoreId":"cks-1","XksProxyAuthenticationCredential":{"AccessKeyId":"[REDACTED]"}}`, string(b))
}

// The encoder sends the real secrets even though every printing path
// redacts them.
func TestWireCarriesRealSecrets(t *testing.T) {
	for _, in := range []*kms.UpdateCustomKeyStoreInput{cloudHSMInput(), xksInput()} {
		c, rec := setup(t, nil)
		_, err := c.UpdateCustomKeyStore(context.Background(), in)
		require.NoError(t, err)
		reqs := rec.all()
		require.Len(t, reqs, 1)
		var got kms.UpdateCustomKeyStoreInput
		require.NoError(t, json.Unmarshal(reqs[0].body, &got))
		if in.KeyStorePassword != nil {
			require.NotNil(t, got.KeyStorePassword)
			assert.Equal(t, secretPassword, *got.KeyStorePassword)
		} else {
			require.NotNil(t, got.XksProxyAuthenticationCredential)
			assert.Equal(t, secretRawKey, *got.XksProxyAuthenticationCredential.RawSecretAccessKey)
			assert.Contains(t, string(reqs[0].body), `"RawSecretAccessKey":"`+secretRawKey+`"`)
		}
	}
}

// echoHandler answers 400 with a message that repeats the request body, as
// a careless proxy might, in JSON or in an HTML page.
func echoHandler(html bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if html {
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(http.StatusBadRequest)
			_, _ = fmt.Fprintf(w, "<html><body>bad request: %s</body></html>", body)
			return
		}
		msg, _ := json.Marshal("cannot use " + string(body))
		w.WriteHeader(http.StatusBadRequest)
		_, _ = fmt.Fprintf(w, `{"__type":"ValidationException","message":%s}`, msg)
	}
}

func TestErrorsNeverHoldSecrets(t *testing.T) {
	for _, html := range []bool{false, true} {
		for _, in := range []*kms.UpdateCustomKeyStoreInput{cloudHSMInput(), xksInput()} {
			t.Run(fmt.Sprintf("echo html=%v", html), func(t *testing.T) {
				c, rec := setup(t, echoHandler(html))
				_, err := c.UpdateCustomKeyStore(context.Background(), in)
				require.Error(t, err)
				require.Len(t, rec.all(), 1)
				// The server did see (and echo) the secret ...
				assert.True(t, strings.Contains(string(rec.all()[0].body), secretPassword) ||
					strings.Contains(string(rec.all()[0].body), secretRawKey))
				// ... but no text of the error holds it.
				assertNoSecret(t, err.Error())
				assertNoSecret(t, fmt.Sprintf("%+v", err))
				var apiErr *kms.APIError
				require.ErrorAs(t, err, &apiErr)
				assertNoSecret(t, apiErr.Message)
				assert.Contains(t, err.Error(), "[REDACTED]")
				assert.Contains(t, err.Error(), testStoreID, "the rest of the echo stays")
			})
		}
	}

	t.Run("transport error", func(t *testing.T) {
		hc := roundTripFunc(func(r *http.Request) (*http.Response, error) {
			return nil, &netOpError{}
		})
		c := kms.New(kms.Options{Region: "us-east-1", Credentials: staticCreds(), HTTPClient: hc, Retryer: fastRetryer(2)})
		for _, in := range []*kms.UpdateCustomKeyStoreInput{cloudHSMInput(), xksInput()} {
			_, err := c.UpdateCustomKeyStore(context.Background(), in)
			require.Error(t, err)
			assert.Contains(t, err.Error(), "connection reset")
			assertNoSecret(t, err.Error())
		}
	})

	t.Run("validation errors", func(t *testing.T) {
		long := strings.Repeat(secretPassword, 3)
		bad := []*kms.UpdateCustomKeyStoreInput{
			{CustomKeyStoreId: aws.String("cks-1"), KeyStorePassword: aws.String(long)},
			{CustomKeyStoreId: aws.String("cks-1"), KeyStorePassword: aws.String(secretPassword), XksProxyUriPath: aws.String(visibleUriPath)},
			{CustomKeyStoreId: aws.String("cks-1"), XksProxyAuthenticationCredential: &kms.XksProxyAuthenticationCredentialType{
				AccessKeyId: aws.String("lowercase"), RawSecretAccessKey: aws.String(secretRawKey + "!!")}},
			{CustomKeyStoreId: aws.String("cks-1"), XksProxyAuthenticationCredential: &kms.XksProxyAuthenticationCredentialType{
				RawSecretAccessKey: aws.String(secretPassword)}},
		}
		c, rec := setup(t, nil)
		for i, in := range bad {
			_, err := c.UpdateCustomKeyStore(context.Background(), in)
			require.Error(t, err, "input %d", i)
			var vErr *kms.ValidationError
			require.ErrorAs(t, err, &vErr)
			assertNoSecret(t, err.Error())
			assertNoSecret(t, fmt.Sprintf("%#v", err))
		}
		assert.Empty(t, rec.all(), "nothing was sent")
	})
}

// capture is a slog handler that keeps records and counts Enabled calls.
type capture struct {
	level   slog.Level
	records []slog.Record
	enabled int
}

func (h *capture) Enabled(_ context.Context, l slog.Level) bool { h.enabled++; return l >= h.level }
func (h *capture) Handle(_ context.Context, r slog.Record) error {
	h.records = append(h.records, r.Clone())
	return nil
}
func (h *capture) WithAttrs([]slog.Attr) slog.Handler { return h }
func (h *capture) WithGroup(string) slog.Handler      { return h }

func TestDebugLogging(t *testing.T) {
	var buf bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	var count atomic.Int32
	c, _ := setup(t, func(w http.ResponseWriter, r *http.Request) {
		n := count.Add(1)
		w.Header().Set("X-Amzn-Requestid", fmt.Sprintf("req-%d", n))
		if n == 1 {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		_, _ = io.WriteString(w, "{}")
	}, func(o *kms.Options) { o.Logger = logger })

	for _, in := range []*kms.UpdateCustomKeyStoreInput{xksInput(), cloudHSMInput()} {
		count.Store(0)
		buf.Reset()
		_, err := c.UpdateCustomKeyStore(context.Background(), in)
		require.NoError(t, err)

		out := buf.String()
		assertNoSecret(t, out)
		for _, forbidden := range []string{testCreds.SecretAccessKey, "Signature", "AWS4-HMAC-SHA256", "Authorization", "Credential="} {
			assert.NotContains(t, out, forbidden)
		}
		lines := strings.Split(strings.TrimSpace(out), "\n")
		require.Len(t, lines, 2, "one record per attempt")
		for i, line := range lines {
			var rec map[string]any
			require.NoError(t, json.Unmarshal([]byte(line), &rec))
			assert.Equal(t, "DEBUG", rec["level"])
			assert.Equal(t, "TrentService.UpdateCustomKeyStore", rec["target"])
			assert.EqualValues(t, i+1, rec["attempt"])
			assert.EqualValues(t, []int{503, 200}[i], rec["status"])
			assert.Equal(t, fmt.Sprintf("req-%d", i+1), rec["request_id"])
			assert.Greater(t, rec["duration"], 0.0)
			body, _ := rec["body"].(string)
			assert.Contains(t, body, "[REDACTED]")
			assert.Contains(t, body, testStoreID)
			var sent kms.UpdateCustomKeyStoreInput
			assert.NoError(t, json.Unmarshal([]byte(body), &sent), "the logged body is the JSON request")
			if i == 0 {
				assert.Equal(t, "HTTP 503", rec["error_code"])
			} else {
				assert.NotContains(t, rec, "error_code")
			}
		}
	}
}

func TestLoggingOffCostsNothing(t *testing.T) {
	hc := roundTripFunc(func(*http.Request) (*http.Response, error) {
		return &http.Response{StatusCode: 200, Header: http.Header{}, Body: http.NoBody}, nil
	})
	in := cloudHSMInput()
	infoOnly := &capture{level: slog.LevelInfo}
	debug := &capture{level: slog.LevelDebug}
	newClient := func(l *slog.Logger) *kms.Client {
		return kms.New(kms.Options{Region: "us-east-1", Credentials: staticCreds(), HTTPClient: hc, Retryer: fastRetryer(1), Logger: l})
	}
	allocs := func(c *kms.Client) float64 {
		return testing.AllocsPerRun(200, func() {
			if _, err := c.UpdateCustomKeyStore(context.Background(), in); err != nil {
				t.Fatal(err)
			}
		})
	}
	off := allocs(newClient(nil))
	disabled := allocs(newClient(slog.New(infoOnly)))
	on := allocs(newClient(slog.New(debug)))
	assert.Equal(t, off, disabled, "a logger above Debug costs no allocation")
	assert.Greater(t, on, off, "logging does allocate, so the measurement can tell")
	assert.Empty(t, infoOnly.records)
	assert.Positive(t, infoOnly.enabled, "the level was asked once per call")
	assert.NotEmpty(t, debug.records)
}

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

// TestEveryEncoderRedactsSecrets: encoding/json never writes a secret of an
// input or a credential (it writes "[REDACTED]"); encoding/gob and
// encoding/xml refuse to encode one, with an error naming the member and
// not the value, rather than write the marker that decoding would turn
// into the secret's value (issue 17 §5); without a secret, gob round trips
// every value.
func TestEveryEncoderRedactsSecrets(t *testing.T) {
	in := fullInput()
	cred := *in.XksProxyAuthenticationCredential
	type holder struct {
		In   kms.UpdateCustomKeyStoreInput
		Ptr  *kms.UpdateCustomKeyStoreInput
		Cred kms.XksProxyAuthenticationCredentialType
	}
	for name, v := range map[string]any{"input": in, "pointer": &in, "credential": cred, "holder": holder{in, &in, cred}} {
		t.Run(name, func(t *testing.T) {
			var g bytes.Buffer
			err := gob.NewEncoder(&g).Encode(v)
			require.ErrorContains(t, err, "kms: refusing to encode a secret: ")
			assert.Contains(t, err.Error(), "RawSecretAccessKey")
			assertNoSecret(t, err.Error()+g.String(), "gob")
			x, err := xml.Marshal(v)
			require.ErrorContains(t, err, "kms: refusing to encode a secret: ")
			assertNoSecret(t, err.Error()+string(x), "xml")
			j, err := json.Marshal(v)
			require.NoError(t, err)
			assertNoSecret(t, string(j), "json")
			assert.Contains(t, string(j), "[REDACTED]")
		})
	}

	plain := in
	plain.KeyStorePassword, plain.XksProxyAuthenticationCredential = nil, nil
	var g bytes.Buffer
	require.NoError(t, gob.NewEncoder(&g).Encode(holder{plain, &plain, kms.XksProxyAuthenticationCredentialType{}}))
	var back holder
	require.NoError(t, gob.NewDecoder(&g).Decode(&back))
	assert.Equal(t, plain, back.In, "every value survives")
	assert.Equal(t, plain, *back.Ptr)
	assert.Equal(t, *in.CustomKeyStoreId, *back.In.CustomKeyStoreId)
	assert.Equal(t, in.XksProxyConnectivity, back.Ptr.XksProxyConnectivity)
	x, err := xml.Marshal(holder{plain, &plain, kms.XksProxyAuthenticationCredentialType{}})
	require.NoError(t, err)
	assert.Contains(t, string(x), *in.CustomKeyStoreId)
}
