package xksproxy

import (
	"encoding/base64"
	"errors"
	"testing"

	"github.com/kmskit/kms/internal/echotest"
)

// FuzzDecodeResponse feeds arbitrary answers to the decoders of every
// operation: each either succeeds or returns an *Error or a
// *MalformedResponseError, never panics, and never shows the request's
// plaintext (raw or Base64) or credential: nothing echotest.Survivor finds
// (a piece of another word within the scrubber's bound may stay).
func FuzzDecodeResponse(f *testing.F) {
	seeds := []string{
		`{"xksProxyFleetSize":1,"xksProxyVendor":"v","xksProxyModel":"m","ekmVendor":"e","ekmFleetDetails":[{"id":"h","model":"m","healthStatus":"ACTIVE"}]}`,
		`{"keySpec":"AES_256","keyUsage":["ENCRYPT","DECRYPT"],"keyStatus":"ENABLED"}`,
		`{"ciphertext":"ghxkK1txeDNn3q8Y","initializationVector":"HMrlRw85cAJUd5Ax","authenticationTag":"vBxN2ncH1oEkR8WVXpmyYQ==","ciphertextMetadata":"a2V5X3ZlcnNpb249MQ==","ciphertextDataIntegrityValue":"qHA/ImC9h5HsLRXqCyPmWgYx7tzyoTplzILbP0fPXsc="}`,
		`{"plaintext":"SGVsbG8gV29ybGQh"}`,
		`{"errorName":"InvalidCiphertextException","errorMessage":"SECRET-PLAINTEXT"}`,
		`{"errorName":"InternalException","errorMessage":"U0VDUkVULVBMQUlOVEVYVA=="}`,
		`<html>`, ``, `null`, `[]`, `{"plaintext":null}`, `{"keyUsage":{}}`,
	}
	for _, s := range seeds {
		for _, st := range []int{200, 400, 500} {
			f.Add(st, []byte(s))
		}
	}
	const plaintext = "SECRET-PLAINTEXT"
	cred := Credential{AccessKeyID: "AKIAFUZZFUZZFUZZFUZZ", SecretAccessKey: "fuzzSecretfuzzSecretfuzzSecretfuzzSecret123"}
	secrets := []string{plaintext, base64.StdEncoding.EncodeToString([]byte(plaintext)), cred.SecretAccessKey, cred.AccessKeyID}
	cl := New(Options{Endpoint: "https://xks.example.com", UriPath: "/kms/xks/v1", Region: "us-east-1", Credential: cred})
	sc := cl.scrubber([][]byte{[]byte(plaintext)})
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		res := result{body: body, sc: sc}
		var errs []error
		if status != 200 {
			errs = append(errs, decodeError("Encrypt", status, body, sc))
		} else {
			_, err := decodeEncrypt(res, len(plaintext), []byte("aad"), true)
			errs = append(errs, err)
			_, err = decodeEncrypt(res, 12, nil, false)
			errs = append(errs, err)
			_, err = decodeDecrypt(res, 12)
			errs = append(errs, err)
			_, err = decodeHealth(res)
			errs = append(errs, err)
			_, err = decodeKeyMetadata(res)
			errs = append(errs, err)
		}
		for _, err := range errs {
			if err == nil {
				continue
			}
			var e *Error
			var me *MalformedResponseError
			if !errors.As(err, &e) && !errors.As(err, &me) {
				t.Fatalf("unexpected error type %T: %v", err, err)
			}
			for _, secret := range secrets {
				if p := echotest.Survivor(err.Error(), secret, knownWord); p != "" {
					t.Fatalf("error shows %q of secret %q: %v", p, secret, err)
				}
			}
		}
	})
}
