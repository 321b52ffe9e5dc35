package main

import (
	"fmt"

	"github.com/kmskit/kms"
	"github.com/kmskit/kms/internal/display"
)

func runDelete(e *env, args []string) int {
	fs := newFlagSet(e, "delete", "--id ID [--yes]")
	var a awsFlags
	a.register(fs)
	id := fs.String("id", "", "CustomKeyStoreId of the store (required); it must be DISCONNECTED and hold no KMS keys")
	yes := fs.Bool("yes", false, "delete without asking for confirmation (needed when stdin is not a terminal)")
	if code := parseFlags(e, fs, args, nil); code >= 0 {
		return code
	}
	if *id == "" {
		return usageError(e, "delete", "--id is required")
	}
	ask := confirmation{command: "delete", nothing: "nothing was deleted"}
	if !*yes {
		if code := ask.refuseWithoutTerminal(e); code >= 0 {
			return code
		}
	}
	c, err := a.client(e)
	if err != nil {
		return fail(e, err)
	}
	if !*yes {
		out, err := c.DescribeCustomKeyStores(e.ctx, &kms.DescribeCustomKeyStoresInput{CustomKeyStoreId: id})
		if err != nil {
			return fail(e, err)
		}
		what := *id
		if len(out.CustomKeyStores) == 1 {
			s := out.CustomKeyStores[0]
			what = fmt.Sprintf("%s %q (%s, %s)", *id, display.Clean(deref(s.CustomKeyStoreName)), display.Clean(string(s.CustomKeyStoreType)), display.Clean(string(s.ConnectionState)))
		}
		if code := ask.ask(e, "Delete custom key store "+what+"? It cannot be undone."); code >= 0 {
			return code
		}
	}
	if _, err := c.DeleteCustomKeyStore(e.ctx, &kms.DeleteCustomKeyStoreInput{CustomKeyStoreId: id}); err != nil {
		return fail(e, err)
	}
	fmt.Fprintf(e.stdout, "Deleted custom key store %s.\n", *id)
	return exitOK
}
