package kms

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"github.com/kmskit/kms/internal/awsjson"
	"github.com/kmskit/kms/internal/endpoint"
	"github.com/kmskit/kms/internal/noredirect"
)

// ServiceID is the SDK service identifier of KMS.
const ServiceID = "KMS"

// HTTPClient sends one HTTP request; *http.Client satisfies it, and so does
// the client of an httptest.Server.
type HTTPClient interface {
	Do(*http.Request) (*http.Response, error)
}

// EndpointOptions tunes endpoint resolution from the Region. Neither field
// changes a BaseEndpoint.
type EndpointOptions struct {
	// UseFIPSEndpoint, when aws.FIPSEndpointStateEnabled, selects
	// https://kms-fips.{region}.{dnsSuffix}. A FIPS pseudo-region such as
	// "fips-us-east-1" or "us-west-2-fips" turns it on by itself.
	UseFIPSEndpoint aws.FIPSEndpointState

	// UseDualStackEndpoint, when aws.DualStackEndpointStateEnabled, selects
	// the partition's dual-stack (IPv4 and IPv6) domain:
	// https://kms.{region}.api.aws in the aws partition, and
	// https://kms-fips.{region}.api.aws with FIPS.
	UseDualStackEndpoint aws.DualStackEndpointState
}

// Options configures a Client. The zero value of each field means the
// default given in its comment. Per-call overrides are functions that change
// a copy of the client's Options.
type Options struct {
	// Region is the AWS Region, e.g. "us-east-1". Required, even with a
	// BaseEndpoint, because the signature covers it. A FIPS pseudo-region
	// ("fips-us-east-1", "us-east-1-fips", "us-gov-fips-west-1") selects the
	// FIPS endpoint and requests are signed for the real Region
	// ("us-east-1"); aws-sdk-go-v2 signs for the pseudo-region instead.
	Region string

	// Credentials signs requests. Required. A provider that is not already an
	// *aws.CredentialsCache is wrapped in one.
	Credentials aws.CredentialsProvider

	// BaseEndpoint overrides the endpoint resolved from Region, e.g.
	// "http://127.0.0.1:4599" for a local fake. http and https are allowed.
	// It wins over EndpointOptions (aws-sdk-go-v2 instead fails every call
	// when FIPS or dual-stack is also on).
	BaseEndpoint *string

	// EndpointOptions selects FIPS and dual-stack endpoints.
	EndpointOptions EndpointOptions

	// AppID, when set, identifies your application to AWS: the User-Agent
	// header gets "app/{AppID}", as with aws-sdk-go-v2. Characters other
	// than letters, digits and !#$%&'*+-.^_`|~ are sent as '-'.
	AppID string

	// HTTPClient sends requests. Nil means a client of this package with
	// pooled, reused connections and timeouts: 30 s to connect and 10 s for
	// the TLS handshake (net/http's defaults), and 60 s for the response
	// headers once the request is sent (KMS answers within seconds), so a
	// server that accepts a connection and never answers cannot block a
	// call made with context.Background() forever. No client follows a redirect: an
	// *http.Client is used through a copy whose CheckRedirect refuses them,
	// a 3xx response is an *APIError naming the Location's host, and a
	// response to a request other than the one sent (another host, scheme,
	// path or method, which another HTTPClient may have followed) is an
	// error. The request body cannot be replayed (it has no GetBody).
	//
	// An error the client returns (a transport failure such as a malformed
	// reply, or an unparsable Location header) is classified for retries as
	// it is, and then returned scrubbed of the call's secrets down its whole
	// chain: when any text in the chain echoes a secret, the error unwraps
	// only to the parts that do not, so errors.As never yields the raw
	// *url.Error holding the echo. errors.Is(err, context.Canceled),
	// errors.Is(err, context.DeadlineExceeded) and a net.Error's Timeout()
	// still work through it.
	HTTPClient HTTPClient

	// Retryer decides which errors are retried and how long to wait. Nil
	// means retry.NewStandard(): throttling, 5xx, KMSInternalException and
	// connection errors, with capped exponential backoff and jitter.
	Retryer aws.Retryer

	// RetryMaxAttempts, when positive, caps the attempts per call (1 turns
	// retries off). It overrides the Retryer's own limit. A request that KMS
	// rejects for clock skew is re-signed once with the server's time; that
	// correction is not a retry and is not counted.
	RetryMaxAttempts int

	// DisableClientValidation turns off every offline check except the
	// required CustomKeyStoreId, for the day AWS relaxes a rule before this
	// package does. Validation is on by default.
	DisableClientValidation bool

	// Logger, when set, logs each attempt at Debug level: target, attempt
	// number, status, request ID, duration, error code and the request body
	// with KeyStorePassword, AccessKeyId and RawSecretAccessKey redacted;
	// never headers, so never the signature. Every attribute taken from the
	// response is scrubbed of those secrets first. Nil (the default) logs
	// nothing and costs nothing; neither does a Logger with Debug disabled.
	Logger *slog.Logger

	// secrets are values scrubbed from every response as the input's own
	// secrets are (see WithSecrets). A pointer, so that no printing of
	// Options, not even fmt's through an unexported field, shows them.
	secrets *secretList
}

// secretList is the list of WithSecrets.
type secretList struct{ values []string }

// list returns the values; nil for a nil list.
func (l *secretList) list() []string {
	if l == nil {
		return nil
	}
	return l.values
}

// WithSecrets returns an option that adds values to the secrets of a call
// (or of every call, given to New): no text of the response (the error,
// the request ID, and every string the operation decodes, such as a
// DescribeCustomKeyStores entry's CustomKeyStoreName, ConnectionErrorCode
// or XksProxyConfiguration.AccessKeyId) shows them, exactly as an input's
// own KeyStorePassword, AccessKeyId and RawSecretAccessKey are scrubbed
// from it. Use it on the calls of a change that do not carry its secrets
// themselves, such as the DescribeCustomKeyStores and
// ConnectCustomKeyStore around an UpdateCustomKeyStore. Values shorter than
// 4 bytes are ignored, as they would wipe ordinary words; Options never
// prints the values.
func WithSecrets(values ...string) func(*Options) {
	return func(o *Options) {
		all := append(append([]string(nil), o.secrets.list()...), values...)
		o.secrets = &secretList{values: all}
	}
}

// Copy returns a copy of o; pointer fields are shared.
func (o Options) Copy() Options { return o }

// Client calls KMS. Create it with New or NewFromConfig; it is safe for
// concurrent use and should be reused, since it pools connections.
type Client struct {
	options Options
	sender  *awsjson.Sender
	err     error // a configuration error, returned by every call
}

// New returns a client for the given options, changed by optFns. A missing
// Region or Credentials is reported by the first call, before anything is
// sent.
func New(options Options, optFns ...func(*Options)) *Client {
	o := options.Copy()
	for _, fn := range optFns {
		fn(&o)
	}
	finalizeOptions(&o)
	c := &Client{options: o}
	c.sender, c.err = newSender(&o)
	return c
}

// NewFromConfig returns a client configured from cfg (as loaded by
// config.LoadDefaultConfig), reading what aws-sdk-go-v2 service/kms reads:
//   - Region (AWS_REGION, region), Credentials, HTTPClient, AppID
//     (AWS_SDK_UA_APP_ID, sdk_ua_app_id), Retryer and RetryMaxAttempts;
//   - the base endpoint, resolved in the SDK's order: cfg.BaseEndpoint
//     (AWS_ENDPOINT_URL, endpoint_url); then, unless AWS_ENDPOINT_URL is set
//     without AWS_ENDPOINT_URL_KMS, the KMS endpoint of cfg.ConfigSources
//     (AWS_ENDPOINT_URL_KMS, or the shared config file's services section
//     "kms = endpoint_url = ..."); AWS_IGNORE_CONFIGURED_ENDPOINT_URLS or
//     ignore_configured_endpoint_urls turns both off;
//   - from cfg.ConfigSources, FIPS (AWS_USE_FIPS_ENDPOINT, use_fips_endpoint)
//     and dual-stack (AWS_USE_DUALSTACK_ENDPOINT, use_dualstack_endpoint).
//
// optFns are applied afterwards and may change any of these.
func NewFromConfig(cfg aws.Config, optFns ...func(*Options)) *Client {
	ctx := context.Background()
	o := Options{
		Region:           cfg.Region,
		Credentials:      cfg.Credentials,
		BaseEndpoint:     baseEndpointFromConfig(ctx, cfg),
		HTTPClient:       cfg.HTTPClient,
		RetryMaxAttempts: cfg.RetryMaxAttempts,
		AppID:            cfg.AppID,
	}
	if cfg.Retryer != nil {
		o.Retryer = cfg.Retryer()
	}
	o.EndpointOptions.UseFIPSEndpoint = fipsFromSources(ctx, cfg.ConfigSources)
	o.EndpointOptions.UseDualStackEndpoint = dualStackFromSources(ctx, cfg.ConfigSources)
	return New(o, optFns...)
}

// Options returns a copy of the client's options.
func (c *Client) Options() Options { return c.options.Copy() }

// finalizeOptions fills in defaults.
func finalizeOptions(o *Options) {
	if o.HTTPClient == nil {
		o.HTTPClient = defaultHTTPClient()
	}
	if o.Retryer == nil {
		o.Retryer = retry.NewStandard()
	}
	if o.RetryMaxAttempts > 0 && o.Retryer.MaxAttempts() != o.RetryMaxAttempts {
		o.Retryer = retry.AddWithMaxAttempts(o.Retryer, o.RetryMaxAttempts)
	}
	if o.Credentials != nil {
		if _, ok := o.Credentials.(*aws.CredentialsCache); !ok {
			o.Credentials = aws.NewCredentialsCache(o.Credentials)
		}
	}
}

// The configuration errors every call of a client returns, before sending
// anything, when New was given no Region or no Credentials.
var (
	errNoRegion      = errors.New("no Region set (set Options.Region)")
	errNoCredentials = errors.New("no Credentials set (set Options.Credentials)")
)

// newSender builds the request sender for resolved options.
func newSender(o *Options) (*awsjson.Sender, error) {
	if o.Region == "" {
		return nil, errNoRegion
	}
	if o.Credentials == nil {
		return nil, errNoCredentials
	}
	ep, err := resolveEndpoint(o)
	if err != nil {
		return nil, err
	}
	u, err := url.Parse(ep.URL)
	if err != nil {
		return nil, err
	}
	userAgent := userAgentFor(o.AppID)
	return &awsjson.Sender{
		URL:             u,
		Region:          ep.SigningRegion,
		Service:         "kms",
		TargetScope:     "TrentService",
		Credentials:     o.Credentials,
		HTTPClient:      noredirect.Client(o.HTTPClient),
		Retryer:         o.Retryer,
		UserAgent:       userAgent,
		Signer:          v4.NewSigner(),
		NewError:        newAPIError,
		Clock:           new(awsjson.Clock),
		Logger:          o.Logger,
		RedactBody:      redactWireBody,
		MaxResponseBody: maxResponseBody,
	}, nil
}

// newAPIError turns a decoded error response into an *APIError; it is the
// sender's NewError.
func newAPIError(r *awsjson.ErrorResponse) error {
	e := &APIError{Code: r.Code, Message: r.Message, RequestID: r.RequestID, StatusCode: r.StatusCode}
	err := markUnmodeledThrottle(e)
	if r.ReadErr != nil {
		return fmt.Errorf("%w (reading the body failed: %w)", err, r.ReadErr)
	}
	return err
}

// responseHeaderTimeout bounds the wait for a response's headers once the
// request is written: KMS answers within seconds.
const responseHeaderTimeout = 60 * time.Second

// defaultHTTPClient keeps enough idle connections per host for concurrent
// callers to reuse them, waits at most responseHeaderTimeout for an answer
// (on top of net/http's dial and TLS handshake timeouts), and never follows
// a redirect: a 3xx response is returned to the caller as an *APIError.
func defaultHTTPClient() *http.Client {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConns = 100
	t.MaxIdleConnsPerHost = 100
	t.ResponseHeaderTimeout = responseHeaderTimeout
	return &http.Client{Transport: t, CheckRedirect: noredirect.Refuse}
}

// resolveEndpoint returns where o sends requests and the Region their
// signature names: o.BaseEndpoint when set, otherwise the KMS host of
// o.Region, FIPS and dual-stack as o.EndpointOptions say. A FIPS
// pseudo-region such as "fips-us-east-1" turns FIPS on and is signed for as
// the real Region ("us-east-1").
func resolveEndpoint(o *Options) (endpoint.Endpoint, error) {
	p := endpoint.Params{
		Region:    o.Region,
		FIPS:      o.EndpointOptions.UseFIPSEndpoint == aws.FIPSEndpointStateEnabled,
		DualStack: o.EndpointOptions.UseDualStackEndpoint == aws.DualStackEndpointStateEnabled,
	}
	if o.BaseEndpoint != nil {
		p.Base = *o.BaseEndpoint
	}
	return endpoint.Resolve(p)
}
