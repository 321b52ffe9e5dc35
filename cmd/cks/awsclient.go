package main

import (
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net/http"

	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/kmskit/kms"
	"github.com/kmskit/kms/internal/noredirect"
)

// awsFlags are the flags every subcommand takes, as the AWS CLI has them.
type awsFlags struct {
	region      string
	profile     string
	endpointURL string
	debug       bool
}

func (a *awsFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&a.region, "region", "", "AWS Region (default: AWS_REGION or the profile's region)")
	fs.StringVar(&a.profile, "profile", "", "named profile of the shared config files (default: AWS_PROFILE or default)")
	fs.StringVar(&a.endpointURL, "endpoint-url", "", "send KMS requests to this URL instead of the Region's endpoint")
	fs.BoolVar(&a.debug, "debug", false, "log each HTTP attempt to stderr, secrets redacted")
}

// client builds the KMS client from the SDK's default configuration
// (credential chain, shared config, profiles) and the flags.
func (a *awsFlags) client(e *env) (*kms.Client, error) {
	var opts []func(*config.LoadOptions) error
	if a.region != "" {
		opts = append(opts, config.WithRegion(a.region))
	}
	if a.profile != "" {
		opts = append(opts, config.WithSharedConfigProfile(a.profile))
	}
	cfg, err := config.LoadDefaultConfig(e.ctx, opts...)
	if err != nil {
		return nil, fmt.Errorf("loading the AWS configuration: %w", err)
	}
	if cfg.Region == "" {
		return nil, errors.New("no AWS Region: give --region, set AWS_REGION, or set region in the profile")
	}
	var hc kms.HTTPClient = &http.Client{
		Transport:     http.DefaultTransport.(*http.Transport).Clone(),
		CheckRedirect: noredirect.Refuse,
	}
	return kms.NewFromConfig(cfg, func(o *kms.Options) {
		o.HTTPClient = hc
		if a.endpointURL != "" {
			u := a.endpointURL
			o.BaseEndpoint = &u
		}
		if a.debug {
			o.Logger = slog.New(slog.NewTextHandler(e.stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
		}
	}), nil
}
