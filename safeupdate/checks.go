package safeupdate

import (
	"errors"
	"fmt"
	"strings"

	"github.com/kmskit/kms/internal/kmsmodel"
)

// CheckResult is the outcome of one Check.
type CheckResult string

// The results of a check.
const (
	// CheckPassed: checked, and KMS is expected to accept it.
	CheckPassed CheckResult = "passed"
	// CheckFailed: checked, and KMS is expected to refuse it (the plan or
	// preflight returns the error that says why).
	CheckFailed CheckResult = "failed"
	// CheckNotChecked: KMS will verify it, but it could not be checked from
	// here; Detail says why and what would let it be checked.
	CheckNotChecked CheckResult = "not checked"
)

// Check is one thing KMS verifies for an update (or a create), and what
// the plan or preflight found of it.
type Check struct {
	// Name says what is checked, e.g. CheckXksProxy or one of the rules
	// the store's entries decide ("NewCustomKeyStoreName is not used by
	// another custom key store").
	Name string
	// Result is passed, failed or not checked.
	Result CheckResult
	// Detail says what was found: for a failed check why KMS would refuse,
	// for one not checked why and what would let it be checked. It names
	// input members (KeyStorePassword), not Go fields.
	Detail string
	// Members are the input members whose values the check needs and did
	// not have, for a check not checked for want of them (the current
	// XksProxyAuthenticationCredential, the previous KeyStorePassword);
	// nil otherwise.
	Members []string
}

// The names of the checks that are not store-aware rules.
const (
	// CheckXksProxy: the XKS proxy answers GetHealthStatus through the
	// settings KMS will use, as KMS requires (the preflight).
	CheckXksProxy = "the XKS proxy accepts the settings KMS will use"
	// CheckCloudHsmCluster: the new CloudHSM cluster shares the store's
	// cluster's backup history, is ACTIVE and has the HSMs a store needs.
	CheckCloudHsmCluster = "the CloudHSM cluster is related to the store's, ACTIVE and configured"
	// CheckKmsuserPassword: the new KeyStorePassword is the password of the
	// cluster's kmsuser.
	CheckKmsuserPassword = "KeyStorePassword is the password of the cluster's kmsuser"
	// CheckVpcEndpointService: the VPC endpoint service an external key
	// store's update names exists, with that owner, allows KMS
	// (cks.amazonaws.com) as a principal and is configured for an external
	// key store. Nothing here can see Amazon VPC: it is never checked.
	CheckVpcEndpointService = "the VPC endpoint service exists, allows KMS and is configured for an external key store"
	// CheckRollback: a reconnect that fails can be rolled back: the
	// previous value of every changed member is known.
	CheckRollback = "a failed reconnect can be rolled back"
)

// Verdict is what a plan's checks say together.
type Verdict string

// The verdicts.
const (
	// VerdictAccept: every check passed.
	VerdictAccept Verdict = "accept"
	// VerdictUnchecked: none failed, some could not be checked.
	VerdictUnchecked Verdict = "unchecked"
	// VerdictRefuse: a check failed; Updater.Plan returned the error.
	VerdictRefuse Verdict = "refuse"
)

// verdictOf judges checks.
func verdictOf(checks []Check) Verdict {
	v := VerdictAccept
	for _, c := range checks {
		switch c.Result {
		case CheckFailed:
			return VerdictRefuse
		case CheckNotChecked:
			v = VerdictUnchecked
		}
	}
	return v
}

// unchecked returns the names of the checks not checked.
func unchecked(checks []Check) []string {
	var out []string
	for _, c := range checks {
		if c.Result == CheckNotChecked {
			out = append(out, c.Name)
		}
	}
	return out
}

// ruleChecks are the store-aware rules the update was checked against.
func ruleChecks(res kmsmodel.UpdateResult) []Check {
	out := make([]Check, 0, len(res.Checked))
	for _, name := range res.Checked {
		c := Check{Name: name, Result: CheckPassed}
		if r := res.Refusal; r != nil && r.Rule == name {
			c.Result, c.Detail = CheckFailed, r.Message()
		}
		out = append(out, c)
	}
	return out
}

// ErrUncheckedDisconnect is matched (errors.Is) by the error of an Apply
// that would disconnect a CONNECTED store while some of its plan's checks
// were not checked, and ApplyOptions.AcceptUnchecked is false.
var ErrUncheckedDisconnect = errors.New("kms: the plan disconnects the custom key store and some of its checks were not checked")

// UncheckedDisconnectError is the error of Apply for a plan that would
// disconnect a CONNECTED store with checks not checked. Nothing was sent.
// It matches ErrUncheckedDisconnect.
type UncheckedDisconnectError struct {
	// CustomKeyStoreId is the store.
	CustomKeyStoreId string
	// Unchecked are the Names of the checks not checked.
	Unchecked []string
}

func (e *UncheckedDisconnectError) Error() string {
	if e == nil {
		return "<nil *safeupdate.UncheckedDisconnectError>"
	}
	return fmt.Sprintf("kms: apply to custom key store %s: the plan disconnects the store, and these checks were not checked: %s;"+
		" nothing was sent: supply what they need, or set ApplyOptions.AcceptUnchecked to apply anyway (a failure then leaves the store's keys unusable until the rollback reconnects it)",
		e.CustomKeyStoreId, strings.Join(e.Unchecked, "; "))
}

// Is matches ErrUncheckedDisconnect.
func (e *UncheckedDisconnectError) Is(target error) bool { return target == ErrUncheckedDisconnect }
