package kms_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kmskit/kms"
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
