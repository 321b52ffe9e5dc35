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

// This file and client_success_test.go and client_concurrency_test.go drive
// the public fake kmstest with this module's own client: every request goes
// through kms.Client (offline validation, encoding, signing, error decoding)
// and every rule is the fake's own, seeded through its public API.

// Names in the world that newWorld seeds (testdata/world.json). Every value satisfies the KMS model (and so
// our client's offline validation) unless a test says otherwise.
const (
	scenarioHsmDisconnected     = "cks-0000000000000hsm1" // AWS_CLOUDHSM, DISCONNECTED, cluster scenarioClusterOriginal
	scenarioHsmConnected        = "cks-0000000000000hsm2" // AWS_CLOUDHSM, CONNECTED
	scenarioXksConnected        = "cks-0000000000000xks1" // EXTERNAL, PUBLIC_ENDPOINT, CONNECTED, proxy seeded
	scenarioXksDisconnected     = "cks-0000000000000xks2" // EXTERNAL, PUBLIC_ENDPOINT, DISCONNECTED
	scenarioXksVpc              = "cks-0000000000000xks3" // EXTERNAL, VPC_ENDPOINT_SERVICE, DISCONNECTED, scenarioServiceOwned
	scenarioXksVpc2             = "cks-0000000000000xks4" // EXTERNAL, VPC_ENDPOINT_SERVICE, DISCONNECTED, scenarioServiceAnyOwner
	scenarioUnknownStoreID      = "cks-fffffffffffffffff"
	scenarioHsmDisconnectedName = "hsm-disconnected"
	scenarioHsmConnectedName    = "hsm-connected"
	scenarioXksConnectedName    = "xks-public-connected"
	scenarioXksDisconnectedName = "xks-public-disconnected"
	scenarioXksVpcName          = "xks-vpc-a"
	scenarioXksVpc2Name         = "xks-vpc-b"

	// Clusters: the first four share scenarioClusterOriginal's backup lineage.
	scenarioClusterOriginal         = "cluster-origlineagea2"
	scenarioClusterRelated          = "cluster-relatedgoodb3"
	scenarioClusterInactive         = "cluster-relatedidlec4"
	scenarioClusterBadConfiguration = "cluster-relatedbadcfg"
	scenarioClusterOtherLineage     = "cluster-otherlineagee"
	scenarioClusterMissing          = "cluster-notseededclus"
	scenarioClusterOfConnectedStore = "cluster-secondstoreff"

	scenarioInitialPassword = "Initial-pw-1"
	scenarioRotatedPassword = "Rotated-pw-2"

	scenarioEndpointConnected    = "https://xks-on.example.com"
	scenarioEndpointDisconnected = "https://xks-off.example.com"
	scenarioEndpointVpc          = "https://vpce-a.example.com"
	scenarioEndpointVpc2         = "https://vpce-b.example.com"
	scenarioPathWithoutPrefix    = "/kms/xks/v1"
	scenarioPathWithPrefix       = "/prefix/kms/xks/v1"

	// scenarioServiceOwned belongs to scenarioServiceOwner, scenarioServiceAnyOwner to no owner in
	// particular; scenarioServiceFree is seeded and unused; scenarioServiceBadConfiguration is misconfigured;
	// scenarioServiceMissing is not seeded.
	scenarioServiceOwned            = "com.amazonaws.vpce.us-east-1.vpce-svc-0abc123def4567890"
	scenarioServiceAnyOwner         = "com.amazonaws.vpce.us-east-1.vpce-svc-0bbb222ccc3334445"
	scenarioServiceFree             = "com.amazonaws.vpce.us-east-1.vpce-svc-0fee111fee2223334"
	scenarioServiceBadConfiguration = "com.amazonaws.vpce.us-east-1.vpce-svc-0bad000bad1112223"
	scenarioServiceMissing          = "com.amazonaws.vpce.us-east-1.vpce-svc-0404404404404404a"
	scenarioServiceOwner            = "111122223333"
	scenarioOtherServiceOwner       = "444455556666"

	// The credential the proxy of scenarioXksConnected accepts, and another one.
	scenarioAccessKeyID1 = "XKSPROXYACCESSKEYONE2"
	scenarioSecret1      = "Secret1/abcdefghijklmnopqrstuvwxyz0123456789+="
	scenarioAccessKeyID2 = "XKSPROXYACCESSKEYTWO3"
	scenarioSecret2      = "Secret2/ZYXWVUTSRQPONMLKJIHGFEDCBA9876543210+="
)

// scenarioCredentials signs as the fixed test identity; without SigV4 verification the
// fake accepts any signature.
func scenarioCredentials(akid, secret, token string) aws.CredentialsProvider {
	return aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
		return aws.Credentials{AccessKeyID: akid, SecretAccessKey: secret, SessionToken: token, Source: "kmstest"}, nil
	})
}

// scenarioClient returns our client pointed at srv, with retries off so that each
// call is exactly one request.
func scenarioClient(srv *kmstest.Server, creds aws.CredentialsProvider, optFns ...func(*kms.Options)) *kms.Client {
	if creds == nil {
		creds = scenarioCredentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "")
	}
	return kms.New(kms.Options{
		Region:           "us-east-1",
		Credentials:      creds,
		BaseEndpoint:     aws.String(srv.URL),
		HTTPClient:       srv.Client(),
		RetryMaxAttempts: 1,
	}, optFns...)
}

// noClientValidation is the per-call option that turns off our client's offline
// validation, for requests only the server should judge.
func noClientValidation(o *kms.Options) { o.DisableClientValidation = true }

// documentedScenarios maps each documented code (internal/kmsmodel) to our Err
// value for it.
var documentedScenarios = func() map[string]error {
	out := map[string]error{}
	for _, e := range kmsmodel.Exceptions {
		out[e.Code] = kms.ErrorForCode(e.Code)
	}
	return out
}()

// assertOnlyCode asserts that err is an *kms.APIError with code and
// status, and that errors.Is matches the Err value of code and no other
// documented one (none at all when code is not documented).
func assertOnlyCode(t *testing.T, err error, code string, status int) {
	t.Helper()
	require.Error(t, err)
	var apiErr *kms.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, code, apiErr.Code)
	assert.Equal(t, status, apiErr.StatusCode)
	assert.NotEmpty(t, apiErr.RequestID)
	for c, target := range documentedScenarios {
		if c == code {
			assert.ErrorIs(t, err, target, "errors.Is(err, Err for %s)", c)
		} else {
			assert.NotErrorIs(t, err, target, "errors.Is(err, Err for %s) for a %s", c, code)
		}
	}
}

// scenarioCredential returns a credential member.
func scenarioCredential(akid, secret string) *kms.XksProxyAuthenticationCredentialType {
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
			in: kms.UpdateCustomKeyStoreInput{CustomKeyStoreId: aws.String(scenarioHsmDisconnected), CloudHsmClusterId: aws.String(scenarioClusterBadConfiguration)}},
		{name: "cluster not active", code: "CloudHsmClusterNotActiveException",
			in: kms.UpdateCustomKeyStoreInput{CustomKeyStoreId: aws.String(scenarioHsmDisconnected), CloudHsmClusterId: aws.String(scenarioClusterInactive)}},
		{name: "cluster unknown", code: "CloudHsmClusterNotFoundException",
			in: kms.UpdateCustomKeyStoreInput{CustomKeyStoreId: aws.String(scenarioHsmDisconnected), CloudHsmClusterId: aws.String(scenarioClusterMissing)}},
		{name: "cluster of another lineage", code: "CloudHsmClusterNotRelatedException",
			in: kms.UpdateCustomKeyStoreInput{CustomKeyStoreId: aws.String(scenarioHsmDisconnected), CloudHsmClusterId: aws.String(scenarioClusterOtherLineage)}},
		{name: "password on CONNECTED CloudHSM store", code: "CustomKeyStoreInvalidStateException",
			in: kms.UpdateCustomKeyStoreInput{CustomKeyStoreId: aws.String(scenarioHsmConnected), KeyStorePassword: aws.String(scenarioRotatedPassword)}},
		{name: "endpoint on CONNECTED external store", code: "CustomKeyStoreInvalidStateException",
			in: kms.UpdateCustomKeyStoreInput{CustomKeyStoreId: aws.String(scenarioXksConnected), XksProxyUriEndpoint: aws.String("https://xks-new.example.com")}},
		{name: "rename a FAILED store", code: "CustomKeyStoreInvalidStateException",
			prep: func(t *testing.T, srv *kmstest.Server) {
				require.NoError(t, srv.SetConnectionState(scenarioXksDisconnected, kmstest.StateFailed))
			},
			in: kms.UpdateCustomKeyStoreInput{CustomKeyStoreId: aws.String(scenarioXksDisconnected), NewCustomKeyStoreName: aws.String("brand-new-name")}},
		{name: "rename to another store's name", code: "CustomKeyStoreNameInUseException",
			in: kms.UpdateCustomKeyStoreInput{CustomKeyStoreId: aws.String(scenarioHsmDisconnected), NewCustomKeyStoreName: aws.String(scenarioXksVpcName)}},
		{name: "unknown store", code: "CustomKeyStoreNotFoundException",
			in: kms.UpdateCustomKeyStoreInput{CustomKeyStoreId: aws.String(scenarioUnknownStoreID), NewCustomKeyStoreName: aws.String("brand-new-name")}},
		{name: "injected internal error", code: "KMSInternalException",
			prep: func(_ *testing.T, srv *kmstest.Server) {
				srv.FailNext(1, kmstest.Fault{Code: kmstest.CodeKMSInternal})
			},
			in: kms.UpdateCustomKeyStoreInput{CustomKeyStoreId: aws.String(scenarioHsmDisconnected), NewCustomKeyStoreName: aws.String("brand-new-name")}},
		{name: "credential the proxy rejects", code: "XksProxyIncorrectAuthenticationCredentialException",
			in: kms.UpdateCustomKeyStoreInput{CustomKeyStoreId: aws.String(scenarioXksConnected), XksProxyAuthenticationCredential: scenarioCredential(scenarioAccessKeyID2, scenarioSecret2)}},
		{name: "switch to VPC keeping the endpoint", code: "XksProxyInvalidConfigurationException",
			in: kms.UpdateCustomKeyStoreInput{CustomKeyStoreId: aws.String(scenarioXksDisconnected),
				XksProxyConnectivity: kms.XksProxyConnectivityTypeVpcEndpointService, XksProxyUriEndpoint: aws.String(scenarioEndpointDisconnected),
				XksProxyVpcEndpointServiceName: aws.String(scenarioServiceFree)}},
		{name: "service name for a PUBLIC store", code: "XksProxyInvalidConfigurationException",
			in: kms.UpdateCustomKeyStoreInput{CustomKeyStoreId: aws.String(scenarioXksDisconnected), XksProxyVpcEndpointServiceName: aws.String(scenarioServiceFree)}},
		// Our client rejects a non-empty service name with PUBLIC_ENDPOINT
		// offline, so this one needs DisableClientValidation.
		{name: "switch to PUBLIC with a service name", code: "XksProxyInvalidConfigurationException", noValidation: true,
			in: kms.UpdateCustomKeyStoreInput{CustomKeyStoreId: aws.String(scenarioXksVpc),
				XksProxyConnectivity: kms.XksProxyConnectivityTypePublicEndpoint, XksProxyUriEndpoint: aws.String("https://xks-new.example.com"),
				XksProxyVpcEndpointServiceName: aws.String(scenarioServiceOwned)}},
		{name: "proxy answers badly", code: "XksProxyInvalidResponseException",
			prep: func(t *testing.T, srv *kmstest.Server) {
				require.NoError(t, srv.SetXksProxy(kmstest.XksProxy{UriEndpoint: scenarioEndpointConnected, InvalidResponse: true}))
			},
			in: kms.UpdateCustomKeyStoreInput{CustomKeyStoreId: aws.String(scenarioXksConnected), XksProxyUriPath: aws.String(scenarioPathWithPrefix)}},
		{name: "VPC endpoint of another store", code: "XksProxyUriEndpointInUseException",
			// Paths differ (/prefix/kms/xks/v1 vs /kms/xks/v1): only the
			// endpoint collides.
			in: kms.UpdateCustomKeyStoreInput{CustomKeyStoreId: aws.String(scenarioXksVpc2), XksProxyUriEndpoint: aws.String(scenarioEndpointVpc)}},
		{name: "endpoint and path of another store", code: "XksProxyUriInUseException",
			in: kms.UpdateCustomKeyStoreInput{CustomKeyStoreId: aws.String(scenarioXksDisconnected), XksProxyUriEndpoint: aws.String(scenarioEndpointConnected)}},
		{name: "proxy unreachable", code: "XksProxyUriUnreachableException",
			prep: func(t *testing.T, srv *kmstest.Server) {
				require.NoError(t, srv.SetXksProxy(kmstest.XksProxy{UriEndpoint: scenarioEndpointConnected, Unreachable: true}))
			},
			in: kms.UpdateCustomKeyStoreInput{CustomKeyStoreId: aws.String(scenarioXksConnected), XksProxyUriPath: aws.String(scenarioPathWithPrefix)}},
		// The proxy answers InvalidUriPathException, as a routed one does.
		{name: "proxy serves another path", code: "XksProxyInvalidConfigurationException",
			prep: func(t *testing.T, srv *kmstest.Server) {
				require.NoError(t, srv.SetXksProxy(kmstest.XksProxy{UriEndpoint: scenarioEndpointConnected, UriPath: scenarioPathWithoutPrefix}))
			},
			in: kms.UpdateCustomKeyStoreInput{CustomKeyStoreId: aws.String(scenarioXksConnected), XksProxyUriPath: aws.String(scenarioPathWithPrefix)}},
		{name: "service of another store", code: "XksProxyVpcEndpointServiceInUseException",
			in: kms.UpdateCustomKeyStoreInput{CustomKeyStoreId: aws.String(scenarioXksVpc2), XksProxyVpcEndpointServiceName: aws.String(scenarioServiceOwned)}},
		{name: "service misconfigured", code: "XksProxyVpcEndpointServiceInvalidConfigurationException",
			in: kms.UpdateCustomKeyStoreInput{CustomKeyStoreId: aws.String(scenarioXksVpc2), XksProxyVpcEndpointServiceName: aws.String(scenarioServiceBadConfiguration)}},
		{name: "service unknown", code: "XksProxyVpcEndpointServiceNotFoundException",
			in: kms.UpdateCustomKeyStoreInput{CustomKeyStoreId: aws.String(scenarioXksVpc2), XksProxyVpcEndpointServiceName: aws.String(scenarioServiceMissing)}},
		{name: "service owned by someone else", code: "XksProxyVpcEndpointServiceNotFoundException",
			in: kms.UpdateCustomKeyStoreInput{CustomKeyStoreId: aws.String(scenarioXksVpc), XksProxyVpcEndpointServiceOwner: aws.String(scenarioOtherServiceOwner)}},
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
		require.NotNil(t, documentedScenarios[c], c)
	}

	for _, tc := range tests {
		t.Run(tc.code+"/"+tc.name, func(t *testing.T) {
			srv := newWorld(t)
			if tc.prep != nil {
				tc.prep(t, srv)
			}
			client := scenarioClient(srv, nil)
			before := srv.Stores()

			var optFns []func(*kms.Options)
			if tc.noValidation {
				_, err := client.UpdateCustomKeyStore(context.Background(), &tc.in)
				var ve *kms.ValidationError
				require.ErrorAs(t, err, &ve, "the scenario claims our client rejects this input offline")
				require.Empty(t, srv.Calls(), "a rejected input must not be sent")
				optFns = append(optFns, noClientValidation)
			} else {
				require.NoError(t, tc.in.Validate(), "the input must pass our client's validation")
			}

			out, err := client.UpdateCustomKeyStore(context.Background(), &tc.in, optFns...)
			assert.Nil(t, out)
			wantStatus := kmsmodel.StatusFor(tc.code)
			assertOnlyCode(t, err, tc.code, wantStatus)

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
			in: kms.UpdateCustomKeyStoreInput{CustomKeyStoreId: aws.String(scenarioHsmConnected),
				KeyStorePassword: aws.String(scenarioRotatedPassword), CloudHsmClusterId: aws.String(scenarioClusterOfConnectedStore)},
			mention: []string{"DisconnectCustomKeyStore", "ConnectCustomKeyStore", "KeyStorePassword", "CloudHsmClusterId", "DISCONNECTED"},
			absent:  []string{scenarioRotatedPassword}},
		{name: "external endpoint and owner while CONNECTED",
			in: kms.UpdateCustomKeyStoreInput{CustomKeyStoreId: aws.String(scenarioXksConnected),
				XksProxyUriEndpoint: aws.String("https://xks-new.example.com"), XksProxyVpcEndpointServiceOwner: aws.String(scenarioServiceOwner)},
			mention: []string{"DisconnectCustomKeyStore", "ConnectCustomKeyStore", "XksProxyUriEndpoint", "XksProxyVpcEndpointServiceOwner"}},
		{name: "rename while CONNECTING",
			prep: func(t *testing.T, srv *kmstest.Server) {
				require.NoError(t, srv.SetConnectionState(scenarioHsmDisconnected, kmstest.StateConnecting))
			},
			in:      kms.UpdateCustomKeyStoreInput{CustomKeyStoreId: aws.String(scenarioHsmDisconnected), NewCustomKeyStoreName: aws.String("brand-new-name")},
			mention: []string{"CONNECTING", "DescribeCustomKeyStores", "NewCustomKeyStoreName"},
			absent:  []string{"call DisconnectCustomKeyStore, then UpdateCustomKeyStore"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv := newWorld(t)
			if tc.prep != nil {
				tc.prep(t, srv)
			}
			before := srv.Stores()
			_, err := scenarioClient(srv, nil).UpdateCustomKeyStore(context.Background(), &tc.in)
			assertOnlyCode(t, err, "CustomKeyStoreInvalidStateException", http.StatusBadRequest)
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
		{name: "right credentials", creds: scenarioCredentials(akid, secret, "")},
		{name: "right session credentials", creds: scenarioCredentials(tokAK, tokSK, token)},
		{name: "wrong secret", creds: scenarioCredentials(akid, secret+"x", ""), code: "InvalidSignatureException"},
		{name: "unknown access key", creds: scenarioCredentials("AKIAUNKNOWNACCESSKEY", secret, ""), code: "UnrecognizedClientException"},
		{name: "missing session token", creds: scenarioCredentials(tokAK, tokSK, ""), code: "UnrecognizedClientException"},
		{name: "wrong session token", creds: scenarioCredentials(tokAK, tokSK, token+"x"), code: "UnrecognizedClientException"},
		{name: "wrong Region scope", creds: scenarioCredentials(akid, secret, ""), region: "eu-west-1", code: "InvalidSignatureException"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv := newWorld(t,
				kmstest.WithSigV4(
					kmstest.Credential{AccessKeyId: akid, SecretAccessKey: secret},
					kmstest.Credential{AccessKeyId: tokAK, SecretAccessKey: tokSK, SessionToken: token}),
				kmstest.WithRegion("us-east-1"))
			var optFns []func(*kms.Options)
			if tc.region != "" {
				optFns = append(optFns, func(o *kms.Options) { o.Region = tc.region })
			}
			client := scenarioClient(srv, tc.creds, optFns...)
			before := srv.Stores()
			in := &kms.UpdateCustomKeyStoreInput{CustomKeyStoreId: aws.String(scenarioHsmConnected), NewCustomKeyStoreName: aws.String("signed-rename")}

			out, err := client.UpdateCustomKeyStore(context.Background(), in)
			calls := srv.Calls()
			require.Len(t, calls, 1, "exactly one request")
			if tc.code == "" {
				require.NoError(t, err)
				require.NotNil(t, out)
				assert.Equal(t, calls[0].RequestID, out.RequestID)
				want := before[slices.IndexFunc(before, func(s kmstest.Store) bool { return s.CustomKeyStoreId == scenarioHsmConnected })]
				want.CustomKeyStoreName = "signed-rename"
				got, ok := srv.Store(scenarioHsmConnected)
				require.True(t, ok)
				assert.Equal(t, want, got)
				return
			}
			assertOnlyCode(t, err, tc.code, http.StatusBadRequest)
			assert.Equal(t, tc.code, calls[0].Code)
			assert.Equal(t, before, srv.Stores())
		})
	}
}

// TestKmstestScenarioErrorsAreDistinct guards the table above: a scenario
// whose error matched several Err values would prove nothing.
func TestKmstestScenarioErrorsAreDistinct(t *testing.T) {
	for code, target := range documentedScenarios {
		err := error(&kms.APIError{Code: code, StatusCode: http.StatusBadRequest})
		for other, otherTarget := range documentedScenarios {
			assert.Equal(t, code == other, errors.Is(err, otherTarget), "%s vs %s", code, other)
		}
		assert.Equal(t, "kms: "+code, target.Error())
	}
}
