package main

import (
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
		return e.readConfigurationFile("current-credential-file", u.currentCredFile)
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
