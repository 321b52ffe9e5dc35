package kms_test

import (
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/kmskit/kms"
)

// The three secrets, distinctive enough that finding them in any text is
// certainly a leak.
const (
	secretPassword  = "Pw-Secret-4242!"
	secretRawKey    = "RAWSECRETqwrtzuiopsdfghjklyxcvbnmQWRTZUIOPLKJHG+/="
	xksAccessKeyID  = "XKSACCESSKEYIDQRSTUVWXYZ27"
	testStoreID     = "cks-1234567890abcdef0"
	visibleName     = "visible-store-name"
	visibleUriPath  = "/example/kms/xks/v1"
	visibleEndpoint = "https://xks.example.com"
)

// secrets are the strings no output may contain (AccessKeyId is sensitive
// in the KMS model, as the other two).
var secrets = []string{secretPassword, secretRawKey, xksAccessKeyID}

// cloudHSMInput is a valid update that carries KeyStorePassword.
func cloudHSMInput() *kms.UpdateCustomKeyStoreInput {
	return &kms.UpdateCustomKeyStoreInput{
		CustomKeyStoreId:      aws.String(testStoreID),
		KeyStorePassword:      aws.String(secretPassword),
		NewCustomKeyStoreName: aws.String(visibleName),
	}
}

// xksInput is a valid update that carries RawSecretAccessKey.
func xksInput() *kms.UpdateCustomKeyStoreInput {
	return &kms.UpdateCustomKeyStoreInput{
		CustomKeyStoreId: aws.String(testStoreID),
		XksProxyAuthenticationCredential: &kms.XksProxyAuthenticationCredentialType{
			AccessKeyId:        aws.String(xksAccessKeyID),
			RawSecretAccessKey: aws.String(secretRawKey),
		},
		XksProxyUriPath: aws.String(visibleUriPath),
	}
}

// fullInput sets every member, both secrets included (it is not a valid
// update: it mixes CloudHSM and XKS members).
func fullInput() kms.UpdateCustomKeyStoreInput {
	return kms.UpdateCustomKeyStoreInput{
		CustomKeyStoreId:      aws.String(testStoreID),
		CloudHsmClusterId:     aws.String("cluster-abcdefghijk"),
		KeyStorePassword:      aws.String(secretPassword),
		NewCustomKeyStoreName: aws.String(visibleName),
		XksProxyAuthenticationCredential: &kms.XksProxyAuthenticationCredentialType{
			AccessKeyId:        aws.String(xksAccessKeyID),
			RawSecretAccessKey: aws.String(secretRawKey),
		},
		XksProxyConnectivity:            kms.XksProxyConnectivityTypeVpcEndpointService,
		XksProxyUriEndpoint:             aws.String(visibleEndpoint),
		XksProxyUriPath:                 aws.String(visibleUriPath),
		XksProxyVpcEndpointServiceName:  aws.String("com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0"),
		XksProxyVpcEndpointServiceOwner: aws.String("111122223333"),
	}
}

// visibleValues are non-secret values of fullInput that must stay visible.
var visibleValues = []string{testStoreID, "cluster-abcdefghijk", visibleName,
	"VPC_ENDPOINT_SERVICE", visibleEndpoint, visibleUriPath, "vpce-svc-0123456789abcdef0", "111122223333"}

// assertNoSecret fails when s contains a secret.
func assertNoSecret(t *testing.T, s string, msgAndArgs ...any) {
	t.Helper()
	for _, secret := range secrets {
		if strings.Contains(s, secret) {
			t.Errorf("secret %q leaked in %q %v", secret[:4]+"...", s, msgAndArgs)
		}
	}
}

// checkGoroutines records the goroutine count now and, when the test ends
// (after every cleanup registered later, such as closing servers), waits
// for the count to come back to it, calling closeIdle first. It gives up
// after a minute, a hang guard that a loaded machine never reaches: it
// returns as soon as the goroutines are gone.
func checkGoroutines(t *testing.T, closeIdle ...func()) {
	t.Helper()
	before := runtime.NumGoroutine()
	t.Cleanup(func() {
		deadline := time.Now().Add(time.Minute)
		for {
			for _, f := range closeIdle {
				f()
			}
			now := runtime.NumGoroutine()
			if now <= before {
				return
			}
			if time.Now().After(deadline) {
				buf := make([]byte, 1<<16)
				buf = buf[:runtime.Stack(buf, true)]
				t.Errorf("goroutines: %d before, %d after the test\n%s", before, now, buf)
				return
			}
			time.Sleep(20 * time.Millisecond)
		}
	})
}
