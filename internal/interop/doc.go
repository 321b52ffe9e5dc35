// Package interop proves that github.com/kmskit/kms speaks what AWS's own
// clients speak, and measures what it costs per call next to
// aws-sdk-go-v2/service/kms. It is a separate module so that its heavy
// test-only dependencies never reach the library's go.mod.
package interop
