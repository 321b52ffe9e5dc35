package main

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// goOptionField is a Go option field as a message would name it.
var goOptionField = regexp.MustCompile(`\b[A-Z][A-Za-z]*Options\.[A-Z][A-Za-z]*|\bOptions\.[A-Z][A-Za-z]*`)

// TestOperatorTextMapsEveryGoOption: every Go option field that a string
// of the library's packages cks calls (kms, safeupdate, xksproxy) names is
// one operatorText replaces with a cks flag, so no message cks prints asks
// an operator to set a Go field.
func TestOperatorTextMapsEveryGoOption(t *testing.T) {
	mapped := map[string]bool{}
	for i := 0; i < len(goOptionFlags); i += 2 {
		mapped[goOptionFlags[i]] = true
	}
	seen := 0
	for _, dir := range []string{"../..", "../../safeupdate", "../../xksproxy"} {
		files, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil {
			t.Fatal(err)
		}
		for _, path := range files {
			if strings.HasSuffix(path, "_test.go") {
				continue
			}
			f, err := parser.ParseFile(token.NewFileSet(), path, nil, 0)
			if err != nil {
				t.Fatal(err)
			}
			ast.Inspect(f, func(n ast.Node) bool {
				lit, ok := n.(*ast.BasicLit)
				if !ok || lit.Kind != token.STRING {
					return true
				}
				s, err := strconv.Unquote(lit.Value)
				if err != nil {
					return true
				}
				for _, name := range goOptionField.FindAllString(s, -1) {
					seen++
					if !mapped[name] {
						t.Errorf("%s: a message names %s, which operatorText does not map to a cks flag: %q", path, name, s)
					}
				}
				return true
			})
		}
	}
	if seen == 0 {
		t.Fatal("no library message names a Go option: the scan finds nothing")
	}
	if got := operatorText("set PlanOptions.AllowDisconnect to allow it; set PreflightOptions.Credential"); got != "pass --allow-disconnect to allow it; pass --current-credential-file (or --current-access-key-id with --current-secret-access-key-file)" {
		t.Errorf("operatorText = %q", got)
	}
}
