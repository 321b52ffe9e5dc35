package kms

import (
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kmskit/kms/internal/kmsmodel"
)

// Realistic valid values, one per member.
const (
	validStoreID         = "cks-1234567890abcdef0"
	validClusterID       = "cluster-zx4qh2b7sdd" // 19 characters, base32 like real IDs
	validPassword        = "kmsPswd1"
	validName            = "ExampleKeyStore"
	validAccessKeyID     = "BCDEFGHIJKLMNOP23456"                         // 20 characters of [A-Z2-7]
	validSecretAccessKey = "K6Hn3kV9Yd2mQp7rT1uWx4zA8bC5eF0gH2iJ6kL9mN3=" // 44 characters
	validEndpoint        = "https://myproxy.xks.example.com"
	validPath            = "/example/prefix/kms/xks/v1"
	validServiceName     = "com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0"
	validServiceOwner    = "111122223333"
)

// The member names problems use, and the model's patterns as messages
// quote them.
const (
	fieldInput                 = "UpdateCustomKeyStoreInput"
	fieldCustomKeyStoreID      = "CustomKeyStoreId"
	fieldCloudHsmClusterID     = "CloudHsmClusterId"
	fieldKeyStorePassword      = "KeyStorePassword"
	fieldNewCustomKeyStoreName = "NewCustomKeyStoreName"
	fieldXksAccessKeyID        = "XksProxyAuthenticationCredential.AccessKeyId"
	fieldXksSecretAccessKey    = "XksProxyAuthenticationCredential.RawSecretAccessKey"
	fieldXksConnectivity       = "XksProxyConnectivity"
	fieldXksURIEndpoint        = "XksProxyUriEndpoint"
	fieldXksURIPath            = "XksProxyUriPath"
	fieldXksVpcServiceName     = "XksProxyVpcEndpointServiceName"
	fieldXksVpcServiceOwner    = "XksProxyVpcEndpointServiceOwner"
)

var (
	patCloudHsmClusterID  = kmsmodel.PatternCloudHsmClusterId.Source
	patXksAccessKeyID     = kmsmodel.PatternXksProxyAuthenticationAccessKeyId.Source
	patXksSecretAccessKey = kmsmodel.PatternXksProxyAuthenticationRawSecretAccessKey.Source
	patXksURIEndpoint     = kmsmodel.PatternXksProxyUriEndpoint.Source
	patXksURIPath         = kmsmodel.PatternXksProxyUriPath.Source
	patXksVpcServiceName  = kmsmodel.PatternXksProxyVpcEndpointServiceName.Source
	patXksVpcServiceOwner = kmsmodel.PatternAccountId.Source
)

func stringPointer(s string) *string { return &s }

func repeatString(s string, n int) string { return strings.Repeat(s, n) }

func credentialOf(akid, secret *string) *XksProxyAuthenticationCredentialType {
	return &XksProxyAuthenticationCredentialType{AccessKeyId: akid, RawSecretAccessKey: secret}
}

// wantProblem is an expected problem: the exact field and a substring of the
// reason.
type wantProblem struct {
	field, reason string
}

type validateCase struct {
	name string
	in   *UpdateCustomKeyStoreInput
	want []wantProblem // nil: valid
}

// validCases are realistic updates of every kind; all must pass.
func validCases() []validateCase {
	return []validateCase{
		{name: "id only", in: &UpdateCustomKeyStoreInput{CustomKeyStoreId: stringPointer(validStoreID)}},
		{name: "rename only", in: &UpdateCustomKeyStoreInput{CustomKeyStoreId: stringPointer(validStoreID), NewCustomKeyStoreName: stringPointer(validName)}},
		{name: "CloudHSM password and cluster", in: &UpdateCustomKeyStoreInput{
			CustomKeyStoreId: stringPointer(validStoreID), CloudHsmClusterId: stringPointer(validClusterID), KeyStorePassword: stringPointer(validPassword),
		}},
		{name: "CloudHSM password, cluster and name", in: &UpdateCustomKeyStoreInput{
			CustomKeyStoreId: stringPointer(validStoreID), CloudHsmClusterId: stringPointer("cluster-234abcdefghij"), KeyStorePassword: stringPointer("ExamplePassword"),
			NewCustomKeyStoreName: stringPointer(validName),
		}},
		{name: "CloudHSM password only", in: &UpdateCustomKeyStoreInput{CustomKeyStoreId: stringPointer(validStoreID), KeyStorePassword: stringPointer(validPassword)}},
		{name: "XKS credential rotation", in: &UpdateCustomKeyStoreInput{
			CustomKeyStoreId: stringPointer(validStoreID), XksProxyAuthenticationCredential: credentialOf(stringPointer(validAccessKeyID), stringPointer(validSecretAccessKey)),
		}},
		{name: "XKS path change", in: &UpdateCustomKeyStoreInput{CustomKeyStoreId: stringPointer(validStoreID), XksProxyUriPath: stringPointer(validPath)}},
		{name: "XKS changes allowed while connected", in: &UpdateCustomKeyStoreInput{
			CustomKeyStoreId: stringPointer(validStoreID), NewCustomKeyStoreName: stringPointer(validName),
			XksProxyAuthenticationCredential: credentialOf(stringPointer(validAccessKeyID), stringPointer(validSecretAccessKey)), XksProxyUriPath: stringPointer("/kms/xks/v1"),
		}},
		{name: "switch to VPC_ENDPOINT_SERVICE", in: &UpdateCustomKeyStoreInput{
			CustomKeyStoreId: stringPointer(validStoreID), XksProxyConnectivity: XksProxyConnectivityTypeVpcEndpointService,
			XksProxyUriEndpoint: stringPointer("https://myproxy-private.xks.example.com"), XksProxyVpcEndpointServiceName: stringPointer(validServiceName),
		}},
		{name: "switch to VPC_ENDPOINT_SERVICE with owner", in: &UpdateCustomKeyStoreInput{
			CustomKeyStoreId: stringPointer(validStoreID), XksProxyConnectivity: XksProxyConnectivityTypeVpcEndpointService,
			XksProxyUriEndpoint:            stringPointer("https://myproxy-private.xks.example.com"),
			XksProxyVpcEndpointServiceName: stringPointer("com.amazonaws.vpce.us-east-1.vpce-svc-example1"), XksProxyVpcEndpointServiceOwner: stringPointer(validServiceOwner),
		}},
		{name: "switch to PUBLIC_ENDPOINT with empty service name", in: &UpdateCustomKeyStoreInput{
			CustomKeyStoreId: stringPointer(validStoreID), XksProxyConnectivity: XksProxyConnectivityTypePublicEndpoint,
			XksProxyUriEndpoint: stringPointer(validEndpoint), XksProxyVpcEndpointServiceName: stringPointer(""),
		}},
		{name: "switch to PUBLIC_ENDPOINT without service name", in: &UpdateCustomKeyStoreInput{
			CustomKeyStoreId: stringPointer(validStoreID), XksProxyConnectivity: XksProxyConnectivityTypePublicEndpoint, XksProxyUriEndpoint: stringPointer(validEndpoint),
		}},
		{name: "owner change alone", in: &UpdateCustomKeyStoreInput{CustomKeyStoreId: stringPointer(validStoreID), XksProxyVpcEndpointServiceOwner: stringPointer(validServiceOwner)}},
		{name: "endpoint change alone", in: &UpdateCustomKeyStoreInput{CustomKeyStoreId: stringPointer(validStoreID), XksProxyUriEndpoint: stringPointer(validEndpoint)}},
		{name: "service name change alone", in: &UpdateCustomKeyStoreInput{CustomKeyStoreId: stringPointer(validStoreID), XksProxyVpcEndpointServiceName: stringPointer(validServiceName)}},
		{name: "XKS full VPC update", in: fullExternalInput()},
	}
}

// fullExternalInput sends every external key store member, validly.
func fullExternalInput() *UpdateCustomKeyStoreInput {
	return &UpdateCustomKeyStoreInput{
		CustomKeyStoreId:                 stringPointer(validStoreID),
		NewCustomKeyStoreName:            stringPointer(validName),
		XksProxyAuthenticationCredential: credentialOf(stringPointer(validAccessKeyID), stringPointer(validSecretAccessKey)),
		XksProxyConnectivity:             XksProxyConnectivityTypeVpcEndpointService,
		XksProxyUriEndpoint:              stringPointer("https://myproxy-private.xks.example.com"),
		XksProxyUriPath:                  stringPointer(validPath),
		XksProxyVpcEndpointServiceName:   stringPointer(validServiceName),
		XksProxyVpcEndpointServiceOwner:  stringPointer(validServiceOwner),
	}
}

// inputWith builds an input with a valid id and one member set by set.
func inputWith(set func(in *UpdateCustomKeyStoreInput)) *UpdateCustomKeyStoreInput {
	in := &UpdateCustomKeyStoreInput{CustomKeyStoreId: stringPointer(validStoreID)}
	set(in)
	return in
}

func withStoreID(v *string) *UpdateCustomKeyStoreInput {
	return &UpdateCustomKeyStoreInput{CustomKeyStoreId: v}
}
func withClusterID(v string) *UpdateCustomKeyStoreInput {
	return inputWith(func(in *UpdateCustomKeyStoreInput) { in.CloudHsmClusterId = &v })
}
func withPassword(v string) *UpdateCustomKeyStoreInput {
	return inputWith(func(in *UpdateCustomKeyStoreInput) { in.KeyStorePassword = &v })
}
func withNewName(v string) *UpdateCustomKeyStoreInput {
	return inputWith(func(in *UpdateCustomKeyStoreInput) { in.NewCustomKeyStoreName = &v })
}
func withAccessKeyID(v string) *UpdateCustomKeyStoreInput {
	return inputWith(func(in *UpdateCustomKeyStoreInput) {
		in.XksProxyAuthenticationCredential = credentialOf(&v, stringPointer(validSecretAccessKey))
	})
}
func withSecretAccessKey(v string) *UpdateCustomKeyStoreInput {
	return inputWith(func(in *UpdateCustomKeyStoreInput) {
		in.XksProxyAuthenticationCredential = credentialOf(stringPointer(validAccessKeyID), &v)
	})
}
func withEndpoint(v string) *UpdateCustomKeyStoreInput {
	return inputWith(func(in *UpdateCustomKeyStoreInput) { in.XksProxyUriEndpoint = &v })
}
func withPath(v string) *UpdateCustomKeyStoreInput {
	return inputWith(func(in *UpdateCustomKeyStoreInput) { in.XksProxyUriPath = &v })
}
func withServiceName(v string) *UpdateCustomKeyStoreInput {
	return inputWith(func(in *UpdateCustomKeyStoreInput) { in.XksProxyVpcEndpointServiceName = &v })
}
func withServiceOwner(v string) *UpdateCustomKeyStoreInput {
	return inputWith(func(in *UpdateCustomKeyStoreInput) { in.XksProxyVpcEndpointServiceOwner = &v })
}

const (
	ruleBelowMinimum = " is below the minimum "
	ruleAboveMaximum = " is above the maximum "
	rulePatternMiss  = "does not match the pattern "
	ruleInvalidUTF8  = "not valid UTF-8"
)

// memberRuleCases has one row per member rule at its edges.
func memberRuleCases() []validateCase {
	svcPrefix := "com.amazonaws.vpce.us-east-1.vpce-svc-" // 38 characters
	return []validateCase{
		// CustomKeyStoreId: required, 1-64.
		{name: "id nil", in: withStoreID(nil), want: []wantProblem{{fieldCustomKeyStoreID, "required"}}},
		{name: "id min-1", in: withStoreID(stringPointer("")), want: []wantProblem{{fieldCustomKeyStoreID, "required: length 0 is below the minimum 1"}}},
		{name: "id min", in: withStoreID(stringPointer("c"))},
		{name: "id max", in: withStoreID(stringPointer(repeatString("c", 64)))},
		{name: "id max+1", in: withStoreID(stringPointer(repeatString("c", 65))), want: []wantProblem{{fieldCustomKeyStoreID, "length 65 is above the maximum 64"}}},
		{name: "id max non-ASCII", in: withStoreID(stringPointer(repeatString("é", 64)))},
		{name: "id max+1 non-ASCII", in: withStoreID(stringPointer(repeatString("é", 65))), want: []wantProblem{{fieldCustomKeyStoreID, "length 65" + ruleAboveMaximum + "64"}}},
		{name: "id invalid UTF-8", in: withStoreID(stringPointer("cks-\xff")), want: []wantProblem{
			{fieldCustomKeyStoreID, ruleInvalidUTF8 + " (length 5; character 5 is an invalid byte): a JSON request carries only valid UTF-8"},
		}},

		// CloudHsmClusterId: 19-24, cluster-[2-7a-zA-Z]{11,16}, not anchored.
		{name: "cluster min-1", in: withClusterID("cluster-234abcdefg"), want: []wantProblem{
			{fieldCloudHsmClusterID, "length 18" + ruleBelowMinimum + "19"},
			{fieldCloudHsmClusterID, rulePatternMiss + patCloudHsmClusterID + ` (length 18, value "cluster-234abcdefg")`},
		}},
		{name: "cluster min", in: withClusterID("cluster-234abcdefgh")},
		{name: "cluster max", in: withClusterID("cluster-" + repeatString("a", 16))},
		{name: "cluster max+1 still matches", in: withClusterID("cluster-" + repeatString("a", 17)), want: []wantProblem{{fieldCloudHsmClusterID, "length 25" + ruleAboveMaximum + "24"}}},
		{name: "cluster AWS doc example misses", in: withClusterID("cluster-1a23b4cdefg"), want: []wantProblem{
			{fieldCloudHsmClusterID, rulePatternMiss + patCloudHsmClusterID + ` (length 19, value "cluster-1a23b4cdefg")`},
		}},
		{name: "cluster uppercase prefix misses", in: withClusterID("Cluster-234abcdefgh"), want: []wantProblem{{fieldCloudHsmClusterID, rulePatternMiss}}},
		{name: "cluster mixed case class", in: withClusterID("cluster-ABCdef234XYZ")},
		{name: "cluster pattern not anchored at start", in: withClusterID("xcluster-234abcdefgh")},
		{name: "cluster pattern not anchored at end", in: withClusterID("cluster-234abcdefgh-x")},
		{name: "cluster non-ASCII counts characters", in: withClusterID("cluster-234abcdefgé"), want: []wantProblem{
			{fieldCloudHsmClusterID, rulePatternMiss + patCloudHsmClusterID + ` (length 19,`},
		}},
		{name: "cluster empty", in: withClusterID(""), want: []wantProblem{{fieldCloudHsmClusterID, "length 0" + ruleBelowMinimum + "19"}}},
		{name: "cluster invalid UTF-8", in: withClusterID("cluster-234abcdefgh\xff"), want: []wantProblem{{fieldCloudHsmClusterID, ruleInvalidUTF8}}},

		// KeyStorePassword: 7-32.
		{name: "password min-1", in: withPassword("abcdef"), want: []wantProblem{{fieldKeyStorePassword, "length 6" + ruleBelowMinimum + "7"}}},
		{name: "password min", in: withPassword("abcdefg")},
		{name: "password max", in: withPassword(repeatString("p", 32))},
		{name: "password max+1", in: withPassword(repeatString("p", 33)), want: []wantProblem{{fieldKeyStorePassword, "length 33" + ruleAboveMaximum + "32"}}},
		{name: "password max non-ASCII", in: withPassword(repeatString("ü", 32))},
		{name: "password min-1 non-ASCII", in: withPassword(repeatString("ü", 6)), want: []wantProblem{{fieldKeyStorePassword, "length 6" + ruleBelowMinimum + "7"}}},
		{name: "password any characters", in: withPassword(`p w"\/<>` + "\t")},
		{name: "password invalid UTF-8", in: withPassword("pass\xffword"), want: []wantProblem{{fieldKeyStorePassword, ruleInvalidUTF8}}},
		// Issue 17 §5: a secret that is the redaction marker was lost when
		// the input was printed or encoded; it is never sent as the value.
		{name: "password is the redaction marker", in: withPassword("[REDACTED]"), want: []wantProblem{
			{fieldKeyStorePassword, "is [REDACTED], the marker this package prints in place of a secret: the value was lost when the input was printed or encoded"},
		}},
		{name: "secret access key is the redaction marker", in: withSecretAccessKey("[REDACTED]"), want: []wantProblem{
			{fieldXksSecretAccessKey, "the value was lost when the input was printed or encoded"},
		}},
		{name: "access key id is the redaction marker", in: withAccessKeyID("[REDACTED]"), want: []wantProblem{
			{fieldXksAccessKeyID, "the value was lost when the input was printed or encoded"},
		}},

		// NewCustomKeyStoreName: 1-256.
		{name: "name min-1", in: withNewName(""), want: []wantProblem{{fieldNewCustomKeyStoreName, "length 0" + ruleBelowMinimum + "1"}}},
		{name: "name min", in: withNewName("n")},
		{name: "name max", in: withNewName(repeatString("n", 256))},
		{name: "name max+1", in: withNewName(repeatString("n", 257)), want: []wantProblem{{fieldNewCustomKeyStoreName, "length 257" + ruleAboveMaximum + "256"}}},
		{name: "name max CJK", in: withNewName(repeatString("名", 256))},
		{name: "name max+1 CJK", in: withNewName(repeatString("名", 257)), want: []wantProblem{{fieldNewCustomKeyStoreName, "length 257" + ruleAboveMaximum + "256"}}},
		{name: "name max emoji", in: withNewName(repeatString("🔑", 256))},
		{name: "name invalid UTF-8", in: withNewName("名前\xc3"), want: []wantProblem{{fieldNewCustomKeyStoreName, ruleInvalidUTF8 + " (length 3; character 3 is"}}},

		// XksProxyAuthenticationCredential: both members required.
		{name: "credential without members", in: inputWith(func(in *UpdateCustomKeyStoreInput) { in.XksProxyAuthenticationCredential = credentialOf(nil, nil) }), want: []wantProblem{
			{fieldXksAccessKeyID, "required when XksProxyAuthenticationCredential is sent"},
			{fieldXksSecretAccessKey, "required when XksProxyAuthenticationCredential is sent"},
		}},
		{name: "credential without secret", in: inputWith(func(in *UpdateCustomKeyStoreInput) {
			in.XksProxyAuthenticationCredential = credentialOf(stringPointer(validAccessKeyID), nil)
		}), want: []wantProblem{{fieldXksSecretAccessKey, "required"}}},
		{name: "credential without access key id", in: inputWith(func(in *UpdateCustomKeyStoreInput) {
			in.XksProxyAuthenticationCredential = credentialOf(nil, stringPointer(validSecretAccessKey))
		}), want: []wantProblem{{fieldXksAccessKeyID, "required"}}},

		// AccessKeyId: 20-30, ^[A-Z2-7]+$.
		{name: "access key id min-1", in: withAccessKeyID(repeatString("A", 19)), want: []wantProblem{{fieldXksAccessKeyID, "length 19" + ruleBelowMinimum + "20"}}},
		{name: "access key id min", in: withAccessKeyID(repeatString("A", 20))},
		{name: "access key id max", in: withAccessKeyID(repeatString("7", 30))},
		{name: "access key id max+1", in: withAccessKeyID(repeatString("Z", 31)), want: []wantProblem{{fieldXksAccessKeyID, "length 31" + ruleAboveMaximum + "30"}}},
		{name: "access key id empty", in: withAccessKeyID(""), want: []wantProblem{{fieldXksAccessKeyID, "length 0" + ruleBelowMinimum + "20"}}},
		{name: "access key id AWS doc example misses", in: withAccessKeyID("ABCDE12345670EXAMPLE"), want: []wantProblem{
			{fieldXksAccessKeyID, rulePatternMiss + patXksAccessKeyID + ` (length 20; character 6 is not in [A-Z2-7]; value not shown)`},
		}},
		{name: "access key id lowercase misses", in: withAccessKeyID("abcdefghijklmnopqrst"), want: []wantProblem{{fieldXksAccessKeyID, "character 1 is not"}}},
		{name: "access key id non-ASCII position in characters", in: withAccessKeyID("ÄÄ" + repeatString("A", 18)), want: []wantProblem{
			{fieldXksAccessKeyID, "(length 20; character 1 is not in [A-Z2-7]; value not shown)"},
		}},
		{name: "access key id invalid UTF-8", in: withAccessKeyID(repeatString("A", 20) + "\xff"), want: []wantProblem{
			{fieldXksAccessKeyID, ruleInvalidUTF8},
			{fieldXksAccessKeyID, `(length 21; character 21 is not in [A-Z2-7]; value not shown)`},
		}},

		// RawSecretAccessKey: 43-64, ^[a-zA-Z0-9\/+=]+$.
		{name: "secret min-1", in: withSecretAccessKey(repeatString("s", 42)), want: []wantProblem{{fieldXksSecretAccessKey, "length 42" + ruleBelowMinimum + "43"}}},
		{name: "secret min", in: withSecretAccessKey(repeatString("s", 43))},
		{name: "secret max", in: withSecretAccessKey(repeatString("a/B+=9", 10) + "abcd")},
		{name: "secret max+1", in: withSecretAccessKey(repeatString("s", 65)), want: []wantProblem{{fieldXksSecretAccessKey, "length 65" + ruleAboveMaximum + "64"}}},
		{name: "secret pattern miss", in: withSecretAccessKey(repeatString("s", 20) + "-" + repeatString("s", 23)), want: []wantProblem{
			{fieldXksSecretAccessKey, rulePatternMiss + patXksSecretAccessKey + " (length 44; character 21 is not in [a-zA-Z0-9/+=]; value not shown)"},
		}},
		{name: "secret non-ASCII counts characters", in: withSecretAccessKey(repeatString("é", 43)), want: []wantProblem{
			{fieldXksSecretAccessKey, "(length 43; character 1 is not"},
		}},

		// XksProxyConnectivity: unknown values are forwarded (a value AWS
		// adds later), except a known value in the wrong case.
		{name: "connectivity known value in lower case", in: inputWith(func(in *UpdateCustomKeyStoreInput) { in.XksProxyConnectivity = "public_endpoint" }), want: []wantProblem{
			{fieldXksConnectivity, `did you mean PUBLIC_ENDPOINT? "public_endpoint" differs from it only in case`},
		}},
		{name: "connectivity known value in mixed case", in: inputWith(func(in *UpdateCustomKeyStoreInput) { in.XksProxyConnectivity = "Vpc_Endpoint_Service" }), want: []wantProblem{
			{fieldXksConnectivity, `did you mean VPC_ENDPOINT_SERVICE?`},
		}},
		{name: "connectivity unknown value is forwarded", in: inputWith(func(in *UpdateCustomKeyStoreInput) { in.XksProxyConnectivity = "PRIVATE_LINK" })},
		{name: "connectivity unknown value skips the cross-member rules", in: inputWith(func(in *UpdateCustomKeyStoreInput) {
			in.XksProxyConnectivity = "PRIVATE_LINK"
			in.XksProxyVpcEndpointServiceName = stringPointer(validServiceName)
			in.XksProxyVpcEndpointServiceOwner = stringPointer(validServiceOwner)
		})},
		{name: "connectivity invalid UTF-8", in: inputWith(func(in *UpdateCustomKeyStoreInput) { in.XksProxyConnectivity = "VPC\xff" }), want: []wantProblem{
			{fieldXksConnectivity, ruleInvalidUTF8 + " (length 4; character 4 is an invalid byte)"},
		}},

		// XksProxyUriEndpoint: 10-128, ^https://[a-zA-Z0-9.-]+$.
		{name: "endpoint min-1", in: withEndpoint("https://a"), want: []wantProblem{{fieldXksURIEndpoint, "length 9" + ruleBelowMinimum + "10"}}},
		{name: "endpoint min", in: withEndpoint("https://ab")},
		{name: "endpoint max", in: withEndpoint("https://" + repeatString("a.", 59) + "co")},
		{name: "endpoint max+1", in: withEndpoint("https://" + repeatString("a.", 59) + "com"), want: []wantProblem{{fieldXksURIEndpoint, "length 129" + ruleAboveMaximum + "128"}}},
		{name: "endpoint scheme only", in: withEndpoint("https://"), want: []wantProblem{
			{fieldXksURIEndpoint, "length 8" + ruleBelowMinimum + "10"},
			{fieldXksURIEndpoint, rulePatternMiss + patXksURIEndpoint + ` (length 8, value "https://")`},
		}},
		{name: "endpoint http misses", in: withEndpoint("http://example.com"), want: []wantProblem{{fieldXksURIEndpoint, rulePatternMiss + patXksURIEndpoint + ` (length 18, value "http://example.com")`}}},
		{name: "endpoint port misses", in: withEndpoint("https://example.com:8443"), want: []wantProblem{{fieldXksURIEndpoint, rulePatternMiss}}},
		{name: "endpoint path misses", in: withEndpoint("https://example.com/"), want: []wantProblem{{fieldXksURIEndpoint, rulePatternMiss}}},
		{name: "endpoint uppercase scheme misses", in: withEndpoint("HTTPS://EXAMPLE.COM"), want: []wantProblem{{fieldXksURIEndpoint, rulePatternMiss}}},
		{name: "endpoint trailing newline misses", in: withEndpoint("https://example.com\n"), want: []wantProblem{{fieldXksURIEndpoint, `value "https://example.com\n"`}}},
		{name: "endpoint non-ASCII misses", in: withEndpoint("https://exämple.com"), want: []wantProblem{{fieldXksURIEndpoint, "(length 19, "}}},
		{name: "endpoint long value is quoted truncated", in: withEndpoint("http://" + repeatString("a", 200)), want: []wantProblem{
			{fieldXksURIEndpoint, "length 207" + ruleAboveMaximum + "128"},
			{fieldXksURIEndpoint, `(length 207, value "http://` + repeatString("a", 33) + `"...)`},
		}},

		// XksProxyUriPath: 10-128, two anchored alternatives.
		{name: "path min-1", in: withPath("/kms/xks/"), want: []wantProblem{
			{fieldXksURIPath, "length 9" + ruleBelowMinimum + "10"},
			{fieldXksURIPath, rulePatternMiss},
		}},
		{name: "path min length but no version", in: withPath("/kms/xks/v"), want: []wantProblem{{fieldXksURIPath, rulePatternMiss + patXksURIPath + ` (length 10, value "/kms/xks/v")`}}},
		{name: "path shortest", in: withPath("/kms/xks/v1")},
		{name: "path two-digit version", in: withPath("/kms/xks/v12")},
		{name: "path three-digit version misses", in: withPath("/kms/xks/v123"), want: []wantProblem{{fieldXksURIPath, rulePatternMiss}}},
		{name: "path max", in: withPath("/" + repeatString("a", 116) + "/kms/xks/v1")},
		{name: "path max+1", in: withPath("/" + repeatString("a", 117) + "/kms/xks/v1"), want: []wantProblem{{fieldXksURIPath, "length 129" + ruleAboveMaximum + "128"}}},
		{name: "path prefix", in: withPath("/example/kms/xks/v1")},
		{name: "path prefix with every allowed character", in: withPath("/a//b_c-D9/kms/xks/v99")},
		{name: "path prefix with space misses", in: withPath("/a b/kms/xks/v1"), want: []wantProblem{{fieldXksURIPath, rulePatternMiss}}},
		{name: "path empty prefix segment misses", in: withPath("//kms/xks/v1"), want: []wantProblem{{fieldXksURIPath, rulePatternMiss}}},
		{name: "path without leading slash misses", in: withPath("kms/xks/v1"), want: []wantProblem{{fieldXksURIPath, rulePatternMiss}}},
		{name: "path trailing slash misses", in: withPath("/kms/xks/v1/"), want: []wantProblem{{fieldXksURIPath, rulePatternMiss}}},
		{name: "path uppercase V misses", in: withPath("/kms/xks/V1"), want: []wantProblem{{fieldXksURIPath, rulePatternMiss}}},
		{name: "path non-ASCII digit misses", in: withPath("/prefix/kms/xks/v١"), want: []wantProblem{{fieldXksURIPath, "(length 18, "}}},

		// XksProxyVpcEndpointServiceName: 20-64, anchored pattern.
		{name: "service name min-1", in: withServiceName("com.amazonaws.vpce."), want: []wantProblem{
			{fieldXksVpcServiceName, "length 19" + ruleBelowMinimum + "20"},
			{fieldXksVpcServiceName, rulePatternMiss},
		}},
		{name: "service name min length but pattern miss", in: withServiceName("com.amazonaws.vpce.a"), want: []wantProblem{{fieldXksVpcServiceName, rulePatternMiss + patXksVpcServiceName + " (length 20, "}}},
		{name: "service name max", in: withServiceName(svcPrefix + repeatString("a", 26))},
		{name: "service name max+1", in: withServiceName(svcPrefix + repeatString("a", 27)), want: []wantProblem{{fieldXksVpcServiceName, "length 65" + ruleAboveMaximum + "64"}}},
		{name: "service name eu and three groups", in: withServiceName("eu.amazonaws.vpce.eusc-de-east-1.vpce-svc-0abc")},
		{name: "service name gov region", in: withServiceName("com.amazonaws.vpce.us-gov-west-1.vpce-svc-0abc")},
		{name: "service name one group misses", in: withServiceName("com.amazonaws.vpce.useast-1.vpce-svc-abc"), want: []wantProblem{{fieldXksVpcServiceName, rulePatternMiss}}},
		{name: "service name four groups misses", in: withServiceName("com.amazonaws.vpce.a-b-c-d-1.vpce-svc-abc"), want: []wantProblem{{fieldXksVpcServiceName, rulePatternMiss}}},
		{name: "service name region without number misses", in: withServiceName("com.amazonaws.vpce.us-east-.vpce-svc-abc"), want: []wantProblem{{fieldXksVpcServiceName, rulePatternMiss}}},
		{name: "service name uppercase id misses", in: withServiceName("com.amazonaws.vpce.us-east-1.vpce-svc-ABC"), want: []wantProblem{{fieldXksVpcServiceName, rulePatternMiss}}},
		{name: "service name other partition misses", in: withServiceName("cn.amazonaws.vpce.cn-north-1.vpce-svc-abc"), want: []wantProblem{{fieldXksVpcServiceName, rulePatternMiss}}},
		{name: "service name trailing space misses", in: withServiceName(validServiceName + " "), want: []wantProblem{{fieldXksVpcServiceName, rulePatternMiss}}},
		{name: `service name "" alone`, in: withServiceName(""), want: []wantProblem{
			{fieldXksVpcServiceName, `length 0` + ruleBelowMinimum + `20 ("" is accepted only with XksProxyConnectivity PUBLIC_ENDPOINT`},
		}},

		// XksProxyVpcEndpointServiceOwner: exactly 12, [0-9]{12}.
		{name: "owner min-1", in: withServiceOwner("11112222333"), want: []wantProblem{
			{fieldXksVpcServiceOwner, "length 11" + ruleBelowMinimum + "12"},
			{fieldXksVpcServiceOwner, rulePatternMiss + patXksVpcServiceOwner + ` (length 11, value "11112222333")`},
		}},
		{name: "owner max+1", in: withServiceOwner("1111222233334"), want: []wantProblem{{fieldXksVpcServiceOwner, "length 13" + ruleAboveMaximum + "12"}}},
		{name: "owner letter misses", in: withServiceOwner("11112222333a"), want: []wantProblem{{fieldXksVpcServiceOwner, rulePatternMiss}}},
		{name: "owner non-ASCII digits miss", in: withServiceOwner(repeatString("١", 12)), want: []wantProblem{{fieldXksVpcServiceOwner, rulePatternMiss + patXksVpcServiceOwner + " (length 12, "}}},
		{name: "owner empty", in: withServiceOwner(""), want: []wantProblem{{fieldXksVpcServiceOwner, "length 0" + ruleBelowMinimum + "12"}}},
	}
}

// crossRuleCases has one row per cross-member rule.
func crossRuleCases() []validateCase {
	const mixed = "CloudHSM key store members (CloudHsmClusterId, KeyStorePassword) cannot be combined with external key store members ("
	return []validateCase{
		{name: "password with XKS path", in: &UpdateCustomKeyStoreInput{
			CustomKeyStoreId: stringPointer(validStoreID), KeyStorePassword: stringPointer(validPassword), XksProxyUriPath: stringPointer(validPath),
		}, want: []wantProblem{{fieldKeyStorePassword, mixed + "XksProxyUriPath) in one update"}}},
		{name: "cluster and password with every XKS member", in: &UpdateCustomKeyStoreInput{
			CustomKeyStoreId: stringPointer(validStoreID), CloudHsmClusterId: stringPointer(validClusterID), KeyStorePassword: stringPointer(validPassword),
			XksProxyAuthenticationCredential: credentialOf(stringPointer(validAccessKeyID), stringPointer(validSecretAccessKey)), XksProxyConnectivity: XksProxyConnectivityTypeVpcEndpointService,
			XksProxyUriEndpoint: stringPointer(validEndpoint), XksProxyUriPath: stringPointer(validPath), XksProxyVpcEndpointServiceName: stringPointer(validServiceName),
			XksProxyVpcEndpointServiceOwner: stringPointer(validServiceOwner),
		}, want: []wantProblem{{fieldCloudHsmClusterID, mixed + "XksProxyAuthenticationCredential, XksProxyConnectivity, XksProxyUriEndpoint, " +
			"XksProxyUriPath, XksProxyVpcEndpointServiceName, XksProxyVpcEndpointServiceOwner) in one update"}}},
		{name: `cluster with "" service name`, in: &UpdateCustomKeyStoreInput{
			CustomKeyStoreId: stringPointer(validStoreID), CloudHsmClusterId: stringPointer(validClusterID), XksProxyVpcEndpointServiceName: stringPointer(""),
		}, want: []wantProblem{
			{fieldXksVpcServiceName, "length 0" + ruleBelowMinimum + "20"},
			{fieldCloudHsmClusterID, mixed + "XksProxyVpcEndpointServiceName)"},
		}},
		// Connectivity alone (the store's current value) is no change, so
		// neither a new endpoint nor a service name is needed: KMS, which
		// knows the current connectivity, judges a real switch.
		{name: "VPC_ENDPOINT_SERVICE alone", in: &UpdateCustomKeyStoreInput{
			CustomKeyStoreId: stringPointer(validStoreID), XksProxyConnectivity: XksProxyConnectivityTypeVpcEndpointService,
		}},
		{name: "PUBLIC_ENDPOINT alone", in: &UpdateCustomKeyStoreInput{
			CustomKeyStoreId: stringPointer(validStoreID), XksProxyConnectivity: XksProxyConnectivityTypePublicEndpoint,
		}},
		{name: `VPC_ENDPOINT_SERVICE with "" service name`, in: &UpdateCustomKeyStoreInput{
			CustomKeyStoreId: stringPointer(validStoreID), XksProxyConnectivity: XksProxyConnectivityTypeVpcEndpointService,
			XksProxyUriEndpoint: stringPointer(validEndpoint), XksProxyVpcEndpointServiceName: stringPointer(""),
		}, want: []wantProblem{{fieldXksVpcServiceName, "length 0" + ruleBelowMinimum + "20: XksProxyConnectivity VPC_ENDPOINT_SERVICE needs a non-empty name"}}},
		{name: `PUBLIC_ENDPOINT without endpoint, "" service name`, in: &UpdateCustomKeyStoreInput{
			CustomKeyStoreId: stringPointer(validStoreID), XksProxyConnectivity: XksProxyConnectivityTypePublicEndpoint, XksProxyVpcEndpointServiceName: stringPointer(""),
		}},
		{name: "PUBLIC_ENDPOINT with a service name", in: &UpdateCustomKeyStoreInput{
			CustomKeyStoreId: stringPointer(validStoreID), XksProxyConnectivity: XksProxyConnectivityTypePublicEndpoint,
			XksProxyUriEndpoint: stringPointer(validEndpoint), XksProxyVpcEndpointServiceName: stringPointer(validServiceName),
		}, want: []wantProblem{{fieldXksVpcServiceName, `must be nil or "" when XksProxyConnectivity is PUBLIC_ENDPOINT (length 55)`}}},
		{name: "PUBLIC_ENDPOINT with an owner", in: &UpdateCustomKeyStoreInput{
			CustomKeyStoreId: stringPointer(validStoreID), XksProxyConnectivity: XksProxyConnectivityTypePublicEndpoint,
			XksProxyUriEndpoint: stringPointer(validEndpoint), XksProxyVpcEndpointServiceOwner: stringPointer(validServiceOwner),
		}, want: []wantProblem{{fieldXksVpcServiceOwner, "must be nil when XksProxyConnectivity is PUBLIC_ENDPOINT"}}},
		{name: "member problems first, then cross-member problems", in: &UpdateCustomKeyStoreInput{
			CustomKeyStoreId: stringPointer(""), KeyStorePassword: stringPointer("short"), NewCustomKeyStoreName: stringPointer(""),
			XksProxyConnectivity: XksProxyConnectivityTypePublicEndpoint, XksProxyUriPath: stringPointer("/kms/xks/v1"),
			XksProxyVpcEndpointServiceName: stringPointer("x"), XksProxyVpcEndpointServiceOwner: stringPointer("1"),
		}, want: []wantProblem{
			{fieldCustomKeyStoreID, "required"},
			{fieldKeyStorePassword, "length 5" + ruleBelowMinimum + "7"},
			{fieldNewCustomKeyStoreName, "length 0" + ruleBelowMinimum + "1"},
			{fieldXksVpcServiceName, "length 1" + ruleBelowMinimum + "20"},
			{fieldXksVpcServiceName, rulePatternMiss},
			{fieldXksVpcServiceOwner, "length 1" + ruleBelowMinimum + "12"},
			{fieldXksVpcServiceOwner, rulePatternMiss},
			{fieldKeyStorePassword, mixed + "XksProxyConnectivity, XksProxyUriPath, XksProxyVpcEndpointServiceName, XksProxyVpcEndpointServiceOwner)"},
			{fieldXksVpcServiceName, `must be nil or ""`},
			{fieldXksVpcServiceOwner, "must be nil when"},
		}},
	}
}

func checkValidateCase(t *testing.T, tc validateCase) {
	t.Helper()
	err := tc.in.Validate()
	if tc.want == nil {
		assert.NoError(t, err, "false rejection")
		return
	}
	require.Error(t, err)
	var ve *ValidationError
	require.True(t, errors.As(err, &ve), "error is %T, want *ValidationError", err)
	got := ve.Problems()
	require.Len(t, got, len(tc.want), "problems: %q", got)
	for i, w := range tc.want {
		assert.Equal(t, w.field, got[i].Field, "problem %d", i)
		assert.Contains(t, got[i].Reason, w.reason, "problem %d", i)
	}
}

func TestValidateValidInputs(t *testing.T) {
	for _, tc := range validCases() {
		t.Run(tc.name, func(t *testing.T) { checkValidateCase(t, tc) })
	}
}

func TestValidateMemberRules(t *testing.T) {
	for _, tc := range memberRuleCases() {
		t.Run(tc.name, func(t *testing.T) { checkValidateCase(t, tc) })
	}
}

func TestValidateCrossMemberRules(t *testing.T) {
	for _, tc := range crossRuleCases() {
		t.Run(tc.name, func(t *testing.T) { checkValidateCase(t, tc) })
	}
}

func TestValidateNilInput(t *testing.T) {
	var in *UpdateCustomKeyStoreInput
	for name, err := range map[string]error{"Validate": in.Validate(), "validateRequired": updateTable.validate(in, false)} {
		var ve *ValidationError
		require.True(t, errors.As(err, &ve), name)
		assert.Equal(t, []string{fieldInput}, ve.Fields(), name)
		assert.EqualError(t, err, "kms: invalid UpdateCustomKeyStoreInput: UpdateCustomKeyStoreInput: required: input is nil", name)
	}
}

func TestValidateRequiredOnly(t *testing.T) {
	bad := &UpdateCustomKeyStoreInput{ // breaks every rule but the required one
		CustomKeyStoreId: stringPointer(repeatString("x", 100)), KeyStorePassword: stringPointer("x"), XksProxyUriPath: stringPointer("x"),
		XksProxyConnectivity: "nonsense",
	}
	tests := []struct {
		name   string
		in     *UpdateCustomKeyStoreInput
		reason string // "" when valid
	}{
		{name: "nil id", in: &UpdateCustomKeyStoreInput{}, reason: "required"},
		{name: "empty id", in: withStoreID(stringPointer("")), reason: "required: length 0 is below the minimum 1"},
		{name: "valid id", in: withStoreID(stringPointer(validStoreID))},
		{name: "everything else wrong", in: bad},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := updateTable.validate(tc.in, false)
			if tc.reason == "" {
				assert.NoError(t, err)
				return
			}
			var ve *ValidationError
			require.True(t, errors.As(err, &ve))
			require.Len(t, ve.Problems(), 1)
			assert.Equal(t, FieldProblem{Field: fieldCustomKeyStoreID, Reason: tc.reason}, ve.Problems()[0])
		})
	}
	assert.Error(t, bad.Validate(), "Validate must still reject it")
}

// leakCanary marks secret values; no message may contain it.
const leakCanary = "LEAKCANARY"

func TestValidateNeverShowsSecrets(t *testing.T) {
	secretish := []string{
		leakCanary,                                                // too short
		leakCanary + "\xff" + leakCanary,                          // invalid UTF-8
		repeatString(leakCanary, 7),                               // too long
		leakCanary + "-" + repeatString("a", 40),                  // pattern miss (secret key)
		repeatString(leakCanary, 4) + " " + repeatString("b", 10), // pattern miss, valid length
		repeatString("é", 10) + leakCanary,                        // non-ASCII
		"",
	}
	for i, s := range secretish {
		for _, conn := range []XksProxyConnectivityType{"", "bogus" /* never a secret */} {
			in := &UpdateCustomKeyStoreInput{
				CustomKeyStoreId: stringPointer(validStoreID), KeyStorePassword: stringPointer(s),
				XksProxyAuthenticationCredential: credentialOf(stringPointer(validAccessKeyID), stringPointer(s)),
				XksProxyConnectivity:             conn,
			}
			err := in.Validate()
			require.Error(t, err, "case %d", i) // mixing rule at least
			assert.NotContains(t, err.Error(), leakCanary, "case %d", i)
			assert.NotContains(t, err.Error(), "\\xff", "case %d: invalid byte of a secret shown", i)
			var ve *ValidationError
			require.True(t, errors.As(err, &ve))
			for _, p := range ve.Problems() {
				assert.NotContains(t, p.Reason, leakCanary, "case %d", i)
			}
		}
	}
}

func TestValidateAllocationFree(t *testing.T) {
	for _, tc := range validCases() {
		t.Run(tc.name, func(t *testing.T) {
			require.NoError(t, tc.in.Validate())
			allocs := testing.AllocsPerRun(200, func() { _ = tc.in.Validate() })
			if RaceEnabled {
				// regexp keeps its matchers in a sync.Pool, which drops
				// one item in four under -race.
				assert.Less(t, allocs, 20.0, "allocations per valid Validate")
				return
			}
			assert.Zero(t, allocs, "allocations per valid Validate")
		})
	}
	t.Run("RequiresDisconnect", func(t *testing.T) {
		in := fullExternalInput()
		assert.Zero(t, testing.AllocsPerRun(200, func() { _ = in.RequiresDisconnect() }))
	})
}

func TestValidationErrorMethods(t *testing.T) {
	in := &UpdateCustomKeyStoreInput{
		CustomKeyStoreId:                stringPointer(validStoreID),
		XksProxyConnectivity:            XksProxyConnectivityTypePublicEndpoint,
		XksProxyUriPath:                 stringPointer("bad"),
		XksProxyVpcEndpointServiceOwner: stringPointer(validServiceOwner),
		XksProxyUriEndpoint:             stringPointer("https://x"),
	}
	err := in.Validate()
	var ve *ValidationError
	require.True(t, errors.As(err, &ve))

	// Cross-member problems come last in Problems, but Fields is in member
	// order, each once.
	assert.Equal(t, []string{fieldXksURIEndpoint, fieldXksURIPath, fieldXksVpcServiceOwner}, ve.Fields())
	probs := ve.Problems()
	require.Len(t, probs, 4)
	assert.Equal(t, []string{fieldXksURIEndpoint, fieldXksURIPath, fieldXksURIPath, fieldXksVpcServiceOwner},
		[]string{probs[0].Field, probs[1].Field, probs[2].Field, probs[3].Field})
	assert.Equal(t, "kms: invalid UpdateCustomKeyStoreInput: "+
		"XksProxyUriEndpoint: length 9 is below the minimum 10; "+
		"XksProxyUriPath: length 3 is below the minimum 10; "+
		"XksProxyUriPath: does not match the pattern "+patXksURIPath+` (length 3, value "bad"); `+
		"XksProxyVpcEndpointServiceOwner: must be nil when XksProxyConnectivity is PUBLIC_ENDPOINT: the owner of a VPC endpoint service applies only to VPC_ENDPOINT_SERVICE", err.Error())

	// Problems returns a copy.
	probs[0].Field = "changed"
	assert.Equal(t, fieldXksURIEndpoint, ve.Problems()[0].Field)

	// Nested member names sort under their parent.
	cred := inputWith(func(in *UpdateCustomKeyStoreInput) {
		in.XksProxyAuthenticationCredential = credentialOf(nil, nil)
		in.NewCustomKeyStoreName = stringPointer("")
		in.XksProxyConnectivity = "public_endpoint"
	}).Validate()
	require.True(t, errors.As(cred, &ve))
	assert.Equal(t, []string{fieldNewCustomKeyStoreName, fieldXksAccessKeyID, fieldXksSecretAccessKey, fieldXksConnectivity}, ve.Fields())

	// Nil and empty receivers are safe.
	var nilVE *ValidationError
	assert.Nil(t, nilVE.Fields())
	assert.Nil(t, nilVE.Problems())
	assert.NoError(t, nilVE.orNil())
	assert.NoError(t, (&ValidationError{}).orNil())
	assert.Contains(t, nilVE.Error(), "kms: invalid UpdateCustomKeyStoreInput")
}

func TestValidateQuoteBounded(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", `""`},
		{"abc", `"abc"`},
		{repeatString("a", maxQuotedRunes), strconv.Quote(repeatString("a", maxQuotedRunes))},
		{repeatString("a", maxQuotedRunes+1), strconv.Quote(repeatString("a", maxQuotedRunes)) + "..."},
		{repeatString("名", maxQuotedRunes+5), strconv.Quote(repeatString("名", maxQuotedRunes)) + "..."},
		{"a\xffb", `"a\xffb"`},
	}
	for _, tc := range tests {
		assert.Equal(t, tc.want, quoteBounded(tc.in), "quoteBounded(%q)", tc.in)
	}
}

func BenchmarkValidate(b *testing.B) {
	inputs := []struct {
		name string
		in   *UpdateCustomKeyStoreInput
	}{
		{"xks-full", fullExternalInput()},
		{"cloudhsm", &UpdateCustomKeyStoreInput{
			CustomKeyStoreId: stringPointer(validStoreID), CloudHsmClusterId: stringPointer(validClusterID), KeyStorePassword: stringPointer(validPassword),
			NewCustomKeyStoreName: stringPointer(validName),
		}},
		{"invalid", &UpdateCustomKeyStoreInput{
			CustomKeyStoreId: stringPointer(validStoreID), KeyStorePassword: stringPointer("short"), XksProxyUriPath: stringPointer("/bad"),
		}},
	}
	for _, bc := range inputs {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				_ = bc.in.Validate()
			}
		})
	}
}
