package kmstest_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/kmskit/kms"
	"github.com/kmskit/kms/internal/kmsmodel"
	"github.com/kmskit/kms/kmstest"
)

// The differential test drives the client's offline checks
// (kms.UpdateCustomKeyStoreInput.Validate) and the fake's request checks
// with the same generated inputs. Wherever they disagree, the case must be
// one of deliberateDifferences; anything else fails the test.

// verdict is how one side judged an input.
type verdict int

const (
	accepted  verdict = iota // Validate: nil; fake: 200
	rejected                 // Validate: *ValidationError; fake: an input error
	undecided                // fake only: the world answered first (unknown store, state, uniqueness, ...)
)

func (v verdict) String() string { return [...]string{"accepted", "rejected", "undecided"}[v] }

// diffCase is one input with both judgements.
type diffCase struct {
	in        *kms.UpdateCustomKeyStoreInput
	store     kmstest.Store // the target store as seeded (zero for an unknown ID)
	client    verdict
	clientErr error
	fake      verdict
	fakeErr   *kms.APIError
}

// deliberateDifference is a class of inputs on which Validate and the fake
// deliberately disagree.
type deliberateDifference struct {
	name   string
	reason string
	// covers reports whether the disagreement in c is of this class.
	covers func(c diffCase) bool
	// example is an input (sent to example's store) that shows it.
	example  func() (*kms.UpdateCustomKeyStoreInput, string)
	expected [2]verdict // client, fake on the example
}

// deliberateDifferences is the one table of deliberate differences between
// the client's offline validation and the fake's request checks.
var deliberateDifferences = []deliberateDifference{
	{
		name: "members of the other store type",
		reason: "The store's CustomKeyStoreType is known only to KMS (and the fake): Validate cannot tell that " +
			"KeyStorePassword goes to an external key store or XksProxyUriPath to a CloudHSM key store. " +
			"It rejects only updates that mix both kinds, which fit no store.",
		covers: func(c diffCase) bool {
			return c.client == accepted && c.fake == rejected && c.fakeErr.Code == kmstest.CodeValidation &&
				strings.Contains(c.fakeErr.Message, "cannot be used with a custom key store whose CustomKeyStoreType is")
		},
		example: func() (*kms.UpdateCustomKeyStoreInput, string) {
			return &kms.UpdateCustomKeyStoreInput{KeyStorePassword: aws.String("kmsuser-pass-9")}, xksPublicDisc
		},
		expected: [2]verdict{accepted, rejected},
	},
	{
		name: "rules that depend on the store's current XksProxyConnectivity",
		reason: "The documentation asks for a new XksProxyUriEndpoint (and, for VPC_ENDPOINT_SERVICE, a service name) " +
			"only when an update CHANGES XksProxyConnectivity, and allows a VPC endpoint service name or owner only " +
			"on a store that ends up VPC_ENDPOINT_SERVICE. Whether a request changes the connectivity, and what a " +
			"store without XksProxyConnectivity in the request ends up with, depends on the store's current " +
			"connectivity, which only KMS sees. So Validate accepts XksProxyConnectivity PUBLIC_ENDPOINT alone " +
			"(no change for a PUBLIC_ENDPOINT store, accepted by KMS and the fake), and the fake rejects it for a " +
			"VPC_ENDPOINT_SERVICE store with XksProxyInvalidConfigurationException.",
		covers: func(c diffCase) bool {
			return c.client == accepted && c.fake == rejected && c.fakeErr.Code == kmstest.CodeXksProxyInvalidConfiguration
		},
		example: func() (*kms.UpdateCustomKeyStoreInput, string) {
			return &kms.UpdateCustomKeyStoreInput{XksProxyConnectivity: kms.XksProxyConnectivityTypePublicEndpoint}, xksVpc
		},
		expected: [2]verdict{accepted, rejected},
	},
	{
		name: "XksProxyConnectivity values the client does not know",
		reason: "Like every AWS SDK, the client forwards an enum value it does not know, so that a value AWS adds " +
			"works without a library release; the fake, like today's KMS, knows only PUBLIC_ENDPOINT and " +
			"VPC_ENDPOINT_SERVICE and answers ValidationException. (A known value in the wrong case, such as " +
			"public_endpoint, is rejected by both.)",
		covers: func(c diffCase) bool {
			conn := string(c.in.XksProxyConnectivity)
			_, folds := updateConnectivity.EnumFold(conn)
			return c.client == accepted && c.fake == rejected && c.fakeErr.Code == kmstest.CodeValidation &&
				conn != "" && !folds && strings.Contains(c.fakeErr.Message, "xksProxyConnectivity")
		},
		example: func() (*kms.UpdateCustomKeyStoreInput, string) {
			return &kms.UpdateCustomKeyStoreInput{XksProxyConnectivity: "PRIVATE_LINK"}, xksPublicDisc
		},
		expected: [2]verdict{accepted, rejected},
	},
	{
		name: "invalid UTF-8",
		reason: "JSON carries only valid UTF-8: sent anyway, each invalid byte arrives as U+FFFD, a different value " +
			"that the server judges (and may accept). Validate refuses to change a value silently; the fake never " +
			"sees the original bytes.",
		covers: func(c diffCase) bool {
			if c.client != rejected || c.fake == rejected {
				return false
			}
			var ve *kms.ValidationError
			if !errors.As(c.clientErr, &ve) {
				return false
			}
			for _, p := range ve.Problems() {
				if !strings.Contains(p.Reason, "not valid UTF-8") {
					return false
				}
			}
			return true
		},
		example: func() (*kms.UpdateCustomKeyStoreInput, string) {
			return &kms.UpdateCustomKeyStoreInput{NewCustomKeyStoreName: aws.String("name-\xff")}, xksPublicDisc
		},
		expected: [2]verdict{rejected, accepted},
	},
}

// testCredentials sign the differential test's requests; the fake does not
// verify them.
var testCredentials = aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
	return aws.Credentials{AccessKeyID: "AKIDEXAMPLE", SecretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", Source: "test"}, nil
})

var updateConnectivity = kmsmodel.UpdateCustomKeyStoreInput.MustMember("XksProxyConnectivity")

// inProcess sends requests straight to a Fake's handler.
type inProcess struct{ h http.Handler }

func (p inProcess) Do(r *http.Request) (*http.Response, error) {
	rec := httptest.NewRecorder()
	p.h.ServeHTTP(rec, r)
	return rec.Result(), nil
}

// judge runs in against Validate and against a fresh fake seeded with the
// world, sending it to the store id.
func judge(t testing.TB, world kmstest.Seed, in *kms.UpdateCustomKeyStoreInput, id string) diffCase {
	in.CustomKeyStoreId = aws.String(id)
	c := diffCase{in: in, client: accepted, clientErr: in.Validate()}
	if c.clientErr != nil {
		c.client = rejected
	}
	for _, s := range world.Stores {
		if s.CustomKeyStoreId == id {
			c.store = s
		}
	}

	fake := kmstest.NewFake()
	if err := fake.Load(world); err != nil {
		t.Fatal(err)
	}
	client := kms.New(kms.Options{
		Region:                  "us-east-1",
		Credentials:             testCredentials,
		BaseEndpoint:            aws.String("http://kmstest.invalid"),
		HTTPClient:              inProcess{fake},
		RetryMaxAttempts:        1,
		DisableClientValidation: true,
	})
	_, err := client.UpdateCustomKeyStore(context.Background(), in)
	var apiErr *kms.APIError
	switch {
	case err == nil:
		c.fake = accepted
	case errors.As(err, &apiErr):
		c.fakeErr = apiErr
		c.fake = undecided
		if apiErr.Code == kmstest.CodeValidation || apiErr.Code == kmstest.CodeXksProxyInvalidConfiguration {
			c.fake = rejected
		}
	default:
		t.Fatalf("no answer from the fake: %v", err)
	}
	return c
}

// explain returns the deliberate differences that cover c, or fails when c
// is a disagreement that none covers.
func explain(t testing.TB, c diffCase) []string {
	t.Helper()
	if c.fake == undecided || c.client == c.fake {
		return nil
	}
	var names []string
	for _, d := range deliberateDifferences {
		if d.covers(c) {
			names = append(names, d.name)
		}
	}
	if len(names) == 0 {
		t.Fatalf("Validate %s and the fake %s, and no deliberate difference covers it:\ninput %+v\nclient: %v\nfake: %v",
			c.client, c.fake, c.in, c.clientErr, c.fakeErr)
	}
	return names
}

// fuzzStores are the stores the fuzzer targets, by the byte it picks.
var fuzzStores = []string{hsmDisconnected, xksVpc, xksPublicDisc, hsmConnected, xksPublic, "cks-notseeded0000001"}

// Bits of the fuzz mask: which members are sent.
const (
	dfCluster = 1 << iota
	dfPassword
	dfName
	dfCred
	dfAKID
	dfSecret
	dfEndpoint
	dfPath
	dfSvc
	dfOwner
)

// FuzzValidateAgainstFake is the differential test: Validate and the fake
// judge the same generated UpdateCustomKeyStore inputs, and every
// disagreement must be a deliberate difference.
func FuzzValidateAgainstFake(f *testing.F) {
	const (
		svc   = "com.amazonaws.vpce.us-east-1.vpce-svc-0fedcba987654321a"
		vpcEp = "https://new-private.example.com"
	)
	add := func(store byte, mask uint16, cluster, password, name, akid, secret, conn, endpoint, path, svcName, owner string) {
		f.Add(store, mask, cluster, password, name, akid, secret, conn, endpoint, path, svcName, owner)
	}
	// PUBLIC_ENDPOINT alone, to each external store (the case issue 10 asks about).
	add(1, 0, "", "", "", "", "", "PUBLIC_ENDPOINT", "", "", "", "")
	add(2, 0, "", "", "", "", "", "PUBLIC_ENDPOINT", "", "", "", "")
	add(1, 0, "", "", "", "", "", "VPC_ENDPOINT_SERVICE", "", "", "", "")
	add(2, dfEndpoint|dfSvc, "", "", "", "", "", "VPC_ENDPOINT_SERVICE", vpcEp, "", svc, "")
	add(1, dfEndpoint|dfSvc, "", "", "", "", "", "PUBLIC_ENDPOINT", "https://new-public.example.com", "", "", "")
	add(2, dfSvc|dfOwner, "", "", "", "", "", "PUBLIC_ENDPOINT", "", "", svc, "111122223333")
	add(2, dfSvc, "", "", "", "", "", "", "", "", svc, "")
	add(2, 0, "", "", "", "", "", "public_endpoint", "", "", "", "")
	add(2, 0, "", "", "", "", "", "PRIVATE_LINK", "", "", "", "")
	add(0, dfCluster|dfPassword, "", "cluster-related234ab", "new-password", "", "", "", "", "", "", "")
	add(0, dfPassword|dfPath, "", "", "new-password", "", "", "", "", "/kms/xks/v2", "", "")
	add(2, dfPassword, "", "", "new-password", "", "", "", "", "", "", "")
	add(0, dfPath, "", "", "", "", "", "", "", "/kms/xks/v2", "", "")
	add(2, dfCred|dfAKID|dfSecret, "", "", "", "AKIAXKSPROXY234567CD", "newSECRETnewSECRETnewSECRETnewSECRET1234567", "", "", "", "", "")
	add(2, dfCred|dfAKID, "", "", "", "abc", "", "", "", "", "", "")
	add(2, dfName, "", "", "name-\xff", "", "", "", "", "", "", "")
	add(4, dfPath, "", "", "", "", "", "", "", "/v2/kms/xks/v1", "", "")
	add(5, dfName, "", "", "renamed", "", "", "", "", "", "", "")
	add(2, dfEndpoint|dfPath|dfOwner, "", "", "", "", "", "", "https://x", "bad", "", "1234")

	world := worldSeed()
	f.Fuzz(func(t *testing.T, store byte, mask uint16, cluster, password, name, akid, secret, conn, endpoint, path, svcName, owner string) {
		opt := func(bit uint16, s string) *string {
			if mask&bit == 0 {
				return nil
			}
			return &s
		}
		in := &kms.UpdateCustomKeyStoreInput{
			CloudHsmClusterId:               opt(dfCluster, cluster),
			KeyStorePassword:                opt(dfPassword, password),
			NewCustomKeyStoreName:           opt(dfName, name),
			XksProxyConnectivity:            kms.XksProxyConnectivityType(conn),
			XksProxyUriEndpoint:             opt(dfEndpoint, endpoint),
			XksProxyUriPath:                 opt(dfPath, path),
			XksProxyVpcEndpointServiceName:  opt(dfSvc, svcName),
			XksProxyVpcEndpointServiceOwner: opt(dfOwner, owner),
		}
		if mask&dfCred != 0 {
			in.XksProxyAuthenticationCredential = &kms.XksProxyAuthenticationCredentialType{
				AccessKeyId: opt(dfAKID, akid), RawSecretAccessKey: opt(dfSecret, secret),
			}
		}
		explain(t, judge(t, world, in, fuzzStores[int(store)%len(fuzzStores)]))
	})
}

// TestDeliberateDifferencesAreReal checks each row of the table on its
// example: the two sides disagree as stated, and exactly that row covers
// it.
func TestDeliberateDifferencesAreReal(t *testing.T) {
	world := worldSeed()
	for _, d := range deliberateDifferences {
		t.Run(d.name, func(t *testing.T) {
			in, id := d.example()
			c := judge(t, world, in, id)
			if c.client != d.expected[0] || c.fake != d.expected[1] {
				t.Fatalf("client %s (%v), fake %s (%v); want %s and %s", c.client, c.clientErr, c.fake, c.fakeErr, d.expected[0], d.expected[1])
			}
			if got := explain(t, c); len(got) != 1 || got[0] != d.name {
				t.Fatalf("covered by %q, want only %q", got, d.name)
			}
		})
	}
}

// TestPublicEndpointAloneIsNoChange resolves the case issue 10 names: an
// update with only XksProxyConnectivity PUBLIC_ENDPOINT. The documentation
// asks for a new endpoint only when the update changes the connectivity, so
// KMS accepts it for a store that is already PUBLIC_ENDPOINT: Validate
// accepts it (it cannot see the store), the fake accepts it for a
// PUBLIC_ENDPOINT store and rejects it for a VPC_ENDPOINT_SERVICE store.
func TestPublicEndpointAloneIsNoChange(t *testing.T) {
	world := worldSeed()
	alone := func() *kms.UpdateCustomKeyStoreInput {
		return &kms.UpdateCustomKeyStoreInput{XksProxyConnectivity: kms.XksProxyConnectivityTypePublicEndpoint}
	}
	same := judge(t, world, alone(), xksPublicDisc)
	if same.client != accepted || same.fake != accepted {
		t.Fatalf("PUBLIC_ENDPOINT store: client %s (%v), fake %s (%v); want both accepted", same.client, same.clientErr, same.fake, same.fakeErr)
	}
	switching := judge(t, world, alone(), xksVpc)
	if switching.client != accepted || switching.fake != rejected || switching.fakeErr.Code != kmstest.CodeXksProxyInvalidConfiguration {
		t.Fatalf("VPC_ENDPOINT_SERVICE store: client %s, fake %s (%v); want accepted and XksProxyInvalidConfigurationException",
			switching.client, switching.fake, switching.fakeErr)
	}
}
