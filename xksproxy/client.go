package xksproxy

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net"
	"net/http"
	"net/url"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"github.com/kmskit/kms/internal/awsjson"
	"github.com/kmskit/kms/internal/noredirect"
	"github.com/kmskit/kms/internal/xksmodel"
)

// HTTPClient sends one HTTP request; *http.Client satisfies it.
type HTTPClient interface {
	Do(*http.Request) (*http.Response, error)
}

// Credential is the SigV4 credential that the proxy accepts (the store's
// XksProxyAuthenticationCredential). Both members are secrets: they print
// as "[REDACTED]" (fmt, log/slog, encoding/json), and encoding/gob and
// encoding/xml refuse to encode them (an error) while they are set; to
// persist a credential, store its two fields' values yourself, in a
// secrets manager.
//
// Its methods redact, but fmt calls no method of a value in an unexported
// field of your own struct and prints it raw (under %s and %q even through
// a pointer): keep it in an exported field, or out of printed structs.
type Credential struct {
	// AccessKeyID identifies the secret, e.g. "ABCDE23456FGHIJ7ABCD". Required.
	AccessKeyID string
	// SecretAccessKey signs the requests. Required.
	SecretAccessKey string
}

// Options configures a Client.
//
// Its Credential prints redacted, but fmt calls no method of a value in an
// unexported field of your own struct and prints it raw (under %s and %q
// even through a pointer): keep Options in an exported field, or out of
// printed structs.
type Options struct {
	// Endpoint is the proxy's scheme and host, e.g. "https://xks.example.com"
	// (the store's XksProxyUriEndpoint). Required. It has no path, query or
	// user info; http and a port are accepted for local tests.
	Endpoint string

	// UriPath is [/<path-prefix>]/kms/xks/v1 (the store's XksProxyUriPath).
	// Required.
	UriPath string

	// Region is the AWS Region of the KMS that calls the proxy; SigV4
	// signatures are scoped to it. Required.
	Region string

	// Credential signs every request. Required.
	Credential Credential

	// HTTPClient sends the requests. Nil means a client with TLS 1.2 or
	// later, the system's root CAs, the cipher suites KMS offers, and
	// timeouts (5 s to connect, 5 s for the TLS handshake, 10 s for the
	// answer). A *http.Client given here is copied and never follows
	// redirects; any other HTTPClient must not follow them either (a
	// followed redirect is detected and reported as a malformed response).
	//
	// An error it returns (a transport failure, a malformed reply, an
	// unparsable Location header) comes back scrubbed of the credential
	// and the call's plaintext down its whole chain: when any text in the
	// chain echoes one, the error unwraps only to the parts that do not, so
	// errors.As never yields the raw *url.Error holding the echo.
	// errors.Is(err, context.Canceled), errors.Is(err,
	// context.DeadlineExceeded), a net.Error's Timeout() and the TLS and
	// certificate errors of a clean chain still work through it.
	HTTPClient HTTPClient

	// Logger, when set, logs each call at Debug level: operation, path,
	// status, error name and latency; never a header, body, credential or
	// plaintext.
	Logger *slog.Logger

	// Clock returns the signing time; nil means time.Now. For tests.
	Clock func() time.Time
}

// Client calls one XKS proxy. It is safe for concurrent use. Create it
// with New: every call of a nil or zero-value *Client returns an
// *InputError. A call's optFns change the options of that call only; a
// nil func among them is skipped. It prints (fmt, log/slog) as its options with the
// credential redacted, and encoding/gob refuses to encode it.
type Client struct {
	options Options // with an empty Credential: see credential
	// credential returns Options.Credential. fmt prints a Client it reaches
	// through an unexported field by reflection, without calling any
	// method, and even follows a pointer there (with %s or %q); a func is
	// the one kind it then shows only as an address, whatever the verb.
	credential func() Credential
	base       *url.URL
	signer     *v4.Signer
	err        error // a configuration error, returned by every call
}

// New returns a client for options, changed by optFns (a nil func among
// them is skipped, as kms.New does). A configuration error (an
// *InputError naming the option) is returned by every call, before
// anything is sent.
func New(options Options, optFns ...func(*Options)) *Client {
	o := options
	apply(&o, optFns)
	c := &Client{signer: v4.NewSigner()}
	c.base, c.err = checkOptions(&o)
	if o.HTTPClient == nil {
		o.HTTPClient = DefaultHTTPClient()
	} else {
		o.HTTPClient = noredirect.Client(o.HTTPClient)
	}
	if o.Clock == nil {
		o.Clock = time.Now
	}
	cred := o.Credential
	o.Credential = Credential{}
	c.options, c.credential = o, func() Credential { return cred }
	return c
}

// Options returns a copy of the client's options; the zero Options for a
// nil or zero-value *Client.
func (c *Client) Options() Options {
	if c == nil || c.credential == nil {
		return Options{}
	}
	o := c.options
	o.Credential = c.credential()
	return o
}

// ready returns the *InputError of a call that cannot be made at all: a
// nil or zero-value *Client, or a nil context.
func (c *Client) ready(ctx context.Context) error {
	switch {
	case c == nil:
		return inputError("Client", "is nil: create it with xksproxy.New")
	case c.credential == nil:
		return inputError("Client", "is a zero value: create it with xksproxy.New")
	case ctx == nil:
		return inputError("ctx", "is nil: pass a context.Context, such as context.Background()")
	}
	return nil
}

// checkOptions validates o and returns the parsed endpoint.
func checkOptions(o *Options) (*url.URL, error) {
	if o.Endpoint == "" {
		return nil, inputError("Endpoint", "is required")
	}
	u, err := url.Parse(o.Endpoint)
	switch {
	case err != nil:
		return nil, inputError("Endpoint", "is not a URL")
	case u.Scheme != "https" && u.Scheme != "http":
		return nil, inputError("Endpoint", "must start with https:// (or http:// for a local test proxy)")
	case u.Host == "" || u.Hostname() == "":
		return nil, inputError("Endpoint", "has no host")
	case u.User != nil:
		return nil, inputError("Endpoint", "must not hold user info")
	case u.Path != "" && u.Path != "/" || u.RawQuery != "" || u.Fragment != "" || u.ForceQuery:
		return nil, inputError("Endpoint", "must be only scheme and host (put the path in UriPath)")
	}
	u.Path = ""
	if err := xksmodel.CheckURIPath(o.UriPath); err != nil {
		return nil, inputError("UriPath", err.Error())
	}
	if o.Region == "" {
		return nil, inputError("Region", "is required (the KMS Region that calls the proxy)")
	}
	if o.Credential.AccessKeyID == "" {
		return nil, inputError("Credential.AccessKeyID", "is required")
	}
	if o.Credential.SecretAccessKey == "" {
		return nil, inputError("Credential.SecretAccessKey", "is required")
	}
	return u, nil
}

// KMS's TLS 1.2 cipher suites, from the specification; TLS 1.3 suites are
// not configurable in Go and all are allowed.
var kmsCipherSuites = []uint16{
	tls.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
	tls.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
}

// DefaultHTTPClient returns the client that New uses when Options.HTTPClient
// is nil: TLS 1.2 or later with the system roots and KMS's cipher suites,
// HTTP/2 when the proxy offers it, bounded connect, handshake and answer
// times, and no redirects.
func DefaultHTTPClient() *http.Client {
	dialer := &net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}
	return &http.Client{
		Transport: &http.Transport{
			Proxy:                 http.ProxyFromEnvironment,
			DialContext:           dialer.DialContext,
			TLSClientConfig:       &tls.Config{MinVersion: tls.VersionTLS12, CipherSuites: kmsCipherSuites},
			ForceAttemptHTTP2:     true,
			TLSHandshakeTimeout:   5 * time.Second,
			ResponseHeaderTimeout: 10 * time.Second,
			IdleConnTimeout:       90 * time.Second,
			MaxIdleConnsPerHost:   16,
		},
		CheckRedirect: noredirect.Refuse,
		Timeout:       30 * time.Second,
	}
}

// call is one request: what to send and what the answer must satisfy.
type call struct {
	op      string
	path    string
	body    *xksmodel.Request
	secrets [][]byte // values no text of the answer may echo (the plaintext, ...)
}

// result is a successful answer.
type result struct {
	body    []byte
	latency time.Duration
	// sc holds the call's secrets: the decoders pass every string of the
	// answer through proxyText with it.
	sc *awsjson.Scrubber
}

// do signs and sends c and reads the answer. A non-200 answer is returned as
// an *Error or *MalformedResponseError.
func (cl *Client) do(ctx context.Context, c call) (res result, err error) {
	sc := cl.scrubber(c.secrets)
	u := *cl.base
	u.Path = c.path
	if n := len(u.String()); n > xksmodel.MaxURILen {
		return res, inputError("URI", fmt.Sprintf("%s is %d characters; the specification allows at most %d", c.op, n, xksmodel.MaxURILen))
	}
	payload, err := json.Marshal(c.body)
	if err != nil {
		return res, fmt.Errorf("xksproxy: %s: encoding the request: %w", c.op, err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u.String(), bytes.NewReader(payload))
	if err != nil {
		return res, fmt.Errorf("xksproxy: %s: %w", c.op, err)
	}
	req.GetBody = nil // never re-send a body
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	cred := cl.credential()
	if err := cl.signer.SignHTTP(ctx, aws.Credentials{AccessKeyID: cred.AccessKeyID, SecretAccessKey: cred.SecretAccessKey},
		req, payloadHash(payload), xksmodel.SigningName, cl.options.Region, cl.options.Clock().UTC()); err != nil {
		return res, sc.ScrubError(fmt.Errorf("xksproxy: %s: signing: %w", c.op, err))
	}

	start := time.Now()
	resp, err := cl.options.HTTPClient.Do(req)
	if err != nil {
		err = sc.ScrubError(fmt.Errorf("xksproxy: %s: %w", c.op, err))
		cl.log(ctx, c, 0, "", time.Since(start), err)
		return res, err
	}
	defer resp.Body.Close()
	body, readErr := io.ReadAll(io.LimitReader(resp.Body, xksmodel.MaxBody+1))
	res.latency = time.Since(start)

	switch {
	case readErr != nil:
		err = sc.ScrubError(fmt.Errorf("xksproxy: %s: reading the answer: %w", c.op, readErr))
	case len(body) > xksmodel.MaxBody:
		err = malformed(c.op, resp.StatusCode, "the body is larger than 1 MiB")
	case resp.Request != nil && resp.Request.URL != nil && resp.Request.URL.String() != u.String():
		err = malformed(c.op, resp.StatusCode, "the HTTP client followed a redirect")
	case resp.StatusCode >= 300 && resp.StatusCode < 400:
		err = malformed(c.op, resp.StatusCode, "a redirect, which is not followed")
	case resp.StatusCode != http.StatusOK:
		err = decodeError(c.op, resp.StatusCode, body, sc)
	case !isJSON(resp.Header.Get("Content-Type")):
		err = malformed(c.op, resp.StatusCode, "the Content-Type is not application/json")
	}
	name := ""
	var e *Error
	if errors.As(err, &e) {
		name = e.Name
	}
	cl.log(ctx, c, resp.StatusCode, name, res.latency, err)
	if err != nil {
		return res, err
	}
	res.body, res.sc = body, sc
	return res, nil
}

// apply calls each func of optFns, skipping a nil one, on o.
func apply(o *Options, optFns []func(*Options)) {
	for _, fn := range optFns {
		if fn != nil {
			fn(o)
		}
	}
}

// isJSON reports whether a Content-Type is application/json.
func isJSON(ct string) bool {
	mt, _, err := mime.ParseMediaType(ct)
	return err == nil && mt == "application/json"
}

// decodeError turns a non-200, non-3xx answer into an *Error, or a
// *MalformedResponseError when it is not the specification's error body.
// Its texts go through proxyText with sc, as the strings of a success do.
func decodeError(op string, status int, body []byte, sc *awsjson.Scrubber) error {
	var e xksmodel.ErrorResponse
	if err := decodeStrict(body, &e); err != nil {
		return malformed(op, status, "an error status without the JSON error body ("+err.Error()+")")
	}
	if e.ErrorName == "" {
		return malformed(op, status, "an error body without errorName")
	}
	if _, known := xksmodel.StatusFor(e.ErrorName); !known {
		// The name is judged in its place too (after the quote %q adds).
		if name := proxyText(e.ErrorName, 64, sc); name != "" {
			if err := malformed(op, status, fmt.Sprintf("unknown errorName %q", name)); sc.Scrub(err.Error()) == err.Error() {
				return err
			}
		}
		return malformed(op, status, "an unknown errorName, withheld: it echoed the credential or plaintext")
	}
	out := &Error{
		Name:       e.ErrorName,
		Message:    proxyText(e.ErrorMessage, xksmodel.MaxErrorMessageLen, sc),
		StatusCode: status,
		Operation:  op,
	}
	// The message is judged in its place too: with the text around it (the
	// ": " before it, say) it can complete a run of a secret.
	if text := out.Error(); out.Message != "" && sc.Scrub(text) != text {
		out.Message = ""
	}
	return out
}

// decodeStrict decodes one JSON value from body into v; anything after it
// is an error.
func decodeStrict(body []byte, v any) error {
	d := json.NewDecoder(bytes.NewReader(body))
	if err := d.Decode(v); err != nil {
		return describeJSONError(err)
	}
	if d.More() {
		return errors.New("data after the JSON value")
	}
	if _, err := d.Token(); err != io.EOF {
		return errors.New("data after the JSON value")
	}
	return nil
}

// describeJSONError says what was wrong without quoting the body.
func describeJSONError(err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return fmt.Errorf("not JSON at byte %d", syn.Offset)
	case errors.As(err, &typ):
		field := typ.Field
		if field == "" {
			field = "the body"
		}
		return fmt.Errorf("%s is a JSON %s, not the expected type", field, typ.Value)
	case errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF):
		return errors.New("empty or truncated JSON")
	default:
		return errors.New("a member is not valid (bad Base64?)")
	}
}

// log writes one Debug line when a Logger is set.
func (cl *Client) log(ctx context.Context, c call, status int, name string, latency time.Duration, err error) {
	l := cl.options.Logger
	if l == nil || !l.Enabled(ctx, slog.LevelDebug) {
		return
	}
	attrs := []slog.Attr{
		slog.String("operation", c.op),
		slog.String("path", c.path),
		slog.Int("status", status),
		slog.Duration("latency", latency),
	}
	if name != "" {
		attrs = append(attrs, slog.String("errorName", name))
	}
	if err != nil {
		attrs = append(attrs, slog.String("error", err.Error()))
	}
	l.LogAttrs(ctx, slog.LevelDebug, "xksproxy call", attrs...)
}
