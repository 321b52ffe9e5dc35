package main

import (
	"bytes"
	"crypto/rand"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/kmskit/kms/internal/xksmodel"
	"github.com/kmskit/kms/kmstest"
)

// fleet is what the proxy serves at one time: a kmstest.XksProxyFake per
// prefix of the configuration.
type fleet struct {
	byPrefix map[string]*kmstest.XksProxyFake // by prefix served, "" or "/tenant-a"
	fallback *kmstest.XksProxyFake            // answers a path no prefix serves
	paths    []string                         // the XksProxyUriPaths served, sorted
	keys     int                              // external key IDs, over all prefixes
}

// server serves the current fleet; load replaces it. A key ID names one
// key: every prefix serving it has the same key material, which survives
// reloads (also the key's removal and return) unless the configuration
// gives another.
type server struct {
	hook func(kmstest.XksCall)
	cur  atomic.Pointer[fleet]

	mu       sync.Mutex        // serializes load
	material map[string][]byte // key material by key ID, of every key served so far
}

// newServer returns a server calling hook after each call; load gives it a
// fleet.
func newServer(hook func(kmstest.XksCall)) *server {
	return &server{hook: hook, material: map[string][]byte{}}
}

// ServeHTTP passes the request to the fake of its prefix.
func (s *server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f := s.cur.Load()
	prefix, _, _, _ := xksmodel.ParseURI(r.URL.Path)
	fake, ok := f.byPrefix[prefix]
	if !ok {
		fake = f.fallback // it serves no such prefix either: InvalidUriPathException
	}
	fake.ServeHTTP(w, r)
}

// load builds the fleet of entries and serves it from now on, or returns
// why it cannot, and then changes nothing. where(i, e) begins the error
// about element i.
func (s *server) load(entries []entry, where func(int, entry) string) (*fleet, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	material, err := s.keyMaterial(entries, where)
	if err != nil {
		return nil, err
	}
	f := &fleet{byPrefix: map[string]*kmstest.XksProxyFake{}}
	for i, e := range entries {
		creds := make([]kmstest.XksCredential, len(e.Credentials))
		for j, c := range e.Credentials {
			creds[j] = kmstest.XksCredential{AccessKeyID: c.AccessKeyId, SecretAccessKey: c.SecretAccessKey}
		}
		keys := make([]kmstest.XksKey, len(e.Keys))
		for j, k := range e.Keys {
			k.Material = material[k.ID]
			keys[j] = k
		}
		fake, err := kmstest.NewXksProxyFake(
			kmstest.WithXksCallHook(s.hook),
			kmstest.WithXksURIPrefix(e.UriPrefix),
			kmstest.WithXksCredentials(creds...),
			kmstest.WithXksKeys(keys...),
			kmstest.WithXksMaxCalls(0), // calls are logged, never inspected: keep none
		)
		if err != nil {
			return nil, fmt.Errorf("%s%s", where(i, e), strings.TrimPrefix(err.Error(), "kmstest: "))
		}
		path := fake.URIPaths()[0]
		prefix := strings.TrimSuffix(path, xksmodel.APIPath)
		if _, dup := f.byPrefix[prefix]; dup {
			return nil, fmt.Errorf("%sserves %s, as an earlier element does", where(i, e), path)
		}
		f.byPrefix[prefix] = fake
		f.paths = append(f.paths, path)
		if f.fallback == nil {
			f.fallback = fake
		}
	}
	slices.Sort(f.paths)
	f.keys = len(material)
	maps.Copy(s.material, material) // a key removed keeps its material for its return
	s.cur.Store(f)
	return f, nil
}

// keyMaterial returns the key material of every key ID of entries: the
// one an entry gives, else the one the ID had, else a new random one.
func (s *server) keyMaterial(entries []entry, where func(int, entry) string) (map[string][]byte, error) {
	out := map[string][]byte{}
	for i, e := range entries {
		for _, k := range e.Keys {
			if k.Material == nil {
				continue
			}
			if prev, ok := out[k.ID]; ok && !bytes.Equal(prev, k.Material) {
				return nil, fmt.Errorf("%skey %q has another Material than in an earlier element (a key ID is one key)", where(i, e), k.ID)
			}
			out[k.ID] = k.Material
		}
	}
	for _, e := range entries {
		for _, k := range e.Keys {
			if _, ok := out[k.ID]; ok {
				continue
			}
			if m, ok := s.material[k.ID]; ok {
				out[k.ID] = m
				continue
			}
			m := make([]byte, 32)
			_, _ = rand.Read(m)
			out[k.ID] = m
		}
	}
	return out, nil
}
