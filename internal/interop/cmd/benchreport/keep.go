package main

import "strings"

// ownSections are the "## " sections benchreport writes; any other section
// of the file it replaces (e.g. "Downtime, measured", written from a root
// module benchmark that `make bench` does not run) is kept, verbatim, after
// them.
var ownSections = map[string]bool{
	"Command": true, "Machine": true, "Targets": true, "Binary size": true,
	"What is measured": true, "How we got here": true, "What remains": true, "benchstat": true,
}

// foreignSections returns the sections of old that benchreport does not
// write, each from its "## " line to the next one (or the end).
func foreignSections(old string) string {
	var kept strings.Builder
	keep := false
	inFence := false
	for _, line := range strings.SplitAfter(old, "\n") {
		if strings.HasPrefix(line, "```") {
			inFence = !inFence
		}
		if !inFence && strings.HasPrefix(line, "## ") {
			keep = !ownSections[strings.TrimSpace(strings.TrimPrefix(line, "## "))]
		} else if !inFence && strings.HasPrefix(line, "# ") {
			keep = false
		}
		if keep {
			kept.WriteString(line)
		}
	}
	return strings.TrimRight(kept.String(), "\n")
}
