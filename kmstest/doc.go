// Package kmstest is an in-process fake of AWS KMS custom key stores for
// tests, in the manner of net/http/httptest. It speaks KMS's awsJson1.1 wire
// protocol, so any KMS client works against it (this module's client,
// aws-sdk-go-v2/service/kms, the AWS CLI with --endpoint-url, other SDKs),
// and it enforces every rule that the UpdateCustomKeyStore API documents,
// answering with the documented exceptions in KMS's error envelope.
//
//	srv := kmstest.NewServer()
//	defer srv.Close()
//	if err := srv.AddStore(kmstest.Store{
//		CustomKeyStoreId:   "cks-1234567890abcdef0",
//		CustomKeyStoreName: "hsm-store",
//		CustomKeyStoreType: kmstest.TypeCloudHSM,
//		ConnectionState:    kmstest.StateConnected,
//		CloudHsmClusterId:  "cluster-2a34b5cdefg",
//	}); err != nil {
//		t.Fatal(err)
//	}
//	// Point any KMS client at srv.URL (with srv.Client()), call
//	// UpdateCustomKeyStore, then check what changed:
//	st, _ := srv.Store("cks-1234567890abcdef0")
//
// Seed state with [Fake.AddStore], [Fake.SetCluster], [Fake.SetXksProxy],
// [Fake.SetVpcEndpointService] or [Fake.Load]; read it back with
// [Fake.Store]; move a store between states with [Fake.SetConnectionState].
// Inject failures with [Fake.FailNext] and [Fake.SetLatency], and assert what
// a client sent with [Fake.Calls]. [WithSigV4] turns on signature
// verification. Every update is atomic, and a Fake is safe for concurrent
// clients. The command github.com/kmskit/kms/kmstest/cmd/kmstest serves the
// same fake as a standalone process.
//
// # Order of checks
//
// Each request is checked in this order, and the first failure is the
// answer: SigV4 (when on); injected faults; protocol (POST /, content type,
// X-Amz-Target); JSON syntax; member types and model constraints (every
// problem listed in one ValidationException); the store exists; members fit
// the store type; the connection state allows every member sent; the new
// name is unused; then the type's own checks (cluster, or proxy
// configuration, URI uniqueness, VPC endpoint service, proxy test).
//
// # Where kmstest differs from KMS
//
// KMS documents what can fail but not always which exception, message or
// order it uses. Where it does not, kmstest chooses as follows.
//
//   - Only UpdateCustomKeyStore is implemented; every other X-Amz-Target is
//     UnknownOperationException. Other methods or paths than POST /, and
//     Content-Types other than application/x-amz-json-1.1 (or 1.0), are
//     UnknownOperationException too.
//   - Members of the wrong JSON type are ValidationException, as the project
//     specifies (some AWS services answer SerializationException). JSON null
//     counts as absent; unknown members are ignored; an empty body is {}.
//   - Validation messages follow AWS's format ("1 validation error detected:
//     Value '...' at 'customKeyStoreId' failed to satisfy constraint: ...")
//     with secret values replaced by "*** Sensitive Data Redacted ***".
//   - An empty XksProxyVpcEndpointServiceName passes the 20-character
//     minimum only in a request that also sends XksProxyConnectivity
//     PUBLIC_ENDPOINT, the clearing that the API documents.
//   - Members that do not apply to the store's type (XKS members for a
//     CloudHSM store, CloudHsmClusterId or KeyStorePassword for an external
//     store) are ValidationException: no documented exception fits.
//   - A member that needs a state needs it even when its value equals the
//     current one. In CONNECTING, DISCONNECTING and FAILED nothing can
//     change. A request with only CustomKeyStoreId succeeds and changes
//     nothing.
//   - Names are compared exactly (case-sensitive); renaming a store to its
//     own name succeeds.
//   - Cluster checks run in the order not found, not related, not active,
//     invalid configuration, even when the new cluster ID is the current one.
//     Relatedness is [Cluster.BackupLineage]; a store whose current cluster
//     is not seeded is related only to that same cluster ID.
//   - Switching connectivity without a new (different) XksProxyUriEndpoint,
//     switching to VPC_ENDPOINT_SERVICE without a service name, switching to
//     PUBLIC_ENDPOINT with a non-empty service name, and a service name or
//     owner for a PUBLIC_ENDPOINT store are XksProxyInvalidConfigurationException.
//     Switching to PUBLIC_ENDPOINT clears the service name and owner.
//     Sending the store's current XksProxyConnectivity alone is no switch:
//     the documentation asks for a new endpoint only when the connectivity
//     changes, so it succeeds (like any member that needs DISCONNECTED, only
//     on a DISCONNECTED store). The client's Validate accepts it too.
//   - "A PUBLIC endpoint must be https" is enforced by the model pattern of
//     XksProxyUriEndpoint, so it is a ValidationException.
//   - URI uniqueness is checked when the request sends the endpoint, path or
//     connectivity: the same endpoint and path as another external store is
//     XksProxyUriInUseException; for a VPC_ENDPOINT_SERVICE store, the same
//     endpoint as another external store is XksProxyUriEndpointInUseException.
//   - The VPC endpoint service is checked when the result is
//     VPC_ENDPOINT_SERVICE and the request sends the service name, owner or
//     connectivity, in the order not found (also when a known owner differs),
//     in use by another store, invalid configuration.
//   - Proxies are tried only for a CONNECTED external store and only when the
//     request sends the credential or path (KMS tries the others when the
//     store connects). No proxy at the endpoint, an unreachable proxy, or a
//     path the proxy does not serve is XksProxyUriUnreachableException; then
//     a credential it does not accept is
//     XksProxyIncorrectAuthenticationCredentialException; then a proxy that
//     answers badly is XksProxyInvalidResponseException.
//   - KMSInternalException, ThrottlingException and other service-side
//     failures happen only when injected with [Fake.FailNext].
//   - With SigV4 on, a request without a complete Authorization header or
//     X-Amz-Date, or whose signature leaves Host, X-Amz-Date, or a
//     Content-Type, X-Amz-Target or X-Amz-Security-Token it carries
//     unsigned, is IncompleteSignatureException (KMS may answer a wholly
//     unsigned request with MissingAuthenticationTokenException, and may
//     accept a header left unsigned that every AWS SDK signs); an unknown
//     access key or wrong session token is UnrecognizedClientException; a
//     wrong signature, scope, or a time outside the window (15 minutes
//     either way, as KMS; see [WithSignatureWindow]) is
//     InvalidSignatureException. Signatures are recomputed with
//     aws-sdk-go-v2's signer, which never signs User-Agent, X-Amzn-Trace-Id
//     or Expect: a client that signs those is rejected.
//   - Request bodies over 1 MiB are SerializationException.
//   - There is one account and one Region; nothing is eventually consistent.
package kmstest
