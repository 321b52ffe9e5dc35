package xksproxy_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
	"unicode/utf8"

	"github.com/kmskit/kms/internal/echotest"
	"github.com/kmskit/kms/internal/kmsmodel"
	"github.com/kmskit/kms/internal/xksmodel"
	"github.com/kmskit/kms/xksproxy"
)

// FuzzClientNoSecretSurvives sends a random secret (as the credential's
// secret access key and as Encrypt's plaintext) to a loopback proxy that
// answers with a random status and a body (an error answer, a health
// report, key metadata, or raw bytes) echoing it as sent, in Base64 (a
// plaintext's form), cut before "..." or not at all. No string the client
// returns, no error text and nothing an error unwraps to holds anything the
// scrubber must remove (see echotest.Survivor, which does not use the
// scrubber's code), and a specification error name comes back unaltered.
func FuzzClientNoSecretSurvives(f *testing.F) {
	f.Add("secretSECRETsecret1234", "vendor", uint16(0), uint8(1), uint8(0), uint8(0))
	f.Add("InvalidStateSecret!", "message", uint16(200), uint8(0), uint8(1), uint8(3))
	f.Add("kms-xks-secret-value", "<html>", uint16(302), uint8(3), uint8(2), uint8(0))
	f.Add("abcdefghijklmnop", "", uint16(0), uint8(2), uint8(3), uint8(0))

	answer := &echotest.Reply{}
	srv := httptest.NewServer(answer)
	f.Cleanup(srv.Close)
	f.Fuzz(func(t *testing.T, secret, text string, status uint16, kind, form, name uint8) {
		if len(secret) < 6 || len(secret) > 64 || !utf8.ValidString(secret) {
			return
		}
		if echotest.Survivor(secret, secret, proxyKnownWord) == "" {
			return // a known word: never altered
		}
		c := xksproxy.New(xksproxy.Options{Endpoint: srv.URL, UriPath: testPath, Region: testRegion, HTTPClient: srv.Client(),
			Credential: xksproxy.Credential{AccessKeyID: testAKID, SecretAccessKey: secret}})
		b64 := base64.StdEncoding.EncodeToString([]byte(secret))
		echo := []string{secret, b64, secret[:len(secret)-2] + "...", ""}[int(form)%4]
		st := 200
		if s := int(status) % 400; s != 0 {
			st = 200 + s
		}
		errName := xksmodel.Errors[int(name)%len(xksmodel.Errors)].Name
		answer.Set(st, http.Header{"Content-Type": {"application/json"}}, fuzzProxyBody(kind, errName, text+echo+text))
		texts, encryptTexts := fuzzProxyCalls(t, c, secret, kind, st, errName)

		// What the library writes itself, around an answer that echoes
		// nothing: a secret sharing a long run with it cannot be told apart.
		answer.Set(st, http.Header{"Content-Type": {"application/json"}}, fuzzProxyBody(kind, errName, ""))
		own, ownEncrypt := fuzzProxyCalls(t, c, secret, kind, st, errName)
		for _, s := range append(own, ownEncrypt...) {
			if echotest.Survivor(s, secret, proxyKnownWord) != "" || echotest.Survivor(s, b64, proxyKnownWord) != "" {
				return
			}
		}

		// The credential is scrubbed as it is; a plaintext also in Base64.
		for _, s := range encryptTexts {
			if p := echotest.Survivor(s, b64, proxyKnownWord); p != "" {
				t.Fatalf("%q of plaintext %q (Base64 %q) survives in %q", p, secret, b64, s)
			}
		}
		for _, s := range append(texts, encryptTexts...) {
			if p := echotest.Survivor(s, secret, proxyKnownWord); p != "" {
				t.Fatalf("%q of secret %q survives in %q", p, secret, s)
			}
		}
	})
}

// proxyKnownWord reports the words a scrubber of this client never alters:
// the specification's error names and KMS's known words.
func proxyKnownWord(w string) bool {
	_, ok := xksmodel.StatusFor(w)
	return ok || kmsmodel.IsKnownWord(w)
}

// fuzzProxyBody is the body of FuzzClientNoSecretSurvives's answer of kind
// (an error, a health report, key metadata or raw bytes) holding planted.
func fuzzProxyBody(kind uint8, errName, planted string) []byte {
	var body []byte
	switch kind % 4 {
	case 0:
		body, _ = json.Marshal(map[string]string{"errorName": errName, "errorMessage": planted})
	case 1:
		body, _ = json.Marshal(map[string]any{"xksProxyFleetSize": 1, "xksProxyVendor": planted, "xksProxyModel": planted, "ekmVendor": planted,
			"ekmFleetDetails": []map[string]string{{"id": planted, "model": planted, "healthStatus": planted}}})
	case 2:
		body, _ = json.Marshal(map[string]any{"keySpec": planted, "keyUsage": []string{planted}, "keyStatus": planted})
	case 3:
		body = []byte(planted)
	}
	return body
}

// fuzzProxyCalls calls GetHealthStatus, GetKeyMetadata and Encrypt (of
// plaintext) and returns every string they return and every text of their
// errors (Encrypt's apart), checking that an error answer's name comes back
// unaltered.
func fuzzProxyCalls(t *testing.T, c *xksproxy.Client, plaintext string, kind uint8, st int, errName string) (texts, encryptTexts []string) {
	ctx := context.Background()
	var errs []error
	health, err := c.GetHealthStatus(ctx, &xksproxy.GetHealthStatusInput{RequestMetadata: testMD})
	errs = append(errs, err)
	if err == nil {
		texts = append(texts, health.XksProxyVendor, health.XksProxyModel, health.EkmVendor)
		for _, e := range health.EkmFleetDetails {
			texts = append(texts, e.Id, e.Model, string(e.HealthStatus))
		}
	}
	md, err := c.GetKeyMetadata(ctx, &xksproxy.GetKeyMetadataInput{ExternalKeyId: "foo", RequestMetadata: testMD})
	errs = append(errs, err)
	if err == nil {
		texts = append(texts, string(md.KeySpec), string(md.KeyStatus))
		for _, u := range md.KeyUsage {
			texts = append(texts, string(u))
		}
	}
	_, err = c.Encrypt(ctx, &xksproxy.EncryptInput{ExternalKeyId: "foo", RequestMetadata: testMD, Plaintext: []byte(plaintext)})
	encryptTexts = echotest.ErrorTexts(err)
	errs = append(errs, err)
	for _, err := range errs {
		texts = append(texts, echotest.ErrorTexts(err)...)
		var e *xksproxy.Error
		if kind%4 == 0 && st >= 400 && errors.As(err, &e) && e.Name != errName {
			t.Fatalf("error name %q came back as %q", errName, e.Name)
		}
	}
	return texts, encryptTexts
}
