package kms_test

import (
	"errors"
	"net/http"
	"strconv"
	"sync/atomic"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kmskit/kms"
	"github.com/kmskit/kms/internal/kmsmodel"
)

// validCall is a valid call of each lifecycle operation.
var validCall = map[string]lifecycleCall{
	"CreateCustomKeyStore":     createCall(cloudHsmCreate()),
	"DescribeCustomKeyStores":  describeCall(&kms.DescribeCustomKeyStoresInput{Marker: aws.String("m")}),
	"ConnectCustomKeyStore":    connectCall(&kms.ConnectCustomKeyStoreInput{CustomKeyStoreId: aws.String(lifecycleStoreID)}),
	"DisconnectCustomKeyStore": disconnectCall(&kms.DisconnectCustomKeyStoreInput{CustomKeyStoreId: aws.String(lifecycleStoreID)}),
	"DeleteCustomKeyStore":     deleteCall(&kms.DeleteCustomKeyStoreInput{CustomKeyStoreId: aws.String(lifecycleStoreID)}),
}

// TestLifecycleDocumentedErrors sends every error code each lifecycle
// operation documents (internal/kmsmodel) back through the client, with
// the status KMS uses, and checks the typed error.
func TestLifecycleDocumentedErrors(t *testing.T) {
	n := 0
	for _, op := range kmsmodel.Operations {
		if op.Name == "UpdateCustomKeyStore" {
			continue
		}
		call, ok := validCall[op.Name]
		require.True(t, ok, "no call for %s", op.Name)
		for _, code := range op.Errors {
			n++
			t.Run(op.Name+"/"+code, func(t *testing.T) {
				status := kmsmodel.StatusFor(code)
				c, rec := setup(t, errorHandler(status, map[string]string{"X-Amzn-Requestid": "req-err"},
					`{"__type":"com.amazonaws.kms#`+code+`","message":"from the server"}`))
				err := call(c, func(o *kms.Options) { o.RetryMaxAttempts = 1 })
				require.Error(t, err)
				want := kms.ErrorForCode(code)
				require.NotNil(t, want, code)
				assert.ErrorIs(t, err, want)
				for _, other := range kmsmodel.DocumentedCodes() {
					if other != code {
						assert.False(t, errors.Is(err, kms.ErrorForCode(other)), "%s also matches %s", code, other)
					}
				}
				var apiErr *kms.APIError
				require.ErrorAs(t, err, &apiErr)
				assert.Equal(t, code, apiErr.Code)
				assert.Equal(t, status, apiErr.StatusCode)
				assert.Equal(t, "req-err", apiErr.RequestID)
				assert.Equal(t, "from the server", apiErr.Message)
				assert.Len(t, rec.all(), 1, "sent once")
				assert.Equal(t, "TrentService."+op.Name, rec.all()[0].req.Header.Get("X-Amz-Target"))
			})
		}
	}
	assert.Equal(t, 17+3+5+3+4, n, "documented errors of the five lifecycle operations")
}

// TestLifecycleRetries: throttling and 5xx are retried by the client for
// every lifecycle operation.
func TestLifecycleRetries(t *testing.T) {
	for op, call := range validCall {
		t.Run(op, func(t *testing.T) {
			var count atomic.Int32
			c, rec := setup(t, func(w http.ResponseWriter, r *http.Request) {
				calls := int(count.Add(1))
				if calls < 3 {
					w.Header().Set("X-Amzn-Errortype", "ThrottlingException")
					w.WriteHeader(400)
					_, _ = w.Write([]byte(`{"message":"slow down ` + strconv.Itoa(calls) + `"}`))
					return
				}
				answerOK(`{}`)(w, r)
			})
			require.NoError(t, call(c))
			assert.Len(t, rec.all(), 3)
		})
	}
}
