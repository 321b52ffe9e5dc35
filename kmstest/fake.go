package kmstest

import (
	"context"
	"errors"
	"io"
	"mime"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/kmskit/kms/internal/kmsmodel"
	"github.com/kmskit/kms/internal/sigv4check"
)

// The X-Amz-Target values of the six operations kmstest implements.
const (
	TargetCreateCustomKeyStore     = kmsmodel.TargetPrefix + "CreateCustomKeyStore"
	TargetDescribeCustomKeyStores  = kmsmodel.TargetPrefix + "DescribeCustomKeyStores"
	TargetConnectCustomKeyStore    = kmsmodel.TargetPrefix + "ConnectCustomKeyStore"
	TargetDisconnectCustomKeyStore = kmsmodel.TargetPrefix + "DisconnectCustomKeyStore"
	TargetDeleteCustomKeyStore     = kmsmodel.TargetPrefix + "DeleteCustomKeyStore"
	TargetUpdateCustomKeyStore     = kmsmodel.TargetPrefix + "UpdateCustomKeyStore"
)

// operation runs one decoded request body and returns the answer's body.
type operation func(f *Fake, ctx context.Context, body []byte) ([]byte, *apiError)

// operations maps each X-Amz-Target kmstest serves to its operation.
var operations = map[string]operation{
	TargetCreateCustomKeyStore:     serveCreate,
	TargetDescribeCustomKeyStores:  serveDescribe,
	TargetConnectCustomKeyStore:    serveConnect,
	TargetDisconnectCustomKeyStore: serveDisconnect,
	TargetDeleteCustomKeyStore:     serveDelete,
	TargetUpdateCustomKeyStore:     serveUpdate,
}

// emptyObject is the body of an operation without output members.
var emptyObject = []byte("{}")

// maxBody caps the request bodies the fake reads.
const maxBody = 1 << 20

// Fake is the fake KMS: its state and its http.Handler, without a listener.
// Use [NewServer] for an in-process server, or mount a Fake on any
// http.Server. A Fake is safe for concurrent use; every update is atomic.
// It prints as a summary, without its seeded secrets.
type Fake struct {
	// The state is behind a pointer, which fmt prints as an address even
	// when it reaches a *Fake through an unexported field.
	*fakeState
}

// fakeState is a Fake's configuration and state.
type fakeState struct {
	cfg config

	mu       sync.Mutex // guards the fields below
	stores   map[string]*Store
	clusters map[string]Cluster
	proxies  map[string]XksProxy
	services map[string]VpcEndpointService
	creds    map[string]Credential // accepted credentials by access key ID
	verify   bool                  // SigV4 verification on
	pending  map[string]transition // stores CONNECTING or DISCONNECTING, by ID
	routes   map[string]xksRoute   // routed XKS proxies by endpoint, see RouteXksProxy
	limit    int                   // most custom key stores; 0 is no limit

	markerKey []byte // signs the Describe markers the fake issues

	faults faultQueue[Fault]
	rec    callLog[Call]
}

// NewFake returns an empty fake configured by opts.
func NewFake(opts ...Option) *Fake {
	f := &Fake{&fakeState{
		cfg:      config{signatureWindow: sigv4check.KMSWindow},
		stores:   map[string]*Store{},
		clusters: map[string]Cluster{},
		proxies:  map[string]XksProxy{},
		services: map[string]VpcEndpointService{},
		creds:    map[string]Credential{},
		pending:  map[string]transition{},
	}}
	f.markerKey = newMarkerKey()
	for _, o := range opts {
		o(&f.cfg)
	}
	if f.cfg.now == nil {
		f.cfg.now = time.Now
	}
	f.rec.max, f.rec.maxBytes = keptCalls(f.cfg.maxCalls), keptBytes(f.cfg.maxCallBytes)
	if !f.cfg.transitionDelaySet {
		f.cfg.transitionDelay = DefaultTransitionDelay
	}
	for _, c := range f.cfg.creds {
		f.creds[c.AccessKeyId] = c
		f.verify = true
	}
	return f
}

// ServeHTTP answers one awsJson1.1 request.
func (f *Fake) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	requestID := newRequestID()
	call := Call{RequestID: requestID, Target: recordedValue(r.Header.Get("X-Amz-Target"))}

	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	call.Input = recordedInput(body)

	if f.faults.wait(r.Context()) != nil {
		// The client gave up during injected latency: nothing is processed
		// and nobody reads an answer.
		call.Message = "canceled by the client during injected latency"
		f.finish(call)
		return
	}

	var apiErr *apiError
	var out []byte
	var mbe *http.MaxBytesError
	switch {
	case errors.As(err, &mbe):
		apiErr = newError(CodeSerialization, "the request body is larger than 1 MiB")
	case err != nil:
		apiErr = newError(CodeSerialization, "the request body could not be read")
	default:
		out, apiErr = f.serve(r, body)
	}

	// Record before answering, so that a client that has its answer also
	// finds its call in Calls.
	if apiErr == nil {
		call.Status = http.StatusOK
		f.finish(call)
		writeJSON(w, requestID, http.StatusOK, out)
		return
	}
	call.Code, call.Message, call.Status = apiErr.code, apiErr.message, apiErr.status
	f.finish(call)
	if apiErr.code == "" {
		writePlain(w, requestID, apiErr)
	} else {
		writeError(w, requestID, apiErr)
	}
}

// finish records call and passes it to the call hook.
func (f *Fake) finish(call Call) {
	f.rec.add(call, call.size())
	if f.cfg.onCall != nil {
		f.cfg.onCall(call.clone())
	}
}

// serve authenticates, applies faults, dispatches and runs one request,
// returning the answer's JSON body on success.
func (f *Fake) serve(r *http.Request, body []byte) ([]byte, *apiError) {
	if err := f.verifySigV4(r, body); err != nil {
		return nil, err
	}
	if fault, ok := f.faults.next(); ok {
		return nil, fault.apiError()
	}
	if err := checkProtocol(r); err != nil {
		return nil, err
	}
	return operations[r.Header.Get("X-Amz-Target")](f, r.Context(), body)
}

// serveUpdate runs UpdateCustomKeyStore.
func serveUpdate(f *Fake, _ context.Context, body []byte) ([]byte, *apiError) {
	in, probs, err := decodeUpdate(body)
	if err != nil {
		return nil, err
	}
	if err := validationError(validateModel(in, probs)); err != nil {
		return nil, err
	}
	if err := f.update(in); err != nil {
		return nil, err
	}
	return emptyObject, nil
}

// checkProtocol accepts only POST / with an awsJson content type and the
// target of an operation kmstest implements.
func checkProtocol(r *http.Request) *apiError {
	target := r.Header.Get("X-Amz-Target")
	if r.Method != http.MethodPost || r.URL.Path != "/" {
		return newError(CodeUnknownOperation, "kmstest serves only POST / (got "+echo(r.Method)+" "+echo(r.URL.Path)+")")
	}
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mt != contentType && mt != "application/x-amz-json-1.0" {
		return newError(CodeUnknownOperation, "Content-Type must be "+contentType+" or application/x-amz-json-1.0, not "+
			strconv.Quote(echo(r.Header.Get("Content-Type"))))
	}
	if _, ok := operations[target]; !ok {
		return newError(CodeUnknownOperation, "unknown operation "+echo(target)+": kmstest implements only the six custom key store operations")
	}
	return nil
}

// writePlain writes a non-KMS error: a status with a plain-text body, as a
// load balancer in front of KMS might.
func writePlain(w http.ResponseWriter, requestID string, e *apiError) {
	h := w.Header()
	h.Set("Content-Type", "text/plain; charset=utf-8")
	h.Set("X-Amzn-Requestid", requestID)
	w.WriteHeader(e.status)
	_, _ = io.WriteString(w, e.message)
}
