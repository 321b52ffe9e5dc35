package endpoint

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestResolve(t *testing.T) {
	tests := []struct {
		name          string
		p             Params
		want          string
		signingRegion string
		partition     string
	}{
		{"commercial", Params{Region: "us-east-1"}, "https://kms.us-east-1.amazonaws.com/", "us-east-1", "aws"},
		{"commercial fips", Params{Region: "us-east-1", FIPS: true}, "https://kms-fips.us-east-1.amazonaws.com/", "us-east-1", "aws"},
		{"europe", Params{Region: "eu-west-3"}, "https://kms.eu-west-3.amazonaws.com/", "eu-west-3", "aws"},
		{"china", Params{Region: "cn-north-1"}, "https://kms.cn-north-1.amazonaws.com.cn/", "cn-north-1", "aws-cn"},
		{"china northwest", Params{Region: "cn-northwest-1"}, "https://kms.cn-northwest-1.amazonaws.com.cn/", "cn-northwest-1", "aws-cn"},
		{"govcloud", Params{Region: "us-gov-west-1"}, "https://kms.us-gov-west-1.amazonaws.com/", "us-gov-west-1", "aws-us-gov"},
		{"govcloud fips", Params{Region: "us-gov-east-1", FIPS: true}, "https://kms-fips.us-gov-east-1.amazonaws.com/", "us-gov-east-1", "aws-us-gov"},
		{"iso", Params{Region: "us-iso-east-1"}, "https://kms.us-iso-east-1.c2s.ic.gov/", "us-iso-east-1", "aws-iso"},
		{"iso-b", Params{Region: "us-isob-east-1"}, "https://kms.us-isob-east-1.sc2s.sgov.gov/", "us-isob-east-1", "aws-iso-b"},
		{"iso-e", Params{Region: "eu-isoe-west-1"}, "https://kms.eu-isoe-west-1.cloud.adc-e.uk/", "eu-isoe-west-1", "aws-iso-e"},
		{"iso-f", Params{Region: "us-isof-south-1"}, "https://kms.us-isof-south-1.csp.hci.ic.gov/", "us-isof-south-1", "aws-iso-f"},
		{"eusc", Params{Region: "eusc-de-east-1"}, "https://kms.eusc-de-east-1.amazonaws.eu/", "eusc-de-east-1", "aws-eusc"},

		// Dual-stack, every partition, with and without FIPS.
		{"dual-stack aws", Params{Region: "us-east-1", DualStack: true}, "https://kms.us-east-1.api.aws/", "us-east-1", "aws"},
		{"dual-stack aws fips", Params{Region: "us-east-1", DualStack: true, FIPS: true}, "https://kms-fips.us-east-1.api.aws/", "us-east-1", "aws"},
		{"dual-stack aws-cn", Params{Region: "cn-north-1", DualStack: true}, "https://kms.cn-north-1.api.amazonwebservices.com.cn/", "cn-north-1", "aws-cn"},
		{"dual-stack aws-cn fips", Params{Region: "cn-northwest-1", DualStack: true, FIPS: true}, "https://kms-fips.cn-northwest-1.api.amazonwebservices.com.cn/", "cn-northwest-1", "aws-cn"},
		{"dual-stack aws-us-gov", Params{Region: "us-gov-west-1", DualStack: true}, "https://kms.us-gov-west-1.api.aws/", "us-gov-west-1", "aws-us-gov"},
		{"dual-stack aws-us-gov fips", Params{Region: "us-gov-east-1", DualStack: true, FIPS: true}, "https://kms-fips.us-gov-east-1.api.aws/", "us-gov-east-1", "aws-us-gov"},
		{"dual-stack aws-iso", Params{Region: "us-iso-east-1", DualStack: true}, "https://kms.us-iso-east-1.api.aws.ic.gov/", "us-iso-east-1", "aws-iso"},
		{"dual-stack aws-iso-b", Params{Region: "us-isob-east-1", DualStack: true}, "https://kms.us-isob-east-1.api.aws.scloud/", "us-isob-east-1", "aws-iso-b"},
		{"dual-stack aws-iso-e", Params{Region: "eu-isoe-west-1", DualStack: true}, "https://kms.eu-isoe-west-1.api.cloud-aws.adc-e.uk/", "eu-isoe-west-1", "aws-iso-e"},
		{"dual-stack aws-iso-f fips", Params{Region: "us-isof-south-1", DualStack: true, FIPS: true}, "https://kms-fips.us-isof-south-1.api.aws.hci.ic.gov/", "us-isof-south-1", "aws-iso-f"},
		{"dual-stack aws-eusc", Params{Region: "eusc-de-east-1", DualStack: true}, "https://kms.eusc-de-east-1.api.amazonwebservices.eu/", "eusc-de-east-1", "aws-eusc"},

		// FIPS pseudo-regions: FIPS host, signed for the real Region.
		{"pseudo-region prefix", Params{Region: "fips-us-east-1"}, "https://kms-fips.us-east-1.amazonaws.com/", "us-east-1", "aws"},
		{"pseudo-region suffix", Params{Region: "us-west-2-fips"}, "https://kms-fips.us-west-2.amazonaws.com/", "us-west-2", "aws"},
		{"pseudo-region infix", Params{Region: "us-gov-fips-west-1"}, "https://kms-fips.us-gov-west-1.amazonaws.com/", "us-gov-west-1", "aws-us-gov"},
		{"pseudo-region govcloud", Params{Region: "fips-us-gov-west-1"}, "https://kms-fips.us-gov-west-1.amazonaws.com/", "us-gov-west-1", "aws-us-gov"},
		{"pseudo-region dual-stack", Params{Region: "ca-central-1-fips", DualStack: true}, "https://kms-fips.ca-central-1.api.aws/", "ca-central-1", "aws"},
		{"pseudo-region with FIPS already on", Params{Region: "fips-us-east-2", FIPS: true}, "https://kms-fips.us-east-2.amazonaws.com/", "us-east-2", "aws"},

		// A base endpoint wins over Region, FIPS and dual-stack.
		{"base endpoint wins", Params{Region: "us-east-1", FIPS: true, DualStack: true, Base: "http://127.0.0.1:4599"}, "http://127.0.0.1:4599/", "us-east-1", ""},
		{"base endpoint with path", Params{Base: "https://proxy.example/kms/"}, "https://proxy.example/kms/", "", ""},
		{"base endpoint signs for the real Region", Params{Region: "fips-us-east-1", Base: "http://127.0.0.1:4599/"}, "http://127.0.0.1:4599/", "us-east-1", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Resolve(tt.p)
			require.NoError(t, err)
			assert.Equal(t, tt.want, got.URL)
			assert.Equal(t, tt.signingRegion, got.SigningRegion)
			if tt.p.Base == "" {
				assert.Equal(t, tt.partition, Partition(got.SigningRegion))
			}
		})
	}
}

func TestResolveErrors(t *testing.T) {
	tests := []struct {
		name     string
		p        Params
		contains string
	}{
		{"no region", Params{}, `invalid Region ""`},
		{"no region with fips", Params{FIPS: true, DualStack: true}, `invalid Region ""`},
		{"upper case region", Params{Region: "US-EAST-1"}, "invalid Region"},
		{"region with dot", Params{Region: "us-east-1.evil.com"}, "invalid Region"},
		{"region with slash", Params{Region: "us-east-1/x"}, "invalid Region"},
		{"leading dash", Params{Region: "-us"}, "invalid Region"},
		{"only a fips marker", Params{Region: "fips-"}, "nothing is left"},
		{"only a fips suffix", Params{Region: "-fips", Base: "http://127.0.0.1:1"}, "nothing is left"},
		{"pseudo-region left invalid", Params{Region: "fips-US-EAST-1"}, `invalid Region "fips-US-EAST-1"`},
		{"base without scheme", Params{Base: "localhost:4599"}, "invalid BaseEndpoint"},
		{"base ftp", Params{Base: "ftp://host"}, "invalid BaseEndpoint"},
		{"base with query", Params{Base: "http://host/?a=b"}, "query"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Resolve(tt.p)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.contains)
		})
	}
}

func TestNormalizeRegion(t *testing.T) {
	tests := []struct {
		in, want string
		fips     bool
	}{
		{"us-east-1", "us-east-1", false},
		{"fips-us-east-1", "us-east-1", true},
		{"us-east-1-fips", "us-east-1", true},
		{"fips-us-gov-west-1", "us-gov-west-1", true},
		{"us-gov-fips-west-1", "us-gov-west-1", true},
		{"fips-ca-central-1-fips", "ca-central-1", true},
		{"fipsus-east-1", "fipsus-east-1", false},
		{"", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, fips := NormalizeRegion(tt.in)
			assert.Equal(t, tt.want, got)
			assert.Equal(t, tt.fips, fips)
		})
	}
}

// Every partition has both suffixes, and each Region prefix picks its own.
func TestPartitionsComplete(t *testing.T) {
	seen := map[string]bool{}
	for _, p := range partitions {
		assert.NotEmpty(t, p.dnsSuffix, p.name)
		assert.NotEmpty(t, p.dualStackDNSSuffix, p.name)
		assert.False(t, seen[p.name], "duplicate partition %s", p.name)
		seen[p.name] = true
		if p.prefix != "" {
			assert.Equal(t, p.name, Partition(p.prefix+"x-1"))
		}
	}
	assert.Len(t, seen, 8)
}
