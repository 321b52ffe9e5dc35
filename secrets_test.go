package kms_test

import (
	"bytes"
	"encoding/gob"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"log/slog"
	"testing"

	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kmskit/kms"
)

// TestOptionsSecretsScrubEveryCall: secrets handed to a call with
// Options.Secrets are removed from its error, for calls whose own input
// holds no secret (Connect, Describe) and for Update.
func TestOptionsSecretsScrubEveryCall(t *testing.T) {
	const pw = "kmsuser-echoed-Pw-7"
	echo := errorHandler(400, map[string]string{"X-Amzn-Requestid": "req-" + pw},
		`{"__type":"CustomKeyStoreInvalidStateException","message":"login as kmsuser with `+pw+` failed"}`)
	c, _ := setup(t, echo)
	withSecrets := func(o *kms.Options) { o.Secrets = kms.NewSecrets(pw) }
	id := aws.String(lifecycleStoreID)
	calls := map[string]func(...func(*kms.Options)) error{
		"Connect": func(f ...func(*kms.Options)) error {
			_, err := c.ConnectCustomKeyStore(context.Background(), &kms.ConnectCustomKeyStoreInput{CustomKeyStoreId: id}, f...)
			return err
		},
		"Describe": func(f ...func(*kms.Options)) error {
			_, err := c.DescribeCustomKeyStores(context.Background(), &kms.DescribeCustomKeyStoresInput{CustomKeyStoreId: id}, f...)
			return err
		},
		"Update": func(f ...func(*kms.Options)) error {
			_, err := c.UpdateCustomKeyStore(context.Background(), &kms.UpdateCustomKeyStoreInput{CustomKeyStoreId: id, NewCustomKeyStoreName: aws.String("n")}, f...)
			return err
		},
	}
	for name, call := range calls {
		t.Run(name, func(t *testing.T) {
			require.Contains(t, call().Error(), pw, "without Options.Secrets the echo is the server's text")
			err := call(withSecrets)
			require.Error(t, err)
			assert.NotContains(t, err.Error(), pw)
			assert.ErrorIs(t, err, kms.ErrCustomKeyStoreInvalidState, "the code is intact")
			var ae *kms.APIError
			require.ErrorAs(t, err, &ae)
			assert.NotContains(t, ae.Message+ae.RequestID+ae.Code, pw)
		})
	}
}

func TestSecretsPrintNone(t *testing.T) {
	const pw = "kmsuser-Pw-printed"
	s := kms.NewSecrets(pw)
	o := kms.Options{Region: "us-east-1", Secrets: s}
	wrapped := struct{ o kms.Options }{o}
	var texts []string
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x"} {
		texts = append(texts, fmt.Sprintf(verb, s), fmt.Sprintf(verb, o), fmt.Sprintf(verb, wrapped))
	}
	var buf bytes.Buffer
	slog.New(slog.NewTextHandler(&buf, nil)).Info("x", "s", s, "o", o)
	slog.New(slog.NewJSONHandler(&buf, nil)).Info("x", "s", s)
	texts = append(texts, buf.String())
	j, err := json.Marshal(s)
	require.NoError(t, err)
	texts = append(texts, string(j))
	for _, text := range texts {
		assert.NotContains(t, text, pw)
	}
	assert.Equal(t, `"[REDACTED]"`, string(j))
	_, err = xml.Marshal(s)
	assert.Error(t, err, "xml refuses")
	err = gob.NewEncoder(&bytes.Buffer{}).Encode(s)
	assert.Error(t, err, "gob refuses")
	assert.Equal(t, "[]", kms.Secrets{}.String())
}
