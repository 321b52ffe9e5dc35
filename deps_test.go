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
// its non-test code imports) links none of what would add to every user's
// binary without need: test machinery, the fake, the official client or
// the SDK's config module (NewFromConfig reads aws.Config through small
// interfaces instead). regexp is allowed: Validate matches the model's
// patterns with it, each written once (issue 19 §6).
func TestDepsLeaveOutHeavyPackages(t *testing.T) {
	goCmd, err := exec.LookPath("go")
	require.NoError(t, err, "the go command is needed to list the package's dependencies")
	out, err := exec.Command(goCmd, "list", "-deps", "github.com/kmskit/kms").Output()
	require.NoError(t, err, "go list -deps github.com/kmskit/kms")
	deps := strings.Fields(string(out))
	require.Contains(t, deps, "github.com/kmskit/kms", "go list listed the package itself")
	require.Contains(t, deps, "regexp", "Validate matches the model's patterns with regexp")
	for _, forbidden := range []string{
		"testing", "net/http/httptest", "github.com/stretchr/testify/assert", "github.com/kmskit/kms/kmstest",
		"github.com/aws/aws-sdk-go-v2/service/kms", "github.com/aws/aws-sdk-go-v2/config",
	} {
		assert.False(t, slices.Contains(deps, forbidden), "package kms links %s", forbidden)
	}
}
