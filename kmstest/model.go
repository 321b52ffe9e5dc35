package kmstest

import (
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"
)

// problem is one model constraint that one member breaks.
type problem struct {
	path   string // AWS validation path, e.g. "xksProxyAuthenticationCredential.accessKeyId"
	value  *string
	secret bool
	rule   string
}

// String formats p as AWS does in a ValidationException message.
func (p problem) String() string {
	switch {
	case p.value == nil:
		return fmt.Sprintf("Value at '%s' failed to satisfy constraint: %s", p.path, p.rule)
	case p.secret:
		return fmt.Sprintf("Value '%s' at '%s' failed to satisfy constraint: %s", redactedValue, p.path, p.rule)
	}
	return fmt.Sprintf("Value '%s' at '%s' failed to satisfy constraint: %s", echo(*p.value), p.path, p.rule)
}

// redactedValue replaces secret values in validation messages.
const redactedValue = Redacted

// validationError returns the ValidationException for probs, or nil.
func validationError(probs []problem) *apiError {
	if len(probs) == 0 {
		return nil
	}
	var b strings.Builder
	if len(probs) == 1 {
		b.WriteString("1 validation error detected: ")
	} else {
		fmt.Fprintf(&b, "%d validation errors detected: ", len(probs))
	}
	for i, p := range probs {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(p.String())
	}
	return newError(CodeValidation, b.String())
}

// constraint is the model's length and pattern constraint on a string
// member. Lengths count Unicode code points. A value must match at least one
// of patterns, when there are any.
type constraint struct {
	min, max int
	patterns []*regexp.Regexp
	secret   bool
}

var (
	reCluster     = regexp.MustCompile(`cluster-[2-7a-zA-Z]{11,16}`)
	reEndpoint    = regexp.MustCompile(`^https://[a-zA-Z0-9.-]+$`)
	rePathPrefix  = regexp.MustCompile(`^(/[a-zA-Z0-9\/_-]+/kms/xks/v\d{1,2})$`)
	rePathBare    = regexp.MustCompile(`^(/kms/xks/v\d{1,2})$`)
	reVpcService  = regexp.MustCompile(`^(com|eu)\.amazonaws\.vpce\.([a-z]+-){2,3}\d+\.vpce-svc-[0-9a-z]+$`)
	reAccount     = regexp.MustCompile(`^[0-9]{12}$`)
	reAccessKeyID = regexp.MustCompile(`^[A-Z2-7]+$`)
	reSecretKey   = regexp.MustCompile(`^[a-zA-Z0-9\/+=]+$`)
)

// The model's constraints on UpdateCustomKeyStore's members.
var (
	cCustomKeyStoreId  = constraint{min: 1, max: 64}
	cCloudHsmClusterId = constraint{min: 19, max: 24, patterns: []*regexp.Regexp{reCluster}}
	cKeyStorePassword  = constraint{min: 7, max: 32, secret: true}
	cCustomKeyStoreNm  = constraint{min: 1, max: 256}
	cUriEndpoint       = constraint{min: 10, max: 128, patterns: []*regexp.Regexp{reEndpoint}}
	cUriPath           = constraint{min: 10, max: 128, patterns: []*regexp.Regexp{rePathPrefix, rePathBare}}
	cVpcServiceName    = constraint{min: 20, max: 64, patterns: []*regexp.Regexp{reVpcService}}
	cVpcServiceOwner   = constraint{min: 12, max: 12, patterns: []*regexp.Regexp{reAccount}}
	cAccessKeyId       = constraint{min: 20, max: 30, patterns: []*regexp.Regexp{reAccessKeyID}, secret: true}
	cRawSecretKey      = constraint{min: 43, max: 64, patterns: []*regexp.Regexp{reSecretKey}, secret: true}
)

// check appends to probs every rule of c that v breaks.
func (c constraint) check(probs []problem, path string, v *string) []problem {
	if v == nil {
		return probs
	}
	add := func(rule string) {
		probs = append(probs, problem{path: path, value: v, secret: c.secret, rule: rule})
	}
	n := utf8.RuneCountInString(*v)
	if n < c.min {
		add(fmt.Sprintf("Member must have length greater than or equal to %d", c.min))
	}
	if n > c.max {
		add(fmt.Sprintf("Member must have length less than or equal to %d", c.max))
	}
	if len(c.patterns) > 0 {
		ok := false
		texts := make([]string, len(c.patterns))
		for i, re := range c.patterns {
			texts[i] = re.String()
			ok = ok || re.MatchString(*v)
		}
		if !ok {
			add("Member must satisfy regular expression pattern: " + strings.Join(texts, " or "))
		}
	}
	return probs
}

// validateModel checks in against the model and returns the problems found,
// after those already in probs (wrong JSON types), in member order.
func validateModel(in updateInput, probs []problem) []problem {
	if in.CustomKeyStoreId == nil && !hasPath(probs, "customKeyStoreId") {
		probs = append(probs, problem{path: "customKeyStoreId", rule: "Member must not be null"})
	}
	probs = cCustomKeyStoreId.check(probs, "customKeyStoreId", in.CustomKeyStoreId)
	probs = cCloudHsmClusterId.check(probs, "cloudHsmClusterId", in.CloudHsmClusterId)
	probs = cKeyStorePassword.check(probs, "keyStorePassword", in.KeyStorePassword)
	probs = cCustomKeyStoreNm.check(probs, "newCustomKeyStoreName", in.NewCustomKeyStoreName)
	if c := in.XksProxyAuthenticationCredential; c != nil {
		const base = "xksProxyAuthenticationCredential."
		if c.AccessKeyId == nil && !hasPath(probs, base+"accessKeyId") {
			probs = append(probs, problem{path: base + "accessKeyId", rule: "Member must not be null"})
		}
		probs = cAccessKeyId.check(probs, base+"accessKeyId", c.AccessKeyId)
		if c.RawSecretAccessKey == nil && !hasPath(probs, base+"rawSecretAccessKey") {
			probs = append(probs, problem{path: base + "rawSecretAccessKey", rule: "Member must not be null"})
		}
		probs = cRawSecretKey.check(probs, base+"rawSecretAccessKey", c.RawSecretAccessKey)
	}
	if v := in.XksProxyConnectivity; v != nil && Connectivity(*v) != ConnectivityPublicEndpoint && Connectivity(*v) != ConnectivityVpcEndpointService {
		probs = append(probs, problem{path: "xksProxyConnectivity", value: v,
			rule: "Member must satisfy enum value set: [VPC_ENDPOINT_SERVICE, PUBLIC_ENDPOINT]"})
	}
	probs = cUriEndpoint.check(probs, "xksProxyUriEndpoint", in.XksProxyUriEndpoint)
	probs = cUriPath.check(probs, "xksProxyUriPath", in.XksProxyUriPath)
	// The API documents "" as the way to clear the service name when
	// switching to PUBLIC_ENDPOINT, so that one empty value is allowed.
	clearing := in.XksProxyVpcEndpointServiceName != nil && *in.XksProxyVpcEndpointServiceName == "" &&
		in.XksProxyConnectivity != nil && Connectivity(*in.XksProxyConnectivity) == ConnectivityPublicEndpoint
	if !clearing {
		probs = cVpcServiceName.check(probs, "xksProxyVpcEndpointServiceName", in.XksProxyVpcEndpointServiceName)
	}
	probs = cVpcServiceOwner.check(probs, "xksProxyVpcEndpointServiceOwner", in.XksProxyVpcEndpointServiceOwner)
	return probs
}

// hasPath reports whether probs already has a problem at path.
func hasPath(probs []problem, path string) bool {
	for _, p := range probs {
		if p.path == path {
			return true
		}
	}
	return false
}
