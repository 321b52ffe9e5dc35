package xksproxy

import (
	"bytes"
	"context"
	"fmt"
	"time"

	"github.com/kmskit/kms/internal/xksmodel"
)

// EncryptInput is the input of Encrypt. It prints (fmt, slog, JSON) with
// Plaintext as "[REDACTED]", and gob and xml refuse to encode it (an error)
// while Plaintext is set; a caller who must persist a plaintext stores the
// field's value itself.
//
// Its methods redact, but fmt calls no method of a value in an unexported
// field of your own struct and prints it raw (under %s and %q even through
// a pointer): keep it in an exported field, or out of printed structs.
type EncryptInput struct {
	// ExternalKeyId identifies the key in the external key manager. Required.
	ExternalKeyId string
	// RequestMetadata: AwsPrincipalArn, KmsKeyArn and KmsOperation are
	// required.
	RequestMetadata RequestMetadata
	// Plaintext is the data to encrypt; required, at least 1 byte (every
	// proxy accepts up to 4300). Never logged or shown in an error.
	Plaintext []byte
	// AdditionalAuthenticatedData is bound to the ciphertext: Decrypt needs
	// the same bytes. Optional; proxies accept up to 8192 bytes.
	AdditionalAuthenticatedData []byte
	// EncryptionAlgorithm is AES_GCM; empty means AES_GCM.
	EncryptionAlgorithm EncryptionAlgorithm
	// CiphertextDataIntegrityValueAlgorithm, when SHA_256, asks the proxy for
	// a ciphertext data integrity value (Appendix C), which Encrypt then
	// checks. Empty asks for none.
	CiphertextDataIntegrityValueAlgorithm CiphertextDataIntegrityValueAlgorithm
}

// EncryptOutput is what Decrypt needs to recover the plaintext.
type EncryptOutput struct {
	// Ciphertext has the plaintext's length.
	Ciphertext []byte
	// CiphertextMetadata is the proxy's own data (at most 20 bytes), to pass
	// back to Decrypt; nil when the proxy sent none.
	CiphertextMetadata []byte
	// InitializationVector is 12 or 16 bytes.
	InitializationVector []byte
	// AuthenticationTag is 16 bytes.
	AuthenticationTag []byte
	// CiphertextDataIntegrityValue is the SHA-256 the proxy returned when it
	// was asked for one; Encrypt has checked that it matches.
	CiphertextDataIntegrityValue []byte
	// Latency is the time from sending the request to having read the whole
	// answer.
	Latency time.Duration
}

// Encrypt encrypts Plaintext with the external key (AES-256-GCM). A key
// without ENCRYPT (or, with a data integrity value requested, without
// DECRYPT) is ErrInvalidKeyUsage; a disabled one ErrInvalidState. An answer
// whose sizes or data integrity value are wrong is a *MalformedResponseError.
func (c *Client) Encrypt(ctx context.Context, in *EncryptInput, optFns ...func(*Options)) (*EncryptOutput, error) {
	cl, err := c.forCall(ctx, optFns)
	if err != nil {
		return nil, err
	}
	if in == nil {
		in = &EncryptInput{}
	}
	if err := checkKeyID(in.ExternalKeyId); err != nil {
		return nil, err
	}
	md, err := in.RequestMetadata.wire(xksmodel.OpEncrypt)
	if err != nil {
		return nil, err
	}
	if len(in.Plaintext) == 0 {
		return nil, inputError("Plaintext", "is required (at least 1 byte)")
	}
	alg, err := algorithm(in.EncryptionAlgorithm)
	if err != nil {
		return nil, err
	}
	cdivAlg := string(in.CiphertextDataIntegrityValueAlgorithm)
	if cdivAlg != "" && cdivAlg != xksmodel.CDIVAlgorithmSHA256 {
		return nil, inputError("CiphertextDataIntegrityValueAlgorithm", "must be SHA_256 or empty (got "+fmt.Sprintf("%q", printable(cdivAlg, 32))+")")
	}
	op := xksmodel.OpEncrypt
	res, err := cl.do(ctx, call{
		op:   op,
		path: xksmodel.KeyURI(cl.options.UriPath, in.ExternalKeyId, xksmodel.SegmentEncrypt),
		body: &xksmodel.Request{
			RequestMetadata:                       md,
			Plaintext:                             in.Plaintext,
			AdditionalAuthenticatedData:           in.AdditionalAuthenticatedData,
			EncryptionAlgorithm:                   alg,
			CiphertextDataIntegrityValueAlgorithm: cdivAlg,
		},
		secrets: [][]byte{in.Plaintext},
	})
	if err != nil {
		return nil, err
	}
	return decodeEncrypt(res, len(in.Plaintext), in.AdditionalAuthenticatedData, cdivAlg != "")
}

// decodeEncrypt checks and converts a successful Encrypt answer.
func decodeEncrypt(res result, plaintextLen int, aad []byte, wantCDIV bool) (*EncryptOutput, error) {
	op := xksmodel.OpEncrypt
	var w xksmodel.EncryptResponse
	if err := decodeStrict(res.body, &w); err != nil {
		return nil, malformed(op, 200, err.Error())
	}
	switch {
	case w.Ciphertext == nil:
		return nil, malformed(op, 200, "ciphertext is missing")
	case len(w.Ciphertext) != plaintextLen:
		return nil, malformed(op, 200, fmt.Sprintf("ciphertext has %d bytes; the plaintext has %d", len(w.Ciphertext), plaintextLen))
	case w.InitializationVector == nil:
		return nil, malformed(op, 200, "initializationVector is missing")
	case !xksmodel.ValidInitializationVectorLen(len(w.InitializationVector)):
		return nil, malformed(op, 200, fmt.Sprintf("initializationVector has %d bytes; it must have 12 or 16", len(w.InitializationVector)))
	case w.AuthenticationTag == nil:
		return nil, malformed(op, 200, "authenticationTag is missing")
	case len(w.AuthenticationTag) != xksmodel.AuthenticationTagLen:
		return nil, malformed(op, 200, fmt.Sprintf("authenticationTag has %d bytes; it must have 16", len(w.AuthenticationTag)))
	case len(w.CiphertextMetadata) > xksmodel.MaxCiphertextMetadataLen:
		return nil, malformed(op, 200, fmt.Sprintf("ciphertextMetadata has %d bytes; at most 20 are allowed", len(w.CiphertextMetadata)))
	}
	if wantCDIV {
		if w.CiphertextDataIntegrityValue == nil {
			return nil, malformed(op, 200, "ciphertextDataIntegrityValue is missing, though it was requested")
		}
		want := xksmodel.CiphertextDataIntegrityValue(aad, w.CiphertextMetadata, w.InitializationVector, w.Ciphertext, w.AuthenticationTag)
		if !bytes.Equal(want, w.CiphertextDataIntegrityValue) {
			return nil, malformed(op, 200, "ciphertextDataIntegrityValue does not match the SHA-256 of the AAD, ciphertextMetadata, IV, ciphertext and tag")
		}
	}
	return &EncryptOutput{
		Ciphertext:                   w.Ciphertext,
		CiphertextMetadata:           w.CiphertextMetadata,
		InitializationVector:         w.InitializationVector,
		AuthenticationTag:            w.AuthenticationTag,
		CiphertextDataIntegrityValue: w.CiphertextDataIntegrityValue,
		Latency:                      res.latency,
	}, nil
}

// algorithm returns the encryptionAlgorithm to send.
func algorithm(a EncryptionAlgorithm) (string, error) {
	switch a {
	case "", EncryptionAlgorithmAesGcm:
		return xksmodel.EncryptionAlgorithmAESGCM, nil
	}
	return "", inputError("EncryptionAlgorithm", fmt.Sprintf("must be AES_GCM or empty (got %q)", printable(string(a), 32)))
}
