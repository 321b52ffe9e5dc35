// Package binsize holds the minimal programs that `make binsize` builds
// with `go build -trimpath -ldflags='-s -w'` to measure the binary size a
// user pays for this library next to aws-sdk-go-v2/service/kms:
//
//	ours              github.com/kmskit/kms: one call of each of the six
//	                  custom key store operations
//	official          aws-sdk-go-v2/service/kms: the same six calls
//	ours-one-op       github.com/kmskit/kms: one UpdateCustomKeyStore call
//	official-one-op   aws-sdk-go-v2/service/kms: the same call
//	floor             net/http alone: one http.Post of the rename's body,
//	                  unsigned
//
// Each pair reads the same environment, sends the same requests and prints
// the same way, so the differences are the clients. None of them is run by
// the benchmarks; they only have to build.
package binsize
