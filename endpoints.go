package kms

import (
	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/kmskit/kms/internal/endpoint"
)

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
