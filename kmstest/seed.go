package kmstest

import (
	"encoding/json"
	"fmt"
	"io"
	"maps"
)

// Seed is a whole starting state, as Go values or as a JSON file (see the
// kmstest command for the format) that [ReadSeed] reads and [WriteSeed]
// writes. Its JSON member names are those of the Go fields. json.Marshal
// of a Seed redacts its secrets, for logging: write seed files with
// WriteSeed.
type Seed struct {
	// Stores are the custom key stores.
	Stores []Store `json:"Stores,omitempty"`
	// Clusters are the CloudHSM clusters.
	Clusters []Cluster `json:"Clusters,omitempty"`
	// XksProxies are the external key store proxies, simulated.
	XksProxies []XksProxy `json:"XksProxies,omitempty"`
	// XksProxyRoutes send the calls for an endpoint to a running proxy
	// (see [Fake.RouteXksEndpoint]); a route wins over an XksProxies entry
	// at the same endpoint.
	XksProxyRoutes []XksProxyRoute `json:"XksProxyRoutes,omitempty"`
	// VpcEndpointServices are the VPC endpoint services.
	VpcEndpointServices []VpcEndpointService `json:"VpcEndpointServices,omitempty"`
	// Credentials, when any, turn SigV4 verification on and are accepted.
	Credentials []Credential `json:"Credentials,omitempty"`
	// CustomKeyStoreLimit, when not 0, is the most custom key stores the
	// account may have: CreateCustomKeyStore beyond it is
	// LimitExceededException. 0 keeps the fake's limit (none by default).
	CustomKeyStoreLimit int `json:"CustomKeyStoreLimit,omitempty"`
}

// ReadSeed decodes a JSON seed. Unknown members are errors, so that a typo
// in a seed file does not go unnoticed.
func ReadSeed(r io.Reader) (Seed, error) {
	var s Seed
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&s); err != nil {
		return Seed{}, fmt.Errorf("kmstest: reading seed: %w", err)
	}
	if dec.More() {
		return Seed{}, fmt.Errorf("kmstest: reading seed: data after the JSON object")
	}
	return s, nil
}

// WriteSeed writes seed to w as a JSON seed file that [ReadSeed] (and the
// kmstest command) read back, secrets included: unlike json.Marshal, which
// redacts them for logging.
func WriteSeed(w io.Writer, seed Seed) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(seedFile{
		plainSeed: plainSeed(seed),
		Stores: convert(seed.Stores, func(s Store) seedStore {
			return seedStore{plainStore(s), plainXksProxyConfiguration(s.XksProxyConfiguration)}
		}),
		Clusters:    convert(seed.Clusters, func(c Cluster) plainCluster { return plainCluster(c) }),
		XksProxies:  convert(seed.XksProxies, func(p XksProxy) plainXksProxy { return plainXksProxy(p) }),
		Credentials: convert(seed.Credentials, func(c Credential) plainCredential { return plainCredential(c) }),
	})
}

// seedFile is a Seed as WriteSeed writes it: each member that holds
// secrets in its method-free form, the rest as they are.
type seedFile struct {
	plainSeed
	Stores      []seedStore       `json:"Stores,omitempty"`
	Clusters    []plainCluster    `json:"Clusters,omitempty"`
	XksProxies  []plainXksProxy   `json:"XksProxies,omitempty"`
	Credentials []plainCredential `json:"Credentials,omitempty"`
}

// plainSeed is Seed without its members' methods.
type plainSeed Seed

// seedStore is a Store as WriteSeed writes it.
type seedStore struct {
	plainStore
	XksProxyConfiguration plainXksProxyConfiguration `json:"XksProxyConfiguration,omitzero"`
}

// convert applies f to each of in; nil stays nil.
func convert[T, U any](in []T, f func(T) U) []U {
	if in == nil {
		return nil
	}
	out := make([]U, len(in))
	for i, v := range in {
		out[i] = f(v)
	}
	return out
}

// Load adds everything in seed, all or nothing: on error the fake is
// unchanged. Stores follow the rules of [Fake.AddStore]; clusters, proxies
// and services must have their keys and must not repeat within seed;
// routes follow the rules of [Fake.RouteXksEndpoint] (their CA files are
// read now) and must not repeat either.
func (f *Fake) Load(seed Seed) error {
	routes, err := seedRoutes(seed.XksProxyRoutes) // reads files: before locking
	if err != nil {
		return err
	}
	f.mu.Lock()
	defer f.mu.Unlock()

	stores := make(map[string]*Store, len(f.stores)+len(seed.Stores))
	for id, s := range f.stores {
		c := *s
		stores[id] = &c
	}
	now := f.now()
	for _, s := range seed.Stores {
		if err := addStore(stores, s, now); err != nil {
			return err
		}
	}
	clusters := maps.Clone(f.clusters)
	if err := putAll(clusters, seed.Clusters, "cluster", func(c Cluster) string { return c.ClusterId }); err != nil {
		return err
	}
	proxies := maps.Clone(f.proxies)
	if err := putAll(proxies, seed.XksProxies, "XKS proxy", func(p XksProxy) string { return p.UriEndpoint }); err != nil {
		return err
	}
	services := maps.Clone(f.services)
	if err := putAll(services, seed.VpcEndpointServices, "VPC endpoint service", func(v VpcEndpointService) string { return v.ServiceName }); err != nil {
		return err
	}
	for _, c := range seed.Clusters {
		if err := checkNotLost(&c, "cluster "+c.ClusterId); err != nil {
			return err
		}
	}
	for _, p := range seed.XksProxies {
		if err := checkNotLost(&p, "XKS proxy "+p.UriEndpoint); err != nil {
			return err
		}
	}
	creds := maps.Clone(f.creds)
	for _, c := range seed.Credentials {
		if err := checkCredential(c); err != nil {
			return err
		}
		creds[c.AccessKeyId] = c
	}

	if seed.CustomKeyStoreLimit < 0 {
		return fmt.Errorf("kmstest: negative CustomKeyStoreLimit %d", seed.CustomKeyStoreLimit)
	}
	f.stores, f.clusters, f.proxies, f.services, f.creds = stores, clusters, proxies, services, creds
	if len(routes) > 0 {
		if f.routes == nil {
			f.routes = map[string]xksRoute{}
		}
		maps.Copy(f.routes, routes)
	}
	if seed.CustomKeyStoreLimit > 0 {
		f.limit = seed.CustomKeyStoreLimit
	}
	if len(seed.Credentials) > 0 {
		f.verify = true
	}
	return nil
}

// seedRoutes checks the routes of a seed and returns them by endpoint.
func seedRoutes(rs []XksProxyRoute) (map[string]xksRoute, error) {
	routes := map[string]xksRoute{}
	for _, r := range rs {
		if _, dup := routes[r.UriEndpoint]; dup {
			return nil, fmt.Errorf("kmstest: XKS proxy route %s appears twice in the seed", r.UriEndpoint)
		}
		route, err := newXksRoute(r)
		if err != nil {
			return nil, fmt.Errorf("kmstest: XKS proxy route %s in the seed: %w", r.UriEndpoint, err)
		}
		routes[r.UriEndpoint] = route
	}
	return routes, nil
}

// putAll adds items to m by key, rejecting empty and repeated keys.
func putAll[T any](m map[string]T, items []T, what string, key func(T) string) error {
	seen := map[string]bool{}
	for _, it := range items {
		k := key(it)
		if k == "" {
			return fmt.Errorf("kmstest: a %s in the seed has no key", what)
		}
		if seen[k] {
			return fmt.Errorf("kmstest: %s %s appears twice in the seed", what, k)
		}
		seen[k] = true
		m[k] = it
	}
	return nil
}
