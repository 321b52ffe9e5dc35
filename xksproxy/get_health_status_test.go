package xksproxy_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"unicode"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kmskit/kms/xksproxy"
)

// TestAnswerStringsScrubbedAndCleaned: every string of a successful answer
// is treated as an error's message is: withheld when it echoes the
// credential (whole, or a run longer than half of it), else printable
// ASCII without control characters, bidi overrides or invalid UTF-8, and
// bounded (today a health report returned them raw: an echoed AccessKeyId
// and ESC bytes reached the caller).
func TestAnswerStringsScrubbedAndCleaned(t *testing.T) {
	health := map[string]any{
		"xksProxyFleetSize": 2,
		"xksProxyVendor":    "vendor " + testAKID,
		"xksProxyModel":     "model\x1b[2J\u202eevil\xff",
		"ekmVendor":         strings.Repeat("e", 300),
		"ekmFleetDetails": []map[string]string{
			{"id": "hsm-" + testSecret[:30], "model": "Luna\r\nforged row", "healthStatus": "ACTIVE"},
			{"id": "hsm-2", "model": "m", "healthStatus": "DEGRADED"},
		},
	}
	body, err := json.Marshal(health)
	require.NoError(t, err)
	srv := newCanned(t, 200, string(body))
	out, err := srv.client().GetHealthStatus(context.Background(), &xksproxy.GetHealthStatusInput{RequestMetadata: testMD})
	require.NoError(t, err)
	assert.Empty(t, out.XksProxyVendor, "an echo of the access key ID is withheld")
	assert.Empty(t, out.EkmFleetDetails[0].Id, "a run of the secret is withheld")
	assert.Equal(t, "model?[2J???evil???", out.XksProxyModel, "U+202E and the U+FFFD of an invalid byte are 3 bytes each")
	assert.Equal(t, "Luna??forged row", out.EkmFleetDetails[0].Model)
	assert.Len(t, out.EkmVendor, 256)
	assert.Equal(t, "hsm-2", out.EkmFleetDetails[1].Id)
	assert.Equal(t, xksproxy.EkmHealthStatusDegraded, out.EkmFleetDetails[1].HealthStatus)
	for _, s := range []string{out.XksProxyVendor, out.XksProxyModel, out.EkmVendor, out.EkmFleetDetails[0].Id, out.EkmFleetDetails[0].Model} {
		for _, r := range s {
			assert.True(t, r < unicode.MaxASCII && unicode.IsPrint(r), "%q holds %U", s, r)
		}
	}

	// GetKeyMetadata's strings, the same way.
	srv = newCanned(t, 200, `{"keySpec":"AES_256\u202e","keyUsage":["ENCRYPT","`+testSecret+`"],"keyStatus":"ENABLED"}`)
	md, err := srv.client().GetKeyMetadata(context.Background(), &xksproxy.GetKeyMetadataInput{ExternalKeyId: "foo", RequestMetadata: testMD})
	require.NoError(t, err)
	assert.Equal(t, xksproxy.KeySpec("AES_256???"), md.KeySpec)
	assert.Equal(t, []xksproxy.KeyUsage{xksproxy.KeyUsageEncrypt, ""}, md.KeyUsage)
	assert.Equal(t, xksproxy.KeyStatusEnabled, md.KeyStatus)
}
