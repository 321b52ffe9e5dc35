package kms_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kmskit/kms"
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
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	t.Cleanup(func() { _ = ln.Close() })
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer conn.Close()
				r := bufio.NewReader(conn)
				req, err := http.ReadRequest(r)
				if err != nil {
					return
				}
				_, _ = io.Copy(io.Discard, req.Body)
				_, _ = fmt.Fprintf(conn, "HTTP/1.1 200 OK\r\nContent-Length: 12%s\r\n\r\n{}", secretPassword)
			}()
		}
	}()
	var logs bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	tr := http.DefaultTransport.(*http.Transport).Clone()
	t.Cleanup(tr.CloseIdleConnections)
	c := kms.New(kms.Options{Region: "us-east-1", Credentials: staticCreds(), BaseEndpoint: aws.String("http://" + ln.Addr().String()),
		HTTPClient: &http.Client{Transport: tr}, Retryer: fastRetryer(2), Logger: logger})
	_, err = c.UpdateCustomKeyStore(context.Background(), passwordInput(secretPassword))
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
