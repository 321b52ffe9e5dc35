package xksproxy

import (
	"context"
	"fmt"
	"time"

	"github.com/kmskit/kms/internal/xksmodel"
)

// DecryptInput is the input of Decrypt: the members of an EncryptOutput and
// the same AdditionalAuthenticatedData.
type DecryptInput struct {
	// ExternalKeyId identifies the key in the external key manager. Required.
	ExternalKeyId string
	// RequestMetadata: AwsPrincipalArn, KmsKeyArn and KmsOperation are
	// required.
	RequestMetadata RequestMetadata
	// Ciphertext to decrypt. Required.
	Ciphertext []byte
	// CiphertextMetadata is what Encrypt returned (at most 20 bytes), if any.
	CiphertextMetadata []byte
	// AdditionalAuthenticatedData must be the bytes given to Encrypt.
	AdditionalAuthenticatedData []byte
	// InitializationVector is what Encrypt returned: 12 or 16 bytes. Required.
	InitializationVector []byte
	// AuthenticationTag is what Encrypt returned: 16 bytes. Required.
	AuthenticationTag []byte
	// EncryptionAlgorithm is AES_GCM; empty means AES_GCM.
	EncryptionAlgorithm EncryptionAlgorithm
}

// DecryptOutput holds the plaintext. It prints (fmt, slog, JSON) with
// Plaintext as "[REDACTED]", and gob and xml refuse to encode it (an error)
// while Plaintext is set; a caller who must persist it stores the field's
// value itself.
//
// Its methods redact, but fmt calls no method of a value in an unexported
// field of your own struct and prints it raw (under %s and %q even through
// a pointer): keep it in an exported field, or out of printed structs.
type DecryptOutput struct {
	// Plaintext is the decrypted data; never logged or shown in an error.
	Plaintext []byte
	// Latency is the time from sending the request to having read the whole
	// answer.
	Latency time.Duration
}

// Decrypt decrypts what Encrypt returned. A ciphertext, IV, tag or AAD that
// does not match is ErrInvalidCiphertext; a key without DECRYPT is
// ErrInvalidKeyUsage.
func (c *Client) Decrypt(ctx context.Context, in *DecryptInput, optFns ...func(*Options)) (*DecryptOutput, error) {
	cl, err := c.forCall(ctx, optFns)
	if err != nil {
		return nil, err
	}
	if in == nil {
		in = &DecryptInput{}
	}
	if err := checkKeyID(in.ExternalKeyId); err != nil {
		return nil, err
	}
	md, err := in.RequestMetadata.wire(xksmodel.OpDecrypt)
	if err != nil {
		return nil, err
	}
	switch {
	case len(in.Ciphertext) == 0:
		return nil, inputError("Ciphertext", "is required")
	case !xksmodel.ValidInitializationVectorLen(len(in.InitializationVector)):
		return nil, inputError("InitializationVector", fmt.Sprintf("must have 12 or 16 bytes (it has %d)", len(in.InitializationVector)))
	case len(in.AuthenticationTag) != xksmodel.AuthenticationTagLen:
		return nil, inputError("AuthenticationTag", fmt.Sprintf("must have 16 bytes (it has %d)", len(in.AuthenticationTag)))
	case len(in.CiphertextMetadata) > xksmodel.MaxCiphertextMetadataLen:
		return nil, inputError("CiphertextMetadata", fmt.Sprintf("must have at most 20 bytes (it has %d)", len(in.CiphertextMetadata)))
	}
	alg, err := algorithm(in.EncryptionAlgorithm)
	if err != nil {
		return nil, err
	}
	op := xksmodel.OpDecrypt
	res, err := cl.do(ctx, call{
		op:   op,
		path: xksmodel.KeyURI(cl.options.UriPath, in.ExternalKeyId, xksmodel.SegmentDecrypt),
		body: &xksmodel.Request{
			RequestMetadata:             md,
			Ciphertext:                  in.Ciphertext,
			CiphertextMetadata:          in.CiphertextMetadata,
			AdditionalAuthenticatedData: in.AdditionalAuthenticatedData,
			InitializationVector:        in.InitializationVector,
			AuthenticationTag:           in.AuthenticationTag,
			EncryptionAlgorithm:         alg,
		},
	})
	if err != nil {
		return nil, err
	}
	return decodeDecrypt(res, len(in.Ciphertext))
}

// decodeDecrypt checks and converts a successful Decrypt answer.
func decodeDecrypt(res result, ciphertextLen int) (*DecryptOutput, error) {
	op := xksmodel.OpDecrypt
	var w xksmodel.DecryptResponse
	if err := decodeStrict(res.body, &w); err != nil {
		return nil, malformed(op, 200, err.Error())
	}
	switch {
	case w.Plaintext == nil:
		return nil, malformed(op, 200, "plaintext is missing")
	case len(w.Plaintext) != ciphertextLen:
		return nil, malformed(op, 200, fmt.Sprintf("plaintext has %d bytes; the ciphertext has %d", len(w.Plaintext), ciphertextLen))
	}
	return &DecryptOutput{Plaintext: w.Plaintext, Latency: res.latency}, nil
}
