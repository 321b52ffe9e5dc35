// Package noredirect is the project's one redirect policy: a redirect is
// never followed. A request body holds secrets (KeyStorePassword,
// AccessKeyId, RawSecretAccessKey) and its headers a session token, and a
// 301, 302 or 303 would turn a POST into a GET that "succeeds" without
// having done anything. The sender, the XKS proxy client, the preflight,
// kmstest's clients and cks all take their clients from here.
package noredirect

import "net/http"

// Refuse is an http.Client CheckRedirect that follows no redirect: the
// client returns the 3xx response itself.
func Refuse(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

// Doer is what sends a request: *http.Client and the HTTPClient interfaces
// of the kms and xksproxy packages.
type Doer interface {
	Do(*http.Request) (*http.Response, error)
}

// Client returns c, or, when c is a non-nil *http.Client, a copy of it that
// never follows a redirect (sharing its Transport and Jar), so that a plain
// &http.Client{} cannot send a request anywhere else either. Another Doer
// is returned as it is: the caller checks its answers (a response to a
// request other than the one sent is an error).
func Client[C Doer](c C) C {
	hc, ok := any(c).(*http.Client)
	if !ok || hc == nil {
		return c
	}
	cp := *hc
	cp.CheckRedirect = Refuse
	if out, ok := any(&cp).(C); ok {
		return out
	}
	return c
}
