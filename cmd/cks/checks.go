package main

import (
	"fmt"
	"io"
	"slices"

	"github.com/kmskit/kms/safeupdate"
)

// currentCredentialFlags let a check that needs the XKS credential KMS
// holds now be checked: the configuration file first, the two-flag form as
// the alternative.
const currentCredentialFlags = "--current-credential-file F (the XKS proxy configuration file of the credential KMS holds now)," +
	" or --current-access-key-id ID with --current-secret-access-key-file F"

// checkFlag says what would let an unchecked check be checked, in cks's
// terms: the flag that supplies what it lacks, or why no flag can.
func checkFlag(c safeupdate.Check) string {
	switch {
	case slices.Contains(c.Members, "KeyStorePassword"):
		return "--previous-key-store-password-file F (the KeyStorePassword KMS holds now)"
	case slices.Contains(c.Members, "XksProxyAuthenticationCredential"):
		return currentCredentialFlags
	case c.Name == safeupdate.CheckVpcEndpointService:
		return "no flag: verify the service in Amazon VPC (aws ec2 describe-vpc-endpoint-service-configurations, describe-vpc-endpoint-service-permissions), then cks apply --accept-unchecked"
	case c.Name == safeupdate.CheckXksProxy:
		return "--xks-resolve NAME=ADDRESS (with --xks-ca-file) through a bastion or port forward that reaches the proxy's endpoint, or run cks from a host inside the VPC"
	}
	return "no flag: only KMS can check it (cks apply --accept-unchecked applies anyway)"
}

// printUnchecked lists every check not checked, with the flag that would
// let it be checked.
func printUnchecked(w io.Writer, checks []safeupdate.Check) {
	for _, c := range checks {
		if c.Result == safeupdate.CheckNotChecked {
			fmt.Fprintf(w, "  not checked: %s\n    %s\n    to check it: %s\n", c.Name, operatorText(c.Detail), checkFlag(c))
		}
	}
}

// checkJSON is a check as data, with the flag that would let it be checked.
type checkJSON struct {
	Name    string
	Result  string
	Detail  string   `json:",omitempty"`
	Members []string `json:",omitempty"`
	Flag    string   `json:",omitempty"`
}

func checksToJSON(checks []safeupdate.Check) []checkJSON {
	out := make([]checkJSON, 0, len(checks))
	for _, c := range checks {
		cj := checkJSON{Name: c.Name, Result: string(c.Result), Detail: operatorText(c.Detail), Members: c.Members}
		if c.Result == safeupdate.CheckNotChecked {
			cj.Flag = checkFlag(c)
		}
		out = append(out, cj)
	}
	return out
}
