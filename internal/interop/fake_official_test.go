package interop

import (
	"context"
	"errors"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/middleware"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	awskms "github.com/aws/aws-sdk-go-v2/service/kms"
	awstypes "github.com/aws/aws-sdk-go-v2/service/kms/types"
	"github.com/aws/smithy-go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kmskit/kms"
	"github.com/kmskit/kms/kmstest"
)

// officialTyped checks that err is the official client's modeled exception
// for code: the concrete type from service/kms/types, not a generic error.
var officialTyped = map[string]func(error) bool{
	kmstest.CodeCustomKeyStoreNotFound:     func(err error) bool { var e *awstypes.CustomKeyStoreNotFoundException; return errors.As(err, &e) },
	kmstest.CodeCustomKeyStoreInvalidState: func(err error) bool { var e *awstypes.CustomKeyStoreInvalidStateException; return errors.As(err, &e) },
	kmstest.CodeCustomKeyStoreNameInUse:    func(err error) bool { var e *awstypes.CustomKeyStoreNameInUseException; return errors.As(err, &e) },
	kmstest.CodeCloudHsmClusterNotFound:    func(err error) bool { var e *awstypes.CloudHsmClusterNotFoundException; return errors.As(err, &e) },
	kmstest.CodeCloudHsmClusterNotRelated:  func(err error) bool { var e *awstypes.CloudHsmClusterNotRelatedException; return errors.As(err, &e) },
	kmstest.CodeCloudHsmClusterNotActive:   func(err error) bool { var e *awstypes.CloudHsmClusterNotActiveException; return errors.As(err, &e) },
	kmstest.CodeKMSInternal:                func(err error) bool { var e *awstypes.KMSInternalException; return errors.As(err, &e) },
}

// ourErr is our Err value for each code the cases produce.
var ourErr = map[string]error{
	kmstest.CodeCustomKeyStoreNotFound:     kms.ErrCustomKeyStoreNotFound,
	kmstest.CodeCustomKeyStoreInvalidState: kms.ErrCustomKeyStoreInvalidState,
	kmstest.CodeCustomKeyStoreNameInUse:    kms.ErrCustomKeyStoreNameInUse,
	kmstest.CodeCloudHsmClusterNotFound:    kms.ErrCloudHsmClusterNotFound,
	kmstest.CodeCloudHsmClusterNotRelated:  kms.ErrCloudHsmClusterNotRelated,
	kmstest.CodeCloudHsmClusterNotActive:   kms.ErrCloudHsmClusterNotActive,
	kmstest.CodeKMSInternal:                kms.ErrKMSInternal,
}

// TestOfficialGoClientAgainstKmstest drives aws-sdk-go-v2/service/kms
// against the fake, SigV4 verification on: successes change the fake's
// state, and each exception comes back as the SDK's own modeled type with
// the fake's code, message and request ID.
func TestOfficialGoClientAgainstKmstest(t *testing.T) {
	for _, tc := range fakeCases() {
		t.Run(tc.name, func(t *testing.T) {
			var out *awskms.UpdateCustomKeyStoreOutput
			var err error
			_, calls := runFakeCase(t, tc, func(url string, hc kms.HTTPClient) {
				c := newOfficial(url, hc, fastRetryer(3))
				out, err = c.UpdateCustomKeyStore(context.Background(), toOfficial(tc.in))
			})
			last := calls[len(calls)-1]
			if tc.wantCode == "" {
				require.NoError(t, err)
				id, ok := middleware.GetRequestIDMetadata(out.ResultMetadata)
				assert.True(t, ok)
				assert.Equal(t, last.RequestID, id)
				return
			}
			require.Error(t, err)
			typed, known := officialTyped[tc.wantCode]
			require.True(t, known, tc.wantCode)
			assert.True(t, typed(err), "%T: %v", errors.Unwrap(err), err)
			var apiErr smithy.APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, tc.wantCode, apiErr.ErrorCode())
			assert.Equal(t, last.Message, apiErr.ErrorMessage())
			assert.NotEmpty(t, apiErr.ErrorMessage())
			var respErr *awshttp.ResponseError
			require.ErrorAs(t, err, &respErr)
			assert.Equal(t, last.RequestID, respErr.ServiceRequestID())
			assert.Equal(t, last.Status, respErr.HTTPStatusCode())
		})
	}
}

// TestOurClientAgainstKmstest runs the same cases through our client, so
// the two Go clients are seen to agree against the same fake.
func TestOurClientAgainstKmstest(t *testing.T) {
	for _, tc := range fakeCases() {
		t.Run(tc.name, func(t *testing.T) {
			var out *kms.UpdateCustomKeyStoreOutput
			var err error
			_, calls := runFakeCase(t, tc, func(url string, hc kms.HTTPClient) {
				c := kms.New(kms.Options{Region: testRegion, Credentials: staticCreds(), BaseEndpoint: aws.String(url), HTTPClient: hc, Retryer: fastRetryer(3)})
				out, err = c.UpdateCustomKeyStore(context.Background(), tc.in)
			})
			last := calls[len(calls)-1]
			if tc.wantCode == "" {
				require.NoError(t, err)
				assert.Equal(t, last.RequestID, out.RequestID)
				return
			}
			require.ErrorIs(t, err, ourErr[tc.wantCode])
			var apiErr *kms.APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, tc.wantCode, apiErr.Code)
			assert.Equal(t, last.Message, apiErr.Message)
			assert.Equal(t, last.RequestID, apiErr.RequestID)
			assert.Equal(t, last.Status, apiErr.StatusCode)
		})
	}
}
