package xksproxy

// RequestMetadata is the requestMetadata that KMS sends with every call, for
// the proxy's audit log and optional authorization. Which members an
// operation requires is listed on its input; a missing required member is an
// *InputError, except KmsRequestId, which is generated (a random UUID) when
// empty.
type RequestMetadata struct {
	// AwsPrincipalArn is the ARN of the principal that called KMS, or a
	// service principal such as "ec2.amazonaws.com". Required except for
	// GetHealthStatus (where it is not sent).
	AwsPrincipalArn string
	// AwsSourceVpc is the VPC of a KMS call made through a VPC endpoint.
	// Optional; not sent for GetHealthStatus.
	AwsSourceVpc string
	// AwsSourceVpce is the VPC endpoint of such a call. Optional; not sent
	// for GetHealthStatus.
	AwsSourceVpce string
	// KmsKeyArn is the ARN of the KMS key. Required for Encrypt and Decrypt,
	// optional for GetKeyMetadata, not sent for GetHealthStatus.
	KmsKeyArn string
	// KmsOperation is the KMS API that led to the call, e.g. "Encrypt",
	// "CreateKey", "UpdateCustomKeyStore" or "KmsHealthCheck". Required.
	KmsOperation string
	// KmsRequestId is the KMS request ID, opaque to the proxy. Empty means a
	// random UUID is generated.
	KmsRequestId string
	// KmsViaService is the AWS service that called KMS for the customer.
	// Optional; sent for Encrypt and Decrypt only.
	KmsViaService string
}

// KeySpec is the type of an external key; version 1 supports KeySpecAes256.
type KeySpec string

// KeySpecAes256 is a 256-bit AES key.
const KeySpecAes256 KeySpec = "AES_256"

// KeyUsage is an operation an external key supports. A proxy may list
// others (DERIVE, SIGN, WRAP, ...).
type KeyUsage string

// The key usages that KMS needs.
const (
	KeyUsageEncrypt KeyUsage = "ENCRYPT"
	KeyUsageDecrypt KeyUsage = "DECRYPT"
)

// KeyStatus is the state of an external key in its key manager.
type KeyStatus string

// The key statuses of the specification.
const (
	KeyStatusEnabled  KeyStatus = "ENABLED"
	KeyStatusDisabled KeyStatus = "DISABLED"
)

// EkmHealthStatus is the health of one external key manager.
type EkmHealthStatus string

// The health statuses of the specification.
const (
	// EkmHealthStatusActive: healthy.
	EkmHealthStatusActive EkmHealthStatus = "ACTIVE"
	// EkmHealthStatusDegraded: unhealthy but serving traffic.
	EkmHealthStatusDegraded EkmHealthStatus = "DEGRADED"
	// EkmHealthStatusUnavailable: unable to serve traffic.
	EkmHealthStatusUnavailable EkmHealthStatus = "UNAVAILABLE"
)

// EncryptionAlgorithm is the cipher of Encrypt and Decrypt.
type EncryptionAlgorithm string

// EncryptionAlgorithmAesGcm is AES-GCM, the only algorithm of version 1.
const EncryptionAlgorithmAesGcm EncryptionAlgorithm = "AES_GCM"

// CiphertextDataIntegrityValueAlgorithm is the hash of a ciphertext data
// integrity value.
type CiphertextDataIntegrityValueAlgorithm string

// CiphertextDataIntegrityValueAlgorithmSha256 is SHA-256, the only
// algorithm of version 1.
const CiphertextDataIntegrityValueAlgorithmSha256 CiphertextDataIntegrityValueAlgorithm = "SHA_256"
