package kms

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kmskit/kms/internal/kmsmodel"
)

// The body lists the members in the order internal/kmsmodel says the
// official SDK writes them, nested ones too.
func TestAppendWireMemberOrder(t *testing.T) {
	body := fullExternalInput()
	body.CloudHsmClusterId, body.KeyStorePassword = stringPointer(validClusterID), stringPointer(validPassword)
	got := jsonKeys(t, updateTable.appendJSON(nil, body, false))
	assert.Equal(t, kmsmodel.UpdateCustomKeyStoreInput.WireOrder(), got)

	var top map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(updateTable.appendJSON(nil, body, false), &top))
	assert.Equal(t, kmsmodel.XksProxyAuthenticationCredentialType.WireOrder(),
		jsonKeys(t, top["XksProxyAuthenticationCredential"]))
}

// jsonKeys returns the top-level member names of a JSON object, in order.
func jsonKeys(t *testing.T, body []byte) []string {
	t.Helper()
	var keys []string
	dec := json.NewDecoder(bytes.NewReader(body))
	tok, err := dec.Token()
	require.NoError(t, err)
	require.Equal(t, json.Delim('{'), tok)
	for dec.More() {
		k, err := dec.Token()
		require.NoError(t, err)
		keys = append(keys, k.(string))
		var skip json.RawMessage
		require.NoError(t, dec.Decode(&skip))
	}
	return keys
}
