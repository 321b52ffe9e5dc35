package kms

import (
	"slices"
	"strings"
)

// ValidationError reports input that was rejected before anything was sent.
// It lists every problem found: first each member's own rules in member
// order, then the rules that tie members together. Test for it with
// errors.As. Its text never holds the value of KeyStorePassword or
// XksProxyAuthenticationCredential.RawSecretAccessKey.
type ValidationError struct {
	problems []FieldProblem
	input    string   // the input type; "" is UpdateCustomKeyStoreInput
	order    []string // member order of input; nil is memberOrder
}

// FieldProblem is one rule that one input member breaks.
type FieldProblem struct {
	// Field is the AWS member name; nested members are dotted, as in
	// "XksProxyAuthenticationCredential.AccessKeyId".
	Field string
	// Reason says which rule the member breaks and, for a length or
	// pattern rule, the offending length in characters. It never holds the
	// value of a secret member.
	Reason string
}

// Error lists every problem, e.g.
// "kms: invalid UpdateCustomKeyStoreInput: CustomKeyStoreId: required".
func (e *ValidationError) Error() string {
	var b strings.Builder
	b.WriteString("kms: invalid ")
	if e != nil && e.input != "" {
		b.WriteString(e.input)
	} else {
		b.WriteString(fieldInput)
	}
	b.WriteString(": ")
	if e == nil || len(e.problems) == 0 {
		b.WriteString("no problem recorded")
		return b.String()
	}
	for i, p := range e.problems {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(p.Field)
		b.WriteString(": ")
		b.WriteString(p.Reason)
	}
	return b.String()
}

// Fields returns the AWS member names at fault, each once, in member order
// (the order of the fields of UpdateCustomKeyStoreInput).
func (e *ValidationError) Fields() []string {
	if e == nil {
		return nil
	}
	out := make([]string, 0, len(e.problems))
	for _, p := range e.problems {
		if !slices.Contains(out, p.Field) {
			out = append(out, p.Field)
		}
	}
	rank := memberRank
	if e.order != nil {
		rank = func(f string) int {
			if i := slices.Index(e.order, f); i >= 0 {
				return i
			}
			return len(e.order)
		}
	}
	slices.SortStableFunc(out, func(a, b string) int {
		return rank(a) - rank(b)
	})
	return out
}

// Problems returns every problem found, in the order described on
// ValidationError. The slice is a copy.
func (e *ValidationError) Problems() []FieldProblem {
	if e == nil {
		return nil
	}
	return append([]FieldProblem(nil), e.problems...)
}

// add records a problem.
func (e *ValidationError) add(field, reason string) {
	e.problems = append(e.problems, FieldProblem{Field: field, Reason: reason})
}

// orNil returns e as an error, or nil when it holds no problem.
func (e *ValidationError) orNil() error {
	if e == nil || len(e.problems) == 0 {
		return nil
	}
	return e
}

// memberOrder lists the member names a problem can name, in member order.
var memberOrder = [...]string{
	fieldInput,
	fieldCustomKeyStoreID,
	fieldCloudHsmClusterID,
	fieldKeyStorePassword,
	fieldNewCustomKeyStoreName,
	fieldXksCredential,
	fieldXksAccessKeyID,
	fieldXksSecretAccessKey,
	fieldXksConnectivity,
	fieldXksURIEndpoint,
	fieldXksURIPath,
	fieldXksVpcServiceName,
	fieldXksVpcServiceOwner,
}

// memberRank is the position of field in memberOrder; unknown names sort
// last.
func memberRank(field string) int {
	for i, f := range memberOrder {
		if f == field {
			return i
		}
	}
	return len(memberOrder)
}
