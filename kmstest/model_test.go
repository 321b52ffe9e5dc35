package kmstest_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kmskit/kms/kmstest"
)

// noStore is a valid ID that no store has: a request that passes the model
// checks then fails with CustomKeyStoreNotFoundException, which isolates the
// model checks from the update rules.
const noStore = "cks-none"

// TestModelConstraints checks each member's length (in code points) and
// pattern constraints, on both sides of each bound.
func TestModelConstraints(t *testing.T) {
	rep := strings.Repeat
	vpc := func(v any) m {
		return m{"XksProxyConnectivity": "VPC_ENDPOINT_SERVICE", "XksProxyVpcEndpointServiceName": v}
	}
	tests := []struct {
		name    string
		body    m      // members besides CustomKeyStoreId (noStore unless set)
		bad     string // "" when valid; else the path the message must name
		rule    string // a fragment of the broken rule
		secrets []string
	}{
		{name: "id absent", body: m{"CustomKeyStoreId": nil}, bad: "customKeyStoreId", rule: "must not be null"},
		{name: "id empty", body: m{"CustomKeyStoreId": ""}, bad: "customKeyStoreId", rule: "greater than or equal to 1"},
		{name: "id 64", body: m{"CustomKeyStoreId": rep("c", 64)}},
		{name: "id 65", body: m{"CustomKeyStoreId": rep("c", 65)}, bad: "customKeyStoreId", rule: "less than or equal to 64"},
		{name: "id 64 code points in 128 bytes", body: m{"CustomKeyStoreId": rep("é", 64)}},
		{name: "id 65 code points", body: m{"CustomKeyStoreId": rep("é", 65)}, bad: "customKeyStoreId", rule: "less than or equal to 64"},

		{name: "name empty", body: m{"NewCustomKeyStoreName": ""}, bad: "newCustomKeyStoreName", rule: "greater than or equal to 1"},
		{name: "name 1", body: m{"NewCustomKeyStoreName": "n"}},
		{name: "name 256", body: m{"NewCustomKeyStoreName": rep("n", 256)}},
		{name: "name 256 code points", body: m{"NewCustomKeyStoreName": rep("日", 256)}},
		{name: "name 257", body: m{"NewCustomKeyStoreName": rep("日", 257)}, bad: "newCustomKeyStoreName", rule: "less than or equal to 256"},

		{name: "password 6", body: m{"KeyStorePassword": "pa55wd"}, bad: "keyStorePassword", rule: "greater than or equal to 7", secrets: []string{"pa55wd"}},
		{name: "password 7", body: m{"KeyStorePassword": "pa55wd7"}},
		{name: "password 32", body: m{"KeyStorePassword": rep("p", 32)}},
		{name: "password 33", body: m{"KeyStorePassword": rep("q", 33)}, bad: "keyStorePassword", rule: "less than or equal to 32", secrets: []string{rep("q", 33)}},

		{name: "cluster 19", body: m{"CloudHsmClusterId": "cluster-abcdefghijk"}},
		{name: "cluster 24", body: m{"CloudHsmClusterId": "cluster-abcdefghijklmnop"}},
		{name: "cluster 18", body: m{"CloudHsmClusterId": "cluster-abcdefghij"}, bad: "cloudHsmClusterId", rule: "greater than or equal to 19"},
		{name: "cluster 25", body: m{"CloudHsmClusterId": "cluster-abcdefghijklmnopq"}, bad: "cloudHsmClusterId", rule: "less than or equal to 24"},
		{name: "cluster bad chars", body: m{"CloudHsmClusterId": "cluster-01890189018"}, bad: "cloudHsmClusterId", rule: "regular expression pattern"},
		{name: "cluster pattern not anchored", body: m{"CloudHsmClusterId": "my-cluster-abcdefghijk"}},

		{name: "endpoint 10", body: m{"XksProxyUriEndpoint": "https://a."}},
		{name: "endpoint 9", body: m{"XksProxyUriEndpoint": "https://a"}, bad: "xksProxyUriEndpoint", rule: "greater than or equal to 10"},
		{name: "endpoint 128", body: m{"XksProxyUriEndpoint": "https://" + rep("a", 120)}},
		{name: "endpoint 129", body: m{"XksProxyUriEndpoint": "https://" + rep("a", 121)}, bad: "xksProxyUriEndpoint", rule: "less than or equal to 128"},
		{name: "endpoint http", body: m{"XksProxyUriEndpoint": "http://xks.example.com"}, bad: "xksProxyUriEndpoint", rule: "regular expression pattern"},
		{name: "endpoint with path", body: m{"XksProxyUriEndpoint": "https://xks.example.com/kms"}, bad: "xksProxyUriEndpoint", rule: "regular expression pattern"},
		{name: "endpoint with port", body: m{"XksProxyUriEndpoint": "https://xks.example.com:443"}, bad: "xksProxyUriEndpoint", rule: "regular expression pattern"},

		{name: "path bare", body: m{"XksProxyUriPath": "/kms/xks/v1"}},
		{name: "path two-digit version", body: m{"XksProxyUriPath": "/kms/xks/v12"}},
		{name: "path prefixed", body: m{"XksProxyUriPath": "/a_b-c/d/kms/xks/v2"}},
		{name: "path 128", body: m{"XksProxyUriPath": "/" + rep("a", 116) + "/kms/xks/v1"}},
		{name: "path 129", body: m{"XksProxyUriPath": "/" + rep("a", 117) + "/kms/xks/v1"}, bad: "xksProxyUriPath", rule: "less than or equal to 128"},
		{name: "path three-digit version", body: m{"XksProxyUriPath": "/kms/xks/v123"}, bad: "xksProxyUriPath", rule: "regular expression pattern"},
		{name: "path no leading slash", body: m{"XksProxyUriPath": "kms/xks/v1/"}, bad: "xksProxyUriPath", rule: "regular expression pattern"},
		{name: "path short", body: m{"XksProxyUriPath": "/kms/xks/"}, bad: "xksProxyUriPath", rule: "greater than or equal to 10"},
		{name: "path trailing slash", body: m{"XksProxyUriPath": "/kms/xks/v1/"}, bad: "xksProxyUriPath", rule: "regular expression pattern"},

		{name: "service valid", body: vpc(svcFree)},
		{name: "service eu and three-part region", body: vpc("eu.amazonaws.vpce.us-gov-west-1.vpce-svc-0abc")},
		{name: "service 64", body: vpc("com.amazonaws.vpce.us-east-1.vpce-svc-" + rep("a", 26))},
		{name: "service 65", body: vpc("com.amazonaws.vpce.us-east-1.vpce-svc-" + rep("a", 27)), bad: "xksProxyVpcEndpointServiceName", rule: "less than or equal to 64"},
		{name: "service bad pattern", body: vpc("com.amazonaws.vpce.useast1.vpce-svc-0abc"), bad: "xksProxyVpcEndpointServiceName", rule: "regular expression pattern"},
		{name: "service empty alone", body: m{"XksProxyVpcEndpointServiceName": ""}, bad: "xksProxyVpcEndpointServiceName", rule: "greater than or equal to 20"},
		{name: "service empty with VPC", body: vpc(""), bad: "xksProxyVpcEndpointServiceName", rule: "greater than or equal to 20"},
		{name: "service empty with PUBLIC clears", body: m{"XksProxyConnectivity": "PUBLIC_ENDPOINT", "XksProxyVpcEndpointServiceName": ""}},

		{name: "owner 12", body: m{"XksProxyVpcEndpointServiceOwner": ownerMain}},
		{name: "owner 11", body: m{"XksProxyVpcEndpointServiceOwner": "11112222333"}, bad: "xksProxyVpcEndpointServiceOwner", rule: "greater than or equal to 12"},
		{name: "owner 13", body: m{"XksProxyVpcEndpointServiceOwner": "1111222233334"}, bad: "xksProxyVpcEndpointServiceOwner", rule: "less than or equal to 12"},
		{name: "owner letters", body: m{"XksProxyVpcEndpointServiceOwner": "11112222333a"}, bad: "xksProxyVpcEndpointServiceOwner", rule: "regular expression pattern"},

		{name: "credential valid", body: m{"XksProxyAuthenticationCredential": cred(akidNew, secretNew)}},
		{name: "access key 20 and secret 43", body: m{"XksProxyAuthenticationCredential": cred(rep("A", 20), rep("s", 43))}},
		{name: "access key 30 and secret 64", body: m{"XksProxyAuthenticationCredential": cred(rep("Z", 30), rep("/+=", 21)+"x")}},
		{name: "access key 19", body: m{"XksProxyAuthenticationCredential": cred(rep("A", 19), secretNew)},
			bad: "xksProxyAuthenticationCredential.accessKeyId", rule: "greater than or equal to 20"},
		{name: "access key 31", body: m{"XksProxyAuthenticationCredential": cred(rep("A", 31), secretNew)},
			bad: "xksProxyAuthenticationCredential.accessKeyId", rule: "less than or equal to 30"},
		{name: "access key lowercase", body: m{"XksProxyAuthenticationCredential": cred(strings.ToLower(akidNew), secretNew)},
			bad: "xksProxyAuthenticationCredential.accessKeyId", rule: "regular expression pattern"},
		{name: "access key digit 8", body: m{"XksProxyAuthenticationCredential": cred("AKIA8888888888888888", secretNew)},
			bad: "xksProxyAuthenticationCredential.accessKeyId", rule: "regular expression pattern"},
		{name: "secret 42", body: m{"XksProxyAuthenticationCredential": cred(akidNew, rep("s", 42))},
			bad: "xksProxyAuthenticationCredential.rawSecretAccessKey", rule: "greater than or equal to 43", secrets: []string{rep("s", 42)}},
		{name: "secret 65", body: m{"XksProxyAuthenticationCredential": cred(akidNew, rep("t", 65))},
			bad: "xksProxyAuthenticationCredential.rawSecretAccessKey", rule: "less than or equal to 64", secrets: []string{rep("t", 65)}},
		{name: "secret bad char", body: m{"XksProxyAuthenticationCredential": cred(akidNew, rep("u", 42)+"-")},
			bad: "xksProxyAuthenticationCredential.rawSecretAccessKey", rule: "regular expression pattern", secrets: []string{rep("u", 42) + "-"}},
		{name: "credential without access key", body: m{"XksProxyAuthenticationCredential": m{"RawSecretAccessKey": secretNew}},
			bad: "xksProxyAuthenticationCredential.accessKeyId", rule: "must not be null"},
		{name: "credential without secret", body: m{"XksProxyAuthenticationCredential": m{"AccessKeyId": akidNew}},
			bad: "xksProxyAuthenticationCredential.rawSecretAccessKey", rule: "must not be null"},

		{name: "connectivity public", body: m{"XksProxyConnectivity": "PUBLIC_ENDPOINT"}},
		{name: "connectivity unknown", body: m{"XksProxyConnectivity": "PRIVATE_LINK"}, bad: "xksProxyConnectivity", rule: "enum value set"},
		{name: "connectivity lowercase", body: m{"XksProxyConnectivity": "public_endpoint"}, bad: "xksProxyConnectivity", rule: "enum value set"},

		{name: "id is a number", body: m{"CustomKeyStoreId": 42}, bad: "customKeyStoreId", rule: "must be a string"},
		{name: "name is a bool", body: m{"NewCustomKeyStoreName": true}, bad: "newCustomKeyStoreName", rule: "must be a string"},
		{name: "password is an object", body: m{"KeyStorePassword": m{"a": "b"}}, bad: "keyStorePassword", rule: "must be a string"},
		{name: "credential is a string", body: m{"XksProxyAuthenticationCredential": "AKID:SECRET"}, bad: "xksProxyAuthenticationCredential", rule: "must be a structure"},
		{name: "access key is a number", body: m{"XksProxyAuthenticationCredential": m{"AccessKeyId": 7, "RawSecretAccessKey": secretNew}},
			bad: "xksProxyAuthenticationCredential.accessKeyId", rule: "must be a string"},
		{name: "connectivity is an array", body: m{"XksProxyConnectivity": []string{"PUBLIC_ENDPOINT"}}, bad: "xksProxyConnectivity", rule: "must be a string"},
		{name: "owner is a number", body: m{"XksProxyVpcEndpointServiceOwner": 111122223333}, bad: "xksProxyVpcEndpointServiceOwner", rule: "must be a string"},
	}
	srv := newWorld(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := m{"CustomKeyStoreId": noStore}
			for k, v := range tt.body {
				if v == nil {
					delete(body, k)
				} else {
					body[k] = v
				}
			}
			r := update(t, srv, body)
			if tt.bad == "" {
				requireCode(t, r, kmstest.CodeCustomKeyStoreNotFound)
				return
			}
			requireCode(t, r, kmstest.CodeValidation)
			assert.Regexp(t, `^[1-9] validation errors? detected: `, r.Message)
			assert.Contains(t, r.Message, "'"+tt.bad+"'")
			assert.Contains(t, r.Message, tt.rule)
			for _, s := range tt.secrets {
				assert.NotContains(t, r.Message, s, "a secret must not appear in the message")
			}
		})
	}
}

// TestModelListsEveryProblem checks that one ValidationException lists all
// the problems of a request.
func TestModelListsEveryProblem(t *testing.T) {
	srv := newWorld(t)
	r := update(t, srv, m{
		"NewCustomKeyStoreName": "",
		"XksProxyUriPath":       "/nope",
	})
	requireCode(t, r, kmstest.CodeValidation)
	assert.Contains(t, r.Message, "4 validation errors detected")
	for _, path := range []string{"'customKeyStoreId'", "'newCustomKeyStoreName'", "'xksProxyUriPath'"} {
		assert.Contains(t, r.Message, path)
	}
}

// TestModelRejectsBeforeAnyRule checks that a model violation is reported
// even for a request that would otherwise change a store, and changes
// nothing.
func TestModelRejectsBeforeAnyRule(t *testing.T) {
	srv := newWorld(t)
	before := srv.Stores()
	r := update(t, srv, m{"CustomKeyStoreId": hsmDisconnected, "NewCustomKeyStoreName": "fine", "KeyStorePassword": "short"})
	requireCode(t, r, kmstest.CodeValidation)
	require.Equal(t, before, srv.Stores())
}
