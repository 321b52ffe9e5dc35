package awsjson

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"unicode"
	"unicode/utf8"
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
// holds: the body and header values are scrubbed as read, before anything
// decodes, cleans, folds, excerpts or cuts them, and the results again.
func readScrubbedErrorResponse(resp *http.Response, sc *Scrubber) ErrorResponse {
	er := ErrorResponse{
		StatusCode: resp.StatusCode,
		RequestID:  cleanScrubbed(resp.Header.Get("X-Amzn-Requestid"), maxCode, sc),
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
	decodeErrorBody(&er, sc.Scrub(resp.Header.Get("X-Amzn-Errortype")), sc.ScrubBytes(body), sc)
	er.ReadErr = sc.ScrubError(er.ReadErr)
	return er
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
	er.Code = sanitizeCode(sc.Scrub(code), sc)
	er.Message = cleanScrubbed(env.Message, maxMessage, sc)
	if !isJSON && len(body) > 0 {
		er.Message = excerpt(body, sc)
		if t := sc.Scrub(er.Message); t != er.Message {
			er.Message = excerpt([]byte(t), sc)
		}
	}
}

// cleanScrubbed scrubs s, cleans it (see cleanText) and, since cleaning can
// join the pieces of a secret (a format character dropped from its middle),
// scrubs and cleans the result again.
func cleanScrubbed(s string, limit int, sc *Scrubber) string {
	out := cleanCut(sc.Scrub(s), limit, sc)
	if t := sc.Scrub(out); t != out {
		out = cleanCut(t, limit, sc)
	}
	return out
}

// SanitizeCode cuts an error code at the first ':' and keeps what follows
// the last '#', trimming spaces: "aws.kms#NotFoundException:http://x" and
// " NotFoundException " both become "NotFoundException". What is left is
// made printable, valid UTF-8 of at most maxCode bytes (see cleanText).
func SanitizeCode(code string) string { return sanitizeCode(code, nil) }

func sanitizeCode(code string, sc *Scrubber) string {
	if i := strings.IndexByte(code, ':'); i >= 0 {
		code = code[:i]
	}
	if i := strings.LastIndexByte(code, '#'); i >= 0 {
		code = code[i+1:]
	}
	code = strings.TrimSpace(cleanScrubbed(strings.TrimSpace(code), maxCode, sc))
	return code
}

// maxCode bounds an error code and a request ID.
const maxCode = 256

// maxMessage bounds a service message.
const maxMessage = 4 << 10

// cleanText returns s as valid UTF-8 without control characters (tab, CR
// and LF become a space, any other control character or invalid byte '?')
// or format characters (Unicode category Cf, such as U+202E and U+200B,
// dropped), at most limit bytes long: a longer text is cut on a character
// boundary and ends in "...". A clean, short s is returned as is, without
// allocating; a returned text is itself clean and short.
func cleanText(s string, limit int) string { return cleanCut(s, limit, nil) }

// cleanCut is cleanText dropping, where it cuts, what is left of a secret
// of sc.
func cleanCut(s string, limit int, sc *Scrubber) string {
	clean := len(s) <= limit
	for i := 0; clean && i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if (r == utf8.RuneError && size == 1) || isControl(r) || isFormat(r) {
			clean = false
		}
		i += size
	}
	if clean {
		return s
	}
	var b strings.Builder
	cut := 0 // length of b that leaves room for "..."
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == '\t' || r == '\n' || r == '\r':
			r = ' '
		case (r == utf8.RuneError && size == 1) || isControl(r):
			r = '?'
		case isFormat(r):
			i += size
			continue
		}
		if b.Len()+utf8.RuneLen(r) > limit {
			return sc.TrimCut(b.String()[:cut]) + "..."
		}
		b.WriteRune(r)
		if b.Len() <= limit-3 {
			cut = b.Len()
		}
		i += size
	}
	return b.String()
}

// isControl reports a C0 or C1 control character or DEL.
func isControl(r rune) bool {
	return r < 0x20 || (r >= 0x7f && r < 0xa0)
}

// isFormat reports a Unicode format character (category Cf): bidi
// overrides, zero-width spaces and joiners, the byte order mark, ... They
// are invisible and can make a text read differently from what it holds.
func isFormat(r rune) bool {
	return r >= 0xad && unicode.Is(unicode.Cf, r)
}

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
		case r == utf8.RuneError && size <= 1, isControl(r) && r != '\t' && r != '\n' && r != '\r':
			r = '?'
		case r == ' ' || r == '\t' || r == '\n' || r == '\r':
			space = true
			continue
		case isFormat(r):
			continue
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
	}
	if len(body) > 0 {
		return sc.TrimCut(b.String()) + "..."
	}
	return b.String()
}
