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
func (e *Error) ErrorCode() string { return e.Name }

// ErrorMessage returns Message.
func (e *Error) ErrorMessage() string { return e.Message }

// ErrorFault is smithy.FaultServer for a 5xx status and smithy.FaultClient
// otherwise.
func (e *Error) ErrorFault() smithy.ErrorFault {
	if e.StatusCode >= 500 {
		return smithy.FaultServer
	}
	return smithy.FaultClient
}

// HTTPStatusCode returns StatusCode.
func (e *Error) HTTPStatusCode() int { return e.StatusCode }

// Is reports whether target is the Err value of e's Name.
func (e *Error) Is(target error) bool {
	n, ok := target.(*nameError)
	return ok && n.name == e.Name
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
func (e *InputError) Error() string { return "xksproxy: " + e.Field + " " + e.Rule }

// inputError returns an *InputError.
func inputError(field, rule string) error { return &InputError{Field: field, Rule: rule} }

// payloadHash is the hex SHA-256 of a payload, for SigV4.
func payloadHash(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// printable returns s with every byte outside printable ASCII replaced by
// '?', cut to max bytes.
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

// secretsOf lists the values that no text may show: the credential, and the
// given values raw and in Base64.
func (cl *Client) secretsOf(values [][]byte) []string {
	out := []string{cl.options.Credential.SecretAccessKey, cl.options.Credential.AccessKeyID}
	for _, v := range values {
		if len(v) == 0 {
			continue
		}
		out = append(out, string(v), base64.StdEncoding.EncodeToString(v), base64.RawStdEncoding.EncodeToString(v))
	}
	return out
}

// leaks reports whether text holds one of secrets, whole or in part: any
// secret as sent or with its white space altered, or any piece of one of
// six or more bytes (see awsjson.Scrubber), so an altered or cut echo
// counts too.
func leaks(text string, secrets []string) bool {
	for _, s := range secrets {
		if s != "" && strings.Contains(text, s) {
			return true
		}
	}
	return awsjson.NewScrubber(secrets...).Scrub(text) != text
}

// scrubText returns text from the proxy as printable ASCII of at most max
// bytes, or "" when it holds a secret of the request (see leaks). Where
// the cut leaves the start of a secret, that start is dropped too.
func (cl *Client) scrubText(text string, max int, values [][]byte) string {
	secrets := cl.secretsOf(values)
	if leaks(text, secrets) {
		return ""
	}
	if len(text) > max {
		text = awsjson.NewScrubber(secrets...).TrimCut(text[:max])
	}
	return printable(text, max)
}

// scrubMessage returns the proxy's message as printable ASCII of at most
// 511 characters, or "" when it holds a secret of the request.
func (cl *Client) scrubMessage(msg string, values [][]byte) string {
	return cl.scrubText(msg, xksmodel.MaxErrorMessageLen, values)
}

// scrubError returns err, or, when its text holds the credential, an error
// in its place: a plain one when the text holds a whole member, else one
// with the pieces of it scrubbed that still unwraps to err (so errors.Is
// and errors.As, which classify transport failures, keep working).
// (Transport errors never quote a body, so they cannot hold a plaintext.)
func (cl *Client) scrubError(err error) error {
	secrets := cl.secretsOf(nil)
	text := err.Error()
	for _, s := range secrets {
		if s != "" && strings.Contains(text, s) {
			return errors.New("[error text withheld: it held a secret of the request]")
		}
	}
	return awsjson.NewScrubber(secrets...).ScrubError(err)
}
