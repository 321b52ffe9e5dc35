package resolve

import (
	"crypto/tls"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParse(t *testing.T) {
	good := []struct {
		in   map[string]string
		want Table
	}{
		{map[string]string{"xks.example.com": "127.0.0.1:4600"}, Table{"xks.example.com:443": "127.0.0.1:4600"}},
		{map[string]string{"XKS.Example.com:8443": "localhost:1"}, Table{"xks.example.com:8443": "localhost:1"}},
		{map[string]string{"::1": "[::1]:4600"}, Table{"[::1]:443": "[::1]:4600"}},
		{map[string]string{"[::1]:4443": "10.0.0.1:65535"}, Table{"[::1]:4443": "10.0.0.1:65535"}},
		{nil, Table{}},
	}
	for _, tt := range good {
		got, err := Parse(tt.in)
		require.NoError(t, err, tt.in)
		assert.Equal(t, tt.want, got)
	}

	bad := []struct {
		name string
		in   map[string]string
		want string
	}{
		{"URL as name", map[string]string{"https://xks.example.com": "127.0.0.1:1"}, `"https://xks.example.com": want a host name`},
		{"path in name", map[string]string{"xks.example.com/x": "127.0.0.1:1"}, "not a URL"},
		{"empty name", map[string]string{"": "127.0.0.1:1"}, `"": want a host name`},
		{"bad name port", map[string]string{"xks.example.com:https": "127.0.0.1:1"}, `has port "https"`},
		{"name port too big", map[string]string{"xks.example.com:70000": "127.0.0.1:1"}, `has port "70000"`},
		{"address without port", map[string]string{"xks.example.com": "127.0.0.1"}, `"xks.example.com"="127.0.0.1": the address must be HOST:PORT`},
		{"address without host", map[string]string{"xks.example.com": ":4600"}, "must be HOST:PORT"},
		{"address port 0", map[string]string{"xks.example.com": "127.0.0.1:0"}, `has port "0"`},
		{"same name twice", map[string]string{"xks.example.com": "127.0.0.1:1", "XKS.example.com:443": "127.0.0.1:2"}, "xks.example.com:443 is given twice"},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Parse(tt.in)
			require.Error(t, err)
			assert.Nil(t, got)
			assert.Contains(t, err.Error(), tt.want)
		})
	}
}

// tlsServer serves HTTPS with httptest's certificate (for example.com,
// *.example.com and 127.0.0.1) and records the SNI and Host of each request.
func tlsServer(t *testing.T) (srv *httptest.Server, seen *[]string) {
	t.Helper()
	seen = &[]string{}
	srv = httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		*seen = append(*seen, r.TLS.ServerName+" "+r.Host)
	}))
	t.Cleanup(srv.Close)
	return srv, seen
}

// transport returns a transport trusting srv's certificate.
func transport(srv *httptest.Server) *http.Transport {
	return &http.Transport{TLSClientConfig: &tls.Config{RootCAs: srv.Client().Transport.(*http.Transport).TLSClientConfig.RootCAs}}
}

func TestApplyOnlyTheseNames(t *testing.T) {
	srv, seen := tlsServer(t)
	tr := transport(srv)
	Table{"example.com:443": srv.Listener.Addr().String()}.Apply(tr, false)
	hc := &http.Client{Transport: tr}

	res, err := hc.Get("https://EXAMPLE.com/")
	require.NoError(t, err)
	res.Body.Close()
	assert.Equal(t, []string{"EXAMPLE.com EXAMPLE.com"}, *seen, "SNI and Host for the name, certificate verified for it")

	_, err = hc.Get("https://other.example.com/")
	require.ErrorContains(t, err, "this client reaches only example.com:443, not other.example.com:443")
	_, err = hc.Get("https://" + srv.Listener.Addr().String() + "/")
	require.ErrorContains(t, err, "not 127.0.0.1:")
	assert.Len(t, *seen, 1)
}

func TestApplyCertificateCheckedForTheName(t *testing.T) {
	srv, seen := tlsServer(t)
	tr := transport(srv)
	Table{"xks.example.org:443": srv.Listener.Addr().String()}.Apply(tr, false)
	_, err := (&http.Client{Transport: tr}).Get("https://xks.example.org/")
	require.ErrorContains(t, err, "not xks.example.org")
	assert.Empty(t, *seen)
}

func TestApplyOtherNamesAsBefore(t *testing.T) {
	srv, seen := tlsServer(t)
	plain := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { _, _ = io.WriteString(w, "plain") }))
	defer plain.Close()

	var proxied []string
	tr := transport(srv)
	tr.Proxy = func(r *http.Request) (*url.URL, error) {
		proxied = append(proxied, r.URL.Host)
		return nil, nil
	}
	Table{"example.com:443": srv.Listener.Addr().String()}.Apply(tr, true)
	hc := &http.Client{Transport: tr}

	res, err := hc.Get("https://example.com/")
	require.NoError(t, err)
	res.Body.Close()
	res, err = hc.Get(plain.URL)
	require.NoError(t, err)
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	assert.Equal(t, "plain", string(b))
	assert.Len(t, *seen, 1)
	assert.Equal(t, []string{plain.Listener.Addr().String()}, proxied, "the proxy is asked about other names only")
}
