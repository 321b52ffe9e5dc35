package kmstest_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kmskit/kms"
	"github.com/kmskit/kms/internal/kmsmodel"
	"github.com/kmskit/kms/kmstest"
)

// TestLifecycleDocumentedExceptions: for each of Create, Describe,
// Connect, Disconnect and Delete, every exception the model documents for
// it is provoked by a scenario on the seeded world (KMSInternalException,
// which KMS gives for its own failures, by injection), and the table covers
// exactly the documented codes. Each call goes through kms.Client: the
// error matches the code's Err value with errors.Is and no other documented
// one, keeps the request ID and message the fake sent, and holds no secret
// of the input; on the wire the fake answered the code's status with an
// awsJson error body ({"__type", "message"}), once, and changed no store.
// (The client's mapping of every code against a stub is the root's
// TestLifecycleDocumentedErrors.)
func TestLifecycleDocumentedExceptions(t *testing.T) {
	type scenario struct {
		setup func(t *testing.T, srv *kmstest.Server)
		body  m
		// offline: our client refuses body before sending; the scenario
		// checks that and then sends it with DisableClientValidation.
		offline bool
	}
	inject := func(t *testing.T, srv *kmstest.Server) {
		srv.FailNext(1, kmstest.Fault{Code: kmstest.CodeKMSInternal})
	}
	setCluster := func(c kmstest.Cluster) func(t *testing.T, srv *kmstest.Server) {
		return func(t *testing.T, srv *kmstest.Server) { require.NoError(t, srv.SetCluster(c)) }
	}
	id := func(s string) m { return m{"CustomKeyStoreId": s} }
	table := map[*kmsmodel.Operation]map[string]scenario{
		kmsmodel.CreateCustomKeyStore: {
			kmstest.CodeCloudHsmClusterInUse:                {body: with(hsmCreate(), m{"CloudHsmClusterId": clusterOrigin})},
			kmstest.CodeCustomKeyStoreNameInUse:             {body: with(hsmCreate(), m{"CustomKeyStoreName": "hsm-one"})},
			kmstest.CodeCloudHsmClusterNotFound:             {body: with(hsmCreate(), m{"CloudHsmClusterId": clusterMissing})},
			kmstest.CodeKMSInternal:                         {setup: inject, body: hsmCreate()},
			kmstest.CodeCloudHsmClusterNotActive:            {setup: setCluster(kmstest.Cluster{ClusterId: clusterFree, State: "DEGRADED"}), body: hsmCreate()},
			kmstest.CodeIncorrectTrustAnchor:                {body: with(hsmCreate(), m{"TrustAnchorCertificate": "not it"})},
			kmstest.CodeCloudHsmClusterInvalidConfiguration: {setup: setCluster(kmstest.Cluster{ClusterId: clusterFree, HsmCount: intp(1)}), body: hsmCreate()},
			kmstest.CodeLimitExceeded:                       {setup: func(t *testing.T, srv *kmstest.Server) { require.NoError(t, srv.SetCustomKeyStoreLimit(1)) }, body: hsmCreate()},
			kmstest.CodeXksProxyUriInUse:                    {body: with(xksCreate(), m{"XksProxyUriEndpoint": endpointPublic, "XksProxyUriPath": pathV1})},
			kmstest.CodeXksProxyUriEndpointInUse:            {body: with(xksCreate(), m{"XksProxyUriEndpoint": endpointVpc})},
			kmstest.CodeXksProxyUriUnreachable:              {body: with(xksCreate(), m{"XksProxyUriEndpoint": endpointDown})},
			kmstest.CodeXksProxyIncorrectAuthenticationCredential: {setup: func(t *testing.T, srv *kmstest.Server) {
				require.NoError(t, srv.SetXksProxy(kmstest.XksProxy{UriEndpoint: "https://new.example.com", AccessKeyId: akidOld, RawSecretAccessKey: secretOld}))
			}, body: xksCreate()},
			kmstest.CodeXksProxyVpcEndpointServiceInUse:                {body: with(vpcCreate(), m{"XksProxyVpcEndpointServiceName": svcUsed})},
			kmstest.CodeXksProxyVpcEndpointServiceNotFound:             {body: with(vpcCreate(), m{"XksProxyVpcEndpointServiceName": svcAbsent})},
			kmstest.CodeXksProxyVpcEndpointServiceInvalidConfiguration: {body: with(vpcCreate(), m{"XksProxyVpcEndpointServiceName": svcBad})},
			kmstest.CodeXksProxyInvalidResponse: {setup: func(t *testing.T, srv *kmstest.Server) {
				require.NoError(t, srv.SetXksProxy(kmstest.XksProxy{UriEndpoint: "https://new.example.com", InvalidResponse: true}))
			}, body: xksCreate()},
			kmstest.CodeXksProxyInvalidConfiguration: {body: with(xksCreate(), m{"XksProxyVpcEndpointServiceOwner": ownerMain}), offline: true},
		},
		kmsmodel.DescribeCustomKeyStores: {
			kmstest.CodeCustomKeyStoreNotFound: {body: m{"CustomKeyStoreName": "no-such-store"}},
			kmstest.CodeInvalidMarker:          {body: m{"Marker": "not-a-marker"}},
			kmstest.CodeKMSInternal:            {setup: inject, body: m{}},
		},
		kmsmodel.ConnectCustomKeyStore: {
			kmstest.CodeCloudHsmClusterNotActive: {setup: setCluster(kmstest.Cluster{ClusterId: clusterOrigin, BackupLineage: "lineage-1",
				State: "UNINITIALIZED"}), body: id(hsmDisconnected)},
			kmstest.CodeCustomKeyStoreInvalidState: {setup: func(t *testing.T, srv *kmstest.Server) {
				require.NoError(t, srv.SetConnectionFailed(hsmDisconnected, "NETWORK_ERRORS"))
			}, body: id(hsmDisconnected)},
			kmstest.CodeCustomKeyStoreNotFound: {body: id("cks-00000000000000000")},
			kmstest.CodeKMSInternal:            {setup: inject, body: id(hsmDisconnected)},
			kmstest.CodeCloudHsmClusterInvalidConfiguration: {setup: setCluster(kmstest.Cluster{ClusterId: clusterOrigin, BackupLineage: "lineage-1",
				InvalidConfiguration: true}), body: id(hsmDisconnected)},
		},
		kmsmodel.DisconnectCustomKeyStore: {
			kmstest.CodeCustomKeyStoreInvalidState: {body: id(hsmDisconnected)},
			kmstest.CodeCustomKeyStoreNotFound:     {body: id("cks-00000000000000000")},
			kmstest.CodeKMSInternal:                {setup: inject, body: id(hsmConnected)},
		},
		kmsmodel.DeleteCustomKeyStore: {
			kmstest.CodeCustomKeyStoreHasCMKs: {setup: func(t *testing.T, srv *kmstest.Server) {
				require.NoError(t, srv.SetKeyCount(hsmDisconnected, 1))
			}, body: id(hsmDisconnected)},
			kmstest.CodeCustomKeyStoreInvalidState: {body: id(hsmConnected)},
			kmstest.CodeCustomKeyStoreNotFound:     {body: id("cks-00000000000000000")},
			kmstest.CodeKMSInternal:                {setup: inject, body: id(hsmDisconnected)},
		},
	}
	n := 0
	for op, scenarios := range table {
		covered := make([]string, 0, len(scenarios))
		for code := range scenarios {
			covered = append(covered, code)
		}
		assert.ElementsMatch(t, op.Errors, covered, "%s: the scenarios cover exactly the documented codes", op.Name)
		for code, sc := range scenarios {
			n++
			t.Run(op.Name+"/"+code, func(t *testing.T) {
				srv := newCreateWorld(t)
				if sc.setup != nil {
					sc.setup(t, srv)
				}
				wire := &lastAnswer{base: srv.Client().Transport}
				client := scenarioClient(srv, nil, func(o *kms.Options) { o.HTTPClient = &http.Client{Transport: wire} })
				before := srv.Stores()
				srv.ResetCalls()
				var optFns []func(*kms.Options)
				if sc.offline {
					err := callOperation(t, client, op, sc.body)
					var ve *kms.ValidationError
					require.ErrorAs(t, err, &ve, "the scenario claims our client rejects this input offline")
					require.Empty(t, srv.Calls(), "a rejected input must not be sent")
					optFns = append(optFns, noClientValidation)
				}

				err := callOperation(t, client, op, sc.body, optFns...)
				status := kmsmodel.StatusFor(code)
				assertOnlyCode(t, err, code, status)
				for _, secret := range []string{secretNew, "kmsuser-free", secretOld} {
					assert.NotContains(t, err.Error(), secret)
				}

				// The wire: one request, answered with the code's status and
				// an awsJson error body.
				calls := srv.Calls()
				require.Len(t, calls, 1, "exactly one request, no retry")
				assert.Equal(t, op.Target(), calls[0].Target)
				assert.Equal(t, code, calls[0].Code)
				assert.Equal(t, status, calls[0].Status)
				requireCode(t, wire.reply, code)
				var apiErr *kms.APIError
				require.ErrorAs(t, err, &apiErr)
				assert.Equal(t, wire.reply.RequestID, apiErr.RequestID)
				// The message is the fake's, except where the client cut out
				// what looks like a fragment of a secret of the input.
				if before, _, redacted := strings.Cut(apiErr.Message, "[REDACTED]"); redacted {
					assert.True(t, strings.HasPrefix(wire.reply.Message, before), "%q is not from %q", apiErr.Message, wire.reply.Message)
				} else {
					assert.Equal(t, wire.reply.Message, apiErr.Message)
				}
				assert.Equal(t, calls[0].RequestID, apiErr.RequestID)
				assert.Zero(t, srv.PendingFaults())

				assert.Equal(t, before, srv.Stores(), "a failed call changes no store")
			})
		}
	}
	assert.Equal(t, 17+3+5+3+4, n, "documented errors of the five lifecycle operations")
}

// callOperation sends body as the input of op through client.
func callOperation(t *testing.T, client *kms.Client, op *kmsmodel.Operation, body m, optFns ...func(*kms.Options)) error {
	t.Helper()
	switch op {
	case kmsmodel.CreateCustomKeyStore:
		return sendBody(t, client.CreateCustomKeyStore, body, optFns)
	case kmsmodel.DescribeCustomKeyStores:
		return sendBody(t, client.DescribeCustomKeyStores, body, optFns)
	case kmsmodel.ConnectCustomKeyStore:
		return sendBody(t, client.ConnectCustomKeyStore, body, optFns)
	case kmsmodel.DisconnectCustomKeyStore:
		return sendBody(t, client.DisconnectCustomKeyStore, body, optFns)
	case kmsmodel.DeleteCustomKeyStore:
		return sendBody(t, client.DeleteCustomKeyStore, body, optFns)
	}
	t.Fatalf("no call for %s", op.Name)
	return nil
}

// sendBody decodes body strictly into the operation's input type (a member
// the type lacks fails the test instead of being dropped), calls the
// operation and checks that an error comes with no output.
func sendBody[In, Out any](t *testing.T, operation func(context.Context, *In, ...func(*kms.Options)) (*Out, error), body m, optFns []func(*kms.Options)) error {
	t.Helper()
	b, err := json.Marshal(body)
	require.NoError(t, err)
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var in In
	require.NoError(t, dec.Decode(&in))
	out, err := operation(context.Background(), &in, optFns...)
	if err != nil {
		assert.Nil(t, out)
	}
	return err
}

// lastAnswer is a transport that keeps the fake's last answer as it was on
// the wire, for the checks the client's decoded error cannot show.
type lastAnswer struct {
	base  http.RoundTripper
	reply reply
}

func (l *lastAnswer) RoundTrip(req *http.Request) (*http.Response, error) {
	res, err := l.base.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	b, err := io.ReadAll(res.Body)
	_ = res.Body.Close()
	if err != nil {
		return nil, err
	}
	res.Body = io.NopCloser(bytes.NewReader(b))
	l.reply = decodeReply(res, b)
	return res, nil
}
