package awsjson

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/kmskit/kms/internal/display"
)

// ErrorResponse is what a failed response said, decoded the way AWS's
// awsJson1.1 clients decode it.
type ErrorResponse struct {
	StatusCode int
	Code       string // sanitized: no namespace, no ":..." suffix
	Message    string // the service message, or an excerpt of a non-JSON body
	RequestID  string
	// ReadErr is set when the body could not be read completely.
	ReadErr error
}

// maxErrorBody bounds how much of an error body is decoded.
const maxErrorBody = 64 << 10

// maxExcerpt bounds the excerpt of a body that is not a KMS error.
const maxExcerpt = 256

// readErrorResponse reads (bounded) and closes resp.Body and decodes the
// error envelope: code from the X-Amzn-ErrorType header, else the body's
// __type, else its code member; message from message or Message.
func readErrorResponse(resp *http.Response) ErrorResponse {
	return readScrubbedErrorResponse(resp, nil)
}

// readScrubbedErrorResponse is readErrorResponse for a call whose secrets sc
// holds: every text it decodes (code, message or excerpt, request ID) is
// scrubbed and cleaned, a known code is kept whole and an unknown one that
// held a secret is replaced whole by Redacted, and the read error is
// scrubbed down its chain (see Scrubber.ScrubError).
func readScrubbedErrorResponse(resp *http.Response, sc *Scrubber) ErrorResponse {
	er := ErrorResponse{
		StatusCode: resp.StatusCode,
		RequestID:  scrubbedRequestID(resp.Header, sc),
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody+1))
	if err != nil {
		er.ReadErr = err
	}
	if len(body) > maxErrorBody {
		// Cut: what is left of a secret at the cut goes too.
		body = []byte(sc.TrimCut(string(body[:maxErrorBody])))
	}
	if derr := drainAndClose(resp.Body); derr != nil && er.ReadErr == nil {
		er.ReadErr = derr
	}
	decodeErrorBody(&er, resp.Header.Get("X-Amzn-Errortype"), body, sc)
	er.ReadErr = sc.ScrubError(er.ReadErr)
	return er
}

// scrubbedRequestID is the X-Amzn-RequestId of h, scrubbed and cleaned
// (see cleanScrubbed), and Redacted when the text the library prints it in,
// "(request id <id>)", holds what sc removes: a request ID "000..." is 3
// bytes of the secret " 00000" alone, 4 before the "..." there.
func scrubbedRequestID(h http.Header, sc *Scrubber) string {
	id := cleanScrubbed(h.Get("X-Amzn-Requestid"), maxCode, sc)
	if t := "(request id " + id + ")"; id != "" && sc.Scrub(t) != t {
		return Redacted
	}
	return id
}

// errorEnvelope is the JSON body of an awsJson1.1 error. encoding/json
// matches keys case-insensitively, preferring an exact match, so "Message"
// and "message" both land in Message.
type errorEnvelope struct {
	Type    string `json:"__type"`
	Code    string `json:"code"`
	Message string `json:"message"`
}

// DecodeErrorBody fills er.Code and er.Message from the error type header
// and the body. It never fails: what cannot be decoded becomes an excerpt.
func DecodeErrorBody(er *ErrorResponse, headerType string, body []byte) {
	decodeErrorBody(er, headerType, body, nil)
}

// decodeErrorBody is DecodeErrorBody scrubbing what it decodes with sc.
func decodeErrorBody(er *ErrorResponse, headerType string, body []byte, sc *Scrubber) {
	var env errorEnvelope
	isJSON := len(body) > 0 && json.Unmarshal(body, &env) == nil
	code := headerType
	if code == "" {
		code = env.Type
	}
	if code == "" {
		code = env.Code
	}
	er.Code = sanitizeCode(code, sc)
	er.Message = cleanScrubbed(env.Message, maxMessage, sc)
	if !isJSON && len(body) > 0 {
		er.Message = excerpt(sc.ScrubBytes(body), sc)
		if t := sc.Scrub(er.Message); t != er.Message {
			er.Message = excerpt([]byte(t), sc)
		}
	}
}

// cleanScrubbed scrubs s, cleans it for display (see display.Clean) and
// cuts it to limit bytes (see Scrubber.Cut). Since cleaning can turn bytes
// into others, what it changed is scrubbed again.
func cleanScrubbed(s string, limit int, sc *Scrubber) string {
	out := display.Clean(sc.Scrub(s))
	if t := sc.Scrub(out); t != out {
		out = display.Clean(t)
	}
	return sc.Cut(out, limit)
}

// SanitizeCode cuts an error code at the first ':' and keeps what follows
// the last '#', trimming spaces: "aws.kms#NotFoundException:http://x" and
// " NotFoundException " both become "NotFoundException". What is left is
// made printable, valid UTF-8 of at most maxCode bytes (see display.Clean).
func SanitizeCode(code string) string { return sanitizeCode(code, nil) }

// sanitizeCode is SanitizeCode for a call whose secrets sc holds: a known
// code (see kmsmodel.IsKnownWord) is returned whole, and an unknown code
// that held a secret becomes Redacted, whole.
func sanitizeCode(code string, sc *Scrubber) string {
	if i := strings.IndexByte(code, ':'); i >= 0 {
		code = code[:i]
	}
	if i := strings.LastIndexByte(code, '#'); i >= 0 {
		code = code[i+1:]
	}
	code = strings.TrimSpace(code)
	if sc.isKnown(code) {
		return code
	}
	out := strings.TrimSpace(cleanScrubbed(code, maxCode, sc))
	if sc != nil && out != strings.TrimSpace(cleanScrubbed(code, maxCode, nil)) {
		return Redacted
	}
	return out
}

// maxCode bounds an error code and a request ID.
const maxCode = 256

// maxMessage bounds a service message.
const maxMessage = 4 << 10

// Excerpt returns the start of body as one line of valid UTF-8, at most
// maxExcerpt bytes, with runs of white space folded, format characters
// dropped and "..." when cut.
func Excerpt(body []byte) string { return excerpt(body, nil) }

// excerpt is Excerpt dropping, where it cuts, what is left of a secret of
// sc.
func excerpt(body []byte, sc *Scrubber) string {
	var b strings.Builder
	space := false
	for len(body) > 0 && b.Len() < maxExcerpt {
		r, size := utf8.DecodeRune(body)
		body = body[size:]
		switch {
		case r == utf8.RuneError && size <= 1, display.IsControl(r) && r != '\t' && r != '\n' && r != '\r':
			r = '?'
		case r == ' ' || r == '\t' || r == '\n' || r == '\r':
			space = true
			continue
		case display.IsFormat(r):
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
	}
	if len(body) > 0 {
		return sc.trimScrubbedCut(b.String()) + "..."
	}
	return b.String()
}
