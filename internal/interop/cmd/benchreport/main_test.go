package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const sampleRaw = `goos: linux
goarch: amd64
pkg: github.com/kmskit/kms/internal/interop
cpu: AMD EPYC
BenchmarkClientOnly/ours-2         	  251395	      5000 ns/op	    2784 B/op	      22 allocs/op
BenchmarkClientOnly/ours-2         	  251395	      4000 ns/op	    2784 B/op	      22 allocs/op
BenchmarkClientOnly/ours-2         	  251395	      9000 ns/op	    2784 B/op	      22 allocs/op
BenchmarkClientOnly/official-2     	   34522	     30000 ns/op	   24367 B/op	     271 allocs/op
BenchmarkClientOnly/official-2     	   34522	     20000 ns/op	   24367 B/op	     271 allocs/op
BenchmarkLoopback/ours-2           	   22738	     66000 ns/op	    9489 B/op	     109 allocs/op
BenchmarkLoopback/floor-sign-2     	   15190	     60000 ns/op	   12193 B/op	     143 allocs/op
BenchmarkErrorPath/ours-2          	   77344	     15895 ns/op	    6048 B/op	      80 allocs/op
BenchmarkErrorPath/official-2      	   18228	     69693 ns/op	   29071 B/op	     320 allocs/op
BenchmarkLifecycleClientOnly/Create/ours-2         	    3000	     20000 ns/op	    7056 B/op	     120 allocs/op
BenchmarkLifecycleClientOnly/Create/official-2     	    3000	    100000 ns/op	   24525 B/op	     275 allocs/op
BenchmarkLifecycleClientOnly/Describe10/ours-2     	    3000	     40000 ns/op	   26912 B/op	     262 allocs/op
BenchmarkLifecycleClientOnly/Describe10/official-2 	    3000	    100000 ns/op	   31727 B/op	     420 allocs/op
BenchmarkLifecycleClientOnly/Connect/ours-2        	    3000	     12000 ns/op	    5776 B/op	      62 allocs/op
BenchmarkLifecycleClientOnly/Connect/official-2    	    3000	     80000 ns/op	   23917 B/op	     270 allocs/op
BenchmarkLifecycleClientOnly/Disconnect/ours-2     	    3000	     12000 ns/op	    5782 B/op	      62 allocs/op
BenchmarkLifecycleClientOnly/Disconnect/official-2 	    3000	     80000 ns/op	   23912 B/op	     270 allocs/op
BenchmarkLifecycleClientOnly/Delete/ours-2         	    3000	     12000 ns/op	    5779 B/op	      62 allocs/op
BenchmarkLifecycleClientOnly/Delete/official-2     	    3000	     80000 ns/op	   23905 B/op	     270 allocs/op
PASS
`

func TestParseAndMedians(t *testing.T) {
	r, hdr, err := parse(strings.NewReader(sampleRaw))
	require.NoError(t, err)
	assert.Equal(t, "AMD EPYC", hdr["cpu"])
	assert.Len(t, r["BenchmarkClientOnly/ours"], 3)
	m, ok := r.median("BenchmarkClientOnly/ours", ns)
	assert.True(t, ok)
	assert.Equal(t, 5000.0, m)
	m, _ = r.median("BenchmarkClientOnly/official", ns)
	assert.Equal(t, 25000.0, m, "even count: mean of the middle two")
	_, ok = r.median("BenchmarkNope", ns)
	assert.False(t, ok)

	_, _, err = parse(strings.NewReader("PASS\n"))
	assert.Error(t, err)
}

// inputs writes sampleRaw, a benchstat table and a go.mod into a temporary
// directory and returns their paths and the path to write the report to.
func inputs(t *testing.T) (raw, stat, gomod, out string) {
	t.Helper()
	dir := t.TempDir()
	raw = filepath.Join(dir, "bench.txt")
	stat = filepath.Join(dir, "stat.txt")
	gomod = filepath.Join(dir, "go.mod")
	out = filepath.Join(dir, "BENCHMARKS.md")
	require.NoError(t, os.WriteFile(raw, []byte(sampleRaw), 0o644))
	require.NoError(t, os.WriteFile(stat, []byte("the benchstat table\n"), 0o644))
	require.NoError(t, os.WriteFile(gomod, []byte("module x\n\nrequire (\n\tgithub.com/aws/aws-sdk-go-v2 v1.48.0\n\tgithub.com/aws/aws-sdk-go-v2/service/kms v1.62.6 // indirect\n)\n"), 0o644))
	return raw, stat, gomod, out
}

func TestReportVerdicts(t *testing.T) {
	raw, stat, gomod, out := inputs(t)
	require.NoError(t, run(raw, stat, "go test -bench .\nbenchstat bench.txt", gomod, out, sizeReport{}))
	b, err := os.ReadFile(out)
	require.NoError(t, err)
	md := string(b)
	// 5000/25000 = 0.2: met (≤ 0.50); 22/271 allocs = 0.081: met (≤ 0.40).
	// Each with the time saved per call.
	assert.Contains(t, md, "| client cost alone: ours / official, ns/op | 0.200 (5.0 µs ClientOnly/ours / 25.0 µs ClientOnly/official) | ≤ 0.500 | saves 20.0 µs per call | met |")
	assert.Contains(t, md, "| client cost alone: ours / official, allocs/op | 0.081 (22 allocs ClientOnly/ours / 271 allocs ClientOnly/official) | ≤ 0.400 | saves 20.0 µs per call | met |")
	// The retired targets are information now.
	assert.Contains(t, md, "- end to end on loopback: ours / signing floor, ns/op: 1.100 (66.0 µs Loopback/ours / 60.0 µs Loopback/floor-sign; costs 6.0 µs more per call)")
	assert.Contains(t, md, "- error path: ours / official, allocs/op: 0.250 (80 allocs ErrorPath/ours / 320 allocs ErrorPath/official; saves 53.8 µs per call)")
	assert.NotContains(t, md, "≤ 70")
	assert.NotContains(t, md, "## Binary size", "no sizes given, no section")
	// Per operation: Update from ClientOnly, the others from
	// LifecycleClientOnly, with the time saved and both allocation counts.
	assert.Contains(t, md, "| UpdateCustomKeyStore | full external key store update; `{}` | 0.200 (5.0 µs / 25.0 µs) | saves 20.0 µs per call | 0.081 (22 / 271) | ≤ 0.50× met | ≤ 0.40× met |")
	assert.Contains(t, md, "| ConnectCustomKeyStore | store ID; `{}` | 0.150 (12.0 µs / 80.0 µs) | saves 68.0 µs per call | 0.230 (62 / 270) | ≤ 0.50× met | ≤ 0.40× met |")
	assert.Contains(t, md, "| DeleteCustomKeyStore | store ID; `{}` | 0.150 (12.0 µs / 80.0 µs) | saves 68.0 µs per call | 0.230 (62 / 270) | ≤ 0.50× met | ≤ 0.40× met |")
	// Create: 0.2, met; 120/275 = 0.436 allocs, over 0.40× by 10, 58 more than Connect.
	assert.Contains(t, md, "| 0.200 (20.0 µs / 100.0 µs) | saves 80.0 µs per call | 0.436 (120 / 275) | ≤ 0.50× met | ≤ 0.40× MISSED |")
	assert.Contains(t, md, "- CreateCustomKeyStore, allocs/op: 120, 0.436× the official client's 275, 10 over the 0.40× limit. ConnectCustomKeyStore (one ID in, empty response) takes 62: the other 58 are this operation's own input and response.")
	// Describe: its own targets, 1.0× both: 0.4 and 262/420, met.
	assert.Contains(t, md, "| DescribeCustomKeyStores | no filter; a page of 10 stores, decoded | 0.400 (40.0 µs / 100.0 µs) | saves 60.0 µs per call | 0.624 (262 / 420) | ≤ 1.00× met | ≤ 1.00× met |")
	assert.Contains(t, md, "**Missed in this run:** client alone, CreateCustomKeyStore: allocs/op ratio.")
	assert.Contains(t, md, "service/kms v1.62.6")
	assert.Contains(t, md, "go test -bench .\nbenchstat bench.txt")
	assert.Contains(t, md, "the benchstat table")

	// A slower Describe misses its 1.0× target and says by how much.
	slower := strings.Replace(sampleRaw, "40000 ns/op", "120000 ns/op", 1)
	require.NoError(t, os.WriteFile(raw, []byte(slower), 0o644))
	require.NoError(t, run(raw, stat, "cmd", gomod, out, sizeReport{}))
	b, err = os.ReadFile(out)
	require.NoError(t, err)
	assert.Contains(t, string(b), "| 1.200 (120.0 µs / 100.0 µs) | costs 20.0 µs more per call | 0.624 (262 / 420) | ≤ 1.00× MISSED | ≤ 1.00× met |")
	assert.Contains(t, string(b), "- DescribeCustomKeyStores, ns/op: 1.200× the official's, over the 1.00× limit by 20.0 µs per call.")
	assert.Contains(t, string(b), "**Missed in this run:** client alone, CreateCustomKeyStore: allocs/op ratio; client alone, DescribeCustomKeyStores: ns/op ratio.")

	// Without the lifecycle benchmarks each operation says it was not
	// measured, and counts as missed.
	var onlyUpdate []string
	for _, line := range strings.Split(sampleRaw, "\n") {
		if !strings.HasPrefix(line, "BenchmarkLifecycle") {
			onlyUpdate = append(onlyUpdate, line)
		}
	}
	require.NoError(t, os.WriteFile(raw, []byte(strings.Join(onlyUpdate, "\n")), 0o644))
	require.NoError(t, run(raw, stat, "cmd", gomod, out, sizeReport{}))
	b, err = os.ReadFile(out)
	require.NoError(t, err)
	assert.Contains(t, string(b), "| UpdateCustomKeyStore | full external key store update; `{}` | 0.200 (5.0 µs / 25.0 µs) |")
	assert.Contains(t, string(b), "| CreateCustomKeyStore | external key store, VPC endpoint service; the new ID | not measured | | | NOT MEASURED | NOT MEASURED |")
	assert.Contains(t, string(b), "client alone, DeleteCustomKeyStore: not measured.")
}

// TestReportBinarySize: the sizes of the programs become a table of what
// each client adds over the floor, the six-operation pair judged against
// the 0.75 target, the one-operation pair for information.
func TestReportBinarySize(t *testing.T) {
	raw, stat, gomod, out := inputs(t)
	sizes := filepath.Join(filepath.Dir(out), "sizes.txt")

	report := func(text string) (string, error) {
		require.NoError(t, os.WriteFile(sizes, []byte(text), 0o644))
		if err := run(raw, stat, "cmd", gomod, out, sizeReport{path: sizes, cmd: "make binsize"}); err != nil {
			return "", err
		}
		b, err := os.ReadFile(out)
		require.NoError(t, err)
		return string(b), nil
	}

	// Six operations: ours adds 750, official 1000: 0.75, met at the limit.
	// One operation: ours adds 850, official 900: 0.944, information only.
	md, err := report("floor 5000\nours 5750\nofficial 6000\nours-one-op 5850\nofficial-one-op 5900\n")
	require.NoError(t, err)
	assert.Contains(t, md, "## Binary size")
	assert.Contains(t, md, "make binsize")
	assert.Contains(t, md, "| ours: github.com/kmskit/kms | six operations, one call each | 5750 | 0.01 MiB | 750 (0.00 MiB) |")
	assert.Contains(t, md, "| official-one-op: aws-sdk-go-v2/service/kms | one operation (UpdateCustomKeyStore) | 5900 | 0.01 MiB | 900 (0.00 MiB) |")
	assert.Contains(t, md, "| added size, six operations, one call each: ours / official | 0.750 (0.00 MiB / 0.00 MiB; 0.00 MiB smaller) | ≤ 0.75 | met |")
	assert.Contains(t, md, "| added size, one operation (UpdateCustomKeyStore): ours / official | 0.944 (0.00 MiB / 0.00 MiB; 0.00 MiB smaller) | information | |")
	assert.NotContains(t, md, "| ≤ 0.75 | MISSED |")
	assert.Contains(t, md, "The five operations besides UpdateCustomKeyStore add -100 bytes (-0 KiB) to ours and 100 bytes (0 KiB) to the official client.")
	assert.NotContains(t, md, "added binary size")

	// Six operations: ours adds 800: 0.8, missed and listed; the one-op pair
	// is optional.
	md, err = report("floor 5000\nours 5800\nofficial 6000\n")
	require.NoError(t, err)
	assert.Contains(t, md, "| added size, six operations, one call each: ours / official | 0.800 (")
	assert.Contains(t, md, "| ≤ 0.75 | MISSED |")
	assert.NotContains(t, md, "one operation (UpdateCustomKeyStore)")
	assert.Contains(t, md, "- six operations, one call each: ours adds 50 bytes (0 KiB) more than the limit allows.")
	assert.Contains(t, md, "added binary size, six operations, one call each: ours / official.")

	for _, bad := range []string{"floor 5000\nours 5400\n", "floor x\nours 1\nofficial 2\n", "floor 1 2\n"} {
		_, err := report(bad)
		assert.Error(t, err, bad)
	}
}

// TestReportKeepsOtherSections: a section benchreport does not write (the
// root module's downtime benchmark) survives a regeneration once, after the
// generated ones; the generated ones are replaced, not repeated.
func TestReportKeepsOtherSections(t *testing.T) {
	raw, stat, gomod, out := inputs(t)
	require.NoError(t, run(raw, stat, "cmd", gomod, out, sizeReport{}))
	b, err := os.ReadFile(out)
	require.NoError(t, err)
	downtime := "## Downtime, measured\n\nHow long Apply keeps keys unusable.\n\n```text\n## not a heading\n```\n\n| 3 s | 6.017 s |\n"
	require.NoError(t, os.WriteFile(out, append(b, []byte("\n"+downtime)...), 0o644))

	for range 2 {
		require.NoError(t, run(raw, stat, "cmd", gomod, out, sizeReport{}))
		b, err = os.ReadFile(out)
		require.NoError(t, err)
		md := string(b)
		assert.Equal(t, 1, strings.Count(md, "## Downtime, measured"))
		assert.Equal(t, 1, strings.Count(md, "## Targets"))
		assert.Equal(t, 1, strings.Count(md, "## benchstat"))
		assert.True(t, strings.HasSuffix(md, "\n"+downtime), "kept verbatim at the end")
		assert.Less(t, strings.Index(md, "## benchstat"), strings.Index(md, "## Downtime, measured"))
	}
}
