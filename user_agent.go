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
	if ('0' <= r && r <= '9') || ('A' <= r && r <= 'Z') || ('a' <= r && r <= 'z') || strings.ContainsRune("!#$%&'*+-.^_`|~", r) {
		return r
	}
	return '-'
}
