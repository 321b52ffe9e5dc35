package xksproxy

import (
	"context"
	"fmt"
	"time"

	"github.com/kmskit/kms/internal/xksmodel"
)

// GetKeyMetadataInput is the input of GetKeyMetadata.
type GetKeyMetadataInput struct {
	// ExternalKeyId identifies the key in the external key manager: 1 to 128
	// of A-Z, a-z, 0-9, '-', '.' and '_'. Required.
	ExternalKeyId string
	// RequestMetadata: AwsPrincipalArn and KmsOperation (e.g. "CreateKey")
	// are required; KmsKeyArn, AwsSourceVpc and AwsSourceVpce are sent when
	// set.
	RequestMetadata RequestMetadata
}

// GetKeyMetadataOutput describes an external key.
type GetKeyMetadataOutput struct {
	// KeySpec is the key's type; KMS accepts only AES_256.
	KeySpec KeySpec
	// KeyUsage lists what the key supports; KMS needs ENCRYPT and DECRYPT.
	KeyUsage []KeyUsage
	// KeyStatus is ENABLED or DISABLED; KMS needs ENABLED.
	KeyStatus KeyStatus
	// Latency is the time from sending the request to having read the whole
	// answer.
	Latency time.Duration
}

// GetKeyMetadata returns the external key's spec, usages and status, which
// KMS checks on CreateKey. An unknown key is ErrKeyNotFound.
func (c *Client) GetKeyMetadata(ctx context.Context, in *GetKeyMetadataInput, optFns ...func(*Options)) (*GetKeyMetadataOutput, error) {
	cl, err := c.forCall(ctx, optFns)
	if err != nil {
		return nil, err
	}
	if in == nil {
		in = &GetKeyMetadataInput{}
	}
	if err := checkKeyID(in.ExternalKeyId); err != nil {
		return nil, err
	}
	md, err := in.RequestMetadata.wire(xksmodel.OpGetKeyMetadata)
	if err != nil {
		return nil, err
	}
	op := xksmodel.OpGetKeyMetadata
	res, err := cl.do(ctx, call{op: op, path: xksmodel.KeyURI(cl.options.UriPath, in.ExternalKeyId, xksmodel.SegmentMetadata),
		body: &xksmodel.Request{RequestMetadata: md}})
	if err != nil {
		return nil, err
	}
	return decodeKeyMetadata(res)
}

// decodeKeyMetadata checks and converts a successful GetKeyMetadata answer.
func decodeKeyMetadata(res result) (*GetKeyMetadataOutput, error) {
	op := xksmodel.OpGetKeyMetadata
	var w xksmodel.KeyMetadataResponse
	if err := decodeStrict(res.body, &w); err != nil {
		return nil, malformed(op, 200, err.Error())
	}
	switch {
	case w.KeySpec == nil:
		return nil, malformed(op, 200, "keySpec is missing")
	case w.KeyUsage == nil:
		return nil, malformed(op, 200, "keyUsage is missing")
	case len(w.KeyUsage) > xksmodel.MaxKeyUsages:
		return nil, malformed(op, 200, fmt.Sprintf("keyUsage has %d values; at most %d are allowed", len(w.KeyUsage), xksmodel.MaxKeyUsages))
	case w.KeyStatus == nil:
		return nil, malformed(op, 200, "keyStatus is missing")
	}
	text := func(s string) string { return proxyText(s, maxAnswerText, res.sc) }
	out := &GetKeyMetadataOutput{KeySpec: KeySpec(text(*w.KeySpec)), KeyStatus: KeyStatus(text(*w.KeyStatus)), Latency: res.latency, KeyUsage: []KeyUsage{}}
	for _, u := range w.KeyUsage {
		out.KeyUsage = append(out.KeyUsage, KeyUsage(text(u)))
	}
	return out, nil
}
