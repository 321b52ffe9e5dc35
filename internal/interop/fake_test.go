package interop

import (
	"os"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/stretchr/testify/require"

	"github.com/kmskit/kms"
	"github.com/kmskit/kms/kmstest"
)

// The fake's starting state, the same for every real client.
const (
	connectedHSMStore    = "cks-1234567890abcdef0" // CONNECTED, name hsmStoreName
	disconnectedHSMStore = "cks-abcdef01234567890" // DISCONNECTED, lineage prod
	xksStore             = "cks-0fedcba9876543210" // DISCONNECTED external store
	hsmStoreName         = "ProductionHSMStore"
	missingStore         = "cks-00000000000000000"

	prodCluster          = "cluster-2a34b5cdefg"
	prodSiblingCluster   = "cluster-3b45c6defgh"
	prodInactiveCluster  = "cluster-4c56d7efghi"
	otherLineageCluster  = "cluster-5d67e2fghij"
	unknownCluster       = "cluster-6e7f2ghijkl"
	fakeXksProxyEndpoint = "https://myproxy.xks.example.com"
)

// newFakeKMS starts kmstest with SigV4 verification on for testCreds,
// seeded with kmstest's test world.
func newFakeKMS(t testing.TB) *kmstest.Server {
	t.Helper()
	srv := kmstest.NewServer(
		kmstest.WithSigV4(kmstest.Credential{AccessKeyId: testCreds.AccessKeyID, SecretAccessKey: testCreds.SecretAccessKey}),
		kmstest.WithRegion(testRegion),
	)
	t.Cleanup(srv.Close)
	// The one seeded world of the kmstest tests, which holds the stores,
	// clusters and proxy named above.
	seedFile, err := os.Open("../../kmstest/testdata/world.json")
	require.NoError(t, err)
	defer seedFile.Close()
	seed, err := kmstest.ReadSeed(seedFile)
	require.NoError(t, err)
	require.NoError(t, srv.Load(seed))
	return srv
}

// fakeCase is one call every real client makes against a fresh fake.
type fakeCase struct {
	name     string
	in       *kms.UpdateCustomKeyStoreInput
	fault    *kmstest.Fault // injected before the call, for every attempt
	wantCode string         // "" for success
	attempts int            // calls the fake answers (retries included)
	// check, for a success, looks at the fake's state afterwards.
	check func(t *testing.T, srv *kmstest.Server)
}

func fakeCases() []fakeCase {
	id := func(s string) *string { return aws.String(s) }
	return []fakeCase{
		{
			name: "rename succeeds",
			in:   &kms.UpdateCustomKeyStoreInput{CustomKeyStoreId: id(disconnectedHSMStore), NewCustomKeyStoreName: id("Staging HSM store ✓")},
			check: func(t *testing.T, srv *kmstest.Server) {
				st, ok := srv.Store(disconnectedHSMStore)
				require.True(t, ok)
				require.Equal(t, "Staging HSM store ✓", st.CustomKeyStoreName)
			},
			attempts: 1,
		},
		{
			name: "related cluster and password succeed",
			in: &kms.UpdateCustomKeyStoreInput{CustomKeyStoreId: id(disconnectedHSMStore),
				CloudHsmClusterId: id(prodSiblingCluster), KeyStorePassword: id("new-kmsuser-pw")},
			check: func(t *testing.T, srv *kmstest.Server) {
				st, ok := srv.Store(disconnectedHSMStore)
				require.True(t, ok)
				require.Equal(t, prodSiblingCluster, st.CloudHsmClusterId)
				require.Equal(t, "new-kmsuser-pw", st.KeyStorePassword)
			},
			attempts: 1,
		},
		{
			name:     "unknown store",
			in:       &kms.UpdateCustomKeyStoreInput{CustomKeyStoreId: id(missingStore), NewCustomKeyStoreName: id("x")},
			wantCode: kmstest.CodeCustomKeyStoreNotFound, attempts: 1,
		},
		{
			name:     "password of a connected store",
			in:       &kms.UpdateCustomKeyStoreInput{CustomKeyStoreId: id(connectedHSMStore), KeyStorePassword: id("new-kmsuser-pw")},
			wantCode: kmstest.CodeCustomKeyStoreInvalidState, attempts: 1,
		},
		{
			name:     "name in use",
			in:       &kms.UpdateCustomKeyStoreInput{CustomKeyStoreId: id(disconnectedHSMStore), NewCustomKeyStoreName: id(hsmStoreName)},
			wantCode: kmstest.CodeCustomKeyStoreNameInUse, attempts: 1,
		},
		{
			name:     "unknown cluster",
			in:       &kms.UpdateCustomKeyStoreInput{CustomKeyStoreId: id(disconnectedHSMStore), CloudHsmClusterId: id(unknownCluster)},
			wantCode: kmstest.CodeCloudHsmClusterNotFound, attempts: 1,
		},
		{
			name:     "unrelated cluster",
			in:       &kms.UpdateCustomKeyStoreInput{CustomKeyStoreId: id(disconnectedHSMStore), CloudHsmClusterId: id(otherLineageCluster)},
			wantCode: kmstest.CodeCloudHsmClusterNotRelated, attempts: 1,
		},
		{
			name:     "inactive cluster",
			in:       &kms.UpdateCustomKeyStoreInput{CustomKeyStoreId: id(disconnectedHSMStore), CloudHsmClusterId: id(prodInactiveCluster)},
			wantCode: kmstest.CodeCloudHsmClusterNotActive, attempts: 1,
		},
		{
			name:     "internal error is retried",
			in:       &kms.UpdateCustomKeyStoreInput{CustomKeyStoreId: id(xksStore), XksProxyUriPath: id("/kms/xks/v2")},
			fault:    &kmstest.Fault{Code: kmstest.CodeKMSInternal, Message: "An internal error occurred."},
			wantCode: kmstest.CodeKMSInternal, attempts: 3,
		},
	}
}

// runFakeCase starts a fresh fake, injects the case's fault for every
// attempt, lets call make the call, and returns the fake and the calls it
// answered.
func runFakeCase(t *testing.T, tc fakeCase, call func(url string, hc kms.HTTPClient)) (*kmstest.Server, []kmstest.Call) {
	t.Helper()
	srv := newFakeKMS(t)
	if tc.fault != nil {
		srv.FailNext(tc.attempts, *tc.fault)
	}
	call(srv.URL, srv.Client())
	calls := srv.Calls()
	require.Len(t, calls, tc.attempts, "calls answered")
	require.Zero(t, srv.PendingFaults())
	last := calls[len(calls)-1]
	require.Equal(t, tc.wantCode, last.Code, "what the fake answered")
	require.Equal(t, kmstest.TargetUpdateCustomKeyStore, last.Target)
	if tc.wantCode == "" {
		tc.check(t, srv)
	}
	return srv, calls
}
