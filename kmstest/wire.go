package kmstest

import (
	"bytes"
	"encoding/json"
	"unicode/utf8"

	"github.com/kmskit/kms/internal/kmsmodel"
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

	// members holds every decoded member by dotted name, as decodeMembers
	// returns it.
	members map[string]*string
}

// value returns the member called name (dotted for nested members), nil
// when absent; a structure that is present has a non-nil value.
func (in updateInput) value(name string) *string { return in.members[name] }

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
	vals, probs := decodeMembers(obj, kmsmodel.UpdateCustomKeyStoreInput, "", map[string]*string{}, nil)
	in = updateInput{
		CustomKeyStoreId:                vals["CustomKeyStoreId"],
		CloudHsmClusterId:               vals["CloudHsmClusterId"],
		KeyStorePassword:                vals["KeyStorePassword"],
		NewCustomKeyStoreName:           vals["NewCustomKeyStoreName"],
		XksProxyConnectivity:            vals["XksProxyConnectivity"],
		XksProxyUriEndpoint:             vals["XksProxyUriEndpoint"],
		XksProxyUriPath:                 vals["XksProxyUriPath"],
		XksProxyVpcEndpointServiceName:  vals["XksProxyVpcEndpointServiceName"],
		XksProxyVpcEndpointServiceOwner: vals["XksProxyVpcEndpointServiceOwner"],
		members:                         vals,
	}
	if vals["XksProxyAuthenticationCredential"] != nil {
		in.XksProxyAuthenticationCredential = &credentialInput{
			AccessKeyId:        vals["XksProxyAuthenticationCredential.AccessKeyId"],
			RawSecretAccessKey: vals["XksProxyAuthenticationCredential.RawSecretAccessKey"],
		}
	}
	return in, probs, nil
}

// present is the value decodeMembers gives a structure member that is
// present.
var present = new(string)

// decodeMembers decodes the members of shape from obj into vals, keyed by
// member name (prefix + name, so nested members are dotted). Strings keep
// their value, integers their JSON text, and a present structure gets
// present. A member of the wrong JSON type is a problem. Absent and null
// members get no entry.
func decodeMembers(obj map[string]json.RawMessage, shape *kmsmodel.Shape, prefix string, vals map[string]*string, probs []problem) (map[string]*string, []problem) {
	for i := range shape.Members {
		m := &shape.Members[i]
		name := prefix + m.Name
		raw, ok := obj[m.Name]
		if !ok || isNull(raw) {
			continue
		}
		switch m.Kind {
		case kmsmodel.KindStructure:
			var sub map[string]json.RawMessage
			if json.Unmarshal(raw, &sub) != nil || sub == nil {
				probs = append(probs, problem{path: validationPath(name), rule: "Member must be a structure"})
				continue
			}
			vals[name] = present
			if nested := kmsmodel.ShapeNamed(m.Target); nested != nil {
				vals, probs = decodeMembers(sub, nested, name+".", vals, probs)
			}
		case kmsmodel.KindInteger:
			var n json.Number
			d := json.NewDecoder(bytes.NewReader(raw))
			d.UseNumber()
			// json.Number also takes a quoted number: a JSON string is no integer.
			if bytes.HasPrefix(bytes.TrimSpace(raw), []byte(`"`)) || d.Decode(&n) != nil {
				probs = append(probs, problem{path: validationPath(name), rule: "Member must be an integer"})
				continue
			}
			s := n.String()
			vals[name] = &s
		default:
			var s string
			if json.Unmarshal(raw, &s) != nil {
				probs = append(probs, problem{path: validationPath(name), rule: "Member must be a string"})
				continue
			}
			vals[name] = &s
		}
	}
	return vals, probs
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

// isNull reports whether raw is the JSON literal null.
func isNull(raw json.RawMessage) bool {
	return string(bytes.TrimSpace(raw)) == "null"
}
