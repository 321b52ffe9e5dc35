package kms

import (
	"os/exec"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestDepsLeaveOutHeavyPackages: the library (package kms and everything
// its non-test code imports) does not import packages that would add to
// every user's binary without need (see BENCHMARKS.md, binary size):
// regexp (the model's patterns are checked by hand-written matchers; the
// compiled patterns live in internal/kmsmodel/modelregexp, for the fake and
// tests). encoding/json is not on the list: log/slog, the type of
// Options.Logger, links its encoder whatever this package does (its default
// handler can write JSON).
func TestDepsLeaveOutHeavyPackages(t *testing.T) {
	goCmd, err := exec.LookPath("go")
	require.NoError(t, err, "the go command is needed to list the package's dependencies")
	out, err := exec.Command(goCmd, "list", "-deps", "github.com/kmskit/kms").Output()
	require.NoError(t, err, "go list -deps github.com/kmskit/kms")
	deps := strings.Fields(string(out))
	require.Contains(t, deps, "github.com/kmskit/kms", "go list listed the package itself")
	for _, forbidden := range []string{"regexp", "regexp/syntax"} {
		assert.False(t, slices.Contains(deps, forbidden), "package kms links %s", forbidden)
	}
}
