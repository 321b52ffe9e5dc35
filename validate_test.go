package kms

import (
	"errors"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kmskit/kms/internal/kmsmodel"
	"github.com/kmskit/kms/internal/kmsmodel/modelregexp"
)

// Realistic valid values, one per member.
const (
	vtID       = "cks-1234567890abcdef0"
	vtCluster  = "cluster-zx4qh2b7sdd" // 19 characters, base32 like real IDs
	vtPassword = "kmsPswd1"
	vtName     = "ExampleKeyStore"
	vtAKID     = "BCDEFGHIJKLMNOP23456"                         // 20 characters of [A-Z2-7]
	vtSecret   = "K6Hn3kV9Yd2mQp7rT1uWx4zA8bC5eF0gH2iJ6kL9mN3=" // 44 characters
	vtEndpoint = "https://myproxy.xks.example.com"
	vtPath     = "/example/prefix/kms/xks/v1"
	vtSvcName  = "com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0"
	vtOwner    = "111122223333"
)

func vtStr(s string) *string { return &s }

func vtRep(s string, n int) string { return strings.Repeat(s, n) }

func vtCred(akid, secret *string) *XksProxyAuthenticationCredentialType {
	return &XksProxyAuthenticationCredentialType{AccessKeyId: akid, RawSecretAccessKey: secret}
}

// vtProblem is an expected problem: the exact field and a substring of the
// reason.
type vtProblem struct {
	field, reason string
}

type vtCase struct {
	name string
	in   *UpdateCustomKeyStoreInput
	want []vtProblem // nil: valid
}

// vtValidCases are realistic updates of every kind; all must pass.
func vtValidCases() []vtCase {
	return []vtCase{
		{name: "id only", in: &UpdateCustomKeyStoreInput{CustomKeyStoreId: vtStr(vtID)}},
		{name: "rename only", in: &UpdateCustomKeyStoreInput{CustomKeyStoreId: vtStr(vtID), NewCustomKeyStoreName: vtStr(vtName)}},
		{name: "CloudHSM password and cluster", in: &UpdateCustomKeyStoreInput{
			CustomKeyStoreId: vtStr(vtID), CloudHsmClusterId: vtStr(vtCluster), KeyStorePassword: vtStr(vtPassword),
		}},
		{name: "CloudHSM password, cluster and name", in: &UpdateCustomKeyStoreInput{
			CustomKeyStoreId: vtStr(vtID), CloudHsmClusterId: vtStr("cluster-234abcdefghij"), KeyStorePassword: vtStr("ExamplePassword"),
			NewCustomKeyStoreName: vtStr(vtName),
		}},
		{name: "CloudHSM password only", in: &UpdateCustomKeyStoreInput{CustomKeyStoreId: vtStr(vtID), KeyStorePassword: vtStr(vtPassword)}},
		{name: "XKS credential rotation", in: &UpdateCustomKeyStoreInput{
			CustomKeyStoreId: vtStr(vtID), XksProxyAuthenticationCredential: vtCred(vtStr(vtAKID), vtStr(vtSecret)),
		}},
		{name: "XKS path change", in: &UpdateCustomKeyStoreInput{CustomKeyStoreId: vtStr(vtID), XksProxyUriPath: vtStr(vtPath)}},
		{name: "XKS changes allowed while connected", in: &UpdateCustomKeyStoreInput{
			CustomKeyStoreId: vtStr(vtID), NewCustomKeyStoreName: vtStr(vtName),
			XksProxyAuthenticationCredential: vtCred(vtStr(vtAKID), vtStr(vtSecret)), XksProxyUriPath: vtStr("/kms/xks/v1"),
		}},
		{name: "switch to VPC_ENDPOINT_SERVICE", in: &UpdateCustomKeyStoreInput{
			CustomKeyStoreId: vtStr(vtID), XksProxyConnectivity: XksProxyConnectivityTypeVpcEndpointService,
			XksProxyUriEndpoint: vtStr("https://myproxy-private.xks.example.com"), XksProxyVpcEndpointServiceName: vtStr(vtSvcName),
		}},
		{name: "switch to VPC_ENDPOINT_SERVICE with owner", in: &UpdateCustomKeyStoreInput{
			CustomKeyStoreId: vtStr(vtID), XksProxyConnectivity: XksProxyConnectivityTypeVpcEndpointService,
			XksProxyUriEndpoint:            vtStr("https://myproxy-private.xks.example.com"),
			XksProxyVpcEndpointServiceName: vtStr("com.amazonaws.vpce.us-east-1.vpce-svc-example1"), XksProxyVpcEndpointServiceOwner: vtStr(vtOwner),
		}},
		{name: "switch to PUBLIC_ENDPOINT with empty service name", in: &UpdateCustomKeyStoreInput{
			CustomKeyStoreId: vtStr(vtID), XksProxyConnectivity: XksProxyConnectivityTypePublicEndpoint,
			XksProxyUriEndpoint: vtStr(vtEndpoint), XksProxyVpcEndpointServiceName: vtStr(""),
		}},
		{name: "switch to PUBLIC_ENDPOINT without service name", in: &UpdateCustomKeyStoreInput{
			CustomKeyStoreId: vtStr(vtID), XksProxyConnectivity: XksProxyConnectivityTypePublicEndpoint, XksProxyUriEndpoint: vtStr(vtEndpoint),
		}},
		{name: "owner change alone", in: &UpdateCustomKeyStoreInput{CustomKeyStoreId: vtStr(vtID), XksProxyVpcEndpointServiceOwner: vtStr(vtOwner)}},
		{name: "endpoint change alone", in: &UpdateCustomKeyStoreInput{CustomKeyStoreId: vtStr(vtID), XksProxyUriEndpoint: vtStr(vtEndpoint)}},
		{name: "service name change alone", in: &UpdateCustomKeyStoreInput{CustomKeyStoreId: vtStr(vtID), XksProxyVpcEndpointServiceName: vtStr(vtSvcName)}},
		{name: "XKS full VPC update", in: vtFullXKS()},
	}
}

// vtFullXKS sends every external key store member, validly.
func vtFullXKS() *UpdateCustomKeyStoreInput {
	return &UpdateCustomKeyStoreInput{
		CustomKeyStoreId:                 vtStr(vtID),
		NewCustomKeyStoreName:            vtStr(vtName),
		XksProxyAuthenticationCredential: vtCred(vtStr(vtAKID), vtStr(vtSecret)),
		XksProxyConnectivity:             XksProxyConnectivityTypeVpcEndpointService,
		XksProxyUriEndpoint:              vtStr("https://myproxy-private.xks.example.com"),
		XksProxyUriPath:                  vtStr(vtPath),
		XksProxyVpcEndpointServiceName:   vtStr(vtSvcName),
		XksProxyVpcEndpointServiceOwner:  vtStr(vtOwner),
	}
}

// vtOne builds an input with a valid id and one member set by set.
func vtOne(set func(in *UpdateCustomKeyStoreInput)) *UpdateCustomKeyStoreInput {
	in := &UpdateCustomKeyStoreInput{CustomKeyStoreId: vtStr(vtID)}
	set(in)
	return in
}

func vtSetID(v *string) *UpdateCustomKeyStoreInput {
	return &UpdateCustomKeyStoreInput{CustomKeyStoreId: v}
}
func vtSetCluster(v string) *UpdateCustomKeyStoreInput {
	return vtOne(func(in *UpdateCustomKeyStoreInput) { in.CloudHsmClusterId = &v })
}
func vtSetPassword(v string) *UpdateCustomKeyStoreInput {
	return vtOne(func(in *UpdateCustomKeyStoreInput) { in.KeyStorePassword = &v })
}
func vtSetName(v string) *UpdateCustomKeyStoreInput {
	return vtOne(func(in *UpdateCustomKeyStoreInput) { in.NewCustomKeyStoreName = &v })
}
func vtSetAKID(v string) *UpdateCustomKeyStoreInput {
	return vtOne(func(in *UpdateCustomKeyStoreInput) { in.XksProxyAuthenticationCredential = vtCred(&v, vtStr(vtSecret)) })
}
func vtSetSecret(v string) *UpdateCustomKeyStoreInput {
	return vtOne(func(in *UpdateCustomKeyStoreInput) { in.XksProxyAuthenticationCredential = vtCred(vtStr(vtAKID), &v) })
}
func vtSetEndpoint(v string) *UpdateCustomKeyStoreInput {
	return vtOne(func(in *UpdateCustomKeyStoreInput) { in.XksProxyUriEndpoint = &v })
}
func vtSetPath(v string) *UpdateCustomKeyStoreInput {
	return vtOne(func(in *UpdateCustomKeyStoreInput) { in.XksProxyUriPath = &v })
}
func vtSetSvc(v string) *UpdateCustomKeyStoreInput {
	return vtOne(func(in *UpdateCustomKeyStoreInput) { in.XksProxyVpcEndpointServiceName = &v })
}
func vtSetOwner(v string) *UpdateCustomKeyStoreInput {
	return vtOne(func(in *UpdateCustomKeyStoreInput) { in.XksProxyVpcEndpointServiceOwner = &v })
}

const (
	vtBelow = " is below the minimum "
	vtAbove = " is above the maximum "
	vtMiss  = "does not match the pattern "
	vtUTF8  = "not valid UTF-8"
)

// vtMemberRuleCases has one row per member rule at its edges.
func vtMemberRuleCases() []vtCase {
	svcPrefix := "com.amazonaws.vpce.us-east-1.vpce-svc-" // 38 characters
	return []vtCase{
		// CustomKeyStoreId: required, 1-64.
		{name: "id nil", in: vtSetID(nil), want: []vtProblem{{fieldCustomKeyStoreID, "required"}}},
		{name: "id min-1", in: vtSetID(vtStr("")), want: []vtProblem{{fieldCustomKeyStoreID, "required: length 0 is below the minimum 1"}}},
		{name: "id min", in: vtSetID(vtStr("c"))},
		{name: "id max", in: vtSetID(vtStr(vtRep("c", 64)))},
		{name: "id max+1", in: vtSetID(vtStr(vtRep("c", 65))), want: []vtProblem{{fieldCustomKeyStoreID, "length 65 is above the maximum 64"}}},
		{name: "id max non-ASCII", in: vtSetID(vtStr(vtRep("é", 64)))},
		{name: "id max+1 non-ASCII", in: vtSetID(vtStr(vtRep("é", 65))), want: []vtProblem{{fieldCustomKeyStoreID, "length 65" + vtAbove + "64"}}},
		{name: "id invalid UTF-8", in: vtSetID(vtStr("cks-\xff")), want: []vtProblem{
			{fieldCustomKeyStoreID, vtUTF8 + " (length 5; character 5 is an invalid byte): a JSON request carries only valid UTF-8"},
		}},

		// CloudHsmClusterId: 19-24, cluster-[2-7a-zA-Z]{11,16}, not anchored.
		{name: "cluster min-1", in: vtSetCluster("cluster-234abcdefg"), want: []vtProblem{
			{fieldCloudHsmClusterID, "length 18" + vtBelow + "19"},
			{fieldCloudHsmClusterID, vtMiss + patCloudHsmClusterID + ` (length 18, value "cluster-234abcdefg")`},
		}},
		{name: "cluster min", in: vtSetCluster("cluster-234abcdefgh")},
		{name: "cluster max", in: vtSetCluster("cluster-" + vtRep("a", 16))},
		{name: "cluster max+1 still matches", in: vtSetCluster("cluster-" + vtRep("a", 17)), want: []vtProblem{{fieldCloudHsmClusterID, "length 25" + vtAbove + "24"}}},
		{name: "cluster AWS doc example misses", in: vtSetCluster("cluster-1a23b4cdefg"), want: []vtProblem{
			{fieldCloudHsmClusterID, vtMiss + patCloudHsmClusterID + ` (length 19, value "cluster-1a23b4cdefg")`},
		}},
		{name: "cluster uppercase prefix misses", in: vtSetCluster("Cluster-234abcdefgh"), want: []vtProblem{{fieldCloudHsmClusterID, vtMiss}}},
		{name: "cluster mixed case class", in: vtSetCluster("cluster-ABCdef234XYZ")},
		{name: "cluster pattern not anchored at start", in: vtSetCluster("xcluster-234abcdefgh")},
		{name: "cluster pattern not anchored at end", in: vtSetCluster("cluster-234abcdefgh-x")},
		{name: "cluster non-ASCII counts characters", in: vtSetCluster("cluster-234abcdefgé"), want: []vtProblem{
			{fieldCloudHsmClusterID, vtMiss + patCloudHsmClusterID + ` (length 19,`},
		}},
		{name: "cluster empty", in: vtSetCluster(""), want: []vtProblem{{fieldCloudHsmClusterID, "length 0" + vtBelow + "19"}}},
		{name: "cluster invalid UTF-8", in: vtSetCluster("cluster-234abcdefgh\xff"), want: []vtProblem{{fieldCloudHsmClusterID, vtUTF8}}},

		// KeyStorePassword: 7-32.
		{name: "password min-1", in: vtSetPassword("abcdef"), want: []vtProblem{{fieldKeyStorePassword, "length 6" + vtBelow + "7"}}},
		{name: "password min", in: vtSetPassword("abcdefg")},
		{name: "password max", in: vtSetPassword(vtRep("p", 32))},
		{name: "password max+1", in: vtSetPassword(vtRep("p", 33)), want: []vtProblem{{fieldKeyStorePassword, "length 33" + vtAbove + "32"}}},
		{name: "password max non-ASCII", in: vtSetPassword(vtRep("ü", 32))},
		{name: "password min-1 non-ASCII", in: vtSetPassword(vtRep("ü", 6)), want: []vtProblem{{fieldKeyStorePassword, "length 6" + vtBelow + "7"}}},
		{name: "password any characters", in: vtSetPassword(`p w"\/<>` + "\t")},
		{name: "password invalid UTF-8", in: vtSetPassword("pass\xffword"), want: []vtProblem{{fieldKeyStorePassword, vtUTF8}}},

		// NewCustomKeyStoreName: 1-256.
		{name: "name min-1", in: vtSetName(""), want: []vtProblem{{fieldNewCustomKeyStoreName, "length 0" + vtBelow + "1"}}},
		{name: "name min", in: vtSetName("n")},
		{name: "name max", in: vtSetName(vtRep("n", 256))},
		{name: "name max+1", in: vtSetName(vtRep("n", 257)), want: []vtProblem{{fieldNewCustomKeyStoreName, "length 257" + vtAbove + "256"}}},
		{name: "name max CJK", in: vtSetName(vtRep("名", 256))},
		{name: "name max+1 CJK", in: vtSetName(vtRep("名", 257)), want: []vtProblem{{fieldNewCustomKeyStoreName, "length 257" + vtAbove + "256"}}},
		{name: "name max emoji", in: vtSetName(vtRep("🔑", 256))},
		{name: "name invalid UTF-8", in: vtSetName("名前\xc3"), want: []vtProblem{{fieldNewCustomKeyStoreName, vtUTF8 + " (length 3; character 3 is"}}},

		// XksProxyAuthenticationCredential: both members required.
		{name: "credential without members", in: vtOne(func(in *UpdateCustomKeyStoreInput) { in.XksProxyAuthenticationCredential = vtCred(nil, nil) }), want: []vtProblem{
			{fieldXksAccessKeyID, "required when XksProxyAuthenticationCredential is sent"},
			{fieldXksSecretAccessKey, "required when XksProxyAuthenticationCredential is sent"},
		}},
		{name: "credential without secret", in: vtOne(func(in *UpdateCustomKeyStoreInput) {
			in.XksProxyAuthenticationCredential = vtCred(vtStr(vtAKID), nil)
		}), want: []vtProblem{{fieldXksSecretAccessKey, "required"}}},
		{name: "credential without access key id", in: vtOne(func(in *UpdateCustomKeyStoreInput) {
			in.XksProxyAuthenticationCredential = vtCred(nil, vtStr(vtSecret))
		}), want: []vtProblem{{fieldXksAccessKeyID, "required"}}},

		// AccessKeyId: 20-30, ^[A-Z2-7]+$.
		{name: "access key id min-1", in: vtSetAKID(vtRep("A", 19)), want: []vtProblem{{fieldXksAccessKeyID, "length 19" + vtBelow + "20"}}},
		{name: "access key id min", in: vtSetAKID(vtRep("A", 20))},
		{name: "access key id max", in: vtSetAKID(vtRep("7", 30))},
		{name: "access key id max+1", in: vtSetAKID(vtRep("Z", 31)), want: []vtProblem{{fieldXksAccessKeyID, "length 31" + vtAbove + "30"}}},
		{name: "access key id empty", in: vtSetAKID(""), want: []vtProblem{{fieldXksAccessKeyID, "length 0" + vtBelow + "20"}}},
		{name: "access key id AWS doc example misses", in: vtSetAKID("ABCDE12345670EXAMPLE"), want: []vtProblem{
			{fieldXksAccessKeyID, vtMiss + patXksAccessKeyID + ` (length 20; character 6 is not in [A-Z2-7]; value not shown)`},
		}},
		{name: "access key id lowercase misses", in: vtSetAKID("abcdefghijklmnopqrst"), want: []vtProblem{{fieldXksAccessKeyID, "character 1 is not"}}},
		{name: "access key id non-ASCII position in characters", in: vtSetAKID("ÄÄ" + vtRep("A", 18)), want: []vtProblem{
			{fieldXksAccessKeyID, "(length 20; character 1 is not in [A-Z2-7]; value not shown)"},
		}},
		{name: "access key id invalid UTF-8", in: vtSetAKID(vtRep("A", 20) + "\xff"), want: []vtProblem{
			{fieldXksAccessKeyID, vtUTF8},
			{fieldXksAccessKeyID, `(length 21; character 21 is not in [A-Z2-7]; value not shown)`},
		}},

		// RawSecretAccessKey: 43-64, ^[a-zA-Z0-9\/+=]+$.
		{name: "secret min-1", in: vtSetSecret(vtRep("s", 42)), want: []vtProblem{{fieldXksSecretAccessKey, "length 42" + vtBelow + "43"}}},
		{name: "secret min", in: vtSetSecret(vtRep("s", 43))},
		{name: "secret max", in: vtSetSecret(vtRep("a/B+=9", 10) + "abcd")},
		{name: "secret max+1", in: vtSetSecret(vtRep("s", 65)), want: []vtProblem{{fieldXksSecretAccessKey, "length 65" + vtAbove + "64"}}},
		{name: "secret pattern miss", in: vtSetSecret(vtRep("s", 20) + "-" + vtRep("s", 23)), want: []vtProblem{
			{fieldXksSecretAccessKey, vtMiss + patXksSecretAccessKey + " (length 44; character 21 is not in [a-zA-Z0-9/+=]; value not shown)"},
		}},
		{name: "secret non-ASCII counts characters", in: vtSetSecret(vtRep("é", 43)), want: []vtProblem{
			{fieldXksSecretAccessKey, "(length 43; character 1 is not"},
		}},

		// XksProxyConnectivity: unknown values are forwarded (a value AWS
		// adds later), except a known value in the wrong case.
		{name: "connectivity known value in lower case", in: vtOne(func(in *UpdateCustomKeyStoreInput) { in.XksProxyConnectivity = "public_endpoint" }), want: []vtProblem{
			{fieldXksConnectivity, `did you mean PUBLIC_ENDPOINT? "public_endpoint" differs from it only in case`},
		}},
		{name: "connectivity known value in mixed case", in: vtOne(func(in *UpdateCustomKeyStoreInput) { in.XksProxyConnectivity = "Vpc_Endpoint_Service" }), want: []vtProblem{
			{fieldXksConnectivity, `did you mean VPC_ENDPOINT_SERVICE?`},
		}},
		{name: "connectivity unknown value is forwarded", in: vtOne(func(in *UpdateCustomKeyStoreInput) { in.XksProxyConnectivity = "PRIVATE_LINK" })},
		{name: "connectivity unknown value skips the cross-member rules", in: vtOne(func(in *UpdateCustomKeyStoreInput) {
			in.XksProxyConnectivity = "PRIVATE_LINK"
			in.XksProxyVpcEndpointServiceName = vtStr(vtSvcName)
			in.XksProxyVpcEndpointServiceOwner = vtStr(vtOwner)
		})},
		{name: "connectivity invalid UTF-8", in: vtOne(func(in *UpdateCustomKeyStoreInput) { in.XksProxyConnectivity = "VPC\xff" }), want: []vtProblem{
			{fieldXksConnectivity, vtUTF8 + " (length 4)"},
		}},

		// XksProxyUriEndpoint: 10-128, ^https://[a-zA-Z0-9.-]+$.
		{name: "endpoint min-1", in: vtSetEndpoint("https://a"), want: []vtProblem{{fieldXksURIEndpoint, "length 9" + vtBelow + "10"}}},
		{name: "endpoint min", in: vtSetEndpoint("https://ab")},
		{name: "endpoint max", in: vtSetEndpoint("https://" + vtRep("a.", 59) + "co")},
		{name: "endpoint max+1", in: vtSetEndpoint("https://" + vtRep("a.", 59) + "com"), want: []vtProblem{{fieldXksURIEndpoint, "length 129" + vtAbove + "128"}}},
		{name: "endpoint scheme only", in: vtSetEndpoint("https://"), want: []vtProblem{
			{fieldXksURIEndpoint, "length 8" + vtBelow + "10"},
			{fieldXksURIEndpoint, vtMiss + patXksURIEndpoint + ` (length 8, value "https://")`},
		}},
		{name: "endpoint http misses", in: vtSetEndpoint("http://example.com"), want: []vtProblem{{fieldXksURIEndpoint, vtMiss + patXksURIEndpoint + ` (length 18, value "http://example.com")`}}},
		{name: "endpoint port misses", in: vtSetEndpoint("https://example.com:8443"), want: []vtProblem{{fieldXksURIEndpoint, vtMiss}}},
		{name: "endpoint path misses", in: vtSetEndpoint("https://example.com/"), want: []vtProblem{{fieldXksURIEndpoint, vtMiss}}},
		{name: "endpoint uppercase scheme misses", in: vtSetEndpoint("HTTPS://EXAMPLE.COM"), want: []vtProblem{{fieldXksURIEndpoint, vtMiss}}},
		{name: "endpoint trailing newline misses", in: vtSetEndpoint("https://example.com\n"), want: []vtProblem{{fieldXksURIEndpoint, `value "https://example.com\n"`}}},
		{name: "endpoint non-ASCII misses", in: vtSetEndpoint("https://exämple.com"), want: []vtProblem{{fieldXksURIEndpoint, "(length 19, "}}},
		{name: "endpoint long value is quoted truncated", in: vtSetEndpoint("http://" + vtRep("a", 200)), want: []vtProblem{
			{fieldXksURIEndpoint, "length 207" + vtAbove + "128"},
			{fieldXksURIEndpoint, `(length 207, value "http://` + vtRep("a", 33) + `"...)`},
		}},

		// XksProxyUriPath: 10-128, two anchored alternatives.
		{name: "path min-1", in: vtSetPath("/kms/xks/"), want: []vtProblem{
			{fieldXksURIPath, "length 9" + vtBelow + "10"},
			{fieldXksURIPath, vtMiss},
		}},
		{name: "path min length but no version", in: vtSetPath("/kms/xks/v"), want: []vtProblem{{fieldXksURIPath, vtMiss + patXksURIPath + ` (length 10, value "/kms/xks/v")`}}},
		{name: "path shortest", in: vtSetPath("/kms/xks/v1")},
		{name: "path two-digit version", in: vtSetPath("/kms/xks/v12")},
		{name: "path three-digit version misses", in: vtSetPath("/kms/xks/v123"), want: []vtProblem{{fieldXksURIPath, vtMiss}}},
		{name: "path max", in: vtSetPath("/" + vtRep("a", 116) + "/kms/xks/v1")},
		{name: "path max+1", in: vtSetPath("/" + vtRep("a", 117) + "/kms/xks/v1"), want: []vtProblem{{fieldXksURIPath, "length 129" + vtAbove + "128"}}},
		{name: "path prefix", in: vtSetPath("/example/kms/xks/v1")},
		{name: "path prefix with every allowed character", in: vtSetPath("/a//b_c-D9/kms/xks/v99")},
		{name: "path prefix with space misses", in: vtSetPath("/a b/kms/xks/v1"), want: []vtProblem{{fieldXksURIPath, vtMiss}}},
		{name: "path empty prefix segment misses", in: vtSetPath("//kms/xks/v1"), want: []vtProblem{{fieldXksURIPath, vtMiss}}},
		{name: "path without leading slash misses", in: vtSetPath("kms/xks/v1"), want: []vtProblem{{fieldXksURIPath, vtMiss}}},
		{name: "path trailing slash misses", in: vtSetPath("/kms/xks/v1/"), want: []vtProblem{{fieldXksURIPath, vtMiss}}},
		{name: "path uppercase V misses", in: vtSetPath("/kms/xks/V1"), want: []vtProblem{{fieldXksURIPath, vtMiss}}},
		{name: "path non-ASCII digit misses", in: vtSetPath("/prefix/kms/xks/v١"), want: []vtProblem{{fieldXksURIPath, "(length 18, "}}},

		// XksProxyVpcEndpointServiceName: 20-64, anchored pattern.
		{name: "service name min-1", in: vtSetSvc("com.amazonaws.vpce."), want: []vtProblem{
			{fieldXksVpcServiceName, "length 19" + vtBelow + "20"},
			{fieldXksVpcServiceName, vtMiss},
		}},
		{name: "service name min length but pattern miss", in: vtSetSvc("com.amazonaws.vpce.a"), want: []vtProblem{{fieldXksVpcServiceName, vtMiss + patXksVpcServiceName + " (length 20, "}}},
		{name: "service name max", in: vtSetSvc(svcPrefix + vtRep("a", 26))},
		{name: "service name max+1", in: vtSetSvc(svcPrefix + vtRep("a", 27)), want: []vtProblem{{fieldXksVpcServiceName, "length 65" + vtAbove + "64"}}},
		{name: "service name eu and three groups", in: vtSetSvc("eu.amazonaws.vpce.eusc-de-east-1.vpce-svc-0abc")},
		{name: "service name gov region", in: vtSetSvc("com.amazonaws.vpce.us-gov-west-1.vpce-svc-0abc")},
		{name: "service name one group misses", in: vtSetSvc("com.amazonaws.vpce.useast-1.vpce-svc-abc"), want: []vtProblem{{fieldXksVpcServiceName, vtMiss}}},
		{name: "service name four groups misses", in: vtSetSvc("com.amazonaws.vpce.a-b-c-d-1.vpce-svc-abc"), want: []vtProblem{{fieldXksVpcServiceName, vtMiss}}},
		{name: "service name region without number misses", in: vtSetSvc("com.amazonaws.vpce.us-east-.vpce-svc-abc"), want: []vtProblem{{fieldXksVpcServiceName, vtMiss}}},
		{name: "service name uppercase id misses", in: vtSetSvc("com.amazonaws.vpce.us-east-1.vpce-svc-ABC"), want: []vtProblem{{fieldXksVpcServiceName, vtMiss}}},
		{name: "service name other partition misses", in: vtSetSvc("cn.amazonaws.vpce.cn-north-1.vpce-svc-abc"), want: []vtProblem{{fieldXksVpcServiceName, vtMiss}}},
		{name: "service name trailing space misses", in: vtSetSvc(vtSvcName + " "), want: []vtProblem{{fieldXksVpcServiceName, vtMiss}}},
		{name: `service name "" alone`, in: vtSetSvc(""), want: []vtProblem{
			{fieldXksVpcServiceName, `length 0` + vtBelow + `20 ("" is accepted only with XksProxyConnectivity PUBLIC_ENDPOINT`},
		}},

		// XksProxyVpcEndpointServiceOwner: exactly 12, [0-9]{12}.
		{name: "owner min-1", in: vtSetOwner("11112222333"), want: []vtProblem{
			{fieldXksVpcServiceOwner, "length 11" + vtBelow + "12"},
			{fieldXksVpcServiceOwner, vtMiss + patXksVpcServiceOwner + ` (length 11, value "11112222333")`},
		}},
		{name: "owner max+1", in: vtSetOwner("1111222233334"), want: []vtProblem{{fieldXksVpcServiceOwner, "length 13" + vtAbove + "12"}}},
		{name: "owner letter misses", in: vtSetOwner("11112222333a"), want: []vtProblem{{fieldXksVpcServiceOwner, vtMiss}}},
		{name: "owner non-ASCII digits miss", in: vtSetOwner(vtRep("١", 12)), want: []vtProblem{{fieldXksVpcServiceOwner, vtMiss + patXksVpcServiceOwner + " (length 12, "}}},
		{name: "owner empty", in: vtSetOwner(""), want: []vtProblem{{fieldXksVpcServiceOwner, "length 0" + vtBelow + "12"}}},
	}
}

// vtCrossRuleCases has one row per cross-member rule.
func vtCrossRuleCases() []vtCase {
	const mixed = "CloudHSM key store members (CloudHsmClusterId, KeyStorePassword) cannot be combined with external key store members ("
	return []vtCase{
		{name: "password with XKS path", in: &UpdateCustomKeyStoreInput{
			CustomKeyStoreId: vtStr(vtID), KeyStorePassword: vtStr(vtPassword), XksProxyUriPath: vtStr(vtPath),
		}, want: []vtProblem{{fieldKeyStorePassword, mixed + "XksProxyUriPath) in one update"}}},
		{name: "cluster and password with every XKS member", in: &UpdateCustomKeyStoreInput{
			CustomKeyStoreId: vtStr(vtID), CloudHsmClusterId: vtStr(vtCluster), KeyStorePassword: vtStr(vtPassword),
			XksProxyAuthenticationCredential: vtCred(vtStr(vtAKID), vtStr(vtSecret)), XksProxyConnectivity: XksProxyConnectivityTypeVpcEndpointService,
			XksProxyUriEndpoint: vtStr(vtEndpoint), XksProxyUriPath: vtStr(vtPath), XksProxyVpcEndpointServiceName: vtStr(vtSvcName),
			XksProxyVpcEndpointServiceOwner: vtStr(vtOwner),
		}, want: []vtProblem{{fieldCloudHsmClusterID, mixed + "XksProxyAuthenticationCredential, XksProxyConnectivity, XksProxyUriEndpoint, " +
			"XksProxyUriPath, XksProxyVpcEndpointServiceName, XksProxyVpcEndpointServiceOwner) in one update"}}},
		{name: `cluster with "" service name`, in: &UpdateCustomKeyStoreInput{
			CustomKeyStoreId: vtStr(vtID), CloudHsmClusterId: vtStr(vtCluster), XksProxyVpcEndpointServiceName: vtStr(""),
		}, want: []vtProblem{
			{fieldXksVpcServiceName, "length 0" + vtBelow + "20"},
			{fieldCloudHsmClusterID, mixed + "XksProxyVpcEndpointServiceName)"},
		}},
		// Connectivity alone (the store's current value) is no change, so
		// neither a new endpoint nor a service name is needed: KMS, which
		// knows the current connectivity, judges a real switch.
		{name: "VPC_ENDPOINT_SERVICE alone", in: &UpdateCustomKeyStoreInput{
			CustomKeyStoreId: vtStr(vtID), XksProxyConnectivity: XksProxyConnectivityTypeVpcEndpointService,
		}},
		{name: "PUBLIC_ENDPOINT alone", in: &UpdateCustomKeyStoreInput{
			CustomKeyStoreId: vtStr(vtID), XksProxyConnectivity: XksProxyConnectivityTypePublicEndpoint,
		}},
		{name: `VPC_ENDPOINT_SERVICE with "" service name`, in: &UpdateCustomKeyStoreInput{
			CustomKeyStoreId: vtStr(vtID), XksProxyConnectivity: XksProxyConnectivityTypeVpcEndpointService,
			XksProxyUriEndpoint: vtStr(vtEndpoint), XksProxyVpcEndpointServiceName: vtStr(""),
		}, want: []vtProblem{{fieldXksVpcServiceName, "length 0" + vtBelow + "20: XksProxyConnectivity VPC_ENDPOINT_SERVICE needs a non-empty name"}}},
		{name: `PUBLIC_ENDPOINT without endpoint, "" service name`, in: &UpdateCustomKeyStoreInput{
			CustomKeyStoreId: vtStr(vtID), XksProxyConnectivity: XksProxyConnectivityTypePublicEndpoint, XksProxyVpcEndpointServiceName: vtStr(""),
		}},
		{name: "PUBLIC_ENDPOINT with a service name", in: &UpdateCustomKeyStoreInput{
			CustomKeyStoreId: vtStr(vtID), XksProxyConnectivity: XksProxyConnectivityTypePublicEndpoint,
			XksProxyUriEndpoint: vtStr(vtEndpoint), XksProxyVpcEndpointServiceName: vtStr(vtSvcName),
		}, want: []vtProblem{{fieldXksVpcServiceName, `must be nil or "" when XksProxyConnectivity is PUBLIC_ENDPOINT (length 55)`}}},
		{name: "PUBLIC_ENDPOINT with an owner", in: &UpdateCustomKeyStoreInput{
			CustomKeyStoreId: vtStr(vtID), XksProxyConnectivity: XksProxyConnectivityTypePublicEndpoint,
			XksProxyUriEndpoint: vtStr(vtEndpoint), XksProxyVpcEndpointServiceOwner: vtStr(vtOwner),
		}, want: []vtProblem{{fieldXksVpcServiceOwner, "must be nil when XksProxyConnectivity is PUBLIC_ENDPOINT"}}},
		{name: "member problems first, then cross-member problems", in: &UpdateCustomKeyStoreInput{
			CustomKeyStoreId: vtStr(""), KeyStorePassword: vtStr("short"), NewCustomKeyStoreName: vtStr(""),
			XksProxyConnectivity: XksProxyConnectivityTypePublicEndpoint, XksProxyUriPath: vtStr("/kms/xks/v1"),
			XksProxyVpcEndpointServiceName: vtStr("x"), XksProxyVpcEndpointServiceOwner: vtStr("1"),
		}, want: []vtProblem{
			{fieldCustomKeyStoreID, "required"},
			{fieldKeyStorePassword, "length 5" + vtBelow + "7"},
			{fieldNewCustomKeyStoreName, "length 0" + vtBelow + "1"},
			{fieldXksVpcServiceName, "length 1" + vtBelow + "20"},
			{fieldXksVpcServiceName, vtMiss},
			{fieldXksVpcServiceOwner, "length 1" + vtBelow + "12"},
			{fieldXksVpcServiceOwner, vtMiss},
			{fieldKeyStorePassword, mixed + "XksProxyConnectivity, XksProxyUriPath, XksProxyVpcEndpointServiceName, XksProxyVpcEndpointServiceOwner)"},
			{fieldXksVpcServiceName, `must be nil or ""`},
			{fieldXksVpcServiceOwner, "must be nil when"},
		}},
	}
}

func vtCheck(t *testing.T, tc vtCase) {
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
	for _, tc := range vtValidCases() {
		t.Run(tc.name, func(t *testing.T) { vtCheck(t, tc) })
	}
}

func TestValidateMemberRules(t *testing.T) {
	for _, tc := range vtMemberRuleCases() {
		t.Run(tc.name, func(t *testing.T) { vtCheck(t, tc) })
	}
}

func TestValidateCrossMemberRules(t *testing.T) {
	for _, tc := range vtCrossRuleCases() {
		t.Run(tc.name, func(t *testing.T) { vtCheck(t, tc) })
	}
}

func TestValidateNilInput(t *testing.T) {
	var in *UpdateCustomKeyStoreInput
	for name, err := range map[string]error{"Validate": in.Validate(), "validateRequired": in.validateRequired()} {
		var ve *ValidationError
		require.True(t, errors.As(err, &ve), name)
		assert.Equal(t, []string{fieldInput}, ve.Fields(), name)
		assert.EqualError(t, err, "kms: invalid UpdateCustomKeyStoreInput: UpdateCustomKeyStoreInput: required: input is nil", name)
	}
}

func TestValidateRequiredOnly(t *testing.T) {
	bad := &UpdateCustomKeyStoreInput{ // breaks every rule but the required one
		CustomKeyStoreId: vtStr(vtRep("x", 100)), KeyStorePassword: vtStr("x"), XksProxyUriPath: vtStr("x"),
		XksProxyConnectivity: "nonsense",
	}
	tests := []struct {
		name   string
		in     *UpdateCustomKeyStoreInput
		reason string // "" when valid
	}{
		{name: "nil id", in: &UpdateCustomKeyStoreInput{}, reason: "required"},
		{name: "empty id", in: vtSetID(vtStr("")), reason: "required: length 0 is below the minimum 1"},
		{name: "valid id", in: vtSetID(vtStr(vtID))},
		{name: "everything else wrong", in: bad},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.in.validateRequired()
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

// vtCanary marks secret values; no message may contain it.
const vtCanary = "LEAKCANARY"

func TestValidateNeverShowsSecrets(t *testing.T) {
	secretish := []string{
		vtCanary,                                  // too short
		vtCanary + "\xff" + vtCanary,              // invalid UTF-8
		vtRep(vtCanary, 7),                        // too long
		vtCanary + "-" + vtRep("a", 40),           // pattern miss (secret key)
		vtRep(vtCanary, 4) + " " + vtRep("b", 10), // pattern miss, valid length
		vtRep("é", 10) + vtCanary,                 // non-ASCII
		"",
	}
	for i, s := range secretish {
		for _, conn := range []XksProxyConnectivityType{"", "bogus" /* never a secret */} {
			in := &UpdateCustomKeyStoreInput{
				CustomKeyStoreId: vtStr(vtID), KeyStorePassword: vtStr(s),
				XksProxyAuthenticationCredential: vtCred(vtStr(vtAKID), vtStr(s)),
				XksProxyConnectivity:             conn,
			}
			err := in.Validate()
			require.Error(t, err, "case %d", i) // mixing rule at least
			assert.NotContains(t, err.Error(), vtCanary, "case %d", i)
			assert.NotContains(t, err.Error(), "\\xff", "case %d: invalid byte of a secret shown", i)
			var ve *ValidationError
			require.True(t, errors.As(err, &ve))
			for _, p := range ve.Problems() {
				assert.NotContains(t, p.Reason, vtCanary, "case %d", i)
			}
		}
	}
}

func TestValidateAllocationFree(t *testing.T) {
	for _, tc := range vtValidCases() {
		t.Run(tc.name, func(t *testing.T) {
			require.NoError(t, tc.in.Validate())
			allocs := testing.AllocsPerRun(200, func() { _ = tc.in.Validate() })
			assert.Zero(t, allocs, "allocations per valid Validate")
		})
	}
	t.Run("RequiresDisconnect", func(t *testing.T) {
		in := vtFullXKS()
		assert.Zero(t, testing.AllocsPerRun(200, func() { _ = in.RequiresDisconnect() }))
	})
}

func TestValidationErrorMethods(t *testing.T) {
	in := &UpdateCustomKeyStoreInput{
		CustomKeyStoreId:                vtStr(vtID),
		XksProxyConnectivity:            XksProxyConnectivityTypePublicEndpoint,
		XksProxyUriPath:                 vtStr("bad"),
		XksProxyVpcEndpointServiceOwner: vtStr(vtOwner),
		XksProxyUriEndpoint:             vtStr("https://x"),
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
	cred := vtOne(func(in *UpdateCustomKeyStoreInput) {
		in.XksProxyAuthenticationCredential = vtCred(nil, nil)
		in.NewCustomKeyStoreName = vtStr("")
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

// vtOracle holds every pattern of the model (kmsmodel.Patterns) compiled by
// modelregexp, next to the hand-written matcher the client uses for it
// (matcherOf), to check the matchers. Go's RE2 agrees with ECMA-262 on these
// patterns: ASCII \d, $ only at the end of the text, unanchored search.
var vtOracle = func() []vtPattern {
	var out []vtPattern
	for _, p := range kmsmodel.Patterns {
		out = append(out, vtPattern{name: p.Source, re: modelregexp.Regexp(p), match: matcherOf(p)})
	}
	return out
}()

type vtPattern struct {
	name  string
	re    *regexp.Regexp
	match func(string) bool
}

func vtCheckOracle(t *testing.T, s string) {
	t.Helper()
	for _, o := range vtOracle {
		if got, want := o.match(s), o.re.MatchString(s); got != want {
			t.Errorf("%s matcher(%q) = %v, regexp says %v", o.name, s, got, want)
		}
	}
}

func TestValidatePatternMatchersAgreeWithRegexp(t *testing.T) {
	extra := []string{
		"", "cluster-", "cluster-cluster-234abcdefgh", "cluster-234abcdefg" + "cluster-234abcdefgh", "ccluster-234abcdefgh",
		"https://", "https://a", "https://a.b-c", "https:///", "xhttps://a",
		"/kms/xks/v1", "/kms/xks/v", "/kms/xks/v12", "/kms/xks/v123", "/a/kms/xks/v1", "//kms/xks/v1", "///kms/xks/v1",
		"/kms/xks/v1/kms/xks/v2", "/a/kms/xks/v1x", "1", "/kms/xks/v1\n", "/kms/xks/vv1",
		"com.amazonaws.vpce.a-b-1.vpce-svc-0", "com.amazonaws.vpce.a-b-c-1.vpce-svc-0", "eu.amazonaws.vpce.a-b-12.vpce-svc-z",
		"com.amazonaws.vpce.-a-b-1.vpce-svc-0", "com.amazonaws.vpce.a--b-1.vpce-svc-0", "com.amazonaws.vpce.a-b-1.vpce-svc-0.x",
		"com.amazonaws.vpce.a-b1.vpce-svc-0", "com.amazonaws.vpce.a-b-1a.vpce-svc-0", "com.amazonaws.vpce.a-b-1.vpce-svc-",
		"com.amazonaws.vpce.a-b-c-d-1.vpce-svc-0", "com.amazonaws.vpce.a-b-.vpce-svc-0",
		"123456789012", "12345678901", "x123456789012x", "12345678901x2", "1234567890123",
		"ABCDEFGHIJKLMNOPQRST", "ABC1", "abc/+=", "abc-",
		"\u00ff", "\u0100", "\t", "\x00", "\xff", "next-marker \u00e9",
	}
	for _, tc := range append(append(vtValidCases(), vtMemberRuleCases()...), vtCrossRuleCases()...) {
		for _, p := range vtStringsOf(tc.in) {
			extra = append(extra, *p)
		}
	}
	for _, s := range extra {
		vtCheckOracle(t, s)
	}
}

// vtStringsOf returns the string members of in that are set.
func vtStringsOf(in *UpdateCustomKeyStoreInput) []*string {
	var out []*string
	for _, p := range []*string{in.CustomKeyStoreId, in.CloudHsmClusterId, in.KeyStorePassword, in.NewCustomKeyStoreName,
		in.XksProxyUriEndpoint, in.XksProxyUriPath, in.XksProxyVpcEndpointServiceName, in.XksProxyVpcEndpointServiceOwner} {
		if p != nil {
			out = append(out, p)
		}
	}
	if c := in.XksProxyAuthenticationCredential; c != nil {
		for _, p := range []*string{c.AccessKeyId, c.RawSecretAccessKey} {
			if p != nil {
				out = append(out, p)
			}
		}
	}
	return out
}

func TestValidateQuoteBounded(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", `""`},
		{"abc", `"abc"`},
		{vtRep("a", maxQuotedRunes), strconv.Quote(vtRep("a", maxQuotedRunes))},
		{vtRep("a", maxQuotedRunes+1), strconv.Quote(vtRep("a", maxQuotedRunes)) + "..."},
		{vtRep("名", maxQuotedRunes+5), strconv.Quote(vtRep("名", maxQuotedRunes)) + "..."},
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
		{"xks-full", vtFullXKS()},
		{"cloudhsm", &UpdateCustomKeyStoreInput{
			CustomKeyStoreId: vtStr(vtID), CloudHsmClusterId: vtStr(vtCluster), KeyStorePassword: vtStr(vtPassword),
			NewCustomKeyStoreName: vtStr(vtName),
		}},
		{"invalid", &UpdateCustomKeyStoreInput{
			CustomKeyStoreId: vtStr(vtID), KeyStorePassword: vtStr("short"), XksProxyUriPath: vtStr("/bad"),
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
