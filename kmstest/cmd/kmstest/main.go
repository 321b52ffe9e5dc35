// Command kmstest serves the kmstest fake of AWS KMS custom key stores over
// HTTP, for the AWS CLI, other SDKs and programs outside Go:
//
//	go run github.com/kmskit/kms/kmstest/cmd/kmstest -addr 127.0.0.1:4599 -seed stores.json
//	aws kms connect-custom-key-store --endpoint-url http://127.0.0.1:4599 \
//	    --custom-key-store-id cks-1234567890abcdef0
//	aws kms describe-custom-key-stores --endpoint-url http://127.0.0.1:4599
//
// It implements the six custom key store operations (CreateCustomKeyStore,
// DescribeCustomKeyStores, ConnectCustomKeyStore, DisconnectCustomKeyStore,
// DeleteCustomKeyStore, UpdateCustomKeyStore) with every documented rule,
// and its stores move through CONNECTING and DISCONNECTING in real time (see
// the kmstest package documentation, including where it differs from KMS).
// It logs each call to standard error with secrets redacted, and stops
// cleanly on SIGINT or SIGTERM.
//
// Flags:
//
//	-addr              address to listen on (default 127.0.0.1:4599; port 0 picks one)
//	-seed              JSON seed file (default: start empty)
//	-region            Region that signatures must be scoped to (default: any)
//	-transition-delay  how long a store stays CONNECTING or DISCONNECTING
//	                   (default 200ms; 0 makes transitions immediate)
//	-read-timeout      longest time to read one request, body included (default 30s)
//	-write-timeout     longest time from the end of a request's headers to the end of its answer (default 30s)
//	-idle-timeout      longest time a keep-alive connection waits for its next request (default 2m)
//	-max-calls         calls kept for inspection, oldest dropped (default 10000; 0 keeps none)
//	-max-call-bytes    bytes of calls kept for inspection, oldest dropped (default 16 MiB; 0 keeps none)
//	-xks-proxy         ENDPOINT=ADDRESS: call the XKS proxy listening at ADDRESS for the
//	                   stores whose XksProxyUriEndpoint is ENDPOINT (repeatable, once an endpoint)
//	-xks-ca            PEM file of the CA certificates the -xks-proxy proxies' certificates
//	                   chain to (default: the system's roots)
//	-xks-proxy-timeout how long the fake waits for a routed proxy's answer (default 250ms,
//	                   KMS's; a later answer is XKS_PROXY_TIMED_OUT)
//
// The timeouts bound what a slow or stalled client can hold: a connection
// that sends its body too slowly is closed when -read-timeout ends. What
// the command keeps and logs of a call is bounded too: its input is kept
// up to 64 KiB and logged up to 2 KiB (a longer one is logged as an excerpt
// marked "...[cut by kmstest]", with input_bytes giving its whole length),
// its target is cut after 2 KiB, and a value a message repeats after 128
// characters (see the kmstest package documentation).
//
// # Calling running XKS proxies
//
// By default an external key store's proxy is simulated (the seed's
// XksProxies). With -xks-proxy the fake calls a real process instead, such
// as the xksproxy command, exactly as KMS calls a proxy and as
// kmstest.Fake.RouteXksProxy does in Go tests: on ConnectCustomKeyStore,
// on CreateCustomKeyStore, and on UpdateCustomKeyStore of a CONNECTED store
// that changes its credential or path, it sends GetHealthStatus over HTTPS
// to the endpoint's host name (port 443) connecting to ADDRESS, with SNI
// and Host for the name and the certificate verified for it against
// -xks-ca, through the store's XksProxyUriPath, signed with the store's
// credential; the outcome is the exception or ConnectionErrorCode KMS
// gives (a credential the proxy does not accept: INVALID_CREDENTIALS on
// connect, XksProxyIncorrectAuthenticationCredentialException on update).
// A proxy that reloads its configuration is called with what it serves at
// each call; one that is down is XKS_PROXY_NOT_REACHABLE; one that answers
// after -xks-proxy-timeout (KMS's 250 ms; raise it on a loaded machine) is
// XKS_PROXY_TIMED_OUT.
//
//	xksproxy -addr 127.0.0.1:4600 -config proxy.json -tls-self-signed xks.example.com
//	kmstest -seed stores.json -xks-proxy https://xks.example.com=127.0.0.1:4600 -xks-ca xksproxy-ca.pem
//
// A bad -xks-proxy (no '=', not https://<host name>, an address that is not
// HOST:PORT, an endpoint an earlier -xks-proxy routes) or an unreadable
// -xks-ca stops the command before it listens.
// The seed's XksProxyRoutes do the same from the seed file; -xks-proxy wins
// for the same endpoint, and either wins over XksProxies.
//
// # Seed file
//
// The seed is one JSON object; every member is optional, and an unknown
// member is an error (member names match case-insensitively). See
// example-seed.json next to this file (every member but XksProxyRoutes).
//
//	{
//	  "Stores": [{
//	    "CustomKeyStoreId":   "cks-1234567890abcdef0",  // required, unique
//	    "CustomKeyStoreName": "MyStore",                // unique when set
//	    "CustomKeyStoreType": "AWS_CLOUDHSM",           // or "EXTERNAL_KEY_STORE"; required
//	    "ConnectionState":    "CONNECTED",              // CONNECTED, CONNECTING, DISCONNECTED (default), DISCONNECTING, FAILED
//	    "ConnectionErrorCode": "",                      // FAILED only, e.g. "INVALID_CREDENTIALS"
//	    "CreationDate":       "2024-01-02T03:04:05Z",   // default: when the seed is loaded
//	    "KeyCount":           0,                        // KMS keys in the store; DeleteCustomKeyStore needs 0
//	    "CloudHsmClusterId":  "cluster-2a34b5cdefg",    // AWS_CLOUDHSM only
//	    "TrustAnchorCertificate": "...",                // AWS_CLOUDHSM only
//	    "KeyStorePassword":   "...",                    // AWS_CLOUDHSM only
//	    "XksProxyConfiguration": {                      // EXTERNAL_KEY_STORE only
//	      "AccessKeyId": "...", "RawSecretAccessKey": "...",
//	      "Connectivity": "PUBLIC_ENDPOINT",            // default; or "VPC_ENDPOINT_SERVICE"
//	      "UriEndpoint": "https://proxy.example.com", "UriPath": "/kms/xks/v1",
//	      "VpcEndpointServiceName": "...", "VpcEndpointServiceOwner": "111122223333"
//	    }
//	  }],
//	  "Clusters": [{                                    // CloudHSM clusters
//	    "ClusterId": "cluster-2a34b5cdefg",             // required
//	    "BackupLineage": "prod",                        // same lineage = related clusters
//	    "State": "ACTIVE",                              // default ACTIVE; any other value is not active
//	    "InvalidConfiguration": false,
//	    "HsmCount": 2,                                  // default 2; create needs 2, connect 1
//	    "TrustAnchorCertificate": "...",                // empty: any certificate is its trust anchor
//	    "KmsuserPassword": "...",                       // empty: accepts any store password
//	    "KmsuserState": "",                             // or "NOT_FOUND", "LOCKED_OUT", "LOGGED_IN"
//	    "ConnectionErrorCode": ""                       // e.g. "SUBNET_NOT_FOUND": every connect FAILS with it
//	  }],
//	  "XksProxies": [{                                  // simulated proxies external stores connect to
//	    "UriEndpoint": "https://proxy.example.com",     // required
//	    "UriPath": "/kms/xks/v1",                       // empty: serves any path
//	    "AccessKeyId": "...", "RawSecretAccessKey": "...", // the credential it accepts; empty: any
//	    "Unreachable": false, "InvalidResponse": false,
//	    "ConnectionErrorCode": ""                       // e.g. "XKS_PROXY_TIMED_OUT": every connect FAILS with it
//	  }],
//	  "XksProxyRoutes": [{                              // running proxies the fake calls, as -xks-proxy
//	    "UriEndpoint": "https://xks.example.com",       // required, unique
//	    "Address": "127.0.0.1:4600",                    // required: where the proxy listens
//	    "CAFile": "xksproxy-ca.pem"                     // as -xks-ca, relative to the seed file; empty: system roots
//	  }],
//	  "VpcEndpointServices": [{
//	    "ServiceName": "com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0", // required
//	    "Owner": "111122223333",                        // empty: any owner
//	    "InvalidConfiguration": false
//	  }],
//	  "Credentials": [{                                 // when present, requests must be SigV4-signed with one
//	    "AccessKeyId": "AKIDEXAMPLE", "SecretAccessKey": "...", "SessionToken": ""
//	  }],
//	  "CustomKeyStoreLimit": 0                          // most stores CreateCustomKeyStore allows; 0: no limit
//	}
//
// Seed values are not checked against the API's model constraints, so a
// seed can hold stores that a real account could not.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"
	"unicode/utf8"

	"github.com/kmskit/kms/internal/xksmodel"
	"github.com/kmskit/kms/kmstest"
)

func main() {
	err := run(context.Background(), os.Args[1:], os.Stderr, nil)
	switch {
	case errors.Is(err, flag.ErrHelp):
		os.Exit(0)
	case errors.Is(err, errUsage):
		os.Exit(2)
	case err != nil:
		fmt.Fprintln(os.Stderr, errorLine(err))
		os.Exit(1)
	}
}

// errUsage reports bad flags; the flag package has already printed why.
var errUsage = errors.New("usage")

// flags are the command's settings.
type flags struct {
	addr, seedPath, region                 string
	transitionDelay                        time.Duration
	readTimeout, writeTimeout, idleTimeout time.Duration
	maxCalls, maxCallBytes                 int
	xksProxies                             []string // -xks-proxy values
	xksCA                                  string
	xksTimeout                             time.Duration
}

// parseFlags reads args; a bad flag or argument is errUsage (and -h
// flag.ErrHelp), after the reason is printed to stderr.
func parseFlags(args []string, stderr io.Writer) (flags, error) {
	var f flags
	fs := flag.NewFlagSet("kmstest", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = usage(fs)
	fs.StringVar(&f.addr, "addr", "127.0.0.1:4599", "address to listen on")
	fs.StringVar(&f.seedPath, "seed", "", "JSON seed file")
	fs.StringVar(&f.region, "region", "", "Region that SigV4 signatures must be scoped to (default any)")
	fs.DurationVar(&f.transitionDelay, "transition-delay", kmstest.DefaultTransitionDelay,
		"how long a store stays CONNECTING or DISCONNECTING (0: immediate)")
	fs.DurationVar(&f.readTimeout, "read-timeout", 30*time.Second, "longest time to read one request, body included")
	fs.DurationVar(&f.writeTimeout, "write-timeout", 30*time.Second, "longest time from the end of a request's headers to the end of its answer")
	fs.DurationVar(&f.idleTimeout, "idle-timeout", 2*time.Minute, "longest time a keep-alive connection waits for its next request")
	fs.IntVar(&f.maxCalls, "max-calls", kmstest.DefaultMaxCalls, "calls kept for inspection, oldest dropped (0 keeps none)")
	fs.IntVar(&f.maxCallBytes, "max-call-bytes", kmstest.DefaultMaxCallBytes, "bytes of calls kept for inspection, oldest dropped (0 keeps none)")
	fs.Func("xks-proxy", "call the XKS proxy listening at ADDRESS for the stores whose XksProxyUriEndpoint is ENDPOINT,\n"+
		"given as `ENDPOINT=ADDRESS`, e.g. https://xks.example.com=127.0.0.1:4600 (repeatable, once an endpoint)", func(v string) error {
		f.xksProxies = append(f.xksProxies, v)
		return nil
	})
	fs.DurationVar(&f.xksTimeout, "xks-proxy-timeout", xksmodel.KMSLatencyBudget,
		"how long the fake waits for a -xks-proxy proxy's answer, as KMS does; a later answer is a timeout")
	fs.StringVar(&f.xksCA, "xks-ca", "", "PEM `FILE` of the CA certificates the -xks-proxy proxies' certificates chain to\n"+
		"(xksproxy -tls-self-signed writes xksproxy-ca.pem; default: the system's roots)")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return f, err
		}
		return f, errUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "kmstest: unexpected arguments %q\n", fs.Args())
		return f, errUsage
	}
	if f.readTimeout <= 0 || f.writeTimeout <= 0 || f.idleTimeout <= 0 || f.xksTimeout <= 0 || f.maxCalls < 0 || f.maxCallBytes < 0 {
		fmt.Fprintln(stderr, "kmstest: -read-timeout, -write-timeout, -idle-timeout and -xks-proxy-timeout must be positive, -max-calls and -max-call-bytes not negative")
		return f, errUsage
	}
	return f, nil
}

// routeXksProxies routes each -xks-proxy of f in fake. The error names
// the flag and the value at fault.
func routeXksProxies(fake *kmstest.Fake, f flags) error {
	if f.xksCA != "" && len(f.xksProxies) == 0 {
		return errors.New("-xks-ca is for the proxies of -xks-proxy: give both")
	}
	earlier := map[string]string{} // endpoint → the -xks-proxy value that routed it
	for _, v := range f.xksProxies {
		endpoint, addr, ok := strings.Cut(v, "=")
		if !ok {
			return fmt.Errorf("-xks-proxy %q: want ENDPOINT=ADDRESS, such as https://xks.example.com=127.0.0.1:4600", v)
		}
		if e, dup := earlier[endpoint]; dup {
			return fmt.Errorf("-xks-proxy %q: the endpoint %s is routed by an earlier -xks-proxy (%q); give each endpoint once", v, endpoint, e)
		}
		earlier[endpoint] = v
		if err := fake.RouteXksEndpoint(kmstest.XksProxyRoute{UriEndpoint: endpoint, Address: addr, CAFile: f.xksCA}); err != nil {
			if reason := errors.Unwrap(err); reason != nil {
				err = reason // without the "kmstest: XKS proxy route" the flag replaces
			}
			return fmt.Errorf("-xks-proxy %q: %w", v, err)
		}
	}
	return nil
}

// newHTTPServer returns the server for h with the timeouts of f, so that no
// slow or stalled client holds a connection for long.
func newHTTPServer(f flags, h http.Handler) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: min(10*time.Second, f.readTimeout),
		ReadTimeout:       f.readTimeout,
		WriteTimeout:      f.writeTimeout,
		IdleTimeout:       f.idleTimeout,
	}
}

// errorLine is how main prints err: with one "kmstest:" prefix, whether or
// not err comes from package kmstest, whose errors start with it already.
func errorLine(err error) string {
	if msg := err.Error(); strings.HasPrefix(msg, "kmstest: ") {
		return msg
	}
	return "kmstest: " + err.Error()
}

// usage is what -help prints: the flags and where the seed format is.
func usage(fs *flag.FlagSet) func() {
	return func() {
		out := fs.Output()
		fmt.Fprintln(out, "Usage: kmstest [flags]")
		fmt.Fprintln(out, "Serves the kmstest fake of AWS KMS custom key stores over HTTP.")
		fmt.Fprintln(out)
		fmt.Fprintln(out, "Flags:")
		fs.PrintDefaults()
		fmt.Fprintln(out, `
Seed file (-seed): one JSON object with the optional members Stores, Clusters,
XksProxies (simulated proxies), XksProxyRoutes (running proxies, as
-xks-proxy: [{"UriEndpoint": "https://xks.example.com", "Address":
"127.0.0.1:4600", "CAFile": "xksproxy-ca.pem"}], CAFile relative to the seed
file), VpcEndpointServices and Credentials (Credentials turn SigV4
verification on). Unknown members are errors. A seed using every member but
XksProxyRoutes (which needs a running proxy) is
kmstest/cmd/kmstest/example-seed.json in github.com/kmskit/kms; each member is
described by: go doc github.com/kmskit/kms/kmstest/cmd/kmstest`)
	}
}

// run serves until ctx is done or SIGINT/SIGTERM arrives, then shuts down.
// ready, when set, is called with the listening address once requests can
// be served.
func run(ctx context.Context, args []string, stderr io.Writer, ready func(addr string)) error {
	f, err := parseFlags(args, stderr)
	if err != nil {
		return err
	}
	logger := slog.New(slog.NewTextHandler(stderr, nil))
	seed, err := loadSeed(f.seedPath)
	if err != nil {
		return err
	}
	fake, err := newFake(seed, f.region, f.transitionDelay, logger, kmstest.WithMaxCalls(f.maxCalls), kmstest.WithMaxCallBytes(f.maxCallBytes),
		kmstest.WithXksProxyTimeout(f.xksTimeout))
	if err != nil {
		return err
	}
	if err := routeXksProxies(fake, f); err != nil {
		return err
	}

	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()

	ln, err := net.Listen("tcp", f.addr)
	if err != nil {
		return err
	}
	srv := newHTTPServer(f, fake)
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()

	url := "http://" + ln.Addr().String()
	logger.Info("kmstest listening", "url", url, "stores", len(seed.Stores), "sigv4", len(seed.Credentials) > 0,
		"xks_proxy_routes", len(seed.XksProxyRoutes)+len(f.xksProxies))
	if ready != nil {
		ready(ln.Addr().String())
	}

	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}
	logger.Info("kmstest shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return err
	}
	if err := <-served; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// loadSeed reads the seed file at path; "" is an empty seed.
func loadSeed(path string) (kmstest.Seed, error) {
	if path == "" {
		return kmstest.Seed{}, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return kmstest.Seed{}, err
	}
	defer f.Close()
	seed, err := kmstest.ReadSeed(f)
	if err != nil {
		return kmstest.Seed{}, fmt.Errorf("%w (seed file %s)", err, path)
	}
	for i, r := range seed.XksProxyRoutes {
		if r.CAFile != "" && !filepath.IsAbs(r.CAFile) {
			seed.XksProxyRoutes[i].CAFile = filepath.Join(filepath.Dir(path), r.CAFile)
		}
	}
	return seed, nil
}

// newFake returns a fake holding seed, with transitions of transitionDelay
// and the other options opts, that logs every call to logger.
func newFake(seed kmstest.Seed, region string, transitionDelay time.Duration, logger *slog.Logger, opts ...kmstest.Option) (*kmstest.Fake, error) {
	opts = append([]kmstest.Option{kmstest.WithRegion(region), kmstest.WithTransitionDelay(transitionDelay),
		kmstest.WithCallHook(func(c kmstest.Call) { logCall(logger, c) })}, opts...)
	fake := kmstest.NewFake(opts...)
	if err := fake.Load(seed); err != nil {
		return nil, err
	}
	return fake, nil
}

// maxLoggedInput is how many bytes of a call's input (as JSON) its log
// line shows.
const maxLoggedInput = 2 << 10

// logCall logs one call; its input already has its secrets redacted. An
// input longer than maxLoggedInput is logged as an excerpt that ends in
// "..." and kmstest.InputCut, with input_bytes giving its whole length.
func logCall(logger *slog.Logger, c kmstest.Call) {
	input, _ := json.Marshal(c.Input)
	attrs := []any{"request_id", c.RequestID, "target", c.Target, "status", c.Status}
	if len(input) > maxLoggedInput {
		n := maxLoggedInput
		for n > 0 && !utf8.RuneStart(input[n]) {
			n--
		}
		attrs = append(attrs, "input", string(input[:n])+"..."+kmstest.InputCut, "input_bytes", len(input))
	} else {
		attrs = append(attrs, "input", string(input))
	}
	if c.Code != "" || c.Status >= 400 || c.Status == 0 {
		logger.Warn("call failed", append(attrs, "code", c.Code, "message", c.Message)...)
		return
	}
	logger.Info("call", attrs...)
}
