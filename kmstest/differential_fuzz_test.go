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
	"github.com/kmskit/kms/safeupdate"
)

// The differential test drives the client's checks and the fake's request
// checks with the same generated inputs against the same seeded stores. The
// client's side is what a caller gets before anything is sent: the offline
// checks (kms.UpdateCustomKeyStoreInput.Validate), then safeupdate's Plan,
// which reads every store of the account and applies the store-aware rules
// (internal/kmsmodel.CheckUpdate) that the fake reads too. Wherever the two
// disagree, the case must be one of deliberateDifferences; anything else
// fails the test.

// verdict is how one side judged an input.
type verdict int

const (
	accepted  verdict = iota // client: nothing refused; fake: 200
	rejected                 // client: Validate or a store-aware rule of Plan refused; fake: an input or store-aware error
	undecided                // the world answered first: an unknown store (client), the cluster, VPC service or proxy (fake)
)

func (v verdict) String() string { return [...]string{"accepted", "rejected", "undecided"}[v] }

// diffCase is one input with both judgements.
type diffCase struct {
	in        *kms.UpdateCustomKeyStoreInput
	store     kmstest.Store // the target store as seeded (zero for an unknown ID)
	client    verdict
	clientErr error
	// clientCode is the exception a store-aware refusal of Plan predicts
	// (an *safeupdate.InUseError's, or CustomKeyStoreInvalidStateException
	// for a member that needs DISCONNECTED); "" otherwise.
	clientCode string
	fake       verdict
	fakeErr    *kms.APIError
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
// the client's checks and the fake's. (Two rows went when Plan started to
// read the store-aware rules the fake reads: members of the other store
// type, and the rules that depend on the store's current
// XksProxyConnectivity.)
var deliberateDifferences = []deliberateDifference{
	{
		name: "XksProxyConnectivity values the client does not know",
		reason: "Like every AWS SDK, the client forwards an enum value it does not know, so that a value AWS adds " +
			"works without a library release; the fake, like today's KMS, knows only PUBLIC_ENDPOINT and " +
			"VPC_ENDPOINT_SERVICE and answers ValidationException. (A known value in the wrong case, such as " +
			"public_endpoint, is rejected by both.)",
		covers: func(c diffCase) bool {
			conn := string(c.in.XksProxyConnectivity)
			_, folds := updateConnectivity.EnumFold(conn)
			// The client accepts the value; Plan may still refuse the update
			// for a store-aware reason the fake never reaches.
			return (c.client == accepted || c.clientCode != "") && c.fake == rejected && c.fakeErr.Code == kmstest.CodeValidation &&
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

// judge runs in against the client (Validate, then safeupdate's Plan) and
// against a fresh fake seeded with the world, sending it to the store id.
func judge(t testing.TB, world kmstest.Seed, in *kms.UpdateCustomKeyStoreInput, id string) diffCase {
	in.CustomKeyStoreId = aws.String(id)
	c := diffCase{in: in, client: accepted, clientErr: in.Validate()}
	for _, s := range world.Stores {
		if s.CustomKeyStoreId == id {
			c.store = s
		}
	}

	fake := kmstest.NewFake()
	if err := fake.Load(world); err != nil {
		t.Fatal(err)
	}
	newClient := func(validate bool) *kms.Client {
		return kms.New(kms.Options{
			Region:                  "us-east-1",
			Credentials:             testCredentials,
			BaseEndpoint:            aws.String("http://kmstest.invalid"),
			HTTPClient:              inProcess{fake},
			RetryMaxAttempts:        1,
			DisableClientValidation: !validate,
		})
	}
	if c.clientErr != nil {
		c.client = rejected
	} else {
		c.client, c.clientCode, c.clientErr = planVerdict(newClient(true), in)
	}
	_, err := newClient(false).UpdateCustomKeyStore(context.Background(), in)
	var apiErr *kms.APIError
	switch {
	case err == nil:
		c.fake = accepted
	case errors.As(err, &apiErr):
		c.fakeErr = apiErr
		c.fake = undecided
		// XksProxyInvalidConfigurationException is also the proxy's answer
		// (the world's); the connectivity rule's messages name the member.
		proxyAnswer := apiErr.Code == kmstest.CodeXksProxyInvalidConfiguration && !strings.Contains(apiErr.Message, "XksProxyConnectivity")
		if storeRuleCodes[apiErr.Code] && !proxyAnswer {
			c.fake = rejected
		}
	default:
		t.Fatalf("no answer from the fake: %v", err)
	}
	return c
}

// storeRuleCodes are the fake's answers that the input or a store-aware
// rule decides: the verdicts the client must give too.
var storeRuleCodes = map[string]bool{
	kmstest.CodeValidation:                      true,
	kmstest.CodeXksProxyInvalidConfiguration:    true,
	kmstest.CodeCustomKeyStoreInvalidState:      true,
	kmstest.CodeCustomKeyStoreNameInUse:         true,
	kmstest.CodeXksProxyUriInUse:                true,
	kmstest.CodeXksProxyUriEndpointInUse:        true,
	kmstest.CodeXksProxyVpcEndpointServiceInUse: true,
}

// noProxy is the differential test's way to the XKS proxies: none. The
// preflight's prediction is the world's, not a store-aware rule's.
type noProxy struct{}

func (noProxy) Do(*http.Request) (*http.Response, error) {
	return nil, errors.New("the differential test reaches no XKS proxy")
}

// planVerdict is what safeupdate's Plan, which never disconnects here, says
// of in: rejected by a store-aware rule (with the exception it predicts),
// undecided for a store it cannot find, accepted otherwise (the preflight's
// findings are the world's).
func planVerdict(c *kms.Client, in *kms.UpdateCustomKeyStoreInput) (verdict, string, error) {
	_, err := safeupdate.NewUpdater(c).Plan(context.Background(), in, safeupdate.PlanOptions{
		Preflight: safeupdate.PreflightOptions{HTTPClient: noProxy{}}})
	var ve *kms.ValidationError
	var ie *safeupdate.InUseError
	switch {
	case err == nil:
		return accepted, "", nil
	case errors.As(err, &ie):
		return rejected, ie.Code, err
	case errors.Is(err, safeupdate.ErrDisconnectNotAllowed):
		return rejected, kmstest.CodeCustomKeyStoreInvalidState, err
	case errors.As(err, &ve):
		return rejected, "", err
	case errors.Is(err, kms.ErrCustomKeyStoreNotFound):
		return undecided, "", err
	}
	return accepted, "", err
}

// explain returns the deliberate differences that cover c, or fails when c
// is a disagreement that none covers.
func explain(t testing.TB, c diffCase) []string {
	t.Helper()
	codesDiffer := c.client == rejected && c.fake == rejected && c.clientCode != "" && c.clientCode != c.fakeErr.Code
	if !codesDiffer && (c.fake == undecided || c.client == undecided || c.client == c.fake) {
		return nil
	}
	var names []string
	for _, d := range deliberateDifferences {
		if d.covers(c) {
			names = append(names, d.name)
		}
	}
	if codesDiffer && len(names) == 0 {
		t.Fatalf("the plan predicts %s and the fake answers %s, and no deliberate difference covers it:\ninput %+v\nclient: %v\nfake: %v",
			c.clientCode, c.fakeErr.Code, c.in, c.clientErr, c.fakeErr)
	}
	if len(names) == 0 {
		t.Fatalf("the client %s and the fake %s, and no deliberate difference covers it:\ninput %+v\nclient: %v\nfake: %v",
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

// FuzzValidateAgainstFake is the differential test: the client (Validate,
// then Plan's store-aware rules) and the fake judge the same generated
// UpdateCustomKeyStore inputs against the same seeded stores, and every
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
// KMS accepts it for a store that is already PUBLIC_ENDPOINT: the client and
// the fake accept it for a PUBLIC_ENDPOINT store and refuse it for a
// VPC_ENDPOINT_SERVICE store with XksProxyInvalidConfigurationException
// (Validate cannot tell the two apart; the plan, which reads the store, can).
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
	if switching.client != rejected || switching.fake != rejected || switching.fakeErr.Code != kmstest.CodeXksProxyInvalidConfiguration {
		t.Fatalf("VPC_ENDPOINT_SERVICE store: client %s (%v), fake %s (%v); want both to refuse with XksProxyInvalidConfigurationException",
			switching.client, switching.clientErr, switching.fake, switching.fakeErr)
	}
	if switching.clientErr == nil || errors.Is(switching.clientErr, safeupdate.ErrDisconnectNotAllowed) {
		t.Fatalf("the plan's refusal is not the connectivity rule: %v", switching.clientErr)
	}
}
