package kms_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kmskit/kms"
	"github.com/kmskit/kms/internal/echotest"
)

// assertNoFragment fails when s holds any piece of 6 or more characters of
// secret, as sent or with its white space folded.
func assertNoFragment(t *testing.T, s, secret string, msgAndArgs ...any) {
	t.Helper()
	for _, form := range []string{secret, strings.Join(strings.Fields(secret), " ")} {
		for i := 0; i+6 <= len(form); i++ {
			if piece := form[i : i+6]; strings.Contains(s, piece) {
				t.Errorf("a piece %q of a secret survived in %q %v", piece, s, msgAndArgs)
				return
			}
		}
	}
}

// apiErrorTexts returns every text an error offers: its message, its %+v
// form and each field of the *APIError in it.
func apiErrorTexts(t *testing.T, err error) []string {
	t.Helper()
	texts := []string{err.Error(), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", err)}
	var apiErr *kms.APIError
	if assert.ErrorAs(t, err, &apiErr) {
		texts = append(texts, apiErr.Code, apiErr.Message, apiErr.RequestID, apiErr.ErrorCode(), apiErr.ErrorMessage())
	}
	return texts
}

func passwordInput(password string) *kms.UpdateCustomKeyStoreInput {
	return &kms.UpdateCustomKeyStoreInput{CustomKeyStoreId: aws.String(testStoreID), KeyStorePassword: aws.String(password)}
}

// TestEchoScrubbedFromEveryAPIErrorField: a server that puts the password
// in the request ID, the error type header, the __type and the message
// leaves none of it in any field of the *APIError or in the error's text,
// and none in the Debug log lines.
func TestEchoScrubbedFromEveryAPIErrorField(t *testing.T) {
	cases := map[string]http.HandlerFunc{
		"request id and message": func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("X-Amzn-Requestid", "rid-"+secretPassword)
			w.WriteHeader(http.StatusBadRequest)
			_, _ = fmt.Fprintf(w, `{"__type":"ValidationException","message":"bad password %s"}`, secretPassword)
		},
		"error type header": func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("X-Amzn-Errortype", secretPassword)
			w.WriteHeader(http.StatusBadRequest)
		},
		"__type": func(w http.ResponseWriter, _ *http.Request) {
			w.WriteHeader(http.StatusBadRequest)
			_, _ = fmt.Fprintf(w, `{"__type":"aws.kms#%sException","message":"m"}`, secretPassword)
		},
		"unicode escaped in JSON": func(w http.ResponseWriter, _ *http.Request) {
			var esc strings.Builder
			for _, r := range secretPassword {
				fmt.Fprintf(&esc, `\u%04x`, r)
			}
			w.WriteHeader(http.StatusBadRequest)
			_, _ = fmt.Fprintf(w, `{"__type":"ValidationException","message":"got %s"}`, esc.String())
		},
		"server cut its own echo": func(w http.ResponseWriter, _ *http.Request) {
			w.WriteHeader(http.StatusBadRequest)
			_, _ = fmt.Fprintf(w, `{"__type":"ValidationException","message":"Value '%s...' is bad"}`, secretPassword[:8])
		},
		"format character inside": func(w http.ResponseWriter, _ *http.Request) {
			w.WriteHeader(http.StatusBadRequest)
			_, _ = fmt.Fprintf(w, `{"__type":"ValidationException","message":"got %s\u200b%s"}`, secretPassword[:4], secretPassword[4:])
		},
	}
	for name, h := range cases {
		t.Run(name, func(t *testing.T) {
			var logs bytes.Buffer
			logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
			c, _ := setup(t, h, func(o *kms.Options) { o.Logger = logger; o.RetryMaxAttempts = 1 })
			_, err := c.UpdateCustomKeyStore(context.Background(), passwordInput(secretPassword))
			require.Error(t, err)
			for _, s := range apiErrorTexts(t, err) {
				assertNoFragment(t, s, secretPassword)
			}
			require.NotEmpty(t, logs.String())
			assertNoFragment(t, logs.String(), secretPassword, "log")
		})
	}
}

// TestEchoScrubbedInAlteredForms: a password with a tab or a double space,
// echoed as sent, folded by the library's excerpt, or folded by the server;
// and a password cut where the 256-byte excerpt or the 4 KiB message ends.
func TestEchoScrubbedInAlteredForms(t *testing.T) {
	const (
		tabPassword    = "Zq7\tpWx9-Kv3!"
		doublePassword = "Zq7  pWx9-Kv3!"
	)
	html := func(body string) http.HandlerFunc {
		return func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(http.StatusBadGateway)
			_, _ = io.WriteString(w, body)
		}
	}
	jsonMessage := func(msg string) http.HandlerFunc {
		return func(w http.ResponseWriter, _ *http.Request) {
			b, _ := json.Marshal(msg)
			w.WriteHeader(http.StatusBadRequest)
			_, _ = fmt.Fprintf(w, `{"__type":"ValidationException","message":%s}`, b)
		}
	}
	cases := []struct {
		name, password string
		h              http.HandlerFunc
	}{
		{"tab, html as sent", tabPassword, html("<p>password\n" + tabPassword + "</p>")},
		{"tab, json as sent", tabPassword, jsonMessage("password " + tabPassword)},
		{"tab, folded by the server", tabPassword, html("<p>password Zq7 pWx9-Kv3!</p>")},
		{"double space, html", doublePassword, html("<p>" + doublePassword + "</p>")},
		{"double space, folded by the server", doublePassword, jsonMessage("pw Zq7 pWx9-Kv3! rejected")},
		{"double space, newline instead", doublePassword, jsonMessage("pw Zq7\n\npWx9-Kv3! rejected")},
		{"cut by the 256-byte excerpt", secretPassword, html(strings.Repeat("x", 250) + secretPassword + " trailing text")},
		{"cut by the 256-byte excerpt, folded", tabPassword, html(strings.Repeat("y ", 125) + tabPassword + " trailing text")},
		{"cut by the 4 KiB message", secretPassword, jsonMessage(strings.Repeat("z", 4<<10-6) + secretPassword)},
		{"cut by the 4 KiB message after a space", secretPassword, jsonMessage(strings.Repeat("z", 4<<10-12) + " " + secretPassword)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, _ := setup(t, tc.h, func(o *kms.Options) { o.RetryMaxAttempts = 1; o.DisableClientValidation = true })
			_, err := c.UpdateCustomKeyStore(context.Background(), passwordInput(tc.password))
			require.Error(t, err)
			for _, s := range apiErrorTexts(t, err) {
				assertNoFragment(t, s, tc.password)
				// What a cut left: no trailing piece of 4 or more.
				s = strings.TrimSuffix(s, "...")
				for k := 4; k < len(tc.password); k++ {
					assert.False(t, strings.HasSuffix(s, tc.password[:k]), "prefix %q left at the cut of %q", tc.password[:k], s)
				}
			}
		})
	}
}

// TestEchoScrubbedFromTransportErrors: an HTTP error that quotes a response
// header holding the password is scrubbed, in the error and in the log.
func TestEchoScrubbedFromTransportErrors(t *testing.T) {
	base := echotest.RawServer(t, "HTTP/1.1 200 OK\r\nContent-Length: 12"+secretPassword+"\r\n\r\n{}")
	var logs bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	tr := http.DefaultTransport.(*http.Transport).Clone()
	t.Cleanup(tr.CloseIdleConnections)
	c := kms.New(kms.Options{Region: "us-east-1", Credentials: staticCreds(), BaseEndpoint: aws.String(base),
		HTTPClient: &http.Client{Transport: tr}, Retryer: fastRetryer(2), Logger: logger})
	_, err := c.UpdateCustomKeyStore(context.Background(), passwordInput(secretPassword))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "Content-Length", "the transport's own words stay")
	assertNoFragment(t, err.Error(), secretPassword)
	assertNoFragment(t, fmt.Sprintf("%+v", err), secretPassword)
	assert.Contains(t, logs.String(), "Content-Length")
	assertNoFragment(t, logs.String(), secretPassword, "log")
}

// TestEchoOfAccessKeyIdScrubbed: AccessKeyId is sensitive, so an echo of it
// is scrubbed like the raw secret's.
func TestEchoOfAccessKeyIdScrubbed(t *testing.T) {
	c, _ := setup(t, func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("X-Amzn-Requestid", "rid-"+xksAccessKeyID)
		w.WriteHeader(http.StatusBadRequest)
		_, _ = fmt.Fprintf(w, `{"__type":"XksProxyIncorrectAuthenticationCredentialException","message":"access key %s is not accepted"}`, xksAccessKeyID)
	}, func(o *kms.Options) { o.RetryMaxAttempts = 1 })
	_, err := c.UpdateCustomKeyStore(context.Background(), xksInput())
	require.ErrorIs(t, err, kms.ErrXksProxyIncorrectAuthenticationCredential)
	for _, s := range apiErrorTexts(t, err) {
		assertNoFragment(t, s, xksAccessKeyID)
		assertNoFragment(t, s, secretRawKey)
	}
	assert.Contains(t, err.Error(), "is not accepted")
}

// TestCreateEchoScrubbed: CreateCustomKeyStore (invoke.go's path) scrubs a
// server's echo of KeyStorePassword from every APIError field, the error
// text and the Debug log, also where the 4 KiB cut leaves its prefix, and
// from a success's RequestID.
func TestCreateEchoScrubbed(t *testing.T) {
	jsonMessage := func(msg string) http.HandlerFunc {
		return func(w http.ResponseWriter, _ *http.Request) {
			b, _ := json.Marshal(msg)
			w.Header().Set("X-Amzn-Requestid", "rid-"+lifecyclePassword)
			w.WriteHeader(http.StatusBadRequest)
			_, _ = fmt.Fprintf(w, `{"__type":"ValidationException","message":%s}`, b)
		}
	}
	cases := map[string]http.HandlerFunc{
		"whole":                    jsonMessage("bad password " + lifecyclePassword),
		"cut by the 4 KiB message": jsonMessage(strings.Repeat("z", 4<<10-6) + lifecyclePassword),
		"error type header": func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("X-Amzn-Errortype", lifecyclePassword)
			w.WriteHeader(http.StatusBadRequest)
		},
	}
	for name, h := range cases {
		t.Run(name, func(t *testing.T) {
			var logs bytes.Buffer
			logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
			c, _ := setup(t, h, func(o *kms.Options) { o.Logger = logger; o.RetryMaxAttempts = 1 })
			_, err := c.CreateCustomKeyStore(context.Background(), cloudHsmCreate())
			require.Error(t, err)
			for _, s := range apiErrorTexts(t, err) {
				assertNoFragment(t, s, lifecyclePassword)
				for k := 4; k < len(lifecyclePassword); k++ {
					assert.False(t, strings.HasSuffix(strings.TrimSuffix(s, "..."), lifecyclePassword[:k]), "prefix left at the cut of %q", s)
				}
			}
			assertNoFragment(t, logs.String(), lifecyclePassword, "log")
		})
	}
	t.Run("success request id", func(t *testing.T) {
		c, _ := setup(t, func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("X-Amzn-Requestid", "rid-"+lifecyclePassword)
			_, _ = fmt.Fprint(w, `{"CustomKeyStoreId":"cks-1234567890abcdef0"}`)
		})
		out, err := c.CreateCustomKeyStore(context.Background(), cloudHsmCreate())
		require.NoError(t, err)
		assertNoFragment(t, out.RequestID, lifecyclePassword)
	})
}

// exactPasswords share words or long runs with member names, IDs and
// codes: the old scrubber (every 6-byte window shared with a secret)
// mangled each of them.
var exactPasswords = []string{"kmsuser-password", "kmsuser-free", "InvalidState!", "xStoreInvalid", "Password1!"}

// TestExactScrubbingKeepsCodesNamesAndIDs: with each of exactPasswords as
// KeyStorePassword, a CustomKeyStoreInvalidStateException whose message
// names a member and a cluster ID and echoes the password keeps its code
// (errors.Is matches, the state advice is added), the member name and the
// ID whole, and loses only the echo; the debug log keeps the body's
// "KeyStorePassword" whole. With kmsuser-password, the message
// "KeyStorePassword is not the password of kmsuser" stays intact.
func TestExactScrubbingKeepsCodesNamesAndIDs(t *testing.T) {
	const innocent = "KeyStorePassword is not the password of kmsuser; cluster cluster-free23456abc is fine"
	for _, pw := range exactPasswords {
		t.Run(pw, func(t *testing.T) {
			var logs bytes.Buffer
			logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
			c, _ := setup(t, func(w http.ResponseWriter, _ *http.Request) {
				w.Header().Set("X-Amzn-Requestid", "rid-"+pw)
				w.WriteHeader(http.StatusBadRequest)
				b, _ := json.Marshal(innocent + "; you sent " + pw + " and then " + pw[:5] + "...")
				_, _ = fmt.Fprintf(w, `{"__type":"aws.kms#CustomKeyStoreInvalidStateException","message":%s}`, b)
			}, func(o *kms.Options) { o.Logger = logger; o.RetryMaxAttempts = 1 })
			_, err := c.UpdateCustomKeyStore(context.Background(), passwordInput(pw))
			require.ErrorIs(t, err, kms.ErrCustomKeyStoreInvalidState)
			var apiErr *kms.APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, "CustomKeyStoreInvalidStateException", apiErr.Code)
			assert.Contains(t, err.Error(), "this update sends KeyStorePassword, which KMS changes only while the custom key store is DISCONNECTED", "the state advice")
			assert.Contains(t, apiErr.Message, "KeyStorePassword is not the")
			assert.Contains(t, apiErr.Message, "cluster cluster-free23456abc is fine")
			if pw == "kmsuser-password" {
				assert.Contains(t, apiErr.Message, "KeyStorePassword is not the password of kmsuser;")
			}
			assert.Contains(t, apiErr.Message, "you sent [REDACTED] and then [REDACTED]...")
			assert.Equal(t, "rid-[REDACTED]", apiErr.RequestID)
			for _, s := range append(apiErrorTexts(t, err), logs.String()) {
				assert.NotContains(t, s, pw)
				assert.NotContains(t, s, pw[:5]+"...")
			}
			assert.Contains(t, logs.String(), `\"KeyStorePassword\":\"[REDACTED]\"`, "the debug log's body keeps the member name")
			assert.Contains(t, logs.String(), "error_code=CustomKeyStoreInvalidStateException")
		})
	}
}

// TestTransportErrorsUnwrapToNoEcho: a malformed reply that echoes the
// password makes net/http return a *url.Error quoting it. The error the
// client returns is scrubbed down its whole chain: errors.As never yields
// that *url.Error, and no error it unwraps to holds the password (today
// the text is clean but errors.As returns the raw *url.Error).
func TestTransportErrorsUnwrapToNoEcho(t *testing.T) {
	cases := echotest.MalformedReplies(secretPassword)
	for name, reply := range cases {
		for _, client := range []string{"default", "plain *http.Client"} {
			t.Run(name+"/"+client, func(t *testing.T) {
				o := kms.Options{Region: "us-east-1", Credentials: staticCreds(), BaseEndpoint: aws.String(echotest.RawServer(t, reply)), Retryer: fastRetryer(1)}
				if client != "default" {
					tr := http.DefaultTransport.(*http.Transport).Clone()
					t.Cleanup(tr.CloseIdleConnections)
					o.HTTPClient = &http.Client{Transport: tr}
				}
				_, err := kms.New(o).UpdateCustomKeyStore(context.Background(), cloudHSMInput())
				require.Error(t, err)
				assert.Contains(t, err.Error(), "[REDACTED]", "the echo was there and is scrubbed")
				for _, s := range echotest.ErrorTexts(err) {
					assertNoSecret(t, s)
				}
				var urlErr *url.Error
				if errors.As(err, &urlErr) {
					assertNoSecret(t, urlErr.Error(), "*url.Error")
				}
			})
		}
	}
}

// timeoutError is a net.Error that timed out.
type timeoutError struct{}

func (timeoutError) Error() string   { return "i/o timeout" }
func (timeoutError) Timeout() bool   { return true }
func (timeoutError) Temporary() bool { return true }

// TestScrubbedTransportErrorsKeepTheirClass: an HTTP client error that
// echoes the password still matches context.Canceled and
// context.DeadlineExceeded, still reports Timeout() through net.Error, and
// is retried as its unscrubbed form says (a timeout, a dial error and, for
// the standard retryer, a DeadlineExceeded that is not the call's own
// context are), while nothing it unwraps to holds the echo.
func TestScrubbedTransportErrorsKeepTheirClass(t *testing.T) {
	cases := map[string]struct {
		cause    error
		attempts int
		check    func(t *testing.T, err error)
	}{
		"canceled": {context.Canceled, 1, func(t *testing.T, err error) { assert.ErrorIs(t, err, context.Canceled) }},
		"deadline": {context.DeadlineExceeded, 3, func(t *testing.T, err error) { assert.ErrorIs(t, err, context.DeadlineExceeded) }},
		"timeout": {&net.OpError{Op: "read", Net: "tcp", Err: timeoutError{}}, 3, func(t *testing.T, err error) {
			var ne net.Error
			require.ErrorAs(t, err, &ne)
			assert.True(t, ne.Timeout())
		}},
		"dial": {&net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connection refused")}, 3, func(t *testing.T, err error) {
			var op *net.OpError
			require.ErrorAs(t, err, &op, "the clean part of the chain is kept")
			assert.Equal(t, "dial", op.Op)
		}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			sends := 0
			hc := roundTripFunc(func(r *http.Request) (*http.Response, error) {
				sends++
				return nil, &url.Error{Op: "Post", URL: "https://kms.example/" + secretPassword, Err: tc.cause}
			})
			c := kms.New(kms.Options{Region: "us-east-1", Credentials: staticCreds(), HTTPClient: hc, Retryer: fastRetryer(3)})
			_, err := c.UpdateCustomKeyStore(context.Background(), cloudHSMInput())
			require.Error(t, err)
			tc.check(t, err)
			assert.Equal(t, tc.attempts, sends, "classified for retry as the HTTP client returned it")
			for _, s := range echotest.ErrorTexts(err) {
				assertNoSecret(t, s)
			}
			var urlErr *url.Error
			assert.False(t, errors.As(err, &urlErr), "the echoing *url.Error is not reachable")
		})
	}
}

// TestSuccessBodiesScrubbed: a secret echoed in a 200 body is scrubbed
// from every string the client returns: Create's CustomKeyStoreId, and,
// with WithSecrets, every string of a Describe page; a known code such as
// a ConnectionErrorCode stays whole.
func TestSuccessBodiesScrubbed(t *testing.T) {
	t.Run("create", func(t *testing.T) {
		for _, body := range []string{
			`{"CustomKeyStoreId":"` + lifecyclePassword + `"}`,
			`{"CustomKeyStoreId":"cks-` + lifecyclePassword[:6] + `..."}`,
		} {
			c, _ := setup(t, func(w http.ResponseWriter, _ *http.Request) { _, _ = io.WriteString(w, body) })
			out, err := c.CreateCustomKeyStore(context.Background(), cloudHsmCreate())
			require.NoError(t, err)
			require.NotNil(t, out.CustomKeyStoreId)
			assert.NotContains(t, *out.CustomKeyStoreId, lifecyclePassword[:6])
			assert.Contains(t, *out.CustomKeyStoreId, "[REDACTED]")
		}
		c, _ := setup(t, func(w http.ResponseWriter, _ *http.Request) {
			_, _ = io.WriteString(w, `{"CustomKeyStoreId":"`+lifecycleAccessKeyID+`"}`)
		})
		out, err := c.CreateCustomKeyStore(context.Background(), xksCreate(kms.XksProxyConnectivityTypePublicEndpoint))
		require.NoError(t, err)
		assert.Equal(t, "[REDACTED]", *out.CustomKeyStoreId)
	})
	t.Run("describe", func(t *testing.T) {
		echo := func(s string) string { return `"x-` + s + `"` }
		body := `{"CustomKeyStores":[{"CloudHsmClusterId":` + echo(secretPassword) + `,"ConnectionErrorCode":"INVALID_CREDENTIALS","ConnectionState":"FAILED",` +
			`"CustomKeyStoreId":` + echo(secretPassword) + `,"CustomKeyStoreName":` + echo(xksAccessKeyID) + `,"CustomKeyStoreType":` + echo(secretPassword) +
			`,"TrustAnchorCertificate":` + echo(secretRawKey) + `,"XksProxyConfiguration":{"AccessKeyId":` + echo(xksAccessKeyID) + `,"Connectivity":` + echo(secretPassword) +
			`,"UriEndpoint":` + echo(secretPassword) + `,"UriPath":` + echo(secretPassword) + `,"VpcEndpointServiceName":` + echo(secretPassword) +
			`,"VpcEndpointServiceOwner":` + echo(secretPassword) + `}}],"NextMarker":` + echo(secretPassword) + `,"Truncated":true}`
		c, _ := setup(t, func(w http.ResponseWriter, _ *http.Request) { _, _ = io.WriteString(w, body) })
		out, err := c.DescribeCustomKeyStores(context.Background(), nil, kms.WithSecrets(secrets...))
		require.NoError(t, err)
		require.Len(t, out.CustomKeyStores, 1)
		e := out.CustomKeyStores[0]
		x := e.XksProxyConfiguration
		for _, s := range []string{*e.CloudHsmClusterId, *e.CustomKeyStoreId, *e.CustomKeyStoreName, string(e.CustomKeyStoreType), *e.TrustAnchorCertificate,
			*x.AccessKeyId, string(x.Connectivity), *x.UriEndpoint, *x.UriPath, *x.VpcEndpointServiceName, *x.VpcEndpointServiceOwner, *out.NextMarker} {
			assert.Equal(t, "x-[REDACTED]", s)
		}
		assert.Equal(t, kms.ConnectionErrorCodeType("INVALID_CREDENTIALS"), e.ConnectionErrorCode)
		assert.Equal(t, kms.ConnectionStateType("FAILED"), e.ConnectionState)

		// Without WithSecrets the call has no secrets: nothing is scrubbed.
		out, err = c.DescribeCustomKeyStores(context.Background(), nil)
		require.NoError(t, err)
		assert.Equal(t, "x-"+secretPassword, *out.CustomKeyStores[0].CustomKeyStoreId)
	})
}
