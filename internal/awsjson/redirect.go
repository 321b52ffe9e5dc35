package awsjson

import (
	"fmt"
	"net/http"
)

// A redirect is never followed: the body holds secrets (KeyStorePassword,
// AccessKeyId, RawSecretAccessKey) and the headers a session token, and a 301, 302 or
// 303 would turn the update into a GET that "succeeds" without having
// updated anything. The library's own HTTP client does not follow
// redirects (http.ErrUseLastResponse), requests have no GetBody, so no
// client can replay their body, and two checks here catch a user's client
// that follows one anyway.

// redirectResponse describes a 3xx response as an error response: its
// status, and where it pointed (scheme and host of Location, never its
// path or query).
func redirectResponse(req *http.Request, resp *http.Response, requestID string, sc *Scrubber) ErrorResponse {
	where := "no Location"
	if loc := resp.Header.Get("Location"); loc != "" {
		where = "an unusable Location"
		if u, err := req.URL.Parse(loc); err == nil && u.Host != "" {
			where = u.Scheme + "://" + u.Host
		}
	}
	msg := "redirect to " + where + " not followed; the request was not sent there"
	return ErrorResponse{
		StatusCode: resp.StatusCode,
		Message:    cleanScrubbed(msg, maxMessage, sc),
		RequestID:  requestID,
	}
}

// checkFinalRequest returns an error when resp answers a request other than
// req: an HTTP client followed a redirect to another host, scheme or path,
// or with another method. Such a response says nothing about the call,
// which may not have reached KMS at all. (Send scrubs the error's text, which
// names the host the redirect pointed to.)
func checkFinalRequest(op string, req *http.Request, resp *http.Response) error {
	final := resp.Request
	if final == nil || final == req {
		return nil
	}
	if u := final.URL; u != nil && u.Host == req.URL.Host && u.Scheme == req.URL.Scheme &&
		u.EscapedPath() == req.URL.EscapedPath() && final.Method == req.Method {
		return nil
	}
	where := "an unknown URL"
	if final.URL != nil {
		where = final.URL.Scheme + "://" + final.URL.Host
		if final.URL.Host == req.URL.Host && final.URL.EscapedPath() != req.URL.EscapedPath() {
			where += " (another path)"
		}
	}
	return fmt.Errorf("kms: %s: the HTTP client followed a redirect to %s %s (status %d there); "+
		"redirects are never followed, and the call may not have been applied", op, final.Method, where, resp.StatusCode)
}
