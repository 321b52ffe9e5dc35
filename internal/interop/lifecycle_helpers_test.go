package interop

import (
	"bufio"
	"bytes"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/kmskit/kms/kmstest"
)

// The world the lifecycle tests run in: two XKS proxies accepting one
// credential, and a fake that verifies SigV4 with testCreds.
const (
	lifecycleProxyEndpoint      = "https://xks-a.example.com"
	lifecycleOtherProxyEndpoint = "https://xks-b.example.com"
	lifecyclePath               = "/kms/xks/v1"
	lifecycleAccessKeyID        = "ABCDE234567ABEXAMPLE"
	lifecycleSecret             = "DXjSUawnel2fr6SKC7G25CNxTyWKE5PF9XX6H/u9pSo="
	lifecycleTransitionDelay    = 300 * time.Millisecond // the standalone's -transition-delay
	lifecyclePollInterval       = 100 * time.Millisecond // how often the scripts describe
	lifecycleMaxPolls           = 100                    // and how often at most, per wait
)

// lifecycleSeed is the standalone server's seed.
func lifecycleSeed() kmstest.Seed {
	return kmstest.Seed{
		XksProxies: []kmstest.XksProxy{
			{UriEndpoint: lifecycleProxyEndpoint, UriPath: lifecyclePath, AccessKeyId: lifecycleAccessKeyID, RawSecretAccessKey: lifecycleSecret},
			{UriEndpoint: lifecycleOtherProxyEndpoint, AccessKeyId: lifecycleAccessKeyID, RawSecretAccessKey: lifecycleSecret},
		},
		Credentials: []kmstest.Credential{{AccessKeyId: testCreds.AccessKeyID, SecretAccessKey: testCreds.SecretAccessKey}},
	}
}

// listening finds the URL in the command's "kmstest listening" log line.
var listening = regexp.MustCompile(`msg="kmstest listening" url=(\S+)`)

// startStandalone builds and starts the kmstest command (the standalone
// fake) on a free loopback port with seed and transition delay, and returns
// its URL. The server is stopped with SIGINT when the test ends.
func startStandalone(t *testing.T, seed kmstest.Seed, delay time.Duration) string {
	t.Helper()
	dir := t.TempDir()
	bin := filepath.Join(dir, "kmstest")
	build := exec.Command("go", "build", "-o", bin, "github.com/kmskit/kms/kmstest/cmd/kmstest")
	out, err := build.CombinedOutput()
	require.NoError(t, err, "go build kmstest: %s", out)

	seedFile := filepath.Join(dir, "seed.json")
	var b bytes.Buffer
	err = kmstest.WriteSeed(&b, seed)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(seedFile, b.Bytes(), 0o600))

	cmd := exec.Command(bin, "-addr", "127.0.0.1:0", "-seed", seedFile, "-transition-delay", delay.String())
	stderr, err := cmd.StderrPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	exited := make(chan error, 1)
	urls := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			if m := listening.FindStringSubmatch(sc.Text()); m != nil {
				urls <- m[1]
			}
		}
		_, _ = io.Copy(io.Discard, stderr)
		exited <- cmd.Wait()
	}()
	t.Cleanup(func() {
		_ = cmd.Process.Signal(os.Interrupt)
		select {
		case <-exited:
		case <-time.After(10 * time.Second):
			_ = cmd.Process.Kill()
			<-exited
		}
	})
	select {
	case url := <-urls:
		require.True(t, strings.HasPrefix(url, "http://127.0.0.1:"), url)
		return url
	case err := <-exited:
		t.Fatalf("kmstest exited before listening: %v", err)
	case <-time.After(30 * time.Second):
		t.Fatal("kmstest did not start listening")
	}
	return ""
}
