package main

import (
	"strings"
	"testing"
	"time"

	"github.com/kmskit/kms/kmstest"
)

// deletableSeed is baseSeed with DISCONNECTED CloudHSM stores ids, named
// "to-delete-" and the last character of the ID.
func deletableSeed(ids ...string) kmstest.Seed {
	seed := baseSeed()
	for _, id := range ids {
		seed.Stores = append(seed.Stores, kmstest.Store{CustomKeyStoreId: id, CustomKeyStoreName: "to-delete-" + id[len(id)-1:],
			CustomKeyStoreType: kmstest.TypeCloudHSM, CloudHsmClusterId: "cluster-" + id[len(id)-11:]})
	}
	return seed
}

// storeExists reports whether cks describe finds the store.
func storeExists(t *testing.T, env []string, url, id string) bool {
	t.Helper()
	return runCKS(t, env, "", "describe", "--endpoint-url", url, "--id", id).code == 0
}

// TestDeleteNeedsYesOnAPipe: on a pipe nobody can confirm, so delete
// without --yes refuses (exit 3, as apply) and sends nothing; with --yes it
// deletes.
func TestDeleteNeedsYesOnAPipe(t *testing.T) {
	url, kmsLog := startKMS(t, deletableSeed("cks-00000000000de1e71"), 50*time.Millisecond)
	env := cksEnv(t)
	exists := func(id string) bool { return storeExists(t, env, url, id) }

	r := runCKS(t, env, "yes\n", "delete", "--endpoint-url", url, "--id", "cks-00000000000de1e71")
	if r.code != 3 || !strings.Contains(r.stderr, "--yes") || !strings.Contains(r.stderr, "nothing was deleted") {
		t.Errorf("delete on a pipe without --yes: %v", r)
	}
	if strings.Contains(kmsLog.Log(), "TrentService.DeleteCustomKeyStore") || !exists("cks-00000000000de1e71") {
		t.Fatal("delete on a pipe without --yes sent DeleteCustomKeyStore")
	}
	r = runCKS(t, env, "", "delete", "--endpoint-url", url, "--id", "cks-00000000000de1e71", "--yes")
	if r.code != 0 || exists("cks-00000000000de1e71") {
		t.Errorf("delete --yes: %v", r)
	}
}
