// Package resolve sends an HTTP client's connections for a host name to
// another address, as curl's --resolve does: the client connects to the
// address, and still sends SNI and Host for the name and verifies the
// server's certificate for it. xksproxy.ClientFor and kmstest's routes to
// running XKS proxies (Fake.RouteXksProxy, -xks-proxy) are built on it.
package resolve

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// Table maps a "name:port" (the name in lower case) to the "host:port"
// address dialed for it.
type Table map[string]string

// Parse checks each NAME=ADDRESS pair of resolve and returns them as a
// Table. NAME is a host name (or IP address), optionally with ":PORT"; no
// port means 443, the only port KMS calls a proxy on. ADDRESS is
// "HOST:PORT". The error names the pair and the rule it breaks.
func Parse(resolve map[string]string) (Table, error) {
	t := make(Table, len(resolve))
	names := make([]string, 0, len(resolve))
	for name := range resolve {
		names = append(names, name)
	}
	slices.Sort(names) // the same error whatever the map order
	for _, name := range names {
		addr := resolve[name]
		key, err := nameKey(name)
		if err != nil {
			return nil, fmt.Errorf("%q: %v", name, err)
		}
		if err := CheckAddress(addr); err != nil {
			return nil, fmt.Errorf("%q=%q: the address %v", name, addr, err)
		}
		if _, dup := t[key]; dup {
			return nil, fmt.Errorf("%q: %s is given twice", name, key)
		}
		t[key] = addr
	}
	return t, nil
}

// nameKey returns the Table key of a NAME or NAME:PORT.
func nameKey(name string) (string, error) {
	if strings.Contains(name, "://") || strings.ContainsAny(name, "/?#@") {
		return "", fmt.Errorf("want a host name with an optional :PORT, such as xks.example.com, not a URL")
	}
	host, port := name, "443"
	if h, p, err := net.SplitHostPort(name); err == nil {
		host, port = h, p
	} else if strings.Contains(name, ":") && net.ParseIP(name) == nil {
		return "", fmt.Errorf("want NAME or NAME:PORT")
	}
	if host == "" || strings.ContainsAny(host, " \t[]") {
		return "", fmt.Errorf("want a host name with an optional :PORT, such as xks.example.com")
	}
	if err := checkPort(port); err != nil {
		return "", err
	}
	return Key(host, port), nil
}

// Key returns the Table key of host and port.
func Key(host, port string) string { return net.JoinHostPort(strings.ToLower(host), port) }

// CheckAddress checks an ADDRESS to dial: HOST:PORT. The error completes
// "the address ...".
func CheckAddress(addr string) error {
	host, port, err := net.SplitHostPort(addr)
	if err != nil || host == "" {
		return fmt.Errorf("must be HOST:PORT, such as 127.0.0.1:4600")
	}
	return checkPort(port)
}

// checkPort checks a port number.
func checkPort(port string) error {
	if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
		return fmt.Errorf("has port %q; want a number from 1 to 65535", port)
	}
	return nil
}

// Apply makes tr connect to the address of every name in t, never through
// tr.Proxy (which stays in use for other names). With others false any
// other address is refused, with an error listing the names t reaches;
// with others true it is dialed as before. tr must not set DialTLSContext.
func (t Table) Apply(tr *http.Transport, others bool) {
	dial := tr.DialContext
	if dial == nil {
		var d net.Dialer
		dial = d.DialContext
	}
	tr.DialContext = func(ctx context.Context, network, addr string) (net.Conn, error) {
		if to, ok := t[strings.ToLower(addr)]; ok {
			return dial(ctx, network, to)
		}
		if !others {
			return nil, fmt.Errorf("this client reaches only %s, not %s", t.names(), addr)
		}
		return dial(ctx, network, addr)
	}
	proxy := tr.Proxy
	tr.Proxy = func(req *http.Request) (*url.URL, error) {
		if _, ok := t[urlKey(req.URL)]; ok || proxy == nil || !others {
			return nil, nil
		}
		return proxy(req)
	}
}

// urlKey returns the Table key a request to u dials.
func urlKey(u *url.URL) string {
	port := u.Port()
	if port == "" {
		port = "443"
		if u.Scheme == "http" {
			port = "80"
		}
	}
	return Key(u.Hostname(), port)
}

// names lists the names of t, sorted.
func (t Table) names() string {
	names := make([]string, 0, len(t))
	for n := range t {
		names = append(names, n)
	}
	slices.Sort(names)
	return strings.Join(names, ", ")
}
