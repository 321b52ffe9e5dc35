package kms

import (
	"slices"
	"strings"

	"github.com/kmskit/kms/internal/kmsmodel"
)

// ValidationError reports input that was rejected before anything was sent.
// It lists every problem found: first each member's own rules in member
// order, then the rules that tie members together. Test for it with
// errors.As. Its text never holds the value of a sensitive member:
// KeyStorePassword, XksProxyAuthenticationCredential.AccessKeyId or
// XksProxyAuthenticationCredential.RawSecretAccessKey.
type ValidationError struct {
	input    *kmsmodel.Shape // the input shape checked; nil means UpdateCustomKeyStoreInput
	problems []FieldProblem
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
	b.WriteString(e.shape().Name)
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
// (the order of the fields of the input type; nested members right after
// their parent).
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
	shape := e.shape()
	slices.SortStableFunc(out, func(a, b string) int {
		return memberRank(shape, a) - memberRank(shape, b)
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

// NewValidationError returns a *ValidationError about the input type
// named input (such as "UpdateCustomKeyStoreInput" or
// "CreateCustomKeyStoreInput"; an unknown name means
// UpdateCustomKeyStoreInput) with problems, in the order given. It is for
// code built on the client that checks an input against what it reads from
// KMS, such as package safeupdate, so that every input rule is reported the
// same way. A reason must not hold the value of a secret member.
func NewValidationError(input string, problems ...FieldProblem) *ValidationError {
	return &ValidationError{input: kmsmodel.ShapeNamed(input), problems: append([]FieldProblem(nil), problems...)}
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

// shape returns the input shape e is about.
func (e *ValidationError) shape() *kmsmodel.Shape {
	if e == nil || e.input == nil {
		return kmsmodel.UpdateCustomKeyStoreInput
	}
	return e.input
}

// memberRank is the position of field in the member order of shape: the
// input itself first, then each member in model order with its nested
// members (dotted, as "XksProxyAuthenticationCredential.AccessKeyId")
// right after it. Unknown names sort last.
func memberRank(shape *kmsmodel.Shape, field string) int {
	if field == shape.Name {
		return 0
	}
	const nestedMax = 64
	parent, child, nested := strings.Cut(field, ".")
	for _, m := range shape.Members {
		if m.Name != parent {
			continue
		}
		rank := (m.Order + 1) * nestedMax
		if !nested {
			return rank
		}
		if sub := kmsmodel.ShapeNamed(m.Target); sub != nil {
			if cm := sub.Member(child); cm != nil {
				return rank + cm.Order + 1
			}
		}
		return rank + nestedMax - 1
	}
	return (len(shape.Members) + 1) * nestedMax
}
