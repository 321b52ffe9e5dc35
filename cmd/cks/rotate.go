package main

import (
	"fmt"
	"time"

	"github.com/kmskit/kms"
	"github.com/kmskit/kms/safeupdate"
)

func runRotate(e *env, args []string) int {
	fs := newFlagSet(e, "rotate-xks-credential", "--id ID --access-key-id ID --secret-access-key-file F [--new-xks-path PATH] [--xks-resolve NAME=ADDRESS ...]")
	var a awsFlags
	a.register(fs)
	var r refusals
	id := fs.String("id", "", "CustomKeyStoreId of the external key store (required)")
	var accessKeyID *string
	fs.Var(optString{&accessKeyID}, "access-key-id", "the new AccessKeyId, which the proxy must already accept (required)")
	secretFile := fs.String("secret-access-key-file", "", `file whose first line is the new RawSecretAccessKey ("-": stdin); or CKS_SECRET_ACCESS_KEY`)
	timeout := fs.Duration("proxy-timeout", 5*time.Second, "bound on the call to the XKS proxy")
	var newPath *string
	fs.Var(optString{&newPath}, "new-xks-path", "rotate by path: the new XksProxyUriPath, under which the proxy serves the new credential (for proxies that hold one credential per path); sent with the credential in one update")
	var reach xksReach
	reach.register(fs)
	r.add(fs, "secret-access-key", "--secret-access-key-file F (\"-\" reads stdin or prompts) or CKS_SECRET_ACCESS_KEY")
	if code := parseFlags(e, fs, args, &r); code >= 0 {
		return code
	}
	if *id == "" {
		return usageError(e, "rotate-xks-credential", "--id is required")
	}
	if accessKeyID == nil {
		return usageError(e, "rotate-xks-credential", "--access-key-id is required")
	}
	secret, err := e.readSecret(secretSource{member: "RawSecretAccessKey", flag: "secret-access-key-file", file: *secretFile, envVar: "CKS_SECRET_ACCESS_KEY"})
	if err != nil {
		return fail(e, err)
	}
	if secret == nil {
		return usageError(e, "rotate-xks-credential", "the new secret is required: --secret-access-key-file F or CKS_SECRET_ACCESS_KEY")
	}
	opts := safeupdate.RotateOptions{Timeout: *timeout, NewUriPath: newPath}
	hc, roots, err := reach.client()
	if err != nil {
		return fail(e, err)
	}
	if hc != nil {
		opts.HTTPClient, opts.RootCAs = hc, roots
	}
	c, err := a.client(e)
	if err != nil {
		return fail(e, err)
	}
	rep, err := safeupdate.NewUpdater(c).RotateXksCredential(e.ctx, *id, &kms.XksProxyAuthenticationCredentialType{AccessKeyId: accessKeyID, RawSecretAccessKey: secret}, opts)
	if rep != nil && rep.Preflight != nil {
		printPreflight(e.stdout, rep.Preflight, err, preflightView{newCredFlag: "--access-key-id", caFile: reach.caFile})
	}
	if err != nil {
		return fail(e, err)
	}
	if rep.Confirmed {
		if newPath != nil {
			fmt.Fprintf(e.stdout, "Rotated: KMS now holds the new AccessKeyId and XksProxyUriPath %s for %s.\n", *newPath, *id)
		} else {
			fmt.Fprintf(e.stdout, "Rotated: KMS now holds the new AccessKeyId for %s.\n", *id)
		}
	}
	if rep.NextStep != "" {
		fmt.Fprintf(e.stdout, "Next: %s\n", operatorText(rep.NextStep))
	}
	return exitOK
}
