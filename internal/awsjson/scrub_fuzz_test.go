package awsjson

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/kmskit/kms/internal/echotest"
	"github.com/kmskit/kms/internal/kmsmodel"
)

// FuzzScrubbedErrorResponse puts a secret, as sent, JSON-encoded or with
// its white space changed, anywhere in an error response (message, error
// type header, request ID, or a non-JSON body) and checks that nothing the
// scrubber must remove survives in the decoded code, message or request ID
// (see echotest.Survivor, which does not use the scrubber's code), whatever
// cleaning, folding, excerpting and cutting did,
// and that the code is either known, free of the secret, or Redacted.
func FuzzScrubbedErrorResponse(f *testing.F) {
	f.Add("Pw-Secret-4242!", "bad password ", " given", uint8(0), uint16(0))
	f.Add("Zq7\tpWx9-Kv3!", "<p>", "</p>", uint8(1), uint16(250))
	f.Add("Zq7  pWx9-Kv3!", "", "", uint8(2), uint16(4090))
	f.Add("AKIAEXAMPLEKEY234567", "rid-", "", uint8(3), uint16(0))
	f.Add("ab\u200bcdefgh", "x", "y", uint8(4), uint16(10))
	f.Add("InvalidState!", "aws.kms#CustomKeyStore", "Exception", uint8(2), uint16(0))
	f.Add("kmsuser-free", "cluster-free23456abc ", "", uint8(0), uint16(0))
	f.Add("InvalidState", " CustomKeyStore", "Exception", uint8(41), uint16(226))
	f.Add("000000", "0000.", "0", uint8(167), uint16(248))
	f.Add("]00000", "0", strings.Repeat("0", 90), uint8(13), uint16(75))
	f.Add("[REDA", "x", strings.Repeat("y", 300), uint8(2), uint16(0))
	f.Fuzz(func(t *testing.T, secret, before, after string, where uint8, pad uint16) {
		if len(secret) < minRun || len(secret) > 64 {
			return
		}
		filler := strings.Repeat("f", int(pad)%(6<<10))
		text := filler + before + secret + after
		switch where % 5 {
		case 3: // folded by the server
			text = filler + before + strings.Join(strings.Fields(secret), " ") + after
		case 4: // split by a format character
			text = filler + before + secret[:len(secret)/2] + "\u200b" + secret[len(secret)/2:] + after
		}
		resp := &http.Response{StatusCode: 400, Header: http.Header{}}
		var body []byte
		switch where % 3 {
		case 0:
			msg, _ := json.Marshal(text)
			body = []byte(`{"__type":"ValidationException","message":` + string(msg) + `}`)
		case 1:
			body = []byte(text)
		case 2:
			resp.Header["X-Amzn-Requestid"] = []string{text}
			resp.Header["X-Amzn-Errortype"] = []string{text}
		}
		resp.Body = io.NopCloser(bytes.NewReader(body))
		er := readScrubbedErrorResponse(resp, NewScrubber(secret))
		// The marker and the cut mark are the library's own words: of a
		// secret they hold, only that nothing panics is checked.
		if echotest.Survivor(Redacted+"...", secret, kmsmodel.IsKnownWord) != "" {
			return
		}
		for _, s := range []string{er.Code, er.Message, er.RequestID} {
			if p := echotest.Survivor(s, secret, kmsmodel.IsKnownWord); p != "" {
				t.Fatalf("%q of secret %q survived in %q", p, secret, s)
			}
		}
		if where%3 == 0 && er.Code != "ValidationException" {
			t.Fatalf("the known code became %q", er.Code)
		}
	})
}
