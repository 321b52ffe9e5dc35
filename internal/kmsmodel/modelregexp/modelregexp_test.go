package modelregexp

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/kmskit/kms/internal/kmsmodel"
)

func TestPatternsUnanchored(t *testing.T) {
	cases := []struct {
		p     *kmsmodel.Pattern
		in    string
		match bool
	}{
		{kmsmodel.PatternCloudHsmClusterId, "cluster-abcdefghijk", true},
		{kmsmodel.PatternCloudHsmClusterId, "xx cluster-abcdefghijk yy", true}, // unanchored
		{kmsmodel.PatternCloudHsmClusterId, "cluster-1bcdefghijk", false},
		{kmsmodel.PatternAccountId, "a111122223333b", true}, // unanchored
		{kmsmodel.PatternAccountId, "11112222333", false},
		{kmsmodel.PatternXksProxyAuthenticationAccessKeyId, "ABCDEFGHIJKLMNOPQRST", true},
		{kmsmodel.PatternXksProxyAuthenticationAccessKeyId, "ABCDEFGHIJKLMNOPQRS1", false},
		{kmsmodel.PatternXksProxyUriEndpoint, "https://proxy.example.com", true},
		{kmsmodel.PatternXksProxyUriEndpoint, "https://proxy.example.com/", false},
		{kmsmodel.PatternXksProxyUriPath, "/kms/xks/v1", true},
		{kmsmodel.PatternXksProxyUriPath, "/prefix/kms/xks/v12", true},
		{kmsmodel.PatternXksProxyUriPath, "/kms/xks/v123", false},
		{kmsmodel.PatternXksProxyVpcEndpointServiceName, "com.amazonaws.vpce.us-east-1.vpce-svc-0abc", true},
		{kmsmodel.PatternXksProxyVpcEndpointServiceName, "org.amazonaws.vpce.us-east-1.vpce-svc-0abc", false},
		{kmsmodel.PatternXksProxyAuthenticationRawSecretAccessKey, "abc/+=", true},
		{kmsmodel.PatternXksProxyAuthenticationRawSecretAccessKey, "abc def", false},
		{kmsmodel.PatternMarker, "anything \u00ff", true}, // [\u0020-\u00FF]* matches the empty string anywhere
	}
	for _, c := range cases {
		assert.Equal(t, c.match, MatchString(c.p, c.in), "%s on %q", c.p.Source, c.in)
	}
	for _, p := range kmsmodel.Patterns {
		assert.Same(t, Regexp(p), Regexp(p), "%s compiled once", p.Source)
	}
	other := &kmsmodel.Pattern{Source: `^[\u0020-\u00FF]+$`}
	assert.NotSame(t, Regexp(other), Regexp(other), "a pattern outside kmsmodel.Patterns is compiled per call")
	re := Compile(other.Source)
	assert.True(t, re.MatchString(" ~\u00ff"))
	assert.False(t, re.MatchString("\u0100"))
	assert.False(t, re.MatchString("\t"))
}
