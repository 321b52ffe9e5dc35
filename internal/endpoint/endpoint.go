// Package endpoint resolves the KMS endpoint of a Region, as AWS's own
// clients do, partition by partition.
package endpoint

import (
	"fmt"
	"net/url"
	"strings"
)

// partition is one AWS partition: which Regions belong to it and the DNS
// suffix of its endpoints.
type partition struct {
	name      string
	prefix    string // Region prefix; "" for the default aws partition
	dnsSuffix string
}

// partitions is ordered most specific prefix first.
var partitions = [...]partition{
	{name: "aws-cn", prefix: "cn-", dnsSuffix: "amazonaws.com.cn"},
	{name: "aws-us-gov", prefix: "us-gov-", dnsSuffix: "amazonaws.com"},
	{name: "aws-iso-b", prefix: "us-isob-", dnsSuffix: "sc2s.sgov.gov"},
	{name: "aws-iso-f", prefix: "us-isof-", dnsSuffix: "csp.hci.ic.gov"},
	{name: "aws-iso", prefix: "us-iso-", dnsSuffix: "c2s.ic.gov"},
	{name: "aws-iso-e", prefix: "eu-isoe-", dnsSuffix: "cloud.adc-e.uk"},
	{name: "aws-eusc", prefix: "eusc-", dnsSuffix: "amazonaws.eu"},
	{name: "aws", prefix: "", dnsSuffix: "amazonaws.com"},
}

// Resolve returns the endpoint URL for KMS. A non-empty base wins (any
// http or https URL, for local fakes); otherwise the URL is derived from
// region and fips: https://kms[-fips].{region}.{dnsSuffix}/. The result
// always ends in "/".
func Resolve(region string, fips bool, base *string) (string, error) {
	if base != nil && *base != "" {
		return checkBase(*base)
	}
	if !validRegion(region) {
		return "", fmt.Errorf("kms: invalid Region %q: want lower-case letters, digits and '-'", region)
	}
	host := "kms."
	if fips {
		host = "kms-fips."
	}
	return "https://" + host + region + "." + partitionOf(region).dnsSuffix + "/", nil
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
