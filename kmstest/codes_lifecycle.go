package kmstest

// The exceptions that the other custom key store operations document
// beyond UpdateCustomKeyStore's.
const (
	CodeCloudHsmClusterInUse  = "CloudHsmClusterInUseException"
	CodeCustomKeyStoreHasCMKs = "CustomKeyStoreHasCMKsException"
	CodeIncorrectTrustAnchor  = "IncorrectTrustAnchorException"
	CodeInvalidMarker         = "InvalidMarkerException"
	CodeLimitExceeded         = "LimitExceededException"
)
