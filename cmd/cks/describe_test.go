package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

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

// TestDescribeShowsWhichCredential: the XKS AccessKeyId KMS holds shows as
// its last 4 characters in the table and JSON, so a rotation can be
// confirmed; --show-access-key-id shows it whole; the secret never shows.
func TestDescribeShowsWhichCredential(t *testing.T) {
	url, _ := startKMS(t, baseSeed(), 50*time.Millisecond)
	env := cksEnv(t)
	masked := "…" + xksAccessKey[len(xksAccessKey)-4:]

	for _, show := range []bool{false, true} {
		want := masked
		args := []string{"--endpoint-url", url, "--id", xksStoreID}
		if show {
			want = xksAccessKey
			args = append(args, "--show-access-key-id")
		}
		r := runCKS(t, env, "", append([]string{"describe"}, args...)...)
		if r.code != 0 {
			t.Fatalf("describe: %v", r)
		}
		lines := strings.Split(strings.TrimSuffix(r.stdout, "\n"), "\n")
		if len(lines) != 2 || !strings.Contains(lines[0], "XKS ACCESS KEY ID") || !strings.Contains(lines[1], " "+want+" ") {
			t.Errorf("show %v: table lacks the AccessKeyId %q: %v", show, want, r)
		}
		if !show && strings.Contains(r.stdout, xksAccessKey) {
			t.Errorf("the table shows the whole AccessKeyId without --show-access-key-id: %v", r)
		}

		r = runCKS(t, env, "", append([]string{"describe", "--output", "json"}, args...)...)
		var out struct {
			CustomKeyStores []struct {
				XksProxyConfiguration struct{ AccessKeyId, UriPath string }
			}
		}
		if err := json.Unmarshal([]byte(r.stdout), &out); err != nil || r.code != 0 || len(out.CustomKeyStores) != 1 {
			t.Fatalf("describe --output json: %v %v", err, r)
		}
		if x := out.CustomKeyStores[0].XksProxyConfiguration; x.AccessKeyId != want || x.UriPath != xksPath {
			t.Errorf("show %v: JSON XksProxyConfiguration %+v, want AccessKeyId %q", show, x, want)
		}
		if !show && strings.Contains(r.stdout, xksAccessKey) {
			t.Errorf("the JSON shows the whole AccessKeyId without --show-access-key-id: %v", r)
		}
		if strings.Contains(r.stdout+r.stderr, xksSecret) {
			t.Errorf("the secret was printed: %v", r)
		}
	}

	// A CloudHSM store has no XKS credential: "-".
	r := runCKS(t, env, "", "describe", "--endpoint-url", url, "--id", hsmStoreID)
	if row := strings.Split(r.stdout, "\n")[1]; r.code != 0 || !strings.Contains(row, hsmCluster+"  -  ") {
		t.Errorf("CloudHSM row: %v", r)
	}
}

// hostileKMS is a KMS endpoint that answers every DescribeCustomKeyStores
// with the store entries and NextMarker page(n) gives for the n-th call
// (from 1), and counts the calls. invalidUTF8 in a string is sent as the
// byte 0xff, which no JSON encoder writes.
func hostileKMS(t *testing.T, page func(n int) (stores []map[string]any, next string)) (url string, calls *atomic.Int32) {
	t.Helper()
	calls = &atomic.Int32{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("X-Amz-Target") != "TrentService.DescribeCustomKeyStores" {
			http.Error(w, "unexpected call", http.StatusBadRequest)
			return
		}
		stores, next := page(int(calls.Add(1)))
		body := map[string]any{"CustomKeyStores": stores}
		switch next {
		case "":
		case truncatedNoMarker:
			body["Truncated"] = true
		default:
			body["NextMarker"], body["Truncated"] = next, true
		}
		b, err := json.Marshal(body)
		if err != nil {
			t.Error(err)
		}
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		_, _ = w.Write(bytes.ReplaceAll(b, []byte(invalidUTF8), []byte{0xff}))
	}))
	t.Cleanup(srv.Close)
	return srv.URL, calls
}

const invalidUTF8 = "INVALID-UTF8-HERE"

// truncatedNoMarker, as the next marker of hostileKMS's page, sends
// Truncated true without a NextMarker.
const truncatedNoMarker = "TRUNCATED-WITHOUT-NEXTMARKER"

// TestDescribeBoundsTheListing: a server that sends a new NextMarker on
// every page is listed for maxDescribePages pages at most, and one that
// says a page is truncated without giving a NextMarker is an error, not
// the end of the listing; either exits 1 and prints no partial table.
func TestDescribeBoundsTheListing(t *testing.T) {
	store := func(n int) []map[string]any {
		return []map[string]any{{"CustomKeyStoreId": fmt.Sprintf("cks-%017d", n), "CustomKeyStoreType": "AWS_CLOUDHSM", "ConnectionState": "CONNECTED"}}
	}
	t.Run("endless new markers", func(t *testing.T) {
		url, calls := hostileKMS(t, func(n int) ([]map[string]any, string) {
			if n > 2*maxDescribePages {
				return store(n), "" // so that a cks that never stops fails instead of hanging
			}
			return store(n), fmt.Sprintf("marker-%d", n)
		})
		r := runCKS(t, cksEnv(t), "", "describe", "--endpoint-url", url)
		if r.code != 1 || int(calls.Load()) != maxDescribePages {
			t.Fatalf("%d calls, want %d: %v", calls.Load(), maxDescribePages, r)
		}
		mustContain(t, "stderr", r.stderr, fmt.Sprintf("DescribeCustomKeyStores: stopped after %d pages, each with a new NextMarker (%d stores so far)", maxDescribePages, maxDescribePages))
		if r.stdout != "" {
			t.Errorf("a partial listing was printed: %v", r)
		}
	})
	t.Run("truncated without a marker", func(t *testing.T) {
		url, calls := hostileKMS(t, func(n int) ([]map[string]any, string) {
			if n == 1 {
				return store(n), "first"
			}
			return store(n), truncatedNoMarker
		})
		r := runCKS(t, cksEnv(t), "", "describe", "--endpoint-url", url, "--output", "json")
		if r.code != 1 || calls.Load() != 2 {
			t.Fatalf("%d calls, want 2: %v", calls.Load(), r)
		}
		mustContain(t, "stderr", r.stderr, "Truncated true and no NextMarker")
		if r.stdout != "" {
			t.Errorf("a partial listing was printed: %v", r)
		}
	})
}

// TestDescribeStopsOnRepeatedNextMarker: a server that hands back a
// NextMarker it already sent (the same one, or a cycle) would keep cks
// listing for ever; cks stops at the first repeat, names the marker, exits 1
// and prints no partial table.
func TestDescribeStopsOnRepeatedNextMarker(t *testing.T) {
	for name, markers := range map[string][]string{
		"same marker": {"again"},
		"cycle":       {"m-one", "m-two"},
	} {
		t.Run(name, func(t *testing.T) {
			url, calls := hostileKMS(t, func(n int) ([]map[string]any, string) {
				store := map[string]any{"CustomKeyStoreId": fmt.Sprintf("cks-%017d", n), "CustomKeyStoreType": "AWS_CLOUDHSM", "ConnectionState": "CONNECTED"}
				if n > 100 {
					return []map[string]any{store}, "" // so that a cks that never stops fails instead of hanging
				}
				return []map[string]any{store}, markers[(n-1)%len(markers)]
			})
			r := runCKS(t, cksEnv(t), "", "describe", "--endpoint-url", url)
			want := len(markers) + 1 // the call that repeats the first marker is the last one
			if r.code != 1 || int(calls.Load()) != want {
				t.Fatalf("%d calls, want %d: %v", calls.Load(), want, r)
			}
			mustContain(t, "stderr", r.stderr, "NextMarker", fmt.Sprintf("%q", markers[0]), "repeat forever")
			if r.stdout != "" {
				t.Errorf("a partial listing was printed: %v", r)
			}
		})
	}
}

// TestDescribeServerStringsCannotDriveTheTerminal: strings from the server
// holding ESC sequences (clear screen, an OSC title or link), BEL, CR/LF
// that would forge a table row, a bidi override, DEL, a C1 control and
// invalid UTF-8 are printed in the table cleaned (display.Clean: controls
// as '?', CR, LF and tab as spaces, format characters dropped), and in JSON
// escaped: the same value, with no such character on the terminal.
func TestDescribeServerStringsCannotDriveTheTerminal(t *testing.T) {
	evil := "\x1b[2J\x1b]0;pwned\x07evil\r\ncks-00000000000000000  forged-row\u202egnp.exe\x7f\u0085" + invalidUTF8 + "-end"
	url, _ := hostileKMS(t, func(int) ([]map[string]any, string) {
		return []map[string]any{{
			"CustomKeyStoreId": "cks-1111111111111111\x1b[31m", "CustomKeyStoreName": evil,
			"CustomKeyStoreType": "EXTERNAL_KEY_STORE", "ConnectionState": "FAILED", "ConnectionErrorCode": "XKS_PROXY_TIMED_OUT\r\nX",
			"XksProxyConfiguration": map[string]any{
				"AccessKeyId": "ABCDEFGHIJKLMNOP\u202eQRST", "Connectivity": "PUBLIC_ENDPOINT",
				"UriEndpoint": "https://xks.example.com\x1b]8;;https://evil.example\x07", "UriPath": "/kms/xks/v1",
			},
		}}, ""
	})
	env := cksEnv(t)

	r := runCKS(t, env, "", "describe", "--endpoint-url", url)
	if r.code != 0 {
		t.Fatalf("describe: %v", r)
	}
	assertTerminalSafe(t, "table", r.stdout)
	lines := strings.Split(strings.TrimSuffix(r.stdout, "\n"), "\n")
	if len(lines) != 2 {
		t.Fatalf("the table has %d lines, want a header and one store:\n%s", len(lines), r.stdout)
	}
	mustContain(t, "table row", lines[1], "cks-1111111111111111?[31m", "?[2J?]0;pwned?evil  cks-00000000000000000  forged-rowgnp.exe??\ufffd-end",
		"XKS_PROXY_TIMED_OUT  X", "https://xks.example.com?]8;;https://evil.example?/kms/xks/v1")

	r = runCKS(t, env, "", "describe", "--endpoint-url", url, "--output", "json", "--show-access-key-id")
	if r.code != 0 {
		t.Fatalf("describe --output json: %v", r)
	}
	assertTerminalSafe(t, "JSON", strings.ReplaceAll(r.stdout, "\n", ""))
	mustContain(t, "JSON", r.stdout, `\u001b[2J`, `\u0007`, `\r\n`, `\u202e`, `\u007f`, `\u0085`)
	var out struct {
		CustomKeyStores []struct {
			CustomKeyStoreName    string
			XksProxyConfiguration struct{ AccessKeyId string }
		}
	}
	if err := json.Unmarshal([]byte(r.stdout), &out); err != nil || len(out.CustomKeyStores) != 1 {
		t.Fatalf("JSON: %v\n%s", err, r.stdout)
	}
	if got, want := out.CustomKeyStores[0].CustomKeyStoreName, strings.ReplaceAll(evil, invalidUTF8, "\ufffd"); got != want {
		t.Errorf("JSON name = %q, want the server's %q", got, want)
	}
	if got := out.CustomKeyStores[0].XksProxyConfiguration.AccessKeyId; got != "ABCDEFGHIJKLMNOP\u202eQRST" {
		t.Errorf("JSON AccessKeyId = %q", got)
	}
}

// assertTerminalSafe fails unless out is valid UTF-8 with no control
// character but newline, no format character and no U+2028/U+2029.
func assertTerminalSafe(t *testing.T, what, out string) {
	t.Helper()
	if !utf8.ValidString(out) {
		t.Errorf("%s is not valid UTF-8: %q", what, out)
	}
	for _, r := range out {
		if r != '\n' && (unicode.IsControl(r) || unicode.In(r, unicode.Cf, unicode.Zl, unicode.Zp)) {
			t.Errorf("%s holds %U: %q", what, r, out)
			return
		}
	}
}
