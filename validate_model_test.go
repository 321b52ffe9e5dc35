package kms

import (
	"strings"
	"testing"

	"github.com/kmskit/kms/internal/kmsmodel"
	"github.com/kmskit/kms/internal/kmsmodel/modelregexp"
)

// TestMatcherOfAgreesWithModel: the hand-written matcher chosen for each
// model pattern (every one in kmsmodel.Patterns has one) answers as the
// model's pattern compiled by modelregexp does.
func TestMatcherOfAgreesWithModel(t *testing.T) {
	values := []string{
		"cluster-234abcdefghij", "cluster-1a23b4cdefg", "xcluster-234abcdefghijx", "cluster-234",
		"https://proxy.example.com", "http://proxy.example.com", "https://a/b",
		"/kms/xks/v1", "/prefix/kms/xks/v12", "/kms/xks/v123", "kms/xks/v1", "//kms/xks/v1",
		"com.amazonaws.vpce.us-east-1.vpce-svc-0abc", "eu.amazonaws.vpce.eu-west-1.vpce-svc-1", "com.amazonaws.vpce.us-1.vpce-svc-1",
		"111122223333", "x111122223333x", "11112222333",
		"ABCDEFGHIJKLMNOPQRST", "ABCDEFGHIJKLMNOPQRS1", "abcdefghijklmnopqrst",
		strings.Repeat("a/+=", 11), strings.Repeat("a#", 22), "é",
		"", "\u00ff", "\u0100", "\t", "\x00", "\xff", "marker-\u00e9",
	}
	for _, p := range kmsmodel.Patterns {
		match := matcherOf(p)
		if match == nil {
			t.Errorf("pattern %s has no hand-written matcher: Validate would not check it", p.Source)
			continue
		}
		for _, v := range values {
			if got, want := match(v), modelregexp.MatchString(p, v); got != want {
				t.Errorf("pattern %s on %q: matcher says %v, model %v", p.Source, v, got, want)
			}
		}
	}
}
