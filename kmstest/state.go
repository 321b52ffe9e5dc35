package kmstest

import (
	"fmt"
	"maps"
	"slices"
	"time"
)

// AddStore adds a custom key store. Its ID must be new and its name unused;
// an empty ConnectionState means DISCONNECTED and an external store's empty
// Connectivity means PUBLIC_ENDPOINT. Member values are not checked against
// the model, so tests can seed any value.
func (f *Fake) AddStore(s Store) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	return addStore(f.stores, s, f.now())
}

// addStore checks s, fills its defaults (CreationDate: now) and adds it to
// stores.
func addStore(stores map[string]*Store, s Store, now time.Time) error {
	if s.CustomKeyStoreId == "" {
		return fmt.Errorf("kmstest: store has no CustomKeyStoreId")
	}
	if err := checkNotLost(&s, "store "+s.CustomKeyStoreId); err != nil {
		return err
	}
	if _, ok := stores[s.CustomKeyStoreId]; ok {
		return fmt.Errorf("kmstest: store %s already exists", s.CustomKeyStoreId)
	}
	if s.CustomKeyStoreName != "" {
		if other := storeNamed(stores, s.CustomKeyStoreName); other != nil {
			return fmt.Errorf("kmstest: store %s: name %q is used by store %s", s.CustomKeyStoreId, s.CustomKeyStoreName, other.CustomKeyStoreId)
		}
	}
	if s.ConnectionState == "" {
		s.ConnectionState = StateDisconnected
	}
	if !validState(s.ConnectionState) {
		return fmt.Errorf("kmstest: store %s: unknown ConnectionState %q", s.CustomKeyStoreId, s.ConnectionState)
	}
	if s.ConnectionErrorCode != "" && s.ConnectionState != StateFailed {
		return fmt.Errorf("kmstest: store %s: ConnectionErrorCode is set only for a FAILED store, not %s", s.CustomKeyStoreId, s.ConnectionState)
	}
	if s.KeyCount < 0 {
		return fmt.Errorf("kmstest: store %s: negative KeyCount %d", s.CustomKeyStoreId, s.KeyCount)
	}
	if s.CreationDate.IsZero() {
		s.CreationDate = now
	}
	s.CreationDate = s.CreationDate.Round(0)
	switch s.CustomKeyStoreType {
	case TypeCloudHSM:
		if s.XksProxyConfiguration != (XksProxyConfiguration{}) {
			return fmt.Errorf("kmstest: store %s: an AWS_CLOUDHSM store has no XksProxyConfiguration", s.CustomKeyStoreId)
		}
	case TypeExternal:
		if s.CloudHsmClusterId != "" || s.KeyStorePassword != "" || s.TrustAnchorCertificate != "" {
			return fmt.Errorf("kmstest: store %s: an EXTERNAL_KEY_STORE has no CloudHsmClusterId, KeyStorePassword or TrustAnchorCertificate", s.CustomKeyStoreId)
		}
		x := &s.XksProxyConfiguration
		if x.Connectivity == "" {
			x.Connectivity = ConnectivityPublicEndpoint
		}
		if x.Connectivity != ConnectivityPublicEndpoint && x.Connectivity != ConnectivityVpcEndpointService {
			return fmt.Errorf("kmstest: store %s: unknown Connectivity %q", s.CustomKeyStoreId, x.Connectivity)
		}
	default:
		return fmt.Errorf("kmstest: store %s: CustomKeyStoreType must be %s or %s, not %q", s.CustomKeyStoreId, TypeCloudHSM, TypeExternal, s.CustomKeyStoreType)
	}
	stores[s.CustomKeyStoreId] = &s
	return nil
}

// validState reports whether cs is a known ConnectionState.
func validState(cs ConnectionState) bool {
	switch cs {
	case StateConnected, StateConnecting, StateDisconnected, StateDisconnecting, StateFailed:
		return true
	}
	return false
}

// storeNamed returns the store called name, or nil.
func storeNamed(stores map[string]*Store, name string) *Store {
	for _, s := range stores {
		if s.CustomKeyStoreName == name {
			return s
		}
	}
	return nil
}

// Store returns a copy of the store with that ID, in the state the fake's
// clock says it is in.
func (f *Fake) Store(id string) (Store, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.settleLocked()
	s, ok := f.stores[id]
	if !ok {
		return Store{}, false
	}
	return *s, true
}

// Stores returns copies of all stores, ordered by ID.
func (f *Fake) Stores() []Store {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.settleLocked()
	out := make([]Store, 0, len(f.stores))
	for _, id := range slices.Sorted(maps.Keys(f.stores)) {
		out = append(out, *f.stores[id])
	}
	return out
}

// SetConnectionState sets a store's ConnectionState at once, cancelling
// any transition in progress. Its ConnectionErrorCode is kept for FAILED
// and cleared otherwise; use [Fake.SetConnectionFailed] to set one.
func (f *Fake) SetConnectionState(id string, cs ConnectionState) error {
	if !validState(cs) {
		return fmt.Errorf("kmstest: unknown ConnectionState %q", cs)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	s, err := f.seededStoreLocked(id)
	if err != nil {
		return err
	}
	delete(f.pending, id)
	s.ConnectionState = cs
	if cs != StateFailed {
		s.ConnectionErrorCode = ""
	}
	return nil
}

// SetConnectionFailed makes a store FAILED with the ConnectionErrorCode
// code at once, cancelling any transition in progress.
func (f *Fake) SetConnectionFailed(id, code string) error {
	if code == "" {
		return fmt.Errorf("kmstest: a FAILED store needs a ConnectionErrorCode")
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	s, err := f.seededStoreLocked(id)
	if err != nil {
		return err
	}
	delete(f.pending, id)
	s.ConnectionState, s.ConnectionErrorCode = StateFailed, code
	return nil
}

// SetCluster adds a CloudHSM cluster, or replaces the one with that ID.
func (f *Fake) SetCluster(c Cluster) error {
	if c.ClusterId == "" {
		return fmt.Errorf("kmstest: cluster has no ClusterId")
	}
	if err := checkNotLost(&c, "cluster "+c.ClusterId); err != nil {
		return err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.clusters[c.ClusterId] = c
	return nil
}

// SetXksProxy adds an XKS proxy, or replaces the one at that endpoint.
func (f *Fake) SetXksProxy(p XksProxy) error {
	if p.UriEndpoint == "" {
		return fmt.Errorf("kmstest: XKS proxy has no UriEndpoint")
	}
	if err := checkNotLost(&p, "XKS proxy "+p.UriEndpoint); err != nil {
		return err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.proxies[p.UriEndpoint] = p
	return nil
}

// SetVpcEndpointService adds a VPC endpoint service, or replaces the one
// with that name.
func (f *Fake) SetVpcEndpointService(v VpcEndpointService) error {
	if v.ServiceName == "" {
		return fmt.Errorf("kmstest: VPC endpoint service has no ServiceName")
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.services[v.ServiceName] = v
	return nil
}

// checkCredential checks a credential to accept.
func checkCredential(c Credential) error {
	if c.AccessKeyId == "" || c.SecretAccessKey == "" {
		return fmt.Errorf("kmstest: credential needs AccessKeyId and SecretAccessKey")
	}
	return checkNotLost(&c, "credential")
}

// AcceptCredential adds a credential that SigV4 verification accepts, and
// turns verification on.
func (f *Fake) AcceptCredential(c Credential) error {
	if err := checkCredential(c); err != nil {
		return err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.creds[c.AccessKeyId] = c
	f.verify = true
	return nil
}
