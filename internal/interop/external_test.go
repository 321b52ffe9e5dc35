//go:build interop_external

// Real non-Go clients against kmstest: the AWS CLI and the AWS SDK for
// JavaScript v3. They need programs outside Go, so they build only with the
// interop_external tag; `make interop` installs what is missing and runs
// them. The fake runs in this process; each client is a child process
// pointed at its URL.

package interop

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kmskit/kms"
)

// childEnv is a clean environment for a child client: dummy credentials
// (the ones the fake verifies), no config files, no instance metadata.
func childEnv(t *testing.T) []string {
	dir := t.TempDir()
	return []string{
		"PATH=" + os.Getenv("PATH"),
		"HOME=" + dir,
		"LC_ALL=C.UTF-8",
		"AWS_ACCESS_KEY_ID=" + testCreds.AccessKeyID,
		"AWS_SECRET_ACCESS_KEY=" + testCreds.SecretAccessKey,
		"AWS_DEFAULT_REGION=" + testRegion,
		"AWS_REGION=" + testRegion,
		"AWS_CONFIG_FILE=" + filepath.Join(dir, "no-config"),
		"AWS_SHARED_CREDENTIALS_FILE=" + filepath.Join(dir, "no-credentials"),
		"AWS_EC2_METADATA_DISABLED=true",
		"AWS_PAGER=",
		"AWS_RETRY_MODE=standard",
		"AWS_MAX_ATTEMPTS=3",
	}
}

func run(t *testing.T, env []string, name string, args ...string) (stdout, stderr string, exitCode int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Env = env
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	var exitErr *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &exitErr):
		exitCode = exitErr.ExitCode()
	default:
		t.Fatalf("%s: %v", name, err)
	}
	return out.String(), errOut.String(), exitCode
}

// awsCLI returns the path of a working aws command: $INTEROP_AWS_CLI (set
// by `make interop`, which installs the Debian package awscli if needed),
// else aws from PATH.
func awsCLI(t *testing.T) string {
	path := os.Getenv("INTEROP_AWS_CLI")
	if path == "" {
		var err error
		path, err = exec.LookPath("aws")
		require.NoError(t, err, "the AWS CLI is not installed: run `make interop`, which installs the Debian package awscli")
	}
	out, errOut, code := run(t, childEnv(t), path, "--version")
	require.Zero(t, code, "aws --version failed (a dead shim?): %s%s", out, errOut)
	t.Logf("using %s: %s", path, strings.TrimSpace(out+errOut))
	return path
}

// cliArgs turns the input into the CLI's flags.
func cliArgs(in *kms.UpdateCustomKeyStoreInput) []string {
	args := []string{"kms", "update-custom-key-store"}
	str := func(flag string, v *string) {
		if v != nil {
			args = append(args, flag, *v)
		}
	}
	str("--custom-key-store-id", in.CustomKeyStoreId)
	str("--new-custom-key-store-name", in.NewCustomKeyStoreName)
	str("--key-store-password", in.KeyStorePassword)
	str("--cloud-hsm-cluster-id", in.CloudHsmClusterId)
	str("--xks-proxy-uri-endpoint", in.XksProxyUriEndpoint)
	str("--xks-proxy-uri-path", in.XksProxyUriPath)
	str("--xks-proxy-vpc-endpoint-service-name", in.XksProxyVpcEndpointServiceName)
	str("--xks-proxy-vpc-endpoint-service-owner", in.XksProxyVpcEndpointServiceOwner)
	if in.XksProxyConnectivity != "" {
		args = append(args, "--xks-proxy-connectivity", string(in.XksProxyConnectivity))
	}
	if c := in.XksProxyAuthenticationCredential; c != nil {
		j, _ := json.Marshal(c)
		args = append(args, "--xks-proxy-authentication-credential", string(j))
	}
	return args
}

// cliError is how botocore reports a service error on stderr.
var cliError = regexp.MustCompile(`An error occurred \((\w+)\) when calling the UpdateCustomKeyStore operation(?: \(reached max retries: (\d+)\))?: (.*)`)

// TestAWSCLIAgainstKmstest runs `aws kms update-custom-key-store` against
// the fake: successes change its state, and the CLI's own error handling
// names each exception with the fake's message.
func TestAWSCLIAgainstKmstest(t *testing.T) {
	aws := awsCLI(t)
	for _, tc := range fakeCases() {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr string
			var code int
			_, calls := runFakeCase(t, tc, func(url string, _ kms.HTTPClient) {
				args := append(cliArgs(tc.in), "--endpoint-url", url, "--output", "json")
				stdout, stderr, code = run(t, childEnv(t), aws, args...)
			})
			last := calls[len(calls)-1]
			if tc.wantCode == "" {
				require.Zero(t, code, "stderr: %s", stderr)
				assert.Empty(t, strings.TrimSpace(strings.Trim(strings.TrimSpace(stdout), "{}")), "UpdateCustomKeyStore returns no members")
				return
			}
			// CLI v1 exits 255 on a service error, v2 254.
			assert.Contains(t, []int{254, 255}, code, "stderr: %s", stderr)
			m := cliError.FindStringSubmatch(stderr)
			require.NotNil(t, m, "stderr: %s", stderr)
			assert.Equal(t, tc.wantCode, m[1])
			assert.Equal(t, last.Message, strings.TrimSpace(m[3]))
			if tc.attempts > 1 {
				assert.Equal(t, "2", m[2], "retries reported")
			}
		})
	}
}

// jsResult is what js/update.mjs prints.
type jsResult struct {
	OK             bool   `json:"ok"`
	Name           string `json:"name"`
	Typed          bool   `json:"typed"`
	Fault          string `json:"fault"`
	Message        string `json:"message"`
	RequestID      string `json:"requestId"`
	Attempts       int    `json:"attempts"`
	HTTPStatusCode int    `json:"httpStatusCode"`
}

// TestJavaScriptSDKAgainstKmstest runs @aws-sdk/client-kms (pinned in
// js/package.json) under node against the fake: each exception is an
// instance of the SDK's own modeled class, with the fake's message, request
// ID and status.
func TestJavaScriptSDKAgainstKmstest(t *testing.T) {
	node, err := exec.LookPath("node")
	require.NoError(t, err, "node is not installed")
	_, err = os.Stat(filepath.Join("js", "node_modules", "@aws-sdk", "client-kms", "package.json"))
	require.NoError(t, err, "run `make interop` (npm ci in internal/interop/js) first")
	for _, tc := range fakeCases() {
		t.Run(tc.name, func(t *testing.T) {
			var res jsResult
			_, calls := runFakeCase(t, tc, func(url string, _ kms.HTTPClient) {
				arg, err := json.Marshal(map[string]any{
					"endpoint": url, "region": testRegion, "maxAttempts": 3,
					"accessKeyId": testCreds.AccessKeyID, "secretAccessKey": testCreds.SecretAccessKey,
					"input": toFloor(tc.in),
				})
				require.NoError(t, err)
				stdout, stderr, code := run(t, childEnv(t), node, filepath.Join("js", "update.mjs"), string(arg))
				require.Zero(t, code, "stderr: %s", stderr)
				require.NoError(t, json.Unmarshal([]byte(stdout), &res), "stdout: %s stderr: %s", stdout, stderr)
			})
			last := calls[len(calls)-1]
			assert.Equal(t, last.RequestID, res.RequestID)
			assert.Equal(t, tc.attempts, res.Attempts)
			if tc.wantCode == "" {
				assert.True(t, res.OK, "%+v", res)
				return
			}
			assert.False(t, res.OK)
			assert.Equal(t, tc.wantCode, res.Name)
			assert.True(t, res.Typed, "an instance of the SDK's %s class", tc.wantCode)
			assert.Equal(t, last.Message, res.Message)
			assert.Equal(t, last.Status, res.HTTPStatusCode)
			wantFault := "client"
			if last.Status >= 500 {
				wantFault = "server"
			}
			assert.Equal(t, wantFault, res.Fault)
		})
	}
}
