package main

import (
	"fmt"
	"os"

	"github.com/kmskit/kms"
	"github.com/kmskit/kms/internal/display"
)

func runCreate(e *env, args []string) int {
	fs := newFlagSet(e, "create", "--name NAME (--cluster-id ID --trust-anchor-certificate-file F --key-store-password-file F | --type EXTERNAL_KEY_STORE --xks-* flags)")
	var a awsFlags
	a.register(fs)
	var r refusals
	var in kms.CreateCustomKeyStoreInput
	var storeType, connectivity, accessKeyID *string
	var trustAnchorFile, passwordFile, secretFile string
	fs.Var(optString{&in.CustomKeyStoreName}, "name", "CustomKeyStoreName (required)")
	fs.Var(optString{&storeType}, "type", "CustomKeyStoreType: AWS_CLOUDHSM (default) or EXTERNAL_KEY_STORE")
	fs.Var(optString{&in.CloudHsmClusterId}, "cluster-id", "CloudHsmClusterId (AWS_CLOUDHSM)")
	fs.StringVar(&trustAnchorFile, "trust-anchor-certificate-file", "", "file holding TrustAnchorCertificate, the cluster's customerCA.crt (AWS_CLOUDHSM)")
	fs.StringVar(&passwordFile, "key-store-password-file", "", `file whose first line is KeyStorePassword ("-": stdin); or CKS_KEY_STORE_PASSWORD (AWS_CLOUDHSM)`)
	fs.Var(optString{&in.XksProxyUriEndpoint}, "xks-endpoint", "XksProxyUriEndpoint")
	fs.Var(optString{&in.XksProxyUriPath}, "xks-path", "XksProxyUriPath")
	fs.Var(optString{&connectivity}, "xks-connectivity", "XksProxyConnectivity: PUBLIC_ENDPOINT or VPC_ENDPOINT_SERVICE")
	fs.Var(optString{&in.XksProxyVpcEndpointServiceName}, "xks-vpc-endpoint-service-name", "XksProxyVpcEndpointServiceName")
	fs.Var(optString{&in.XksProxyVpcEndpointServiceOwner}, "xks-vpc-endpoint-service-owner", "XksProxyVpcEndpointServiceOwner")
	fs.Var(optString{&accessKeyID}, "xks-access-key-id", "XksProxyAuthenticationCredential.AccessKeyId; its secret from --secret-access-key-file or CKS_SECRET_ACCESS_KEY")
	fs.StringVar(&secretFile, "secret-access-key-file", "", `file whose first line is RawSecretAccessKey ("-": stdin); or CKS_SECRET_ACCESS_KEY`)
	r.add(fs, "key-store-password", "--key-store-password-file F (\"-\" reads stdin or prompts) or CKS_KEY_STORE_PASSWORD")
	r.add(fs, "secret-access-key", "--secret-access-key-file F (\"-\" reads stdin or prompts) or CKS_SECRET_ACCESS_KEY")
	if code := parseFlags(e, fs, args, &r); code >= 0 {
		return code
	}
	if storeType != nil {
		in.CustomKeyStoreType = kms.CustomKeyStoreType(*storeType)
	}
	if connectivity != nil {
		in.XksProxyConnectivity = kms.XksProxyConnectivityType(*connectivity)
	}
	if trustAnchorFile != "" {
		b, err := os.ReadFile(trustAnchorFile)
		if err != nil {
			return fail(e, fmt.Errorf("--trust-anchor-certificate-file: %w", err))
		}
		s := string(b)
		in.TrustAnchorCertificate = &s
	}
	pw, err := e.readSecret(secretSource{member: "KeyStorePassword", flag: "key-store-password-file", file: passwordFile, envVar: "CKS_KEY_STORE_PASSWORD"})
	if err != nil {
		return fail(e, err)
	}
	in.KeyStorePassword = pw
	in.XksProxyAuthenticationCredential, err = e.xksCredential(accessKeyID, secretSource{
		member: "XksProxyAuthenticationCredential.RawSecretAccessKey", flag: "secret-access-key-file", file: secretFile, envVar: "CKS_SECRET_ACCESS_KEY"})
	if err != nil {
		return fail(e, err)
	}
	c, err := a.client(e)
	if err != nil {
		return fail(e, err)
	}
	out, err := c.CreateCustomKeyStore(e.ctx, &in)
	if err != nil {
		return fail(e, err)
	}
	id := display.Clean(deref(out.CustomKeyStoreId))
	fmt.Fprintf(e.stdout, "Created custom key store %s (DISCONNECTED; connect it with: cks connect --id %s --wait)\n", id, id)
	return exitOK
}
