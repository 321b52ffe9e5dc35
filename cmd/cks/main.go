// Command cks is an operator's command line for AWS KMS custom key stores,
// built on github.com/kmskit/kms: describe stores, plan an update and see
// what it would do before anything changes, apply it with live progress,
// check an external key store proxy, rotate its credential, and connect,
// disconnect, create or delete a store. Secrets are never taken from the
// command line.
//
//	cd cmd/cks && go install .   # from a clone of github.com/kmskit/kms
//	cks help
//
// go install github.com/kmskit/kms/cmd/cks@latest works only for a released
// version: in a clone, cmd/cks/go.mod uses the library beside it through a
// replace directive, which go install refuses.
package main

import (
	"context"
	"os"
)

func main() {
	os.Exit(run(context.Background(), os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
