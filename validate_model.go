package kms

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/kmskit/kms/internal/kmsmodel"
)

// shapeProblems collects the problems of one input of the custom key store
// lifecycle operations, checking each member against its internal/kmsmodel
// facts (length, pattern, enum, range, sensitivity). Its messages never
// hold the value of a sensitive member.
type shapeProblems struct {
	problemCollector
	shape *kmsmodel.Shape
}

func newShapeProblems(shape *kmsmodel.Shape) *shapeProblems {
	return &shapeProblems{shape: shape}
}

// result returns nil or the *ValidationError naming the input type.
func (p *shapeProblems) result() error {
	if p.err == nil {
		return nil
	}
	p.err.input = p.shape
	return p.err
}

// required records a missing or empty model-required string member and
// reports whether v is set and non-empty.
func (p *shapeProblems) required(name string, v *string) bool {
	m := p.shape.MustMember(name)
	switch {
	case v == nil:
		p.add(name, "required")
		return false
	case *v == "":
		p.add(name, "required: "+lengthBelow(0, m.MinLen))
		return false
	}
	return true
}

// str checks a set string member against the model.
func (p *shapeProblems) str(name string, v *string) {
	if v != nil {
		p.check(p.shape.MustMember(name), name, *v)
	}
}

// check checks v, the value of model member m reported as field.
func (p *shapeProblems) check(m *kmsmodel.Member, field, v string) {
	n := utf8.RuneCountInString(v)
	if m.HasLength {
		n = p.text(field, v, m.MinLen, m.MaxLen)
	} else if !utf8.ValidString(v) {
		p.text(field, v, 0, n)
	}
	if match := matcherOf(m.Pattern); match != nil && v != "" && !match(v) {
		if m.Sensitive {
			p.add(field, "does not match the pattern "+m.Pattern.Source+" (length "+strconv.Itoa(n)+"; value not shown)")
		} else {
			p.add(field, patternMiss(m.Pattern.Source, v, n))
		}
	}
}

// enum checks a non-empty enum member. As for XksProxyConnectivity in
// UpdateCustomKeyStoreInput, a value this version does not know is sent as
// it is, for KMS to judge (AWS may add values), but one that differs from a
// known value only in case is a typo and is rejected, and so is invalid
// UTF-8.
func (p *shapeProblems) enum(name, v string) {
	if v == "" {
		return
	}
	m := p.shape.MustMember(name)
	if m.KnownEnum(v) {
		return
	}
	if known, ok := m.EnumFold(v); ok {
		p.add(name, "did you mean "+known+"? "+quoteBounded(v)+" differs from it only in case; the values are "+
			strings.Join(m.Enum, " and "))
	} else if !utf8.ValidString(v) {
		p.add(name, "not valid UTF-8 (length "+strconv.Itoa(utf8.RuneCountInString(v))+
			"): a JSON request carries only valid UTF-8, so it would be sent changed (as U+FFFD)")
	}
}

// integer checks a set integer member against the model's range.
func (p *shapeProblems) integer(name string, v *int32) {
	if v == nil {
		return
	}
	m := p.shape.MustMember(name)
	if m.HasRange && (int64(*v) < m.MinValue || int64(*v) > m.MaxValue) {
		p.add(name, strconv.Itoa(int(*v))+" is outside the range "+
			strconv.FormatInt(m.MinValue, 10)+"-"+strconv.FormatInt(m.MaxValue, 10))
	}
}

// credential checks an XksProxyAuthenticationCredential member: both of
// its members are required and checked against the model.
func (p *shapeProblems) credential(name string, c *XksProxyAuthenticationCredentialType) {
	if c == nil {
		return
	}
	shape := kmsmodel.XksProxyAuthenticationCredentialType
	for _, im := range shape.Members {
		v := c.AccessKeyId
		if im.Name == "RawSecretAccessKey" {
			v = c.RawSecretAccessKey
		}
		field := name + "." + im.Name
		if v == nil {
			p.add(field, "required when "+name+" is sent: KMS needs both AccessKeyId and RawSecretAccessKey")
			continue
		}
		p.check(&im, field, *v)
	}
}

// nilInput is the error for a nil input of an operation that needs one.
func nilInput(shape *kmsmodel.Shape) error {
	p := newShapeProblems(shape)
	p.add(shape.Name, "required: input is nil")
	return p.result()
}

// matcherOf returns the hand-written matcher of a model pattern. Each one
// allocates nothing and answers exactly as the pattern compiled with Smithy's
// unanchored semantics (TestMatcherOfAgreesWithModel, FuzzValidate), so the
// client never compiles a pattern and does not link package regexp. A
// pattern without a matcher (none in kmsmodel.Patterns: the test fails if one
// is added without) gets nil, and is left for KMS to check.
func matcherOf(p *kmsmodel.Pattern) func(string) bool {
	switch p {
	case kmsmodel.PatternCloudHsmClusterId:
		return matchCloudHsmClusterID
	case kmsmodel.PatternXksProxyUriEndpoint:
		return matchXksURIEndpoint
	case kmsmodel.PatternXksProxyUriPath:
		return matchXksURIPath
	case kmsmodel.PatternXksProxyVpcEndpointServiceName:
		return matchXksVpcServiceName
	case kmsmodel.PatternAccountId:
		return matchXksVpcServiceOwner
	case kmsmodel.PatternXksProxyAuthenticationAccessKeyId:
		return matchXksAccessKeyID
	case kmsmodel.PatternXksProxyAuthenticationRawSecretAccessKey:
		return matchXksSecret
	case kmsmodel.PatternMarker:
		return matchMarker
	}
	return nil
}

// matchXksAccessKeyID reports whether s matches ^[A-Z2-7]+$.
func matchXksAccessKeyID(s string) bool { return s != "" && indexNotIn(s, isXksAccessKeyIDByte) < 0 }

// matchXksSecret reports whether s matches ^[a-zA-Z0-9\/+=]+$.
func matchXksSecret(s string) bool { return s != "" && indexNotIn(s, isXksSecretByte) < 0 }

// matchMarker reports whether [\u0020-\u00FF]* matches somewhere in s: it
// always does, since unanchored it matches the empty string at the start.
// (KMS's documented Marker rule is that it is the NextMarker it returned;
// the length is checked as for every member.)
func matchMarker(string) bool { return true }
