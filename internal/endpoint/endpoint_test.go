package endpoint

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestResolve(t *testing.T) {
	str := func(s string) *string { return &s }
	tests := []struct {
		name, region string
		fips         bool
		base         *string
		want         string
		partition    string
	}{
		{"commercial", "us-east-1", false, nil, "https://kms.us-east-1.amazonaws.com", "aws"},
		{"commercial fips", "us-east-1", true, nil, "https://kms-fips.us-east-1.amazonaws.com", "aws"},
		{"europe", "eu-west-3", false, nil, "https://kms.eu-west-3.amazonaws.com", "aws"},
		{"china", "cn-north-1", false, nil, "https://kms.cn-north-1.amazonaws.com.cn", "aws-cn"},
		{"china northwest", "cn-northwest-1", false, nil, "https://kms.cn-northwest-1.amazonaws.com.cn", "aws-cn"},
		{"govcloud", "us-gov-west-1", false, nil, "https://kms.us-gov-west-1.amazonaws.com", "aws-us-gov"},
		{"govcloud fips", "us-gov-east-1", true, nil, "https://kms-fips.us-gov-east-1.amazonaws.com", "aws-us-gov"},
		{"iso", "us-iso-east-1", false, nil, "https://kms.us-iso-east-1.c2s.ic.gov", "aws-iso"},
		{"iso-b", "us-isob-east-1", false, nil, "https://kms.us-isob-east-1.sc2s.sgov.gov", "aws-iso-b"},
		{"iso-e", "eu-isoe-west-1", false, nil, "https://kms.eu-isoe-west-1.cloud.adc-e.uk", "aws-iso-e"},
		{"iso-f", "us-isof-south-1", false, nil, "https://kms.us-isof-south-1.csp.hci.ic.gov", "aws-iso-f"},
		{"base endpoint wins", "us-east-1", true, str("http://127.0.0.1:4599"), "http://127.0.0.1:4599/", ""},
		{"base endpoint with path", "", false, str("https://proxy.example/kms/"), "https://proxy.example/kms/", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Resolve(tt.region, tt.fips, tt.base)
			require.NoError(t, err)
			want := tt.want
			if tt.base == nil {
				want += "/"
				assert.Equal(t, tt.partition, Partition(tt.region))
			}
			assert.Equal(t, want, got)
		})
	}
}

func TestResolveErrors(t *testing.T) {
	str := func(s string) *string { return &s }
	tests := []struct {
		name, region string
		base         *string
		contains     string
	}{
		{"no region", "", nil, `invalid Region ""`},
		{"empty base and no region", "", str(""), `invalid Region ""`},
		{"upper case region", "US-EAST-1", nil, "invalid Region"},
		{"region with dot", "us-east-1.evil.com", nil, "invalid Region"},
		{"region with slash", "us-east-1/x", nil, "invalid Region"},
		{"leading dash", "-us", nil, "invalid Region"},
		{"base without scheme", "", str("localhost:4599"), "invalid BaseEndpoint"},
		{"base ftp", "", str("ftp://host"), "invalid BaseEndpoint"},
		{"base with query", "", str("http://host/?a=b"), "query"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Resolve(tt.region, false, tt.base)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.contains)
		})
	}
}
