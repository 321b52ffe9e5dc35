package xksproxy_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/smithy-go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kmskit/kms/xksproxy"
)

// errByName lists every error name of the specification with its Err value
// and status.
var errByName = []struct {
	name   string
	status int
	err    error
}{
	{"ValidationException", 400, xksproxy.ErrValidation},
	{"InvalidStateException", 400, xksproxy.ErrInvalidState},
	{"InvalidCiphertextException", 400, xksproxy.ErrInvalidCiphertext},
	{"InvalidKeyUsageException", 400, xksproxy.ErrInvalidKeyUsage},
	{"AuthenticationFailedException", 401, xksproxy.ErrAuthenticationFailed},
	{"AccessDeniedException", 403, xksproxy.ErrAccessDenied},
	{"KeyNotFoundException", 404, xksproxy.ErrKeyNotFound},
	{"InvalidUriPathException", 404, xksproxy.ErrInvalidUriPath},
	{"ThrottlingException", 429, xksproxy.ErrThrottling},
	{"UnsupportedOperationException", 501, xksproxy.ErrUnsupportedOperation},
	{"DependencyTimeoutException", 503, xksproxy.ErrDependencyTimeout},
	{"InternalException", 500, xksproxy.ErrInternal},
}

// Each error name is an *Error matching exactly its Err value.
func TestErrorNamesMatchTheirErrValues(t *testing.T) {
	for _, tt := range errByName {
		t.Run(tt.name, func(t *testing.T) {
			srv := newCanned(t, tt.status, fmt.Sprintf(`{"errorName":%q,"errorMessage":"because"}`, tt.name))
			_, err := srv.client().GetHealthStatus(context.Background(), &xksproxy.GetHealthStatusInput{RequestMetadata: testMD})
			var e *xksproxy.Error
			require.ErrorAs(t, err, &e)
			assert.Equal(t, tt.name, e.Name)
			assert.Equal(t, "because", e.Message)
			assert.Equal(t, tt.status, e.StatusCode)
			assert.Equal(t, "GetHealthStatus", e.Operation)
			assert.Equal(t, fmt.Sprintf("xksproxy: GetHealthStatus: %s: because (status %d)", tt.name, tt.status), e.Error())
			for _, other := range errByName {
				assert.Equal(t, other.name == tt.name, errors.Is(err, other.err), "errors.Is(%s, Err of %s)", tt.name, other.name)
			}
			assert.NotErrorIs(t, err, xksproxy.ErrMalformedResponse)
			var apiErr smithy.APIError
			require.ErrorAs(t, err, &apiErr, "SDK code that expects smithy.APIError keeps working")
			assert.Equal(t, tt.name, apiErr.ErrorCode())
			assert.Equal(t, "because", apiErr.ErrorMessage())
			assert.Equal(t, tt.status >= 500, apiErr.ErrorFault() == smithy.FaultServer)
		})
	}
}

// An error message is cut to printable ASCII of at most 511 characters, and
// dropped when it echoes the credential or the plaintext: whole, as a run
// longer than half of it, or cut (see awsjson.Scrubber).
func TestErrorMessageScrubbed(t *testing.T) {
	plaintext := []byte("attack at dawn")
	tests := []struct {
		name    string
		message string
		want    string
	}{
		{"plain", "no such key", "no such key"},
		{"control characters", "line1\nline2\x7f", "line1?line2?"},
		{"too long", strings.Repeat("m", 600), strings.Repeat("m", 511)},
		{"echoes the secret", "bad signature with " + testSecret, ""},
		{"echoes the access key ID", "unknown key " + testAKID, ""},
		{"echoes the plaintext", "cannot encrypt 'attack at dawn'", ""},
		{"echoes the Base64 plaintext", "cannot encrypt YXR0YWNrIGF0IGRhd24=", ""},
		{"echoes part of the secret", "bad signature with " + testSecret[7:31], ""},
		{"echoes part of the access key ID", "unknown key " + testAKID[4:16] + "...", ""},
		{"echoes the start of the access key ID, cut", "unknown key " + testAKID[:6] + "...", ""},
		// Runs of half a secret or less are words, not echoes.
		{"shares a short run with the secret", "bad signature with " + testSecret[7:19], "bad signature with " + testSecret[7:19]},
		{"echoes the plaintext with its space altered", "cannot encrypt 'attack \t at  dawn'", ""},
		{"the cut leaves the start of the access key ID", strings.Repeat("m", 507) + testAKID[:5] + "zz", strings.Repeat("m", 507)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body, err := json.Marshal(map[string]string{"errorName": "InternalException", "errorMessage": tt.message})
			require.NoError(t, err)
			srv := newCanned(t, 500, string(body))
			_, err = srv.client().Encrypt(context.Background(), &xksproxy.EncryptInput{ExternalKeyId: "foo", RequestMetadata: testMD, Plaintext: plaintext})
			var e *xksproxy.Error
			require.ErrorAs(t, err, &e)
			assert.Equal(t, tt.want, e.Message)
			assert.NotContains(t, err.Error(), testSecret)
			assert.NotContains(t, err.Error(), testAKID)
			assert.NotContains(t, err.Error(), "attack at dawn")
		})
	}
}

// TestErrorMessageJudgedInPlace: a message that holds no long run of the
// secret alone but completes one with the ": " before it (CI's fuzz input:
// secret " 000000", message "00000...") is withheld.
func TestErrorMessageJudgedInPlace(t *testing.T) {
	srv := newCanned(t, 400, `{"errorName":"ValidationException","errorMessage":"00000IDAwMDAwMA==00000"}`)
	c := srv.client(func(o *xksproxy.Options) { o.Credential.SecretAccessKey = " 000000" })
	_, err := c.GetHealthStatus(context.Background(), &xksproxy.GetHealthStatusInput{RequestMetadata: testMD})
	var e *xksproxy.Error
	require.ErrorAs(t, err, &e)
	assert.Empty(t, e.Message)
	assert.Equal(t, "xksproxy: GetHealthStatus: ValidationException (status 400)", err.Error())
	assert.ErrorIs(t, err, xksproxy.ErrValidation)
}

// TestTextsJudgedAfterTheirChanges: an unknown errorName that completes a
// secret with the quote %q puts before it, and a health string whose byte
// printable turns into the '?' of a secret, are withheld.
func TestTextsJudgedAfterTheirChanges(t *testing.T) {
	srv := newCanned(t, 400, `{"errorName":"Xyz12ab"}`)
	c := srv.client(func(o *xksproxy.Options) { o.Credential.SecretAccessKey = `"Xyz123` })
	_, err := c.GetHealthStatus(context.Background(), &xksproxy.GetHealthStatusInput{RequestMetadata: testMD})
	var me *xksproxy.MalformedResponseError
	require.ErrorAs(t, err, &me)
	assert.Contains(t, me.Reason, "withheld")
	assert.NotContains(t, err.Error(), "Xyz12")

	health := newCanned(t, 200, `{"xksProxyFleetSize":1,"xksProxyVendor":"ab\u0001cdefgh","xksProxyModel":"m","ekmVendor":"e",`+
		`"ekmFleetDetails":[{"id":"h","model":"m","healthStatus":"ACTIVE"}]}`)
	c = health.client(func(o *xksproxy.Options) { o.Credential.SecretAccessKey = "ab?cdefgh" })
	out, err := c.GetHealthStatus(context.Background(), &xksproxy.GetHealthStatusInput{RequestMetadata: testMD})
	require.NoError(t, err)
	assert.Empty(t, out.XksProxyVendor)
	assert.Equal(t, "m", out.XksProxyModel)
}

// An unknown errorName is quoted in the MalformedResponseError only when it
// holds no secret of the request, whole or as a run longer than half of it.
func TestUnknownErrorNameEchoIsWithheld(t *testing.T) {
	for _, name := range []string{testSecret, testAKID, "Bad" + testSecret[3:27] + "Exception"} {
		body, err := json.Marshal(map[string]string{"errorName": name})
		require.NoError(t, err)
		srv := newCanned(t, 400, string(body))
		_, err = srv.client().GetHealthStatus(context.Background(), &xksproxy.GetHealthStatusInput{RequestMetadata: testMD})
		var me *xksproxy.MalformedResponseError
		require.ErrorAs(t, err, &me)
		assert.Contains(t, me.Reason, "unknown errorName")
		for i := 0; i+6 <= len(testSecret); i++ {
			require.NotContains(t, err.Error(), testSecret[i:i+6])
		}
		for i := 0; i+6 <= len(testAKID); i++ {
			require.NotContains(t, err.Error(), testAKID[i:i+6])
		}
	}
}

// Answers that break the specification are *MalformedResponseError, never a
// panic, and never quote the body.
func TestMalformedResponses(t *testing.T) {
	ctx := context.Background()
	health := func(c *xksproxy.Client) error {
		_, err := c.GetHealthStatus(ctx, &xksproxy.GetHealthStatusInput{RequestMetadata: testMD})
		return err
	}
	metadata := func(c *xksproxy.Client) error {
		_, err := c.GetKeyMetadata(ctx, &xksproxy.GetKeyMetadataInput{ExternalKeyId: "foo", RequestMetadata: testMD})
		return err
	}
	plaintext := []byte("twelve bytes")
	encrypt := func(cdiv bool) func(c *xksproxy.Client) error {
		return func(c *xksproxy.Client) error {
			in := &xksproxy.EncryptInput{ExternalKeyId: "foo", RequestMetadata: testMD, Plaintext: plaintext}
			if cdiv {
				in.CiphertextDataIntegrityValueAlgorithm = xksproxy.CiphertextDataIntegrityValueAlgorithmSha256
			}
			_, err := c.Encrypt(ctx, in)
			return err
		}
	}
	decrypt := func(c *xksproxy.Client) error {
		_, err := c.Decrypt(ctx, &xksproxy.DecryptInput{ExternalKeyId: "foo", RequestMetadata: testMD, Ciphertext: []byte("twelve bytes"),
			InitializationVector: make([]byte, 12), AuthenticationTag: make([]byte, 16)})
		return err
	}
	const goodEnc = `"ciphertext":"ghxkK1txeDNn3q8Y","initializationVector":"HMrlRw85cAJUd5Ax","authenticationTag":"vBxN2ncH1oEkR8WVXpmyYQ=="`
	const fleet = `"ekmFleetDetails":[{"id":"h","model":"m","healthStatus":"ACTIVE"}]`
	tests := []struct {
		name   string
		status int
		ctype  string
		body   string
		call   func(*xksproxy.Client) error
		reason string
	}{
		{"not JSON", 200, "application/json", "<html>hi</html>", health, "not JSON"},
		{"empty body", 200, "application/json", "", health, "empty"},
		{"trailing data", 200, "application/json", `{} {}`, metadata, "after the JSON"},
		{"text content type", 200, "text/plain", `{}`, health, "Content-Type"},
		{"204", 204, "application/json", ``, health, "without the JSON error body"},
		{"fleet size missing", 200, "application/json", `{"xksProxyVendor":"v","xksProxyModel":"m","ekmVendor":"e",` + fleet + `}`, health, "xksProxyFleetSize is missing"},
		{"fleet size zero", 200, "application/json", `{"xksProxyFleetSize":0,"xksProxyVendor":"v","xksProxyModel":"m","ekmVendor":"e",` + fleet + `}`, health, "greater than zero"},
		{"fleet size fraction", 200, "application/json", `{"xksProxyFleetSize":1.5,"xksProxyVendor":"v","xksProxyModel":"m","ekmVendor":"e",` + fleet + `}`, health, "xksProxyFleetSize"},
		{"no ekm fleet", 200, "application/json", `{"xksProxyFleetSize":1,"xksProxyVendor":"v","xksProxyModel":"m","ekmVendor":"e","ekmFleetDetails":[]}`, health, "1 to 10 entries"},
		{"ekm without status", 200, "application/json", `{"xksProxyFleetSize":1,"xksProxyVendor":"v","xksProxyModel":"m","ekmVendor":"e","ekmFleetDetails":[{"id":"h","model":"m"}]}`, health, "ekmFleetDetails[0]"},
		{"vendor wrong type", 200, "application/json", `{"xksProxyFleetSize":1,"xksProxyVendor":5,"xksProxyModel":"m","ekmVendor":"e",` + fleet + `}`, health, "xksProxyVendor is a JSON number"},
		{"no keySpec", 200, "application/json", `{"keyUsage":["ENCRYPT"],"keyStatus":"ENABLED"}`, metadata, "keySpec is missing"},
		{"eleven usages", 200, "application/json", `{"keySpec":"AES_256","keyUsage":["A","B","C","D","E","F","G","H","I","J","K"],"keyStatus":"ENABLED"}`, metadata, "at most 10"},
		{"no keyStatus", 200, "application/json", `{"keySpec":"AES_256","keyUsage":[]}`, metadata, "keyStatus is missing"},
		{"no ciphertext", 200, "application/json", `{"initializationVector":"HMrlRw85cAJUd5Ax","authenticationTag":"vBxN2ncH1oEkR8WVXpmyYQ=="}`, encrypt(false), "ciphertext is missing"},
		{"short ciphertext", 200, "application/json", `{"ciphertext":"AQID","initializationVector":"HMrlRw85cAJUd5Ax","authenticationTag":"vBxN2ncH1oEkR8WVXpmyYQ=="}`, encrypt(false), "ciphertext has 3 bytes"},
		{"8-byte IV", 200, "application/json", `{"ciphertext":"ghxkK1txeDNn3q8Y","initializationVector":"AAAAAAAAAAA=","authenticationTag":"vBxN2ncH1oEkR8WVXpmyYQ=="}`, encrypt(false), "initializationVector has 8 bytes"},
		{"no tag", 200, "application/json", `{"ciphertext":"ghxkK1txeDNn3q8Y","initializationVector":"HMrlRw85cAJUd5Ax"}`, encrypt(false), "authenticationTag is missing"},
		{"bad Base64", 200, "application/json", `{"ciphertext":"%%%","initializationVector":"HMrlRw85cAJUd5Ax","authenticationTag":"vBxN2ncH1oEkR8WVXpmyYQ=="}`, encrypt(false), "Base64"},
		{"21 bytes of metadata", 200, "application/json", `{` + goodEnc + `,"ciphertextMetadata":"AAAAAAAAAAAAAAAAAAAAAAAAAAAA"}`, encrypt(false), "at most 20"},
		{"CDIV missing", 200, "application/json", `{` + goodEnc + `}`, encrypt(true), "ciphertextDataIntegrityValue is missing"},
		{"CDIV wrong", 200, "application/json", `{` + goodEnc + `,"ciphertextDataIntegrityValue":"qHA/ImC9h5HsLRXqCyPmWgYx7tzyoTplzILbP0fPXsc="}`, encrypt(true), "does not match"},
		{"no plaintext", 200, "application/json", `{}`, decrypt, "plaintext is missing"},
		{"short plaintext", 200, "application/json", `{"plaintext":"AQ=="}`, decrypt, "plaintext has 1 bytes"},
		{"error without body", 500, "text/plain", `oops`, health, "without the JSON error body"},
		{"HTML 404", 404, "text/html", `<html>not found</html>`, health, "without the JSON error body"},
		{"error without name", 400, "application/json", `{"errorMessage":"x"}`, health, "without errorName"},
		{"unknown error name", 400, "application/json", `{"errorName":"TeapotException"}`, health, `unknown errorName "TeapotException"`},
		{"redirect", 302, "text/plain", ``, health, "redirect"},
		{"body over 1 MiB", 200, "application/json", `{"plaintext":"` + strings.Repeat("A", 1<<20) + `"}`, decrypt, "larger than 1 MiB"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newCannedFunc(t, func(w http.ResponseWriter, _ *http.Request) {
				w.Header().Set("Content-Type", tt.ctype)
				if tt.status == 302 {
					w.Header().Set("Location", "/elsewhere")
				}
				w.WriteHeader(tt.status)
				_, _ = w.Write([]byte(tt.body))
			})
			err := tt.call(srv.client())
			var me *xksproxy.MalformedResponseError
			require.ErrorAs(t, err, &me)
			assert.ErrorIs(t, err, xksproxy.ErrMalformedResponse)
			assert.Equal(t, tt.status, me.StatusCode)
			assert.Contains(t, me.Reason, tt.reason)
			var e *xksproxy.Error
			assert.False(t, errors.As(err, &e), "not an *Error")
			if len(tt.body) > 8 && tt.body != "<html>hi</html>" {
				assert.NotContains(t, err.Error(), tt.body, "the body is not quoted")
			}
			assert.Len(t, srv.requests(), 1, "sent once, no redirect followed")
		})
	}
}

// A redirect is never followed, not even by a caller's *http.Client that
// would follow it, and the body is never sent twice.
func TestRedirectsAreNotFollowed(t *testing.T) {
	target := newCanned(t, 200, `{"plaintext":"AQID"}`)
	for _, status := range []int{301, 302, 303, 307, 308} {
		t.Run(fmt.Sprint(status), func(t *testing.T) {
			srv := newCannedFunc(t, func(w http.ResponseWriter, r *http.Request) {
				http.Redirect(w, r, target.URL+r.URL.Path, status)
			})
			c := xksproxy.New(xksproxy.Options{Endpoint: srv.URL, UriPath: testPath, Region: testRegion, Credential: testCred,
				HTTPClient: &http.Client{}}) // would follow redirects on its own
			_, err := c.Decrypt(context.Background(), &xksproxy.DecryptInput{ExternalKeyId: "foo", RequestMetadata: testMD,
				Ciphertext: []byte{1, 2, 3}, InitializationVector: make([]byte, 12), AuthenticationTag: make([]byte, 16)})
			require.ErrorIs(t, err, xksproxy.ErrMalformedResponse)
			assert.Contains(t, err.Error(), "redirect")
			assert.Len(t, srv.requests(), 1)
		})
	}
	assert.Empty(t, target.requests())
}

// An HTTPClient that is not an *http.Client and follows a redirect itself
// is caught.
func TestFollowedRedirectIsDetected(t *testing.T) {
	target := newCanned(t, 200, `{"xksProxyFleetSize":1}`)
	srv := newCannedFunc(t, func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, target.URL+r.URL.Path, http.StatusTemporaryRedirect)
	})
	hadGetBody := true
	c := xksproxy.New(xksproxy.Options{Endpoint: srv.URL, UriPath: testPath, Region: testRegion, Credential: testCred,
		HTTPClient: followingDoer{&http.Client{}, &hadGetBody}})
	_, err := c.GetHealthStatus(context.Background(), &xksproxy.GetHealthStatusInput{RequestMetadata: testMD})
	assert.False(t, hadGetBody, "xksproxy never lets a body be sent again")
	var me *xksproxy.MalformedResponseError
	require.ErrorAs(t, err, &me)
	assert.Contains(t, me.Reason, "followed a redirect")
}

// followingDoer hides an *http.Client behind the HTTPClient interface, and
// gives requests the GetBody that xksproxy leaves out, so that its client
// follows redirects.
type followingDoer struct {
	c          *http.Client
	hadGetBody *bool
}

func (d followingDoer) Do(r *http.Request) (*http.Response, error) {
	*d.hadGetBody = r.GetBody != nil
	b, err := io.ReadAll(r.Body)
	if err != nil {
		return nil, err
	}
	r.Body = io.NopCloser(bytes.NewReader(b))
	r.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(b)), nil }
	return d.c.Do(r)
}
