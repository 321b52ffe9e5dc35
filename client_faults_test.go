package kms_test

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kmskit/kms"
	"github.com/kmskit/kms/internal/sigv4check"
)

var cksInput = &kms.UpdateCustomKeyStoreInput{CustomKeyStoreId: aws.String("cks-1")}

// answer is one canned HTTP answer.
type answer struct {
	status int
	body   string
}

// sequence answers request i with answers[i], then 200 {}.
func sequence(count *atomic.Int32, answers ...answer) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) {
		i := int(count.Add(1)) - 1
		if i < len(answers) {
			w.WriteHeader(answers[i].status)
			_, _ = io.WriteString(w, answers[i].body)
			return
		}
		_, _ = io.WriteString(w, "{}")
	}
}

// rotatingCreds returns credentials that expire at once, each with a new
// session token, so that every attempt must fetch and sign anew.
func rotatingCreds(n *atomic.Int32) aws.CredentialsProvider {
	return aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
		c := testCreds
		c.SessionToken = fmt.Sprintf("token-%d", n.Add(1))
		c.CanExpire = true
		c.Expires = time.Now()
		return c, nil
	})
}

func TestRetrySequencesAreFreshlySigned(t *testing.T) {
	throttled := answer{400, `{"__type":"ThrottlingException","message":"Rate exceeded"}`}
	tests := []struct {
		name    string
		answers []answer
	}{
		{"503, 500, throttling", []answer{{503, ""}, {500, `{"__type":"KMSInternalException"}`}, throttled}},
		{"throttling x3", []answer{throttled, throttled, throttled}},
		{"HTML 502, 504", []answer{{502, "<html>bad gateway</html>"}, {504, ""}}},
		{"429 unmodeled", []answer{{429, ""}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var count, fetched atomic.Int32
			c, rec := setup(t, sequence(&count, tt.answers...), func(o *kms.Options) {
				o.Retryer = fastRetryer(5)
				o.Credentials = rotatingCreds(&fetched)
			})
			out, err := c.UpdateCustomKeyStore(context.Background(), cksInput)
			require.NoError(t, err)
			require.NotNil(t, out)
			reqs := rec.all()
			require.Len(t, reqs, len(tt.answers)+1)
			signatures := map[string]bool{}
			for i, r := range reqs {
				creds := testCreds
				creds.SessionToken = r.req.Header.Get("X-Amz-Security-Token")
				assert.Equal(t, fmt.Sprintf("token-%d", i+1), creds.SessionToken, "attempt %d has fresh credentials", i+1)
				a, err := sigv4check.Verify(r.req, r.body, creds, "x-amz-security-token", "x-amz-target")
				require.NoError(t, err, "attempt %d", i+1)
				signatures[a.Signature] = true
			}
			assert.Len(t, signatures, len(reqs), "every attempt has its own signature")
		})
	}
}

// delayRecorder is a retryer that records the delays it asks for.
type delayRecorder struct {
	aws.Retryer
	mu     sync.Mutex
	delays []time.Duration
}

func (d *delayRecorder) RetryDelay(attempt int, err error) (time.Duration, error) {
	delay, derr := d.Retryer.RetryDelay(attempt, err)
	d.mu.Lock()
	d.delays = append(d.delays, delay)
	d.mu.Unlock()
	return delay, derr
}

// TestBackoffIsCapped: with the standard backoff and its jitter, every
// delay the retryer asks for stays under MaxBackoff, and the client waits
// each one out before the next attempt. Only lower bounds on the gaps are
// checked: a loaded machine makes gaps longer, never shorter.
func TestBackoffIsCapped(t *testing.T) {
	const maxBackoff = 20 * time.Millisecond
	var mu sync.Mutex
	var arrivals []time.Time
	var count atomic.Int32
	inner := sequence(&count, answer{503, ""}, answer{503, ""}, answer{503, ""}, answer{503, ""})
	rec := &delayRecorder{Retryer: retry.NewStandard(func(so *retry.StandardOptions) {
		// Uncapped, attempt 4 would wait up to 16 s.
		so.MaxAttempts = 5
		so.MaxBackoff = maxBackoff
	})}
	c, _ := setup(t, func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		arrivals = append(arrivals, time.Now())
		mu.Unlock()
		inner(w, r)
	}, func(o *kms.Options) { o.Retryer = rec })
	_, err := c.UpdateCustomKeyStore(context.Background(), cksInput)
	require.NoError(t, err)
	mu.Lock()
	defer mu.Unlock()
	require.Len(t, arrivals, 5)
	require.Len(t, rec.delays, 4)
	for i, d := range rec.delays {
		assert.LessOrEqual(t, d, maxBackoff, "delay before attempt %d", i+2)
		assert.GreaterOrEqual(t, arrivals[i+1].Sub(arrivals[i]), d, "attempt %d waited its delay", i+2)
	}
}

func TestRetryMaxAttemptsOneDisablesRetries(t *testing.T) {
	tests := []struct {
		name    string
		handler func(*atomic.Int32) http.HandlerFunc
	}{
		{"503", func(n *atomic.Int32) http.HandlerFunc { return sequence(n, answer{503, ""}) }},
		{"throttling", func(n *atomic.Int32) http.HandlerFunc {
			return sequence(n, answer{400, `{"__type":"ThrottlingException"}`})
		}},
		{"KMSInternal", func(n *atomic.Int32) http.HandlerFunc {
			return sequence(n, answer{500, `{"__type":"KMSInternalException"}`})
		}},
		{"connection reset", func(n *atomic.Int32) http.HandlerFunc {
			return func(w http.ResponseWriter, r *http.Request) { n.Add(1); resetConn(t, w, "") }
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkGoroutines(t)
			var count atomic.Int32
			c, _ := setup(t, tt.handler(&count), func(o *kms.Options) {
				o.Retryer = fastRetryer(5)
				o.RetryMaxAttempts = 1
			})
			_, err := c.UpdateCustomKeyStore(context.Background(), cksInput)
			require.Error(t, err)
			assert.EqualValues(t, 1, count.Load())
		})
	}
}

// resetConn hijacks the connection, writes raw, and closes it with a TCP
// RST (SO_LINGER 0).
func resetConn(t *testing.T, w http.ResponseWriter, raw string) {
	conn, buf, err := http.NewResponseController(w).Hijack()
	if err != nil {
		t.Errorf("hijack: %v", err)
		return
	}
	if raw != "" {
		_, _ = buf.WriteString(raw)
		_ = buf.Flush()
	}
	if tc, ok := conn.(*net.TCPConn); ok {
		_ = tc.SetLinger(0)
	}
	_ = conn.Close()
}

// closeConn hijacks the connection, writes raw, and closes it normally.
func closeConn(t *testing.T, w http.ResponseWriter, raw string) {
	conn, buf, err := http.NewResponseController(w).Hijack()
	if err != nil {
		t.Errorf("hijack: %v", err)
		return
	}
	_, _ = buf.WriteString(raw)
	_ = buf.Flush()
	_ = conn.Close()
}

func TestBrokenConnections(t *testing.T) {
	const partial200 = "HTTP/1.1 200 OK\r\nContent-Type: application/x-amz-json-1.1\r\nContent-Length: 100\r\n\r\n{\"a\":"
	tests := []struct {
		name         string
		handler      func(t *testing.T, w http.ResponseWriter)
		wantAttempts int32
		wantCause    error
	}{
		// A reset is a connection error: retried, as the SDK does.
		{"reset before the response", func(t *testing.T, w http.ResponseWriter) { resetConn(t, w, "") }, 3, syscall.ECONNRESET},
		{"reset in the middle of the body", func(t *testing.T, w http.ResponseWriter) { resetConn(t, w, partial200) }, 3, syscall.ECONNRESET},
		// A clean close says nothing about whether KMS acted; like the SDK,
		// the client does not retry it.
		{"closed before the response", func(t *testing.T, w http.ResponseWriter) { closeConn(t, w, "") }, 1, io.EOF},
		{"closed in the middle of the body", func(t *testing.T, w http.ResponseWriter) { closeConn(t, w, partial200) }, 1, io.ErrUnexpectedEOF},
		{"closed in the middle of an error body", func(t *testing.T, w http.ResponseWriter) {
			closeConn(t, w, "HTTP/1.1 400 Bad Request\r\nContent-Length: 100\r\n\r\n{\"__type\":\"Thrott")
		}, 1, io.ErrUnexpectedEOF},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkGoroutines(t)
			var count atomic.Int32
			c, _ := setup(t, func(w http.ResponseWriter, r *http.Request) {
				count.Add(1)
				tt.handler(t, w)
			})
			_, err := c.UpdateCustomKeyStore(context.Background(), xksInput())
			require.Error(t, err)
			assert.ErrorIs(t, err, tt.wantCause)
			assert.Equal(t, tt.wantAttempts, count.Load())
			assert.True(t, strings.HasPrefix(err.Error(), "kms: "), err.Error())
			assertNoSecret(t, err.Error())
		})
	}
}

// silentListener accepts connections, reads what they send and never
// answers.
func silentListener(t *testing.T) (addr string, accepted *atomic.Int32) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	accepted = new(atomic.Int32)
	var wg sync.WaitGroup
	var mu sync.Mutex
	var conns []net.Conn
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			accepted.Add(1)
			mu.Lock()
			conns = append(conns, conn)
			mu.Unlock()
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, _ = io.Copy(io.Discard, conn)
			}()
		}
	}()
	t.Cleanup(func() {
		_ = ln.Close()
		mu.Lock()
		for _, c := range conns {
			_ = c.Close()
		}
		mu.Unlock()
		wg.Wait()
	})
	return ln.Addr().String(), accepted
}

func TestServerNeverAnswers(t *testing.T) {
	checkGoroutines(t)
	addr, accepted := silentListener(t)
	c := kms.New(kms.Options{Region: "us-east-1", Credentials: staticCreds(),
		BaseEndpoint: aws.String("http://" + addr), Retryer: fastRetryer(3)})
	t.Cleanup(c.Options().HTTPClient.(*http.Client).CloseIdleConnections)
	start := time.Now() // before the deadline is set: took is at least 300 ms
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	_, err := c.UpdateCustomKeyStore(ctx, cksInput)
	took := time.Since(start)
	// The call returned although the server never answers: the deadline
	// ended it (not sooner; how much later depends on the machine's load).
	require.Error(t, err)
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	assert.GreaterOrEqual(t, took, 300*time.Millisecond)
	// One connection, or none when a loaded machine reached the deadline
	// before dialing; never a retry.
	assert.LessOrEqual(t, accepted.Load(), int32(1), "no retry after the deadline")
}

// quietTLSServer is a TLS test server that does not log handshake errors
// and counts accepted connections.
func quietTLSServer(t *testing.T, conns *atomic.Int32) *httptest.Server {
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, "{}")
	}))
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	srv.StartTLS()
	t.Cleanup(srv.Close)
	return srv
}

func TestTLSHandshakeFailures(t *testing.T) {
	t.Run("untrusted certificate", func(t *testing.T) {
		checkGoroutines(t)
		var conns atomic.Int32
		srv := quietTLSServer(t, &conns)
		// The default HTTP client does not trust the test CA.
		c := kms.New(kms.Options{Region: "us-east-1", Credentials: staticCreds(),
			BaseEndpoint: aws.String(srv.URL), Retryer: fastRetryer(3)})
		t.Cleanup(c.Options().HTTPClient.(*http.Client).CloseIdleConnections)
		_, err := c.UpdateCustomKeyStore(context.Background(), cksInput)
		require.Error(t, err)
		var unknown x509.UnknownAuthorityError
		assert.ErrorAs(t, err, &unknown)
		var verr *tls.CertificateVerificationError
		assert.ErrorAs(t, err, &verr)
		assert.EqualValues(t, 1, conns.Load(), "a certificate error is not retried")
		assert.Contains(t, err.Error(), "send request")
	})

	garbage := []struct {
		name, reply, wantText string
		check                 func(t *testing.T, err error)
	}{
		{"plain TCP answering binary garbage", "\x00\x01\x02 not TLS at all \xff\r\n", "first record does not look like a TLS handshake",
			func(t *testing.T, err error) {
				var rh tls.RecordHeaderError
				assert.ErrorAs(t, err, &rh)
			}},
		{"plain HTTP answering an https client", "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}", "server gave HTTP response to HTTPS client",
			func(t *testing.T, err error) {
				var ue *url.Error
				assert.ErrorAs(t, err, &ue)
			}},
	}
	for _, g := range garbage {
		t.Run(g.name, func(t *testing.T) {
			checkGoroutines(t)
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			require.NoError(t, err)
			var accepted atomic.Int32
			done := make(chan struct{})
			go func() {
				defer close(done)
				for {
					conn, err := ln.Accept()
					if err != nil {
						return
					}
					accepted.Add(1)
					_, _ = io.WriteString(conn, g.reply)
					_ = conn.Close()
				}
			}()
			t.Cleanup(func() { _ = ln.Close(); <-done })
			c := kms.New(kms.Options{Region: "us-east-1", Credentials: staticCreds(),
				BaseEndpoint: aws.String("https://" + ln.Addr().String()), Retryer: fastRetryer(3)})
			t.Cleanup(c.Options().HTTPClient.(*http.Client).CloseIdleConnections)
			_, err = c.UpdateCustomKeyStore(context.Background(), cksInput)
			require.Error(t, err)
			g.check(t, err)
			assert.Contains(t, err.Error(), g.wantText)
			assert.Contains(t, err.Error(), "kms: UpdateCustomKeyStore: send request")
			assert.EqualValues(t, 1, accepted.Load(), "a protocol mismatch is not retried")
		})
	}
}

// countingClient counts the requests it sends.
type countingClient struct {
	*http.Client
	n atomic.Int32
}

func (c *countingClient) Do(r *http.Request) (*http.Response, error) {
	c.n.Add(1)
	return c.Client.Do(r)
}

func TestDNSFailure(t *testing.T) {
	checkGoroutines(t)
	// .invalid never resolves (RFC 6761).
	hc := &countingClient{Client: &http.Client{Transport: http.DefaultTransport.(*http.Transport).Clone()}}
	t.Cleanup(hc.CloseIdleConnections)
	c := kms.New(kms.Options{Region: "us-east-1", Credentials: staticCreds(), HTTPClient: hc,
		BaseEndpoint: aws.String("https://kms.example.invalid"), Retryer: fastRetryer(3)})
	_, err := c.UpdateCustomKeyStore(context.Background(), cksInput)
	require.Error(t, err)
	var dnsErr *net.DNSError
	require.ErrorAs(t, err, &dnsErr)
	assert.Contains(t, err.Error(), "kms.example.invalid")
	if dnsErr.IsNotFound {
		assert.EqualValues(t, 1, hc.n.Load(), "NXDOMAIN is not retried")
	} else {
		// Without a resolver the lookup fails temporarily: retried.
		assert.EqualValues(t, 3, hc.n.Load(), "%v", dnsErr)
	}
}

func TestHostileResponseBodies(t *testing.T) {
	type want struct {
		ok       bool
		code     string
		message  string // exact, unless "" with prefix set
		prefix   string
		attempts int32
		is       error
	}
	tests := []struct {
		name    string
		status  int
		headers map[string]string
		body    string
		want    want
	}{
		// A successful UpdateCustomKeyStore has an empty output; like the
		// SDK, the client ignores whatever the body holds.
		{"200 empty", 200, nil, "", want{ok: true, attempts: 1}},
		{"200 non-JSON", 200, map[string]string{"Content-Type": "text/html"}, "<html>fine</html>", want{ok: true, attempts: 1}},
		{"200 truncated JSON", 200, nil, `{"Key`, want{ok: true, attempts: 1}},
		{"200 wrong shape", 200, nil, `[1,2,3]`, want{ok: true, attempts: 1}},
		{"400 empty", 400, nil, "", want{attempts: 1}},
		{"400 truncated JSON", 400, nil, `{"__type":"CustomKeyStoreNotFoundException","mess`,
			want{message: `{"__type":"CustomKeyStoreNotFoundException","mess`, attempts: 1}},
		{"400 JSON array", 400, nil, `["CustomKeyStoreNotFoundException"]`, want{message: `["CustomKeyStoreNotFoundException"]`, attempts: 1}},
		{"400 wrong member types", 400, nil, `{"__type":42,"message":{"a":1}}`, want{message: `{"__type":42,"message":{"a":1}}`, attempts: 1}},
		{"400 null members", 400, nil, `{"__type":null,"message":null}`, want{attempts: 1}},
		{"400 upper-case keys", 400, nil, `{"__TYPE":"CustomKeyStoreNotFoundException","MESSAGE":"m"}`,
			want{code: "CustomKeyStoreNotFoundException", message: "m", attempts: 1, is: kms.ErrCustomKeyStoreNotFound}},
		{"400 spaced, namespaced __type", 400, nil, `{"__type":"\n\t aws.kms#CustomKeyStoreNotFoundException \t:x","message":"m"}`,
			want{code: "CustomKeyStoreNotFoundException", message: "m", attempts: 1, is: kms.ErrCustomKeyStoreNotFound}},
		// Codes are case-sensitive, as in the SDK: an odd casing is kept
		// as sent and matches no Err value.
		{"400 lower-case __type", 400, nil, `{"__type":"customkeystorenotfoundexception"}`,
			want{code: "customkeystorenotfoundexception", attempts: 1}},
		{"400 spaced throttling is retried", 400, nil, `{"__type":"  ThrottlingException  "}`,
			want{code: "ThrottlingException", attempts: 3}},
		{"400 control characters in __type", 400, nil, `{"__type":"Bad\u0000Code\u001b[31m","message":"a\u0007b"}`,
			want{code: "Bad?Code?[31m", message: "a?b", attempts: 1}},
		{"400 invalid UTF-8", 400, nil, "\xff\xfe{\"__type\":\"X\"}", want{message: "??{\"__type\":\"X\"}", attempts: 1}},
		{"400 JSON error as text/plain", 400, map[string]string{"Content-Type": "text/plain"},
			`{"__type":"CustomKeyStoreInvalidStateException","message":"m"}`,
			want{code: "CustomKeyStoreInvalidStateException", prefix: "m", attempts: 1, is: kms.ErrCustomKeyStoreInvalidState}},
		{"502 HTML from a load balancer", 502, map[string]string{"Content-Type": "text/html"},
			"<html><head><title>502 Bad Gateway</title></head>\r\n<body><center>502 Bad Gateway</center></body></html>",
			want{message: "<html><head><title>502 Bad Gateway</title></head> <body><center>502 Bad Gateway</center></body></html>", attempts: 3}},
		{"long message is bounded", 400, nil, `{"__type":"X","message":"` + strings.Repeat("m", 10000) + `"}`,
			want{code: "X", prefix: strings.Repeat("m", 4093) + "...", attempts: 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkGoroutines(t)
			var count atomic.Int32
			c, _ := setup(t, func(w http.ResponseWriter, r *http.Request) {
				count.Add(1)
				errorHandler(tt.status, tt.headers, tt.body)(w, r)
			})
			_, err := c.UpdateCustomKeyStore(context.Background(), cksInput)
			assert.Equal(t, tt.want.attempts, count.Load(), "attempts")
			if tt.want.ok {
				require.NoError(t, err)
				return
			}
			require.Error(t, err)
			var apiErr *kms.APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, tt.status, apiErr.StatusCode)
			assert.Equal(t, tt.want.code, apiErr.Code)
			if tt.want.prefix != "" {
				assert.True(t, strings.HasPrefix(apiErr.Message, tt.want.prefix), "message %.80q", apiErr.Message)
				assert.LessOrEqual(t, len(apiErr.Message), 4096)
			} else {
				assert.Equal(t, tt.want.message, apiErr.Message)
			}
			if tt.want.is != nil {
				assert.ErrorIs(t, err, tt.want.is)
			}
			for _, de := range documentedErrors {
				if de.err != tt.want.is {
					assert.NotErrorIs(t, err, de.err)
				}
			}
		})
	}
}

func TestHugeBodiesAreBounded(t *testing.T) {
	huge := []byte(strings.Repeat("x", 10<<20))
	for _, status := range []int{400, 200} {
		t.Run(fmt.Sprint(status), func(t *testing.T) {
			checkGoroutines(t)
			c, _ := setup(t, func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Length", fmt.Sprint(len(huge)))
				w.WriteHeader(status)
				_, _ = w.Write(huge)
			}, func(o *kms.Options) { o.RetryMaxAttempts = 1 })

			runtime.GC()
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			start := time.Now()
			_, err := c.UpdateCustomKeyStore(context.Background(), cksInput)
			took := time.Since(start)
			runtime.ReadMemStats(&after)

			allocated := after.TotalAlloc - before.TotalAlloc
			t.Logf("status %d: allocated %d KiB in %v", status, allocated>>10, took)
			assert.Less(t, allocated, uint64(2<<20), "memory stays flat: far less than the 10 MiB body")
			if status == 200 {
				require.NoError(t, err)
				return
			}
			var apiErr *kms.APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, strings.Repeat("x", 256)+"...", apiErr.Message)
		})
	}
}
