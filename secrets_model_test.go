package kms

import (
	"reflect"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kmskit/kms/internal/kmsmodel"
)

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
