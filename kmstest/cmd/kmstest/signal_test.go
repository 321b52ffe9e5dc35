//go:build unix

package main

import (
	"context"
	"os"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestRunStopsOnSignal: SIGTERM and SIGINT make the command shut down
// cleanly and return nil.
func TestRunStopsOnSignal(t *testing.T) {
	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGINT} {
		t.Run(sig.String(), func(t *testing.T) {
			_, log, wait := startRun(t, context.Background())
			require.NoError(t, syscall.Kill(os.Getpid(), sig))
			require.NoError(t, wait())
			assert.Contains(t, log.String(), "kmstest shutting down")
		})
	}
}
