package kmstest_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/kmskit/kms/kmstest"
)

// t0 is where manual clocks start.
var t0 = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

// delay is the transition delay of newClockedWorld.
const delay = time.Minute

// newClockedWorld is newWorld on a manual clock with transitions of delay.
func newClockedWorld(t *testing.T, opts ...kmstest.Option) (*kmstest.Server, *kmstest.ManualClock) {
	t.Helper()
	clk := kmstest.NewManualClock(t0)
	return newWorld(t, append([]kmstest.Option{kmstest.WithClock(clk.Now), kmstest.WithTransitionDelay(delay)}, opts...)...), clk
}

// call sends target with the members in body.
func call(t *testing.T, srv *kmstest.Server, target string, body m) reply {
	t.Helper()
	b, err := json.Marshal(body)
	require.NoError(t, err)
	return sendRaw(t, srv, target, string(b))
}

// connect, disconnect and deleteStore call the operation on the store id.
func connect(t *testing.T, srv *kmstest.Server, id string) reply {
	t.Helper()
	return call(t, srv, kmstest.TargetConnectCustomKeyStore, m{"CustomKeyStoreId": id})
}

func disconnect(t *testing.T, srv *kmstest.Server, id string) reply {
	t.Helper()
	return call(t, srv, kmstest.TargetDisconnectCustomKeyStore, m{"CustomKeyStoreId": id})
}

func deleteStore(t *testing.T, srv *kmstest.Server, id string) reply {
	t.Helper()
	return call(t, srv, kmstest.TargetDeleteCustomKeyStore, m{"CustomKeyStoreId": id})
}

// entry is a CustomKeyStoresListEntry as the fake answers it.
type entry struct {
	CustomKeyStoreId       string
	CustomKeyStoreName     string
	CustomKeyStoreType     string
	CloudHsmClusterId      string
	TrustAnchorCertificate string
	ConnectionState        string
	ConnectionErrorCode    string
	CreationDate           float64
	XksProxyConfiguration  *struct {
		AccessKeyId, Connectivity, UriEndpoint, UriPath, VpcEndpointServiceName, VpcEndpointServiceOwner string
	}
}

// page is a DescribeCustomKeyStores answer.
type page struct {
	CustomKeyStores []entry
	NextMarker      *string
	Truncated       *bool
}

// describe sends DescribeCustomKeyStores and decodes a success.
func describe(t *testing.T, srv *kmstest.Server, body m) page {
	t.Helper()
	r := call(t, srv, kmstest.TargetDescribeCustomKeyStores, body)
	require.Equal(t, 200, r.Status, "answer: %s", r.Raw)
	var p page
	require.NoError(t, json.Unmarshal([]byte(r.Raw), &p))
	require.NotNil(t, p.Truncated, "Truncated is always sent: %s", r.Raw)
	return p
}

// describeOne describes the store id.
func describeOne(t *testing.T, srv *kmstest.Server, id string) entry {
	t.Helper()
	p := describe(t, srv, m{"CustomKeyStoreId": id})
	require.Len(t, p.CustomKeyStores, 1)
	return p.CustomKeyStores[0]
}

// requireState asserts the store's state and error code, through Describe
// and through Store.
func requireState(t *testing.T, srv *kmstest.Server, id string, state kmstest.ConnectionState, code string) {
	t.Helper()
	e := describeOne(t, srv, id)
	require.Equal(t, string(state), e.ConnectionState, "Describe of %s", id)
	require.Equal(t, code, e.ConnectionErrorCode, "Describe of %s", id)
	s := store(t, srv, id)
	require.Equal(t, state, s.ConnectionState, "Store(%s)", id)
	require.Equal(t, code, s.ConnectionErrorCode, "Store(%s)", id)
}

// intp returns a pointer to n.
func intp(n int) *int { return &n }
