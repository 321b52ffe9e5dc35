package kmsmodel

import (
	"slices"
	"sort"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestExceptionsCoverEveryOperation(t *testing.T) {
	require.Len(t, Exceptions, 22)
	codes := DocumentedCodes()
	require.True(t, sort.StringsAreSorted(codes), "Exceptions are alphabetical")
	used := map[string]bool{}
	for _, op := range Operations {
		for _, c := range op.Errors {
			require.True(t, IsDocumented(c), "%s documents %s, which is not in Exceptions", op.Name, c)
			used[c] = true
		}
	}
	for _, c := range codes {
		assert.True(t, used[c], "%s is documented by no operation", c)
	}
	for _, e := range Exceptions {
		if e.Code == CodeKMSInternal {
			assert.Equal(t, 500, e.Status)
			assert.Equal(t, FaultServer, e.Fault)
			continue
		}
		assert.Equal(t, 400, e.Status, e.Code)
		assert.Equal(t, FaultClient, e.Fault, e.Code)
	}
	assert.Len(t, UpdateCustomKeyStore.Errors, 17)
	assert.Len(t, CreateCustomKeyStore.Errors, 17)
	assert.True(t, DeleteCustomKeyStore.Documents(CodeCustomKeyStoreHasCMKs))
	assert.False(t, UpdateCustomKeyStore.Documents(CodeInvalidMarker))
	assert.Equal(t, 503, StatusFor(CodeServiceUnavailable))
	assert.Equal(t, 400, StatusFor("SomethingNew"))
	assert.True(t, IsThrottling(CodeThrottling))
	assert.False(t, IsThrottling(CodeKMSInternal))
	assert.Equal(t, "TrentService.ConnectCustomKeyStore", ConnectCustomKeyStore.Target())
}

func TestConnectionValues(t *testing.T) {
	require.Len(t, ConnectionStateValues, 5)
	require.Len(t, ConnectionStates, 5)
	for i, s := range ConnectionStates {
		assert.Equal(t, ConnectionStateValues[i], s.State)
		assert.NotEmpty(t, s.Meaning)
	}
	require.Len(t, ConnectionErrorCodeValues, 18)
	seen := map[string]StoreTypes{}
	for _, e := range ConnectionErrors {
		require.True(t, slices.Contains(ConnectionErrorCodeValues, e.Code), e.Code)
		assert.NotEmpty(t, e.Meaning, e.Code)
		assert.NotEmpty(t, e.Fix, e.Code)
		require.Zero(t, seen[e.Code]&e.Stores, "%s documented twice for %s", e.Code, e.Stores)
		seen[e.Code] |= e.Stores
	}
	assert.Len(t, seen, 18)
	cloud, ok := ConnectionErrorFor(ConnectionErrorInvalidCredentials, CloudHSM)
	require.True(t, ok)
	assert.Contains(t, cloud.Meaning, "KeyStorePassword")
	xks, ok := ConnectionErrorFor(ConnectionErrorInvalidCredentials, External)
	require.True(t, ok)
	assert.Contains(t, xks.Meaning, "XksProxyAuthenticationCredential")
	_, ok = ConnectionErrorFor("NEW_CODE", External)
	assert.False(t, ok)
}

func TestShapesMembers(t *testing.T) {
	var sensitive []string
	for _, s := range Shapes {
		seenOptional := ""
		for i, m := range s.Members {
			assert.Equal(t, i, m.Order, "%s.%s", s.Name, m.Name)
			assert.Equal(t, m.Name, m.GoName)
			assert.NotZero(t, m.Stores, "%s.%s", s.Name, m.Name)
			if m.Required {
				assert.Empty(t, seenOptional, "%s: required %s after optional members", s.Name, m.Name)
			} else {
				assert.Less(t, seenOptional, m.Name, "%s: optional members are alphabetical", s.Name)
				seenOptional = m.Name
			}
			if m.Sensitive {
				sensitive = append(sensitive, s.Name+"."+m.Name)
			}
			if m.HasLength {
				assert.LessOrEqual(t, m.MinLen, m.MaxLen)
			}
		}
		wire := s.WireOrder()
		assert.True(t, sort.StringsAreSorted(wire))
	}
	assert.ElementsMatch(t, []string{
		"CreateCustomKeyStoreInput.KeyStorePassword",
		"UpdateCustomKeyStoreInput.KeyStorePassword",
		"XksProxyAuthenticationCredentialType.AccessKeyId",
		"XksProxyAuthenticationCredentialType.RawSecretAccessKey",
		"XksProxyConfigurationType.AccessKeyId",
	}, sensitive)

	limit := DescribeCustomKeyStoresInput.MustMember("Limit")
	assert.True(t, limit.HasRange)
	assert.Equal(t, int64(1), limit.MinValue)
	assert.Equal(t, int64(1000), limit.MaxValue)

	var anyState []string
	for _, m := range UpdateCustomKeyStoreInput.Members {
		if m.Change == ChangeWhileConnectedOrDisconnected {
			anyState = append(anyState, m.Name)
			assert.True(t, m.Change.Allows(ConnectionStateConnected))
		}
		assert.False(t, m.Change.Allows(ConnectionStateFailed))
	}
	assert.Equal(t, []string{"NewCustomKeyStoreName", "XksProxyAuthenticationCredential", "XksProxyUriPath"}, anyState)
	assert.Equal(t, ChangeNever, UpdateCustomKeyStoreInput.MustMember("CustomKeyStoreId").Change)
	assert.True(t, UpdateCustomKeyStoreInput.MustMember("KeyStorePassword").Change.Allows(ConnectionStateDisconnected))
	assert.False(t, UpdateCustomKeyStoreInput.MustMember("KeyStorePassword").Change.Allows(ConnectionStateConnected))

	assert.Equal(t, CloudHSM, CreateCustomKeyStoreInput.MustMember("TrustAnchorCertificate").RequiredFor)
	assert.Equal(t, XksProxyConnectivityVpcEndpointService,
		CreateCustomKeyStoreInput.MustMember("XksProxyVpcEndpointServiceName").RequiredWhenConnectivity)
	assert.Nil(t, UpdateCustomKeyStoreInput.Member("TrustAnchorCertificate"))
	assert.Panics(t, func() { UpdateCustomKeyStoreInput.MustMember("Nope") })
	assert.Equal(t, "customKeyStoreId", ValidationPath("CustomKeyStoreId"))
	for _, op := range Operations {
		assert.Same(t, op, OperationNamed(op.Name))
		assert.Same(t, op.Input, ShapeNamed(op.Input.Name))
	}
}

// TestPatternsListsEveryMemberPattern: Patterns (which modelregexp compiles
// and the client's matchers are tested against) holds the pattern of every
// member of every shape, and nothing else.
func TestPatternsListsEveryMemberPattern(t *testing.T) {
	used := map[*Pattern]bool{}
	for _, s := range Shapes {
		for _, m := range s.Members {
			if m.Pattern != nil {
				assert.Contains(t, Patterns, m.Pattern, "%s.%s", s.Name, m.Name)
				used[m.Pattern] = true
			}
		}
	}
	for _, p := range Patterns {
		assert.True(t, used[p], "pattern %s is used by no member", p.Source)
	}
}

func TestEnums(t *testing.T) {
	conn := UpdateCustomKeyStoreInput.MustMember("XksProxyConnectivity")
	assert.True(t, conn.IsEnum())
	assert.True(t, conn.KnownEnum("PUBLIC_ENDPOINT"))
	assert.False(t, conn.KnownEnum("public_endpoint"))
	v, ok := conn.EnumFold("public_endpoint")
	assert.True(t, ok)
	assert.Equal(t, "PUBLIC_ENDPOINT", v)
	_, ok = conn.EnumFold("PRIVATE_LINK")
	assert.False(t, ok)
	assert.Equal(t, CloudHSM, StoreTypeOf(CustomKeyStoreTypeAwsCloudhsm))
	assert.Equal(t, External, StoreTypeOf(CustomKeyStoreTypeExternalKeyStore))
	assert.Equal(t, "both", BothStores.String())
	assert.True(t, BothStores.Has(External))
	assert.False(t, CloudHSM.Has(External))
}

// TestIsKnownWord: every code, enum value and member, shape and operation
// name is a known word; nothing else is, not even a piece of one.
func TestIsKnownWord(t *testing.T) {
	for _, w := range []string{CodeCustomKeyStoreInvalidState, CodeValidation, "ThrottlingException", "RequestTimeTooSkewed",
		ConnectionErrorInvalidCredentials, ConnectionStateFailed, "KeyStorePassword", "XksProxyAuthenticationCredential",
		"RawSecretAccessKey", "UpdateCustomKeyStoreInput", "DescribeCustomKeyStores", XksProxyConnectivityVpcEndpointService} {
		require.True(t, IsKnownWord(w), w)
	}
	for _, w := range []string{"", "InvalidState", "Password", "kmsuser", "cluster-free23456abc", "keystorepassword"} {
		require.False(t, IsKnownWord(w), w)
	}
	require.False(t, IsClockSkew(CodeAccessDenied), "AccessDeniedException is no clock skew code")
	require.True(t, IsClockSkew(CodeInvalidSignature))
}
