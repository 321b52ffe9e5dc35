package kms_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestREADMESnippetsAreExamples: every Go snippet in README.md is a run of
// lines of an Example function's body (one tab less indented) in some test
// file of the repository, so every snippet compiles and runs under go test.
func TestREADMESnippetsAreExamples(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	require.NoError(t, err)
	snippets := goSnippets(string(readme))
	require.NotEmpty(t, snippets)

	var bodies [][]string
	for _, path := range testFiles(t) {
		bodies = append(bodies, exampleBodies(t, path)...)
	}
	require.NotEmpty(t, bodies, "no Example functions in the repository")
	for _, snippet := range snippets {
		found := slices.ContainsFunc(bodies, func(body []string) bool { return containsRun(body, snippet) })
		require.True(t, found, "README snippet is not a copy of part of an Example function:\n%s", strings.Join(snippet, "\n"))
	}
}

// testFiles returns every _test.go file of every module in the repository.
func testFiles(t *testing.T) []string {
	t.Helper()
	var paths []string
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "node_modules" || d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".") && path != ".") {
			return filepath.SkipDir
		}
		if !d.IsDir() && strings.HasSuffix(path, "_test.go") {
			paths = append(paths, path)
		}
		return nil
	})
	require.NoError(t, err)
	return paths
}

// goSnippets returns the lines of each ```go block of markdown.
func goSnippets(markdown string) [][]string {
	var snippets [][]string
	var current []string
	in := false
	for _, line := range strings.Split(markdown, "\n") {
		switch {
		case !in && strings.TrimSpace(line) == "```go":
			in, current = true, nil
		case in && strings.TrimSpace(line) == "```":
			in = false
			snippets = append(snippets, current)
		case in:
			current = append(current, strings.TrimRight(line, " \t"))
		}
	}
	return snippets
}

// exampleBodies returns the body lines of each Example function in path,
// one tab less indented; none when path has none.
func exampleBodies(t *testing.T, path string) [][]string {
	t.Helper()
	src, err := os.ReadFile(path)
	require.NoError(t, err)
	fset := token.NewFileSet()
	file, err := parser.ParseFile(fset, path, src, parser.ParseComments)
	require.NoError(t, err)
	var bodies [][]string
	for _, decl := range file.Decls {
		fn, ok := decl.(*ast.FuncDecl)
		if !ok || !strings.HasPrefix(fn.Name.Name, "Example") || fn.Body == nil {
			continue
		}
		start := fset.Position(fn.Body.Lbrace).Offset + 1
		end := fset.Position(fn.Body.Rbrace).Offset
		var body []string
		for _, line := range strings.Split(strings.Trim(string(src[start:end]), "\n"), "\n") {
			body = append(body, strings.TrimRight(strings.TrimPrefix(line, "\t"), " \t"))
		}
		bodies = append(bodies, body)
	}
	return bodies
}

// containsRun reports whether lines holds run as consecutive lines.
func containsRun(lines, run []string) bool {
	for i := 0; i+len(run) <= len(lines); i++ {
		if slices.Equal(lines[i:i+len(run)], run) {
			return true
		}
	}
	return false
}

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
