package kms

import (
	"unicode/utf8"
)

// appendWire appends the awsJson1.1 body of in to dst. Members are written in
// the order the official SDK writes them (sorted by name, see
// kmsmodel.Shape.WireOrder; encode_test.go checks it); nil members are omitted, a pointer
// to "" is written as "", and an empty XksProxyConnectivity is omitted.
// It uses no reflection and allocates only when dst must grow.
func (in *UpdateCustomKeyStoreInput) appendWire(dst []byte) []byte {
	dst = append(dst, '{')
	first := true
	member := func(name string) {
		if !first {
			dst = append(dst, ',')
		}
		first = false
		dst = appendName(dst, name)
	}
	str := func(name string, v *string) {
		if v != nil {
			member(name)
			dst = appendJSONString(dst, *v)
		}
	}
	str(fieldCloudHsmClusterID, in.CloudHsmClusterId)
	str(fieldCustomKeyStoreID, in.CustomKeyStoreId)
	str(fieldKeyStorePassword, in.KeyStorePassword)
	str(fieldNewCustomKeyStoreName, in.NewCustomKeyStoreName)
	if c := in.XksProxyAuthenticationCredential; c != nil {
		member(fieldXksCredential)
		dst = append(dst, '{')
		if c.AccessKeyId != nil {
			dst = appendName(dst, mXksAccessKeyID.Name)
			dst = appendJSONString(dst, *c.AccessKeyId)
		}
		if c.RawSecretAccessKey != nil {
			if c.AccessKeyId != nil {
				dst = append(dst, ',')
			}
			dst = appendName(dst, mXksSecretKey.Name)
			dst = appendJSONString(dst, *c.RawSecretAccessKey)
		}
		dst = append(dst, '}')
	}
	if in.XksProxyConnectivity != "" {
		member(fieldXksConnectivity)
		dst = appendJSONString(dst, string(in.XksProxyConnectivity))
	}
	str(fieldXksURIEndpoint, in.XksProxyUriEndpoint)
	str(fieldXksURIPath, in.XksProxyUriPath)
	str(fieldXksVpcServiceName, in.XksProxyVpcEndpointServiceName)
	str(fieldXksVpcServiceOwner, in.XksProxyVpcEndpointServiceOwner)
	return append(dst, '}')
}

// appendName appends "name": to dst.
func appendName(dst []byte, name string) []byte {
	dst = append(dst, '"')
	dst = append(dst, name...)
	return append(dst, '"', ':')
}

const hexDigits = "0123456789abcdef"

// appendJSONString appends s as a JSON string. Like encoding/json it escapes
// control characters, U+2028 and U+2029, and writes invalid UTF-8 as U+FFFD.
func appendJSONString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		b := s[i]
		if b < utf8.RuneSelf {
			if b >= 0x20 && b != '"' && b != '\\' {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			switch b {
			case '"', '\\':
				dst = append(dst, '\\', b)
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hexDigits[b>>4], hexDigits[b&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}
