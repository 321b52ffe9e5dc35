package kms

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strconv"
)

// Secrets are secret values a call scrubs from what it returns (see
// Options.Secrets); make them with NewSecrets. Every way of printing or
// encoding them shows none: fmt (also as a field of a struct that is not
// printed by its own methods: the values are held by a function, which fmt
// prints as an address whatever the verb), slog, encoding/json;
// encoding/xml and gob refuse.
type Secrets struct{ get func() []string }

// NewSecrets returns Secrets holding a copy of values; empty values are
// left out.
func NewSecrets(values ...string) Secrets {
	var out []string
	for _, v := range values {
		if v != "" {
			out = append(out, v)
		}
	}
	if len(out) == 0 {
		return Secrets{}
	}
	return Secrets{func() []string { return out }}
}

// values returns the secrets, nil when there are none.
func (s Secrets) values() []string {
	if s.get == nil {
		return nil
	}
	return s.get()
}

// Format prints [REDACTED] for every verb.
func (s Secrets) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, s.String()) }

// String is "[REDACTED]", or "[]" when there is no secret.
func (s Secrets) String() string {
	if len(s.values()) == 0 {
		return "[]"
	}
	return redactedText
}

// GoString is String.
func (s Secrets) GoString() string { return s.String() }

// LogValue is String.
func (s Secrets) LogValue() slog.Value { return slog.StringValue(s.String()) }

// MarshalJSON writes String as a JSON string: for logging only.
func (s Secrets) MarshalJSON() ([]byte, error) { return []byte(strconv.Quote(s.String())), nil }

// MarshalText refuses: the secrets would be lost.
func (s Secrets) MarshalText() ([]byte, error) {
	return nil, errors.New("kms: refusing to encode a secret: Options.Secrets")
}

// GobEncode refuses: the secrets would be lost.
func (s Secrets) GobEncode() ([]byte, error) { return s.MarshalText() }
