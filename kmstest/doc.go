// Package kmstest is an in-process fake of AWS KMS custom key stores for
// tests, in the manner of net/http/httptest. It speaks KMS's awsJson1.1 wire
// protocol, so any KMS client works against it (this module's client,
// aws-sdk-go-v2/service/kms, the AWS CLI with --endpoint-url, other SDKs).
// It serves the six custom key store operations (CreateCustomKeyStore,
// DescribeCustomKeyStores, ConnectCustomKeyStore, DisconnectCustomKeyStore,
// DeleteCustomKeyStore, UpdateCustomKeyStore), enforcing every rule they
// document and answering with the documented exceptions in KMS's error
// envelope.
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
// # Stores live through time
//
// ConnectCustomKeyStore moves a DISCONNECTED store to CONNECTING and, after
// the transition delay, to CONNECTED, or to FAILED with the
// ConnectionErrorCode that KMS would give for the seeded world: a CloudHSM
// store connects only if its cluster is seeded, ACTIVE, has an HSM, and its
// kmsuser is usable and has the store's KeyStorePassword; an external store
// connects only if the [XksProxy] seeded at its endpoint serves its path,
// accepts its credential and answers well (and, for VPC_ENDPOINT_SERVICE,
// its VPC endpoint service is seeded and configured right).
// DisconnectCustomKeyStore moves a store to DISCONNECTING, then
// DISCONNECTED. [WithTransitionDelay] sets the delay (default
// [DefaultTransitionDelay]); [WithClock] with a [ManualClock] lets a test
// move time itself:
//
//	clk := kmstest.NewManualClock(time.Now())
//	srv := kmstest.NewServer(kmstest.WithClock(clk.Now), kmstest.WithTransitionDelay(time.Minute))
//	// ConnectCustomKeyStore: DescribeCustomKeyStores shows CONNECTING
//	clk.Advance(time.Minute)
//	// now CONNECTED, or FAILED with its ConnectionErrorCode
//
// Transitions are evaluated when the fake is next read (by any request or
// accessor), so no goroutine runs in the background.
//
// # Seeding, inspection, faults
//
// Seed state with [Fake.AddStore], [Fake.SetCluster], [Fake.SetXksProxy],
// [Fake.SetVpcEndpointService], [Fake.SetKeyCount],
// [Fake.SetCustomKeyStoreLimit] or [Fake.Load]; read it back with
// [Fake.Store] and [Fake.Stores]; move a store between states at once with
// [Fake.SetConnectionState] and [Fake.SetConnectionFailed]. New seed fields
// default to the healthy case: a seeded cluster is ACTIVE with two HSMs,
// accepts any trust anchor and any store password, and a store holds no
// keys.
// Inject failures with [Fake.FailNext] and [Fake.SetLatency], and assert what
// a client sent with [Fake.Calls]. [WithSigV4] turns on signature
// verification. Every update is atomic, and a Fake is safe for concurrent
// clients. The command github.com/kmskit/kms/kmstest/cmd/kmstest serves the
// same fake as a standalone process.
//
// # Secrets
//
// The seed types that hold secrets ([Store], [XksProxyConfiguration],
// [Cluster], [XksProxy], [Credential], [XksCredential]) keep them in plain
// string fields, so that tests can seed and read them, but never print
// them: fmt (every verb), log/slog, encoding/json and encoding/xml show
// each set secret as [Redacted], and encoding/gob refuses to encode one
// that holds a secret rather than write or lose it. json.Marshal is for
// logging: [WriteSeed] writes a seed file, secrets included, that
// [ReadSeed] reads back, and seeding refuses a secret whose value is
// [Redacted] (it was lost when it was printed or encoded). The fakes and
// servers print as a summary. fmt calls no method of a value it reaches
// through an unexported struct field, so a seed type kept in one of your
// own unexported fields (by value, or by pointer under a verb such as %s)
// prints its fields as they are: keep those in exported fields.
//
// # A fake XKS proxy that the fake KMS calls
//
// [NewXksProxyServer] starts a fake external key store proxy that serves
// the XKS Proxy API v1 over HTTPS: GetHealthStatus, GetKeyMetadata, and
// AES-256-GCM Encrypt and Decrypt with additional authenticated data and
// the ciphertext data integrity value, every error name of the
// specification with its HTTP status, and SigV4 verification (service
// kms-xks-proxy). Its endpoint is a host name such as
// https://xks.example.com, served on loopback; [XksProxyServer.Client] (or
// [XksProxiesClient] for several proxies) reaches it by that name and
// trusts its certificate. The fake is an [XksProxyFake]: change what it
// accepts with SetCredentials (several at once, for a rotation),
// SetURIPrefixes and PutKey; inject faults with FailNext (an error name),
// FailNextWith, SetLatency and SetEkmFleet; read what it was asked with
// Calls.
//
//	p := kmstest.NewXksProxyServer(
//		kmstest.WithXksEndpoint("https://xks.example.com"),
//		kmstest.WithXksURIPrefix("/example-prefix"),
//		kmstest.WithXksCredentials(kmstest.XksCredential{AccessKeyID: akid, SecretAccessKey: secret}),
//		kmstest.WithXksKeys(kmstest.XksKey{ID: "foo"}),
//	)
//	defer p.Close()
//	srv.RouteXksProxy(p)
//
// [Fake.RouteXksProxy] makes the fake KMS call the proxy, as KMS does, for
// every external key store whose XksProxyUriEndpoint is p.URL: on
// CreateCustomKeyStore, ConnectCustomKeyStore and UpdateCustomKeyStore it
// sends GetHealthStatus through the store's path, signed with the store's
// credential, and turns the outcome into the KMS exception or
// ConnectionErrorCode the specification's table gives
// ([WithXksProxyTimeout] sets KMS's 250 ms budget). A routed proxy wins
// over an [XksProxy] seeded at the same endpoint; the seeded simulation
// stays for tests that need no HTTP. The command
// github.com/kmskit/kms/kmstest/cmd/xksproxy serves the same proxy as a
// standalone process, for other tools and XKS compliance checks;
// [Fake.RouteXksEndpoint] (the seed's XksProxyRoutes, the kmstest
// command's -xks-proxy) routes an endpoint to such a proxy by its address,
// with the same checks.
//
// # Order of checks
//
// Each request is checked in this order, and the first failure is the
// answer: SigV4 (when on); injected faults; protocol (POST /, content type,
// X-Amz-Target); JSON syntax; member types and model constraints (every
// problem listed in one ValidationException); then the operation's own
// checks. UpdateCustomKeyStore: the store exists; members fit the store
// type; the connection state allows every member sent; the new name is
// unused; then the type's own checks (cluster, or proxy configuration, URI
// uniqueness, VPC endpoint service, proxy test). CreateCustomKeyStore: the
// members its type needs are there and the other type's are not; the name
// is unused; the store limit; then for CloudHSM the cluster is found, not in
// use (by a store on it or on a cluster sharing its backup history),
// active, has the trust anchor sent, and is configured right with two
// HSMs; for an external store the URI is unused, then the VPC endpoint
// service is found, unused and configured right (VPC_ENDPOINT_SERVICE), or
// the proxy answers KMS's test (PUBLIC_ENDPOINT). ConnectCustomKeyStore:
// the store exists; its state; for CloudHSM the cluster is active and
// configured right. DisconnectCustomKeyStore: the store exists; its state.
// DeleteCustomKeyStore: the store exists; it is DISCONNECTED; it holds no
// KMS keys. DescribeCustomKeyStores: the marker; the store named.
//
// # Where kmstest differs from KMS
//
// KMS documents what can fail but not always which exception, message or
// order it uses. Where it does not, kmstest chooses as follows.
//
//   - Only the six custom key store operations are implemented; every other
//     X-Amz-Target is UnknownOperationException. Other methods or paths than POST /, and
//     Content-Types other than application/x-amz-json-1.1 (or 1.0), are
//     UnknownOperationException too. A body that is not valid UTF-8 (a JSON
//     string member with an invalid byte sequence) is
//     SerializationException.
//   - Request values that a message repeats (in every message, the
//     Authorization header and the SigV4 scope of a signature error
//     included) are cut after 128 characters ("..."), as AWS truncates long
//     values too.
//   - Calls keeps the last 10 000 calls, together at most 16 MiB of them
//     ([WithMaxCalls] and [WithMaxCallBytes] change that): when either is
//     reached the oldest calls are dropped, and recording goes on. Each
//     recorded input is cut after [MaxRecordedInput] (64 KiB), and
//     X-Amz-Target after 2 KiB, each cut marked with [InputCut]. Secret
//     values (members named KeyStorePassword, AccessKeyId or
//     RawSecretAccessKey, in any casing and at any depth) are recorded as
//     "*** Sensitive Data Redacted ***".
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
//   - Proxies, seeded or routed, are tried only for a CONNECTED external
//     store and only when the request sends the credential or path (KMS
//     tries the others when the store connects). A seeded proxy answers as
//     a routed one does for the same failure, with the exception and
//     message of the XKS proxy API specification's table: no proxy at the
//     endpoint, or an unreachable one, is XksProxyUriUnreachableException;
//     then a path the proxy does not serve is
//     XksProxyInvalidConfigurationException (the proxy answers
//     InvalidUriPathException, which KMS turns into it; on connect,
//     XKS_PROXY_INVALID_CONFIGURATION); then a credential it does not
//     accept is XksProxyIncorrectAuthenticationCredentialException; then a
//     proxy that answers badly is XksProxyInvalidResponseException.
//   - CreateCustomKeyStore takes the cluster's trust anchor certificate
//     with any white space around it (such as the newline that ends every
//     PEM file, which aws kms create-custom-key-store
//     --trust-anchor-certificate file://customerCA.crt sends) and with
//     either line end: the PEM certificates are compared.
//   - KMSInternalException, ThrottlingException and other service-side
//     failures happen only when injected with [Fake.FailNext].
//   - ConnectCustomKeyStore on a CONNECTED or CONNECTING store succeeds and
//     changes nothing (the API documents only DISCONNECTING and FAILED as
//     invalid). Its outcome is decided when it is called, from the seeded
//     world at that moment; changing the seed while the store is CONNECTING
//     does not change how it ends. A FAILED connection takes the transition
//     delay too.
//   - CloudHSM connection outcomes, in this order: cluster not seeded is
//     CLUSTER_NOT_FOUND; not ACTIVE is CloudHsmClusterNotActiveException and
//     InvalidConfiguration is CloudHsmClusterInvalidConfigurationException,
//     both at once; the cluster's seeded ConnectionErrorCode (e.g.
//     SUBNET_NOT_FOUND); no HSM is INSUFFICIENT_CLOUDHSM_HSMS; kmsuser
//     NOT_FOUND, LOCKED_OUT, LOGGED_IN are USER_NOT_FOUND, USER_LOCKED_OUT,
//     USER_LOGGED_IN; a KeyStorePassword other than a seeded
//     KmsuserPassword is INVALID_CREDENTIALS. KMS rotates the kmsuser
//     password when it connects and locks the user out after failed
//     logins; kmstest does neither.
//   - External connection outcomes, in this order: for VPC_ENDPOINT_SERVICE,
//     the service not seeded (or another owner) is
//     XKS_VPC_ENDPOINT_SERVICE_NOT_FOUND and a misconfigured one
//     XKS_VPC_ENDPOINT_SERVICE_INVALID_CONFIGURATION; no proxy at the
//     endpoint is XKS_PROXY_NOT_REACHABLE; the proxy's seeded
//     ConnectionErrorCode (e.g. XKS_PROXY_TIMED_OUT); Unreachable is
//     XKS_PROXY_NOT_REACHABLE; a path it does not serve is
//     XKS_PROXY_INVALID_CONFIGURATION; a credential it does not accept is
//     INVALID_CREDENTIALS; InvalidResponse is XKS_PROXY_INVALID_RESPONSE.
//   - A CONNECTED store stays CONNECTED when its cluster or proxy changes
//     in the seed; KMS would notice at the next use of a key.
//   - CreateCustomKeyStore without a member its type needs (CloudHSM:
//     CloudHsmClusterId, KeyStorePassword, TrustAnchorCertificate;
//     external: XksProxyConnectivity, XksProxyAuthenticationCredential,
//     XksProxyUriEndpoint, XksProxyUriPath, and for VPC_ENDPOINT_SERVICE
//     XksProxyVpcEndpointServiceName), or with a member of the other type,
//     is ValidationException; a VPC endpoint service name or owner with
//     PUBLIC_ENDPOINT is XksProxyInvalidConfigurationException. A PUBLIC
//     endpoint already used by a VPC_ENDPOINT_SERVICE store is
//     XksProxyUriEndpointInUseException. New IDs are "cks-" and 17 random
//     hexadecimal digits. There is no store limit unless one is seeded
//     (KMS's quota is per account).
//   - DeleteCustomKeyStore checks the state before the key count.
//   - DescribeCustomKeyStores lists stores by CreationDate, then ID. Limit
//     defaults to [DefaultDescribeLimit]; every page but the last is full.
//     A marker is opaque and signed: one from another fake, or altered, is
//     InvalidMarkerException; one whose store was deleted meanwhile still
//     works. Sending both CustomKeyStoreId and CustomKeyStoreName is
//     ValidationException. Truncated is always sent; NextMarker only when
//     Truncated. CreationDate has millisecond precision.
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
