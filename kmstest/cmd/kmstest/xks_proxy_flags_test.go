package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Bad -xks-proxy and -xks-ca values stop the command before it listens,
// with one line naming the flag, the value and the rule.
func TestXksProxyFlagErrors(t *testing.T) {
	dir := t.TempDir()
	notPEM := filepath.Join(dir, "not.pem")
	require.NoError(t, os.WriteFile(notPEM, []byte("not a certificate\n"), 0o600))
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"-xks-proxy", "https://xks.example.com"}, `-xks-proxy "https://xks.example.com": want ENDPOINT=ADDRESS, such as https://xks.example.com=127.0.0.1:4600`},
		{[]string{"-xks-proxy", "http://xks.example.com=127.0.0.1:4600"}, `-xks-proxy "http://xks.example.com=127.0.0.1:4600": the endpoint "http://xks.example.com": want https://<host name>`},
		{[]string{"-xks-proxy", "https://xks.example.com:443=127.0.0.1:4600"}, "KMS allows no port"},
		{[]string{"-xks-proxy", "https://127.0.0.1=127.0.0.1:4600"}, "a host name, not an IP address"},
		{[]string{"-xks-proxy", "https://xks.example.com=127.0.0.1"}, `the address "127.0.0.1" must be HOST:PORT, such as 127.0.0.1:4600`},
		{[]string{"-xks-proxy", "https://xks.example.com=127.0.0.1:99999"}, `has port "99999"`},
		{[]string{"-xks-proxy", "https://xks.example.com=127.0.0.1:4600", "-xks-ca", filepath.Join(dir, "absent.pem")}, "the CA file: open " + filepath.Join(dir, "absent.pem")},
		{[]string{"-xks-proxy", "https://xks.example.com=127.0.0.1:4600", "-xks-ca", notPEM}, "the CA file " + notPEM + " holds no PEM certificate"},
		{[]string{"-xks-ca", notPEM}, "-xks-ca is for the proxies of -xks-proxy: give both"},
		{[]string{"-xks-proxy", "https://xks.example.com=127.0.0.1:4600", "-xks-proxy", "https://xks.example.com=127.0.0.1:4601"},
			`-xks-proxy "https://xks.example.com=127.0.0.1:4601": the endpoint https://xks.example.com is routed by an earlier -xks-proxy ("https://xks.example.com=127.0.0.1:4600"); give each endpoint once`},
		{[]string{"-xks-proxy", "https://xks.example.com=127.0.0.1:4600", "-xks-proxy", "https://xks.example.com=127.0.0.1:4600"},
			`the endpoint https://xks.example.com is routed by an earlier -xks-proxy`},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			var out bytes.Buffer
			err := run(context.Background(), append([]string{"-addr", "127.0.0.1:0"}, tt.args...), &out, func(string) { t.Error("listening") })
			require.Error(t, err)
			line := errorLine(err)
			assert.Equal(t, 1, strings.Count(line, "kmstest:"), line)
			assert.NotContains(t, line, "XKS proxy route", "the flag names the route")
			assert.NotContains(t, line, "\n")
			assert.Contains(t, line, tt.want)
		})
	}
}

// -xks-proxy-timeout must be positive.
func TestXksProxyTimeoutFlag(t *testing.T) {
	var out bytes.Buffer
	for _, v := range []string{"0", "-1s"} {
		assert.ErrorIs(t, run(context.Background(), []string{"-addr", "127.0.0.1:0", "-xks-proxy-timeout", v}, &out, nil), errUsage, v)
	}
	assert.Contains(t, out.String(), "-xks-proxy-timeout must be positive")
}

// A seed's XksProxyRoutes take a CAFile relative to the seed file.
func TestSeedRouteCAFileRelativeToSeed(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "seed.json")
	require.NoError(t, os.WriteFile(path, []byte(`{"XksProxyRoutes": [
		{"UriEndpoint": "https://a.example.com", "Address": "127.0.0.1:1", "CAFile": "xksproxy-ca.pem"},
		{"UriEndpoint": "https://b.example.com", "Address": "127.0.0.1:2", "CAFile": "/etc/ca.pem"},
		{"UriEndpoint": "https://c.example.com", "Address": "127.0.0.1:3"}]}`), 0o600))
	seed, err := loadSeed(path)
	require.NoError(t, err)
	require.Len(t, seed.XksProxyRoutes, 3)
	assert.Equal(t, filepath.Join(dir, "xksproxy-ca.pem"), seed.XksProxyRoutes[0].CAFile)
	assert.Equal(t, "/etc/ca.pem", seed.XksProxyRoutes[1].CAFile)
	assert.Empty(t, seed.XksProxyRoutes[2].CAFile)

	var out bytes.Buffer
	err = run(context.Background(), []string{"-addr", "127.0.0.1:0", "-seed", path}, &out, func(string) { t.Error("listening") })
	require.ErrorContains(t, err, "XKS proxy route https://a.example.com in the seed: the CA file: open "+filepath.Join(dir, "xksproxy-ca.pem"))
}
