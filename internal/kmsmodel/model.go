// Package kmsmodel is the KMS service model of the custom key store
// operations, written once: shapes and their members (wire name, Go name,
// order, length, pattern, enum values, sensitivity, store type, the
// connection states that allow changing them), the six operations and the
// error codes each documents, every exception with its HTTP status and
// fault, the throttling codes, and the ConnectionState and
// ConnectionErrorCode values with their documented meaning and fix.
//
// It is data (plain structs, slices and constants, no reflection) and the
// store-aware rules of UpdateCustomKeyStore written as code over a store
// snapshot (CheckUpdate). The client (package kms), the planner (package
// safeupdate) and the fake (package kmstest) all read it; none keeps a copy. Facts come from the published KMS model (2014-11-01) as
// extracted in the custom key store lifecycle and UpdateCustomKeyStore API
// documentation.
package kmsmodel

import "strings"

// Kind is the Smithy type of a member.
type Kind uint8

// The kinds the custom key store shapes use.
const (
	KindString Kind = iota + 1
	KindInteger
	KindBoolean
	KindTimestamp
	KindStructure
	KindList
)

// StoreTypes says which custom key store types a member applies to.
type StoreTypes uint8

// The store types. A member of both applies to every custom key store.
const (
	CloudHSM   StoreTypes = 1 << iota // AWS_CLOUDHSM key stores
	External                          // EXTERNAL_KEY_STORE key stores
	BothStores = CloudHSM | External
)

// Has reports whether s includes t.
func (s StoreTypes) Has(t StoreTypes) bool { return s&t == t }

// String is "AWS_CLOUDHSM", "EXTERNAL_KEY_STORE" or "both".
func (s StoreTypes) String() string {
	switch s {
	case CloudHSM:
		return CustomKeyStoreTypeAwsCloudhsm
	case External:
		return CustomKeyStoreTypeExternalKeyStore
	case BothStores:
		return "both"
	}
	return "none"
}

// ChangeRule says in which ConnectionState UpdateCustomKeyStore may change
// a member.
type ChangeRule uint8

// The change rules of UpdateCustomKeyStore's members.
const (
	// ChangeNever: the member identifies the store or is not a property.
	ChangeNever ChangeRule = iota
	// ChangeWhileDisconnected: only while the store is DISCONNECTED.
	ChangeWhileDisconnected
	// ChangeWhileConnectedOrDisconnected: while CONNECTED or DISCONNECTED.
	ChangeWhileConnectedOrDisconnected
)

// Allows reports whether a store in state may have the member changed.
func (r ChangeRule) Allows(state string) bool {
	switch r {
	case ChangeWhileDisconnected:
		return state == ConnectionStateDisconnected
	case ChangeWhileConnectedOrDisconnected:
		return state == ConnectionStateConnected || state == ConnectionStateDisconnected
	}
	return false
}

// States lists the ConnectionState values that allow the change.
func (r ChangeRule) States() []string {
	switch r {
	case ChangeWhileDisconnected:
		return []string{ConnectionStateDisconnected}
	case ChangeWhileConnectedOrDisconnected:
		return []string{ConnectionStateConnected, ConnectionStateDisconnected}
	}
	return nil
}

// Member is one member of a shape.
type Member struct {
	// Name is the member name on the wire (awsJson1.1), e.g. "CustomKeyStoreId".
	Name string
	// GoName is the field name in aws-sdk-go-v2 (and in package kms).
	GoName string
	// Order is the member's position in the Go struct (0-based): the
	// required members first, then the rest alphabetically, as
	// aws-sdk-go-v2 generates them. Problems are reported in this order.
	Order int
	// Kind is the Smithy type.
	Kind Kind
	// Target names the target shape: a structure's or list element's shape,
	// or the model's simple shape name (e.g. "CustomKeyStoreIdType").
	Target string
	// Required: the model requires the member (@required).
	Required bool
	// RequiredFor: the documentation requires the member for these store
	// types although the model does not (CreateCustomKeyStore).
	RequiredFor StoreTypes
	// RequiredWhenConnectivity: the documentation requires the member when
	// XksProxyConnectivity has this value (e.g. VPC_ENDPOINT_SERVICE).
	RequiredWhenConnectivity string
	// MinLen and MaxLen bound a string's length in characters (Unicode code
	// points); HasLength says whether the model has a @length trait.
	MinLen, MaxLen int
	HasLength      bool
	// MinValue and MaxValue bound an integer (@range); HasRange says
	// whether there is one.
	MinValue, MaxValue int64
	HasRange           bool
	// Pattern is the @pattern trait, or nil.
	Pattern *Pattern
	// Enum lists the known values of an enum member, or nil.
	Enum []string
	// Sensitive: the model marks the value @sensitive; it is never printed,
	// logged or recorded.
	Sensitive bool
	// Stores says which custom key store types the member applies to.
	Stores StoreTypes
	// Change says when UpdateCustomKeyStore may change the member (only on
	// UpdateCustomKeyStoreInput).
	Change ChangeRule
}

// IsEnum reports whether the member has an enum trait.
func (m *Member) IsEnum() bool { return len(m.Enum) > 0 }

// KnownEnum reports whether v is one of the member's enum values.
func (m *Member) KnownEnum(v string) bool {
	for _, e := range m.Enum {
		if e == v {
			return true
		}
	}
	return false
}

// EnumFold returns the known enum value equal to v ignoring case, and
// whether there is one. It is how "public_endpoint" is caught offline.
func (m *Member) EnumFold(v string) (string, bool) {
	for _, e := range m.Enum {
		if strings.EqualFold(e, v) {
			return e, true
		}
	}
	return "", false
}

// ValidationPath is the member path AWS uses in ValidationException
// messages: the name with its first letter lowered ("customKeyStoreId").
func ValidationPath(name string) string {
	if name == "" || name[0] < 'A' || name[0] > 'Z' {
		return name
	}
	return string(name[0]+'a'-'A') + name[1:]
}

// Shape is a structure: its members in Order.
type Shape struct {
	Name    string
	Members []Member
}

// Member returns the member named name (wire name), or nil.
func (s *Shape) Member(name string) *Member {
	for i := range s.Members {
		if s.Members[i].Name == name {
			return &s.Members[i]
		}
	}
	return nil
}

// MustMember is Member for names the caller knows exist; it panics
// otherwise (a programming error caught by any test).
func (s *Shape) MustMember(name string) *Member {
	m := s.Member(name)
	if m == nil {
		panic("kmsmodel: " + s.Name + " has no member " + name)
	}
	return m
}

// WireOrder returns the member names in the order the official SDK's
// serializer writes them: sorted by name.
func (s *Shape) WireOrder() []string {
	out := make([]string, len(s.Members))
	for i, m := range s.Members {
		out[i] = m.Name
	}
	sortStrings(out)
	return out
}

func sortStrings(a []string) {
	for i := 1; i < len(a); i++ {
		for j := i; j > 0 && a[j] < a[j-1]; j-- {
			a[j], a[j-1] = a[j-1], a[j]
		}
	}
}

// Pattern is a model @pattern. It has Smithy (ECMA-262) meaning: it is not
// implicitly anchored, so a pattern without ^ and $ matches if it matches
// anywhere in the value; \d is [0-9]. This package keeps only its source:
// the client checks each pattern with a hand-written matcher (tested against
// the compiled source), and code that wants a compiled pattern (the fake,
// tests) gets it from internal/kmsmodel/modelregexp, so that the client does
// not link package regexp.
type Pattern struct {
	// Source is the pattern exactly as the model writes it.
	Source string
}
