package kms_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os/exec"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/smithy-go"
	"github.com/kmskit/kms"
	"github.com/kmskit/kms/internal/kmsmodel"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// documentedErrors pairs each code any custom key store operation
// documents (internal/kmsmodel) with its Err value.
var documentedErrors = func() []struct {
	code string
	err  error
} {
	var out []struct {
		code string
		err  error
	}
	for _, e := range kmsmodel.Exceptions {
		out = append(out, struct {
			code string
			err  error
		}{e.Code, kms.ErrorForCode(e.Code)})
	}
	return out
}()

func TestErrorForCodeCoversTheModel(t *testing.T) {
	require.Len(t, documentedErrors, len(kmsmodel.Exceptions))
	seen := map[error]bool{}
	for _, de := range documentedErrors {
		require.NotNil(t, de.err, de.code)
		assert.Equal(t, "kms: "+de.code, de.err.Error())
		assert.False(t, seen[de.err], "%s shares an Err value", de.code)
		seen[de.err] = true
	}
	assert.Nil(t, kms.ErrorForCode("ThrottlingException"))
	assert.Nil(t, kms.ErrorForCode(""))
	// The Err values issue 11 adds, by name.
	assert.Same(t, kms.ErrCloudHsmClusterInUse, kms.ErrorForCode(kmsmodel.CodeCloudHsmClusterInUse))
	assert.Same(t, kms.ErrCustomKeyStoreHasCMKs, kms.ErrorForCode(kmsmodel.CodeCustomKeyStoreHasCMKs))
	assert.Same(t, kms.ErrIncorrectTrustAnchor, kms.ErrorForCode(kmsmodel.CodeIncorrectTrustAnchor))
	assert.Same(t, kms.ErrInvalidMarker, kms.ErrorForCode(kmsmodel.CodeInvalidMarker))
	assert.Same(t, kms.ErrLimitExceeded, kms.ErrorForCode(kmsmodel.CodeLimitExceeded))
}

// wireForms are the ways an awsJson1.1 error can carry its code.
var wireForms = []struct {
	name    string
	headers func(code string) map[string]string
	body    func(code string) string
}{
	{"body __type", nil, func(c string) string { return `{"__type":"` + c + `","message":"the message"}` }},
	{"namespaced __type", nil, func(c string) string { return `{"__type":"com.amazonaws.kms#` + c + `","message":"the message"}` }},
	{"colon-suffixed __type", nil, func(c string) string {
		return `{"__type":"` + c + `:http://internal.amazon.com/coral/com.amazonaws.kms/","message":"the message"}`
	}},
	{"code member and Message", nil, func(c string) string { return `{"code":"` + c + `","Message":"the message"}` }},
	{"header only", func(c string) map[string]string {
		return map[string]string{"X-Amzn-ErrorType": c + ":http://internal.amazon.com/"}
	},
		func(string) string { return `{"message":"the message"}` }},
	{"header wins over body", func(c string) map[string]string { return map[string]string{"X-Amzn-ErrorType": c} },
		func(string) string { return `{"__type":"SomethingElseException","message":"the message"}` }},
}

func TestDocumentedErrorsMapToTheirValueOnly(t *testing.T) {
	in := &kms.UpdateCustomKeyStoreInput{CustomKeyStoreId: aws.String("cks-1234567890abcdef0")}
	for _, de := range documentedErrors {
		for _, form := range wireForms {
			t.Run(de.code+"/"+form.name, func(t *testing.T) {
				status := kmsmodel.StatusFor(de.code)
				headers := map[string]string{"X-Amzn-RequestId": "req-" + de.code, "Content-Type": "application/x-amz-json-1.1"}
				if form.headers != nil {
					for k, v := range form.headers(de.code) {
						headers[k] = v
					}
				}
				c, _ := setup(t, errorHandler(status, headers, form.body(de.code)), func(o *kms.Options) { o.RetryMaxAttempts = 1 })
				out, err := c.UpdateCustomKeyStore(context.Background(), in)
				require.Error(t, err)
				assert.Nil(t, out)
				for _, other := range documentedErrors {
					assert.Equal(t, other.code == de.code, errors.Is(err, other.err), "errors.Is(err, Err for %s)", other.code)
				}
				var apiErr *kms.APIError
				require.ErrorAs(t, err, &apiErr)
				assert.Equal(t, de.code, apiErr.Code)
				assert.Equal(t, "the message", apiErr.Message)
				assert.Equal(t, "req-"+de.code, apiErr.RequestID)
				assert.Equal(t, status, apiErr.StatusCode)

				var sErr smithy.APIError
				require.ErrorAs(t, err, &sErr)
				assert.Equal(t, de.code, sErr.ErrorCode())
				assert.Equal(t, "the message", sErr.ErrorMessage())
				wantFault := smithy.FaultClient
				if status >= 500 {
					wantFault = smithy.FaultServer
				}
				assert.Equal(t, wantFault, sErr.ErrorFault())
				assert.Contains(t, err.Error(), de.code)
				assert.Contains(t, err.Error(), "req-"+de.code)
			})
		}
	}
}

func TestUnusualErrorResponses(t *testing.T) {
	tests := []struct {
		name        string
		status      int
		headers     map[string]string
		body        string
		wantCode    string
		wantMessage string
		wantInError []string
	}{
		{"unknown code", 400, map[string]string{"X-Amzn-RequestId": "r-1"},
			`{"__type":"BrandNewException","message":"new"}`, "BrandNewException", "new", []string{"BrandNewException", "r-1"}},
		{"access denied", 400, nil, `{"__type":"AccessDeniedException","Message":"no"}`, "AccessDeniedException", "no", []string{"AccessDeniedException"}},
		{"HTML 502 from a load balancer", 502, map[string]string{"Content-Type": "text/html"},
			"<html>\n<head><title>502 Bad Gateway</title></head>\n<body>nginx</body></html>", "", "<html> <head><title>502 Bad Gateway</title></head> <body>nginx</body></html>",
			[]string{"HTTP 502", "Bad Gateway", "<html>"}},
		{"empty 400 body", 400, nil, "", "", "", []string{"HTTP 400 Bad Request"}},
		{"empty JSON object", 403, nil, "{}", "", "", []string{"HTTP 403"}},
		{"long non-JSON body is cut", 400, nil, strings.Repeat("x", 10000), "", strings.Repeat("x", 256) + "...", []string{"HTTP 400"}},
		{"code with spaces", 400, nil, `{"__type":"  CustomKeyStoreNotFoundException  "}`, "CustomKeyStoreNotFoundException", "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, _ := setup(t, errorHandler(tt.status, tt.headers, tt.body), func(o *kms.Options) { o.RetryMaxAttempts = 1 })
			_, err := c.UpdateCustomKeyStore(context.Background(), &kms.UpdateCustomKeyStoreInput{CustomKeyStoreId: aws.String("cks-1")})
			require.Error(t, err)
			var apiErr *kms.APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, tt.wantCode, apiErr.Code)
			assert.Equal(t, tt.wantMessage, apiErr.Message)
			assert.Equal(t, tt.status, apiErr.StatusCode)
			for _, s := range tt.wantInError {
				assert.Contains(t, err.Error(), s)
			}
			for _, de := range documentedErrors {
				if de.code != tt.wantCode {
					assert.NotErrorIs(t, err, de.err)
				}
			}
		})
	}
}

func TestAPIErrorMethods(t *testing.T) {
	e := &kms.APIError{Code: "CustomKeyStoreNotFoundException", Message: "m", RequestID: "r", StatusCode: 400}
	assert.Equal(t, "kms: CustomKeyStoreNotFoundException: m (status 400) (request id r)", e.Error())
	assert.Equal(t, 400, e.HTTPStatusCode())
	assert.ErrorIs(t, fmt.Errorf("wrapped: %w", e), kms.ErrCustomKeyStoreNotFound)
	noCode := &kms.APIError{StatusCode: 503}
	assert.Equal(t, "HTTP 503", noCode.ErrorCode())
	assert.Equal(t, smithy.FaultServer, noCode.ErrorFault())
	assert.Equal(t, "kms: HTTP 503 Service Unavailable", noCode.Error())
	for _, de := range documentedErrors {
		assert.Contains(t, de.err.Error(), de.code)
	}
}

// The model's throttling codes are the ones aws-sdk-go-v2's retryer (our
// default) treats as throttling.
func TestThrottlingCodesMatchTheSDKRetryer(t *testing.T) {
	var sdk []string
	for c := range retry.DefaultThrottleErrorCodes {
		sdk = append(sdk, c)
	}
	assert.ElementsMatch(t, sdk, kmsmodel.ThrottlingCodes)
}

// TestGoDocShowsMeanings: go doc shows each Err value as "ErrX error" after
// a one-line doc, and the constants with their literal values, never an
// unexported type or internal/kmsmodel, which a user cannot open (issue 19
// §5).
func TestGoDocShowsMeanings(t *testing.T) {
	goCmd, err := exec.LookPath("go")
	require.NoError(t, err)
	out, err := exec.Command(goCmd, "doc", "-all", "github.com/kmskit/kms").Output()
	require.NoError(t, err)
	doc := string(out)
	assert.NotContains(t, doc, "kmsmodel.")
	assert.NotContains(t, doc, "codeError{")
	for _, e := range kmsmodel.Exceptions {
		name := "Err" + strings.TrimSuffix(e.Code, "Exception")
		if kms.ErrorForCode(e.Code) == kms.ErrKMSInternal {
			name = "ErrKMSInternal"
		}
		assert.Regexp(t, `\n\t// `+name+`: [^\n]+\n\t`+name+` error\n`, doc, "%s in go doc", name)
	}
	assert.Contains(t, doc, `ConnectionErrorCodeTypeXksProxyInvalidTlsConfiguration           ConnectionErrorCodeType = "XKS_PROXY_INVALID_TLS_CONFIGURATION"`)
	assert.Contains(t, doc, `XksProxyConnectivityTypePublicEndpoint     XksProxyConnectivityType = "PUBLIC_ENDPOINT"`)
}

// TestEveryErrValueCarriesItsCode: each Err value is the one of the code
// its name says.
func TestEveryErrValueCarriesItsCode(t *testing.T) {
	for _, tc := range []struct {
		err  error
		code string
	}{
		{kms.ErrCloudHsmClusterInUse, kmsmodel.CodeCloudHsmClusterInUse},
		{kms.ErrCloudHsmClusterInvalidConfiguration, kmsmodel.CodeCloudHsmClusterInvalidConfiguration},
		{kms.ErrCloudHsmClusterNotActive, kmsmodel.CodeCloudHsmClusterNotActive},
		{kms.ErrCloudHsmClusterNotFound, kmsmodel.CodeCloudHsmClusterNotFound},
		{kms.ErrCloudHsmClusterNotRelated, kmsmodel.CodeCloudHsmClusterNotRelated},
		{kms.ErrCustomKeyStoreHasCMKs, kmsmodel.CodeCustomKeyStoreHasCMKs},
		{kms.ErrCustomKeyStoreInvalidState, kmsmodel.CodeCustomKeyStoreInvalidState},
		{kms.ErrCustomKeyStoreNameInUse, kmsmodel.CodeCustomKeyStoreNameInUse},
		{kms.ErrCustomKeyStoreNotFound, kmsmodel.CodeCustomKeyStoreNotFound},
		{kms.ErrIncorrectTrustAnchor, kmsmodel.CodeIncorrectTrustAnchor},
		{kms.ErrInvalidMarker, kmsmodel.CodeInvalidMarker},
		{kms.ErrKMSInternal, kmsmodel.CodeKMSInternal},
		{kms.ErrLimitExceeded, kmsmodel.CodeLimitExceeded},
		{kms.ErrXksProxyIncorrectAuthenticationCredential, kmsmodel.CodeXksProxyIncorrectAuthenticationCredential},
		{kms.ErrXksProxyInvalidConfiguration, kmsmodel.CodeXksProxyInvalidConfiguration},
		{kms.ErrXksProxyInvalidResponse, kmsmodel.CodeXksProxyInvalidResponse},
		{kms.ErrXksProxyUriEndpointInUse, kmsmodel.CodeXksProxyUriEndpointInUse},
		{kms.ErrXksProxyUriInUse, kmsmodel.CodeXksProxyUriInUse},
		{kms.ErrXksProxyUriUnreachable, kmsmodel.CodeXksProxyUriUnreachable},
		{kms.ErrXksProxyVpcEndpointServiceInUse, kmsmodel.CodeXksProxyVpcEndpointServiceInUse},
		{kms.ErrXksProxyVpcEndpointServiceInvalidConfiguration, kmsmodel.CodeXksProxyVpcEndpointServiceInvalidConfiguration},
		{kms.ErrXksProxyVpcEndpointServiceNotFound, kmsmodel.CodeXksProxyVpcEndpointServiceNotFound},
	} {
		assert.Equal(t, "kms: "+tc.code, tc.err.Error())
		assert.Same(t, tc.err, kms.ErrorForCode(tc.code))
		assert.ErrorIs(t, &kms.APIError{Code: tc.code}, tc.err)
	}
}

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
