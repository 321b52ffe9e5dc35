package xksmodel

import (
	"fmt"
	"strings"
)

// SigningName is the SigV4 service name of every XKS Proxy API request.
const SigningName = "kms-xks-proxy"

// APIPath is the fixed end of every XksProxyUriPath of version 1: a proxy
// serves [/<optional-path-prefix>]/kms/xks/v1.
const APIPath = "/kms/xks/v1"

// The operation names, as this package and its readers call them.
const (
	OpGetHealthStatus = "GetHealthStatus"
	OpGetKeyMetadata  = "GetKeyMetadata"
	OpEncrypt         = "Encrypt"
	OpDecrypt         = "Decrypt"
)

// The last URI segment of each operation: health is {UriPath}/health, the
// others are {UriPath}/keys/{externalKeyId}/{segment}.
const (
	SegmentHealth   = "health"
	SegmentMetadata = "metadata"
	SegmentEncrypt  = "encrypt"
	SegmentDecrypt  = "decrypt"
)

// Limits from the specification.
const (
	// MaxURIPathLen is the longest XksProxyUriPath.
	MaxURIPathLen = 128
	// MaxURILen is the longest request URI (endpoint, path and operation).
	MaxURILen = 256
	// MaxExternalKeyIDLen is the longest externalKeyId.
	MaxExternalKeyIDLen = 128
	// MaxARNLen is the longest ARN a proxy must accept in requestMetadata.
	MaxARNLen = 2048
	// MaxCiphertextMetadataLen is the most bytes of ciphertextMetadata.
	MaxCiphertextMetadataLen = 20
	// AuthenticationTagLen is the size of an AES-GCM authentication tag.
	AuthenticationTagLen = 16
	// MaxErrorMessageLen is the longest errorMessage (fewer than 512).
	MaxErrorMessageLen = 511
	// MaxKeyUsages is the most keyUsage values in GetKeyMetadata.
	MaxKeyUsages = 10
	// MaxEkmFleet is the most ekmFleetDetails entries in GetHealthStatus.
	MaxEkmFleet = 10
	// MinPlaintextSupported is the plaintext (and ciphertext) size every
	// proxy must accept.
	MinPlaintextSupported = 4300
	// MinAADSupported is the additionalAuthenticatedData size every proxy
	// must accept.
	MinAADSupported = 8192
	// MaxBody bounds the bodies this module reads, request or response.
	MaxBody = 1 << 20
)

// ValidInitializationVectorLen reports whether n bytes is an allowed IV
// size (12 or 16).
func ValidInitializationVectorLen(n int) bool { return n == 12 || n == 16 }

// CheckURIPath returns nil when p is a valid XksProxyUriPath of version 1:
// at most 128 characters of a-z, A-Z, 0-9, '/', '-' and '_', ending in
// /kms/xks/v1 (with an optional /prefix before it), as KMS's pattern
// ^(/[a-zA-Z0-9/_-]+/kms/xks/v\d{1,2})$|^(/kms/xks/v\d{1,2})$ allows for v1.
func CheckURIPath(p string) error {
	if len(p) > MaxURIPathLen {
		return fmt.Errorf("must be at most %d characters (it has %d)", MaxURIPathLen, len(p))
	}
	for _, c := range p {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '/' || c == '-' || c == '_') {
			return fmt.Errorf("may hold only a-z, A-Z, 0-9, '/', '-' and '_' (found %q)", c)
		}
	}
	prefix, ok := strings.CutSuffix(p, APIPath)
	if !ok {
		return fmt.Errorf("must end in %s", APIPath)
	}
	if prefix != "" && (prefix[0] != '/' || len(prefix) < 2) {
		return fmt.Errorf("must be [/<path-prefix>]%s", APIPath)
	}
	return nil
}

// CheckExternalKeyID returns nil when id is a valid externalKeyId: 1 to 128
// characters of A-Z, a-z, 0-9, '-', '.' and '_'.
func CheckExternalKeyID(id string) error {
	if id == "" {
		return fmt.Errorf("is required")
	}
	if len(id) > MaxExternalKeyIDLen {
		return fmt.Errorf("must be at most %d characters (it has %d)", MaxExternalKeyIDLen, len(id))
	}
	for _, c := range id {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.' || c == '_') {
			return fmt.Errorf("may hold only A-Z, a-z, 0-9, '-', '.' and '_' (found %q)", c)
		}
	}
	if id == "." || id == ".." {
		return fmt.Errorf("cannot be %q", id)
	}
	return nil
}

// HealthURI returns the path of GetHealthStatus under uriPath.
func HealthURI(uriPath string) string { return uriPath + "/" + SegmentHealth }

// KeyURI returns the path of a key operation under uriPath.
func KeyURI(uriPath, externalKeyID, segment string) string {
	return uriPath + "/keys/" + externalKeyID + "/" + segment
}

// ParseURI splits a request path into its prefix (what comes before
// /kms/xks/v1, "" for none), operation and externalKeyId. ok is false when
// the path is not an XKS API URI.
func ParseURI(path string) (prefix, op, externalKeyID string, ok bool) {
	i := strings.LastIndex(path, APIPath+"/")
	if i < 0 {
		return "", "", "", false
	}
	prefix, rest := path[:i], path[i+len(APIPath)+1:]
	if rest == SegmentHealth {
		return prefix, OpGetHealthStatus, "", true
	}
	keyPart, ok := strings.CutPrefix(rest, "keys/")
	if !ok {
		return "", "", "", false
	}
	id, seg, ok := strings.Cut(keyPart, "/")
	if !ok || strings.Contains(seg, "/") {
		return "", "", "", false
	}
	switch seg {
	case SegmentMetadata:
		op = OpGetKeyMetadata
	case SegmentEncrypt:
		op = OpEncrypt
	case SegmentDecrypt:
		op = OpDecrypt
	default:
		return "", "", "", false
	}
	return prefix, op, id, true
}
