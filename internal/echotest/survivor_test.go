package echotest

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestSurvivor(t *testing.T) {
	known := func(w string) bool { return w == "ValidationException" }
	tests := []struct{ s, secret, want string }{
		{"clean text", "Password1!", ""},
		{"pw Password1! x", "Password1!", "Password1!"},
		{"xxxxPassword1xxxx", "Password1!", "Password1"},
		{"xxPasswoxx", "Password1!", ""}, // 6 of 10: MaxKept
		{"cluster-free23456abc", "kmsuser-free", ""},
		{"clustuser-free23456abc", "kmsuser-free", "user-free"},
		{`m="ab\"cd\"ef\"gh"`, `ab"cd"ef"gh`, `ab\"cd\"ef\"gh`},
		{"p=a+b%2Fcdefgh", "a b/cdefgh", "a+b%2Fcdefgh"},
		{"tabs abc\tdef\t\tghi", "abc def ghi", "abc def ghi"},
		{"zw abcde\u200bfghij", "abcdefghij", "abcdefghij"},
		{"cut 'Pass...'", "Password1!", "Pass"},
		{"cut '...ord1!'", "Password1!", "ord1!"},
		{"cut 'Pas...'", "Password1!", ""},
		{"kms: ValidationException: m", "ValidationException", ""},
		{"xksproxy: Op: Name: 00000 (status 285)", " 000000", " 00000"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, Survivor(tt.s, tt.secret, known), "Survivor(%q, %q)", tt.s, tt.secret)
	}
	for n, want := range map[int]int{4: 3, 6: 5, 10: 6, 12: 8, 15: 10, 43: 28} {
		assert.Equal(t, want, MaxKept(n), "MaxKept(%d)", n)
	}
}
