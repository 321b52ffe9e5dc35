package kmstest

import (
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/kmskit/kms/internal/xksmodel"
)

// XksProxyFake is a fake XKS proxy: its keys, credentials and faults, and an
// http.Handler serving the XKS Proxy API v1 (health, key metadata,
// AES-256-GCM encrypt and decrypt) with SigV4 verification. Use
// [NewXksProxyServer] for an HTTPS server reached by host name, or mount an
// XksProxyFake on any http.Server. It is safe for concurrent use, and prints
// as a summary, without credentials or key material.
//
// Each request is checked in this order, and the first failure is the
// answer: an API URI with a method other than POST (405); the path serves a
// known prefix (InvalidUriPathException, 404); body at most 1 MiB
// (UnsupportedOperationException, 501); injected latency; SigV4 with an
// accepted credential, service kms-xks-proxy, signed within 5 minutes, over
// exactly the headers the request lists as signed
// (AuthenticationFailedException, 401); injected faults; Content-Type
// application/json, a JSON body, requestMetadata with the members the
// operation requires (ValidationException, 400); the external key ID and the
// key (ValidationException, KeyNotFoundException); then the operation's own
// checks.
//
// Where it differs from the specification or from real proxies:
//
//   - GetHealthStatus with missing or empty requestMetadata is
//     ValidationException (the error table exempts health; AWS's compliance
//     checks expect it).
//   - Decrypt with a missing or ill-sized ciphertext, IV or tag is
//     InvalidCiphertextException; members of the wrong JSON type or bad
//     Base64 are ValidationException, as is an encryptionAlgorithm other
//     than AES_GCM or a ciphertextDataIntegrityValueAlgorithm other than
//     SHA_256.
//   - Plaintext, ciphertext and AAD sizes are bounded only by the 1 MiB
//     body; kmsOperation values and ARNs are not checked; there is no
//     secondary authorization (AccessDeniedException only when injected).
//   - The health check is shallow: it reports the configured fleet.
//   - Credentials apply to every prefix, unless XksCredential.URIPrefix
//     names one.
type XksProxyFake struct {
	// The state is behind a pointer, which fmt prints as an address even
	// when it reaches an *XksProxyFake through an unexported field.
	*xksProxyState
}

// xksProxyState is an XksProxyFake's configuration and state.
type xksProxyState struct {
	now    func() time.Time
	onCall func(XksCall)

	mu       sync.Mutex // guards the fields below
	prefixes map[string]bool
	creds    map[string]XksCredential // by access key ID
	keys     map[string]*xksKey
	fleet    []XksEkm

	faults faultQueue[XksFault]
	calls  callLog[XksCall]
}

// xksKey is a key with its material.
type xksKey struct {
	XksKey
	aead aeadFactory
}

// NewXksProxyFake returns a fake XKS proxy handler configured by opts, or an
// error naming the option at fault.
func NewXksProxyFake(opts ...XksOption) (*XksProxyFake, error) {
	var c xksConfig
	for _, o := range opts {
		o(&c)
	}
	return newXksProxyFake(&c)
}

// newXksProxyFake builds the fake from a complete config.
func newXksProxyFake(c *xksConfig) (*XksProxyFake, error) {
	p := &XksProxyFake{&xksProxyState{now: c.now, onCall: c.onCall, prefixes: map[string]bool{}, keys: map[string]*xksKey{}}}
	p.calls.max, p.calls.maxBytes = keptCalls(c.maxCalls), keptBytes(c.maxCallBytes)
	if p.now == nil {
		p.now = time.Now
	}
	if err := p.setPrefixes(c.prefixes); err != nil {
		return nil, err
	}
	if len(c.creds) == 0 {
		return nil, errors.New("kmstest: a fake XKS proxy needs at least one credential (WithXksCredentials)")
	}
	if err := p.SetCredentials(c.creds...); err != nil {
		return nil, err
	}
	for _, k := range c.keys {
		if err := p.PutKey(k); err != nil {
			return nil, err
		}
	}
	p.fleet = c.fleet
	if p.fleet == nil {
		p.fleet = []XksEkm{
			{ID: "kmstest-ekm-1", Model: "kmstest EKM 1.0", HealthStatus: xksmodel.HealthActive},
			{ID: "kmstest-ekm-2", Model: "kmstest EKM 1.0", HealthStatus: xksmodel.HealthActive},
		}
	}
	return p, nil
}

// setPrefixes replaces the served prefixes; none means "".
func (p *XksProxyFake) setPrefixes(prefixes []string) error {
	if len(prefixes) == 0 {
		prefixes = []string{""}
	}
	m := map[string]bool{}
	for _, raw := range prefixes {
		pre := normalizePrefix(raw)
		if err := xksmodel.CheckURIPath(pre + xksmodel.APIPath); err != nil {
			return fmt.Errorf("kmstest: WithXksURIPrefix(%q): the path %s %v", raw, pre+xksmodel.APIPath, err)
		}
		m[pre] = true
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.prefixes = m
	return nil
}

// SetURIPrefixes replaces the path prefixes the proxy serves (see
// [WithXksURIPrefix]), as when its operator moves it.
func (p *XksProxyFake) SetURIPrefixes(prefixes ...string) error { return p.setPrefixes(prefixes) }

// URIPaths returns the XksProxyUriPath of each served prefix, sorted, e.g.
// "/example-prefix/kms/xks/v1".
func (p *XksProxyFake) URIPaths() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := make([]string, 0, len(p.prefixes))
	for pre := range p.prefixes {
		out = append(out, pre+xksmodel.APIPath)
	}
	sort.Strings(out)
	return out
}

// SetCredentials replaces the credentials the proxy accepts from now on:
// pass the old and the new one during a rotation, then only the new one.
// None means every request fails authentication.
func (p *XksProxyFake) SetCredentials(creds ...XksCredential) error {
	m := map[string]XksCredential{}
	for i, c := range creds {
		if c.AccessKeyID == "" || c.SecretAccessKey == "" {
			return fmt.Errorf("kmstest: XKS credential %d needs AccessKeyID and SecretAccessKey", i)
		}
		if err := checkNotLost(&c, fmt.Sprintf("XKS credential %d", i)); err != nil {
			return err
		}
		m[c.AccessKeyID] = c
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.creds = m
	return nil
}

// PutKey adds k, or replaces the key with its ID (a new Material nil keeps
// the old material).
func (p *XksProxyFake) PutKey(k XksKey) error {
	if err := xksmodel.CheckExternalKeyID(k.ID); err != nil {
		return fmt.Errorf("kmstest: XKS key ID %q %v", k.ID, err)
	}
	if len(k.CiphertextMetadata) > xksmodel.MaxCiphertextMetadataLen {
		return fmt.Errorf("kmstest: XKS key %s: CiphertextMetadata has %d bytes; at most 20 are allowed", k.ID, len(k.CiphertextMetadata))
	}
	if k.KeySpec == "" {
		k.KeySpec = xksmodel.KeySpecAES256
	}
	if k.KeyUsage == nil {
		k.KeyUsage = []string{xksmodel.KeyUsageEncrypt, xksmodel.KeyUsageDecrypt}
	}
	if k.KeyStatus == "" {
		k.KeyStatus = xksmodel.KeyStatusEnabled
	}
	k.KeyUsage = append([]string{}, k.KeyUsage...)
	k.CiphertextMetadata = append([]byte(nil), k.CiphertextMetadata...)
	p.mu.Lock()
	defer p.mu.Unlock()
	if k.Material == nil {
		if old, ok := p.keys[k.ID]; ok {
			k.Material = old.Material
		} else {
			k.Material = make([]byte, 32)
			_, _ = rand.Read(k.Material)
		}
	}
	if len(k.Material) != 32 {
		return fmt.Errorf("kmstest: XKS key %s: Material must be 32 bytes (AES-256), not %d", k.ID, len(k.Material))
	}
	k.Material = append([]byte(nil), k.Material...)
	aead, err := newAEADFactory(k.Material)
	if err != nil {
		return err
	}
	p.keys[k.ID] = &xksKey{XksKey: k, aead: aead}
	return nil
}

// SetEkmFleet replaces the external key managers GetHealthStatus reports,
// e.g. to make one DEGRADED or UNAVAILABLE. An empty fleet makes the health
// answer break the specification (it needs 1 to 10 entries).
func (p *XksProxyFake) SetEkmFleet(ekms ...XksEkm) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.fleet = append([]XksEkm{}, ekms...)
}

// ServeHTTP answers one XKS Proxy API request.
func (p *XksProxyFake) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	prefix, op, keyID, isAPI := xksmodel.ParseURI(r.URL.Path)
	call := XksCall{Method: r.Method, Path: r.URL.Path, Operation: op, ExternalKeyId: keyID}
	body, readErr := io.ReadAll(http.MaxBytesReader(w, r.Body, xksmodel.MaxBody))

	if p.faults.wait(r.Context()) != nil {
		call.Message = "canceled by the client during injected latency"
		p.record(call)
		return
	}
	if isAPI && r.Method != http.MethodPost {
		call.Status = http.StatusMethodNotAllowed
		call.Message = "method not allowed"
		p.record(call)
		w.Header().Set("Allow", http.MethodPost)
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.WriteHeader(http.StatusMethodNotAllowed)
		_, _ = io.WriteString(w, "405 method not allowed: the XKS Proxy API takes POST\n")
		return
	}
	res, xerr := p.serve(r, &call, body, readErr, isAPI, prefix, op, keyID)
	if xerr != nil {
		call.Status, call.ErrorName, call.Message = xerr.status, xerr.name, xerr.message
		p.record(call)
		xerr.write(w)
		return
	}
	call.Status = http.StatusOK
	p.record(call)
	writeXksJSON(w, http.StatusOK, res)
}

// record keeps call, its strings cut, and passes it to the call hook.
func (p *XksProxyFake) record(call XksCall) {
	call = call.bounded()
	p.calls.add(call, call.size())
	if p.onCall != nil {
		p.onCall(call)
	}
}

// serve runs the checks and the operation; it returns the response body or
// the error to answer.
func (p *XksProxyFake) serve(r *http.Request, call *XksCall, body []byte, readErr error, isAPI bool, prefix, op, keyID string) (any, *xksError) {
	p.mu.Lock()
	served := p.prefixes[prefix]
	p.mu.Unlock()
	if !isAPI || !served {
		return nil, xksErr(xksmodel.InvalidUriPathException, "the URI path is not served by this proxy")
	}
	var mbe *http.MaxBytesError
	if errors.As(readErr, &mbe) {
		return nil, xksErr(xksmodel.UnsupportedOperationException, "the request body is larger than 1 MiB")
	}
	if readErr != nil {
		return nil, xksErr(xksmodel.ValidationException, "the request body could not be read")
	}
	if err := p.authenticate(r, body, prefix); err != nil {
		return nil, err
	}
	req, decodeErr := decodeXksRequest(body)
	if decodeErr == nil && req.RequestMetadata != nil {
		call.RequestMetadata = *req.RequestMetadata // recorded also when a fault answers
	}
	if f, ok := p.faults.next(); ok {
		return nil, f.xksError()
	}
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "application/json" {
		return nil, xksErr(xksmodel.ValidationException, "Content-Type must be application/json")
	}
	if decodeErr != nil {
		return nil, decodeErr
	}
	if req.RequestMetadata == nil {
		return nil, xksErr(xksmodel.ValidationException, "requestMetadata is required")
	}
	if missing := req.RequestMetadata.MissingRequired(op); len(missing) > 0 {
		return nil, xksErr(xksmodel.ValidationException, "requestMetadata."+strings.Join(missing, ", requestMetadata.")+" required for "+op)
	}
	if op == xksmodel.OpGetHealthStatus {
		return p.health(), nil
	}
	if err := xksmodel.CheckExternalKeyID(keyID); err != nil {
		return nil, xksErr(xksmodel.ValidationException, "the external key ID "+err.Error())
	}
	p.mu.Lock()
	k, ok := p.keys[keyID]
	p.mu.Unlock()
	if !ok {
		return nil, xksErr(xksmodel.KeyNotFoundException, "no external key has this ID")
	}
	switch op {
	case xksmodel.OpGetKeyMetadata:
		return xksmodel.KeyMetadataResponse{KeySpec: &k.KeySpec, KeyUsage: k.KeyUsage, KeyStatus: &k.KeyStatus}, nil
	case xksmodel.OpEncrypt:
		return k.encrypt(req)
	default:
		return k.decrypt(req)
	}
}

// health returns the GetHealthStatus answer.
func (p *XksProxyFake) health() xksmodel.HealthResponse {
	p.mu.Lock()
	defer p.mu.Unlock()
	size, vendor, model, ekmVendor := 1, "kmstest", "kmstest fake XKS proxy 1.0", "kmstest"
	out := xksmodel.HealthResponse{XksProxyFleetSize: &size, XksProxyVendor: &vendor, XksProxyModel: &model, EkmVendor: &ekmVendor,
		EkmFleetDetails: []xksmodel.EkmFleetEntry{}}
	for _, e := range p.fleet {
		out.EkmFleetDetails = append(out.EkmFleetDetails, xksmodel.EkmFleetEntry{ID: &e.ID, Model: &e.Model, HealthStatus: &e.HealthStatus})
	}
	return out
}

// has reports whether k lists usage.
func (k *xksKey) has(usage string) bool {
	for _, u := range k.KeyUsage {
		if u == usage {
			return true
		}
	}
	return false
}

// usable checks what Encrypt and Decrypt need of a key.
func (k *xksKey) usable(usages ...string) *xksError {
	for _, u := range usages {
		if k.KeySpec != xksmodel.KeySpecAES256 || !k.has(u) {
			return xksErr(xksmodel.InvalidKeyUsageException, "the key does not support "+u)
		}
	}
	if k.KeyStatus != xksmodel.KeyStatusEnabled {
		return xksErr(xksmodel.InvalidStateException, "the external key is not enabled")
	}
	return nil
}

// encrypt answers Encrypt.
func (k *xksKey) encrypt(req *xksmodel.Request) (any, *xksError) {
	wantCDIV := req.CiphertextDataIntegrityValueAlgorithm != ""
	switch {
	case len(req.Plaintext) == 0:
		return nil, xksErr(xksmodel.ValidationException, "plaintext is required")
	case req.EncryptionAlgorithm != xksmodel.EncryptionAlgorithmAESGCM:
		return nil, xksErr(xksmodel.ValidationException, "encryptionAlgorithm must be AES_GCM")
	case wantCDIV && req.CiphertextDataIntegrityValueAlgorithm != xksmodel.CDIVAlgorithmSHA256:
		return nil, xksErr(xksmodel.ValidationException, "ciphertextDataIntegrityValueAlgorithm must be SHA_256")
	case len(req.AdditionalAuthenticatedData) > maxAADLen:
		return nil, xksErr(xksmodel.UnsupportedOperationException, "additionalAuthenticatedData longer than 65535 bytes is not supported")
	}
	usages := []string{xksmodel.KeyUsageEncrypt}
	if wantCDIV {
		// Appendix C: the proxy decrypts what it encrypted before answering.
		usages = append(usages, xksmodel.KeyUsageDecrypt)
	}
	if err := k.usable(usages...); err != nil {
		return nil, err
	}
	out, err := k.seal(req.Plaintext, req.AdditionalAuthenticatedData)
	if err != nil {
		return nil, xksErr(xksmodel.InternalException, "encryption failed")
	}
	if wantCDIV {
		out.CiphertextDataIntegrityValue = xksmodel.CiphertextDataIntegrityValue(req.AdditionalAuthenticatedData,
			out.CiphertextMetadata, out.InitializationVector, out.Ciphertext, out.AuthenticationTag)
		if _, err := k.open(out.Ciphertext, out.CiphertextMetadata, req.AdditionalAuthenticatedData, out.InitializationVector, out.AuthenticationTag); err != nil {
			return nil, xksErr(xksmodel.InternalException, "the ciphertext did not decrypt")
		}
	}
	return out, nil
}

// decrypt answers Decrypt.
func (k *xksKey) decrypt(req *xksmodel.Request) (any, *xksError) {
	if req.EncryptionAlgorithm != xksmodel.EncryptionAlgorithmAESGCM {
		return nil, xksErr(xksmodel.ValidationException, "encryptionAlgorithm must be AES_GCM")
	}
	if err := k.usable(xksmodel.KeyUsageDecrypt); err != nil {
		return nil, err
	}
	switch {
	case len(req.Ciphertext) == 0:
		return nil, xksErr(xksmodel.InvalidCiphertextException, "ciphertext is missing")
	case !xksmodel.ValidInitializationVectorLen(len(req.InitializationVector)):
		return nil, xksErr(xksmodel.InvalidCiphertextException, "initializationVector must have 12 or 16 bytes")
	case len(req.AuthenticationTag) != xksmodel.AuthenticationTagLen:
		return nil, xksErr(xksmodel.InvalidCiphertextException, "authenticationTag must have 16 bytes")
	case len(req.CiphertextMetadata) > xksmodel.MaxCiphertextMetadataLen:
		return nil, xksErr(xksmodel.InvalidCiphertextException, "ciphertextMetadata must have at most 20 bytes")
	case len(req.AdditionalAuthenticatedData) > maxAADLen:
		return nil, xksErr(xksmodel.UnsupportedOperationException, "additionalAuthenticatedData longer than 65535 bytes is not supported")
	}
	pt, err := k.open(req.Ciphertext, req.CiphertextMetadata, req.AdditionalAuthenticatedData, req.InitializationVector, req.AuthenticationTag)
	if err != nil {
		return nil, xksErr(xksmodel.InvalidCiphertextException, "the ciphertext, additional authenticated data, IV or tag is corrupted, missing, or otherwise invalid")
	}
	return xksmodel.DecryptResponse{Plaintext: pt}, nil
}

// xksError is an error answer of the fake proxy.
type xksError struct {
	name    string
	message string
	status  int
	rawBody string // when set, sent as is (a malformed answer)
	rawType string
}

// xksErr returns the error answer for a name of the specification's table.
func xksErr(name, message string) *xksError {
	status, ok := xksmodel.StatusFor(name)
	if !ok {
		status = http.StatusInternalServerError
	}
	return &xksError{name: name, message: message, status: status}
}

// write sends e.
func (e *xksError) write(w http.ResponseWriter) {
	if e.rawBody != "" || e.name == "" {
		ct := e.rawType
		if ct == "" {
			ct = "text/plain; charset=utf-8"
		}
		w.Header().Set("Content-Type", ct)
		w.WriteHeader(e.status)
		_, _ = io.WriteString(w, e.rawBody)
		return
	}
	writeXksJSON(w, e.status, xksmodel.ErrorResponse{ErrorName: e.name, ErrorMessage: e.message})
}
