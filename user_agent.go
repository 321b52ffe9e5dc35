package kms

import (
	"runtime"
	"strings"
)

// baseUserAgent names this library, its version and the Go runtime.
var baseUserAgent = "kmskit-kms-go/" + Version + " (" + runtime.Version() + "; " + runtime.GOOS + "/" + runtime.GOARCH + ")"

// userAgentFor returns the User-Agent header: baseUserAgent, then
// "app/{appID}" when appID is set, as aws-sdk-go-v2 adds it. Like the SDK,
// every character of appID other than letters, digits and
// !#$%&'*+-.^_`|~ becomes '-', so the header stays one valid token.
func userAgentFor(appID string) string {
	if appID == "" {
		return baseUserAgent
	}
	return baseUserAgent + " app/" + strings.Map(userAgentRune, appID)
}

// userAgentRune keeps the characters an HTTP token allows and replaces the
// rest with '-'.
func userAgentRune(r rune) rune {
	switch {
	case r >= '0' && r <= '9', r >= 'A' && r <= 'Z', r >= 'a' && r <= 'z':
		return r
	case strings.ContainsRune("!#$%&'*+-.^_`|~", r):
		return r
	default:
		return '-'
	}
}
