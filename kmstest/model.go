package kmstest

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/kmskit/kms/internal/kmsmodel"
)

// problem is one model constraint that one member breaks.
type problem struct {
	path   string // AWS validation path, e.g. "xksProxyAuthenticationCredential.accessKeyId"
	value  *string
	secret bool
	rule   string
}

// String formats p as AWS does in a ValidationException message.
func (p problem) String() string {
	switch {
	case p.value == nil:
		return fmt.Sprintf("Value at '%s' failed to satisfy constraint: %s", p.path, p.rule)
	case p.secret:
		return fmt.Sprintf("Value '%s' at '%s' failed to satisfy constraint: %s", redactedValue, p.path, p.rule)
	}
	return fmt.Sprintf("Value '%s' at '%s' failed to satisfy constraint: %s", echo(*p.value), p.path, p.rule)
}

// redactedValue replaces secret values in validation messages.
const redactedValue = Redacted

// validationError returns the ValidationException for probs, or nil.
func validationError(probs []problem) *apiError {
	if len(probs) == 0 {
		return nil
	}
	var b strings.Builder
	if len(probs) == 1 {
		b.WriteString("1 validation error detected: ")
	} else {
		fmt.Fprintf(&b, "%d validation errors detected: ", len(probs))
	}
	for i, p := range probs {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(p.String())
	}
	return newError(CodeValidation, b.String())
}

// checkMember appends to probs every length, pattern and enum rule of the
// model member m that v breaks. Lengths count Unicode code points; patterns
// have Smithy's unanchored meaning.
func checkMember(probs []problem, m *kmsmodel.Member, path string, v *string) []problem {
	if v == nil {
		return probs
	}
	add := func(rule string) {
		probs = append(probs, problem{path: path, value: v, secret: m.Sensitive, rule: rule})
	}
	if m.IsEnum() {
		if !m.KnownEnum(*v) {
			add("Member must satisfy enum value set: [" + strings.Join(m.Enum, ", ") + "]")
		}
		return probs
	}
	if m.HasLength {
		n := utf8.RuneCountInString(*v)
		if n < m.MinLen {
			add(fmt.Sprintf("Member must have length greater than or equal to %d", m.MinLen))
		}
		if n > m.MaxLen {
			add(fmt.Sprintf("Member must have length less than or equal to %d", m.MaxLen))
		}
	}
	if m.Pattern != nil && !m.Pattern.MatchString(*v) {
		add("Member must satisfy regular expression pattern: " + m.Pattern.Source)
	}
	return probs
}

// clearsServiceName reports whether in sends XksProxyVpcEndpointServiceName
// "" with XksProxyConnectivity PUBLIC_ENDPOINT: the API documents it as the
// way to clear the service name, despite the model's minimum length.
func clearsServiceName(in updateInput) bool {
	return in.XksProxyVpcEndpointServiceName != nil && *in.XksProxyVpcEndpointServiceName == "" &&
		in.XksProxyConnectivity != nil && *in.XksProxyConnectivity == kmsmodel.XksProxyConnectivityPublicEndpoint
}

// validateModel checks in against the model and returns the problems found,
// after those already in probs (wrong JSON types), in member order.
func validateModel(in updateInput, probs []problem) []problem {
	return validateShape(kmsmodel.UpdateCustomKeyStoreInput, "", in.value, probs, func(m *kmsmodel.Member) bool {
		return m.Name == "XksProxyVpcEndpointServiceName" && clearsServiceName(in)
	})
}

// validateShape checks the members of shape, whose string values value
// returns by dotted member name (nil when absent), in member order.
// Members for which skip is true are not checked. A structure member is
// present when value returns non-nil for its name.
func validateShape(shape *kmsmodel.Shape, prefix string, value func(name string) *string, probs []problem, skip func(*kmsmodel.Member) bool) []problem {
	for i := range shape.Members {
		m := &shape.Members[i]
		name := prefix + m.Name
		path := validationPath(name)
		v := value(name)
		if m.Required && v == nil && !hasPath(probs, path) {
			probs = append(probs, problem{path: path, rule: "Member must not be null"})
		}
		if v == nil || skip(m) {
			continue
		}
		if m.Kind == kmsmodel.KindStructure {
			if sub := kmsmodel.ShapeNamed(m.Target); sub != nil {
				probs = validateShape(sub, name+".", value, probs, skip)
			}
			continue
		}
		probs = checkMember(probs, m, path, v)
	}
	return probs
}

// validationPath is the path AWS names a (dotted) member by in validation
// messages: "xksProxyAuthenticationCredential.accessKeyId".
func validationPath(name string) string {
	parts := strings.Split(name, ".")
	for i, p := range parts {
		parts[i] = kmsmodel.ValidationPath(p)
	}
	return strings.Join(parts, ".")
}

// hasPath reports whether probs already has a problem at path.
func hasPath(probs []problem, path string) bool {
	for _, p := range probs {
		if p.path == path {
			return true
		}
	}
	return false
}
