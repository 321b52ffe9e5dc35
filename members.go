package kms

import (
	"slices"
	"strings"
	"time"

	"github.com/kmskit/kms/internal/kmsmodel"
)

// The member tables. Each input, and each structure the package prints,
// lists its members here once, each with the Go field that holds it; what
// a member is (wire name, bounds, pattern, enum, sensitivity, store type,
// the state that allows changing it) is internal/kmsmodel's. The encoder,
// Validate, the printers, the secrets handed to the scrubber,
// RequiresDisconnect and the state advice all read them
// (TestMemberTablesCoverEveryMember checks each against every member).

// ref points at one member's field in a value: one pointer set by the
// member's kind, none for a member of a structure that is not set; obj
// reports whether a structure member is set.
type ref struct {
	str  **string
	enum *string
	num  **int32
	when **time.Time
	obj  bool
}

// sent reports whether the member is set: sent, validated and printed.
func (r ref) sent() bool {
	switch {
	case r.str != nil:
		return *r.str != nil
	case r.enum != nil:
		return *r.enum != ""
	case r.num != nil:
		return *r.num != nil
	case r.when != nil:
		return *r.when != nil
	}
	return r.obj
}

// member is one member of T.
type member[T any] struct {
	*kmsmodel.Member
	field  string // as problems name it: Name, after its structure's name and a dot when nested
	parent int    // the index of the structure member it is nested in, or -1
	at     func(T) ref
	clone  func(T) // a structure member: points it at a copy of its structure
}

// table is the member table of T: its members in model order (the order of
// the Go fields), a structure's members right after it.
type table[T any] struct {
	op      *kmsmodel.Operation // the operation T is the input of; nil for a structure
	shape   *kmsmodel.Shape
	members []member[T]
	order   []int // member indices in member order
	wire    []int // member indices in the order the official SDK writes them: by name
	// rules adds the problems of the documented cross-member rules; nil if none.
	rules func(t *table[T], in T, p problems) problems
	nilOK bool // a nil input is valid: it has no required member
	// refuse: GobEncode and MarshalText refuse a value with a secret set
	// (an input, or part of one: decoding it back would lose the secret).
	refuse bool
	isNil  func(T) bool // T is a pointer to the value
}

// str, enum, num and when are the table entries of a member held in a
// *string, an enum type, an *int32 or a *time.Time field.
func str[T any](f func(T) **string) []member[T] {
	return []member[T]{{at: func(in T) ref { return ref{str: f(in)} }}}
}

func enum[T any](f func(T) *string) []member[T] {
	return []member[T]{{at: func(in T) ref { return ref{enum: f(in)} }}}
}

func num[T any](f func(T) **int32) []member[T] {
	return []member[T]{{at: func(in T) ref { return ref{num: f(in)} }}}
}

func when[T any](f func(T) **time.Time) []member[T] {
	return []member[T]{{at: func(in T) ref { return ref{when: f(in)} }}}
}

// nested is the table entry of a structure member held in a *C field: the
// member itself, then the members of sub reached through it.
func nested[T any, C any](f func(T) **C, sub *table[*C]) []member[T] {
	out := []member[T]{{at: func(in T) ref { return ref{obj: *f(in) != nil} }, clone: func(in T) {
		if c := *f(in); c != nil {
			cp := *c
			*f(in) = &cp
		}
	}}}
	for _, m := range sub.members {
		at := m.at
		out = append(out, member[T]{Member: m.Member, at: func(in T) ref {
			if c := *f(in); c != nil {
				return at(c)
			}
			return ref{}
		}})
	}
	return out
}

// newTable pairs shape's members, in order, with the entries that say
// where T holds them. It panics unless every member has one: a member the
// model adds cannot be forgotten.
func newTable[E any](op *kmsmodel.Operation, shape *kmsmodel.Shape, rules func(*table[*E], *E, problems) problems, entries ...[]member[*E]) *table[*E] {
	if op != nil {
		shape = op.Input
	}
	if len(entries) != len(shape.Members) {
		panic("kms: the member table of " + shape.Name + " does not list every member of the model")
	}
	t := &table[*E]{op: op, shape: shape, rules: rules, refuse: true, nilOK: true, isNil: func(in *E) bool { return in == nil }}
	for i, group := range entries {
		parent := len(t.members)
		for j, m := range group {
			m.parent, m.field = -1, shape.Members[i].Name
			if j == 0 {
				m.Member = &shape.Members[i]
			} else {
				m.parent, m.field = parent, m.field+"."+m.Name
			}
			t.order, t.wire = append(t.order, len(t.members)), append(t.wire, len(t.members))
			t.nilOK = t.nilOK && (m.parent >= 0 || !m.Required) // no required member: nil is a valid input
			t.members = append(t.members, m)
		}
	}
	// "A.B" sorts right after "A", before any other member.
	slices.SortFunc(t.wire, func(a, b int) int { return strings.Compare(t.members[a].field, t.members[b].field) })
	return t
}

// cursor walks the members of in that are set, in order (t.order or
// t.wire), for the printers and the encoder.
type cursor[T any] struct {
	t     *table[T]
	in    T
	order []int
	k     int
	// After next: closed, a structure's members ended before this member;
	// sep, it follows another member at its level. open: inside a
	// structure.
	closed, sep, open, first bool
}

func (t *table[T]) cursor(in T, order []int) cursor[T] {
	return cursor[T]{t: t, in: in, order: order, first: true}
}

// next returns the next member that is set, or ok false at the end.
func (c *cursor[T]) next() (m *member[T], r ref, ok bool) {
	for ; !c.t.isNil(c.in) && c.k < len(c.order); c.k++ {
		if m, r = &c.t.members[c.order[c.k]], c.t.members[c.order[c.k]].at(c.in); r.sent() {
			c.k++
			c.closed = c.open && m.parent < 0
			if c.closed {
				c.open, c.first = false, false
			}
			c.sep, c.first = !c.first, false
			return m, r, true
		}
	}
	return nil, ref{}, false
}

// enter starts the members of the structure member next returned.
func (c *cursor[T]) enter() { c.open, c.first = true, true }

// outputTable is the table of a structure KMS returns: it encodes its
// secrets redacted rather than refuse them.
func outputTable[E any](shape *kmsmodel.Shape, entries ...[]member[*E]) *table[*E] {
	t := newTable(nil, shape, nil, entries...)
	t.refuse = false
	return t
}

// names returns the names of the members, not nested, that satisfy keep
// and, unless in is nil, are set in in, in member order, or nil.
func (t *table[T]) names(in T, keep func(*kmsmodel.Member) bool) []string {
	var out []string
	for i := range t.members {
		if m := &t.members[i]; m.parent < 0 && keep(m.Member) && (t.isNil(in) || m.at(in).sent()) {
			out = append(out, m.Name)
		}
	}
	return out
}

// sendsAny reports whether in sets a member, not nested, that satisfies
// keep. It allocates nothing.
func (t *table[T]) sendsAny(in T, keep func(*kmsmodel.Member) bool) bool {
	for i := range t.members {
		if m := &t.members[i]; !t.isNil(in) && m.parent < 0 && keep(m.Member) && m.at(in).sent() {
			return true
		}
	}
	return false
}

// secrets returns the values of in's sensitive members that are set (what
// the sender's scrubber removes from every text a server sends back) and
// their fields.
func (t *table[T]) secrets(in T) (values, fields []string) {
	for i := range t.members {
		if m := &t.members[i]; !t.isNil(in) && m.Sensitive && m.at(in).sent() {
			values, fields = append(values, **m.at(in).str), append(fields, m.field)
		}
	}
	return values, fields
}

// deepen gives every string and structure member of in a copy of its own.
func (t *table[T]) deepen(in T) {
	for i := range t.members {
		if m := &t.members[i]; m.clone != nil {
			m.clone(in)
		} else if r := m.at(in); r.str != nil && *r.str != nil {
			v := **r.str
			*r.str = &v
		}
	}
}

// UpdateMember is one member an UpdateCustomKeyStoreInput sends, as the
// client's member table reads it.
type UpdateMember struct {
	Name      string             // the AWS member name, e.g. "XksProxyUriEndpoint"
	Value     string             // the value sent; "" for a secret or the credential
	Secret    bool               // KeyStorePassword, or the credential that holds two secrets
	StoreType CustomKeyStoreType // the store type it applies to; "" for both
}

// SentMembers returns the members the update sends besides the store's ID,
// in member order; nil for a nil input. Package safeupdate plans from it.
func (in *UpdateCustomKeyStoreInput) SentMembers() []UpdateMember {
	var out []UpdateMember
	for i := 0; in != nil && i < len(updateTable.members); i++ {
		m := &updateTable.members[i]
		if r := m.at(in); m.parent < 0 && m.Change != kmsmodel.ChangeNever && r.sent() {
			u := UpdateMember{Name: m.Name, Secret: m.Sensitive || r.obj}
			if m.Stores != kmsmodel.BothStores {
				u.StoreType = CustomKeyStoreType(m.Stores.String())
			}
			if !u.Secret && r.str != nil {
				u.Value = **r.str
			} else if !u.Secret {
				u.Value = *r.enum
			}
			out = append(out, u)
		}
	}
	return out
}

// Copy returns a deep copy of in: changing one changes nothing of the
// other. It returns nil for nil.
func (in *UpdateCustomKeyStoreInput) Copy() *UpdateCustomKeyStoreInput {
	if in == nil {
		return nil
	}
	out := *in
	updateTable.deepen(&out)
	return &out
}

// SetMember sets the member of in called name (an AWS name, such as
// "XksProxyUriEndpoint"; not the credential) to value, and reports whether
// in has such a member.
func (in *UpdateCustomKeyStoreInput) SetMember(name, value string) bool {
	for i := range updateTable.members {
		if m := &updateTable.members[i]; in != nil && m.parent < 0 && m.Name == name {
			switch r := m.at(in); {
			case r.str != nil:
				*r.str = &value
				return true
			case r.enum != nil:
				*r.enum = value
				return true
			}
		}
	}
	return false
}

// The tables of the inputs and of the structures in them.
var (
	credTable = newTable(nil, kmsmodel.XksProxyAuthenticationCredentialType, nil,
		str(func(c *XksProxyAuthenticationCredentialType) **string { return &c.AccessKeyId }),
		str(func(c *XksProxyAuthenticationCredentialType) **string { return &c.RawSecretAccessKey }),
	)

	updateTable = newTable(kmsmodel.UpdateCustomKeyStore, nil, updateRules,
		str(func(in *UpdateCustomKeyStoreInput) **string { return &in.CustomKeyStoreId }),
		str(func(in *UpdateCustomKeyStoreInput) **string { return &in.CloudHsmClusterId }),
		str(func(in *UpdateCustomKeyStoreInput) **string { return &in.KeyStorePassword }),
		str(func(in *UpdateCustomKeyStoreInput) **string { return &in.NewCustomKeyStoreName }),
		nested(func(in *UpdateCustomKeyStoreInput) **XksProxyAuthenticationCredentialType {
			return &in.XksProxyAuthenticationCredential
		}, credTable),
		enum(func(in *UpdateCustomKeyStoreInput) *string { return (*string)(&in.XksProxyConnectivity) }),
		str(func(in *UpdateCustomKeyStoreInput) **string { return &in.XksProxyUriEndpoint }),
		str(func(in *UpdateCustomKeyStoreInput) **string { return &in.XksProxyUriPath }),
		str(func(in *UpdateCustomKeyStoreInput) **string { return &in.XksProxyVpcEndpointServiceName }),
		str(func(in *UpdateCustomKeyStoreInput) **string { return &in.XksProxyVpcEndpointServiceOwner }),
	)

	createTable = newTable(kmsmodel.CreateCustomKeyStore, nil, createRules,
		str(func(in *CreateCustomKeyStoreInput) **string { return &in.CustomKeyStoreName }),
		str(func(in *CreateCustomKeyStoreInput) **string { return &in.CloudHsmClusterId }),
		enum(func(in *CreateCustomKeyStoreInput) *string { return (*string)(&in.CustomKeyStoreType) }),
		str(func(in *CreateCustomKeyStoreInput) **string { return &in.KeyStorePassword }),
		str(func(in *CreateCustomKeyStoreInput) **string { return &in.TrustAnchorCertificate }),
		nested(func(in *CreateCustomKeyStoreInput) **XksProxyAuthenticationCredentialType {
			return &in.XksProxyAuthenticationCredential
		}, credTable),
		enum(func(in *CreateCustomKeyStoreInput) *string { return (*string)(&in.XksProxyConnectivity) }),
		str(func(in *CreateCustomKeyStoreInput) **string { return &in.XksProxyUriEndpoint }),
		str(func(in *CreateCustomKeyStoreInput) **string { return &in.XksProxyUriPath }),
		str(func(in *CreateCustomKeyStoreInput) **string { return &in.XksProxyVpcEndpointServiceName }),
		str(func(in *CreateCustomKeyStoreInput) **string { return &in.XksProxyVpcEndpointServiceOwner }),
	)

	describeTable = newTable(kmsmodel.DescribeCustomKeyStores, nil, describeRules,
		str(func(in *DescribeCustomKeyStoresInput) **string { return &in.CustomKeyStoreId }),
		str(func(in *DescribeCustomKeyStoresInput) **string { return &in.CustomKeyStoreName }),
		num(func(in *DescribeCustomKeyStoresInput) **int32 { return &in.Limit }),
		str(func(in *DescribeCustomKeyStoresInput) **string { return &in.Marker }),
	)

	connectTable = newTable(kmsmodel.ConnectCustomKeyStore, nil, nil,
		str(func(in *ConnectCustomKeyStoreInput) **string { return &in.CustomKeyStoreId }))
	disconnectTable = newTable(kmsmodel.DisconnectCustomKeyStore, nil, nil,
		str(func(in *DisconnectCustomKeyStoreInput) **string { return &in.CustomKeyStoreId }))
	deleteTable = newTable(kmsmodel.DeleteCustomKeyStore, nil, nil,
		str(func(in *DeleteCustomKeyStoreInput) **string { return &in.CustomKeyStoreId }))
)

// The tables of the structures DescribeCustomKeyStores returns, for
// printing and logging them.
var (
	xksConfigTable = outputTable(kmsmodel.XksProxyConfigurationType,
		str(func(c *XksProxyConfigurationType) **string { return &c.AccessKeyId }),
		enum(func(c *XksProxyConfigurationType) *string { return (*string)(&c.Connectivity) }),
		str(func(c *XksProxyConfigurationType) **string { return &c.UriEndpoint }),
		str(func(c *XksProxyConfigurationType) **string { return &c.UriPath }),
		str(func(c *XksProxyConfigurationType) **string { return &c.VpcEndpointServiceName }),
		str(func(c *XksProxyConfigurationType) **string { return &c.VpcEndpointServiceOwner }),
	)

	entryTable = outputTable(kmsmodel.CustomKeyStoresListEntry,
		str(func(e *CustomKeyStoresListEntry) **string { return &e.CloudHsmClusterId }),
		enum(func(e *CustomKeyStoresListEntry) *string { return (*string)(&e.ConnectionErrorCode) }),
		enum(func(e *CustomKeyStoresListEntry) *string { return (*string)(&e.ConnectionState) }),
		when(func(e *CustomKeyStoresListEntry) **time.Time { return &e.CreationDate }),
		str(func(e *CustomKeyStoresListEntry) **string { return &e.CustomKeyStoreId }),
		str(func(e *CustomKeyStoresListEntry) **string { return &e.CustomKeyStoreName }),
		enum(func(e *CustomKeyStoresListEntry) *string { return (*string)(&e.CustomKeyStoreType) }),
		str(func(e *CustomKeyStoresListEntry) **string { return &e.TrustAnchorCertificate }),
		nested(func(e *CustomKeyStoresListEntry) **XksProxyConfigurationType { return &e.XksProxyConfiguration }, xksConfigTable),
	)
)
