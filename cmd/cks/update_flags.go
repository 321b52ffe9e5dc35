package main

import (
	"flag"
	"time"

	"github.com/kmskit/kms"
	"github.com/kmskit/kms/safeupdate"
)

// updateFlags are the flags that mirror UpdateCustomKeyStore's members,
// plus the secrets a plan needs to check and roll back the change.
type updateFlags struct {
	id              string
	newName         *string
	clusterID       *string
	endpoint        *string
	path            *string
	connectivity    *string
	vpcServiceName  *string
	vpcServiceOwner *string
	accessKeyID     *string
	passwordFile    string
	secretFile      string

	currentAccessKeyID *string
	currentSecretFile  string
	currentCredFile    string // --current-credential-file: instead of the two above
	previousPassword   string
	externalKeyIDs     stringList
	proxyTimeout       time.Duration
	reach              xksReach
	xksOnly            bool // registerXKS: no CloudHSM members, no name
}

// register registers every update flag: plan and apply.
func (u *updateFlags) register(fs *flag.FlagSet, r *refusals) { u.registerFlags(fs, r, false) }

// registerXKS registers only the flags of an XKS proxy check: preflight.
// The CloudHSM members and the name are not flags then, and input leaves
// them out.
func (u *updateFlags) registerXKS(fs *flag.FlagSet, r *refusals) { u.registerFlags(fs, r, true) }

func (u *updateFlags) registerFlags(fs *flag.FlagSet, r *refusals, xksOnly bool) {
	u.xksOnly = xksOnly
	fs.StringVar(&u.id, "id", "", "CustomKeyStoreId of the store (required)")
	if !xksOnly {
		fs.Var(optString{&u.newName}, "new-name", "NewCustomKeyStoreName")
		fs.Var(optString{&u.clusterID}, "cluster-id", "CloudHsmClusterId (AWS_CLOUDHSM; needs DISCONNECTED)")
		fs.StringVar(&u.passwordFile, "key-store-password-file", "", `file whose first line is the new KeyStorePassword ("-": stdin); or CKS_KEY_STORE_PASSWORD`)
		fs.StringVar(&u.previousPassword, "previous-key-store-password-file", "", `file whose first line is the KeyStorePassword KMS holds now, to restore it on rollback ("-": stdin); or CKS_PREVIOUS_KEY_STORE_PASSWORD`)
	}
	r.add(fs, "key-store-password", "--key-store-password-file F (\"-\" reads stdin or prompts) or CKS_KEY_STORE_PASSWORD")
	fs.Var(optString{&u.endpoint}, "xks-endpoint", "XksProxyUriEndpoint (needs DISCONNECTED)")
	fs.Var(optString{&u.path}, "xks-path", "XksProxyUriPath")
	fs.Var(optString{&u.connectivity}, "xks-connectivity", "XksProxyConnectivity: PUBLIC_ENDPOINT or VPC_ENDPOINT_SERVICE (needs DISCONNECTED)")
	fs.Var(optString{&u.vpcServiceName}, "xks-vpc-endpoint-service-name", `XksProxyVpcEndpointServiceName ("" clears it; needs DISCONNECTED)`)
	fs.Var(optString{&u.vpcServiceOwner}, "xks-vpc-endpoint-service-owner", "XksProxyVpcEndpointServiceOwner (needs DISCONNECTED)")
	fs.Var(optString{&u.accessKeyID}, "xks-access-key-id", "XksProxyAuthenticationCredential.AccessKeyId; its secret from --secret-access-key-file or CKS_SECRET_ACCESS_KEY")
	fs.StringVar(&u.secretFile, "secret-access-key-file", "", `file whose first line is the new RawSecretAccessKey ("-": stdin); or CKS_SECRET_ACCESS_KEY`)
	fs.Var(optString{&u.currentAccessKeyID}, "current-access-key-id", "the XKS AccessKeyId KMS holds now, to check a change that keeps it and to restore it on rollback")
	fs.StringVar(&u.currentSecretFile, "current-secret-access-key-file", "", `file whose first line is the XKS secret KMS holds now ("-": stdin); or CKS_CURRENT_SECRET_ACCESS_KEY`)
	fs.StringVar(&u.currentCredFile, "current-credential-file", "", "the XKS proxy configuration `file` (JSON, as the KMS console takes it) of the credential KMS holds now, "+
		`to check a change that keeps it and to restore it on rollback ("-": stdin); only its XksProxyAuthenticationCredential is read, its XksProxyUriPath is ignored (--xks-path gives a new path); `+
		"instead of --current-access-key-id with --current-secret-access-key-file")
	fs.Var(&u.externalKeyIDs, "external-key-id", "external key ID of a KMS key in the store, for the same-key guard (repeat the flag)")
	fs.DurationVar(&u.proxyTimeout, "proxy-timeout", 5*time.Second, "bound on each call to the XKS proxy")
	u.reach.register(fs)
	r.add(fs, "secret-access-key", "--secret-access-key-file F (\"-\" reads stdin or prompts) or CKS_SECRET_ACCESS_KEY")
}

// input builds the update: a flag not given leaves its member nil. It is
// the first use of the flags, so it also refuses flags that conflict,
// before any secret is read.
func (u *updateFlags) input(e *env) (*kms.UpdateCustomKeyStoreInput, error) {
	if err := u.checkCurrentCredentialFlags(); err != nil {
		return nil, err
	}
	in := &kms.UpdateCustomKeyStoreInput{
		CustomKeyStoreId:                &u.id,
		NewCustomKeyStoreName:           u.newName,
		CloudHsmClusterId:               u.clusterID,
		XksProxyUriEndpoint:             u.endpoint,
		XksProxyUriPath:                 u.path,
		XksProxyVpcEndpointServiceName:  u.vpcServiceName,
		XksProxyVpcEndpointServiceOwner: u.vpcServiceOwner,
	}
	if u.connectivity != nil {
		in.XksProxyConnectivity = kms.XksProxyConnectivityType(*u.connectivity)
	}
	if !u.xksOnly {
		pw, err := e.readSecret(secretSource{member: "KeyStorePassword", flag: "key-store-password-file", file: u.passwordFile, envVar: "CKS_KEY_STORE_PASSWORD"})
		if err != nil {
			return nil, err
		}
		in.KeyStorePassword = pw
	}
	var err error
	in.XksProxyAuthenticationCredential, err = e.xksCredential(u.accessKeyID, secretSource{
		member: "XksProxyAuthenticationCredential.RawSecretAccessKey", flag: "secret-access-key-file", file: u.secretFile, envVar: "CKS_SECRET_ACCESS_KEY"})
	if err != nil {
		return nil, err
	}
	return in, nil
}

// preflightOptions are the current credential, the same-key guard's keys
// and how to reach the proxy.
func (u *updateFlags) preflightOptions(e *env) (safeupdate.PreflightOptions, error) {
	opts := safeupdate.PreflightOptions{ExternalKeyIDs: u.externalKeyIDs, Timeout: u.proxyTimeout}
	hc, roots, err := u.reach.client()
	if err != nil {
		return opts, err
	}
	if hc != nil {
		opts.HTTPClient, opts.RootCAs = hc, roots
	}
	opts.Credential, err = u.currentCredential(e)
	return opts, err
}

// planOptions are everything safeupdate.Updater.Plan needs besides the input.
func (u *updateFlags) planOptions(e *env, allowDisconnect bool) (safeupdate.PlanOptions, error) {
	pre, err := u.preflightOptions(e)
	if err != nil {
		return safeupdate.PlanOptions{}, err
	}
	prev, err := e.readSecret(secretSource{member: "previous KeyStorePassword", flag: "previous-key-store-password-file", file: u.previousPassword, envVar: "CKS_PREVIOUS_KEY_STORE_PASSWORD"})
	if err != nil {
		return safeupdate.PlanOptions{}, err
	}
	return safeupdate.PlanOptions{AllowDisconnect: allowDisconnect, Preflight: pre, PreviousKeyStorePassword: prev}, nil
}
