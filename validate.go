package kms

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// Member names as AWS spells them; nested members are dotted.
const (
	fieldInput                 = "UpdateCustomKeyStoreInput"
	fieldCustomKeyStoreID      = "CustomKeyStoreId"
	fieldCloudHsmClusterID     = "CloudHsmClusterId"
	fieldKeyStorePassword      = "KeyStorePassword"
	fieldNewCustomKeyStoreName = "NewCustomKeyStoreName"
	fieldXksCredential         = "XksProxyAuthenticationCredential"
	fieldXksAccessKeyID        = "XksProxyAuthenticationCredential.AccessKeyId"
	fieldXksSecretAccessKey    = "XksProxyAuthenticationCredential.RawSecretAccessKey"
	fieldXksConnectivity       = "XksProxyConnectivity"
	fieldXksURIEndpoint        = "XksProxyUriEndpoint"
	fieldXksURIPath            = "XksProxyUriPath"
	fieldXksVpcServiceName     = "XksProxyVpcEndpointServiceName"
	fieldXksVpcServiceOwner    = "XksProxyVpcEndpointServiceOwner"
)

// Length bounds of the KMS service model, in characters (Unicode code
// points).
const (
	minCustomKeyStoreID, maxCustomKeyStoreID     = 1, 64
	minCloudHsmClusterID, maxCloudHsmClusterID   = 19, 24
	minKeyStorePassword, maxKeyStorePassword     = 7, 32
	minCustomKeyStoreName, maxCustomKeyStoreName = 1, 256
	minXksAccessKeyID, maxXksAccessKeyID         = 20, 30
	minXksSecretAccessKey, maxXksSecretAccessKey = 43, 64
	minXksURIEndpoint, maxXksURIEndpoint         = 10, 128
	minXksURIPath, maxXksURIPath                 = 10, 128
	minXksVpcServiceName, maxXksVpcServiceName   = 20, 64
	minXksVpcServiceOwner, maxXksVpcServiceOwner = 12, 12
)

// maxQuotedRunes bounds how much of a non-secret value a message quotes.
const maxQuotedRunes = 40

// Patterns of the KMS service model, as written there. They have Smithy
// (ECMA-262) meaning: not implicitly anchored, \d is [0-9]. They are only
// quoted in messages; the matchers below implement them by hand so that the
// valid path allocates nothing. validate_test.go checks each matcher against
// regexp.
const (
	patCloudHsmClusterID  = `cluster-[2-7a-zA-Z]{11,16}`
	patXksAccessKeyID     = `^[A-Z2-7]+$`
	patXksSecretAccessKey = `^[a-zA-Z0-9\/+=]+$`
	patXksURIEndpoint     = `^https://[a-zA-Z0-9.-]+$`
	patXksURIPath         = `^(/[a-zA-Z0-9\/_-]+/kms/xks/v\d{1,2})$|^(/kms/xks/v\d{1,2})$`
	patXksVpcServiceName  = `^(com|eu)\.amazonaws\.vpce\.([a-z]+-){2,3}\d+\.vpce-svc-[0-9a-z]+$`
	patXksVpcServiceOwner = `[0-9]{12}`
)

// Validate checks the input offline, before anything is sent, and returns
// nil or a *ValidationError that lists every problem at once: each member's
// length (counted in characters, i.e. Unicode code points), pattern and
// UTF-8 validity, in member order, then the rules that tie members together:
//
//   - CloudHSM members (CloudHsmClusterId, KeyStorePassword) and external key
//     store members (XksProxy*) cannot be mixed in one update.
//   - XksProxyConnectivity VPC_ENDPOINT_SERVICE needs XksProxyUriEndpoint and
//     a non-empty XksProxyVpcEndpointServiceName.
//   - XksProxyConnectivity PUBLIC_ENDPOINT needs XksProxyUriEndpoint; then
//     XksProxyVpcEndpointServiceName must be nil or "" (the only case where
//     "" is accepted, as the API documentation asks) and
//     XksProxyVpcEndpointServiceOwner must be nil.
//   - XksProxyAuthenticationCredential, when sent, needs both AccessKeyId and
//     RawSecretAccessKey.
//
// Strings must also be valid UTF-8: JSON cannot carry anything else, and
// the encoder would change the value.
//
// The rules are the KMS service model's. Where AWS's documentation examples
// disagree with the model we follow the model: the example cluster ID
// cluster-1a23b4cdefg does not match the model pattern
// cluster-[2-7a-zA-Z]{11,16} ("1" is outside [2-7]; real cluster IDs are
// base32), and neither does an AccessKeyId such as ABCDE12345670EXAMPLE
// (the model asks for ^[A-Z2-7]+$).
//
// Anything the model and the documentation allow passes, even an update
// that only names the store: the client cannot see the store's type or
// connection state, so the server judges whatever depends on them. Problem
// texts never contain the value of KeyStorePassword, AccessKeyId or
// RawSecretAccessKey.
//
// UpdateCustomKeyStore calls Validate before sending unless
// Options.DisableClientValidation is set; call it yourself to dry-run an
// update, for example in CI. It does not allocate when the input is valid.
func (in *UpdateCustomKeyStoreInput) Validate() error {
	if in == nil {
		return in.validateRequired()
	}
	var c problemCollector

	switch {
	case in.CustomKeyStoreId == nil:
		c.add(fieldCustomKeyStoreID, "required")
	case *in.CustomKeyStoreId == "":
		c.add(fieldCustomKeyStoreID, "required: "+lengthBelow(0, minCustomKeyStoreID))
	default:
		c.text(fieldCustomKeyStoreID, *in.CustomKeyStoreId, minCustomKeyStoreID, maxCustomKeyStoreID)
	}
	if v := in.CloudHsmClusterId; v != nil {
		n := c.text(fieldCloudHsmClusterID, *v, minCloudHsmClusterID, maxCloudHsmClusterID)
		if *v != "" && !matchCloudHsmClusterID(*v) {
			c.add(fieldCloudHsmClusterID, patternMiss(patCloudHsmClusterID, *v, n))
		}
	}
	if v := in.KeyStorePassword; v != nil {
		c.text(fieldKeyStorePassword, *v, minKeyStorePassword, maxKeyStorePassword)
	}
	if v := in.NewCustomKeyStoreName; v != nil {
		c.text(fieldNewCustomKeyStoreName, *v, minCustomKeyStoreName, maxCustomKeyStoreName)
	}
	if cred := in.XksProxyAuthenticationCredential; cred != nil {
		const both = "required when XksProxyAuthenticationCredential is sent: KMS needs both AccessKeyId and RawSecretAccessKey, even if only one changes"
		if v := cred.AccessKeyId; v == nil {
			c.add(fieldXksAccessKeyID, both)
		} else {
			n := c.text(fieldXksAccessKeyID, *v, minXksAccessKeyID, maxXksAccessKeyID)
			if *v != "" {
				if i := indexNotIn(*v, isXksAccessKeyIDByte); i >= 0 {
					// Sensitive in the KMS model: the position, never the value.
					c.add(fieldXksAccessKeyID, "does not match the pattern "+patXksAccessKeyID+
						" (length "+strconv.Itoa(n)+"; character "+strconv.Itoa(runeIndex(*v, i)+1)+
						" is not in [A-Z2-7]; value not shown)")
				}
			}
		}
		if v := cred.RawSecretAccessKey; v == nil {
			c.add(fieldXksSecretAccessKey, both)
		} else {
			n := c.text(fieldXksSecretAccessKey, *v, minXksSecretAccessKey, maxXksSecretAccessKey)
			if *v != "" {
				if i := indexNotIn(*v, isXksSecretByte); i >= 0 {
					// A secret: name the position, never the value.
					c.add(fieldXksSecretAccessKey, "does not match the pattern "+patXksSecretAccessKey+
						" (length "+strconv.Itoa(n)+"; character "+strconv.Itoa(runeIndex(*v, i)+1)+
						" is not in [a-zA-Z0-9/+=]; value not shown)")
				}
			}
		}
	}
	switch conn := in.XksProxyConnectivity; conn {
	case "", XksProxyConnectivityTypePublicEndpoint, XksProxyConnectivityTypeVpcEndpointService:
	default:
		s := string(conn)
		c.add(fieldXksConnectivity, "must be PUBLIC_ENDPOINT or VPC_ENDPOINT_SERVICE, not "+
			quoteBounded(s)+" (length "+strconv.Itoa(utf8.RuneCountInString(s))+")")
	}
	if v := in.XksProxyUriEndpoint; v != nil {
		n := c.text(fieldXksURIEndpoint, *v, minXksURIEndpoint, maxXksURIEndpoint)
		if *v != "" && !matchXksURIEndpoint(*v) {
			c.add(fieldXksURIEndpoint, patternMiss(patXksURIEndpoint, *v, n))
		}
	}
	if v := in.XksProxyUriPath; v != nil {
		n := c.text(fieldXksURIPath, *v, minXksURIPath, maxXksURIPath)
		if *v != "" && !matchXksURIPath(*v) {
			c.add(fieldXksURIPath, patternMiss(patXksURIPath, *v, n))
		}
	}
	if v := in.XksProxyVpcEndpointServiceName; v != nil {
		switch {
		case *v == "" && in.XksProxyConnectivity == XksProxyConnectivityTypePublicEndpoint:
			// The documented way to clear the name when switching to
			// PUBLIC_ENDPOINT, despite the model's minimum.
		case *v == "" && in.XksProxyConnectivity == XksProxyConnectivityTypeVpcEndpointService:
			c.add(fieldXksVpcServiceName, lengthBelow(0, minXksVpcServiceName)+
				": XksProxyConnectivity VPC_ENDPOINT_SERVICE needs a non-empty name")
		case *v == "":
			c.add(fieldXksVpcServiceName, lengthBelow(0, minXksVpcServiceName)+
				` ("" is accepted only with XksProxyConnectivity PUBLIC_ENDPOINT, to clear the name)`)
		default:
			n := c.text(fieldXksVpcServiceName, *v, minXksVpcServiceName, maxXksVpcServiceName)
			if !matchXksVpcServiceName(*v) {
				c.add(fieldXksVpcServiceName, patternMiss(patXksVpcServiceName, *v, n))
			}
		}
	}
	if v := in.XksProxyVpcEndpointServiceOwner; v != nil {
		n := c.text(fieldXksVpcServiceOwner, *v, minXksVpcServiceOwner, maxXksVpcServiceOwner)
		if *v != "" && !matchXksVpcServiceOwner(*v) {
			c.add(fieldXksVpcServiceOwner, patternMiss(patXksVpcServiceOwner, *v, n))
		}
	}

	// Cross-member rules.
	if in.CloudHsmClusterId != nil || in.KeyStorePassword != nil {
		if xks := in.xksMembersSent(); len(xks) > 0 {
			field := fieldCloudHsmClusterID
			if in.CloudHsmClusterId == nil {
				field = fieldKeyStorePassword
			}
			c.add(field, "CloudHSM key store members (CloudHsmClusterId, KeyStorePassword) cannot be combined with external key store members ("+
				strings.Join(xks, ", ")+") in one update: a custom key store is either AWS_CLOUDHSM or EXTERNAL_KEY_STORE")
		}
	}
	switch in.XksProxyConnectivity {
	case XksProxyConnectivityTypeVpcEndpointService:
		if in.XksProxyUriEndpoint == nil {
			c.add(fieldXksURIEndpoint, "required when XksProxyConnectivity is VPC_ENDPOINT_SERVICE: https:// followed by the private DNS name of the VPC endpoint service")
		}
		if in.XksProxyVpcEndpointServiceName == nil {
			c.add(fieldXksVpcServiceName, "required when XksProxyConnectivity is VPC_ENDPOINT_SERVICE")
		}
	case XksProxyConnectivityTypePublicEndpoint:
		if in.XksProxyUriEndpoint == nil {
			c.add(fieldXksURIEndpoint, "required when XksProxyConnectivity is PUBLIC_ENDPOINT")
		}
		if v := in.XksProxyVpcEndpointServiceName; v != nil && *v != "" {
			c.add(fieldXksVpcServiceName, `must be nil or "" when XksProxyConnectivity is PUBLIC_ENDPOINT (length `+
				strconv.Itoa(utf8.RuneCountInString(*v))+")")
		}
		if in.XksProxyVpcEndpointServiceOwner != nil {
			c.add(fieldXksVpcServiceOwner, "must be nil when XksProxyConnectivity is PUBLIC_ENDPOINT: the owner of a VPC endpoint service applies only to VPC_ENDPOINT_SERVICE")
		}
	}
	return c.err.orNil()
}

// validateRequired checks only the members the API requires; it runs even
// with Options.DisableClientValidation.
func (in *UpdateCustomKeyStoreInput) validateRequired() error {
	if in == nil {
		ve := &ValidationError{}
		ve.add(fieldInput, "required: input is nil")
		return ve
	}
	if in.CustomKeyStoreId == nil {
		ve := &ValidationError{}
		ve.add(fieldCustomKeyStoreID, "required")
		return ve
	}
	if *in.CustomKeyStoreId == "" {
		ve := &ValidationError{}
		ve.add(fieldCustomKeyStoreID, "required: "+lengthBelow(0, minCustomKeyStoreID))
		return ve
	}
	return nil
}

// xksMembersSent lists the external key store members in sends, in member
// order. Only called on the error path.
func (in *UpdateCustomKeyStoreInput) xksMembersSent() []string {
	var out []string
	if in.XksProxyAuthenticationCredential != nil {
		out = append(out, fieldXksCredential)
	}
	if in.XksProxyConnectivity != "" {
		out = append(out, fieldXksConnectivity)
	}
	if in.XksProxyUriEndpoint != nil {
		out = append(out, fieldXksURIEndpoint)
	}
	if in.XksProxyUriPath != nil {
		out = append(out, fieldXksURIPath)
	}
	if in.XksProxyVpcEndpointServiceName != nil {
		out = append(out, fieldXksVpcServiceName)
	}
	if in.XksProxyVpcEndpointServiceOwner != nil {
		out = append(out, fieldXksVpcServiceOwner)
	}
	return out
}

// problemCollector collects problems; it allocates only when it records one.
type problemCollector struct {
	err *ValidationError
}

func (c *problemCollector) add(field, reason string) {
	if c.err == nil {
		c.err = &ValidationError{}
	}
	c.err.add(field, reason)
}

// text checks the UTF-8 and length rules of a string member and returns its
// length in characters. Its messages never contain the value, so it serves
// secret members too.
func (c *problemCollector) text(field, v string, minLen, maxLen int) int {
	n := utf8.RuneCountInString(v)
	if !utf8.ValidString(v) {
		c.add(field, "not valid UTF-8 (length "+strconv.Itoa(n)+"; character "+strconv.Itoa(firstInvalidRune(v)+1)+
			" is an invalid byte): a JSON request carries only valid UTF-8, so it would be sent changed (as U+FFFD)")
	}
	switch {
	case n < minLen:
		c.add(field, lengthBelow(n, minLen))
	case n > maxLen:
		c.add(field, "length "+strconv.Itoa(n)+" is above the maximum "+strconv.Itoa(maxLen))
	}
	return n
}

func lengthBelow(n, minLen int) string {
	return "length " + strconv.Itoa(n) + " is below the minimum " + strconv.Itoa(minLen)
}

// patternMiss describes a pattern miss of a non-secret member, quoting a
// bounded prefix of its value.
func patternMiss(pattern, v string, n int) string {
	return "does not match the pattern " + pattern + " (length " + strconv.Itoa(n) + ", value " + quoteBounded(v) + ")"
}

// quoteBounded quotes at most maxQuotedRunes characters of s, Go-style, so
// control characters and invalid UTF-8 show escaped, and marks a cut with
// "...".
func quoteBounded(s string) string {
	i, n := 0, 0
	for i < len(s) && n < maxQuotedRunes {
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
		n++
	}
	if i == len(s) {
		return strconv.Quote(s)
	}
	return strconv.Quote(s[:i]) + "..."
}

// firstInvalidRune returns the character offset of the first invalid UTF-8
// byte of s, counting each invalid byte as one character, or -1.
func firstInvalidRune(s string) int {
	n := 0
	for i := 0; i < len(s); n++ {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			return n
		}
		i += size
	}
	return -1
}

// runeIndex converts byte offset i of s to a character offset.
func runeIndex(s string, i int) int {
	return utf8.RuneCountInString(s[:i])
}

// indexNotIn returns the byte offset of the first byte of s for which ok is
// false, or -1. Non-ASCII bytes are never in the ASCII classes used here.
func indexNotIn(s string, ok func(byte) bool) int {
	for i := 0; i < len(s); i++ {
		if !ok(s[i]) {
			return i
		}
	}
	return -1
}

func asciiDigit(b byte) bool { return '0' <= b && b <= '9' }
func asciiLower(b byte) bool { return 'a' <= b && b <= 'z' }
func asciiUpper(b byte) bool { return 'A' <= b && b <= 'Z' }
func asciiAlnum(b byte) bool { return asciiDigit(b) || asciiLower(b) || asciiUpper(b) }

// isXksAccessKeyIDByte is [A-Z2-7].
func isXksAccessKeyIDByte(b byte) bool { return asciiUpper(b) || ('2' <= b && b <= '7') }

// isXksSecretByte is [a-zA-Z0-9\/+=].
func isXksSecretByte(b byte) bool { return asciiAlnum(b) || b == '/' || b == '+' || b == '=' }

// isClusterByte is [2-7a-zA-Z].
func isClusterByte(b byte) bool { return asciiLower(b) || asciiUpper(b) || ('2' <= b && b <= '7') }

// matchCloudHsmClusterID reports whether cluster-[2-7a-zA-Z]{11,16} matches
// somewhere in s (the pattern is not anchored). A run of at least 11 class
// characters after "cluster-" is enough: the pattern may stop after 11.
func matchCloudHsmClusterID(s string) bool {
	const prefix = "cluster-"
	for {
		j := strings.Index(s, prefix)
		if j < 0 {
			return false
		}
		rest := s[j+len(prefix):]
		run := 0
		for run < len(rest) && run < 11 && isClusterByte(rest[run]) {
			run++
		}
		if run == 11 {
			return true
		}
		s = s[j+1:]
	}
}

// matchXksURIEndpoint reports whether s matches ^https://[a-zA-Z0-9.-]+$.
func matchXksURIEndpoint(s string) bool {
	const scheme = "https://"
	if len(s) <= len(scheme) || s[:len(scheme)] != scheme {
		return false
	}
	return indexNotIn(s[len(scheme):], func(b byte) bool { return asciiAlnum(b) || b == '.' || b == '-' }) < 0
}

// matchXksURIPath reports whether s matches
// ^(/[a-zA-Z0-9\/_-]+/kms/xks/v\d{1,2})$|^(/kms/xks/v\d{1,2})$.
func matchXksURIPath(s string) bool {
	const tail = "/kms/xks/v"
	digits := 0
	for digits < 3 && digits < len(s) && asciiDigit(s[len(s)-1-digits]) {
		digits++
	}
	if digits == 0 || digits > 2 {
		return false
	}
	head := s[:len(s)-digits]
	if !strings.HasSuffix(head, tail) {
		return false
	}
	prefix := head[:len(head)-len(tail)]
	if prefix == "" {
		return true
	}
	if len(prefix) < 2 || prefix[0] != '/' {
		return false
	}
	return indexNotIn(prefix[1:], func(b byte) bool { return asciiAlnum(b) || b == '/' || b == '_' || b == '-' }) < 0
}

// matchXksVpcServiceName reports whether s matches
// ^(com|eu)\.amazonaws\.vpce\.([a-z]+-){2,3}\d+\.vpce-svc-[0-9a-z]+$.
func matchXksVpcServiceName(s string) bool {
	switch {
	case strings.HasPrefix(s, "com.amazonaws.vpce."):
		s = s[len("com.amazonaws.vpce."):]
	case strings.HasPrefix(s, "eu.amazonaws.vpce."):
		s = s[len("eu.amazonaws.vpce."):]
	default:
		return false
	}
	// The region part has no '.', so the first '.' starts ".vpce-svc-".
	dot := strings.IndexByte(s, '.')
	if dot < 0 {
		return false
	}
	region, rest := s[:dot], s[dot:]
	const svc = ".vpce-svc-"
	if !strings.HasPrefix(rest, svc) {
		return false
	}
	id := rest[len(svc):]
	if id == "" || indexNotIn(id, func(b byte) bool { return asciiDigit(b) || asciiLower(b) }) >= 0 {
		return false
	}
	// region is ([a-z]+-){2,3}\d+.
	end := len(region)
	for end > 0 && asciiDigit(region[end-1]) {
		end--
	}
	if end == len(region) {
		return false
	}
	groups, run := 0, 0
	for i := 0; i < end; i++ {
		switch b := region[i]; {
		case asciiLower(b):
			run++
		case b == '-' && run > 0:
			groups++
			run = 0
		default:
			return false
		}
	}
	return run == 0 && (groups == 2 || groups == 3)
}

// matchXksVpcServiceOwner reports whether [0-9]{12} matches somewhere in s.
func matchXksVpcServiceOwner(s string) bool {
	run := 0
	for i := 0; i < len(s); i++ {
		if !asciiDigit(s[i]) {
			run = 0
			continue
		}
		if run++; run == 12 {
			return true
		}
	}
	return false
}
