package main

import (
	"fmt"
	"strings"
)

// opBench names the client-alone benchmarks of one custom key store
// operation, ours and official, with its targets: ours / official at most
// maxNs in ns/op and maxAllocs in allocs/op.
type opBench struct {
	op       string
	what     string // what the call sends and gets back
	ours     string
	official string
	maxNs    float64
	maxAlloc float64
}

// lifecycle is BenchmarkLifecycleClientOnly (internal/interop
// bench_lifecycle_test.go): one sub-benchmark per operation.
func lifecycle(sub, who string) string { return "BenchmarkLifecycleClientOnly/" + sub + "/" + who }

// describeStores is how many stores the Describe benchmark's canned page
// holds (describeBody(10) in bench_lifecycle_test.go).
const describeStores = 10

// emptyResponseOp is the operation whose call has the least to do besides
// the shared machinery (validate, encode, sign, retryer, send): its input
// is one ID and its response is empty. The other operations' extra
// allocations are counted from it.
const emptyResponseOp = "ConnectCustomKeyStore"

// The per-operation targets (issue 19): the client alone at most 0.50× the
// official client's ns/op and 0.40× its allocations; Describe of a page of
// 10 stores, decoded with encoding/json, at most 1.0× both.
const (
	maxOpNsRatio       = 0.50
	maxOpAllocsRatio   = 0.40
	maxDescribeRatio   = 1.0
	describeOp         = "DescribeCustomKeyStores"
	describeBenchSuite = "Describe10"
)

var opBenches = []opBench{
	{"UpdateCustomKeyStore", "full external key store update; `{}`", clientOurs, clientOfficial, maxOpNsRatio, maxOpAllocsRatio},
	{"CreateCustomKeyStore", "external key store, VPC endpoint service; the new ID", lifecycle("Create", "ours"), lifecycle("Create", "official"), maxOpNsRatio, maxOpAllocsRatio},
	{describeOp, fmt.Sprintf("no filter; a page of %d stores, decoded", describeStores), lifecycle(describeBenchSuite, "ours"), lifecycle(describeBenchSuite, "official"), maxDescribeRatio, maxDescribeRatio},
	{"ConnectCustomKeyStore", "store ID; `{}`", lifecycle("Connect", "ours"), lifecycle("Connect", "official"), maxOpNsRatio, maxOpAllocsRatio},
	{"DisconnectCustomKeyStore", "store ID; `{}`", lifecycle("Disconnect", "ours"), lifecycle("Disconnect", "official"), maxOpNsRatio, maxOpAllocsRatio},
	{"DeleteCustomKeyStore", "store ID; `{}`", lifecycle("Delete", "ours"), lifecycle("Delete", "official"), maxOpNsRatio, maxOpAllocsRatio},
}

// opResult is one operation's medians and verdicts.
type opResult struct {
	opBench
	ok                       bool // all four medians present
	oursNs, officialNs       float64
	oursAllocs, officialAlls float64
	nsMet, allocsMet         bool
}

func measureOps(r results) []opResult {
	var out []opResult
	for _, b := range opBenches {
		o := opResult{opBench: b}
		var ok [4]bool
		o.oursNs, ok[0] = r.median(b.ours, ns)
		o.officialNs, ok[1] = r.median(b.official, ns)
		o.oursAllocs, ok[2] = r.median(b.ours, allocs)
		o.officialAlls, ok[3] = r.median(b.official, allocs)
		o.ok = ok[0] && ok[1] && ok[2] && ok[3] && o.officialNs > 0
		if o.ok {
			o.nsMet = o.oursNs/o.officialNs <= b.maxNs
			o.allocsMet = o.officialAlls > 0 && o.oursAllocs/o.officialAlls <= b.maxAlloc
		}
		out = append(out, o)
	}
	return out
}

func verdict(met bool) string {
	if met {
		return "met"
	}
	return "MISSED"
}

// writeOps writes the per-operation table and says by how much each missed
// target is missed; it returns the missed targets' names.
func writeOps(p func(string, ...any), r results) []string {
	ops := measureOps(r)
	p("### Per operation: the client alone\n\n")
	p("Each operation's `ClientOnly`-style benchmark (canned 200 response, no network), ours next to\n")
	p("aws-sdk-go-v2/service/kms. Targets: ours / official ≤ %.2f× in ns/op and ≤ %.2f× in allocs/op,\n", maxOpNsRatio, maxOpAllocsRatio)
	p("and for %s (a page of %d stores) ≤ %.1f× in both.\n\n", describeOp, describeStores, maxDescribeRatio)
	p("| operation | request; response | ns/op ours / official | per call | allocs/op ours / official | ns/op target | allocs/op target |\n")
	p("|---|---|---|---|---|---|---|\n")
	var missed []string
	var base *opResult
	for i := range ops {
		if ops[i].op == emptyResponseOp && ops[i].ok {
			base = &ops[i]
		}
	}
	var notes []string
	for _, o := range ops {
		if !o.ok {
			p("| %s | %s | not measured | | | NOT MEASURED | NOT MEASURED |\n", o.op, o.what)
			missed = append(missed, "client alone, "+o.op+": not measured")
			continue
		}
		p("| %s | %s | %.3f (%s / %s) | %s | %.3f (%.0f / %.0f) | ≤ %.2f× %s | ≤ %.2f× %s |\n", o.op, o.what,
			o.oursNs/o.officialNs, human(o.oursNs, "ns/op"), human(o.officialNs, "ns/op"),
			perCall(r, o.ours, o.official), o.oursAllocs/o.officialAlls, o.oursAllocs, o.officialAlls,
			o.maxNs, verdict(o.nsMet), o.maxAlloc, verdict(o.allocsMet))
		if !o.nsMet {
			over := o.oursNs - o.maxNs*o.officialNs
			missed = append(missed, "client alone, "+o.op+": ns/op ratio")
			notes = append(notes, fmt.Sprintf("- %s, ns/op: %.3f× the official's, over the %.2f× limit by %.1f µs per call.",
				o.op, o.oursNs/o.officialNs, o.maxNs, over/1e3))
		}
		if !o.allocsMet {
			missed = append(missed, "client alone, "+o.op+": allocs/op ratio")
			note := fmt.Sprintf("- %s, allocs/op: %.0f, %.3f× the official client's %.0f, %.0f over the %.2f× limit.",
				o.op, o.oursAllocs, o.oursAllocs/o.officialAlls, o.officialAlls, o.oursAllocs-o.maxAlloc*o.officialAlls, o.maxAlloc)
			if base != nil && o.op != base.op {
				extra := o.oursAllocs - base.oursAllocs
				note += fmt.Sprintf(" %s (one ID in, empty response) takes %.0f: the other %.0f are this operation's own input and response",
					base.op, base.oursAllocs, extra)
				if o.op == describeOp {
					note += fmt.Sprintf(", about %.1f per store of the page (the official client: %.1f per store over its own %s)",
						extra/describeStores, (o.officialAlls-base.officialAlls)/describeStores, base.op)
				}
				note += "."
			}
			notes = append(notes, note)
		}
	}
	p("\n")
	if len(notes) > 0 {
		p("Missed, by how much:\n\n%s\n\n", strings.Join(notes, "\n"))
	}
	return missed
}
