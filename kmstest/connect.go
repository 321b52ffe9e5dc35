package kmstest

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/kmskit/kms/internal/kmsmodel"
)

// maxConnectAttempts bounds how often connect re-decides an external
// store's outcome because the store changed while it was being decided.
const maxConnectAttempts = 100

// connect runs ConnectCustomKeyStore. A CONNECTED or CONNECTING store is
// left as it is; DISCONNECTING and FAILED are CustomKeyStoreInvalidStateException;
// a DISCONNECTED store becomes CONNECTING, then CONNECTED or FAILED with the
// ConnectionErrorCode the seeded world gives.
//
// The outcome of an external store is decided by externalConnectOutcome
// without f.mu held (it may some day call a real proxy); if the store
// changed meanwhile, the outcome is decided again.
func (f *Fake) connect(ctx context.Context, id string) *apiError {
	for range maxConnectAttempts {
		f.mu.Lock()
		f.settleLocked()
		st, err := f.storeLocked(id)
		if err != nil {
			f.mu.Unlock()
			return err
		}
		if slices.Contains(kmsmodel.ConnectRejectedStates, string(st.ConnectionState)) {
			// Built before the lock is released: st is shared state.
			err := invalidState(st, "ConnectCustomKeyStore",
				"is not valid in "+strings.Join(kmsmodel.ConnectRejectedStates, " or ")+" (disconnect a FAILED store, then connect it)")
			f.mu.Unlock()
			return err
		}
		if st.ConnectionState != StateDisconnected {
			// CONNECTED or CONNECTING: connected, or on its way.
			f.mu.Unlock()
			return nil
		}
		if st.CustomKeyStoreType == TypeCloudHSM {
			code, err := f.cloudHSMConnectOutcomeLocked(st)
			if err == nil {
				f.scheduleConnectLocked(st, code)
			}
			f.mu.Unlock()
			return err
		}
		snapshot := *st
		f.mu.Unlock()

		code := f.externalConnectOutcome(ctx, snapshot.XksProxyConfiguration)

		f.mu.Lock()
		f.settleLocked()
		if st, ok := f.stores[id]; ok && *st == snapshot {
			f.scheduleConnectLocked(st, code)
			f.mu.Unlock()
			return nil
		}
		f.mu.Unlock()
	}
	return newError(CodeKMSInternal, "the custom key store kept changing while it was being connected; try again")
}

// scheduleConnectLocked moves st to CONNECTING, then to CONNECTED when code
// is "" or to FAILED with code.
func (f *Fake) scheduleConnectLocked(st *Store, code string) {
	to := StateConnected
	if code != "" {
		to = StateFailed
	}
	f.scheduleLocked(st, StateConnecting, to, code)
}

// cloudHSMConnectOutcomeLocked decides how connecting the CloudHSM store st
// goes: an exception at once (cluster not active, or not configured for a
// custom key store), or the ConnectionErrorCode the connection ends FAILED
// with ("" for CONNECTED).
func (f *Fake) cloudHSMConnectOutcomeLocked(st *Store) (string, *apiError) {
	c, ok := f.clusters[st.CloudHsmClusterId]
	if !ok {
		return kmsmodel.ConnectionErrorClusterNotFound, nil
	}
	if !c.active() {
		return "", newError(CodeCloudHsmClusterNotActive, fmt.Sprintf(
			"CloudHSM cluster %s of custom key store %s is %s, not ACTIVE.", c.ClusterId, st.CustomKeyStoreId, c.State))
	}
	if c.InvalidConfiguration {
		return "", newError(CodeCloudHsmClusterInvalidConfiguration, fmt.Sprintf(
			"CloudHSM cluster %s does not fulfill the requirements for a custom key store.", c.ClusterId))
	}
	switch {
	case c.ConnectionErrorCode != "":
		return c.ConnectionErrorCode, nil
	case c.hsms() < kmsmodel.MinHsmsToConnect:
		return kmsmodel.ConnectionErrorInsufficientCloudhsmHsms, nil
	case c.KmsuserState == KmsuserNotFound:
		return kmsmodel.ConnectionErrorUserNotFound, nil
	case c.KmsuserState == KmsuserLockedOut:
		return kmsmodel.ConnectionErrorUserLockedOut, nil
	case c.KmsuserState == KmsuserLoggedIn:
		return kmsmodel.ConnectionErrorUserLoggedIn, nil
	case c.KmsuserPassword != "" && c.KmsuserPassword != st.KeyStorePassword:
		return kmsmodel.ConnectionErrorInvalidCredentials, nil
	}
	return "", nil
}

// externalConnectOutcome decides how connecting an external store with
// proxy configuration x ends: "" for CONNECTED, or the ConnectionErrorCode
// of FAILED. It is the one place that decides it, and it is called without
// f.mu held.
//
// Today it consults the seeded world: the VPC endpoint service (for
// VPC_ENDPOINT_SERVICE connectivity), then the [XksProxy] seeded at
// x.UriEndpoint: none, or Unreachable, is XKS_PROXY_NOT_REACHABLE; a path
// it does not serve is XKS_PROXY_INVALID_CONFIGURATION; a credential it
// does not accept is INVALID_CREDENTIALS; InvalidResponse is
// XKS_PROXY_INVALID_RESPONSE; its ConnectionErrorCode, when set, wins over
// all of these.
func (f *Fake) externalConnectOutcome(ctx context.Context, x XksProxyConfiguration) string {
	routedCode, routed := f.routedConnectOutcome(ctx, x) // see RouteXksProxy
	f.mu.Lock()
	defer f.mu.Unlock()
	if x.Connectivity == ConnectivityVpcEndpointService {
		svc, ok := f.services[x.VpcEndpointServiceName]
		if !ok || svc.Owner != "" && x.VpcEndpointServiceOwner != "" && svc.Owner != x.VpcEndpointServiceOwner {
			return kmsmodel.ConnectionErrorXksVpcEndpointServiceNotFound
		}
		if svc.InvalidConfiguration {
			return kmsmodel.ConnectionErrorXksVpcEndpointServiceInvalidConfiguration
		}
	}
	if routed {
		return routedCode
	}
	p, ok := f.proxies[x.UriEndpoint]
	if ok && p.ConnectionErrorCode != "" {
		return p.ConnectionErrorCode
	}
	out, _ := seededProxyFailure(p, ok, x)
	return out.ConnectionErrorCode
}

// accepts reports whether the proxy accepts the credential.
func (p XksProxy) accepts(accessKeyID, secret string) bool {
	if p.AccessKeyId == "" && p.RawSecretAccessKey == "" {
		return true
	}
	return p.AccessKeyId == accessKeyID && p.RawSecretAccessKey == secret
}
