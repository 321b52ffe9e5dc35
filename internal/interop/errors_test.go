package interop

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	awssdk "github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/smithy-go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kmskit/kms"
	"github.com/kmskit/kms/internal/kmsmodel"
)

// documentedCodes are the errors UpdateCustomKeyStore documents, from
// internal/kmsmodel, with our Err value for each.
var documentedCodes = func() []struct {
	code string
	err  error
} {
	var out []struct {
		code string
		err  error
	}
	for _, c := range kmsmodel.UpdateCustomKeyStore.Errors {
		out = append(out, struct {
			code string
			err  error
		}{c, kms.ErrorForCode(c)})
	}
	return out
}()

// errorWireForms are the ways an awsJson1.1 error response carries its code.
var errorWireForms = []struct {
	name    string
	headers func(code string) map[string]string
	body    func(code string) string
}{
	{"__type", nil, func(c string) string { return `{"__type":"` + c + `","message":"the message"}` }},
	{"namespaced __type", nil, func(c string) string {
		return `{"__type":"com.amazonaws.kms#` + c + `","message":"the message"}`
	}},
	{"colon-suffixed __type", nil, func(c string) string {
		return `{"__type":"` + c + `:http://internal.amazon.com/coral/com.amazonaws.kms/","message":"the message"}`
	}},
	{"code member", nil, func(c string) string { return `{"code":"` + c + `","message":"the message"}` }},
	{"capitalised Message", nil, func(c string) string { return `{"__type":"` + c + `","Message":"the message"}` }},
	{"header only", func(c string) map[string]string {
		return map[string]string{"X-Amzn-ErrorType": c + ":http://internal.amazon.com/coral/com.amazonaws.kms/"}
	}, func(string) string { return `{"message":"the message"}` }},
	{"header wins over body", func(c string) map[string]string {
		return map[string]string{"X-Amzn-ErrorType": "aws.kms#" + c}
	}, func(string) string { return `{"__type":"SomethingElseException","message":"the message"}` }},
}

// outcome is how a client classified an error response.
type outcome struct {
	Code      string
	Message   string
	RequestID string
	Attempts  int // counted by the server
}

// answer returns a handler that always writes status, headers and body.
func answer(status int, headers map[string]string, body string) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) {
		for k, v := range headers {
			w.Header().Set(k, v)
		}
		w.WriteHeader(status)
		_, _ = io.WriteString(w, body)
	}
}

// bothResults are the errors of both clients and the attempts the server
// counted for each.
type bothResults struct {
	ourErr      error
	ourAttempts int
	awsErr      error
	awsAttempts int
}

// callBoth sends the same request through both clients (3 attempts
// allowed, no backoff) and returns both errors and attempt counts.
func callBoth(t *testing.T, h http.HandlerFunc) bothResults {
	t.Helper()
	var ourErr, awsErr error
	var ourAttempts, awsAttempts int
	ctx := context.Background()
	srv, rec := newCaptureServer(t, h)
	in := &kms.UpdateCustomKeyStoreInput{CustomKeyStoreId: awssdk.String(storeID)}

	_, ourErr = newOurs(srv.URL, srv.Client(), fastRetryer(3)).UpdateCustomKeyStore(ctx, in)
	ourAttempts = rec.count()
	rec.reset()
	_, awsErr = newOfficial(srv.URL, srv.Client(), fastRetryer(3)).UpdateCustomKeyStore(ctx, toOfficial(in))
	awsAttempts = rec.count()
	return bothResults{ourErr: ourErr, ourAttempts: ourAttempts, awsErr: awsErr, awsAttempts: awsAttempts}
}

// ourOutcome reads our *APIError.
func ourOutcome(t *testing.T, err error, attempts int) outcome {
	t.Helper()
	var apiErr *kms.APIError
	require.ErrorAs(t, err, &apiErr)
	return outcome{Code: apiErr.Code, Message: apiErr.Message, RequestID: apiErr.RequestID, Attempts: attempts}
}

// officialOutcome reads the official client's smithy.APIError and the
// request ID of its *awshttp.ResponseError.
func officialOutcome(t *testing.T, err error, attempts int) outcome {
	t.Helper()
	var apiErr smithy.APIError
	require.ErrorAs(t, err, &apiErr)
	var respErr *awshttp.ResponseError
	require.ErrorAs(t, err, &respErr)
	return outcome{Code: apiErr.ErrorCode(), Message: apiErr.ErrorMessage(), RequestID: respErr.ServiceRequestID(), Attempts: attempts}
}

func TestErrorEquivalenceDocumentedCodes(t *testing.T) {
	require.Len(t, documentedCodes, 17)
	for _, dc := range documentedCodes {
		require.NotNil(t, dc.err, "no Err value for %s", dc.code)
	}
	for _, dc := range documentedCodes {
		for _, form := range errorWireForms {
			t.Run(dc.code+"/"+form.name, func(t *testing.T) {
				status := kmsmodel.StatusFor(dc.code)
				wantAttempts := 1
				if status >= 500 {
					wantAttempts = 3 // retried by both, as a 5xx and by code
				}
				headers := map[string]string{
					"X-Amzn-Requestid": "req-" + dc.code,
					"Content-Type":     "application/x-amz-json-1.1",
				}
				if form.headers != nil {
					for k, v := range form.headers(dc.code) {
						headers[k] = v
					}
				}
				res := callBoth(t, answer(status, headers, form.body(dc.code)))
				ourErr, ourN, awsErr, awsN := res.ourErr, res.ourAttempts, res.awsErr, res.awsAttempts

				want := outcome{Code: dc.code, Message: "the message", RequestID: "req-" + dc.code, Attempts: wantAttempts}
				assert.Equal(t, want, officialOutcome(t, awsErr, awsN), "official")
				assert.Equal(t, want, ourOutcome(t, ourErr, ourN), "ours")

				// The official client decodes to its modeled type of the same
				// name; ours matches exactly one Err value.
				var apiErr smithy.APIError
				require.ErrorAs(t, awsErr, &apiErr)
				assert.Equal(t, "*types."+dc.code, fmt.Sprintf("%T", apiErr))
				for _, other := range documentedCodes {
					assert.Equal(t, other.code == dc.code, errors.Is(ourErr, other.err), other.code)
				}
				// Same fault classification through smithy.APIError.
				var ourSmithy smithy.APIError
				require.ErrorAs(t, ourErr, &ourSmithy)
				assert.Equal(t, apiErr.ErrorFault(), ourSmithy.ErrorFault())
			})
		}
	}
}

func TestErrorEquivalenceUnusualResponses(t *testing.T) {
	tests := []struct {
		name     string
		status   int
		headers  map[string]string
		body     string
		want     outcome
		typeName string // the official client's error type
	}{
		{
			name: "unknown code", status: 400,
			body:     `{"__type":"com.amazonaws.kms#BrandNewException","message":"something new"}`,
			want:     outcome{Code: "BrandNewException", Message: "something new", RequestID: "req-x", Attempts: 1},
			typeName: "*smithy.GenericAPIError",
		},
		{
			name: "unknown code in header only", status: 400,
			headers:  map[string]string{"X-Amzn-ErrorType": "BrandNewException:http://internal.amazon.com/"},
			body:     `{"message":"something new"}`,
			want:     outcome{Code: "BrandNewException", Message: "something new", RequestID: "req-x", Attempts: 1},
			typeName: "*smithy.GenericAPIError",
		},
		{
			name: "throttling is retried by code", status: 400,
			body:     `{"__type":"ThrottlingException","message":"Rate exceeded"}`,
			want:     outcome{Code: "ThrottlingException", Message: "Rate exceeded", RequestID: "req-x", Attempts: 3},
			typeName: "*smithy.GenericAPIError",
		},
		{
			name: "unknown code on a 503 is retried by status", status: 503,
			body:     `{"__type":"ServiceUnavailableException","message":"try later"}`,
			want:     outcome{Code: "ServiceUnavailableException", Message: "try later", RequestID: "req-x", Attempts: 3},
			typeName: "*smithy.GenericAPIError",
		},
		{
			name: "access denied", status: 400,
			body:     `{"__type":"AccessDeniedException","message":"User is not authorized"}`,
			want:     outcome{Code: "AccessDeniedException", Message: "User is not authorized", RequestID: "req-x", Attempts: 1},
			typeName: "*smithy.GenericAPIError",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			headers := map[string]string{"X-Amzn-Requestid": "req-x", "Content-Type": "application/x-amz-json-1.1"}
			for k, v := range tt.headers {
				headers[k] = v
			}
			res := callBoth(t, answer(tt.status, headers, tt.body))
			ourErr, ourN, awsErr, awsN := res.ourErr, res.ourAttempts, res.awsErr, res.awsAttempts
			assert.Equal(t, tt.want, officialOutcome(t, awsErr, awsN), "official")
			assert.Equal(t, tt.want, ourOutcome(t, ourErr, ourN), "ours")
			var apiErr smithy.APIError
			require.ErrorAs(t, awsErr, &apiErr)
			assert.Equal(t, tt.typeName, fmt.Sprintf("%T", apiErr))
			for _, dc := range documentedCodes {
				assert.NotErrorIs(t, ourErr, dc.err)
			}
		})
	}
}

// An HTML 5xx page from a load balancer is where we differ on purpose. The
// official client cannot decode the body as JSON and returns a
// *smithy.DeserializationError with no code, no message and no request ID
// reachable through smithy.APIError. Ours returns an *APIError with an empty
// Code, the status in ErrorCode ("HTTP 502"), a bounded one-line excerpt of
// the body as Message and the request ID. Both retry it as a 5xx.
func TestErrorEquivalenceHTML5xxDiffersOnPurpose(t *testing.T) {
	page := "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n</body>\r\n</html>\r\n"
	h := answer(http.StatusBadGateway, map[string]string{"Content-Type": "text/html", "X-Amzn-Requestid": "req-lb"}, page)
	res := callBoth(t, h)
	ourErr, ourN, awsErr, awsN := res.ourErr, res.ourAttempts, res.awsErr, res.awsAttempts

	// Same retry decision.
	assert.Equal(t, 3, awsN)
	assert.Equal(t, 3, ourN)

	// Official: a deserialization error, not an API error.
	var deserErr *smithy.DeserializationError
	assert.ErrorAs(t, awsErr, &deserErr)
	var awsAPIErr smithy.APIError
	assert.False(t, errors.As(awsErr, &awsAPIErr), "official: %v", awsErr)

	// Ours: an *APIError naming the status, with a body excerpt.
	var apiErr *kms.APIError
	require.ErrorAs(t, ourErr, &apiErr)
	assert.Equal(t, "", apiErr.Code)
	assert.Equal(t, http.StatusBadGateway, apiErr.StatusCode)
	assert.Equal(t, "HTTP 502", apiErr.ErrorCode())
	assert.Equal(t, "req-lb", apiErr.RequestID)
	assert.Equal(t, "<html> <head><title>502 Bad Gateway</title></head> <body> <center><h1>502 Bad Gateway</h1></center> </body> </html>", apiErr.Message)
	assert.Equal(t, smithy.FaultServer, apiErr.ErrorFault())
	assert.Contains(t, ourErr.Error(), "HTTP 502 Bad Gateway")
	assert.False(t, strings.Contains(ourErr.Error(), "\n"), "one line: %q", ourErr.Error())
	for _, dc := range documentedCodes {
		assert.NotErrorIs(t, ourErr, dc.err)
	}
}

// A response with no code anywhere (an empty body or "{}") is the other
// deliberate difference: the official client invents the code and message
// "UnknownError"; ours leaves Code and Message empty and names the status
// ("HTTP 400") in ErrorCode and Error, so a caller never mistakes it for a
// code the service sent. Neither retries a 4xx.
func TestErrorEquivalenceNoCodeDiffersOnPurpose(t *testing.T) {
	for _, body := range []string{"", "{}"} {
		t.Run(fmt.Sprintf("body %q", body), func(t *testing.T) {
			h := answer(http.StatusBadRequest, map[string]string{"X-Amzn-Requestid": "req-nocode"}, body)
			res := callBoth(t, h)
			ourErr, ourN, awsErr, awsN := res.ourErr, res.ourAttempts, res.awsErr, res.awsAttempts
			assert.Equal(t, outcome{Code: "UnknownError", Message: "UnknownError", RequestID: "req-nocode", Attempts: 1}, officialOutcome(t, awsErr, awsN))
			assert.Equal(t, outcome{Code: "", Message: "", RequestID: "req-nocode", Attempts: 1}, ourOutcome(t, ourErr, ourN))
			var apiErr *kms.APIError
			require.ErrorAs(t, ourErr, &apiErr)
			assert.Equal(t, "HTTP 400", apiErr.ErrorCode())
			assert.Contains(t, ourErr.Error(), "HTTP 400 Bad Request")
		})
	}
}
