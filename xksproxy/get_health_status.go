package xksproxy

import (
	"context"
	"fmt"
	"time"

	"github.com/kmskit/kms/internal/xksmodel"
)

// GetHealthStatusInput is the input of GetHealthStatus.
type GetHealthStatusInput struct {
	// RequestMetadata: KmsOperation is required ("CreateCustomKeyStore",
	// "ConnectCustomKeyStore", "UpdateCustomKeyStore" or "KmsHealthCheck"
	// when KMS calls); only KmsOperation and KmsRequestId are sent.
	RequestMetadata RequestMetadata
}

// EkmFleetDetail is one external key manager behind the proxy.
type EkmFleetDetail struct {
	// Id identifies the key manager in its cluster.
	Id string
	// Model is its product name and version.
	Model string
	// HealthStatus is ACTIVE, DEGRADED or UNAVAILABLE.
	HealthStatus EkmHealthStatus
}

// GetHealthStatusOutput is the proxy's health report. Its strings are
// treated as an error's message is: printable ASCII (no control character,
// bidi override or invalid UTF-8), at most 256 bytes, and empty when the
// proxy echoed the credential.
type GetHealthStatusOutput struct {
	// XksProxyFleetSize is the number of proxy instances (at least 1).
	XksProxyFleetSize int
	// XksProxyVendor and XksProxyModel describe the proxy.
	XksProxyVendor string
	XksProxyModel  string
	// EkmVendor is the vendor of the external key managers.
	EkmVendor string
	// EkmFleetDetails lists the external key managers (1 to 10).
	EkmFleetDetails []EkmFleetDetail
	// Latency is the time from sending the request to having read the whole
	// answer.
	Latency time.Duration
}

// GetHealthStatus asks the proxy whether it and its external key managers
// can serve requests. KMS calls it on CreateCustomKeyStore,
// ConnectCustomKeyStore and UpdateCustomKeyStore, and every few minutes.
// A proxy error is an *Error (ErrAuthenticationFailed, ErrInvalidUriPath,
// ...); an answer missing a required member is a *MalformedResponseError.
func (c *Client) GetHealthStatus(ctx context.Context, in *GetHealthStatusInput, optFns ...func(*Options)) (*GetHealthStatusOutput, error) {
	cl, err := c.forCall(ctx, optFns)
	if err != nil {
		return nil, err
	}
	if in == nil {
		in = &GetHealthStatusInput{}
	}
	md, err := in.RequestMetadata.wire(xksmodel.OpGetHealthStatus)
	if err != nil {
		return nil, err
	}
	op := xksmodel.OpGetHealthStatus
	res, err := cl.do(ctx, call{op: op, path: xksmodel.HealthURI(cl.options.UriPath), body: &xksmodel.Request{RequestMetadata: md}})
	if err != nil {
		return nil, err
	}
	return decodeHealth(res)
}

// decodeHealth checks and converts a successful GetHealthStatus answer.
func decodeHealth(res result) (*GetHealthStatusOutput, error) {
	op := xksmodel.OpGetHealthStatus
	var w xksmodel.HealthResponse
	if err := decodeStrict(res.body, &w); err != nil {
		return nil, malformed(op, 200, err.Error())
	}
	out := &GetHealthStatusOutput{Latency: res.latency}
	switch {
	case w.XksProxyFleetSize == nil:
		return nil, malformed(op, 200, "xksProxyFleetSize is missing")
	case *w.XksProxyFleetSize < 1:
		return nil, malformed(op, 200, "xksProxyFleetSize must be greater than zero")
	case w.XksProxyVendor == nil:
		return nil, malformed(op, 200, "xksProxyVendor is missing")
	case w.XksProxyModel == nil:
		return nil, malformed(op, 200, "xksProxyModel is missing")
	case w.EkmVendor == nil:
		return nil, malformed(op, 200, "ekmVendor is missing")
	case len(w.EkmFleetDetails) < 1 || len(w.EkmFleetDetails) > xksmodel.MaxEkmFleet:
		return nil, malformed(op, 200, fmt.Sprintf("ekmFleetDetails must have 1 to %d entries (it has %d)", xksmodel.MaxEkmFleet, len(w.EkmFleetDetails)))
	}
	text := func(s string) string { return proxyText(s, maxAnswerText, res.sc) }
	out.XksProxyFleetSize = *w.XksProxyFleetSize
	out.XksProxyVendor, out.XksProxyModel, out.EkmVendor = text(*w.XksProxyVendor), text(*w.XksProxyModel), text(*w.EkmVendor)
	for i, e := range w.EkmFleetDetails {
		if e.ID == nil || e.Model == nil || e.HealthStatus == nil {
			return nil, malformed(op, 200, fmt.Sprintf("ekmFleetDetails[%d] needs id, model and healthStatus", i))
		}
		out.EkmFleetDetails = append(out.EkmFleetDetails, EkmFleetDetail{Id: text(*e.ID), Model: text(*e.Model), HealthStatus: EkmHealthStatus(text(*e.HealthStatus))})
	}
	return out, nil
}

// forCall returns the client to use for one call: c itself, or a copy with
// optFns applied to its options (a nil func skipped). A nil or zero-value
// c, or a nil ctx, is an *InputError.
func (c *Client) forCall(ctx context.Context, optFns []func(*Options)) (*Client, error) {
	if err := c.ready(ctx); err != nil {
		return nil, err
	}
	if len(optFns) == 0 {
		return c, c.err
	}
	o := c.Options()
	apply(&o, optFns)
	cp := New(o)
	return cp, cp.err
}
