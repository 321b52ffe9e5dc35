package safeupdate_test

import (
	"bytes"
	"context"
	"encoding/gob"
	"encoding/hex"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kmskit/kms"
	"github.com/kmskit/kms/kmstest"
	"github.com/kmskit/kms/safeupdate"
)

// printedEveryWay prints v with every fmt verb, through slog's text and
// JSON handlers, encoding/json, xml and gob, and nested in an unexported
// field of a struct, and returns all of it (encoders that refuse add
// nothing).
func printedEveryWay(v any) string {
	var b strings.Builder
	nested := struct {
		hidden any
		inner  struct{ v any }
	}{hidden: v}
	nested.inner.v = v
	for _, x := range []any{v, nested} {
		for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d"} {
			fmt.Fprintf(&b, verb+"\n", x)
		}
		slog.New(slog.NewTextHandler(&b, nil)).Info("m", "v", x)
		slog.New(slog.NewJSONHandler(&b, nil)).Info("m", "v", x)
		if j, err := json.Marshal(x); err == nil {
			b.Write(j)
		}
		if x, err := xml.Marshal(x); err == nil {
			b.Write(x)
		}
		var g bytes.Buffer
		if gob.NewEncoder(&g).Encode(x) == nil {
			b.Write(g.Bytes())
		}
	}
	return b.String()
}

// TestSecretsPrintNowhere: no value of the package that holds a secret (a
// plan with its snapshot of the store's AccessKeyId, its options with the
// previous password and the current credential, steps and rollbacks with
// their inputs) shows one, however it is printed or encoded.
func TestSecretsPrintNowhere(t *testing.T) {
	e := newRoutedWorld(t)
	require.NoError(t, e.proxy.SetCredentials(
		kmstest.XksCredential{AccessKeyID: routedAccessKeyID, SecretAccessKey: routedSecret},
		kmstest.XksCredential{AccessKeyID: routedNextAccessKeyID, SecretAccessKey: routedNextSecret}))
	const prevPassword = "kmsuser-previous-Pw-9"
	cred1, cred2 := xksCred(routedAccessKeyID, routedSecret), xksCred(routedNextAccessKeyID, routedNextSecret)
	opts := safeupdate.PlanOptions{AllowDisconnect: true, PreviousKeyStorePassword: aws.String(prevPassword),
		Preflight: safeupdate.PreflightOptions{HTTPClient: e.hc, Credential: &cred1}}
	plan, err := e.updater.Plan(context.Background(), &kms.UpdateCustomKeyStoreInput{CustomKeyStoreId: aws.String(routedStoreID),
		XksProxyAuthenticationCredential: &cred2}, opts)
	require.NoError(t, err)
	rollback := &safeupdate.RollbackOutcome{Input: &kms.UpdateCustomKeyStoreInput{CustomKeyStoreId: aws.String(routedHsmStoreID),
		KeyStorePassword: aws.String(prevPassword)}, Restored: []string{"KeyStorePassword"}}
	values := map[string]any{
		"Plan":             plan,
		"Plan value":       *plan,
		"PlanOptions":      opts,
		"PreflightOptions": opts.Preflight,
		"RotateOptions":    safeupdate.RotateOptions{HTTPClient: e.hc, NewUriPath: aws.String(routedOtherPath)},
		"Step":             plan.Steps[0],
		"RollbackOutcome":  rollback,
		"ApplyError":       &safeupdate.ApplyError{CustomKeyStoreId: routedHsmStoreID, Step: safeupdate.StepWaitConnected, Err: context.Canceled, Rollback: rollback},
		"StepEvent":        safeupdate.StepEvent{Step: safeupdate.Step{Action: safeupdate.StepUpdate, Input: rollback.Input}},
		"StepResult":       safeupdate.StepResult{Step: safeupdate.Step{Action: safeupdate.StepUpdate, Input: rollback.Input}},
		"PreflightReport":  plan.Preflight,
	}
	secrets := []string{routedAccessKeyID, routedSecret, routedNextAccessKeyID, routedNextSecret, prevPassword}
	for name, v := range values {
		t.Run(name, func(t *testing.T) {
			out := printedEveryWay(v)
			require.NotEmpty(t, out)
			for _, s := range secrets {
				assert.NotContains(t, out, s)
				assert.NotContains(t, strings.ToLower(out), hex.EncodeToString([]byte(s)), "hex-encoded")
			}
		})
	}

	// The options say what they hold, without the values, and the encoders
	// that would lose a secret refuse.
	assert.Contains(t, opts.String(), "PreviousKeyStorePassword:[REDACTED]")
	assert.Contains(t, opts.String(), "Credential:[REDACTED]")
	_, err = opts.MarshalText()
	assert.ErrorContains(t, err, "refusing to encode a secret")
	assert.Error(t, gob.NewEncoder(&bytes.Buffer{}).Encode(opts))
	j, err := json.Marshal(opts)
	require.NoError(t, err)
	assert.Contains(t, string(j), `"PreviousKeyStorePassword":"[REDACTED]"`)
	assert.Equal(t, prevPassword, *opts.PreviousKeyStorePassword, "printing changes nothing")
}
