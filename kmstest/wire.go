package kmstest

import (
	"bytes"
	"encoding/json"
	"unicode/utf8"
)

// updateInput is a decoded UpdateCustomKeyStore request. A nil pointer is a
// member that was absent or null; a pointer to "" is a member sent as "".
type updateInput struct {
	CustomKeyStoreId                 *string
	CloudHsmClusterId                *string
	KeyStorePassword                 *string
	NewCustomKeyStoreName            *string
	XksProxyAuthenticationCredential *credentialInput
	XksProxyConnectivity             *string
	XksProxyUriEndpoint              *string
	XksProxyUriPath                  *string
	XksProxyVpcEndpointServiceName   *string
	XksProxyVpcEndpointServiceOwner  *string
}

// credentialInput is a decoded XksProxyAuthenticationCredential.
type credentialInput struct {
	AccessKeyId        *string
	RawSecretAccessKey *string
}

// decodeUpdate decodes body. Malformed JSON, or JSON that is not an object,
// is a SerializationException; members of the wrong JSON type are listed as
// problems, which the caller reports with the model's other violations.
// Unknown members are ignored, as AWS services do.
func decodeUpdate(body []byte) (updateInput, []problem, *apiError) {
	var in updateInput
	obj, err := decodeObject(body)
	if err != nil {
		return in, nil, err
	}
	var probs []problem
	str := func(name string) *string {
		s, p := stringMember(obj, name, lowerFirst(name))
		if p != nil {
			probs = append(probs, *p)
		}
		return s
	}
	in.CustomKeyStoreId = str("CustomKeyStoreId")
	in.CloudHsmClusterId = str("CloudHsmClusterId")
	in.KeyStorePassword = str("KeyStorePassword")
	in.NewCustomKeyStoreName = str("NewCustomKeyStoreName")
	in.XksProxyConnectivity = str("XksProxyConnectivity")
	in.XksProxyUriEndpoint = str("XksProxyUriEndpoint")
	in.XksProxyUriPath = str("XksProxyUriPath")
	in.XksProxyVpcEndpointServiceName = str("XksProxyVpcEndpointServiceName")
	in.XksProxyVpcEndpointServiceOwner = str("XksProxyVpcEndpointServiceOwner")

	const credName = "XksProxyAuthenticationCredential"
	if raw, ok := obj[credName]; ok && !isNull(raw) {
		var cred map[string]json.RawMessage
		if json.Unmarshal(raw, &cred) != nil || cred == nil {
			probs = append(probs, problem{path: lowerFirst(credName), rule: "Member must be a structure"})
		} else {
			c := &credentialInput{}
			for _, m := range []struct {
				name string
				dst  **string
			}{{"AccessKeyId", &c.AccessKeyId}, {"RawSecretAccessKey", &c.RawSecretAccessKey}} {
				s, p := stringMember(cred, m.name, lowerFirst(credName)+"."+lowerFirst(m.name))
				if p != nil {
					probs = append(probs, *p)
				}
				*m.dst = s
			}
			in.XksProxyAuthenticationCredential = c
		}
	}
	return in, probs, nil
}

// decodeObject parses body as one JSON object; an empty body is {}.
func decodeObject(body []byte) (map[string]json.RawMessage, *apiError) {
	body = bytes.TrimSpace(body)
	if len(body) == 0 {
		return map[string]json.RawMessage{}, nil
	}
	if !json.Valid(body) {
		return nil, newError(CodeSerialization, "the request body is not valid JSON")
	}
	if !utf8.Valid(body) {
		// encoding/json would silently replace each bad byte with U+FFFD
		// and the fake would store that; AWS rejects the body.
		return nil, newError(CodeSerialization, "the request body is not valid UTF-8: a JSON string member holds an invalid byte sequence")
	}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(body, &obj); err != nil || obj == nil {
		return nil, newError(CodeSerialization, "the request body must be a JSON object")
	}
	return obj, nil
}

// stringMember returns member name of obj as a string: nil when absent or
// null, or a problem when it is not a JSON string.
func stringMember(obj map[string]json.RawMessage, name, path string) (*string, *problem) {
	raw, ok := obj[name]
	if !ok || isNull(raw) {
		return nil, nil
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return nil, &problem{path: path, rule: "Member must be a string"}
	}
	return &s, nil
}

// isNull reports whether raw is the JSON literal null.
func isNull(raw json.RawMessage) bool {
	return string(bytes.TrimSpace(raw)) == "null"
}

// lowerFirst turns an AWS member name into the path AWS uses in validation
// messages: "CustomKeyStoreId" becomes "customKeyStoreId".
func lowerFirst(s string) string {
	if s == "" || s[0] < 'A' || s[0] > 'Z' {
		return s
	}
	return string(s[0]+'a'-'A') + s[1:]
}
