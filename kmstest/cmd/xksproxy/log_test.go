package main

import (
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/kmskit/kms/kmstest"
)

// TestLogCutsLongValues: a request with a 500 KB path, and one whose
// kmsRequestId has 500 KB, are each logged on one line of a few KB, the
// long value cut and marked, and answered without repeating it.
func TestLogCutsLongValues(t *testing.T) {
	base, log := start(t, []string{"-addr", "127.0.0.1:0"}, credEnv)
	long := strings.Repeat("p", 500000)
	status, body := curl(t, http.DefaultClient, http.MethodPost, base+"/"+long+"/kms/xks/v1/health", `{}`)
	assert.Equal(t, http.StatusNotFound, status)
	assert.Less(t, len(body), 1000)
	status, body = curl(t, http.DefaultClient, http.MethodPost, base+"/kms/xks/v1/health",
		`{"requestMetadata":{"kmsOperation":"KmsHealthCheck","kmsRequestId":"`+long+`"}}`)
	assert.Equal(t, http.StatusOK, status, body)

	lines := strings.Split(strings.TrimSpace(log.String()), "\n")
	var cut int
	for _, line := range lines {
		assert.Less(t, len(line), 8<<10, "one short line per call")
		if strings.Contains(line, "ppp...") && strings.Contains(line, kmstest.InputCut) {
			cut++
		}
	}
	assert.Equal(t, 2, cut, "both long values are logged cut and marked:\n%s", log.String())
}
