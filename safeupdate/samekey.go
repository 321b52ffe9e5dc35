package safeupdate

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/kmskit/kms/xksproxy"
)

// KeyCheck is the same-key guard's finding for one external key.
type KeyCheck struct {
	// ExternalKeyID is the key.
	ExternalKeyID string
	// KeySpec, KeyUsage and KeyStatus are what GetKeyMetadata returned
	// through the new settings.
	KeySpec   string
	KeyUsage  []string
	KeyStatus string
	// CanaryChecked: a canary encrypted through the current settings
	// decrypted through the new ones.
	CanaryChecked bool
	// Err is the problem found, nil when none.
	Err error
}

// ErrSameKeyGuard is matched (errors.Is) by a *SameKeyError.
var ErrSameKeyGuard = errors.New("kms: same-key guard: the new proxy settings do not reach the same usable key material")

// SameKeyError is a hard stop from the same-key guard: through the new
// settings an external key is missing, unusable, or holds different key
// material (a canary encrypted through the current settings does not
// decrypt). KMS might accept the change, and every ciphertext under the
// store's keys would then be unrecoverable. It matches ErrSameKeyGuard and
// wraps the cause.
type SameKeyError struct {
	// CustomKeyStoreId is the store.
	CustomKeyStoreId string
	// ExternalKeyID is the key that failed.
	ExternalKeyID string
	// Problem says what is wrong.
	Problem string
	// Err is the cause, or nil.
	Err error
}

func (e *SameKeyError) Error() string {
	if e == nil {
		return "<nil *safeupdate.SameKeyError>"
	}
	s := fmt.Sprintf("kms: same-key guard for custom key store %s: external key %q: %s", e.CustomKeyStoreId, e.ExternalKeyID, e.Problem)
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

// Is matches ErrSameKeyGuard.
func (e *SameKeyError) Is(target error) bool { return target == ErrSameKeyGuard }

// Unwrap returns the cause.
func (e *SameKeyError) Unwrap() error {
	if e == nil {
		return nil
	}
	return e.Err
}

// keyResult is a KeyCheck with the problem text for a SameKeyError.
type keyResult struct {
	KeyCheck
	problem string
}

// The canary's additional authenticated data, so that it cannot be
// mistaken for anything else.
var canaryAAD = []byte("kmskit preflight same-key canary")

// checkKey checks one external key through px (the new settings) and,
// with oldPx, that a canary encrypted through oldPx decrypts through px.
func checkKey(ctx context.Context, px, oldPx *xksproxy.Client, id string, timeout time.Duration) keyResult {
	r := keyResult{KeyCheck: KeyCheck{ExternalKeyID: id}}
	fail := func(problem string, err error) keyResult {
		r.problem = problem
		if err == nil {
			err = errors.New(problem)
		}
		r.Err = err
		return r
	}
	md := xksproxy.RequestMetadata{AwsPrincipalArn: "kmskit-preflight", KmsOperation: "DescribeKey", KmsKeyArn: "kmskit-preflight"}
	cctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	meta, err := px.GetKeyMetadata(cctx, &xksproxy.GetKeyMetadataInput{ExternalKeyId: id, RequestMetadata: md})
	if err != nil {
		return fail("GetKeyMetadata through the new settings failed", err)
	}
	r.KeySpec, r.KeyStatus = string(meta.KeySpec), string(meta.KeyStatus)
	for _, u := range meta.KeyUsage {
		r.KeyUsage = append(r.KeyUsage, string(u))
	}
	switch {
	case meta.KeyStatus != xksproxy.KeyStatusEnabled:
		return fail(fmt.Sprintf("its keyStatus is %s, not ENABLED", meta.KeyStatus), nil)
	case meta.KeySpec != xksproxy.KeySpecAes256:
		return fail(fmt.Sprintf("its keySpec is %s, not AES_256", meta.KeySpec), nil)
	case !slices.Contains(meta.KeyUsage, xksproxy.KeyUsageEncrypt) || !slices.Contains(meta.KeyUsage, xksproxy.KeyUsageDecrypt):
		return fail(fmt.Sprintf("its keyUsage %v lacks ENCRYPT or DECRYPT", r.KeyUsage), nil)
	}
	if oldPx == nil {
		return r
	}
	canary := make([]byte, 32)
	if _, err := rand.Read(canary); err != nil {
		return fail("cannot make a random canary", err)
	}
	md.KmsOperation = "Encrypt"
	enc, err := oldPx.Encrypt(cctx, &xksproxy.EncryptInput{ExternalKeyId: id, RequestMetadata: md, Plaintext: canary, AdditionalAuthenticatedData: canaryAAD})
	if err != nil {
		return fail("encrypting a canary through the current settings failed", err)
	}
	md.KmsOperation = "Decrypt"
	dec, err := px.Decrypt(cctx, &xksproxy.DecryptInput{
		ExternalKeyId: id, RequestMetadata: md, Ciphertext: enc.Ciphertext, CiphertextMetadata: enc.CiphertextMetadata,
		AdditionalAuthenticatedData: canaryAAD, InitializationVector: enc.InitializationVector, AuthenticationTag: enc.AuthenticationTag,
	})
	if err != nil {
		return fail("a canary encrypted through the current settings does not decrypt through the new ones: they reach different key material", err)
	}
	if subtle.ConstantTimeCompare(dec.Plaintext, canary) != 1 {
		return fail("a canary encrypted through the current settings decrypts to something else through the new ones", nil)
	}
	r.CanaryChecked = true
	return r
}
