package sigv4check

import (
	"errors"
	"net/http"
	"reflect"
	"strings"
	"testing"
)

// FuzzCheck: whatever a client puts in Authorization, X-Amz-Date and the
// headers, Check never panics, never accepts a request it did not see
// signed with the right key, and never echoes the signature or a secret
// (fuzz: " ,SignedHeaders=" in place of ", SignedHeaders=" is the signed
// request, which the test had refused).
func FuzzCheck(f *testing.F) {
	valid := request(f, keyCreds, nil, nil)
	signed, err := Parse(valid.Header.Get("Authorization"))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(valid.Header.Get("Authorization"), valid.Header.Get("X-Amz-Date"), "TrentService.UpdateCustomKeyStore")
	f.Add("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260304/us-east-1/kms/aws4_request, SignedHeaders=host;x-amz-date, Signature=00", "20260304T050607Z", "")
	f.Add("AWS4-HMAC-SHA256 Credential=/////, SignedHeaders=;;, Signature==", "x", "\x00")
	f.Add("", "", "")
	f.Fuzz(func(t *testing.T, authorization, amzDate, target string) {
		r := request(t, keyCreds, nil, func(r *http.Request) {
			r.Header.Set("Authorization", authorization)
			r.Header.Set("X-Amz-Date", amzDate)
			r.Header.Set("X-Amz-Target", target)
		})
		v := verifier()
		v.Window = 0
		_, err := v.Check(r, []byte(body))
		// The signature covers the canonical request, not the Authorization
		// header: a header that parses as the signed one (other spaces
		// around its commas) is the signed request.
		parsed, perr := Parse(authorization)
		if perr == nil && reflect.DeepEqual(parsed, signed) && amzDate == valid.Header.Get("X-Amz-Date") &&
			target == valid.Header.Get("X-Amz-Target") {
			if err != nil {
				t.Fatalf("the signed request fails: %v", err)
			}
			return
		}
		var failed *Error
		if !errors.As(err, &failed) {
			t.Fatalf("want an *Error, got %v", err)
		}
		if strings.Contains(failed.Message, keyCreds.SecretAccessKey) {
			t.Fatalf("message holds the secret: %q", failed.Message)
		}
		if i := strings.Index(authorization, "Signature="); i >= 0 && len(authorization[i:]) > len("Signature=")+8 &&
			strings.Contains(failed.Message, authorization[i:]) {
			t.Fatalf("message echoes the signature: %q", failed.Message)
		}
	})
}
