package kmstest_test

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kmskit/kms"
	"github.com/kmskit/kms/internal/kmsmodel"
	"github.com/kmskit/kms/kmstest"
)

// This file and kmstest_success_test.go and kmstest_concurrency_test.go drive
// the public fake kmstest with this module's own client: every request goes
// through kms.Client (offline validation, encoding, signing, error decoding)
// and every rule is the fake's own, seeded through its public API.

// The world that ktWorld seeds. Every value satisfies the KMS model (and so
// our client's offline validation) unless a test says otherwise.
const (
	ktHsmOff     = "cks-0000000000000hsm1" // AWS_CLOUDHSM, DISCONNECTED, cluster ktClOrig
	ktHsmOn      = "cks-0000000000000hsm2" // AWS_CLOUDHSM, CONNECTED
	ktXksOn      = "cks-0000000000000xks1" // EXTERNAL, PUBLIC_ENDPOINT, CONNECTED, proxy seeded
	ktXksOff     = "cks-0000000000000xks2" // EXTERNAL, PUBLIC_ENDPOINT, DISCONNECTED
	ktXksVpc     = "cks-0000000000000xks3" // EXTERNAL, VPC_ENDPOINT_SERVICE, DISCONNECTED, ktSvcOwned
	ktXksVpc2    = "cks-0000000000000xks4" // EXTERNAL, VPC_ENDPOINT_SERVICE, DISCONNECTED, ktSvcAnyOwner
	ktUnknownID  = "cks-fffffffffffffffff"
	ktHsmOffName = "hsm-disconnected"
	ktHsmOnName  = "hsm-connected"
	ktXksOnName  = "xks-public-connected"
	ktXksOffName = "xks-public-disconnected"
	ktXksVpcName = "xks-vpc-a"
	ktXksVpc2Nm  = "xks-vpc-b"

	// Clusters: the first four share ktClOrig's backup lineage.
	ktClOrig     = "cluster-origlineagea2"
	ktClRelated  = "cluster-relatedgoodb3"
	ktClInactive = "cluster-relatedidlec4"
	ktClBadCfg   = "cluster-relatedbadcfg"
	ktClOther    = "cluster-otherlineagee"
	ktClMissing  = "cluster-notseededclus"
	ktClHsmOn    = "cluster-secondstoreff"

	ktPassword    = "Initial-pw-1"
	ktNewPassword = "Rotated-pw-2"

	ktEpOn      = "https://xks-on.example.com"
	ktEpOff     = "https://xks-off.example.com"
	ktEpVpc     = "https://vpce-a.example.com"
	ktEpVpc2    = "https://vpce-b.example.com"
	ktPathBare  = "/kms/xks/v1"
	ktPathPrefx = "/prefix/kms/xks/v1"

	// ktSvcOwned belongs to ktOwner, ktSvcAnyOwner to no owner in
	// particular; ktSvcFree is seeded and unused; ktSvcBad is misconfigured;
	// ktSvcMissing is not seeded.
	ktSvcOwned    = "com.amazonaws.vpce.us-east-1.vpce-svc-0abc123def4567890"
	ktSvcAnyOwner = "com.amazonaws.vpce.us-east-1.vpce-svc-0bbb222ccc3334445"
	ktSvcFree     = "com.amazonaws.vpce.us-east-1.vpce-svc-0fee111fee2223334"
	ktSvcBad      = "com.amazonaws.vpce.us-east-1.vpce-svc-0bad000bad1112223"
	ktSvcMissing  = "com.amazonaws.vpce.us-east-1.vpce-svc-0404404404404404a"
	ktOwner       = "111122223333"
	ktOtherOwner  = "444455556666"

	// The credential the proxy of ktXksOn accepts, and another one.
	ktAKID1   = "XKSPROXYACCESSKEYONE2"
	ktSecret1 = "Secret1/abcdefghijklmnopqrstuvwxyz0123456789+="
	ktAKID2   = "XKSPROXYACCESSKEYTWO3"
	ktSecret2 = "Secret2/ZYXWVUTSRQPONMLKJIHGFEDCBA9876543210+="
)

// ktWorld starts a fake seeded with two CloudHSM and four external key
// stores, the clusters, one proxy and the VPC endpoint services they use.
func ktWorld(t *testing.T, opts ...kmstest.Option) *kmstest.Server {
	t.Helper()
	srv := kmstest.NewServer(opts...)
	t.Cleanup(srv.Close)
	err := srv.Load(worldSeed())
	require.NoError(t, err)
	return srv
}

// ktCreds signs as the fixed test identity; without SigV4 verification the
// fake accepts any signature.
func ktCreds(akid, secret, token string) aws.CredentialsProvider {
	return aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
		return aws.Credentials{AccessKeyID: akid, SecretAccessKey: secret, SessionToken: token, Source: "kmstest"}, nil
	})
}

// ktClient returns our client pointed at srv, with retries off so that each
// call is exactly one request.
func ktClient(srv *kmstest.Server, creds aws.CredentialsProvider, optFns ...func(*kms.Options)) *kms.Client {
	if creds == nil {
		creds = ktCreds("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "")
	}
	return kms.New(kms.Options{
		Region:           "us-east-1",
		Credentials:      creds,
		BaseEndpoint:     aws.String(srv.URL),
		HTTPClient:       srv.Client(),
		RetryMaxAttempts: 1,
	}, optFns...)
}

// ktNoValidation is the per-call option that turns off our client's offline
// validation, for requests only the server should judge.
func ktNoValidation(o *kms.Options) { o.DisableClientValidation = true }

// ktDocumented maps each documented code (internal/kmsmodel) to our Err
// value for it.
var ktDocumented = func() map[string]error {
	out := map[string]error{}
	for _, e := range kmsmodel.Exceptions {
		out[e.Code] = kms.ErrorForCode(e.Code)
	}
	return out
}()

// ktAssertOnlyCode asserts that err is an *kms.APIError with code and
// status, and that errors.Is matches the Err value of code and no other
// documented one (none at all when code is not documented).
func ktAssertOnlyCode(t *testing.T, err error, code string, status int) {
	t.Helper()
	require.Error(t, err)
	var apiErr *kms.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, code, apiErr.Code)
	assert.Equal(t, status, apiErr.StatusCode)
	assert.NotEmpty(t, apiErr.RequestID)
	for c, target := range ktDocumented {
		if c == code {
			assert.ErrorIs(t, err, target, "errors.Is(err, Err for %s)", c)
		} else {
			assert.NotErrorIs(t, err, target, "errors.Is(err, Err for %s) for a %s", c, code)
		}
	}
}

// ktCred returns a credential member.
func ktCred(akid, secret string) *kms.XksProxyAuthenticationCredentialType {
	return &kms.XksProxyAuthenticationCredentialType{AccessKeyId: aws.String(akid), RawSecretAccessKey: aws.String(secret)}
}

func TestKmstestScenarioEachDocumentedException(t *testing.T) {
	tests := []struct {
		name string
		code string
		// prep changes the seeded world before the snapshot is taken.
		prep func(t *testing.T, srv *kmstest.Server)
		in   kms.UpdateCustomKeyStoreInput
		// noValidation: the input breaks one of our client's offline
		// rules, so the call needs DisableClientValidation to reach the
		// fake (and the test checks that it is rejected without it).
		noValidation bool
	}{
		{name: "cluster misconfigured", code: "CloudHsmClusterInvalidConfigurationException",
			in: kms.UpdateCustomKeyStoreInput{CustomKeyStoreId: aws.String(ktHsmOff), CloudHsmClusterId: aws.String(ktClBadCfg)}},
		{name: "cluster not active", code: "CloudHsmClusterNotActiveException",
			in: kms.UpdateCustomKeyStoreInput{CustomKeyStoreId: aws.String(ktHsmOff), CloudHsmClusterId: aws.String(ktClInactive)}},
		{name: "cluster unknown", code: "CloudHsmClusterNotFoundException",
			in: kms.UpdateCustomKeyStoreInput{CustomKeyStoreId: aws.String(ktHsmOff), CloudHsmClusterId: aws.String(ktClMissing)}},
		{name: "cluster of another lineage", code: "CloudHsmClusterNotRelatedException",
			in: kms.UpdateCustomKeyStoreInput{CustomKeyStoreId: aws.String(ktHsmOff), CloudHsmClusterId: aws.String(ktClOther)}},
		{name: "password on CONNECTED CloudHSM store", code: "CustomKeyStoreInvalidStateException",
			in: kms.UpdateCustomKeyStoreInput{CustomKeyStoreId: aws.String(ktHsmOn), KeyStorePassword: aws.String(ktNewPassword)}},
		{name: "endpoint on CONNECTED external store", code: "CustomKeyStoreInvalidStateException",
			in: kms.UpdateCustomKeyStoreInput{CustomKeyStoreId: aws.String(ktXksOn), XksProxyUriEndpoint: aws.String("https://xks-new.example.com")}},
		{name: "rename a FAILED store", code: "CustomKeyStoreInvalidStateException",
			prep: func(t *testing.T, srv *kmstest.Server) {
				require.NoError(t, srv.SetConnectionState(ktXksOff, kmstest.StateFailed))
			},
			in: kms.UpdateCustomKeyStoreInput{CustomKeyStoreId: aws.String(ktXksOff), NewCustomKeyStoreName: aws.String("brand-new-name")}},
		{name: "rename to another store's name", code: "CustomKeyStoreNameInUseException",
			in: kms.UpdateCustomKeyStoreInput{CustomKeyStoreId: aws.String(ktHsmOff), NewCustomKeyStoreName: aws.String(ktXksVpcName)}},
		{name: "unknown store", code: "CustomKeyStoreNotFoundException",
			in: kms.UpdateCustomKeyStoreInput{CustomKeyStoreId: aws.String(ktUnknownID), NewCustomKeyStoreName: aws.String("brand-new-name")}},
		{name: "injected internal error", code: "KMSInternalException",
			prep: func(_ *testing.T, srv *kmstest.Server) {
				srv.FailNext(1, kmstest.Fault{Code: kmstest.CodeKMSInternal})
			},
			in: kms.UpdateCustomKeyStoreInput{CustomKeyStoreId: aws.String(ktHsmOff), NewCustomKeyStoreName: aws.String("brand-new-name")}},
		{name: "credential the proxy rejects", code: "XksProxyIncorrectAuthenticationCredentialException",
			in: kms.UpdateCustomKeyStoreInput{CustomKeyStoreId: aws.String(ktXksOn), XksProxyAuthenticationCredential: ktCred(ktAKID2, ktSecret2)}},
		{name: "switch to VPC keeping the endpoint", code: "XksProxyInvalidConfigurationException",
			in: kms.UpdateCustomKeyStoreInput{CustomKeyStoreId: aws.String(ktXksOff),
				XksProxyConnectivity: kms.XksProxyConnectivityTypeVpcEndpointService, XksProxyUriEndpoint: aws.String(ktEpOff),
				XksProxyVpcEndpointServiceName: aws.String(ktSvcFree)}},
		{name: "service name for a PUBLIC store", code: "XksProxyInvalidConfigurationException",
			in: kms.UpdateCustomKeyStoreInput{CustomKeyStoreId: aws.String(ktXksOff), XksProxyVpcEndpointServiceName: aws.String(ktSvcFree)}},
		// Our client rejects a non-empty service name with PUBLIC_ENDPOINT
		// offline, so this one needs DisableClientValidation.
		{name: "switch to PUBLIC with a service name", code: "XksProxyInvalidConfigurationException", noValidation: true,
			in: kms.UpdateCustomKeyStoreInput{CustomKeyStoreId: aws.String(ktXksVpc),
				XksProxyConnectivity: kms.XksProxyConnectivityTypePublicEndpoint, XksProxyUriEndpoint: aws.String("https://xks-new.example.com"),
				XksProxyVpcEndpointServiceName: aws.String(ktSvcOwned)}},
		{name: "proxy answers badly", code: "XksProxyInvalidResponseException",
			prep: func(t *testing.T, srv *kmstest.Server) {
				require.NoError(t, srv.SetXksProxy(kmstest.XksProxy{UriEndpoint: ktEpOn, InvalidResponse: true}))
			},
			in: kms.UpdateCustomKeyStoreInput{CustomKeyStoreId: aws.String(ktXksOn), XksProxyUriPath: aws.String(ktPathPrefx)}},
		{name: "VPC endpoint of another store", code: "XksProxyUriEndpointInUseException",
			// Paths differ (/prefix/kms/xks/v1 vs /kms/xks/v1): only the
			// endpoint collides.
			in: kms.UpdateCustomKeyStoreInput{CustomKeyStoreId: aws.String(ktXksVpc2), XksProxyUriEndpoint: aws.String(ktEpVpc)}},
		{name: "endpoint and path of another store", code: "XksProxyUriInUseException",
			in: kms.UpdateCustomKeyStoreInput{CustomKeyStoreId: aws.String(ktXksOff), XksProxyUriEndpoint: aws.String(ktEpOn)}},
		{name: "proxy unreachable", code: "XksProxyUriUnreachableException",
			prep: func(t *testing.T, srv *kmstest.Server) {
				require.NoError(t, srv.SetXksProxy(kmstest.XksProxy{UriEndpoint: ktEpOn, Unreachable: true}))
			},
			in: kms.UpdateCustomKeyStoreInput{CustomKeyStoreId: aws.String(ktXksOn), XksProxyUriPath: aws.String(ktPathPrefx)}},
		{name: "proxy serves another path", code: "XksProxyUriUnreachableException",
			prep: func(t *testing.T, srv *kmstest.Server) {
				require.NoError(t, srv.SetXksProxy(kmstest.XksProxy{UriEndpoint: ktEpOn, UriPath: ktPathBare}))
			},
			in: kms.UpdateCustomKeyStoreInput{CustomKeyStoreId: aws.String(ktXksOn), XksProxyUriPath: aws.String(ktPathPrefx)}},
		{name: "service of another store", code: "XksProxyVpcEndpointServiceInUseException",
			in: kms.UpdateCustomKeyStoreInput{CustomKeyStoreId: aws.String(ktXksVpc2), XksProxyVpcEndpointServiceName: aws.String(ktSvcOwned)}},
		{name: "service misconfigured", code: "XksProxyVpcEndpointServiceInvalidConfigurationException",
			in: kms.UpdateCustomKeyStoreInput{CustomKeyStoreId: aws.String(ktXksVpc2), XksProxyVpcEndpointServiceName: aws.String(ktSvcBad)}},
		{name: "service unknown", code: "XksProxyVpcEndpointServiceNotFoundException",
			in: kms.UpdateCustomKeyStoreInput{CustomKeyStoreId: aws.String(ktXksVpc2), XksProxyVpcEndpointServiceName: aws.String(ktSvcMissing)}},
		{name: "service owned by someone else", code: "XksProxyVpcEndpointServiceNotFoundException",
			in: kms.UpdateCustomKeyStoreInput{CustomKeyStoreId: aws.String(ktXksVpc), XksProxyVpcEndpointServiceOwner: aws.String(ktOtherOwner)}},
	}

	// Every documented exception has a scenario.
	var covered []string
	for _, tc := range tests {
		if !slices.Contains(covered, tc.code) {
			covered = append(covered, tc.code)
		}
	}
	slices.Sort(covered)
	require.Equal(t, kmstest.DocumentedCodes(), covered)
	for _, c := range kmstest.DocumentedCodes() {
		require.NotNil(t, ktDocumented[c], c)
	}

	for _, tc := range tests {
		t.Run(tc.code+"/"+tc.name, func(t *testing.T) {
			srv := ktWorld(t)
			if tc.prep != nil {
				tc.prep(t, srv)
			}
			client := ktClient(srv, nil)
			before := srv.Stores()

			var optFns []func(*kms.Options)
			if tc.noValidation {
				_, err := client.UpdateCustomKeyStore(context.Background(), &tc.in)
				var ve *kms.ValidationError
				require.ErrorAs(t, err, &ve, "the scenario claims our client rejects this input offline")
				require.Empty(t, srv.Calls(), "a rejected input must not be sent")
				optFns = append(optFns, ktNoValidation)
			} else {
				require.NoError(t, tc.in.Validate(), "the input must pass our client's validation")
			}

			out, err := client.UpdateCustomKeyStore(context.Background(), &tc.in, optFns...)
			assert.Nil(t, out)
			wantStatus := kmsmodel.StatusFor(tc.code)
			ktAssertOnlyCode(t, err, tc.code, wantStatus)

			calls := srv.Calls()
			require.Len(t, calls, 1, "exactly one request, no retry")
			assert.Equal(t, kmstest.TargetUpdateCustomKeyStore, calls[0].Target)
			assert.Equal(t, tc.code, calls[0].Code)
			assert.Equal(t, wantStatus, calls[0].Status)
			var apiErr *kms.APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, calls[0].RequestID, apiErr.RequestID)
			assert.Equal(t, calls[0].Message, apiErr.Message)
			assert.Zero(t, srv.PendingFaults())

			assert.Equal(t, before, srv.Stores(), "a failed update changes no store")
		})
	}
}

func TestKmstestScenarioInvalidStateAdvice(t *testing.T) {
	tests := []struct {
		name    string
		prep    func(t *testing.T, srv *kmstest.Server)
		in      kms.UpdateCustomKeyStoreInput
		mention []string
		absent  []string
	}{
		{name: "CloudHSM password and cluster while CONNECTED",
			in: kms.UpdateCustomKeyStoreInput{CustomKeyStoreId: aws.String(ktHsmOn),
				KeyStorePassword: aws.String(ktNewPassword), CloudHsmClusterId: aws.String(ktClHsmOn)},
			mention: []string{"DisconnectCustomKeyStore", "ConnectCustomKeyStore", "KeyStorePassword", "CloudHsmClusterId", "DISCONNECTED"},
			absent:  []string{ktNewPassword}},
		{name: "external endpoint and owner while CONNECTED",
			in: kms.UpdateCustomKeyStoreInput{CustomKeyStoreId: aws.String(ktXksOn),
				XksProxyUriEndpoint: aws.String("https://xks-new.example.com"), XksProxyVpcEndpointServiceOwner: aws.String(ktOwner)},
			mention: []string{"DisconnectCustomKeyStore", "ConnectCustomKeyStore", "XksProxyUriEndpoint", "XksProxyVpcEndpointServiceOwner"}},
		{name: "rename while CONNECTING",
			prep: func(t *testing.T, srv *kmstest.Server) {
				require.NoError(t, srv.SetConnectionState(ktHsmOff, kmstest.StateConnecting))
			},
			in:      kms.UpdateCustomKeyStoreInput{CustomKeyStoreId: aws.String(ktHsmOff), NewCustomKeyStoreName: aws.String("brand-new-name")},
			mention: []string{"CONNECTING", "DescribeCustomKeyStores", "NewCustomKeyStoreName"},
			absent:  []string{"call DisconnectCustomKeyStore, then UpdateCustomKeyStore"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv := ktWorld(t)
			if tc.prep != nil {
				tc.prep(t, srv)
			}
			before := srv.Stores()
			_, err := ktClient(srv, nil).UpdateCustomKeyStore(context.Background(), &tc.in)
			ktAssertOnlyCode(t, err, "CustomKeyStoreInvalidStateException", http.StatusBadRequest)
			var apiErr *kms.APIError
			require.ErrorAs(t, err, &apiErr)
			msg := err.Error()
			assert.Contains(t, msg, apiErr.Message, "the advice extends the service's message")
			assert.NotContains(t, apiErr.Message, "DisconnectCustomKeyStore", "the advice is the client's, not the fake's")
			for _, s := range tc.mention {
				assert.Contains(t, msg, s)
			}
			for _, s := range tc.absent {
				assert.NotContains(t, msg, s)
			}
			assert.Equal(t, before, srv.Stores())
		})
	}
}

func TestKmstestScenarioSigV4(t *testing.T) {
	const (
		akid   = "AKIAKMSTESTSIGVFOUR2"
		secret = "sigv4/Secret+Key0123456789abcdefghijklmnopq"
		tokAK  = "ASIAKMSTESTSESSION34"
		tokSK  = "session/Secret+Key9876543210zyxwvutsrqponml"
		token  = "FwoGZXIvYXdzEBYaDH+token/with=chars"
	)
	tests := []struct {
		name   string
		creds  aws.CredentialsProvider
		region string
		code   string // "" for success
	}{
		{name: "right credentials", creds: ktCreds(akid, secret, "")},
		{name: "right session credentials", creds: ktCreds(tokAK, tokSK, token)},
		{name: "wrong secret", creds: ktCreds(akid, secret+"x", ""), code: "InvalidSignatureException"},
		{name: "unknown access key", creds: ktCreds("AKIAUNKNOWNACCESSKEY", secret, ""), code: "UnrecognizedClientException"},
		{name: "missing session token", creds: ktCreds(tokAK, tokSK, ""), code: "UnrecognizedClientException"},
		{name: "wrong session token", creds: ktCreds(tokAK, tokSK, token+"x"), code: "UnrecognizedClientException"},
		{name: "wrong Region scope", creds: ktCreds(akid, secret, ""), region: "eu-west-1", code: "InvalidSignatureException"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv := ktWorld(t,
				kmstest.WithSigV4(
					kmstest.Credential{AccessKeyId: akid, SecretAccessKey: secret},
					kmstest.Credential{AccessKeyId: tokAK, SecretAccessKey: tokSK, SessionToken: token}),
				kmstest.WithRegion("us-east-1"))
			var optFns []func(*kms.Options)
			if tc.region != "" {
				optFns = append(optFns, func(o *kms.Options) { o.Region = tc.region })
			}
			client := ktClient(srv, tc.creds, optFns...)
			before := srv.Stores()
			in := &kms.UpdateCustomKeyStoreInput{CustomKeyStoreId: aws.String(ktHsmOn), NewCustomKeyStoreName: aws.String("signed-rename")}

			out, err := client.UpdateCustomKeyStore(context.Background(), in)
			calls := srv.Calls()
			require.Len(t, calls, 1, "exactly one request")
			if tc.code == "" {
				require.NoError(t, err)
				require.NotNil(t, out)
				assert.Equal(t, calls[0].RequestID, out.RequestID)
				want := before[slices.IndexFunc(before, func(s kmstest.Store) bool { return s.CustomKeyStoreId == ktHsmOn })]
				want.CustomKeyStoreName = "signed-rename"
				got, ok := srv.Store(ktHsmOn)
				require.True(t, ok)
				assert.Equal(t, want, got)
				return
			}
			ktAssertOnlyCode(t, err, tc.code, http.StatusBadRequest)
			assert.Equal(t, tc.code, calls[0].Code)
			assert.Equal(t, before, srv.Stores())
		})
	}
}

// TestKmstestScenarioErrorsAreDistinct guards the table above: a scenario
// whose error matched several Err values would prove nothing.
func TestKmstestScenarioErrorsAreDistinct(t *testing.T) {
	for code, target := range ktDocumented {
		err := error(&kms.APIError{Code: code, StatusCode: http.StatusBadRequest})
		for other, otherTarget := range ktDocumented {
			assert.Equal(t, code == other, errors.Is(err, otherTarget), "%s vs %s", code, other)
		}
		assert.Equal(t, "kms: "+code, target.Error())
	}
}
