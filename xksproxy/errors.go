package xksproxy

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"strconv"
	"strings"

	"github.com/aws/smithy-go"

	"github.com/kmskit/kms/internal/awsjson"
	"github.com/kmskit/kms/internal/kmsmodel"
	"github.com/kmskit/kms/internal/xksmodel"
)

// Error is an error answer from the proxy: an HTTP status with the
// specification's JSON body. Test it with errors.Is against the Err values,
// or errors.As to read it.
type Error struct {
	// Name is the errorName, e.g. "KeyNotFoundException"; always one of the
	// specification's twelve (an unknown name is a MalformedResponseError).
	Name string
	// Message is the proxy's errorMessage, reduced to printable ASCII and at
	// most 511 characters; empty when the proxy sent none, or when it echoed
	// a credential or plaintext of the request.
	Message string
	// StatusCode is the HTTP status of the answer.
	StatusCode int
	// Operation is the call that failed, e.g. "Encrypt".
	Operation string
}

// Error returns "xksproxy: <Operation>: <Name>: <Message> (status <n>)".
func (e *Error) Error() string {
	if e == nil {
		return "xksproxy: <nil *Error>"
	}
	var b strings.Builder
	b.WriteString("xksproxy: ")
	if e.Operation != "" {
		b.WriteString(e.Operation)
		b.WriteString(": ")
	}
	b.WriteString(e.Name)
	if e.Message != "" {
		b.WriteString(": ")
		b.WriteString(e.Message)
	}
	b.WriteString(" (status ")
	b.WriteString(strconv.Itoa(e.StatusCode))
	b.WriteByte(')')
	return b.String()
}

// ErrorCode returns Name, so that *Error satisfies smithy.APIError.
func (e *Error) ErrorCode() string {
	if e == nil {
		return ""
	}
	return e.Name
}

// ErrorMessage returns Message.
func (e *Error) ErrorMessage() string {
	if e == nil {
		return ""
	}
	return e.Message
}

// ErrorFault is smithy.FaultServer for a 5xx status and smithy.FaultClient
// otherwise.
func (e *Error) ErrorFault() smithy.ErrorFault {
	if e != nil && e.StatusCode >= 500 {
		return smithy.FaultServer
	}
	return smithy.FaultClient
}

// HTTPStatusCode returns StatusCode.
func (e *Error) HTTPStatusCode() int {
	if e == nil {
		return 0
	}
	return e.StatusCode
}

// Is reports whether target is the Err value of e's Name.
func (e *Error) Is(target error) bool {
	n, ok := target.(*nameError)
	return ok && e != nil && n != nil && n.name == e.Name
}

// nameError is the type of the Err values: one error name of the
// specification.
type nameError struct{ name string }

func (n *nameError) Error() string { return "xksproxy: " + n.name }

// The specification's error names. Each matches, with errors.Is, exactly the
// *Error that carries its name.
var (
	// ErrValidation (400 ValidationException): an input parameter is invalid.
	ErrValidation error = &nameError{xksmodel.ValidationException}
	// ErrInvalidState (400 InvalidStateException): the external key or key
	// store is disabled, deactivated or blocked.
	ErrInvalidState error = &nameError{xksmodel.InvalidStateException}
	// ErrInvalidCiphertext (400 InvalidCiphertextException, Decrypt): the
	// ciphertext, IV, AAD or tag is corrupted, missing or otherwise invalid.
	ErrInvalidCiphertext error = &nameError{xksmodel.InvalidCiphertextException}
	// ErrInvalidKeyUsage (400 InvalidKeyUsageException, Encrypt and Decrypt):
	// the key does not support the operation.
	ErrInvalidKeyUsage error = &nameError{xksmodel.InvalidKeyUsageException}
	// ErrAuthenticationFailed (401 AuthenticationFailedException): the proxy
	// rejected the SigV4 signature (wrong credential, time or Region).
	ErrAuthenticationFailed error = &nameError{xksmodel.AuthenticationFailedException}
	// ErrAccessDenied (403 AccessDeniedException): the proxy's own
	// authorization denied the call, based on the request metadata.
	ErrAccessDenied error = &nameError{xksmodel.AccessDeniedException}
	// ErrKeyNotFound (404 KeyNotFoundException): no external key has that ID.
	ErrKeyNotFound error = &nameError{xksmodel.KeyNotFoundException}
	// ErrInvalidUriPath (404 InvalidUriPathException): the proxy does not
	// serve that UriPath.
	ErrInvalidUriPath error = &nameError{xksmodel.InvalidUriPathException}
	// ErrThrottling (429 ThrottlingException): the request rate is too high.
	ErrThrottling error = &nameError{xksmodel.ThrottlingException}
	// ErrUnsupportedOperation (501 UnsupportedOperationException): the
	// operation, or a parameter of that size, is not supported.
	ErrUnsupportedOperation error = &nameError{xksmodel.UnsupportedOperationException}
	// ErrDependencyTimeout (503 DependencyTimeoutException): the proxy timed
	// out reaching its key manager.
	ErrDependencyTimeout error = &nameError{xksmodel.DependencyTimeoutException}
	// ErrInternal (500 InternalException): a generic proxy or key manager
	// failure.
	ErrInternal error = &nameError{xksmodel.InternalException}
)

// ErrMalformedResponse matches every *MalformedResponseError.
var ErrMalformedResponse = errors.New("xksproxy: malformed response")

// MalformedResponseError is an answer that does not follow the
// specification: not JSON, a missing or ill-sized member, an unknown error
// name, a redirect, a body over 1 MiB, or an Encrypt answer whose
// ciphertext data integrity value does not match. KMS reports all of these
// as "cannot interpret the response". It never quotes the body.
type MalformedResponseError struct {
	// Operation is the call, e.g. "GetHealthStatus".
	Operation string
	// StatusCode is the HTTP status of the answer.
	StatusCode int
	// Reason says what is wrong, naming members but not their values.
	Reason string
}

// Error returns "xksproxy: <Operation>: malformed response (status <n>): <Reason>".
func (e *MalformedResponseError) Error() string {
	if e == nil {
		return "xksproxy: <nil *MalformedResponseError>"
	}
	return "xksproxy: " + e.Operation + ": malformed response (status " + strconv.Itoa(e.StatusCode) + "): " + e.Reason
}

// Is reports whether target is ErrMalformedResponse.
func (e *MalformedResponseError) Is(target error) bool { return target == ErrMalformedResponse }

// malformed returns a *MalformedResponseError.
func malformed(op string, status int, reason string) error {
	return &MalformedResponseError{Operation: op, StatusCode: status, Reason: reason}
}

// InputError is a bad option or input: nothing was sent.
type InputError struct {
	// Field names the option or member, e.g. "UriPath" or "ExternalKeyId".
	Field string
	// Rule is the rule it breaks.
	Rule string
}

// Error returns "xksproxy: <Field> <Rule>".
func (e *InputError) Error() string {
	if e == nil {
		return "xksproxy: <nil *InputError>"
	}
	return "xksproxy: " + e.Field + " " + e.Rule
}

// inputError returns an *InputError.
func inputError(field, rule string) error { return &InputError{Field: field, Rule: rule} }

// payloadHash is the hex SHA-256 of a payload, for SigV4.
func payloadHash(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// printable returns s with every byte outside printable ASCII replaced by
// '?' (so no control character, bidi override or invalid UTF-8 is left),
// cut to max bytes.
func printable(s string, max int) string {
	if len(s) > max {
		s = s[:max]
	}
	b := []byte(s)
	for i, c := range b {
		if c < 0x20 || c > 0x7e {
			b[i] = '?'
		}
	}
	return string(b)
}

// scrubber returns the scrubber of a call: the credential, and the given
// values raw and in Base64, keeping the specification's error names (and
// KMS's known words) whole.
func (cl *Client) scrubber(values [][]byte) *awsjson.Scrubber {
	cred := cl.credential()
	secrets := []string{cred.SecretAccessKey, cred.AccessKeyID}
	for _, v := range values {
		if len(v) == 0 {
			continue
		}
		secrets = append(secrets, string(v), base64.StdEncoding.EncodeToString(v), base64.RawStdEncoding.EncodeToString(v))
	}
	return awsjson.NewScrubberKeeping(knownWord, secrets...)
}

// knownWord reports an error name of the specification or a word KMS's
// model knows: a scrubber never alters one.
func knownWord(w string) bool {
	_, ok := xksmodel.StatusFor(w)
	return ok || kmsmodel.IsKnownWord(w)
}

// maxAnswerText bounds each string of a successful answer (a health
// report's vendor, model and IDs, a key's spec, usages and status).
const maxAnswerText = 256

// proxyText is the one treatment of every string a proxy's answer carries,
// on the success and the error path alike: "" when it holds a secret of the
// call (see awsjson.Scrubber: the credential, the plaintext), else the text
// as printable ASCII of at most max bytes, without what a cut left of a
// secret. What printable made is judged again: a '?' in place of a byte
// can complete a secret that holds one.
func proxyText(text string, max int, sc *awsjson.Scrubber) string {
	if sc.Scrub(text) != text {
		return ""
	}
	if len(text) > max {
		text = sc.TrimCut(text[:max])
	}
	out := printable(text, max)
	if sc.Scrub(out) != out {
		return ""
	}
	return out
}
