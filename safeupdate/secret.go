package safeupdate

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"

	"github.com/kmskit/kms"
	"github.com/kmskit/kms/internal/awsjson"
)

// redactedText replaces a secret wherever one would be printed.
const redactedText = awsjson.Redacted

// secret holds a secret string in a function, so that no printing of a
// value holding one shows it: fmt reaches an unexported field only by
// reflection, without its methods, and prints a function as an address
// whatever the verb; encoding/json, xml and gob skip unexported fields.
type secret struct{ get func() string }

// newSecret holds v.
func newSecret(v string) secret { return secret{func() string { return v }} }

// value returns the secret, "" for the zero secret.
func (s secret) value() string {
	if s.get == nil {
		return ""
	}
	return s.get()
}

// String is [REDACTED].
func (s secret) String() string { return redactedText }

// planSecrets are the secrets of an update and its options, the new ones
// and the previous ones, as Apply hands them to each call.
type planSecrets struct {
	// call hands a call every one of them (kms.WithSecrets).
	call func(*kms.Options)
	// describe hands a DescribeCustomKeyStores all but the access key IDs,
	// which its answer shows as the stores' own (the planner compares
	// them).
	describe func(*kms.Options)
	// scrub removes every one from what Apply reports of Describe.
	scrub func(string) string
	// scrubErr removes every one from an error: a Describe's (whose
	// client was not handed the access key IDs), a waiter's, or a call's
	// through an API that is not a *kms.Client.
	scrubErr func(error) error
}

// secretsOf returns the secrets of in and opts, and current (the store's
// AccessKeyId).
func secretsOf(in *kms.UpdateCustomKeyStoreInput, opts PlanOptions, current secret) planSecrets {
	var keys, ids []string
	add := func(to *[]string, p *string) {
		if p != nil && *p != "" {
			*to = append(*to, *p)
		}
	}
	addCred := func(c *kms.XksProxyAuthenticationCredentialType) {
		if c != nil {
			add(&ids, c.AccessKeyId)
			add(&keys, c.RawSecretAccessKey)
		}
	}
	if in != nil {
		add(&keys, in.KeyStorePassword)
		addCred(in.XksProxyAuthenticationCredential)
	}
	add(&keys, opts.PreviousKeyStorePassword)
	addCred(opts.Preflight.Credential)
	if v := current.value(); v != "" {
		ids = append(ids, v)
	}
	all := append(append([]string(nil), keys...), ids...)
	sc := awsjson.NewScrubber(all...)
	return planSecrets{
		call:     kms.WithSecrets(all...),
		describe: kms.WithSecrets(keys...),
		scrub:    sc.Scrub, // a function: printing a holder reaches no value
		scrubErr: func(err error) error { return scrubError(sc, err) },
	}
}

// scrubError is err without the secrets of sc: err itself when it shows
// none. A KMS error that echoed one keeps its type: errors.As still finds
// a *kms.APIError (a scrubbed copy, with its Code), so errors.Is matches
// the kms Err value and the error is classed and retried as before.
func scrubError(sc *awsjson.Scrubber, err error) error {
	clean := sc.ScrubError(err)
	if clean == err {
		return err
	}
	var ae *kms.APIError
	if !errors.As(err, &ae) || ae == nil {
		return clean
	}
	c := *ae
	c.Code, c.Message, c.RequestID = sc.Scrub(c.Code), sc.Scrub(c.Message), sc.Scrub(c.RequestID)
	return &scrubbedAPIError{api: &c, err: clean}
}

// scrubbedAPIError is an error that held a KMS error echoing a secret:
// its text is err's (scrubbed); it unwraps to the scrubbed *kms.APIError
// and to what err keeps (a context error, say).
type scrubbedAPIError struct {
	api *kms.APIError
	err error
}

func (e *scrubbedAPIError) Error() string   { return e.err.Error() }
func (e *scrubbedAPIError) Unwrap() []error { return []error{e.api, e.err} }

// errEncodeSecret is the error of an encoder asked to write a secret it
// would lose.
func errEncodeSecret(what string) error {
	return errors.New("kms: refusing to encode a secret: " + what + " (it would be written as " + redactedText + " and lost)")
}

// Format prints o with PreviousKeyStorePassword and the preflight's
// credential as [REDACTED], whatever the verb.
func (o PlanOptions) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, o.String()) }

// String is o with its secrets as [REDACTED].
func (o PlanOptions) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "{AllowDisconnect:%t Preflight:%s PreviousKeyStorePassword:", o.AllowDisconnect, o.Preflight.String())
	b.WriteString(redactedOrNil(o.PreviousKeyStorePassword != nil))
	b.WriteByte('}')
	return b.String()
}

// GoString is String.
func (o PlanOptions) GoString() string { return "safeupdate.PlanOptions" + o.String() }

// LogValue is String.
func (o PlanOptions) LogValue() slog.Value { return slog.StringValue(o.String()) }

// MarshalJSON writes o with its secrets as "[REDACTED]": for logging only
// (the password is lost).
func (o PlanOptions) MarshalJSON() ([]byte, error) {
	var pw *string
	if o.PreviousKeyStorePassword != nil {
		pw = new(string)
		*pw = redactedText
	}
	return json.Marshal(struct {
		AllowDisconnect          bool
		Preflight                PreflightOptions
		PreviousKeyStorePassword *string `json:",omitempty"`
	}{o.AllowDisconnect, o.Preflight, pw})
}

// MarshalText refuses: the previous password would be lost.
func (o PlanOptions) MarshalText() ([]byte, error) {
	return nil, errEncodeSecret("safeupdate.PlanOptions")
}

// GobEncode refuses: the previous password would be lost.
func (o PlanOptions) GobEncode() ([]byte, error) { return o.MarshalText() }

// Format prints o with the credential as [REDACTED], whatever the verb.
func (o PreflightOptions) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, o.String()) }

// String is o with its credential as [REDACTED].
func (o PreflightOptions) String() string {
	return fmt.Sprintf("{Credential:%s HTTPClient:%t ExternalKeyIDs:%q Timeout:%s}",
		redactedOrNil(o.Credential != nil), o.HTTPClient != nil, o.ExternalKeyIDs, o.Timeout)
}

// GoString is String.
func (o PreflightOptions) GoString() string { return "safeupdate.PreflightOptions" + o.String() }

// LogValue is String.
func (o PreflightOptions) LogValue() slog.Value { return slog.StringValue(o.String()) }

// MarshalJSON writes o with the credential as "[REDACTED]": for logging
// only.
func (o PreflightOptions) MarshalJSON() ([]byte, error) {
	var cred *string
	if o.Credential != nil {
		cred = new(string)
		*cred = redactedText
	}
	return json.Marshal(struct {
		Credential     *string `json:",omitempty"`
		ExternalKeyIDs []string
		Timeout        string
	}{cred, o.ExternalKeyIDs, o.Timeout.String()})
}

// MarshalText refuses: the credential would be lost.
func (o PreflightOptions) MarshalText() ([]byte, error) {
	return nil, errEncodeSecret("safeupdate.PreflightOptions")
}

// GobEncode refuses: the credential would be lost.
func (o PreflightOptions) GobEncode() ([]byte, error) { return o.MarshalText() }

// redactedOrNil is [REDACTED] for a secret that is set, <nil> otherwise.
func redactedOrNil(set bool) string {
	if set {
		return redactedText
	}
	return "<nil>"
}
