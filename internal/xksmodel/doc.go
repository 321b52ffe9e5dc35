// Package xksmodel holds the facts of the XKS Proxy API specification v1
// (github.com/aws/aws-kms-xksproxy-api-spec) once: URIs, the JSON wire
// shapes, enum values, limits, the error names with their HTTP statuses,
// and the ciphertext data integrity value (Appendix C). The public client
// (package xksproxy) and the fake proxy (package kmstest) both read it.
package xksmodel
