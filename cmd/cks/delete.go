package main

import (
	"fmt"

	"github.com/kmskit/kms"
)

func runDelete(e *env, args []string) int {
	fs := newFlagSet(e, "delete", "--id ID")
	var a awsFlags
	a.register(fs)
	id := fs.String("id", "", "CustomKeyStoreId of the store (required); it must be DISCONNECTED and hold no KMS keys")
	if code := parseFlags(e, fs, args, nil); code >= 0 {
		return code
	}
	if *id == "" {
		return usageError(e, "delete", "--id is required")
	}
	c, err := a.client(e)
	if err != nil {
		return fail(e, err)
	}
	if _, err := c.DeleteCustomKeyStore(e.ctx, &kms.DeleteCustomKeyStoreInput{CustomKeyStoreId: id}); err != nil {
		return fail(e, err)
	}
	fmt.Fprintf(e.stdout, "Deleted custom key store %s.\n", *id)
	return exitOK
}
