package kms

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/kmskit/kms/internal/kmsmodel"
)

// validate checks in offline: each member against its internal/kmsmodel
// facts (required, length in characters, pattern, enum, range, UTF-8), in
// member order, then the documented rules that tie members together. With
// full false (Options.DisableClientValidation) it checks only that the
// required members are there. It returns nil or a *ValidationError whose
// texts never hold a secret's value, and allocates nothing for a valid
// input.
func (t *table[T]) validate(in T, full bool) error {
	if t.isNil(in) {
		if t.nilOK {
			return nil
		}
		return nilInput(t.shape)
	}
	var p problems
	for i := range t.members {
		m := &t.members[i]
		if m.parent >= 0 && (!full || !t.members[m.parent].at(in).obj) {
			continue // a structure's members count only when it is sent
		}
		r := m.at(in)
		switch {
		case !r.sent() && m.Required && m.parent >= 0:
			parent := t.members[m.parent].Member
			p.add(m.field, "required when "+parent.Name+" is sent: KMS needs "+requiredNames(kmsmodel.ShapeNamed(parent.Target)))
		case !r.sent() && m.Required:
			p.add(m.field, "required")
		case !r.sent():
		case m.Required && r.str != nil && **r.str == "":
			p.add(m.field, "required: "+lengthBelow(0, m.MinLen))
		case !full:
		case r.str != nil && !(**r.str == "" && m.EmptyWithConnectivity != ""): // a documented "" is the rules' to judge
			p.str(m.Member, m.field, **r.str)
		case r.enum != nil:
			p.enum(m.Member, m.field, *r.enum)
		case r.num != nil:
			if v := int64(**r.num); m.HasRange && (v < m.MinValue || v > m.MaxValue) {
				p.add(m.field, strconv.FormatInt(v, 10)+" is outside the range "+
					strconv.FormatInt(m.MinValue, 10)+"-"+strconv.FormatInt(m.MaxValue, 10))
			}
		}
	}
	if full && t.rules != nil {
		p = t.rules(t, in, p)
	}
	return p.result(t.shape)
}

// requiredNames names the required members of a structure: "both
// AccessKeyId and RawSecretAccessKey".
func requiredNames(shape *kmsmodel.Shape) string {
	var names []string
	for _, m := range shape.Members {
		if m.Required {
			names = append(names, m.Name)
		}
	}
	return "both " + strings.Join(names, " and ")
}

// problems collects the problems of one input; it allocates only when it
// records one.
type problems struct {
	err *ValidationError
}

func (p *problems) add(field, reason string) {
	if p.err == nil {
		p.err = &ValidationError{}
	}
	p.err.add(field, reason)
}

// result returns nil or the *ValidationError about shape.
func (p *problems) result(shape *kmsmodel.Shape) error {
	if p.err != nil {
		p.err.input = shape
	}
	return p.err.orNil()
}

// str checks a set string member: the redaction marker for a secret,
// UTF-8, length and pattern. A secret's value is never quoted.
func (p *problems) str(m *kmsmodel.Member, field, v string) {
	if m.Sensitive && v == redactedText {
		p.add(field, "is "+redactedText+", the marker this package prints in place of a secret: the value was lost when the input was printed or encoded; set the real value")
		return
	}
	n := utf8.RuneCountInString(v)
	if !utf8.ValidString(v) {
		p.add(field, invalidUTF8(v, n))
	}
	switch {
	case !m.HasLength:
	case n < m.MinLen:
		p.add(field, lengthBelow(n, m.MinLen))
	case n > m.MaxLen:
		p.add(field, "length "+strconv.Itoa(n)+" is above the maximum "+strconv.Itoa(m.MaxLen))
	}
	if m.Pattern == nil || v == "" || m.Pattern.MatchString(v) {
		return
	}
	if !m.Sensitive {
		p.add(field, "does not match the pattern "+m.Pattern.Source+" (length "+strconv.Itoa(n)+", value "+quoteBounded(v)+")")
		return
	}
	p.add(field, "does not match the pattern "+m.Pattern.Source+" (length "+strconv.Itoa(n)+outsideClass(m.Pattern, v)+"; value not shown)")
}

// outsideClass names, for a pattern that is one character class
// (^[...]+$), the first character of v outside it: "; character 6 is not
// in [A-Z2-7]". It is "" for other patterns.
func outsideClass(p *kmsmodel.Pattern, v string) string {
	class, open := strings.CutPrefix(p.Source, "^[")
	class, closed := strings.CutSuffix(class, "]+$")
	if !open || !closed || strings.ContainsAny(class, "[]") {
		return ""
	}
	for i, end := 0, 0; end < len(v); i++ {
		_, size := utf8.DecodeRuneInString(v[end:])
		if end += size; !p.MatchString(v[:end]) {
			return "; character " + strconv.Itoa(i+1) + " is not in [" + strings.ReplaceAll(class, `\/`, "/") + "]"
		}
	}
	return ""
}

// enum checks a set enum member. A value this version does not know is
// sent as it is, for KMS to judge, as every AWS SDK does (AWS may add
// values), but one that differs from a known value only in case is a typo,
// and invalid UTF-8 would be sent changed.
func (p *problems) enum(m *kmsmodel.Member, field, v string) {
	if m.KnownEnum(v) {
		return
	}
	if known, ok := m.EnumFold(v); ok {
		p.add(field, "did you mean "+known+"? "+quoteBounded(v)+" differs from it only in case; the values are "+
			strings.Join(m.Enum, " and "))
	} else if !utf8.ValidString(v) {
		p.add(field, invalidUTF8(v, utf8.RuneCountInString(v)))
	}
}

// invalidUTF8 is the problem of a string that is not valid UTF-8; it names
// the first invalid byte's position, never the value.
func invalidUTF8(v string, n int) string {
	k := 0
	for i := 0; i < len(v); k++ {
		r, size := utf8.DecodeRuneInString(v[i:])
		if r == utf8.RuneError && size == 1 {
			break
		}
		i += size
	}
	return "not valid UTF-8 (length " + strconv.Itoa(n) + "; character " + strconv.Itoa(k+1) +
		" is an invalid byte): a JSON request carries only valid UTF-8, so it would be sent changed (as U+FFFD)"
}

func lengthBelow(n, minLen int) string {
	return "length " + strconv.Itoa(n) + " is below the minimum " + strconv.Itoa(minLen)
}

// maxQuotedRunes bounds how much of a non-secret value a message quotes.
const maxQuotedRunes = 40

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

// nilInput is the error for a nil input of an operation that needs one.
func nilInput(shape *kmsmodel.Shape) error {
	var p problems
	p.add(shape.Name, "required: input is nil")
	return p.result(shape)
}
