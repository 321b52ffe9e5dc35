package kms_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// exampleFiles hold the Examples that README snippets are copied from.
var exampleFiles = []string{"example_test.go", "examples/withconfig/example_test.go", "xksproxy/example_test.go", "kmstest/xks_proxy_example_test.go"}

// TestREADMESnippetsAreExamples: every Go snippet in README.md is a run of
// lines of an Example function's body (one tab less indented), so every
// snippet compiles and runs under go test.
func TestREADMESnippetsAreExamples(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	require.NoError(t, err)
	snippets := goSnippets(string(readme))
	require.NotEmpty(t, snippets)

	var bodies [][]string
	for _, path := range exampleFiles {
		bodies = append(bodies, exampleBodies(t, path)...)
	}
	for _, snippet := range snippets {
		found := slices.ContainsFunc(bodies, func(body []string) bool { return containsRun(body, snippet) })
		require.True(t, found, "README snippet is not a copy of part of an Example in %v:\n%s", exampleFiles, strings.Join(snippet, "\n"))
	}
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
// one tab less indented.
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
	require.NotEmpty(t, bodies, "no Examples in %s", path)
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
