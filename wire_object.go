package kms

import "strconv"

// wireObject appends one awsJson1.1 object member by member, in the order
// its methods are called (the official SDK's order: sorted by name). Nil
// members and empty enums are left out; a pointer to "" is written as "".
type wireObject struct {
	dst []byte
	n   int // members written
}

func openObject(dst []byte) wireObject { return wireObject{dst: append(dst, '{')} }

func (o *wireObject) close() []byte { return append(o.dst, '}') }

func (o *wireObject) member(name string) {
	if o.n > 0 {
		o.dst = append(o.dst, ',')
	}
	o.n++
	o.dst = append(o.dst, '"')
	o.dst = append(o.dst, name...)
	o.dst = append(o.dst, '"', ':')
}

// str writes a set *string member.
func (o *wireObject) str(name string, v *string) {
	if v != nil {
		o.member(name)
		o.dst = appendJSONString(o.dst, *v)
	}
}

// enum writes a non-empty enum member.
func (o *wireObject) enum(name, v string) {
	if v != "" {
		o.member(name)
		o.dst = appendJSONString(o.dst, v)
	}
}

// int32 writes a set *int32 member.
func (o *wireObject) int32(name string, v *int32) {
	if v != nil {
		o.member(name)
		o.dst = strconv.AppendInt(o.dst, int64(*v), 10)
	}
}

// credential writes a set XksProxyAuthenticationCredential member.
func (o *wireObject) credential(name string, c *XksProxyAuthenticationCredentialType) {
	if c == nil {
		return
	}
	o.member(name)
	inner := openObject(o.dst)
	inner.str("AccessKeyId", c.AccessKeyId)
	inner.str("RawSecretAccessKey", c.RawSecretAccessKey)
	o.dst = inner.close()
}
