package kms_test

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kmskit/kms"
)

// sessionToken is the X-Amz-Security-Token of redirectCreds: no host but
// the endpoint may see it.
const sessionToken = "SESSIONTOKENdoNotForward0123"

func redirectCreds() aws.CredentialsProvider {
	c := testCreds
	c.SessionToken = sessionToken
	return aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) { return c, nil })
}

// hits records what one server received.
type hits struct {
	mu     sync.Mutex
	n      int
	bodies []string
	tokens []string
	method []string
}

func (h *hits) record(r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	h.mu.Lock()
	defer h.mu.Unlock()
	h.n++
	h.bodies = append(h.bodies, string(body))
	h.tokens = append(h.tokens, r.Header.Get("X-Amz-Security-Token"))
	h.method = append(h.method, r.Method)
}

func (h *hits) count() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.n
}

// redirectWorld is an endpoint that redirects every POST / and a second
// host that answers anything with 200 and its own request ID.
type redirectWorld struct {
	origin, other       *httptest.Server
	originHits, otherHs hits
	location            string // absolute Location the origin answers with
	wantHost            string // the host the error must name
}

func newRedirectWorld(t *testing.T, status int, target string) *redirectWorld {
	t.Helper()
	w := &redirectWorld{}
	w.other = httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		w.otherHs.record(r)
		rw.Header().Set("X-Amzn-Requestid", "other-host-request")
		_, _ = io.WriteString(rw, "{}")
	}))
	t.Cleanup(w.other.Close)
	origin := http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		w.originHits.record(r)
		if r.URL.Path != "/" {
			// The same host's redirect target: a success for anything.
			rw.Header().Set("X-Amzn-Requestid", "same-host-elsewhere")
			_, _ = io.WriteString(rw, "{}")
			return
		}
		rw.Header().Set("Location", w.location)
		rw.Header().Set("X-Amzn-Requestid", "origin-request")
		rw.WriteHeader(status)
	})
	otherURL, _ := url.Parse(w.other.URL)
	switch target {
	case "same host":
		w.origin = httptest.NewServer(origin)
		u, _ := url.Parse(w.origin.URL)
		w.location = w.origin.URL + "/elsewhere?hidden=query-value"
		w.wantHost = u.Host
	case "other host":
		w.origin = httptest.NewServer(origin)
		w.location = w.other.URL + "/?hidden=query-value"
		w.wantHost = otherURL.Host
	case "https to http":
		w.origin = httptest.NewTLSServer(origin)
		w.location = "http://" + otherURL.Host + "/?hidden=query-value"
		w.wantHost = "http://" + otherURL.Host
	}
	t.Cleanup(w.origin.Close)
	return w
}

// client returns a client of w's origin: the library's default HTTP client
// ("default"; for the TLS origin its Transport is made to trust the
// certificate, in place), or a plain &http.Client{} with only a Transport
// ("plain").
func (w *redirectWorld) client(t *testing.T, kind string) *kms.Client {
	t.Helper()
	opts := kms.Options{
		Region:       "us-east-1",
		Credentials:  redirectCreds(),
		BaseEndpoint: aws.String(w.origin.URL),
		Retryer:      fastRetryer(3),
	}
	var trust *tls.Config
	if w.origin.TLS != nil {
		pool := x509.NewCertPool()
		pool.AddCert(w.origin.Certificate())
		trust = &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
	}
	switch kind {
	case "plain":
		opts.HTTPClient = &http.Client{Transport: http.DefaultTransport.(*http.Transport).Clone()}
	case "sdk":
		// What config.LoadDefaultConfig gives NewFromConfig.
		bc := awshttp.NewBuildableClient().WithTransportOptions(func(tr *http.Transport) {
			tr.TLSClientConfig = trust
		})
		t.Cleanup(bc.GetTransport().CloseIdleConnections)
		opts.HTTPClient = bc
		return kms.New(opts)
	}
	c := kms.New(opts)
	tr := c.Options().HTTPClient.(*http.Client).Transport.(*http.Transport)
	t.Cleanup(tr.CloseIdleConnections)
	if trust != nil {
		tr.TLSClientConfig = trust
	}
	return c
}

// TestRedirectsAreNeverFollowed: each 3xx, to the same host, another host
// or from https to http, with the library's default client and a plain
// &http.Client{}, is an *APIError with the status and the Location's host
// (not its query); nothing reaches the other host (no body, no session
// token), and the endpoint gets the request once. The SDK's own
// BuildableClient (what NewFromConfig gets from config.LoadDefaultConfig)
// behaves the same: it cannot replay a body without GetBody.
func TestRedirectsAreNeverFollowed(t *testing.T) {
	for _, status := range []int{301, 302, 303, 307, 308} {
		for _, target := range []string{"same host", "other host", "https to http"} {
			for _, kind := range []string{"default", "plain", "sdk"} {
				t.Run(fmt.Sprintf("%d/%s/%s", status, target, kind), func(t *testing.T) {
					w := newRedirectWorld(t, status, target)
					c := w.client(t, kind)
					out, err := c.UpdateCustomKeyStore(context.Background(), cloudHSMInput())
					require.Error(t, err, "a redirect is never a success")
					assert.Nil(t, out)
					var apiErr *kms.APIError
					require.ErrorAs(t, err, &apiErr)
					assert.Equal(t, status, apiErr.StatusCode)
					assert.Equal(t, "origin-request", apiErr.RequestID)
					assert.Contains(t, apiErr.Message, w.wantHost)
					assert.Contains(t, err.Error(), w.wantHost)
					assert.NotContains(t, err.Error(), "hidden")
					assert.NotContains(t, err.Error(), "query-value")
					assertNoSecret(t, err.Error())

					assert.Equal(t, 1, w.originHits.count(), "sent once: not followed, not retried")
					assert.Zero(t, w.otherHs.count(), "the other host receives nothing")
					w.originHits.mu.Lock()
					assert.Equal(t, []string{http.MethodPost}, w.originHits.method)
					w.originHits.mu.Unlock()
				})
			}
		}
	}
}

// followingClient is an HTTPClient that is not an *http.Client but
// follows redirects as net/http does by default.
type followingClient struct{ c *http.Client }

func (f followingClient) Do(r *http.Request) (*http.Response, error) { return f.c.Do(r) }

// TestRedirectFollowedByUserClientIsAnError: an HTTPClient the library
// cannot configure may follow a redirect. It cannot replay the body (the
// request has no GetBody), so 307 and 308 come back as *APIError; a 301,
// 302 or 303 that it turned into a GET ends in an error, never a success
// (today: success with the other host's request ID).
func TestRedirectFollowedByUserClientIsAnError(t *testing.T) {
	for _, status := range []int{301, 302, 303, 307, 308} {
		for _, target := range []string{"same host", "other host"} {
			t.Run(fmt.Sprintf("%d/%s", status, target), func(t *testing.T) {
				w := newRedirectWorld(t, status, target)
				tr := http.DefaultTransport.(*http.Transport).Clone()
				t.Cleanup(tr.CloseIdleConnections)
				c := kms.New(kms.Options{
					Region: "us-east-1", Credentials: redirectCreds(), BaseEndpoint: aws.String(w.origin.URL),
					Retryer: fastRetryer(3), HTTPClient: followingClient{&http.Client{Transport: tr}},
				})
				out, err := c.UpdateCustomKeyStore(context.Background(), cloudHSMInput())
				require.Error(t, err)
				assert.Nil(t, out)
				assertNoSecret(t, err.Error())
				assert.NotContains(t, err.Error(), "other-host-request")
				assert.NotContains(t, err.Error(), "same-host-elsewhere")
				if status == 307 || status == 308 {
					var apiErr *kms.APIError
					require.ErrorAs(t, err, &apiErr)
					assert.Equal(t, status, apiErr.StatusCode)
				} else {
					assert.Contains(t, err.Error(), "redirect")
				}
				assert.Equal(t, 1, w.originHits.count()-boolToInt(target == "same host" && status <= 303))
				// Whatever the client forwarded, no body went anywhere else.
				for _, h := range []*hits{&w.otherHs, &w.originHits} {
					h.mu.Lock()
					for i, b := range h.bodies {
						if h.method[i] != http.MethodPost {
							assert.Empty(t, b, "a followed redirect carries no body")
						}
					}
					h.mu.Unlock()
				}
				w.otherHs.mu.Lock()
				for _, b := range w.otherHs.bodies {
					assert.NotContains(t, b, secretPassword)
				}
				w.otherHs.mu.Unlock()
			})
		}
	}
}

func boolToInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// TestRequestsCannotBeReplayed: the request handed to the HTTP client has
// no GetBody, so no client can send its body a second time.
func TestRequestsCannotBeReplayed(t *testing.T) {
	var seen []*http.Request
	hc := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		seen = append(seen, r)
		return &http.Response{StatusCode: 200, Header: http.Header{}, Body: http.NoBody, Request: r}, nil
	})
	c := kms.New(kms.Options{Region: "us-east-1", Credentials: staticCreds(), HTTPClient: hc, Retryer: fastRetryer(1)})
	_, err := c.UpdateCustomKeyStore(context.Background(), cloudHSMInput())
	require.NoError(t, err)
	require.Len(t, seen, 1)
	assert.Nil(t, seen[0].GetBody)
}

// TestDefaultHTTPClientRefusesRedirects: the library's own client never
// follows a redirect, and a user's *http.Client is used through a copy that
// refuses them too, leaving the user's client as it was.
func TestDefaultHTTPClientRefusesRedirects(t *testing.T) {
	def := kms.New(kms.Options{Region: "us-east-1", Credentials: staticCreds()}).Options().HTTPClient.(*http.Client)
	require.NotNil(t, def.CheckRedirect)
	assert.ErrorIs(t, def.CheckRedirect(&http.Request{}, nil), http.ErrUseLastResponse)

	mine := &http.Client{}
	c := kms.New(kms.Options{Region: "us-east-1", Credentials: staticCreds(), HTTPClient: mine})
	assert.Same(t, mine, c.Options().HTTPClient.(*http.Client), "Options returns the user's client")
	assert.Nil(t, mine.CheckRedirect, "the user's client is not changed")
}

// TestFollowedRedirectToAnotherPathIsAnError: an HTTPClient that follows a
// redirect itself and re-POSTs to the same host, another path, answers a
// request other than the one sent: an error, not a success (today:
// success, since only host, scheme and method were compared).
func TestFollowedRedirectToAnotherPathIsAnError(t *testing.T) {
	for _, path := range []string{"/elsewhere", "/kms/other/path"} {
		hc := roundTripFunc(func(r *http.Request) (*http.Response, error) {
			final := r.Clone(r.Context())
			u := *r.URL
			u.Path = path
			final.URL = &u
			return &http.Response{StatusCode: 200, Header: http.Header{"X-Amzn-Requestid": {"elsewhere-request"}}, Body: http.NoBody, Request: final}, nil
		})
		c := kms.New(kms.Options{Region: "us-east-1", Credentials: staticCreds(), HTTPClient: hc, Retryer: fastRetryer(1),
			BaseEndpoint: aws.String("https://kms.example")})
		out, err := c.UpdateCustomKeyStore(context.Background(), cloudHSMInput())
		require.Error(t, err, path)
		assert.Nil(t, out)
		assert.Contains(t, err.Error(), "followed a redirect to POST https://kms.example (another path)")
		assert.NotContains(t, err.Error(), "elsewhere-request")
	}
}
