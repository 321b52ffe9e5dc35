package safeupdate_test

import (
	"context"
	"crypto/x509"
	"errors"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kmskit/kms"
	"github.com/kmskit/kms/kmstest"
	"github.com/kmskit/kms/safeupdate"
	"github.com/kmskit/kms/xksproxy"
)

// TestPreflightXksProxyPredictsKMS provokes each predicted exception for
// real, then sends the same update to the fake KMS, which calls the same
// proxy: the prediction must be KMS's answer.
func TestPreflightXksProxyPredictsKMS(t *testing.T) {
	cred1, cred2 := xksCred(routedAccessKeyID, routedSecret), xksCred(routedNextAccessKeyID, routedNextSecret)
	tests := []struct {
		name    string
		in      kms.UpdateCustomKeyStoreInput
		opts    safeupdate.PreflightOptions
		setup   func(*routedWorld)
		want    error
		cause   func(*testing.T, error)
		noCheck bool // the fake KMS cannot be asked the same (e.g. a client-side timeout)
		// noAnswer: the proxy did not answer (Answered false, no Latency).
		noAnswer bool
	}{
		{name: "path change accepted", in: kms.UpdateCustomKeyStoreInput{XksProxyUriPath: aws.String(routedOtherPath)},
			opts:  safeupdate.PreflightOptions{Credential: &cred1},
			setup: func(e *routedWorld) { require.NoError(t, e.proxy.SetURIPrefixes("/tenant-a", "/tenant-b")) }},
		{name: "wrong credential", in: kms.UpdateCustomKeyStoreInput{XksProxyAuthenticationCredential: &cred2},
			want:  kms.ErrXksProxyIncorrectAuthenticationCredential,
			cause: func(t *testing.T, err error) { assert.ErrorIs(t, err, xksproxy.ErrAuthenticationFailed) }},
		{name: "wrong path", in: kms.UpdateCustomKeyStoreInput{XksProxyUriPath: aws.String(routedOtherPath)},
			opts:  safeupdate.PreflightOptions{Credential: &cred1},
			want:  kms.ErrXksProxyInvalidConfiguration,
			cause: func(t *testing.T, err error) { assert.ErrorIs(t, err, xksproxy.ErrInvalidUriPath) }},
		{name: "stopped proxy", in: kms.UpdateCustomKeyStoreInput{XksProxyAuthenticationCredential: &cred1},
			setup: func(e *routedWorld) { e.proxy.Close() },
			want:  kms.ErrXksProxyUriUnreachable, noAnswer: true},
		{name: "throttled proxy", in: kms.UpdateCustomKeyStoreInput{XksProxyAuthenticationCredential: &cred1},
			setup: func(e *routedWorld) { e.proxy.FailNext(2, "ThrottlingException") },
			want:  kms.ErrXksProxyUriUnreachable,
			cause: func(t *testing.T, err error) { assert.ErrorIs(t, err, xksproxy.ErrThrottling) }},
		{name: "proxy internal error", in: kms.UpdateCustomKeyStoreInput{XksProxyAuthenticationCredential: &cred1},
			setup: func(e *routedWorld) { e.proxy.FailNext(2, "InternalException") },
			want:  kms.ErrXksProxyInvalidResponse},
		{name: "malformed answer", in: kms.UpdateCustomKeyStoreInput{XksProxyAuthenticationCredential: &cred1},
			setup: func(e *routedWorld) {
				e.proxy.FailNextWith(2, kmstest.XksFault{Body: "<html>bad gateway</html>", Status: 502})
			},
			want:  kms.ErrXksProxyInvalidResponse,
			cause: func(t *testing.T, err error) { assert.ErrorIs(t, err, xksproxy.ErrMalformedResponse) }},
		{name: "slow proxy", in: kms.UpdateCustomKeyStoreInput{XksProxyAuthenticationCredential: &cred1},
			opts:  safeupdate.PreflightOptions{Timeout: 50 * time.Millisecond},
			setup: func(e *routedWorld) { e.proxy.SetLatency(time.Minute) },
			want:  kms.ErrXksProxyUriUnreachable,
			cause: func(t *testing.T, err error) { assert.ErrorIs(t, err, context.DeadlineExceeded) },
			// The fake KMS waits 10 s in this world; its own timeout is
			// covered by kmstest's TestRouteXksProxyConnect.
			noCheck: true, noAnswer: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newRoutedWorld(t)
			if tt.setup != nil {
				tt.setup(e)
			}
			in := tt.in
			in.CustomKeyStoreId = aws.String(routedStoreID)
			opts := tt.opts
			opts.HTTPClient = e.hc
			rep, err := e.updater.PreflightXksProxy(context.Background(), &in, opts)
			require.NotNil(t, rep)
			assert.Equal(t, "UpdateCustomKeyStore", rep.Operation, "the store is CONNECTED: KMS asks the proxy at UpdateCustomKeyStore")
			require.Len(t, rep.Checks, 1)
			assert.Equal(t, rep.Result, rep.Checks[0].Result)
			assert.Equal(t, !tt.noAnswer, rep.Answered, "the proxy answered (an error answer too)")
			if tt.noAnswer {
				assert.Zero(t, rep.Latency, "no latency without an answer")
			} else {
				assert.Positive(t, rep.Latency, "the latency of the answer, an error answer too")
			}
			if tt.want == nil {
				assert.Equal(t, safeupdate.CheckPassed, rep.Result)
				require.NoError(t, err)
				assert.Nil(t, rep.Predicted)
				assert.Equal(t, "kmstest", rep.ProxyVendor)
				assert.NotEmpty(t, rep.EkmFleet)
			} else {
				require.ErrorIs(t, err, tt.want)
				assert.Equal(t, safeupdate.CheckFailed, rep.Result)
				var pe *safeupdate.PreflightError
				require.ErrorAs(t, err, &pe)
				assert.Same(t, tt.want, pe.Predicted)
				assert.Same(t, tt.want, rep.Predicted)
				assert.NotEmpty(t, pe.Reason)
				if tt.cause != nil {
					tt.cause(t, err)
				}
				for _, secret := range []string{routedSecret, routedNextSecret, routedAccessKeyID, routedNextAccessKeyID} {
					assert.NotContains(t, err.Error(), secret)
				}
			}
			if tt.noCheck {
				return
			}
			// What KMS (the fake, calling the same proxy) answers.
			_, kerr := e.client.UpdateCustomKeyStore(context.Background(), &in)
			if tt.want == nil {
				require.NoError(t, kerr)
			} else {
				require.ErrorIs(t, kerr, tt.want, "KMS's answer differs from the prediction")
			}
		})
	}
}

func TestPreflightXksProxyTLSNameMismatch(t *testing.T) {
	e := newRoutedWorld(t, kmstest.WithXksCertificateHosts("other.example.com"))
	cred1 := xksCred(routedAccessKeyID, routedSecret)
	in := &kms.UpdateCustomKeyStoreInput{CustomKeyStoreId: aws.String(routedStoreID), XksProxyAuthenticationCredential: &cred1}
	_, err := e.updater.PreflightXksProxy(context.Background(), in, safeupdate.PreflightOptions{HTTPClient: e.hc})
	require.ErrorIs(t, err, kms.ErrXksProxyUriUnreachable)
	var hostErr x509.HostnameError
	require.ErrorAs(t, err, &hostErr)
	assert.Contains(t, err.Error(), "not valid for xks-a.example.com")

	_, kerr := e.client.UpdateCustomKeyStore(context.Background(), in)
	require.ErrorIs(t, kerr, kms.ErrXksProxyUriUnreachable, "KMS agrees")
}

func TestPreflightXksProxyWarnings(t *testing.T) {
	e := newRoutedWorld(t, kmstest.WithXksEkmFleet(kmstest.XksEkm{ID: "hsm-1", Model: "Luna 7", HealthStatus: "DEGRADED"}))
	e.proxy.SetLatency(300 * time.Millisecond) // answers, but after KMS's budget
	cred1 := xksCred(routedAccessKeyID, routedSecret)
	in := &kms.UpdateCustomKeyStoreInput{CustomKeyStoreId: aws.String(routedStoreID), XksProxyAuthenticationCredential: &cred1}
	rep, err := e.updater.PreflightXksProxy(context.Background(), in, safeupdate.PreflightOptions{HTTPClient: e.hc})
	require.NoError(t, err)
	require.Equal(t, safeupdate.CheckPassed, rep.Result)
	assert.GreaterOrEqual(t, rep.Latency, 300*time.Millisecond)
	assert.Equal(t, []safeupdate.EkmFleetMember{{ID: "hsm-1", Model: "Luna 7", HealthStatus: "DEGRADED"}}, rep.EkmFleet)
	assert.Contains(t, rep.TLSIssuer, "kmstest XKS proxy CA")
	all := strings.Join(rep.Warnings, "\n")
	assert.Contains(t, all, "more than the 250ms KMS waits")
	assert.Contains(t, all, `"hsm-1" (Luna 7) is DEGRADED, not ACTIVE`)
	assert.Contains(t, all, "fleet has one member")
	assert.Contains(t, all, "issuer "+rep.TLSIssuer, "the kmstest CA is not a public CA")
	assert.Len(t, rep.Warnings, 4)
}

// TestPreflightXksProxyRootCAs: a caller that knows its proxy is a fake
// (or gives the CA it trusts, as cks --xks-ca-file does) passes that CA as
// RootCAs: the certificate is checked against it, with no warning about
// public CAs, and the report still names the issuer. Rotation passes it on.
func TestPreflightXksProxyRootCAs(t *testing.T) {
	e := newRoutedWorld(t)
	cred1 := xksCred(routedAccessKeyID, routedSecret)
	in := &kms.UpdateCustomKeyStoreInput{CustomKeyStoreId: aws.String(routedStoreID), XksProxyAuthenticationCredential: &cred1}
	fakeCA := x509.NewCertPool()
	fakeCA.AddCert(e.proxy.CA())

	rep, err := e.updater.PreflightXksProxy(context.Background(), in, safeupdate.PreflightOptions{HTTPClient: e.hc, RootCAs: fakeCA})
	require.NoError(t, err)
	assert.Equal(t, safeupdate.CheckPassed, rep.Result)
	assert.Empty(t, rep.Warnings)
	assert.Contains(t, rep.TLSIssuer, "kmstest XKS proxy CA")

	rep, err = e.updater.PreflightXksProxy(context.Background(), in, safeupdate.PreflightOptions{HTTPClient: e.hc})
	require.NoError(t, err)
	require.Len(t, rep.Warnings, 1, "without RootCAs the fake's CA is not a public one")
	assert.Contains(t, rep.Warnings[0], "does not chain to a public certificate authority")

	other := x509.NewCertPool()
	other.AddCert(e.addProxy(t, kmstest.WithXksEndpoint("https://xks2.example.com")).CA())
	rep, err = e.updater.PreflightXksProxy(context.Background(), in, safeupdate.PreflightOptions{HTTPClient: e.hc, RootCAs: other})
	require.NoError(t, err)
	require.Len(t, rep.Warnings, 1, "a certificate from another CA than RootCAs'")
	assert.Contains(t, rep.Warnings[0], "does not chain to a certificate authority of PreflightOptions.RootCAs")

	next := xksCred(routedNextAccessKeyID, routedNextSecret)
	require.NoError(t, e.proxy.SetCredentials(
		kmstest.XksCredential{AccessKeyID: routedAccessKeyID, SecretAccessKey: routedSecret},
		kmstest.XksCredential{AccessKeyID: routedNextAccessKeyID, SecretAccessKey: routedNextSecret}))
	rot, err := e.updater.RotateXksCredential(context.Background(), routedStoreID, &next, safeupdate.RotateOptions{HTTPClient: e.hc, RootCAs: fakeCA})
	require.NoError(t, err)
	assert.Empty(t, rot.Preflight.Warnings)
}

func TestPreflightXksProxyNeedsCredential(t *testing.T) {
	e := newRoutedWorld(t)
	in := &kms.UpdateCustomKeyStoreInput{CustomKeyStoreId: aws.String(routedStoreID), XksProxyUriPath: aws.String(routedOtherPath)}
	rep, err := e.updater.PreflightXksProxy(context.Background(), in, safeupdate.PreflightOptions{HTTPClient: e.hc})
	require.NoError(t, err)
	assert.Equal(t, safeupdate.CheckNotChecked, rep.Result)
	require.Len(t, rep.Checks, 1)
	c := rep.Checks[0]
	assert.Equal(t, safeupdate.Check{Name: safeupdate.CheckXksProxy, Result: safeupdate.CheckNotChecked, Detail: c.Detail,
		Members: []string{"XksProxyAuthenticationCredential"}}, c)
	assert.Contains(t, c.Detail, "XksProxyAuthenticationCredential")
	assert.Contains(t, c.Detail, "never returns its secret")
	assert.NotContains(t, c.Detail, "PreflightOptions", "the text names the input member, not a Go field")
	assert.Empty(t, e.proxy.Calls(), "nothing was sent without a credential")

	// A credential that is not the store's is not used.
	other := xksCred(routedNextAccessKeyID, routedNextSecret)
	rep, err = e.updater.PreflightXksProxy(context.Background(), in, safeupdate.PreflightOptions{HTTPClient: e.hc, Credential: &other})
	require.NoError(t, err)
	assert.Equal(t, safeupdate.CheckNotChecked, rep.Result)
	assert.Contains(t, strings.Join(rep.Warnings, "\n"), "not the XksProxyAuthenticationCredential the store holds")
}

// TestPreflightXksProxyVpcCheckedWhenReachable: a VPC_ENDPOINT_SERVICE
// proxy that the caller's client cannot reach is not checked (no
// prediction); one it reaches is checked like any other.
func TestPreflightXksProxyVpcCheckedWhenReachable(t *testing.T) {
	e := newRoutedWorld(t)
	const svc = "com.amazonaws.vpce.us-east-1.vpce-svc-0abc123def4567890"
	require.NoError(t, e.srv.SetVpcEndpointService(kmstest.VpcEndpointService{ServiceName: svc}))
	cred1 := xksCred(routedAccessKeyID, routedSecret)
	in := &kms.UpdateCustomKeyStoreInput{
		CustomKeyStoreId: aws.String(routedStoreID), XksProxyConnectivity: kms.XksProxyConnectivityTypeVpcEndpointService,
		XksProxyUriEndpoint: aws.String("https://xks.private.example.com"), XksProxyVpcEndpointServiceName: aws.String(svc),
		XksProxyAuthenticationCredential: &cred1,
	}
	rep, err := e.updater.PreflightXksProxy(context.Background(), in, safeupdate.PreflightOptions{HTTPClient: e.hc})
	require.NoError(t, err, "unreachable from here is no prediction")
	assert.Equal(t, safeupdate.CheckNotChecked, rep.Result)
	assert.Nil(t, rep.Predicted)
	require.Len(t, rep.Checks, 1)
	assert.Equal(t, safeupdate.CheckNotChecked, rep.Checks[0].Result)
	assert.Contains(t, rep.Checks[0].Detail, "not checked from here")
	assert.Contains(t, rep.Checks[0].Detail, "xks.private.example.com")
	assert.Empty(t, rep.Checks[0].Members, "nothing the caller can give makes it checkable from here")
	assert.Contains(t, rep.Checks[0].Detail, "bastion or port forward", "but a client that reaches it does")

	// Through a client that reaches it (a bastion or port forward, as cks
	// --xks-resolve gives), a VPC proxy is checked like any other: it is
	// asked as KMS will ask it through the VPC endpoint service.
	private := e.addProxy(t, kmstest.WithXksEndpoint("https://xks.private.example.com"))
	rep, err = e.updater.PreflightXksProxy(context.Background(), in, safeupdate.PreflightOptions{HTTPClient: e.hc})
	require.NoError(t, err)
	assert.Equal(t, safeupdate.CheckPassed, rep.Result, rep.Checks)
	require.Len(t, private.Calls(), 1, "the private proxy was asked")
	assert.Equal(t, "GetHealthStatus", private.Calls()[0].Operation)

	// The connectivity changes only while DISCONNECTED: a refusal is
	// predicted at the reconnect.
	private.FailNext(1, "AuthenticationFailedException")
	rep, err = e.updater.PreflightXksProxy(context.Background(), in, safeupdate.PreflightOptions{HTTPClient: e.hc})
	require.ErrorIs(t, err, kms.ErrCustomKeyStoreConnectionFailed, "a VPC proxy that answers is checked: its refusal is predicted")
	assert.Equal(t, safeupdate.CheckFailed, rep.Result)
	assert.Equal(t, kms.ConnectionErrorCodeTypeInvalidCredentials, rep.ConnectionErrorCode)
}

func TestPreflightXksProxyCreate(t *testing.T) {
	e := newRoutedWorld(t)
	require.NoError(t, e.proxy.SetURIPrefixes("/tenant-a", "/tenant-b"))
	cred1, cred2 := xksCred(routedAccessKeyID, routedSecret), xksCred(routedNextAccessKeyID, routedNextSecret)
	in := &kms.CreateCustomKeyStoreInput{
		CustomKeyStoreName: aws.String("new-xks"), CustomKeyStoreType: kms.CustomKeyStoreTypeExternalKeyStore,
		XksProxyConnectivity: kms.XksProxyConnectivityTypePublicEndpoint, XksProxyUriEndpoint: aws.String(routedEndpoint),
		XksProxyUriPath: aws.String(routedOtherPath), XksProxyAuthenticationCredential: &cred2,
	}
	rep, err := e.updater.PreflightXksProxyCreate(context.Background(), in, safeupdate.PreflightOptions{HTTPClient: e.hc})
	require.ErrorIs(t, err, kms.ErrXksProxyIncorrectAuthenticationCredential)
	assert.Equal(t, "CreateCustomKeyStore", rep.Operation)
	_, kerr := e.client.CreateCustomKeyStore(context.Background(), in)
	require.ErrorIs(t, kerr, kms.ErrXksProxyIncorrectAuthenticationCredential, "KMS agrees")

	in.XksProxyAuthenticationCredential = &cred1
	e.proxy.ResetCalls()
	rep, err = e.updater.PreflightXksProxyCreate(context.Background(), in, safeupdate.PreflightOptions{HTTPClient: e.hc, ExternalKeyIDs: []string{"key-1"}})
	require.NoError(t, err)
	require.Len(t, rep.Keys, 1)
	assert.False(t, rep.Keys[0].CanaryChecked, "a new store has no current settings to compare with")
	calls := e.proxy.Calls()
	require.NotEmpty(t, calls)
	assert.Equal(t, "CreateCustomKeyStore", calls[0].RequestMetadata.KmsOperation)
	_, kerr = e.client.CreateCustomKeyStore(context.Background(), in)
	require.NoError(t, kerr)

	_, err = e.updater.PreflightXksProxyCreate(context.Background(), &kms.CreateCustomKeyStoreInput{
		CustomKeyStoreName: aws.String("hsm"), CloudHsmClusterId: aws.String(routedClusterID),
		KeyStorePassword: aws.String(routedPassword), TrustAnchorCertificate: aws.String("cert"),
	}, safeupdate.PreflightOptions{})
	require.Error(t, err)
	assert.False(t, errors.Is(err, kms.ErrXksProxyUriUnreachable))
	assert.Contains(t, err.Error(), "EXTERNAL_KEY_STORE")
}

// refusingHTTPClient fails every request at once, as an unreachable host.
type refusingHTTPClient struct{}

func (refusingHTTPClient) Do(*http.Request) (*http.Response, error) {
	return nil, &net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connection refused")}
}

// An endpoint named by IP address is worth a warning whatever the proxy
// answers: the XKS specification requires a fully qualified domain name.
func TestPreflightXksProxyIPEndpointWarning(t *testing.T) {
	e := newRoutedWorld(t)
	cred := xksCred(routedAccessKeyID, routedSecret)
	in := &kms.CreateCustomKeyStoreInput{
		CustomKeyStoreName: aws.String("ip-xks"), CustomKeyStoreType: kms.CustomKeyStoreTypeExternalKeyStore,
		XksProxyConnectivity: kms.XksProxyConnectivityTypePublicEndpoint, XksProxyUriEndpoint: aws.String("https://192.0.2.10"),
		XksProxyUriPath: aws.String(routedPath), XksProxyAuthenticationCredential: &cred,
	}
	rep, err := e.updater.PreflightXksProxyCreate(context.Background(), in, safeupdate.PreflightOptions{HTTPClient: refusingHTTPClient{}})
	require.ErrorIs(t, err, kms.ErrXksProxyUriUnreachable)
	require.NotNil(t, rep)
	assert.Contains(t, strings.Join(rep.Warnings, "\n"), "IP address 192.0.2.10")

	in.XksProxyUriEndpoint = aws.String(routedEndpoint)
	rep, err = e.updater.PreflightXksProxyCreate(context.Background(), in, safeupdate.PreflightOptions{HTTPClient: e.hc})
	require.NoError(t, err)
	assert.NotContains(t, strings.Join(rep.Warnings, "\n"), "IP address")
}

// A proxy whose every external key manager is UNAVAILABLE answers
// GetHealthStatus, but KMS cannot use it: the preflight predicts what the
// fake KMS (and the model both share) answers.
func TestPreflightXksProxyAllEkmsUnavailable(t *testing.T) {
	e := newRoutedWorld(t)
	cred1 := xksCred(routedAccessKeyID, routedSecret)
	in := &kms.UpdateCustomKeyStoreInput{CustomKeyStoreId: aws.String(routedStoreID), XksProxyUriPath: aws.String(routedPath)}
	opts := safeupdate.PreflightOptions{HTTPClient: e.hc, Credential: &cred1}

	e.proxy.SetEkmFleet(kmstest.XksEkm{ID: "hsm-1", Model: "m", HealthStatus: "UNAVAILABLE"}, kmstest.XksEkm{ID: "hsm-2", Model: "m", HealthStatus: "DEGRADED"})
	rep, err := e.updater.PreflightXksProxy(context.Background(), in, opts)
	require.NoError(t, err, "one manager can still serve")
	assert.Contains(t, strings.Join(rep.Warnings, "\n"), `"hsm-1" (m) is UNAVAILABLE`)

	e.proxy.SetEkmFleet(kmstest.XksEkm{ID: "hsm-1", Model: "m", HealthStatus: "UNAVAILABLE"}, kmstest.XksEkm{ID: "hsm-2", Model: "m", HealthStatus: "UNAVAILABLE"})
	rep, err = e.updater.PreflightXksProxy(context.Background(), in, opts)
	require.ErrorIs(t, err, kms.ErrXksProxyUriUnreachable)
	var pe *safeupdate.PreflightError
	require.ErrorAs(t, err, &pe)
	assert.Contains(t, pe.Reason, "UNAVAILABLE")
	require.NotNil(t, rep)
	assert.Equal(t, safeupdate.CheckFailed, rep.Result)
	assert.Equal(t, kms.ErrXksProxyUriUnreachable, rep.Predicted)
	assert.Len(t, rep.EkmFleet, 2)

	_, kerr := e.client.UpdateCustomKeyStore(context.Background(), in)
	require.ErrorIs(t, kerr, kms.ErrXksProxyUriUnreachable, "KMS agrees")
}

// TestPredictionFollowsTheStateAsTheFakeAnswers: the same wrong path is
// predicted at UpdateCustomKeyStore (an exception) for a CONNECTED store
// and at ConnectCustomKeyStore (FAILED with a ConnectionErrorCode) for a
// DISCONNECTED one, and kmstest answers each exactly so: one table.
func TestPredictionFollowsTheStateAsTheFakeAnswers(t *testing.T) {
	ctx := context.Background()
	cred1 := xksCred(routedAccessKeyID, routedSecret)
	wrongPath := &kms.UpdateCustomKeyStoreInput{CustomKeyStoreId: aws.String(routedStoreID), XksProxyUriPath: aws.String(routedOtherPath)}

	e := newRoutedWorld(t)
	rep, err := e.updater.PreflightXksProxy(ctx, wrongPath, safeupdate.PreflightOptions{HTTPClient: e.hc, Credential: &cred1})
	require.ErrorIs(t, err, kms.ErrXksProxyInvalidConfiguration)
	assert.Equal(t, "UpdateCustomKeyStore", rep.Operation)
	assert.Empty(t, rep.ConnectionErrorCode)
	_, err = e.client.UpdateCustomKeyStore(ctx, wrongPath)
	require.ErrorIs(t, err, kms.ErrXksProxyInvalidConfiguration, "the fake answers the predicted exception")

	e = newRoutedWorld(t)
	require.NoError(t, e.srv.SetConnectionState(routedStoreID, kmstest.StateDisconnected))
	rep, err = e.updater.PreflightXksProxy(ctx, wrongPath, safeupdate.PreflightOptions{HTTPClient: e.hc, Credential: &cred1})
	require.ErrorIs(t, err, kms.ErrCustomKeyStoreConnectionFailed)
	assert.Equal(t, "ConnectCustomKeyStore", rep.Operation)
	assert.Equal(t, kms.ConnectionErrorCodeTypeXksProxyInvalidConfiguration, rep.ConnectionErrorCode)
	var pe *safeupdate.PreflightError
	require.ErrorAs(t, err, &pe)
	assert.Contains(t, pe.Error(), "ConnectCustomKeyStore would end FAILED with ConnectionErrorCode XKS_PROXY_INVALID_CONFIGURATION")
	_, err = e.client.UpdateCustomKeyStore(ctx, wrongPath)
	require.NoError(t, err, "a DISCONNECTED store's update is not checked against the proxy")
	_, err = e.client.ConnectCustomKeyStore(ctx, &kms.ConnectCustomKeyStoreInput{CustomKeyStoreId: aws.String(routedStoreID)})
	require.NoError(t, err)
	err = kms.NewCustomKeyStoreConnectedWaiter(e.client, func(o *kms.CustomKeyStoreConnectedWaiterOptions) {
		o.MinDelay, o.MaxDelay = 5*time.Millisecond, 5*time.Millisecond
	}).Wait(ctx, &kms.DescribeCustomKeyStoresInput{CustomKeyStoreId: aws.String(routedStoreID)}, time.Minute)
	var cf *kms.ConnectionFailedError
	require.ErrorAs(t, err, &cf)
	assert.Equal(t, rep.ConnectionErrorCode, cf.ConnectionErrorCode, "the fake ends FAILED with the predicted code")
}
