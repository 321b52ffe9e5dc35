package main

import "github.com/kmskit/kms"

// onAttempt feeds a waiter's polls (WaitAttempt: the state and
// connection error code each DescribeCustomKeyStores saw) to the progress
// line. That is how the polls of `cks connect|disconnect --wait` show
// without requests of cks's own against KMS's low request quota (apply
// uses ApplyOptions.OnPoll instead).
func (p *progress) onAttempt(a kms.WaitAttempt) {
	if a.State != "" {
		p.observe(string(a.State), string(a.ConnectionErrorCode))
	}
}
