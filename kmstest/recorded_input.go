package kmstest

import (
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"

	"github.com/kmskit/kms/internal/kmsmodel"
)

// MaxRecordedInput is how many bytes of a request's decoded input a call
// record keeps ([Call.Input]), counted as [WithMaxCallBytes] counts them:
// a string's bytes plus 16 for each value and 48 for each object member.
// Every input KMS accepts is far smaller (a trust anchor certificate has at
// most 5000 characters); a larger one is cut, and [InputCut] marks where.
const MaxRecordedInput = 64 << 10

// InputCut marks what kmstest left out of a record: a string that ends in
// "..." and InputCut was cut there; an object member named InputCut, or an
// array's last element starting with it, says how many members or elements
// were left out.
const InputCut = "[cut by kmstest]"

// maxRecordedValue bounds a header or path a record keeps (Call.Target,
// XksCall.Path, ...), in bytes.
const maxRecordedValue = 2 << 10

// recordedValue is v as a record keeps it: cut after maxRecordedValue
// bytes, marked.
func recordedValue(v string) string { return cut(v, math.MaxInt, maxRecordedValue, cutMark) }

// cutMark ends a string that a record keeps cut.
const cutMark = "..." + InputCut

// The bytes a value counts besides its own (see MaxRecordedInput).
const (
	valueOverhead  = 16 // a string header, or an interface holding a number, bool or null
	memberOverhead = 48 // an object member: its key's header and its slot in the map
	objectOverhead = 48 // an object's map
	arrayOverhead  = 24 // an array's slice header
)

// recordedInput decodes body as a JSON object, redacts its secrets (see
// redactSecrets) and cuts it to MaxRecordedInput bytes; nil when the body
// is not a JSON object.
func recordedInput(body []byte) map[string]any {
	var m map[string]any
	if json.Unmarshal(body, &m) != nil || m == nil {
		return nil
	}
	redactSecrets(m)
	if valueSize(m) <= MaxRecordedInput {
		return m
	}
	budget := MaxRecordedInput
	return bound(m, &budget).(map[string]any)
}

// valueSize is how many bytes a decoded JSON value counts.
func valueSize(v any) int {
	switch v := v.(type) {
	case string:
		return valueOverhead + len(v)
	case map[string]any:
		n := objectOverhead
		for k, e := range v {
			n += memberOverhead + len(k) + valueSize(e)
		}
		return n
	case []any:
		n := arrayOverhead
		for _, e := range v {
			n += valueSize(e)
		}
		return n
	}
	return valueOverhead
}

// bound returns v cut to *budget bytes, and lowers *budget by what it
// keeps: a string is cut, and an object's members (in name order) or an
// array's elements that do not fit are left out, each cut marked with
// InputCut. The marks may take the result a few dozen bytes past the
// budget.
func bound(v any, budget *int) any {
	switch v := v.(type) {
	case string:
		if size := valueSize(v); size <= *budget {
			*budget -= size
			return v
		}
		s := cut(v, math.MaxInt, max(*budget-valueOverhead-len(cutMark), 0), cutMark)
		*budget -= valueSize(s)
		return s
	case map[string]any:
		*budget -= objectOverhead
		out := map[string]any{}
		keys := slices.Sorted(maps.Keys(v))
		for i, k := range keys {
			if *budget < memberOverhead+len(k)+valueOverhead {
				out[InputCut] = fmt.Sprintf("%d of %d members left out", len(keys)-i, len(keys))
				*budget = 0
				break
			}
			*budget -= memberOverhead + len(k)
			out[k] = bound(v[k], budget)
		}
		return out
	case []any:
		*budget -= arrayOverhead
		out := []any{}
		for i, e := range v {
			if *budget < valueOverhead {
				out = append(out, fmt.Sprintf("%s %d of %d elements left out", InputCut, len(v)-i, len(v)))
				*budget = 0
				break
			}
			out = append(out, bound(e, budget))
		}
		return out
	}
	*budget -= valueOverhead
	return v
}

// The member names that internal/kmsmodel marks sensitive (KeyStorePassword,
// AccessKeyId, RawSecretAccessKey), and those of the structures that hold
// them (XksProxyAuthenticationCredential, XksProxyConfiguration), in any
// shape of the model.
var secretMembers, secretHolders = sensitiveNames()

// sensitiveNames reads secretMembers and secretHolders from the model.
func sensitiveNames() (secrets, holders []string) {
	for _, s := range kmsmodel.Shapes {
		for _, m := range s.Members {
			switch {
			case m.Sensitive && !slices.Contains(secrets, m.Name):
				secrets = append(secrets, m.Name)
			case m.Kind == kmsmodel.KindStructure && holdsSecret(kmsmodel.ShapeNamed(m.Target)) && !slices.Contains(holders, m.Name):
				holders = append(holders, m.Name)
			}
		}
	}
	return secrets, holders
}

// holdsSecret reports whether shape s has a sensitive member, or a
// structure member whose shape has one.
func holdsSecret(s *kmsmodel.Shape) bool {
	if s == nil {
		return false
	}
	for _, m := range s.Members {
		if m.Sensitive || m.Kind == kmsmodel.KindStructure && holdsSecret(kmsmodel.ShapeNamed(m.Target)) {
			return true
		}
	}
	return false
}

// redactSecrets replaces with Redacted, at any depth of v and whatever the
// target (so an unknown or mistaken one records no secret either), the
// value of every member whose name is, in any casing, one that
// internal/kmsmodel marks sensitive, and the value of a member named like
// a structure holding them when that value is not an object (it might
// still hold one). Names are compared as encoding/json matches them
// (Unicode case folding), so "keyStorePassword" and "ACCESSKEYID" are
// secrets too.
func redactSecrets(v any) {
	switch v := v.(type) {
	case map[string]any:
		for k, e := range v {
			_, isObject := e.(map[string]any)
			switch {
			case nameIn(k, secretMembers):
				v[k] = Redacted
			case nameIn(k, secretHolders) && e != nil && !isObject:
				v[k] = Redacted
			default:
				redactSecrets(e)
			}
		}
	case []any:
		for _, e := range v {
			redactSecrets(e)
		}
	}
}

// nameIn reports whether name is one of names, ignoring case.
func nameIn(name string, names []string) bool {
	return slices.ContainsFunc(names, func(n string) bool { return strings.EqualFold(n, name) })
}
