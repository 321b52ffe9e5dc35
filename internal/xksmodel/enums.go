package xksmodel

// Enum values of the specification.
const (
	// EncryptionAlgorithmAESGCM is the only encryptionAlgorithm of v1.
	EncryptionAlgorithmAESGCM = "AES_GCM"
	// CDIVAlgorithmSHA256 is the only ciphertextDataIntegrityValueAlgorithm.
	CDIVAlgorithmSHA256 = "SHA_256"
	// KeySpecAES256 is the keySpec of a 256-bit AES key.
	KeySpecAES256 = "AES_256"
	// KeyUsageEncrypt and KeyUsageDecrypt are the keyUsage values KMS needs.
	KeyUsageEncrypt = "ENCRYPT"
	KeyUsageDecrypt = "DECRYPT"
	// KeyStatusEnabled and KeyStatusDisabled are the keyStatus values.
	KeyStatusEnabled  = "ENABLED"
	KeyStatusDisabled = "DISABLED"
	// The ekmFleetDetails healthStatus values.
	HealthActive      = "ACTIVE"
	HealthDegraded    = "DEGRADED"
	HealthUnavailable = "UNAVAILABLE"
)
