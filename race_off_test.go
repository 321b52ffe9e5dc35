//go:build !race

package kms

// RaceEnabled reports a -race build (exported for package kms_test), where
// sync.Pool drops items on purpose and every operation is several
// times slower: load tests scale their size down, allocation counts allow
// for the pools.
const RaceEnabled = false
