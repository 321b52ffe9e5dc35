package kms

import (
	"context"
	"os"

	"github.com/aws/aws-sdk-go-v2/aws"
)

// The settings below come from aws.Config.ConfigSources, which
// config.LoadDefaultConfig fills with its environment and shared config
// file sources. They are read through the small interfaces those sources
// implement (the ones of aws-sdk-go-v2/internal/configsources), so this
// module does not depend on the config module.

// serviceBaseEndpointSource gives the endpoint configured for one service:
// AWS_ENDPOINT_URL_<SDK ID> or the shared config file's services section.
type serviceBaseEndpointSource interface {
	GetServiceBaseEndpoint(ctx context.Context, sdkID string) (string, bool, error)
}

// ignoreConfiguredEndpointsSource gives AWS_IGNORE_CONFIGURED_ENDPOINT_URLS or
// ignore_configured_endpoint_urls.
type ignoreConfiguredEndpointsSource interface {
	GetIgnoreConfiguredEndpoints(ctx context.Context) (bool, bool, error)
}

// useFIPSEndpointSource gives AWS_USE_FIPS_ENDPOINT or use_fips_endpoint.
type useFIPSEndpointSource interface {
	GetUseFIPSEndpoint(ctx context.Context) (aws.FIPSEndpointState, bool, error)
}

// useDualStackEndpointSource gives AWS_USE_DUALSTACK_ENDPOINT or
// use_dualstack_endpoint.
type useDualStackEndpointSource interface {
	GetUseDualStackEndpoint(ctx context.Context) (aws.DualStackEndpointState, bool, error)
}

// fromSources returns the value of the first source of type S that has the
// setting. As in the SDK, a source that fails ends the search: the setting
// is then not found.
func fromSources[S any, V any](sources []any, get func(S) (V, bool, error)) (V, bool) {
	var zero V
	for _, src := range sources {
		s, ok := src.(S)
		if !ok {
			continue
		}
		v, found, err := get(s)
		if err != nil {
			return zero, false
		}
		if found {
			return v, true
		}
	}
	return zero, false
}

// baseEndpointFromConfig resolves the base endpoint exactly as aws-sdk-go-v2
// service/kms does (resolveBaseEndpoint): cfg.BaseEndpoint (AWS_ENDPOINT_URL
// or endpoint_url, already cleared by the ignore switch); when AWS_ENDPOINT_URL
// is set and AWS_ENDPOINT_URL_KMS is not, that is final; otherwise the
// KMS-specific endpoint of the config sources replaces it, unless
// AWS_IGNORE_CONFIGURED_ENDPOINT_URLS or ignore_configured_endpoint_urls is
// true.
func baseEndpointFromConfig(ctx context.Context, cfg aws.Config) *string {
	base := cfg.BaseEndpoint
	_, global := os.LookupEnv("AWS_ENDPOINT_URL")
	_, service := os.LookupEnv("AWS_ENDPOINT_URL_KMS")
	if global && !service {
		return base
	}
	if ignore, found := fromSources(cfg.ConfigSources, func(s ignoreConfiguredEndpointsSource) (bool, bool, error) {
		return s.GetIgnoreConfiguredEndpoints(ctx)
	}); found && ignore {
		return base
	}
	if v, found := fromSources(cfg.ConfigSources, func(s serviceBaseEndpointSource) (string, bool, error) {
		return s.GetServiceBaseEndpoint(ctx, ServiceID)
	}); found {
		return &v
	}
	return base
}

// endpointOptionsFromSources reads AWS_USE_FIPS_ENDPOINT or
// use_fips_endpoint, and AWS_USE_DUALSTACK_ENDPOINT or use_dualstack_endpoint.
func endpointOptionsFromSources(ctx context.Context, sources []any) (o EndpointOptions) {
	o.UseFIPSEndpoint, _ = fromSources(sources, func(s useFIPSEndpointSource) (aws.FIPSEndpointState, bool, error) {
		return s.GetUseFIPSEndpoint(ctx)
	})
	o.UseDualStackEndpoint, _ = fromSources(sources, func(s useDualStackEndpointSource) (aws.DualStackEndpointState, bool, error) {
		return s.GetUseDualStackEndpoint(ctx)
	})
	return o
}
