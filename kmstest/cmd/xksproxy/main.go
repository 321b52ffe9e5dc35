// Command xksproxy serves kmstest's fake XKS proxy, the XKS Proxy API v1
// that AWS KMS calls on an external key store proxy, for the standalone
// kmstest, cks, curl, the AWS compliance tests and programs outside Go:
//
//	export XKS_PROXY_ACCESS_KEY_ID=ABCDE23456FGHIJ7ABCD
//	export XKS_PROXY_SECRET_ACCESS_KEY=c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3JldA
//	go run github.com/kmskit/kms/kmstest/cmd/xksproxy -addr 127.0.0.1:4600 \
//	    -uri-prefix example/uri/path/prefix \
//	    -keys 'foo,encrypt_only_key:ENCRYPT,decrypt_only_key:DECRYPT,impotent_key:'
//	curl --aws-sigv4 aws:amz:us-east-1:kms-xks-proxy \
//	    --user "$XKS_PROXY_ACCESS_KEY_ID:$XKS_PROXY_SECRET_ACCESS_KEY" \
//	    -X POST -H Content-Type:application/json \
//	    --data '{"requestMetadata":{"kmsOperation":"KmsHealthCheck","kmsRequestId":"1"}}' \
//	    http://127.0.0.1:4600/example/uri/path/prefix/kms/xks/v1/health
//
// It serves plain HTTP on a loopback address, or HTTPS with -tls-cert and
// -tls-key or -tls-self-signed (required for any other address, and for
// the standalone kmstest, which calls proxies as KMS does, over HTTPS). It
// logs each call to standard error (method, path, status, error name;
// never a credential or plaintext) and stops cleanly on SIGINT or SIGTERM.
// The behaviour, and where it differs from the specification, is that of
// kmstest.XksProxyFake.
//
// # One prefix from flags
//
// The credential comes from the environment variables XKS_PROXY_ACCESS_KEY_ID
// and XKS_PROXY_SECRET_ACCESS_KEY, or from -credentials-file, never from the
// command line. The file is the XKS proxy configuration file that the AWS
// KMS console accepts (read by xksproxy.ReadConfigurationFile); its
// XksProxyUriPath, when set, gives the prefix unless -uri-prefix does:
//
//	{
//	  "XksProxyUriPath": "/example/uri/path/prefix/kms/xks/v1",
//	  "XksProxyAuthenticationCredential": {
//	    "AccessKeyId": "ABCDE23456FGHIJ7ABCD",
//	    "RawSecretAccessKey": "c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3JldA"
//	  }
//	}
//
// # Several prefixes and credentials: -config
//
// -config FILE serves every prefix of a JSON list, each with its own
// credentials and keys, and replaces -uri-prefix, -keys, -credentials-file
// and the environment variables. Unknown members are errors (names match
// case-insensitively):
//
//	[
//	  {
//	    "UriPrefix": "/tenant-a",                    // as -uri-prefix; "" serves /kms/xks/v1
//	    "Credentials": [                              // at least one; each is accepted
//	      {"AccessKeyId": "ABCDE23456FGHIJ7ABCD", "SecretAccessKey": "..."}
//	    ],
//	    "Keys": [                                     // kmstest.XksKey: only ID is required
//	      {"ID": "foo"},                              // AES_256, ENCRYPT and DECRYPT, ENABLED
//	      {"ID": "enc", "KeyUsage": ["ENCRYPT"], "KeyStatus": "DISABLED",
//	       "Material": "<Base64 of 32 bytes>"}        // default random
//	    ]
//	  },
//	  {"UriPrefix": "/tenant-b", "Credentials": [...], "Keys": [{"ID": "foo"}]}
//	]
//
// A key ID names one key: every prefix that lists it has the same key
// material (Material, or random), kept across reloads; give two proxy
// processes the same Material to model one key manager behind both. An
// AccessKeyId names one secret (XKS Proxy API, Appendix A): it is listed
// once under a prefix, and with the same SecretAccessKey under any other
// (one credential may serve several prefixes); the error shows it masked,
// as cks describe does ("…ABCD"). On
// SIGHUP the file is read again: a rotation is rehearsed by adding the new
// credential (or prefix), rotating, then removing the old one. Requests in
// flight finish with the configuration they started with. A file that
// cannot be read or checked changes nothing: the previous configuration
// stays and one line on standard error says why. Without -config, SIGHUP
// changes nothing.
//
// # Certificates: -tls-self-signed
//
// -tls-self-signed xks.example.com[,NAME...] issues a new CA and a server
// certificate for the names (valid for 30 days), serves HTTPS with it, and
// writes into -tls-dir (default: the working directory), replacing older
// files:
//
//	xksproxy-ca.pem    the CA certificate: kmstest -xks-ca, cks --xks-ca-file
//	xksproxy-cert.pem  the server certificate and its chain (-tls-cert)
//	xksproxy-key.pem   its private key (-tls-key), mode 0600
//
// A second proxy serving the same names uses the same files with -tls-cert
// and -tls-key: name both proxies' hosts in the first one's
// -tls-self-signed. A proxy restarted with -tls-self-signed has a new CA.
//
// Flags:
//
//	-addr              address to listen on (default 127.0.0.1:4600; port 0 picks one)
//	-config            JSON list of prefixes, credentials and keys; re-read on SIGHUP
//	-uri-prefix        path prefix before /kms/xks/v1 (default none)
//	-keys              external keys: id[:USAGE[+USAGE]],... (default "foo");
//	                   no suffix means ENCRYPT+DECRYPT, ":" alone means no usage
//	-credentials-file  XKS proxy configuration file holding the credential
//	-tls-cert, -tls-key  PEM certificate and key: serve HTTPS
//	-tls-self-signed   host names: serve HTTPS with a new certificate for them
//	-tls-dir           where -tls-self-signed writes its files (default .)
package main

import (
	"context"
	"crypto/tls"
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

	"github.com/kmskit/kms/kmstest"
	"github.com/kmskit/kms/xksproxy"
)

func main() {
	err := run(context.Background(), os.Args[1:], os.Getenv, os.Stderr, nil)
	switch {
	case errors.Is(err, flag.ErrHelp):
		os.Exit(0)
	case errors.Is(err, errUsage):
		os.Exit(2)
	case err != nil:
		fmt.Fprintln(os.Stderr, "xksproxy: "+strings.TrimPrefix(err.Error(), "kmstest: "))
		os.Exit(1)
	}
}

// errUsage reports bad flags; the flag package has already printed why.
var errUsage = errors.New("usage")

// config is what the flags, the environment and the files say.
type config struct {
	addr       string
	entries    []entry // the prefixes served
	configPath string  // -config: re-read on SIGHUP; "" when flags give the one prefix
	tlsCert    string
	tlsKey     string
	selfSigned []string // -tls-self-signed names
	tlsDir     string

	// The one prefix of the flags.
	prefix    string
	cred      kmstest.XksCredential
	prefixSet bool
}

// parse reads the flags, the environment and the configuration or
// credentials file.
func parse(args []string, getenv func(string) string, stderr io.Writer) (config, error) {
	fs := flag.NewFlagSet("xksproxy", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "Usage: xksproxy [flags]")
		fmt.Fprintln(fs.Output(), "Serves kmstest's fake XKS proxy (XKS Proxy API v1).")
		fmt.Fprintln(fs.Output(), "The credential comes from XKS_PROXY_ACCESS_KEY_ID and XKS_PROXY_SECRET_ACCESS_KEY, or -credentials-file;")
		fmt.Fprintln(fs.Output(), "-config serves several prefixes and credentials instead, and is re-read on SIGHUP.")
		fmt.Fprintln(fs.Output(), "Formats: go doc github.com/kmskit/kms/kmstest/cmd/xksproxy")
		fmt.Fprintln(fs.Output())
		fs.PrintDefaults()
	}
	var c config
	fs.StringVar(&c.addr, "addr", "127.0.0.1:4600", "address to listen on (port 0 picks one)")
	fs.StringVar(&c.configPath, "config", "", `JSON list of {"UriPrefix", "Credentials": [{"AccessKeyId", "SecretAccessKey"}], "Keys": [{"ID", ...}]}; re-read on SIGHUP`)
	fs.StringVar(&c.prefix, "uri-prefix", "", "path prefix before /kms/xks/v1")
	keys := fs.String("keys", "foo", "external keys: id[:USAGE[+USAGE]],...; no suffix means ENCRYPT+DECRYPT, ':' alone no usage")
	credFile := fs.String("credentials-file", "", "XKS proxy configuration file (JSON) holding the credential")
	fs.StringVar(&c.tlsCert, "tls-cert", "", "PEM certificate: serve HTTPS")
	fs.StringVar(&c.tlsKey, "tls-key", "", "PEM private key of -tls-cert")
	selfSigned := fs.String("tls-self-signed", "", "host names, comma-separated: serve HTTPS with a new certificate for them, written to -tls-dir as "+
		selfSignedCA+" (the CA, for kmstest -xks-ca), "+selfSignedCert+" and "+selfSignedKey)
	fs.StringVar(&c.tlsDir, "tls-dir", ".", "directory -tls-self-signed writes its files into")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return c, err
		}
		return c, errUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "xksproxy: unexpected arguments %q\n", fs.Args())
		return c, errUsage
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	c.prefixSet = set["uri-prefix"]
	if err := c.checkTLS(set, *selfSigned); err != nil {
		return c, err
	}
	if set["config"] {
		if set["uri-prefix"] || set["keys"] || set["credentials-file"] {
			return c, errors.New("-config replaces -uri-prefix, -keys and -credentials-file: give one or the others")
		}
		var err error
		c.entries, err = readConfigFile(c.configPath)
		return c, err
	}
	parsedKeys, err := parseKeys(*keys)
	if err != nil {
		return c, err
	}
	if err := c.readCredential(*credFile, getenv); err != nil {
		return c, err
	}
	c.entries = []entry{{UriPrefix: c.prefix, Keys: parsedKeys,
		Credentials: []entryCredential{{AccessKeyId: c.cred.AccessKeyID, SecretAccessKey: c.cred.SecretAccessKey}}}}
	return c, nil
}

// checkTLS checks the TLS flags.
func (c *config) checkTLS(set map[string]bool, selfSigned string) error {
	if (c.tlsCert == "") != (c.tlsKey == "") {
		return errors.New("-tls-cert and -tls-key go together")
	}
	if !set["tls-self-signed"] {
		if set["tls-dir"] {
			return errors.New("-tls-dir is where -tls-self-signed writes: give both")
		}
		return nil
	}
	if c.tlsCert != "" {
		return errors.New("-tls-self-signed makes its own certificate: give it or -tls-cert and -tls-key")
	}
	var err error
	c.selfSigned, err = parseNames(selfSigned)
	return err
}

// where says which element of the configuration an error of
// server.load is about.
func (c *config) where(i int, e entry) string {
	if c.configPath == "" {
		return ""
	}
	return fmt.Sprintf("-config %s: element %d (UriPrefix %q): ", c.configPath, i, e.UriPrefix)
}

// parseKeys parses -keys: id[:USAGE[+USAGE]], comma-separated.
func parseKeys(s string) ([]kmstest.XksKey, error) {
	var keys []kmstest.XksKey
	for _, item := range strings.Split(s, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		id, usages, hasUsage := strings.Cut(item, ":")
		k := kmstest.XksKey{ID: id}
		if hasUsage {
			k.KeyUsage = []string{}
			for _, u := range strings.Split(usages, "+") {
				if u = strings.TrimSpace(u); u != "" {
					k.KeyUsage = append(k.KeyUsage, strings.ToUpper(u))
				}
			}
		}
		keys = append(keys, k)
	}
	return keys, nil
}

// readCredential takes the credential from path, an XKS proxy
// configuration file, or from the environment.
func (c *config) readCredential(path string, getenv func(string) string) error {
	if path == "" {
		c.cred = kmstest.XksCredential{AccessKeyID: getenv("XKS_PROXY_ACCESS_KEY_ID"), SecretAccessKey: getenv("XKS_PROXY_SECRET_ACCESS_KEY")}
		if c.cred.AccessKeyID == "" || c.cred.SecretAccessKey == "" {
			return errors.New("set XKS_PROXY_ACCESS_KEY_ID and XKS_PROXY_SECRET_ACCESS_KEY, or give -credentials-file")
		}
		return nil
	}
	file, err := os.Open(path)
	if err != nil {
		return err
	}
	defer file.Close()
	f, err := xksproxy.ReadConfigurationFile(file)
	if err != nil {
		// Its errors never quote the file, which holds a secret.
		return fmt.Errorf("-credentials-file %s: %s", path, strings.TrimPrefix(err.Error(), "xksproxy: "))
	}
	c.cred = kmstest.XksCredential{AccessKeyID: f.Credential.AccessKeyID, SecretAccessKey: f.Credential.SecretAccessKey}
	if !c.prefixSet && f.UriPath != "" {
		c.prefix = f.UriPath // kmstest drops the /kms/xks/v1 end
	}
	return nil
}

// run serves until ctx is done or SIGINT/SIGTERM arrives, then shuts down;
// SIGHUP re-reads -config. ready, when set, is called with the base URL
// once requests can be served.
func run(ctx context.Context, args []string, getenv func(string) string, stderr io.Writer, ready func(url string)) error {
	c, err := parse(args, getenv, stderr)
	if err != nil {
		return err
	}
	logger := slog.New(slog.NewTextHandler(stderr, nil))
	srv := newServer(func(call kmstest.XksCall) { logCall(logger, call) })
	f, err := srv.load(c.entries, c.where)
	if err != nil {
		return err
	}
	tlsConfig, err := c.tlsConfig(logger)
	if err != nil {
		return err
	}
	if tlsConfig == nil && !loopbackAddr(c.addr) {
		return fmt.Errorf("plain HTTP is served only on a loopback address, not %q: give -tls-cert and -tls-key, or -tls-self-signed", c.addr)
	}
	ln, err := net.Listen("tcp", c.addr)
	if err != nil {
		return err
	}
	if tlsConfig == nil && !isLoopback(ln.Addr()) {
		ln.Close()
		return fmt.Errorf("plain HTTP is served only on a loopback address, not %s: give -tls-cert and -tls-key, or -tls-self-signed", ln.Addr())
	}
	hs := &http.Server{
		Handler:           srv,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       2 * time.Minute,
		TLSConfig:         tlsConfig,
	}
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)
	served := make(chan error, 1)
	scheme := "http"
	if tlsConfig != nil {
		scheme = "https"
		go func() { served <- hs.ServeTLS(ln, "", "") }()
	} else {
		go func() { served <- hs.Serve(ln) }()
	}
	base := scheme + "://" + ln.Addr().String()
	logger.Info("xksproxy listening", "url", base, "uri_paths", strings.Join(f.paths, ","), "keys", f.keys)
	if ready != nil {
		ready(base)
	}

	for done := false; !done; {
		select {
		case err := <-served:
			return err
		case <-hup:
			c.reload(srv, logger)
		case <-ctx.Done():
			done = true
		}
	}
	logger.Info("xksproxy shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := hs.Shutdown(shutdownCtx); err != nil {
		return err
	}
	if err := <-served; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// reload re-reads -config into srv and logs the outcome in one line; on
// error the previous configuration stays.
func (c *config) reload(srv *server, logger *slog.Logger) {
	if c.configPath == "" {
		logger.Warn("xksproxy: SIGHUP re-reads only -config, which is not given: nothing changed")
		return
	}
	entries, err := readConfigFile(c.configPath)
	var f *fleet
	if err == nil {
		f, err = srv.load(entries, c.where)
	}
	if err != nil {
		logger.Error("xksproxy: reload failed, the previous configuration stays", "error", err.Error())
		return
	}
	logger.Info("xksproxy reloaded", "config", c.configPath, "uri_paths", strings.Join(f.paths, ","), "keys", f.keys)
}

// tlsConfig returns the TLS configuration of the flags, nil for plain
// HTTP, writing the -tls-self-signed files.
func (c *config) tlsConfig(logger *slog.Logger) (*tls.Config, error) {
	var cert tls.Certificate
	switch {
	case c.tlsCert != "":
		var err error
		if cert, err = tls.LoadX509KeyPair(c.tlsCert, c.tlsKey); err != nil {
			return nil, fmt.Errorf("-tls-cert/-tls-key: %w", err)
		}
	case len(c.selfSigned) > 0:
		var err error
		if cert, err = writeSelfSigned(c.tlsDir, c.selfSigned); err != nil {
			return nil, err
		}
		logger.Info("xksproxy wrote a new CA and a certificate for "+strings.Join(c.selfSigned, ","),
			"ca", filepath.Join(c.tlsDir, selfSignedCA), "cert", filepath.Join(c.tlsDir, selfSignedCert), "key", filepath.Join(c.tlsDir, selfSignedKey))
	default:
		return nil, nil
	}
	return &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}, nil
}

// loopbackAddr reports whether a -addr names a loopback host.
func loopbackAddr(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// isLoopback reports whether a listening address is a loopback one.
func isLoopback(a net.Addr) bool {
	tcp, ok := a.(*net.TCPAddr)
	return ok && tcp.IP.IsLoopback()
}

// logCall logs one answered call; the record holds no secret.
func logCall(logger *slog.Logger, c kmstest.XksCall) {
	attrs := []any{"method", c.Method, "path", c.Path, "status", c.Status}
	if md := c.RequestMetadata; md.KmsRequestId != "" {
		attrs = append(attrs, "kms_request_id", md.KmsRequestId, "kms_operation", md.KmsOperation)
	}
	if c.Status >= 400 || c.Status == 0 {
		logger.Warn("call failed", append(attrs, "error", c.ErrorName, "message", c.Message)...)
		return
	}
	logger.Info("call", attrs...)
}
