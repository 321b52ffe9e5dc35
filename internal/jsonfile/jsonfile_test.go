package jsonfile

import (
	"bytes"
	"encoding/json"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestDecodeError: each encoding/json error becomes a line-and-column text
// that names the member, never a value of the file.
func TestDecodeError(t *testing.T) {
	const secret = "S3cretValueNotToQuote"
	type cred struct{ AccessKeyId, SecretAccessKey string }
	type file struct {
		Name        string
		Credentials []cred
		Material    []byte
		Flag        bool
	}
	tests := []struct {
		name, body, want string
	}{
		{"empty", "", "empty"},
		{"blank", " \n ", "empty"},
		{"not JSON", secret, "line 1 column 1: not valid JSON"},
		{"bad on line 3", "{\n\"Name\": \"a\",\n  " + secret + "\n}", "line 3 column 3: not valid JSON"},
		{"column counts characters", "{\"Name\": \"é€\" " + secret + "}", "line 1 column 15: not valid JSON"},
		{"cut short", `{"Name": "` + secret, "the JSON ends early"},
		{"a list, not an object", `["` + secret + `"]`, "line 1 column 1: the file is a JSON array, not a JSON object"},
		{"member type", "{\n\"Name\": 7}", "line 2 column 9: Name is a JSON number, not a JSON string"},
		{"nested member", "{\"Credentials\": [{\"AccessKeyId\": \"A\",\n \"SecretAccessKey\": [\"" + secret + "\"]}]}", "line 2 column 21: Credentials.SecretAccessKey is a JSON array, not a JSON string"},
		{"list member", `{"Credentials": {"AccessKeyId": "A"}}`, "line 1 column 17: Credentials is a JSON object, not a JSON array"},
		{"bool", `{"Flag": "` + secret + `"}`, "line 1 column 32: Flag is a JSON string, not a JSON boolean"},
		{"bad Base64", `{"Material": "!!` + secret + `"}`, "a member is not valid Base64 (illegal base64 data at input byte 0)"},
		{"unknown member", `{"Nmae": "` + secret + `"}`, `unknown field "Nmae"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var f file
			dec := json.NewDecoder(bytes.NewReader([]byte(tt.body)))
			dec.DisallowUnknownFields()
			err := DecodeError([]byte(tt.body), dec.Decode(&f))
			require.Error(t, err)
			assert.Equal(t, tt.want, err.Error())
			assert.NotContains(t, err.Error(), secret)
			assert.NotContains(t, err.Error(), "S3cret")
		})
	}

	assert.NoError(t, DecodeError(nil, nil))
	assert.EqualError(t, DecodeError([]byte("x"), errors.New("quoting "+secret)), "a member's value is not valid")
}
