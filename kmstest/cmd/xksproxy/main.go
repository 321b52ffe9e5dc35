// Command xksproxy serves kmstest's fake XKS proxy, the XKS Proxy API v1
// that AWS KMS calls on an external key store proxy, for curl, the AWS
// compliance tests and programs outside Go:
//
//	export XKS_PROXY_ACCESS_KEY_ID=ABCDE12345FGHIJ67890
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
// -tls-key (required for any other address). It logs each call to standard
// error (method, path, status, error name; never a credential or
// plaintext) and stops cleanly on SIGINT or SIGTERM. The behaviour, and
// where it differs from the specification, is that of kmstest.XksProxyFake.
//
// The credential comes from the environment variables XKS_PROXY_ACCESS_KEY_ID
// and XKS_PROXY_SECRET_ACCESS_KEY, or from -credentials-file, never from the
// command line. The file is the XKS proxy configuration file that the AWS
// KMS console accepts; its XksProxyUriPath, when set, gives the prefix
// unless -uri-prefix does:
//
//	{
//	  "XksProxyUriPath": "/example/uri/path/prefix/kms/xks/v1",
//	  "XksProxyAuthenticationCredential": {
//	    "AccessKeyId": "ABCDE12345FGHIJ67890",
//	    "RawSecretAccessKey": "c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3JldA"
//	  }
//	}
//
// Flags:
//
//	-addr              address to listen on (default 127.0.0.1:4600; port 0 picks one)
//	-uri-prefix        path prefix before /kms/xks/v1 (default none)
//	-keys              external keys: id[:USAGE[+USAGE]],... (default "foo");
//	                   no suffix means ENCRYPT+DECRYPT, ":" alone means no usage
//	-credentials-file  XKS proxy configuration file holding the credential
//	-tls-cert, -tls-key  PEM certificate and key: serve HTTPS
package main

import (
	"context"
	"crypto/tls"
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
	"strings"
	"syscall"
	"time"

	"github.com/kmskit/kms/kmstest"
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

// config is what the flags and the environment say.
type config struct {
	addr      string
	prefix    string
	keys      []kmstest.XksKey
	cred      kmstest.XksCredential
	tlsCert   string
	tlsKey    string
	prefixSet bool
}

// parse reads the flags, the environment and the credentials file.
func parse(args []string, getenv func(string) string, stderr io.Writer) (config, error) {
	fs := flag.NewFlagSet("xksproxy", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "Usage: xksproxy [flags]")
		fmt.Fprintln(fs.Output(), "Serves kmstest's fake XKS proxy (XKS Proxy API v1).")
		fmt.Fprintln(fs.Output(), "The credential comes from XKS_PROXY_ACCESS_KEY_ID and XKS_PROXY_SECRET_ACCESS_KEY, or -credentials-file.")
		fmt.Fprintln(fs.Output())
		fs.PrintDefaults()
	}
	var c config
	fs.StringVar(&c.addr, "addr", "127.0.0.1:4600", "address to listen on (port 0 picks one)")
	fs.StringVar(&c.prefix, "uri-prefix", "", "path prefix before /kms/xks/v1")
	keys := fs.String("keys", "foo", "external keys: id[:USAGE[+USAGE]],...; no suffix means ENCRYPT+DECRYPT, ':' alone no usage")
	credFile := fs.String("credentials-file", "", "XKS proxy configuration file (JSON) holding the credential")
	fs.StringVar(&c.tlsCert, "tls-cert", "", "PEM certificate: serve HTTPS")
	fs.StringVar(&c.tlsKey, "tls-key", "", "PEM private key of -tls-cert")
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
	fs.Visit(func(f *flag.Flag) { c.prefixSet = c.prefixSet || f.Name == "uri-prefix" })
	var err error
	if c.keys, err = parseKeys(*keys); err != nil {
		return c, err
	}
	if (c.tlsCert == "") != (c.tlsKey == "") {
		return c, errors.New("-tls-cert and -tls-key go together")
	}
	if err := c.readCredential(*credFile, getenv); err != nil {
		return c, err
	}
	return c, nil
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

// configFile is the XKS proxy configuration file of the KMS console.
type configFile struct {
	XksProxyUriPath                  string
	XksProxyAuthenticationCredential struct {
		AccessKeyId        string
		RawSecretAccessKey string
	}
}

// readCredential takes the credential from path, or from the environment.
func (c *config) readCredential(path string, getenv func(string) string) error {
	if path == "" {
		c.cred = kmstest.XksCredential{AccessKeyID: getenv("XKS_PROXY_ACCESS_KEY_ID"), SecretAccessKey: getenv("XKS_PROXY_SECRET_ACCESS_KEY")}
		if c.cred.AccessKeyID == "" || c.cred.SecretAccessKey == "" {
			return errors.New("set XKS_PROXY_ACCESS_KEY_ID and XKS_PROXY_SECRET_ACCESS_KEY, or give -credentials-file")
		}
		return nil
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	var f configFile
	if err := json.Unmarshal(b, &f); err != nil {
		// The file holds a secret: never quote it.
		return fmt.Errorf("-credentials-file %s is not an XKS proxy configuration file (JSON)", path)
	}
	c.cred = kmstest.XksCredential{AccessKeyID: f.XksProxyAuthenticationCredential.AccessKeyId, SecretAccessKey: f.XksProxyAuthenticationCredential.RawSecretAccessKey}
	if c.cred.AccessKeyID == "" || c.cred.SecretAccessKey == "" {
		return fmt.Errorf("-credentials-file %s needs XksProxyAuthenticationCredential.AccessKeyId and RawSecretAccessKey", path)
	}
	if !c.prefixSet && f.XksProxyUriPath != "" {
		c.prefix = f.XksProxyUriPath // kmstest drops the /kms/xks/v1 end
	}
	return nil
}

// run serves until ctx is done or SIGINT/SIGTERM arrives, then shuts down.
// ready, when set, is called with the base URL once requests can be served.
func run(ctx context.Context, args []string, getenv func(string) string, stderr io.Writer, ready func(url string)) error {
	c, err := parse(args, getenv, stderr)
	if err != nil {
		return err
	}
	logger := slog.New(slog.NewTextHandler(stderr, nil))
	fake, err := kmstest.NewXksProxyFake(
		kmstest.WithXksCallHook(func(call kmstest.XksCall) { logCall(logger, call) }),
		kmstest.WithXksURIPrefix(c.prefix),
		kmstest.WithXksCredentials(c.cred),
		kmstest.WithXksKeys(c.keys...),
		kmstest.WithXksMaxCalls(0), // calls are logged, never inspected: keep none
	)
	if err != nil {
		return err
	}
	var tlsConfig *tls.Config
	if c.tlsCert != "" {
		cert, err := tls.LoadX509KeyPair(c.tlsCert, c.tlsKey)
		if err != nil {
			return fmt.Errorf("-tls-cert/-tls-key: %w", err)
		}
		tlsConfig = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
	}

	if tlsConfig == nil && !loopbackAddr(c.addr) {
		return fmt.Errorf("plain HTTP is served only on a loopback address, not %q: give -tls-cert and -tls-key", c.addr)
	}
	ln, err := net.Listen("tcp", c.addr)
	if err != nil {
		return err
	}
	if tlsConfig == nil && !isLoopback(ln.Addr()) {
		ln.Close()
		return fmt.Errorf("plain HTTP is served only on a loopback address, not %s: give -tls-cert and -tls-key", ln.Addr())
	}
	srv := &http.Server{
		Handler:           fake,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       2 * time.Minute,
		TLSConfig:         tlsConfig,
	}
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	served := make(chan error, 1)
	scheme := "http"
	if tlsConfig != nil {
		scheme = "https"
		go func() { served <- srv.ServeTLS(ln, "", "") }()
	} else {
		go func() { served <- srv.Serve(ln) }()
	}
	base := scheme + "://" + ln.Addr().String()
	logger.Info("xksproxy listening", "url", base, "uri_paths", strings.Join(fake.URIPaths(), ","), "keys", len(c.keys))
	if ready != nil {
		ready(base)
	}

	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}
	logger.Info("xksproxy shutting down")
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
