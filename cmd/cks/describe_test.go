package main

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/kmskit/kms/kmstest"
)

// TestDescribeTableAndJSON1200Stores lists 1 200 stores, which takes several
// DescribeCustomKeyStores pages, as a table and as JSON.
func TestDescribeTableAndJSON1200Stores(t *testing.T) {
	seed := baseSeed()
	for i := range 1198 {
		seed.Stores = append(seed.Stores, kmstest.Store{
			CustomKeyStoreId:   fmt.Sprintf("cks-%017x", 0x100000+i),
			CustomKeyStoreName: fmt.Sprintf("bulk-%04d", i),
			CustomKeyStoreType: kmstest.TypeCloudHSM,
			CloudHsmClusterId:  fmt.Sprintf("cluster-bulk%04d", i),
			CreationDate:       time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC),
		})
	}
	url, _ := startKMS(t, seed, 50*time.Millisecond)
	env := cksEnv(t)

	// JSON: every store once, with the members KMS returns; --debug shows
	// one attempt per page.
	r := runCKS(t, env, "", "describe", "--endpoint-url", url, "--output", "json", "--page-size", "500", "--debug")
	if r.code != 0 {
		t.Fatalf("describe --output json: %v", r)
	}
	var out struct {
		CustomKeyStores []struct {
			CustomKeyStoreId, CustomKeyStoreName, CustomKeyStoreType, ConnectionState, CloudHsmClusterId string
			CreationDate                                                                                 float64
			XksProxyConfiguration                                                                        *struct{ AccessKeyId, UriEndpoint, UriPath, Connectivity string }
		}
	}
	if err := json.Unmarshal([]byte(r.stdout), &out); err != nil {
		t.Fatalf("JSON output: %v\n%s", err, r.stdout[:min(len(r.stdout), 500)])
	}
	if got := len(out.CustomKeyStores); got != 1200 {
		t.Fatalf("JSON lists %d stores, want 1200", got)
	}
	seen := map[string]bool{}
	for _, s := range out.CustomKeyStores {
		if seen[s.CustomKeyStoreId] {
			t.Fatalf("store %s listed twice", s.CustomKeyStoreId)
		}
		seen[s.CustomKeyStoreId] = true
	}
	for _, s := range seed.Stores {
		if !seen[s.CustomKeyStoreId] {
			t.Fatalf("store %s missing", s.CustomKeyStoreId)
		}
	}
	if pages := strings.Count(r.stderr, "DescribeCustomKeyStores"); pages < 3 {
		t.Errorf("--debug logged %d DescribeCustomKeyStores attempts, want at least 3 pages of 500:\n%s", pages, r.stderr)
	}
	for _, s := range out.CustomKeyStores {
		if s.CustomKeyStoreId == xksStoreID {
			x := s.XksProxyConfiguration
			if x == nil || x.UriEndpoint != xksEndpoint || x.UriPath != xksPath || x.Connectivity != "PUBLIC_ENDPOINT" || s.ConnectionState != "CONNECTED" {
				t.Errorf("external store in JSON: %+v", s)
			}
		}
		if s.CustomKeyStoreId == hsmStoreID && (s.CloudHsmClusterId != hsmCluster || s.CreationDate != float64(time.Date(2024, 1, 15, 9, 30, 0, 0, time.UTC).Unix())) {
			t.Errorf("CloudHSM store in JSON: %+v", s)
		}
	}
	if strings.Contains(r.stdout+r.stderr, xksAccessKey) {
		t.Error("describe printed the XKS AccessKeyId, which the KMS model marks sensitive")
	}

	// Table: a header and one line per store, with the columns the issue asks for.
	r = runCKS(t, env, "", "describe", "--endpoint-url", url)
	if r.code != 0 {
		t.Fatalf("describe: %v", r)
	}
	lines := strings.Split(strings.TrimSuffix(r.stdout, "\n"), "\n")
	if len(lines) != 1201 {
		t.Fatalf("table has %d lines, want a header and 1200 stores", len(lines))
	}
	for _, col := range []string{"ID", "NAME", "TYPE", "STATE", "ERROR CODE", "BACKING", "CREATED"} {
		if !strings.Contains(lines[0], col) {
			t.Errorf("header %q lacks %s", lines[0], col)
		}
	}
	wantRows := map[string][]string{
		hsmStoreID: {"payments-hsm", "AWS_CLOUDHSM", "CONNECTED", hsmCluster, "2024-01-15T09:30:00Z"},
		xksStoreID: {"payments-xks", "EXTERNAL_KEY_STORE", "CONNECTED", xksEndpoint + xksPath + " (PUBLIC_ENDPOINT)", "2024-01-16T09:30:00Z"},
	}
	for id, cols := range wantRows {
		row := findLine(lines, id)
		for _, c := range cols {
			if !strings.Contains(row, c) {
				t.Errorf("row of %s = %q, lacks %q", id, row, c)
			}
		}
	}

	// One store by name.
	r = runCKS(t, env, "", "describe", "--endpoint-url", url, "--name", "payments-xks")
	if r.code != 0 || strings.Count(r.stdout, "\n") != 2 || !strings.Contains(r.stdout, xksStoreID) {
		t.Errorf("describe --name: %v", r)
	}
	// A store that does not exist: exit 1 and KMS's exception.
	r = runCKS(t, env, "", "describe", "--endpoint-url", url, "--id", "cks-00000000000000000")
	if r.code != 1 || !strings.Contains(r.stderr, "CustomKeyStoreNotFoundException") {
		t.Errorf("describe unknown id: %v", r)
	}
}

func findLine(lines []string, substr string) string {
	for _, l := range lines {
		if strings.Contains(l, substr) {
			return l
		}
	}
	return ""
}
