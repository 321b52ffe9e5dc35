package main

import (
	"errors"
	"fmt"
	"strings"

	"github.com/kmskit/kms"
)

// checkCurrentCredentialFlags refuses --current-credential-file with
// either flag of the two-flag form: both would give the credential KMS
// holds now.
func (u *updateFlags) checkCurrentCredentialFlags() error {
	if u.currentCredFile == "" {
		return nil
	}
	var also []string
	if u.currentAccessKeyID != nil {
		also = append(also, "--current-access-key-id")
	}
	if u.currentSecretFile != "" {
		also = append(also, "--current-secret-access-key-file")
	}
	if len(also) == 0 {
		return nil
	}
	return flagValueError("--current-credential-file and " + strings.Join(also, " and ") +
		" both give the XKS credential KMS holds now: give --current-credential-file F, or --current-access-key-id ID with --current-secret-access-key-file F")
}

// currentCredential is the XKS credential KMS holds now, from
// --current-credential-file or --current-access-key-id with
// --current-secret-access-key-file; nil when neither is given.
func (u *updateFlags) currentCredential(e *env) (*kms.XksProxyAuthenticationCredentialType, error) {
	if u.currentCredFile != "" {
		c, err := e.readConfigurationFile("current-credential-file", u.currentCredFile)
		if err != nil {
			return nil, err
		}
		if err := checkCredential(c); err != nil {
			return nil, fmt.Errorf("--current-credential-file %s: %w", u.currentCredFile, err)
		}
		return c, nil
	}
	return e.xksCredential(u.currentAccessKeyID, secretSource{
		member: "current RawSecretAccessKey", flag: "current-secret-access-key-file", file: u.currentSecretFile, envVar: "CKS_CURRENT_SECRET_ACCESS_KEY"})
}

// currentCredentialFlag is the flag that gave the current credential, as
// reports name it.
func (u *updateFlags) currentCredentialFlag() string {
	if u.currentCredFile != "" {
		return "--current-credential-file"
	}
	return "--current-access-key-id"
}

// checkCredential applies the model's rules for an XKS credential (each
// member's length and pattern, and no member that is the redaction marker
// [REDACTED]) to c, as KMS would to a credential it is given. The error
// names each member at fault and its rule, never a value.
func checkCredential(c *kms.XksProxyAuthenticationCredentialType) error {
	// The library's own validation of the credential member: its other
	// members' problems (no CustomKeyStoreId here) are not c's.
	var ve *kms.ValidationError
	if !errors.As((&kms.UpdateCustomKeyStoreInput{XksProxyAuthenticationCredential: c}).Validate(), &ve) {
		return nil
	}
	var problems []string
	for _, p := range ve.Problems() {
		if strings.HasPrefix(p.Field, credentialMember+".") {
			problems = append(problems, p.Field+": "+p.Reason)
		}
	}
	if len(problems) == 0 {
		return nil
	}
	return errors.New("not a credential KMS accepts: " + strings.Join(problems, "; "))
}

// credentialMember is the member of an XKS proxy configuration file, and of
// UpdateCustomKeyStoreInput, that holds the credential.
const credentialMember = "XksProxyAuthenticationCredential"
