package awsjson

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/kmskit/kms/internal/display"
)

// failingReader returns its data, then err.
type failingReader struct {
	r   io.Reader
	err error
}

func (f *failingReader) Read(p []byte) (int, error) {
	n, err := f.r.Read(p)
	if err == io.EOF {
		return n, f.err
	}
	return n, err
}

// FuzzReadErrorResponse decodes arbitrary error responses (status, error
// type header, request ID header, body, and a body that breaks off after
// cut bytes) and checks that decoding never panics and yields a bounded,
// printable, valid UTF-8 code, message and request ID, with the code
// sanitized (no namespace, no suffix, no surrounding space).
func FuzzReadErrorResponse(f *testing.F) {
	f.Add(400, "", "req-1", []byte(`{"__type":"CustomKeyStoreNotFoundException","message":"not found"}`), -1)
	f.Add(400, "com.amazonaws.kms#CustomKeyStoreNotFoundException:http://internal/", "", []byte(`{"message":"m"}`), -1)
	f.Add(400, "", "", []byte(`{"code":"  aws.kms#X:y ","Message":"M"}`), -1)
	f.Add(502, "", "", []byte("<html>\r\n<title>502 Bad Gateway</title></html>"), -1)
	f.Add(500, "\xff\x00", "\x01\xfe", []byte("\xff\xfe\x00{"), 3)
	f.Add(429, "", "", []byte(`{"__type":"Bad\u0000Code\u001b","message":"a\u0085b\u2028"}`), -1)
	f.Add(0, "#", ":", []byte(`{"__type":null,"message":{"a":[1,2]}}`), 0)
	f.Add(400, "", "", []byte(`{"__TYPE":"T","MESSAGE":"`+strings.Repeat("é", 3000)+`"}`), -1)

	f.Fuzz(func(t *testing.T, status int, errType, requestID string, body []byte, cut int) {
		var r io.Reader = bytes.NewReader(body)
		if cut >= 0 && cut < len(body) {
			r = &failingReader{r: bytes.NewReader(body[:cut]), err: errors.New("connection reset by peer")}
		}
		resp := &http.Response{StatusCode: status, Header: http.Header{}, Body: io.NopCloser(r)}
		if errType != "" {
			resp.Header["X-Amzn-Errortype"] = []string{errType}
		}
		if requestID != "" {
			resp.Header["X-Amzn-Requestid"] = []string{requestID}
		}
		er := readErrorResponse(resp)

		if er.StatusCode != status {
			t.Fatalf("status %d, want %d", er.StatusCode, status)
		}
		checkText(t, "code", er.Code, maxCode)
		checkText(t, "request id", er.RequestID, maxCode)
		checkText(t, "message", er.Message, maxMessage)
		if strings.ContainsAny(er.Code, ":#") {
			t.Fatalf("code %q keeps a namespace or suffix", er.Code)
		}
		if er.Code != strings.TrimSpace(er.Code) {
			t.Fatalf("code %q has surrounding space", er.Code)
		}
		if SanitizeCode(er.Code) != er.Code {
			t.Fatalf("SanitizeCode is not idempotent on %q", er.Code)
		}
		if cleanScrubbed(er.Message, maxMessage, nil) != er.Message || cleanScrubbed(er.RequestID, maxCode, nil) != er.RequestID {
			t.Fatalf("cleaning is not idempotent on %q / %q", er.Message, er.RequestID)
		}
		if (cut >= 0 && cut < len(body)) != (er.ReadErr != nil) {
			t.Fatalf("ReadErr %v with cut %d of %d bytes", er.ReadErr, cut, len(body))
		}
		if len(body) == 0 && er.Message != "" {
			t.Fatalf("message %q from an empty body", er.Message)
		}
	})
}

// checkText fails unless s is valid UTF-8 without control characters and at
// most limit bytes long.
func checkText(t *testing.T, what, s string, limit int) {
	t.Helper()
	if !utf8.ValidString(s) {
		t.Fatalf("%s %q is not valid UTF-8", what, s)
	}
	if len(s) > limit {
		t.Fatalf("%s is %d bytes, above %d", what, len(s), limit)
	}
	for _, r := range s {
		if display.IsControl(r) {
			t.Fatalf("%s %q holds control character %U", what, s, r)
		}
	}
}
