package main

import (
	"fmt"
	"io"

	"github.com/kmskit/kms"
)

// version is the library version cks is built with.
func version() string { return "(github.com/kmskit/kms " + kms.Version + ")" }

// printHelp writes `cks help`: the subcommands, the flags every one takes,
// where secrets come from, and the exit codes.
func printHelp(w io.Writer) {
	fmt.Fprintln(w, `cks: an operator's command line for AWS KMS custom key stores.

Usage: cks <command> [flags]        cks help <command> lists its flags

Commands:`)
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-22s %s\n", c.name, c.summary)
	}
	fmt.Fprint(w, `
Every command takes, like the AWS CLI:
  --region REGION        the AWS Region (default: AWS_REGION, the profile's region)
  --profile NAME         a named profile of the shared config files
  --endpoint-url URL     send KMS requests here (also AWS_ENDPOINT_URL_KMS)
  --debug                log each HTTP attempt to stderr (secrets redacted)
Credentials come from the AWS SDK's default chain: environment, shared
config and credentials files (profiles, SSO), container and instance roles.

Update flags (plan, apply; mirror UpdateCustomKeyStore's members):
  --id ID                              CustomKeyStoreId (required)
  --new-name NAME                      NewCustomKeyStoreName
  --cluster-id ID                      CloudHsmClusterId
  --key-store-password-file F          KeyStorePassword
  --xks-endpoint URL                   XksProxyUriEndpoint
  --xks-path PATH                      XksProxyUriPath
  --xks-connectivity C                 XksProxyConnectivity (PUBLIC_ENDPOINT, VPC_ENDPOINT_SERVICE)
  --xks-vpc-endpoint-service-name N    XksProxyVpcEndpointServiceName ("" clears it)
  --xks-vpc-endpoint-service-owner A   XksProxyVpcEndpointServiceOwner
  --xks-access-key-id ID               XksProxyAuthenticationCredential.AccessKeyId
  --secret-access-key-file F           XksProxyAuthenticationCredential.RawSecretAccessKey
A flag that is not given leaves its member unchanged.

Reaching XKS proxies (preflight, plan, apply, rotate-xks-credential):
  --xks-resolve NAME=ADDRESS           reach the proxy NAME (the host of XksProxyUriEndpoint) at
                                       ADDRESS, e.g. a port forward, as curl --resolve (repeatable)
  --xks-ca-file F                      trust the CAs of PEM file F for the proxies' certificates

Secrets are never command-line values (shell history and ps show them):
  --key-store-password-file F, --secret-access-key-file F and the
  --current-/--previous- variants read the first line of file F; F "-" reads
  one line from stdin, or prompts without echo when stdin is a terminal.
  --current-credential-file F (preflight, plan, apply) gives the XKS credential
  KMS holds now as an XKS proxy configuration file, the JSON the KMS console
  takes: {"XksProxyUriPath": ..., "XksProxyAuthenticationCredential":
  {"AccessKeyId": ..., "RawSecretAccessKey": ...}}. Only the credential is
  read (XksProxyUriPath is ignored); F "-" reads the file from stdin (a pipe).
  It replaces --current-access-key-id ID with --current-secret-access-key-file F.
  One secret at most per run comes from stdin.
  Environment variables, used when the file flag is not given:
    CKS_KEY_STORE_PASSWORD            KeyStorePassword
    CKS_SECRET_ACCESS_KEY             the new XKS secret (with --xks-access-key-id or --access-key-id)
    CKS_CURRENT_SECRET_ACCESS_KEY     the XKS secret KMS holds now (with --current-access-key-id)
    CKS_PREVIOUS_KEY_STORE_PASSWORD   the password KMS holds now (rollback of a password change)
  --key-store-password VALUE and --secret-access-key VALUE are refused.

Exit codes:
  0    success; plan/preflight: every check passed and KMS is expected to
       accept the change
  1    error: KMS or the network failed, the apply failed (the rollback is reported)
  2    refused: KMS would refuse the change or request, so nothing was sent
       or changed: input that breaks a rule (the member and rule are named),
       a value another store uses, a disconnect without --allow-disconnect,
       a predicted proxy failure, the same-key guard, a store that changed
       since the plan
  3    usage: bad flags or arguments, a secret given on the command line,
       apply or delete on a pipe without --yes (apply prints the plan first)
  4    unchecked: plan/preflight could not check everything KMS checks (each
       unchecked check is listed with the flag that lets it be checked, such
       as --current-credential-file F (or --current-access-key-id ID with
       --current-secret-access-key-file F), or
       --previous-key-store-password-file F); apply refuses to disconnect a
       store for such a plan unless --accept-unchecked, changing nothing
  130  interrupted (Ctrl-C): cks stopped and printed the state the store was
       left in. During apply the first Ctrl-C restores a store cks
       disconnected to CONNECTED; a second stops at once and prints the
       command that reconnects it (cks connect --id ID --wait)

Errors name the member and the rule as the library does, e.g.
  cks: kms: invalid UpdateCustomKeyStoreInput: XksProxyUriPath: ...
`)
}
