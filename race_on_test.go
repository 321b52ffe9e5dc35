//go:build race

package kms_test

// raceEnabled reports a -race build, where every operation is several
// times slower: load tests scale their size down.
const raceEnabled = true
