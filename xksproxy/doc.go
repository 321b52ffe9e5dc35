// Package xksproxy is a typed client for the XKS Proxy API (version 1), the
// HTTPS API that AWS KMS calls on an external key store proxy: GetHealthStatus,
// GetKeyMetadata, Encrypt and Decrypt. Use it to check a proxy the way KMS
// will before pointing a custom key store at it, or to test a proxy.
//
//	c := xksproxy.New(xksproxy.Options{
//		Endpoint:   "https://xks.example.com",
//		UriPath:    "/example-prefix/kms/xks/v1",
//		Region:     "us-east-1", // the KMS Region that calls the proxy
//		Credential: xksproxy.Credential{AccessKeyID: akid, SecretAccessKey: secret},
//	})
//	out, err := c.GetHealthStatus(ctx, &xksproxy.GetHealthStatusInput{
//		RequestMetadata: xksproxy.RequestMetadata{KmsOperation: "UpdateCustomKeyStore"},
//	})
//
// Each request is a POST of JSON to {Endpoint}{UriPath}/health or
// {Endpoint}{UriPath}/keys/{externalKeyId}/{metadata|encrypt|decrypt},
// signed with SigV4 (aws-sdk-go-v2's signer, service "kms-xks-proxy", the
// KMS Region). Each output reports the call's Latency, to compare with the
// 250 ms that KMS allows.
//
// Errors: a proxy's error answer is an *[Error] that matches, with
// errors.Is, the Err value of its errorName ([ErrKeyNotFound], ...); an
// answer that does not follow the specification (not JSON, missing or
// ill-sized members, a redirect, a wrong ciphertext data integrity value) is
// a *[MalformedResponseError] matching [ErrMalformedResponse]; bad input is
// an *[InputError] and nothing is sent; transport failures come back
// wrapped, as net/http reports them. No error, log line or printed input
// holds the credential or a plaintext.
package xksproxy
