package kms

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"runtime"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"

	"github.com/kmskit/kms/internal/awsjson"
	"github.com/kmskit/kms/internal/endpoint"
)

// ServiceID is the SDK service identifier of KMS.
const ServiceID = "KMS"

// HTTPClient sends one HTTP request; *http.Client satisfies it, and so does
// the client of an httptest.Server.
type HTTPClient interface {
	Do(*http.Request) (*http.Response, error)
}

// EndpointOptions tunes endpoint resolution from the Region.
type EndpointOptions struct {
	// UseFIPSEndpoint selects https://kms-fips.{region}.{dnsSuffix}.
	UseFIPSEndpoint aws.FIPSEndpointState
}

// Options configures a Client. The zero value of each field means the
// default given in its comment. Per-call overrides are functions that change
// a copy of the client's Options.
type Options struct {
	// Region is the AWS Region, e.g. "us-east-1". Required, even with a
	// BaseEndpoint, because the signature covers it.
	Region string

	// Credentials signs requests. Required. A provider that is not already an
	// *aws.CredentialsCache is wrapped in one.
	Credentials aws.CredentialsProvider

	// BaseEndpoint overrides the endpoint resolved from Region, e.g.
	// "http://127.0.0.1:4599" for a local fake. http and https are allowed.
	BaseEndpoint *string

	// EndpointOptions selects FIPS endpoints.
	EndpointOptions EndpointOptions

	// HTTPClient sends requests. Nil means a client of this package with
	// pooled, reused connections. No client follows a redirect: an
	// *http.Client is used through a copy whose CheckRedirect refuses them,
	// a 3xx response is an *APIError naming the Location's host, and a
	// response to a request other than the one sent (another host, scheme
	// or method, which another HTTPClient may have followed) is an error.
	// The request body cannot be replayed (it has no GetBody).
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
	// with KeyStorePassword and RawSecretAccessKey redacted; never headers,
	// so never the signature. Nil (the default) logs nothing and costs
	// nothing; neither does a Logger with Debug disabled.
	Logger *slog.Logger
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
// config.LoadDefaultConfig): Region, Credentials, HTTPClient, BaseEndpoint,
// Retryer or RetryMaxAttempts, and the FIPS setting of its config sources
// (AWS_USE_FIPS_ENDPOINT, use_fips_endpoint).
func NewFromConfig(cfg aws.Config, optFns ...func(*Options)) *Client {
	o := Options{
		Region:           cfg.Region,
		Credentials:      cfg.Credentials,
		BaseEndpoint:     cfg.BaseEndpoint,
		HTTPClient:       cfg.HTTPClient,
		RetryMaxAttempts: cfg.RetryMaxAttempts,
	}
	if cfg.Retryer != nil {
		o.Retryer = cfg.Retryer()
	}
	o.EndpointOptions.UseFIPSEndpoint = fipsFromSources(cfg.ConfigSources)
	return New(o, optFns...)
}

// fipsFromSources reads the FIPS setting the way the SDK's config sources
// expose it.
func fipsFromSources(sources []interface{}) aws.FIPSEndpointState {
	type fipsSource interface {
		GetUseFIPSEndpoint(context.Context) (aws.FIPSEndpointState, bool, error)
	}
	for _, s := range sources {
		if fs, ok := s.(fipsSource); ok {
			if v, found, err := fs.GetUseFIPSEndpoint(context.Background()); err == nil && found {
				return v
			}
		}
	}
	return aws.FIPSEndpointStateUnset
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
	ep, err := endpoint.Resolve(o.Region, o.EndpointOptions.UseFIPSEndpoint == aws.FIPSEndpointStateEnabled, o.BaseEndpoint)
	if err != nil {
		return nil, err
	}
	u, err := url.Parse(ep)
	if err != nil {
		return nil, err
	}
	return &awsjson.Sender{
		URL:         u,
		Region:      o.Region,
		Service:     "kms",
		TargetScope: "TrentService",
		Credentials: o.Credentials,
		HTTPClient:  awsjson.NoRedirects(o.HTTPClient),
		Retryer:     o.Retryer,
		UserAgent:   userAgent,
		Signer:      v4.NewSigner(),
		NewError:    newAPIError,
		Clock:       new(awsjson.Clock),
		Logger:      o.Logger,
		RedactBody:  redactWireBody,
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

// defaultHTTPClient keeps enough idle connections per host for concurrent
// callers to reuse them, and never follows a redirect: a 3xx response is
// returned to the caller as an *APIError.
func defaultHTTPClient() *http.Client {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConns = 100
	t.MaxIdleConnsPerHost = 100
	return &http.Client{Transport: t, CheckRedirect: awsjson.RefuseRedirects}
}

// userAgent names this library, its version and the Go runtime.
var userAgent = "kmskit-kms-go/" + Version + " (" + runtime.Version() + "; " + runtime.GOOS + "/" + runtime.GOARCH + ")"
