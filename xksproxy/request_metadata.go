package xksproxy

import (
	"crypto/rand"
	"fmt"

	"github.com/kmskit/kms/internal/xksmodel"
)

// wire returns the requestMetadata that op sends: only the members the
// specification lists for op, KmsRequestId filled in, required ones checked.
func (m RequestMetadata) wire(op string) (*xksmodel.RequestMetadata, error) {
	w := &xksmodel.RequestMetadata{KmsOperation: m.KmsOperation, KmsRequestId: m.KmsRequestId}
	switch op {
	case xksmodel.OpGetHealthStatus:
	case xksmodel.OpGetKeyMetadata:
		w.AwsPrincipalArn, w.AwsSourceVpc, w.AwsSourceVpce, w.KmsKeyArn = m.AwsPrincipalArn, m.AwsSourceVpc, m.AwsSourceVpce, m.KmsKeyArn
	default:
		*w = xksmodel.RequestMetadata(m)
	}
	if w.KmsRequestId == "" {
		w.KmsRequestId = newUUID()
	}
	if missing := w.MissingRequired(op); len(missing) > 0 {
		return nil, inputError("RequestMetadata."+goName(missing[0]), "is required for "+op)
	}
	for name, v := range map[string]string{"AwsPrincipalArn": w.AwsPrincipalArn, "KmsKeyArn": w.KmsKeyArn} {
		if len(v) > xksmodel.MaxARNLen {
			return nil, inputError("RequestMetadata."+name, fmt.Sprintf("must be at most %d characters", xksmodel.MaxARNLen))
		}
	}
	return w, nil
}

// goName maps a requestMetadata wire name to its Go field name.
func goName(wire string) string {
	switch wire {
	case "awsPrincipalArn":
		return "AwsPrincipalArn"
	case "kmsKeyArn":
		return "KmsKeyArn"
	case "kmsOperation":
		return "KmsOperation"
	}
	return "KmsRequestId"
}

// newUUID returns a random (version 4) UUID.
func newUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// checkKeyID returns an *InputError when id is not a valid externalKeyId.
func checkKeyID(id string) error {
	if err := xksmodel.CheckExternalKeyID(id); err != nil {
		return inputError("ExternalKeyId", err.Error())
	}
	return nil
}
