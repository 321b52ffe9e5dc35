package xksmodel

import "crypto/sha256"

// CiphertextDataIntegrityValue returns the SHA_256 CDIV of Appendix C: the
// SHA-256 of aad || ciphertextMetadata || iv || ciphertext || tag, where an
// absent field counts as empty.
func CiphertextDataIntegrityValue(aad, ciphertextMetadata, iv, ciphertext, tag []byte) []byte {
	h := sha256.New()
	for _, b := range [][]byte{aad, ciphertextMetadata, iv, ciphertext, tag} {
		h.Write(b)
	}
	return h.Sum(nil)
}
