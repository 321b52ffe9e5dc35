package kmstest_test

import (
	"context"
	"errors"
	"fmt"
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

// The small world the in-use rules are fuzzed in: the other stores take
// their values from these lists, and so may the input (see pickFrom), so
// that names, endpoints, paths and VPC endpoint services collide.
var (
	smallNames     = []string{"alpha", "beta", "gamma"}
	smallEndpoints = []string{"https://a.example.com", "https://b.example.com", "https://c.example.com"}
	smallPaths     = []string{"/kms/xks/v1", "/p/kms/xks/v1"}
	smallServices  = []string{"com.amazonaws.vpce.us-east-1.vpce-svc-0fedcba987654321a", "com.amazonaws.vpce.us-east-1.vpce-svc-0000000000000000f"}
)

// pickFrom is s, or the value of list at index i when i < len(list).
func pickFrom(list []string, i int, s string) string {
	if i < len(list) {
		return list[i]
	}
	return s
}

// otherStore is the extra store that 16 bits of the fuzzer's others
// describe, or false: bit 0 present; bit 1 external (else CloudHSM); bit
// 2 VPC_ENDPOINT_SERVICE; bits 3-4 the name, 5-6 the endpoint, 7 the
// path, 8 the VPC endpoint service, of the small world.
func otherStore(i int, bits uint16) (kmstest.Store, bool) {
	if bits&1 == 0 {
		return kmstest.Store{}, false
	}
	st := kmstest.Store{
		CustomKeyStoreId:   fmt.Sprintf("cks-fuzzother000000%d", i),
		CustomKeyStoreName: smallNames[int(bits>>3&3)%len(smallNames)],
		CustomKeyStoreType: kmstest.TypeCloudHSM, CloudHsmClusterId: "cluster-origin2345ab",
		ConnectionState: kmstest.StateDisconnected,
	}
	if bits&2 != 0 {
		st.CustomKeyStoreType, st.CloudHsmClusterId = kmstest.TypeExternal, ""
		st.XksProxyConfiguration = kmstest.XksProxyConfiguration{
			AccessKeyId: "AKIAFUZZOTHER2345678", RawSecretAccessKey: "fuzzOtherSecret/0123456789abcdefghijklmnop",
			Connectivity: kmstest.ConnectivityPublicEndpoint,
			UriEndpoint:  smallEndpoints[int(bits>>5&3)%len(smallEndpoints)], UriPath: smallPaths[bits>>7&1],
		}
		if bits&4 != 0 {
			st.XksProxyConfiguration.Connectivity = kmstest.ConnectivityVpcEndpointService
			st.XksProxyConfiguration.VpcEndpointServiceName = smallServices[bits>>8&1]
		}
	}
	return st, true
}

// withOthers is world with the extra stores others describes (three of 16
// bits each), each kept only when the world can hold it (the fake refuses
// a seed whose names collide).
func withOthers(t testing.TB, world kmstest.Seed, others uint64) kmstest.Seed {
	out := world
	out.Stores = append([]kmstest.Store(nil), world.Stores...)
	for i := range 3 {
		st, ok := otherStore(i, uint16(others>>(16*i)))
		if !ok {
			continue
		}
		try := out
		try.Stores = append(append([]kmstest.Store(nil), out.Stores...), st)
		if kmstest.NewFake().Load(try) == nil {
			out = try
		}
	}
	return out
}

// The other stores of the in-use seeds.
const (
	hsmOther    = 1                                     // a CloudHSM store named alpha
	publicOther = 1 | 2 | 1<<3                          // an external PUBLIC_ENDPOINT store "beta" at a.example.com /kms/xks/v1
	vpcOther    = 1 | 2 | 4 | 2<<3 | 1<<5 | 1<<7 | 1<<8 // an external VPC store "gamma" at b.example.com /p/kms/xks/v1, service 1
)

// keep is a pick that keeps every fuzzer string; pickName and the others
// choose a value of the small world instead.
const keep = 0xff

func pickName(i byte) byte     { return keep&^3 | i }
func pickEndpoint(i byte) byte { return keep&^(3<<2) | i<<2 }
func pickPath(i byte) byte     { return keep&^(3<<4) | i<<4 }
func pickService(i byte) byte  { return keep&^(3<<6) | i<<6 }

// inUseSeeds are the fuzz seeds of the in-use rules, each with the code
// both sides must answer ("" accepted).
var inUseSeeds = []struct {
	name   string
	store  byte // index into fuzzStores
	mask   uint16
	pick   byte // see the fuzz function
	others uint64
	conn   string
	code   string
}{
	{"the name in use", 2, dfName, pickName(0), hsmOther, "", kmstest.CodeCustomKeyStoreNameInUse},
	{"the endpoint and path in use", 2, dfEndpoint | dfPath, pickEndpoint(0) & pickPath(0), publicOther, "", kmstest.CodeXksProxyUriInUse},
	{"the endpoint with another path", 2, dfEndpoint | dfPath, pickEndpoint(0) & pickPath(1), publicOther, "", ""},
	{"a VPC store's endpoint in use", 1, dfEndpoint, pickEndpoint(0), publicOther | 1<<7, "", kmstest.CodeXksProxyUriEndpointInUse},
	{"the VPC endpoint service in use", 1, dfSvc, pickService(1), vpcOther, "", kmstest.CodeXksProxyVpcEndpointServiceInUse},
	{"a switch to VPC with a service in use", 2, dfEndpoint | dfSvc, pickEndpoint(2) & pickService(1), vpcOther, "VPC_ENDPOINT_SERVICE", kmstest.CodeXksProxyVpcEndpointServiceInUse},
	{"a switch to VPC with an endpoint in use", 2, dfEndpoint | dfSvc, pickEndpoint(1) & pickService(0), vpcOther | publicOther<<16, "VPC_ENDPOINT_SERVICE", kmstest.CodeXksProxyUriEndpointInUse},
	{"a free name among others", 2, dfName, pickName(2), hsmOther | publicOther<<16, "", ""},
}

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
		f.Add(store, mask, byte(0xff), uint64(0), cluster, password, name, akid, secret, conn, endpoint, path, svcName, owner)
	}
	for _, c := range inUseSeeds {
		f.Add(c.store, c.mask, c.pick, c.others, "", "", "", "", "", c.conn, "", "", "", "")
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
	f.Fuzz(func(t *testing.T, store byte, mask uint16, pick byte, others uint64, cluster, password, name, akid, secret, conn, endpoint, path, svcName, owner string) {
		name = pickFrom(smallNames, int(pick&3), name)
		endpoint = pickFrom(smallEndpoints, int(pick>>2&3), endpoint)
		path = pickFrom(smallPaths, int(pick>>4&3), path)
		svcName = pickFrom(smallServices, int(pick>>6&3), svcName)
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
		explain(t, judge(t, withOthers(t, world, others), in, fuzzStores[int(store)%len(fuzzStores)]))
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

// TestInUseSeedsCollide: each in-use seed of the differential fuzz makes
// the collision it names, and the plan and the fake answer it alike.
func TestInUseSeedsCollide(t *testing.T) {
	world := worldSeed()
	for _, c := range inUseSeeds {
		t.Run(c.name, func(t *testing.T) {
			in := &kms.UpdateCustomKeyStoreInput{XksProxyConnectivity: kms.XksProxyConnectivityType(c.conn)}
			if c.mask&dfName != 0 {
				in.NewCustomKeyStoreName = aws.String(pickFrom(smallNames, int(c.pick&3), ""))
			}
			if c.mask&dfEndpoint != 0 {
				in.XksProxyUriEndpoint = aws.String(pickFrom(smallEndpoints, int(c.pick>>2&3), ""))
			}
			if c.mask&dfPath != 0 {
				in.XksProxyUriPath = aws.String(pickFrom(smallPaths, int(c.pick>>4&3), ""))
			}
			if c.mask&dfSvc != 0 {
				in.XksProxyVpcEndpointServiceName = aws.String(pickFrom(smallServices, int(c.pick>>6&3), ""))
			}
			w := withOthers(t, world, c.others)
			if len(w.Stores) == len(world.Stores) {
				t.Fatalf("no other store was added")
			}
			d := judge(t, w, in, fuzzStores[int(c.store)%len(fuzzStores)])
			if c.code == "" {
				if d.client != accepted || d.fake == rejected {
					t.Fatalf("client %s (%v), fake %s (%v); want accepted", d.client, d.clientErr, d.fake, d.fakeErr)
				}
				return
			}
			if d.fake != rejected || d.fakeErr.Code != c.code || d.client != rejected || d.clientCode != c.code {
				t.Fatalf("client %s %q (%v), fake %s (%v); want both %s", d.client, d.clientCode, d.clientErr, d.fake, d.fakeErr, c.code)
			}
		})
	}
}
