package awsjson

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
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
	er := ErrorResponse{
		StatusCode: resp.StatusCode,
		RequestID:  cleanText(resp.Header.Get("X-Amzn-Requestid"), maxCode),
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
	if err != nil {
		er.ReadErr = err
	}
	if derr := drainAndClose(resp.Body); derr != nil && er.ReadErr == nil {
		er.ReadErr = derr
	}
	DecodeErrorBody(&er, resp.Header.Get("X-Amzn-Errortype"), body)
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
	var env errorEnvelope
	isJSON := len(body) > 0 && json.Unmarshal(body, &env) == nil
	code := headerType
	if code == "" {
		code = env.Type
	}
	if code == "" {
		code = env.Code
	}
	er.Code = SanitizeCode(code)
	er.Message = cleanText(env.Message, maxMessage)
	if !isJSON && len(body) > 0 {
		er.Message = Excerpt(body)
	}
}

// SanitizeCode cuts an error code at the first ':' and keeps what follows
// the last '#', trimming spaces: "aws.kms#NotFoundException:http://x" and
// " NotFoundException " both become "NotFoundException". What is left is
// made printable, valid UTF-8 of at most maxCode bytes (see cleanText).
func SanitizeCode(code string) string {
	if i := strings.IndexByte(code, ':'); i >= 0 {
		code = code[:i]
	}
	if i := strings.LastIndexByte(code, '#'); i >= 0 {
		code = code[i+1:]
	}
	return cleanText(strings.TrimSpace(code), maxCode)
}

// maxCode bounds an error code and a request ID.
const maxCode = 256

// maxMessage bounds a service message.
const maxMessage = 4 << 10

// cleanText returns s as valid UTF-8 without control characters (tab, CR
// and LF become a space, any other control character or invalid byte '?'),
// at most limit bytes long: a longer text is cut on a character boundary
// and ends in "...". A clean, short s is returned as is, without
// allocating; a returned text is itself clean and short.
func cleanText(s string, limit int) string {
	clean := len(s) <= limit
	for i := 0; clean && i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if (r == utf8.RuneError && size == 1) || isControl(r) {
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
		}
		if b.Len()+utf8.RuneLen(r) > limit {
			return b.String()[:cut] + "..."
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

// Excerpt returns the start of body as one line of valid UTF-8, at most
// maxExcerpt bytes, with runs of white space folded and "..." when cut.
func Excerpt(body []byte) string {
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
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
	}
	if len(body) > 0 {
		b.WriteString("...")
	}
	return b.String()
}
