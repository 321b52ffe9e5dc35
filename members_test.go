package kms

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/kmskit/kms/internal/kmsmodel"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fillFields sets every member field of the struct v points to, nested
// structures too, to a value naming it: a *string or an enum to the field's
// path ("XksProxyAuthenticationCredential.AccessKeyId"), an *int32 to the
// path's length, a *time.Time to a fixed time. It returns the paths set.
func fillFields(v reflect.Value, prefix string) []string {
	var paths []string
	for i := range v.NumField() {
		f, sf := v.Field(i), v.Type().Field(i)
		if !sf.IsExported() {
			continue
		}
		path := prefix + sf.Name
		switch {
		case f.Type() == reflect.TypeOf((*string)(nil)):
			s := path
			f.Set(reflect.ValueOf(&s))
		case f.Kind() == reflect.String:
			f.SetString(path)
		case f.Type() == reflect.TypeOf((*int32)(nil)):
			n := int32(len(path))
			f.Set(reflect.ValueOf(&n))
		case f.Type() == reflect.TypeOf((*time.Time)(nil)):
			tm := time.UnixMilli(1700000000123).UTC()
			f.Set(reflect.ValueOf(&tm))
		case f.Kind() == reflect.Pointer && f.Type().Elem().Kind() == reflect.Struct:
			f.Set(reflect.New(f.Type().Elem()))
			paths = append(paths, path)
			paths = append(paths, fillFields(f.Elem(), path+".")...)
			continue
		default:
			continue
		}
		paths = append(paths, path)
	}
	return paths
}

// TestMemberTablesCoverEveryMember walks each member table: every exported
// field of the Go type is a member of the model, in model order, and every
// consumer of the table (the encoder, the printers, slog, Validate, the
// scrubber's secrets, GobEncode's refusal, RequiresDisconnect) covers every
// member, so a member added to the model or the type cannot be forgotten.
func TestMemberTablesCoverEveryMember(t *testing.T) {
	t.Run("UpdateCustomKeyStoreInput", func(t *testing.T) { checkTable(t, updateTable) })
	t.Run("CreateCustomKeyStoreInput", func(t *testing.T) { checkTable(t, createTable) })
	t.Run("DescribeCustomKeyStoresInput", func(t *testing.T) { checkTable(t, describeTable) })
	t.Run("ConnectCustomKeyStoreInput", func(t *testing.T) { checkTable(t, connectTable) })
	t.Run("DisconnectCustomKeyStoreInput", func(t *testing.T) { checkTable(t, disconnectTable) })
	t.Run("DeleteCustomKeyStoreInput", func(t *testing.T) { checkTable(t, deleteTable) })
	t.Run("XksProxyAuthenticationCredentialType", func(t *testing.T) { checkTable(t, credTable) })
	t.Run("XksProxyConfigurationType", func(t *testing.T) { checkTable(t, xksConfigTable) })
	t.Run("CustomKeyStoresListEntry", func(t *testing.T) { checkTable(t, entryTable) })

	// RequiresDisconnect and the state advice: exactly the members the
	// model says need a DISCONNECTED store.
	var in UpdateCustomKeyStoreInput
	fillFields(reflect.ValueOf(&in).Elem(), "")
	var want []string
	for _, m := range kmsmodel.UpdateCustomKeyStoreInput.Members {
		if m.Change == kmsmodel.ChangeWhileDisconnected {
			want = append(want, m.Name)
		}
	}
	assert.Equal(t, want, in.DisconnectRequiredFields())
	assert.True(t, in.RequiresDisconnect())

	// What package safeupdate reads: SentMembers lists every member but the
	// store's ID, with its value unless it is a secret; Copy copies every
	// member deeply; SetMember sets every string and enum member.
	var names []string
	for _, m := range kmsmodel.UpdateCustomKeyStoreInput.Members {
		if m.Name != "CustomKeyStoreId" {
			names = append(names, m.Name)
		}
	}
	var got []string
	for _, m := range in.SentMembers() {
		got = append(got, m.Name)
		mm := kmsmodel.UpdateCustomKeyStoreInput.MustMember(m.Name)
		assert.Equal(t, mm.Sensitive || mm.Kind == kmsmodel.KindStructure, m.Secret, m.Name)
		if m.Secret {
			assert.Empty(t, m.Value, m.Name)
		} else {
			assert.Equal(t, m.Name, m.Value)
		}
		assert.Equal(t, mm.Stores == kmsmodel.External, m.StoreType == CustomKeyStoreTypeExternalKeyStore, m.Name)
		assert.Equal(t, mm.Stores == kmsmodel.CloudHSM, m.StoreType == CustomKeyStoreTypeAwsCloudhsm, m.Name)
	}
	assert.Equal(t, names, got)
	assert.Nil(t, (*UpdateCustomKeyStoreInput)(nil).SentMembers())

	cp := in.Copy()
	require.Equal(t, in, *cp)
	for _, m := range updateTable.members {
		switch r := m.at(cp); {
		case r.str != nil:
			**r.str = "changed"
		case r.enum != nil:
			*r.enum = "changed"
		}
	}
	for _, m := range updateTable.members {
		if r := m.at(&in); r.str != nil {
			assert.Equal(t, m.field, **r.str, "Copy shares %s", m.field)
		}
	}
	assert.Nil(t, (*UpdateCustomKeyStoreInput)(nil).Copy())

	var set UpdateCustomKeyStoreInput
	for _, m := range updateTable.members {
		r := m.at(&in)
		ok := set.SetMember(m.field, m.field)
		assert.Equal(t, m.parent < 0 && (r.str != nil || r.enum != nil), ok, m.field)
	}
	set.XksProxyAuthenticationCredential = in.XksProxyAuthenticationCredential
	assert.Equal(t, in, set, "SetMember reaches every member but the credential's")
	assert.False(t, set.SetMember("Nope", "x"))
}

func checkTable[E any](t *testing.T, tb *table[*E]) {
	var in E
	paths := fillFields(reflect.ValueOf(&in).Elem(), "")

	// The table lists every field, in model order, each with its model
	// member, and reads it from the field of that name.
	var fields []string
	for i, m := range tb.members {
		fields = append(fields, m.field)
		require.NotNil(t, m.Member, m.field)
		goPath := m.GoName
		if m.parent >= 0 {
			goPath = tb.members[m.parent].GoName + "." + m.GoName
		}
		assert.Equal(t, goPath, m.field, "member %d", i)
		r := m.at(&in)
		require.True(t, r.sent(), "%s is set in the filled value", m.field)
		switch {
		case r.str != nil:
			assert.Equal(t, m.field, **r.str, "the accessor of %s reads its field", m.field)
		case r.enum != nil:
			assert.Equal(t, m.field, *r.enum, "the accessor of %s reads its field", m.field)
		case r.num != nil:
			assert.Equal(t, int32(len(m.field)), **r.num, m.field)
		}
	}
	assert.Equal(t, paths, fields, "the member table lists every field of the Go type, in order")
	var zero E
	for _, m := range tb.members {
		assert.False(t, m.at(&zero).sent(), "%s of the zero value is not set", m.field)
	}

	// The encoder writes every member, in the official SDK's order, with
	// its value; redacted, every secret as the marker.
	for _, redact := range []bool{false, true} {
		body := tb.appendJSON(nil, &in, redact)
		var got map[string]any
		require.NoError(t, json.Unmarshal(body, &got), "%s", body)
		for _, m := range tb.members {
			v := got[m.Name]
			if m.parent >= 0 {
				v = got[tb.members[m.parent].Name].(map[string]any)[m.Name]
			}
			require.NotNil(t, v, "%s encoded", m.field)
			if s, ok := v.(string); ok {
				want := m.field
				if redact && m.Sensitive {
					want = redactedText
				}
				assert.Equal(t, want, s, "%s encoded", m.field)
			}
		}
		assert.Equal(t, tb.shape.WireOrder(), jsonKeys(t, body), "wire order")
	}

	// The printers show every member and no secret.
	secrets, fields := tb.secrets(&in)
	text, goText := string(tb.appendText(nil, &in, false)), string(tb.appendText(nil, &in, true))
	var logged strings.Builder
	slog.New(slog.NewTextHandler(&logged, nil)).Info("m", "v", tb.logValue(&in))
	for _, m := range tb.members {
		for name, out := range map[string]string{"text": text, "Go syntax": goText} {
			assert.Contains(t, out, m.Name+":", "%s shows %s", name, m.field)
		}
		key := " v." + m.field + "="
		if m.at(&in).obj {
			key = " v." + m.field + "." // a group
		}
		assert.Contains(t, logged.String(), key, "slog shows %s", m.field)
		if m.Sensitive {
			assert.Contains(t, secrets, m.field, "the scrubber gets %s", m.field)
			for _, out := range []string{text, goText, logged.String()} {
				assert.NotContains(t, out, "\""+m.field+"\"", "%s is printed", m.field)
			}
		} else if r := m.at(&in); r.enum != nil || r.str != nil {
			assert.Contains(t, text, fmt.Sprintf("%q", m.field), "text shows the value of %s", m.field)
		}
	}
	var sensitive []string
	for _, m := range tb.members {
		if m.Sensitive {
			sensitive = append(sensitive, m.field)
		}
	}
	assert.Equal(t, sensitive, secrets, "secrets lists exactly the sensitive members")
	assert.Equal(t, sensitive, fields)
	if _, err := tb.gobEncode(&in); tb.refuse && len(sensitive) > 0 {
		require.Error(t, err)
		for _, f := range sensitive {
			assert.Contains(t, err.Error(), f, "the refusal names %s", f)
		}
	}

	// Validate checks every string member with a length: one past its
	// maximum is a problem naming it.
	if tb.op == nil {
		return
	}
	for i, m := range tb.members {
		if !m.HasLength {
			continue
		}
		var bad E
		fillFields(reflect.ValueOf(&bad).Elem(), "")
		**tb.members[i].at(&bad).str = strings.Repeat("x", m.MaxLen+1)
		var ve *ValidationError
		require.ErrorAs(t, tb.validate(&bad, true), &ve, m.field)
		assert.True(t, slices.ContainsFunc(ve.Problems(), func(p FieldProblem) bool {
			return p.Field == m.field && strings.Contains(p.Reason, "above the maximum")
		}), "Validate checks the length of %s: %v", m.field, ve)
	}
}

// TestSecretValuesFollowTheModel: the secrets the client hands its scrubber, returns exactly the members that internal/kmsmodel marks
// sensitive in UpdateCustomKeyStoreInput (and the structures in it).
func TestSecretValuesFollowTheModel(t *testing.T) {
	// Every string member set to its own Go name, so values name fields.
	in := UpdateCustomKeyStoreInput{XksProxyAuthenticationCredential: &XksProxyAuthenticationCredentialType{}}
	fill := func(v reflect.Value) {
		for i := range v.NumField() {
			if f := v.Field(i); f.Type() == reflect.TypeOf((*string)(nil)) {
				name := v.Type().Field(i).Name
				f.Set(reflect.ValueOf(&name))
			}
		}
	}
	fill(reflect.ValueOf(&in).Elem())
	fill(reflect.ValueOf(in.XksProxyAuthenticationCredential).Elem())

	var want []string
	var walk func(s *kmsmodel.Shape)
	walk = func(s *kmsmodel.Shape) {
		for _, m := range s.Members {
			if m.Sensitive {
				want = append(want, m.GoName)
			}
			if m.Kind == kmsmodel.KindStructure && m.Target == kmsmodel.XksProxyAuthenticationCredentialType.Name {
				walk(kmsmodel.XksProxyAuthenticationCredentialType)
			}
		}
	}
	walk(kmsmodel.UpdateCustomKeyStore.Input)
	require.NotEmpty(t, want)
	got, _ := updateTable.secrets(&in)
	slices.Sort(got)
	slices.Sort(want)
	assert.Equal(t, want, got)
}
