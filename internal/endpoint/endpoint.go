// Package endpoint resolves the KMS endpoint of a Region, as AWS's own
// clients do, partition by partition: FIPS, dual-stack and the FIPS
// pseudo-regions such as "fips-us-east-1".
package endpoint

import (
	"fmt"
	"net/url"
	"strings"
)

// partition is one AWS partition: which Regions belong to it and the DNS
// suffixes of its endpoints (aws-sdk-go-v2 v1.48.0 partitions.json).
type partition struct {
	name               string
	prefix             string // Region prefix; "" for the default aws partition
	dnsSuffix          string
	dualStackDNSSuffix string
}

// partitions is ordered most specific prefix first.
var partitions = [...]partition{
	{name: "aws-cn", prefix: "cn-", dnsSuffix: "amazonaws.com.cn", dualStackDNSSuffix: "api.amazonwebservices.com.cn"},
	{name: "aws-us-gov", prefix: "us-gov-", dnsSuffix: "amazonaws.com", dualStackDNSSuffix: "api.aws"},
	{name: "aws-iso-b", prefix: "us-isob-", dnsSuffix: "sc2s.sgov.gov", dualStackDNSSuffix: "api.aws.scloud"},
	{name: "aws-iso-f", prefix: "us-isof-", dnsSuffix: "csp.hci.ic.gov", dualStackDNSSuffix: "api.aws.hci.ic.gov"},
	{name: "aws-iso", prefix: "us-iso-", dnsSuffix: "c2s.ic.gov", dualStackDNSSuffix: "api.aws.ic.gov"},
	{name: "aws-iso-e", prefix: "eu-isoe-", dnsSuffix: "cloud.adc-e.uk", dualStackDNSSuffix: "api.cloud-aws.adc-e.uk"},
	{name: "aws-eusc", prefix: "eusc-", dnsSuffix: "amazonaws.eu", dualStackDNSSuffix: "api.amazonwebservices.eu"},
	{name: "aws", prefix: "", dnsSuffix: "amazonaws.com", dualStackDNSSuffix: "api.aws"},
}

// Params are what endpoint resolution depends on.
type Params struct {
	// Region as configured; a FIPS pseudo-region ("fips-us-east-1",
	// "us-west-2-fips") turns FIPS on and is signed for as the real Region.
	Region string
	// FIPS selects the kms-fips host.
	FIPS bool
	// DualStack selects the partition's dual-stack (IPv4 and IPv6) domain.
	DualStack bool
	// Base, when not empty, is used as it is (any http or https URL, for
	// local fakes and proxies); FIPS and DualStack then change nothing.
	Base string
}

// Endpoint is where a request goes and which Region its signature names.
type Endpoint struct {
	// URL always ends in "/".
	URL string
	// SigningRegion is the Region without any FIPS pseudo-region marker.
	SigningRegion string
}

// Resolve returns the endpoint for p: p.Base when set, otherwise
// https://kms[-fips].{region}.{dnsSuffix}/, where dnsSuffix is the
// partition's dual-stack suffix when p.DualStack is set.
func Resolve(p Params) (Endpoint, error) {
	region, pseudoFIPS := NormalizeRegion(p.Region)
	if pseudoFIPS && region == "" {
		return Endpoint{}, fmt.Errorf("kms: invalid Region %q: nothing is left once the FIPS marker is removed", p.Region)
	}
	if p.Base != "" {
		u, err := checkBase(p.Base)
		if err != nil {
			return Endpoint{}, err
		}
		return Endpoint{URL: u, SigningRegion: region}, nil
	}
	if !validRegion(region) {
		return Endpoint{}, fmt.Errorf("kms: invalid Region %q: want lower-case letters, digits and '-', optionally with a FIPS marker (fips-us-east-1, us-east-1-fips)", p.Region)
	}
	host := "kms."
	if p.FIPS || pseudoFIPS {
		host = "kms-fips."
	}
	part := partitionOf(region)
	suffix := part.dnsSuffix
	if p.DualStack {
		suffix = part.dualStackDNSSuffix
	}
	return Endpoint{URL: "https://" + host + region + "." + suffix + "/", SigningRegion: region}, nil
}

// FIPS pseudo-region markers, removed in this order as the AWS SDKs do.
const (
	fipsInfix  = "-fips-"
	fipsPrefix = "fips-"
	fipsSuffix = "-fips"
)

// NormalizeRegion removes the FIPS pseudo-region markers "-fips-" (replaced
// by "-"), "fips-" and "-fips" from region and reports whether there was one:
// "fips-us-east-1" and "us-east-1-fips" both give "us-east-1", true.
func NormalizeRegion(region string) (string, bool) {
	if !strings.Contains(region, fipsInfix) && !strings.Contains(region, fipsPrefix) && !strings.Contains(region, fipsSuffix) {
		return region, false
	}
	region = strings.ReplaceAll(region, fipsInfix, "-")
	region = strings.ReplaceAll(region, fipsPrefix, "")
	region = strings.ReplaceAll(region, fipsSuffix, "")
	return region, true
}

// Partition returns the name of the partition a Region belongs to.
func Partition(region string) string { return partitionOf(region).name }

func partitionOf(region string) partition {
	for _, p := range partitions {
		if p.prefix != "" && strings.HasPrefix(region, p.prefix) {
			return p
		}
	}
	return partitions[len(partitions)-1]
}

// validRegion accepts a non-empty DNS label: lower-case letters, digits and '-', not
// starting or ending with '-'.
func validRegion(r string) bool {
	if r == "" || len(r) > 63 || r[0] == '-' || r[len(r)-1] == '-' {
		return false
	}
	for i := 0; i < len(r); i++ {
		c := r[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

func checkBase(base string) (string, error) {
	u, err := url.Parse(base)
	if err != nil {
		return "", fmt.Errorf("kms: invalid BaseEndpoint: %w", err)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", fmt.Errorf("kms: invalid BaseEndpoint %q: want an http or https URL with a host", base)
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return "", fmt.Errorf("kms: invalid BaseEndpoint %q: must not have a query or fragment", base)
	}
	return strings.TrimRight(base, "/") + "/", nil
}
