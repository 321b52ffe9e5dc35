package sigv4

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

// FuzzSignMatchesAWSSigner: for any request, secret, Region, header value
// and time, this signer's headers are exactly aws/signer/v4's (whether the
// fast path or the fallback signs).
func FuzzSignMatchesAWSSigner(f *testing.F) {
	f.Add("https://kms.us-east-1.amazonaws.com/", "AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "", "us-east-1", "x", `{"a":1}`, int64(1795000000))
	f.Add("http://127.0.0.1:4599/", "AKID", "s", "tok/en=", "eu-west-1", "a  b", "", int64(0))
	f.Add("https://[::1]:443/p/a-t_h~", "A", "a-very-long-secret-that-is-longer-than-one-sha256-block-of-sixty-four-bytes", "", "cn-north-1", "\tv\t", "{}", int64(4102444800))
	f.Add("http://h/x%2Fy?q=1", "K", "S", "", "r", "ü", "b", int64(1))
	f.Fuzz(func(t *testing.T, rawURL, keyID, secret, token, region, value, body string, unix int64) {
		u, err := url.Parse(rawURL)
		if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
			return
		}
		creds := aws.Credentials{AccessKeyID: keyID, SecretAccessKey: secret, SessionToken: token}
		at := time.Unix(unix%(1<<33), 0).UTC()
		sum := sha256.Sum256([]byte(body))
		hash := hex.EncodeToString(sum[:])
		build := func() *http.Request {
			r, err := http.NewRequest(http.MethodPost, rawURL, nil)
			if err != nil {
				t.Fatalf("NewRequest: %v", err)
			}
			r.Header = kmsHeaders()
			r.Header["X-Fuzz"] = []string{value}
			return r
		}
		ours, theirs := build(), build()
		errOurs := NewSigner().SignHTTP(context.Background(), creds, ours, hash, "kms", region, at)
		errTheirs := v4.NewSigner().SignHTTP(context.Background(), creds, theirs, hash, "kms", region, at)
		if (errOurs == nil) != (errTheirs == nil) {
			t.Fatalf("errors differ: ours %v, aws/signer/v4 %v", errOurs, errTheirs)
		}
		for _, k := range []string{"Authorization", "X-Amz-Date", "X-Amz-Security-Token"} {
			if a, b := ours.Header.Get(k), theirs.Header.Get(k); a != b {
				t.Fatalf("%s differs:\n ours %q\n aws  %q", k, a, b)
			}
		}
		if ours.Host != theirs.Host {
			t.Fatalf("Host differs: ours %q, aws %q", ours.Host, theirs.Host)
		}
	})
}
