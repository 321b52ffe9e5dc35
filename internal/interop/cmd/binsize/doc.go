// Package binsize holds three minimal programs that `make binsize` builds
// with `go build -trimpath -ldflags='-s -w'` to measure the binary size a
// user pays for one UpdateCustomKeyStore call:
//
//	ours      github.com/kmskit/kms
//	official  github.com/aws/aws-sdk-go-v2/service/kms
//	floor     net/http alone: one http.Post of the same body, unsigned
//
// Each reads the same environment, sends the same rename and prints the same
// way, so the differences are the clients. None of them is run by the
// benchmarks; they only have to build.
package binsize
