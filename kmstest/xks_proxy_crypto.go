package kmstest

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/binary"
	"errors"

	"github.com/kmskit/kms/internal/xksmodel"
)

// maxAADLen is the longest AAD whose length fits the 2-byte prefix of the
// AES-GCM AAD input.
const maxAADLen = 1<<16 - 1

// aeadFactory makes AES-256-GCM ciphers of one key for 12- and 16-byte IVs.
type aeadFactory struct{ block cipher.Block }

// newAEADFactory returns the factory for a 32-byte key.
func newAEADFactory(key []byte) (aeadFactory, error) {
	b, err := aes.NewCipher(key)
	return aeadFactory{b}, err
}

// gcm returns the cipher for an IV of ivLen bytes.
func (f aeadFactory) gcm(ivLen int) (cipher.AEAD, error) {
	if ivLen == 12 {
		return cipher.NewGCM(f.block)
	}
	return cipher.NewGCMWithNonceSize(f.block, ivLen)
}

// aadInput is the AAD given to AES-GCM, as the specification recommends:
// 2-byte big-endian length of aad || aad || 1-byte length of the
// ciphertextMetadata || ciphertextMetadata.
func aadInput(aad, ciphertextMetadata []byte) []byte {
	out := make([]byte, 0, 3+len(aad)+len(ciphertextMetadata))
	out = binary.BigEndian.AppendUint16(out, uint16(len(aad)))
	out = append(out, aad...)
	out = append(out, byte(len(ciphertextMetadata)))
	return append(out, ciphertextMetadata...)
}

// seal encrypts plaintext under k with a random 12-byte IV.
func (k *xksKey) seal(plaintext, aad []byte) (xksmodel.EncryptResponse, error) {
	g, err := k.aead.gcm(12)
	if err != nil {
		return xksmodel.EncryptResponse{}, err
	}
	iv := make([]byte, 12)
	if _, err := rand.Read(iv); err != nil {
		return xksmodel.EncryptResponse{}, err
	}
	meta := k.CiphertextMetadata
	sealed := g.Seal(nil, iv, plaintext, aadInput(aad, meta))
	n := len(sealed) - g.Overhead()
	out := xksmodel.EncryptResponse{
		Ciphertext:           sealed[:n],
		InitializationVector: iv,
		AuthenticationTag:    sealed[n:],
	}
	if len(meta) > 0 {
		out.CiphertextMetadata = meta
	}
	return out, nil
}

// open decrypts what seal produced.
func (k *xksKey) open(ciphertext, ciphertextMetadata, aad, iv, tag []byte) ([]byte, error) {
	if len(aad) > maxAADLen || len(ciphertextMetadata) > xksmodel.MaxCiphertextMetadataLen {
		return nil, errors.New("kmstest: AAD or ciphertextMetadata too long")
	}
	g, err := k.aead.gcm(len(iv))
	if err != nil {
		return nil, err
	}
	sealed := append(append(make([]byte, 0, len(ciphertext)+len(tag)), ciphertext...), tag...)
	return g.Open(nil, iv, sealed, aadInput(aad, ciphertextMetadata))
}
