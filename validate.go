package kms

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/kmskit/kms/internal/kmsmodel"
)

// The members of UpdateCustomKeyStoreInput as the KMS model
// (internal/kmsmodel) describes them: names, lengths, patterns, enums.
var (
	updateShape        = kmsmodel.UpdateCustomKeyStoreInput
	mCustomKeyStoreID  = updateShape.MustMember("CustomKeyStoreId")
	mCloudHsmClusterID = updateShape.MustMember("CloudHsmClusterId")
	mKeyStorePassword  = updateShape.MustMember("KeyStorePassword")
	mNewName           = updateShape.MustMember("NewCustomKeyStoreName")
	mXksCredential     = updateShape.MustMember("XksProxyAuthenticationCredential")
	mXksAccessKeyID    = kmsmodel.XksProxyAuthenticationCredentialType.MustMember("AccessKeyId")
	mXksSecretKey      = kmsmodel.XksProxyAuthenticationCredentialType.MustMember("RawSecretAccessKey")
	mXksConnectivity   = updateShape.MustMember("XksProxyConnectivity")
	mXksURIEndpoint    = updateShape.MustMember("XksProxyUriEndpoint")
	mXksURIPath        = updateShape.MustMember("XksProxyUriPath")
	mXksVpcServiceName = updateShape.MustMember("XksProxyVpcEndpointServiceName")
	mXksVpcOwner       = updateShape.MustMember("XksProxyVpcEndpointServiceOwner")
)

// Field names as problems name them: the member names, nested members
// dotted.
var (
	fieldInput                 = updateShape.Name
	fieldCustomKeyStoreID      = mCustomKeyStoreID.Name
	fieldCloudHsmClusterID     = mCloudHsmClusterID.Name
	fieldKeyStorePassword      = mKeyStorePassword.Name
	fieldNewCustomKeyStoreName = mNewName.Name
	fieldXksCredential         = mXksCredential.Name
	fieldXksAccessKeyID        = mXksCredential.Name + "." + mXksAccessKeyID.Name
	fieldXksSecretAccessKey    = mXksCredential.Name + "." + mXksSecretKey.Name
	fieldXksConnectivity       = mXksConnectivity.Name
	fieldXksURIEndpoint        = mXksURIEndpoint.Name
	fieldXksURIPath            = mXksURIPath.Name
	fieldXksVpcServiceName     = mXksVpcServiceName.Name
	fieldXksVpcServiceOwner    = mXksVpcOwner.Name
)

// maxQuotedRunes bounds how much of a non-secret value a message quotes.
const maxQuotedRunes = 40

// The model's patterns, as written there, for messages. They have Smithy
// (ECMA-262) meaning: not implicitly anchored, \d is [0-9]. The matchers
// below implement them by hand so that the valid path allocates nothing;
// validate_test.go checks each matcher against the model's compiled
// pattern.
var (
	patCloudHsmClusterID  = mCloudHsmClusterID.Pattern.Source
	patXksAccessKeyID     = mXksAccessKeyID.Pattern.Source
	patXksSecretAccessKey = mXksSecretKey.Pattern.Source
	patXksURIEndpoint     = mXksURIEndpoint.Pattern.Source
	patXksURIPath         = mXksURIPath.Pattern.Source
	patXksVpcServiceName  = mXksVpcServiceName.Pattern.Source
	patXksVpcServiceOwner = mXksVpcOwner.Pattern.Source
)

// Validate checks the input offline, before anything is sent, and returns
// nil or a *ValidationError that lists every problem at once: each member's
// length (counted in characters, i.e. Unicode code points), pattern and
// UTF-8 validity, in member order, then the rules that tie members together:
//
//   - CloudHSM members (CloudHsmClusterId, KeyStorePassword) and external key
//     store members (XksProxy*) cannot be mixed in one update.
//   - XksProxyConnectivity VPC_ENDPOINT_SERVICE cannot come with an empty
//     XksProxyVpcEndpointServiceName.
//   - XksProxyConnectivity PUBLIC_ENDPOINT: XksProxyVpcEndpointServiceName
//     must be nil or "" (the only case where "" is accepted, as the API
//     documentation asks) and XksProxyVpcEndpointServiceOwner must be nil.
//   - XksProxyAuthenticationCredential, when sent, needs both AccessKeyId and
//     RawSecretAccessKey.
//
// XksProxyConnectivity values this version does not know are sent as they
// are, as every AWS SDK does, so that a value AWS adds works without a
// library release; KMS judges them, and the rules above apply only to the
// known values. A value that differs from a known one only in case (such as
// "public_endpoint") is rejected: it is a typo, not a new value.
//
// Strings must also be valid UTF-8: JSON cannot carry anything else, and
// the encoder would change the value.
//
// The rules are the KMS service model's (internal/kmsmodel). Where AWS's
// documentation examples disagree with the model we follow the model: the
// example cluster ID cluster-1a23b4cdefg does not match the model pattern
// cluster-[2-7a-zA-Z]{11,16} ("1" is outside [2-7]; real cluster IDs are
// base32), and neither does an AccessKeyId such as ABCDE12345670EXAMPLE
// (the model asks for ^[A-Z2-7]+$).
//
// Anything the model and the documentation allow passes, even an update
// that only names the store: the client cannot see the store's type,
// connectivity or connection state, so the server judges whatever depends
// on them. In particular, the documentation asks for a new
// XksProxyUriEndpoint (and, for VPC_ENDPOINT_SERVICE, a service name) only
// when the update changes XksProxyConnectivity; sending the store's current
// connectivity alone is no change, so Validate accepts it and KMS decides.
// Problem texts never contain the value of a sensitive member
// (KeyStorePassword, AccessKeyId, RawSecretAccessKey).
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
		c.add(fieldCustomKeyStoreID, "required: "+lengthBelow(0, mCustomKeyStoreID.MinLen))
	default:
		c.member(mCustomKeyStoreID, fieldCustomKeyStoreID, *in.CustomKeyStoreId, nil)
	}
	if v := in.CloudHsmClusterId; v != nil {
		c.member(mCloudHsmClusterID, fieldCloudHsmClusterID, *v, matchCloudHsmClusterID)
	}
	if v := in.KeyStorePassword; v != nil {
		c.member(mKeyStorePassword, fieldKeyStorePassword, *v, nil)
	}
	if v := in.NewCustomKeyStoreName; v != nil {
		c.member(mNewName, fieldNewCustomKeyStoreName, *v, nil)
	}
	if cred := in.XksProxyAuthenticationCredential; cred != nil {
		const both = "required when XksProxyAuthenticationCredential is sent: KMS needs both AccessKeyId and RawSecretAccessKey, even if only one changes"
		if v := cred.AccessKeyId; v == nil {
			c.add(fieldXksAccessKeyID, both)
		} else {
			c.secret(mXksAccessKeyID, fieldXksAccessKeyID, *v, isXksAccessKeyIDByte, "[A-Z2-7]")
		}
		if v := cred.RawSecretAccessKey; v == nil {
			c.add(fieldXksSecretAccessKey, both)
		} else {
			c.secret(mXksSecretKey, fieldXksSecretAccessKey, *v, isXksSecretByte, "[a-zA-Z0-9/+=]")
		}
	}
	conn := in.XksProxyConnectivity
	if conn != "" && !mXksConnectivity.KnownEnum(string(conn)) {
		s := string(conn)
		if known, ok := mXksConnectivity.EnumFold(s); ok {
			c.add(fieldXksConnectivity, "did you mean "+known+"? "+quoteBounded(s)+
				" differs from it only in case; the values are "+strings.Join(mXksConnectivity.Enum, " and "))
		} else if !utf8.ValidString(s) {
			c.add(fieldXksConnectivity, "not valid UTF-8 (length "+strconv.Itoa(utf8.RuneCountInString(s))+
				"): a JSON request carries only valid UTF-8, so it would be sent changed (as U+FFFD)")
		}
		// Any other value is one this version does not know: it is
		// forwarded, and KMS judges it.
	}
	if v := in.XksProxyUriEndpoint; v != nil {
		c.member(mXksURIEndpoint, fieldXksURIEndpoint, *v, matchXksURIEndpoint)
	}
	if v := in.XksProxyUriPath; v != nil {
		c.member(mXksURIPath, fieldXksURIPath, *v, matchXksURIPath)
	}
	if v := in.XksProxyVpcEndpointServiceName; v != nil {
		minLen := mXksVpcServiceName.MinLen
		switch {
		case *v == "" && conn == XksProxyConnectivityTypePublicEndpoint:
			// The documented way to clear the name when switching to
			// PUBLIC_ENDPOINT, despite the model's minimum.
		case *v == "" && conn == XksProxyConnectivityTypeVpcEndpointService:
			c.add(fieldXksVpcServiceName, lengthBelow(0, minLen)+
				": XksProxyConnectivity VPC_ENDPOINT_SERVICE needs a non-empty name")
		case *v == "":
			c.add(fieldXksVpcServiceName, lengthBelow(0, minLen)+
				` ("" is accepted only with XksProxyConnectivity PUBLIC_ENDPOINT, to clear the name)`)
		default:
			c.member(mXksVpcServiceName, fieldXksVpcServiceName, *v, matchXksVpcServiceName)
		}
	}
	if v := in.XksProxyVpcEndpointServiceOwner; v != nil {
		c.member(mXksVpcOwner, fieldXksVpcServiceOwner, *v, matchXksVpcServiceOwner)
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
	if conn == XksProxyConnectivityTypePublicEndpoint {
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
		ve.add(fieldCustomKeyStoreID, "required: "+lengthBelow(0, mCustomKeyStoreID.MinLen))
		return ve
	}
	return nil
}

// xksMembersSent lists the external key store members in sends, in member
// order. Only called on the error path.
func (in *UpdateCustomKeyStoreInput) xksMembersSent() []string {
	return in.sentMembers(func(m *kmsmodel.Member) bool { return m.Stores == kmsmodel.External })
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

// member checks a non-secret string member: UTF-8, length and, when
// match is not nil, the model's pattern, quoting a bounded prefix of v.
func (c *problemCollector) member(m *kmsmodel.Member, field, v string, match func(string) bool) {
	n := c.text(field, v, m.MinLen, m.MaxLen)
	if v != "" && match != nil && !match(v) {
		c.add(field, patternMiss(m.Pattern.Source, v, n))
	}
}

// secret checks a sensitive string member whose pattern is one character
// class: UTF-8, length and pattern, naming the first position outside the
// class but never the value.
func (c *problemCollector) secret(m *kmsmodel.Member, field, v string, ok func(byte) bool, class string) {
	n := c.text(field, v, m.MinLen, m.MaxLen)
	if v == "" {
		return
	}
	if i := indexNotIn(v, ok); i >= 0 {
		c.add(field, "does not match the pattern "+m.Pattern.Source+" (length "+strconv.Itoa(n)+
			"; character "+strconv.Itoa(runeIndex(v, i)+1)+" is not in "+class+"; value not shown)")
	}
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
