package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestXksReachFlagValues: --xks-resolve and --xks-ca-file values are
// checked before anything is sent; a bad one names the flag and the rule.
func TestXksReachFlagValues(t *testing.T) {
	dir := t.TempDir()
	notPEM := filepath.Join(dir, "not.pem")
	if err := os.WriteFile(notPEM, []byte("hello"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		x       xksReach
		want    string // "" for no error
		isUsage bool
	}{
		{xksReach{}, "", false},
		{xksReach{resolve: stringList{"xks.example.com=127.0.0.1:4600", "XKS2.example.com:8443=[::1]:4601"}}, "", false},
		{xksReach{resolve: stringList{"xks.example.com"}}, `--xks-resolve "xks.example.com" is not NAME=ADDRESS`, true},
		{xksReach{resolve: stringList{"=127.0.0.1:1"}}, "is not NAME=ADDRESS", true},
		{xksReach{resolve: stringList{"a.example.com=1.2.3.4:1", "A.example.com=1.2.3.4:2"}}, "--xks-resolve names A.example.com twice", true},
		{xksReach{resolve: stringList{"xks.example.com=127.0.0.1"}}, "--xks-resolve: resolve", true},
		{xksReach{caFile: filepath.Join(dir, "missing.pem")}, "--xks-ca-file: open", false},
		{xksReach{caFile: notPEM}, "no PEM certificate in it", true},
	} {
		hc, _, err := c.x.client()
		if c.want == "" {
			if err != nil || (len(c.x.resolve) > 0) != (hc != nil) {
				t.Errorf("%+v: client %v, error %v", c.x, hc, err)
			}
			continue
		}
		_, isUsage := err.(flagValueError)
		if err == nil || !strings.Contains(err.Error(), c.want) || isUsage != c.isUsage {
			t.Errorf("%+v: error %v (usage %v), want %q (usage %v)", c.x, err, isUsage, c.want, c.isUsage)
		}
	}
}
