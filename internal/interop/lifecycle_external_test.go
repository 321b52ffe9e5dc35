//go:build interop_external

package interop

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// cliEntry is a store as `aws kms describe-custom-key-stores` prints it.
type cliEntry struct {
	CustomKeyStoreId      string
	CustomKeyStoreName    string
	CustomKeyStoreType    string
	ConnectionState       string
	ConnectionErrorCode   string
	CreationDate          any // CLI v1: the wire's epoch seconds; lifecycle.mjs: an ISO string
	XksProxyConfiguration struct {
		AccessKeyId, Connectivity, UriEndpoint, UriPath string
	}
}

// TestLifecycleAWSCLI: the AWS CLI drives create -> connect -> wait
// CONNECTED -> disconnect -> wait DISCONNECTED -> update -> connect ->
// describe -> disconnect -> delete against the standalone kmstest, polling
// describe-custom-key-stores a bounded number of times for each wait.
func TestLifecycleAWSCLI(t *testing.T) {
	awsPath := awsCLI(t)
	url := startStandalone(t, lifecycleSeed(), lifecycleTransitionDelay)
	// CLI v1 fetches parameter values that look like URLs (the endpoints)
	// unless told not to.
	config := filepath.Join(t.TempDir(), "config")
	require.NoError(t, os.WriteFile(config, []byte("[default]\ncli_follow_urlparam = false\n"), 0o600))
	env := append(childEnv(t), "AWS_CONFIG_FILE="+config)
	cli := func(args ...string) string {
		t.Helper()
		args = append(append([]string{"kms"}, args...), "--endpoint-url", url, "--output", "json")
		stdout, stderr, code := run(t, env, awsPath, args...)
		require.Zero(t, code, "aws %s: %s", strings.Join(args, " "), stderr)
		return stdout
	}
	describe := func(args ...string) []cliEntry {
		t.Helper()
		var out struct {
			CustomKeyStores []cliEntry
			Truncated       bool
		}
		require.NoError(t, json.Unmarshal([]byte(cli(append([]string{"describe-custom-key-stores"}, args...)...)), &out))
		return out.CustomKeyStores
	}
	wait := func(id, want string) int {
		t.Helper()
		for polls := 1; polls <= lifecycleMaxPolls; polls++ {
			e := describe("--custom-key-store-id", id)
			require.Len(t, e, 1)
			if e[0].ConnectionState == want {
				return polls
			}
			require.NotEqual(t, "FAILED", e[0].ConnectionState, "FAILED with %s", e[0].ConnectionErrorCode)
			time.Sleep(lifecyclePollInterval)
		}
		t.Fatalf("store %s not %s after %d polls", id, want, lifecycleMaxPolls)
		return 0
	}

	credential := fmt.Sprintf(`{"AccessKeyId":%q,"RawSecretAccessKey":%q}`, lifecycleAccessKeyID, lifecycleSecret)
	var created struct{ CustomKeyStoreId string }
	require.NoError(t, json.Unmarshal([]byte(cli("create-custom-key-store", "--custom-key-store-name", "cli-store",
		"--custom-key-store-type", "EXTERNAL_KEY_STORE", "--xks-proxy-connectivity", "PUBLIC_ENDPOINT",
		"--xks-proxy-uri-endpoint", lifecycleProxyEndpoint, "--xks-proxy-uri-path", lifecyclePath,
		"--xks-proxy-authentication-credential", credential)), &created))
	id := created.CustomKeyStoreId
	assert.Regexp(t, `^cks-[0-9a-f]{17}$`, id)

	cli("connect-custom-key-store", "--custom-key-store-id", id)
	wait(id, "CONNECTED")
	cli("disconnect-custom-key-store", "--custom-key-store-id", id)
	wait(id, "DISCONNECTED")
	cli("update-custom-key-store", "--custom-key-store-id", id, "--new-custom-key-store-name", "cli-store-b",
		"--xks-proxy-uri-endpoint", lifecycleOtherProxyEndpoint)
	cli("connect-custom-key-store", "--custom-key-store-id", id)
	wait(id, "CONNECTED")

	e := describe("--custom-key-store-name", "cli-store-b")
	require.Len(t, e, 1)
	assert.Equal(t, id, e[0].CustomKeyStoreId)
	assert.Equal(t, "CONNECTED", e[0].ConnectionState)
	assert.Equal(t, "EXTERNAL_KEY_STORE", e[0].CustomKeyStoreType)
	assert.Equal(t, lifecycleOtherProxyEndpoint, e[0].XksProxyConfiguration.UriEndpoint)
	assert.Equal(t, lifecycleAccessKeyID, e[0].XksProxyConfiguration.AccessKeyId)
	secs, ok := e[0].CreationDate.(float64)
	require.True(t, ok, "CLI v1 prints CreationDate as sent, epoch seconds: %v", e[0].CreationDate)
	assert.WithinDuration(t, time.Now(), time.UnixMilli(int64(secs*1000)), time.Minute)
	all := describe()
	assert.Len(t, all, 1)

	cli("disconnect-custom-key-store", "--custom-key-store-id", id)
	wait(id, "DISCONNECTED")
	cli("delete-custom-key-store", "--custom-key-store-id", id)
	_, stderr, code := run(t, env, awsPath, "kms", "describe-custom-key-stores", "--custom-key-store-id", id, "--endpoint-url", url)
	assert.NotZero(t, code)
	assert.Contains(t, stderr, "CustomKeyStoreNotFoundException")
}

// jsStep is one line that js/lifecycle.mjs prints.
type jsStep struct {
	Step    string
	ID      string
	Want    string
	State   string
	Polls   int
	At      string
	Name    string
	Message string
	Entry   *cliEntry
}

// TestLifecycleJavaScriptSDK: the AWS SDK for JavaScript v3 drives the same
// lifecycle (js/lifecycle.mjs) against the standalone kmstest.
func TestLifecycleJavaScriptSDK(t *testing.T) {
	node, err := exec.LookPath("node")
	require.NoError(t, err, "node is not installed")
	url := startStandalone(t, lifecycleSeed(), lifecycleTransitionDelay)
	arg, err := json.Marshal(map[string]any{
		"endpoint": url, "region": testRegion,
		"accessKeyId": testCreds.AccessKeyID, "secretAccessKey": testCreds.SecretAccessKey,
		"create": map[string]any{"CustomKeyStoreName": "js-store", "CustomKeyStoreType": "EXTERNAL_KEY_STORE",
			"XksProxyConnectivity": "PUBLIC_ENDPOINT", "XksProxyUriEndpoint": lifecycleProxyEndpoint, "XksProxyUriPath": lifecyclePath,
			"XksProxyAuthenticationCredential": map[string]string{"AccessKeyId": lifecycleAccessKeyID, "RawSecretAccessKey": lifecycleSecret}},
		"update":     map[string]any{"NewCustomKeyStoreName": "js-store-b", "XksProxyUriEndpoint": lifecycleOtherProxyEndpoint},
		"pollMillis": lifecyclePollInterval.Milliseconds(), "maxPolls": lifecycleMaxPolls,
	})
	require.NoError(t, err)
	stdout, stderr, code := run(t, childEnv(t), node, filepath.Join("js", "lifecycle.mjs"), string(arg))
	require.Zero(t, code, "stdout: %s\nstderr: %s", stdout, stderr)

	var steps []jsStep
	for _, line := range strings.Split(strings.TrimSpace(stdout), "\n") {
		var s jsStep
		require.NoError(t, json.Unmarshal([]byte(line), &s), line)
		steps = append(steps, s)
	}
	var names []string
	for _, s := range steps {
		names = append(names, s.Step+" "+s.Want)
	}
	assert.Equal(t, []string{"create ", "connect ", "wait CONNECTED", "disconnect ", "wait DISCONNECTED", "update ",
		"connect ", "wait CONNECTED", "describe ", "disconnect ", "wait DISCONNECTED", "delete ", "gone ", "done "}, names)
	require.Len(t, steps, 14)
	assert.Regexp(t, `^cks-[0-9a-f]{17}$`, steps[0].ID)
	assert.Positive(t, steps[2].Polls, "the wait described the store")
	e := steps[8].Entry
	require.NotNil(t, e)
	assert.Equal(t, steps[0].ID, e.CustomKeyStoreId)
	assert.Equal(t, "js-store-b", e.CustomKeyStoreName)
	assert.Equal(t, "CONNECTED", e.ConnectionState)
	assert.Equal(t, lifecycleOtherProxyEndpoint, e.XksProxyConfiguration.UriEndpoint)
	iso, _ := e.CreationDate.(string)
	created, err := time.Parse(time.RFC3339, iso)
	require.NoError(t, err, "the SDK parsed CreationDate as a Date: %q", e.CreationDate)
	assert.WithinDuration(t, time.Now(), created, time.Minute)
	assert.Equal(t, "CustomKeyStoreNotFoundException", steps[12].Name)
}
