package main

import (
	"crypto/x509"
	"flag"
	"fmt"
	"net/http"
	"os"
	"strings"

	"github.com/kmskit/kms/xksproxy"
)

// xksReach are the flags that say how cks reaches XKS proxies from here:
// through bastions and port forwards, and a private (VPC) proxy from
// outside its VPC.
type xksReach struct {
	resolve stringList
	caFile  string
}

func (x *xksReach) register(fs *flag.FlagSet) {
	fs.Var(&x.resolve, "xks-resolve", "NAME=ADDRESS: reach the XKS proxy NAME (the host of XksProxyUriEndpoint) at ADDRESS (HOST:PORT), with SNI, Host and the certificate check for NAME, as curl --resolve does (repeat the flag)")
	fs.StringVar(&x.caFile, "xks-ca-file", "", "PEM file of the CAs XKS proxies' certificates chain to (default: the system's roots); the certificate check then also takes them as the CAs KMS trusts")
}

// flagValueError is a bad flag value: a usage error (exit 3).
type flagValueError string

func (e flagValueError) Error() string { return string(e) }

// client returns the HTTP client that reaches the proxies as the flags
// say, with the roots of --xks-ca-file (nil without it); both are nil when
// neither flag is given, and the library's defaults apply. A bad flag
// value is a flagValueError; a CA file that cannot be read, another error.
func (x *xksReach) client() (*http.Client, *x509.CertPool, error) {
	if len(x.resolve) == 0 && x.caFile == "" {
		return nil, nil, nil
	}
	resolve := map[string]string{}
	for _, r := range x.resolve {
		name, addr, ok := strings.Cut(r, "=")
		if !ok || name == "" || addr == "" {
			return nil, nil, flagValueError(fmt.Sprintf("--xks-resolve %q is not NAME=ADDRESS, e.g. xks.example.com=127.0.0.1:4600", r))
		}
		key := strings.ToLower(name)
		if _, dup := resolve[key]; dup {
			return nil, nil, flagValueError("--xks-resolve names " + name + " twice")
		}
		resolve[key] = addr
	}
	var roots *x509.CertPool
	if x.caFile != "" {
		pem, err := os.ReadFile(x.caFile)
		if err != nil {
			return nil, nil, fmt.Errorf("--xks-ca-file: %w", err)
		}
		roots = x509.NewCertPool()
		if !roots.AppendCertsFromPEM(pem) {
			return nil, nil, flagValueError("--xks-ca-file " + x.caFile + ": no PEM certificate in it")
		}
	}
	hc, err := xksproxy.ClientFor(resolve, roots)
	if err != nil {
		return nil, nil, flagValueError("--xks-resolve: " + strings.TrimPrefix(err.Error(), "xksproxy: "))
	}
	return hc, roots, nil
}
