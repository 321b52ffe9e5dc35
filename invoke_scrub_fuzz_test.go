package kms_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/kmskit/kms"
	"github.com/kmskit/kms/internal/echotest"
	"github.com/kmskit/kms/internal/kmsmodel"
)

// fuzzCodes are the codes FuzzNoSecretSurvives sends in error bodies: no
// secret may change them.
var fuzzCodes = append(append([]string{}, kmsmodel.DocumentedCodes()...), kmsmodel.CodeValidation, kmsmodel.CodeThrottling, "SomeUnknownException")

// FuzzNoSecretSurvives sends a random secret (as KeyStorePassword of
// Create and Update, or with WithSecrets to Describe) to a loopback server
// that answers with a random status and a random body (an error envelope,
// a success of the operation, or raw bytes) and request ID, each holding
// the secret as sent, JSON-escaped, URL-encoded, with a tab for a space,
// cut before "..." or not at all. No string the client returns, no error
// text and nothing an error unwraps to (each one's Error() and %+v) holds
// anything the scrubber must remove (see echotest.Survivor, which does not
// use the scrubber's code), and a known code in an error body comes back
// unaltered.
func FuzzNoSecretSurvives(f *testing.F) {
	f.Add("kmsuser-password", "KeyStorePassword is not the password of kmsuser", uint16(400), uint8(0), uint8(0), uint8(6))
	f.Add("InvalidState!", "state", uint16(400), uint8(1), uint8(1), uint8(6))
	f.Add("Pw Secret 4242", "<html>", uint16(502), uint8(2), uint8(3), uint8(0))
	f.Add("kmsuser-free", "cluster-free23456abc", uint16(200), uint8(0), uint8(2), uint8(0))
	f.Add("xStoreInvalid", "", uint16(200), uint8(2), uint8(2), uint8(0))
	f.Add("Password1!", "x", uint16(302), uint8(1), uint8(0), uint8(0))
	f.Add("AKIAEXAMPLEKEY234567", "rid", uint16(429), uint8(0), uint8(4), uint8(2))

	reply := &echotest.Reply{}
	srv := httptest.NewServer(reply)
	f.Cleanup(srv.Close)
	c := kms.New(kms.Options{Region: "us-east-1", Credentials: staticCreds(), BaseEndpoint: aws.String(srv.URL),
		HTTPClient: srv.Client(), RetryMaxAttempts: 1, DisableClientValidation: true})

	f.Fuzz(func(t *testing.T, secret, text string, status uint16, op, form, code uint8) {
		if len(secret) < 6 || len(secret) > 64 || !utf8.ValidString(secret) || echotest.Survivor(secret, secret, kmsmodel.IsKnownWord) == "" {
			return // too short to scrub, not sendable, or a known word
		}
		echo := []string{secret, jsonEscapedForm(secret), url.QueryEscape(secret), strings.ReplaceAll(secret, " ", "\t"), secret[:len(secret)-2] + "...", ""}[int(form)%6]
		st := 200 + int(status)%400
		sentCode := fuzzCodes[int(code)%len(fuzzCodes)]
		reply.Set(fuzzReply(st, op, sentCode, text+echo+text, echo))
		texts := fuzzCalls(t, c, secret, op, st, sentCode)

		// What the library writes itself, around an answer that echoes
		// nothing: a secret sharing a long run with it cannot be told apart.
		reply.Set(fuzzReply(st, op, sentCode, "", ""))
		for _, s := range fuzzCalls(t, c, secret, op, st, sentCode) {
			if echotest.Survivor(s, secret, kmsmodel.IsKnownWord) != "" {
				return
			}
		}
		for _, s := range texts {
			if p := echotest.Survivor(s, secret, kmsmodel.IsKnownWord); p != "" {
				t.Fatalf("%q of secret %q survives in %q", p, secret, s)
			}
		}
	})
}

// fuzzReply is FuzzNoSecretSurvives's answer: status st, a body of kind op
// (an error envelope with code, raw bytes, or a success of each operation)
// holding planted, a request ID planted and, for a redirect, a Location
// ending in echo.
func fuzzReply(st int, op uint8, code, planted, echo string) (int, http.Header, []byte) {
	var body []byte
	switch op % 3 {
	case 0: // an error envelope
		body, _ = json.Marshal(map[string]string{"__type": code, "message": planted})
	case 1: // raw bytes
		body = []byte(planted)
	case 2: // a success of each operation, members echoing
		body, _ = json.Marshal(map[string]any{"CustomKeyStoreId": planted, "NextMarker": planted, "CustomKeyStores": []map[string]any{{
			"CustomKeyStoreId": planted, "CustomKeyStoreName": planted, "CloudHsmClusterId": planted, "ConnectionErrorCode": planted,
			"TrustAnchorCertificate": planted, "XksProxyConfiguration": map[string]string{"AccessKeyId": planted, "UriPath": planted},
		}}})
	}
	header := http.Header{"X-Amzn-Requestid": {planted}}
	if st >= 300 && st < 400 {
		header["Location"] = []string{"http://other.example/" + echo}
	}
	return st, header, body
}

// fuzzCalls calls Create and Update with secret as KeyStorePassword and
// Describe with WithSecrets(secret), and returns every string they return
// and every text of their errors, checking that a known code sent in an
// error envelope comes back unaltered.
func fuzzCalls(t *testing.T, c *kms.Client, secret string, op uint8, st int, sentCode string) []string {
	ctx := context.Background()
	var texts []string
	var errs []error
	create, err := c.CreateCustomKeyStore(ctx, &kms.CreateCustomKeyStoreInput{CustomKeyStoreName: aws.String("n"), KeyStorePassword: aws.String(secret)})
	errs = append(errs, err)
	if err == nil {
		texts = append(texts, create.RequestID, aws.ToString(create.CustomKeyStoreId))
	}
	update, err := c.UpdateCustomKeyStore(ctx, &kms.UpdateCustomKeyStoreInput{CustomKeyStoreId: aws.String(testStoreID), KeyStorePassword: aws.String(secret)})
	errs = append(errs, err)
	if err == nil {
		texts = append(texts, update.RequestID)
	}
	describe, err := c.DescribeCustomKeyStores(ctx, nil, kms.WithSecrets(secret))
	errs = append(errs, err)
	if err == nil {
		texts = append(texts, describe.RequestID, aws.ToString(describe.NextMarker))
		for _, e := range describe.CustomKeyStores {
			texts = append(texts, aws.ToString(e.CustomKeyStoreId), aws.ToString(e.CustomKeyStoreName), aws.ToString(e.CloudHsmClusterId),
				string(e.ConnectionErrorCode), aws.ToString(e.TrustAnchorCertificate))
			if x := e.XksProxyConfiguration; x != nil {
				texts = append(texts, aws.ToString(x.AccessKeyId), aws.ToString(x.UriPath))
			}
		}
	}
	for _, err := range errs {
		texts = append(texts, echotest.ErrorTexts(err)...)
		var apiErr *kms.APIError
		if op%3 == 0 && st >= 400 && kmsmodel.IsKnownWord(sentCode) && errors.As(err, &apiErr) && apiErr.Code != sentCode {
			t.Fatalf("known code %q came back as %q", sentCode, apiErr.Code)
		}
	}
	return texts
}

// jsonEscapedForm returns s as encoding/json writes it inside a string.
func jsonEscapedForm(s string) string {
	b, _ := json.Marshal(s)
	return string(b[1 : len(b)-1])
}
