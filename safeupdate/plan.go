package safeupdate

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/kmskit/kms"
	"github.com/kmskit/kms/internal/kmsmodel"
)

// PlanOptions configures [Updater.Plan].
type PlanOptions struct {
	// AllowDisconnect lets the plan disconnect a CONNECTED or CONNECTING
	// store when the update sends a member that KMS changes only while the
	// store is DISCONNECTED (see [kms.UpdateCustomKeyStoreInput.RequiresDisconnect]).
	// Disconnecting makes every KMS key in the store unusable until it is
	// CONNECTED again. Without it such a plan is an error that wraps
	// ErrDisconnectNotAllowed and names those members. A FAILED store is
	// disconnected whatever this says: its keys are unusable already, and
	// disconnecting it is the documented fix.
	AllowDisconnect bool

	// Preflight configures the check of an external key store's new proxy
	// settings (see [Updater.PreflightXksProxy]). The preflight runs when the
	// update changes the credential, endpoint, path, connectivity or VPC
	// endpoint service of an EXTERNAL_KEY_STORE; Preflight.Credential also
	// lets a failed reconnect restore the previous credential (only when its
	// AccessKeyId is the one DescribeCustomKeyStores shows for the store).
	Preflight PreflightOptions

	// PreviousKeyStorePassword is the kmsuser password KMS holds now, for a
	// CloudHSM store whose KeyStorePassword the update changes. KMS never
	// returns it; when it is nil a failed reconnect cannot restore it. Secret:
	// never printed or logged.
	PreviousKeyStorePassword *string
}

// ErrDisconnectNotAllowed is matched (errors.Is) by the error of a plan
// that must disconnect a CONNECTED or CONNECTING store although
// PlanOptions.AllowDisconnect is false.
var ErrDisconnectNotAllowed = errors.New("kms: the update needs the custom key store DISCONNECTED and PlanOptions.AllowDisconnect is false")

// DisconnectNotAllowedError is the error of a plan that needs to
// disconnect the store without PlanOptions.AllowDisconnect. It matches
// ErrDisconnectNotAllowed.
type DisconnectNotAllowedError struct {
	// CustomKeyStoreId is the store.
	CustomKeyStoreId string
	// State is the store's ConnectionState when planned.
	State kms.ConnectionStateType
	// Members are the AWS names of the members that need DISCONNECTED.
	Members []string
}

func (e *DisconnectNotAllowedError) Error() string {
	if e == nil {
		return "<nil *safeupdate.DisconnectNotAllowedError>"
	}
	return fmt.Sprintf("kms: plan for custom key store %s: %s can change only while the store is DISCONNECTED and it is %s;"+
		" disconnecting makes every KMS key in the store unusable until it reconnects: set PlanOptions.AllowDisconnect to allow it,"+
		" or leave those members out (NewCustomKeyStoreName, XksProxyAuthenticationCredential and XksProxyUriPath change while CONNECTED)",
		e.CustomKeyStoreId, strings.Join(e.Members, ", "), e.State)
}

// Is matches ErrDisconnectNotAllowed.
func (e *DisconnectNotAllowedError) Is(target error) bool { return target == ErrDisconnectNotAllowed }

// StepAction is what one step of a [Plan] does.
type StepAction string

// The steps a plan is made of, in the order they can appear.
const (
	// StepDisconnect calls DisconnectCustomKeyStore.
	StepDisconnect StepAction = "DisconnectCustomKeyStore"
	// StepWaitDisconnected waits until the store is DISCONNECTED
	// (CustomKeyStoreDisconnectedWaiter).
	StepWaitDisconnected StepAction = "WaitUntilDisconnected"
	// StepUpdate calls UpdateCustomKeyStore with the step's Input.
	StepUpdate StepAction = "UpdateCustomKeyStore"
	// StepConnect calls ConnectCustomKeyStore.
	StepConnect StepAction = "ConnectCustomKeyStore"
	// StepWaitConnected waits until the store is CONNECTED
	// (CustomKeyStoreConnectedWaiter); a FAILED store ends it with a
	// *kms.ConnectionFailedError.
	StepWaitConnected StepAction = "WaitUntilConnected"
)

// Step is one step of a plan.
type Step struct {
	// Action is what the step does.
	Action StepAction
	// Input is the update a StepUpdate sends; nil for other steps.
	Input *kms.UpdateCustomKeyStoreInput
	// Reason says why the step is needed.
	Reason string
}

// Change is one member an update sends.
type Change struct {
	// Member is the AWS member name, e.g. "XksProxyUriPath".
	Member string
	// From is the current value, as DescribeCustomKeyStores shows it; empty
	// for a secret or a value KMS does not return.
	From string
	// To is the new value; empty for a secret.
	To string
	// Secret: the values are never shown; String prints "changed".
	Secret bool
	// Same: the new value equals the current one (never set for secrets).
	Same bool
	// NeedsDisconnect: KMS changes the member only while the store is
	// DISCONNECTED.
	NeedsDisconnect bool
}

// Plan is the whole procedure of one custom key store update, made
// by [Updater.Plan]: what the store looks like now, what
// changes, the steps, what was checked and what could not be. Print it
// with String; run it with Apply, which runs Steps as listed; the other
// fields are for reading (Apply keeps its own copy of what it compares and
// rolls back). No way of printing or encoding a Plan shows a secret.
type Plan struct {
	// Current is the store as DescribeCustomKeyStores showed it when
	// planned. Apply refuses to run if it changed since.
	Current kms.CustomKeyStoresListEntry
	// Input is a copy of the update.
	Input *kms.UpdateCustomKeyStoreInput
	// Changes are the members the update sends, in member order.
	Changes []Change
	// Steps are what Apply does, in order. Empty when there is nothing to do.
	Steps []Step
	// Checks are the things KMS verifies for this update, each once, with
	// what the plan found: the rules the account's custom key stores
	// decide, the XKS proxy preflight, what only KMS can check (a CloudHSM
	// cluster, the kmsuser password), and whether a failed reconnect can be
	// rolled back. See Verdict.
	Checks []Check
	// Preflight is the preflight's report, or nil when none ran.
	Preflight *PreflightReport
	// Warnings are findings that do not stop the plan.
	Warnings []string

	api     API
	clock   kms.WaiterClock
	snap    storeSnapshot
	in      *kms.UpdateCustomKeyStoreInput // Apply's own copy of the input
	opts    PlanOptions
	secrets planSecrets // handed to each call, scrubbed from what Apply reports
}

// Verdict says what the checks say together: VerdictAccept when every
// check passed, VerdictUnchecked when some could not be checked (Apply
// then refuses to disconnect the store without
// ApplyOptions.AcceptUnchecked), VerdictRefuse for a nil plan (Updater.Plan
// returns no plan, and the error, when a check fails). A Plan not made by
// Updater.Plan (the zero Plan) checked nothing: VerdictUnchecked.
func (p *Plan) Verdict() Verdict {
	if p == nil {
		return VerdictRefuse
	}
	if p.api == nil || len(p.Checks) == 0 {
		return VerdictUnchecked
	}
	return verdictOf(p.Checks)
}

// disconnects reports whether the plan disconnects a CONNECTED or
// CONNECTING store (and reconnects it).
func (p *Plan) disconnects() bool {
	return slices.ContainsFunc(p.Steps, func(s Step) bool { return s.Action == StepConnect })
}

// Plan plans the update in of one custom key store, changing nothing. It
// validates in offline, then reads the store and every other custom key
// store of the account (DescribeCustomKeyStores, pages of 1,000: one call
// for most accounts) and refuses, before anything else is sent, every
// update that KMS would reject for a reason those entries show:
//
//   - a member of the other store type (e.g. XksProxyUriPath for an
//     AWS_CLOUDHSM store), or a switch of XksProxyConnectivity without the
//     members it needs (to VPC_ENDPOINT_SERVICE without a new
//     XksProxyUriEndpoint or without XksProxyVpcEndpointServiceName, to
//     PUBLIC_ENDPOINT without a new XksProxyUriEndpoint or with a service
//     name), or a VPC endpoint service for a store that stays
//     PUBLIC_ENDPOINT: a *kms.ValidationError naming the member and the
//     rule;
//   - a value another store uses (the name, the endpoint and path, a VPC
//     store's endpoint, the VPC endpoint service): an *InUseError that
//     matches the kms Err value KMS would answer with (such as
//     kms.ErrCustomKeyStoreNameInUse) and names the other store;
//   - a member that needs DISCONNECTED while opts.AllowDisconnect is false:
//     a *DisconnectNotAllowedError.
//
// It then runs the XKS preflight when the update changes the proxy
// settings of an external key store (a predicted failure is the
// *PreflightError, at UpdateCustomKeyStore for a store that is CONNECTED
// when the update is sent, at ConnectCustomKeyStore for one that is
// DISCONNECTED then), lists every check in Checks (see Verdict), and lists
// the steps:
//
//   - DisconnectCustomKeyStore and a wait only when the update sends a
//     member that needs DISCONNECTED and the store is CONNECTED or
//     CONNECTING (this needs opts.AllowDisconnect), or when the store is
//     FAILED (the documented fix);
//   - a wait when the store is DISCONNECTING, or CONNECTING and the update
//     can run while CONNECTED;
//   - UpdateCustomKeyStore;
//   - ConnectCustomKeyStore and a wait only when the plan disconnected a
//     store that was CONNECTED or CONNECTING.
//
// Other errors: the Describe error (a store that is not listed matches
// kms.ErrCustomKeyStoreNotFound); *SameKeyError from the same-key guard;
// an error naming what is wrong for a nil Updater, API, context or input.
// The plan is nil on error.
func (u *Updater) Plan(ctx context.Context, in *kms.UpdateCustomKeyStoreInput, opts PlanOptions) (*Plan, error) {
	if err := u.ready(ctx); err != nil {
		return nil, err
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	known := secretsOf(in, opts, secret{})
	entry, all, err := listStores(ctx, u.api, *in.CustomKeyStoreId, known.describe)
	if err != nil {
		return nil, known.scrubErr(err)
	}
	snap := snapshotOf(entry)
	steps, atUpdate, stepsErr := planSteps(snap, in, opts.AllowDisconnect)
	rules := snap.rules()
	rules.State = string(atUpdate)
	res := kmsmodel.CheckUpdate(rules, all, updateMembers(in))
	if r := res.Refusal; r != nil {
		return nil, refusal(snap, r, stepsErr)
	}
	if stepsErr != nil {
		return nil, stepsErr
	}
	p := &Plan{
		Current: entry,
		Input:   in.Copy(),
		Changes: plannedChanges(snap, in),
		Steps:   steps,
		Checks:  ruleChecks(res),
		api:     u.api,
		clock:   u.clock(),
		snap:    snap,
		in:      in.Copy(),
		opts:    opts,
	}
	p.secrets = secretsOf(in, opts, snap.accessKeyID)
	for _, ch := range p.Changes {
		if ch.Same && ch.NeedsDisconnect && slices.ContainsFunc(steps, func(s Step) bool { return s.Action == StepDisconnect }) {
			p.Warnings = append(p.Warnings, fmt.Sprintf("%s is already %q; leave it out of the input to avoid disconnecting the store", ch.Member, ch.To))
		}
	}
	if c := in.XksProxyAuthenticationCredential; c != nil && c.AccessKeyId != nil && *c.AccessKeyId == snap.accessKeyID.value() && snap.typ == kms.CustomKeyStoreTypeExternalKeyStore {
		p.Warnings = append(p.Warnings, "the new XksProxyAuthenticationCredential keeps the store's AccessKeyId: an access key ID names one secret (XKS proxy API specification),"+
			" so the proxy cannot accept the old and the new secret at once while KMS hosts switch over; rotate to a new access key ID instead (RotateXksCredential)")
	}
	if snap.typ == kms.CustomKeyStoreTypeExternalKeyStore && changesProxySettings(in) {
		rep, err := u.preflightUpdate(ctx, in, entry, opts.Preflight, atUpdate)
		if err != nil {
			return nil, err
		}
		p.Preflight = rep
		p.Checks = append(p.Checks, rep.Checks...)
		p.Warnings = append(p.Warnings, rep.Warnings...)
	}
	p.Checks = append(p.Checks, vpcServiceChecks(snap, in, res.Proxy)...)
	p.Checks = append(p.Checks, cloudHsmChecks(snap, in)...)
	if p.disconnects() {
		p.Checks = append(p.Checks, rollbackCheck(snap, in, opts))
	}
	return p, nil
}

// updateMembers is in as the store-aware rules read it.
func updateMembers(in *kms.UpdateCustomKeyStoreInput) kmsmodel.UpdateMembers {
	out := kmsmodel.UpdateMembers{}
	for _, m := range in.SentMembers() {
		v := m.Value
		out[m.Name] = &v
	}
	return out
}

// vpcServiceChecks are what only KMS can check of the VPC endpoint
// service an external key store's update leaves it with (next): that the
// service exists with that owner, allows KMS and is configured right. KMS
// checks it when the update sets the service name or owner, or switches
// the connectivity to VPC_ENDPOINT_SERVICE, as kmstest does.
func vpcServiceChecks(s storeSnapshot, in *kms.UpdateCustomKeyStoreInput, next kmsmodel.ProxyConfiguration) []Check {
	if s.typ != kms.CustomKeyStoreTypeExternalKeyStore || next.Connectivity != string(kms.XksProxyConnectivityTypeVpcEndpointService) ||
		in.XksProxyVpcEndpointServiceName == nil && in.XksProxyVpcEndpointServiceOwner == nil && in.XksProxyConnectivity == "" {
		return nil
	}
	owner := "the account that sends the update"
	if next.VpcEndpointServiceOwner != "" {
		owner = "account " + next.VpcEndpointServiceOwner
	}
	return []Check{{Name: CheckVpcEndpointService, Result: CheckNotChecked, Detail: fmt.Sprintf(
		"KMS checks that VPC endpoint service %s exists, is owned by %s, has cks.amazonaws.com among its allowed principals,"+
			" needs no acceptance and has private DNS verified (UpdateCustomKeyStore answers XksProxyVpcEndpointServiceNotFoundException"+
			" or XksProxyVpcEndpointServiceInvalidConfigurationException); nothing here can see Amazon VPC, so it is not checked:"+
			" verify it in Amazon VPC (aws ec2 describe-vpc-endpoint-service-configurations and describe-vpc-endpoint-service-permissions) before applying",
		next.VpcEndpointServiceName, owner)}}
}

// cloudHsmChecks are what only KMS can check of a CloudHSM update: the
// new cluster and the new kmsuser password.
func cloudHsmChecks(s storeSnapshot, in *kms.UpdateCustomKeyStoreInput) []Check {
	var out []Check
	if c := in.CloudHsmClusterId; c != nil {
		ch := Check{Name: CheckCloudHsmCluster, Result: CheckNotChecked, Detail: fmt.Sprintf(
			"KMS checks that cluster %s shares the backup history of the store's cluster %s, is ACTIVE and has the HSMs a store needs"+
				" (UpdateCustomKeyStore answers CloudHsmClusterNotRelatedException, CloudHsmClusterNotActiveException or"+
				" CloudHsmClusterInvalidConfigurationException); nothing here can see CloudHSM, so it is not checked", *c, s.cluster)}
		if *c == s.cluster {
			ch.Result, ch.Detail = CheckPassed, "CloudHsmClusterId is the store's cluster already"
		}
		out = append(out, ch)
	}
	if in.KeyStorePassword != nil {
		out = append(out, Check{Name: CheckKmsuserPassword, Result: CheckNotChecked, Detail: "KMS logs in as kmsuser with KeyStorePassword only when it connects the store" +
			" (a wrong one ends FAILED with INVALID_CREDENTIALS); nothing here can log in to the cluster, so it is not checked"})
	}
	return out
}

// rollbackCheck says whether a failed reconnect can restore every changed
// member.
func rollbackCheck(s storeSnapshot, in *kms.UpdateCustomKeyStoreInput, opts PlanOptions) Check {
	_, _, unknown := rollbackInput(s, in, opts.PreviousKeyStorePassword, opts.Preflight.Credential)
	if len(unknown) == 0 {
		return Check{Name: CheckRollback, Result: CheckPassed, Detail: "the previous value of every changed member is known"}
	}
	var why []string
	for _, m := range unknown {
		switch m {
		case fieldKeyStorePassword:
			why = append(why, "the KeyStorePassword KMS holds now (KMS never returns it)")
		case fieldXksCredential:
			why = append(why, "the XksProxyAuthenticationCredential KMS holds now (KMS never returns its secret; its AccessKeyId must be the store's)")
		default:
			why = append(why, "the "+m+" KMS holds now")
		}
	}
	return Check{Name: CheckRollback, Result: CheckNotChecked, Members: unknown, Detail: "not known: " + strings.Join(why, "; ") +
		": if the reconnect fails, the rollback cannot restore " + strings.Join(unknown, ", ") + " and the store stays DISCONNECTED until it is corrected"}
}

// storeTypeError is the *kms.ValidationError of an operation that needs a
// store of type want on store s, which is another type.
func storeTypeError(s storeSnapshot, want kms.CustomKeyStoreType, why string) error {
	return validationError(fieldCustomKeyStoreID, fmt.Sprintf("custom key store %s is %s, not %s: %s", s.id, s.typ, want, why))
}

// plannedChanges lists the members in sends with current and new values.
func plannedChanges(s storeSnapshot, in *kms.UpdateCustomKeyStoreInput) []Change {
	disc := in.DisconnectRequiredFields()
	var out []Change
	for _, m := range in.SentMembers() {
		ch := Change{Member: m.Name, Secret: m.Secret, NeedsDisconnect: slices.Contains(disc, m.Name)}
		if !m.Secret {
			ch.From, ch.To = s.currentValue(m.Name), m.Value
			ch.Same = ch.From == ch.To
		}
		out = append(out, ch)
	}
	return out
}

// changesProxySettings reports whether in changes what KMS uses to reach
// an external key store's proxy: a member of external key stores only.
func changesProxySettings(in *kms.UpdateCustomKeyStoreInput) bool {
	return slices.ContainsFunc(in.SentMembers(), func(m kms.UpdateMember) bool {
		return m.StoreType == kms.CustomKeyStoreTypeExternalKeyStore
	})
}

// planSteps decides the steps of updating store s with in, and the state
// the store is in when the update is sent.
func planSteps(s storeSnapshot, in *kms.UpdateCustomKeyStoreInput, allowDisconnect bool) ([]Step, kms.ConnectionStateType, error) {
	if len(in.SentMembers()) == 0 {
		return nil, s.state, nil
	}
	disc := in.DisconnectRequiredFields()
	update := Step{Action: StepUpdate, Input: in.Copy(), Reason: "send the change"}
	disconnect := func(why string) []Step {
		return []Step{
			{Action: StepDisconnect, Reason: why},
			{Action: StepWaitDisconnected, Reason: "UpdateCustomKeyStore needs the store DISCONNECTED; the update is sent the moment it is"},
		}
	}
	reconnect := []Step{
		{Action: StepConnect, Reason: "the store was " + string(s.state) + " before the plan disconnected it"},
		{Action: StepWaitConnected, Reason: "the KMS keys in the store are usable again once it is CONNECTED"},
	}
	const disconnected, connected = kms.ConnectionStateTypeDisconnected, kms.ConnectionStateTypeConnected
	switch s.state {
	case kms.ConnectionStateTypeDisconnected:
		return []Step{update}, disconnected, nil
	case kms.ConnectionStateTypeDisconnecting:
		return []Step{
			{Action: StepWaitDisconnected, Reason: "the store is DISCONNECTING; UpdateCustomKeyStore needs it settled"},
			update,
		}, disconnected, nil
	case kms.ConnectionStateTypeFailed:
		steps := disconnect("the store is FAILED (" + string(s.errorCode) + "): the documented fix is to disconnect, correct, update and connect again")
		return append(steps, update), disconnected, nil
	case kms.ConnectionStateTypeConnected, kms.ConnectionStateTypeConnecting:
		if len(disc) == 0 {
			if s.state == kms.ConnectionStateTypeConnecting {
				return []Step{
					{Action: StepWaitConnected, Reason: "the store is CONNECTING; UpdateCustomKeyStore needs it CONNECTED or DISCONNECTED"},
					update,
				}, connected, nil
			}
			return []Step{update}, connected, nil
		}
		if !allowDisconnect {
			return nil, connected, &DisconnectNotAllowedError{CustomKeyStoreId: s.id, State: s.state, Members: disc}
		}
		steps := disconnect(strings.Join(disc, ", ") + " can change only while the store is DISCONNECTED; its KMS keys are unusable until it is CONNECTED again")
		steps = append(steps, update)
		return append(steps, reconnect...), disconnected, nil
	}
	return nil, s.state, fmt.Errorf("kms: plan for custom key store %s: unknown ConnectionState %q", s.id, s.state)
}

// refusal is the error of a plan that a store-aware rule refuses:
// stateErr (the plan's own DisconnectNotAllowedError) for the state rule.
func refusal(s storeSnapshot, r *kmsmodel.Refusal, stateErr error) error {
	switch r.Rule {
	case kmsmodel.RuleStoreType:
		problems := make([]kms.FieldProblem, 0, len(r.Members))
		for _, m := range r.Members {
			problems = append(problems, kms.FieldProblem{Field: m, Reason: fmt.Sprintf(
				"cannot be used with a custom key store whose CustomKeyStoreType is %s (custom key store %s); it applies only to %s",
				s.typ, s.id, memberStore(m))})
		}
		return kms.NewValidationError(updateShape.Name, problems...)
	case kmsmodel.RuleConnectivity:
		problems := make([]kms.FieldProblem, 0, len(r.Members))
		for _, m := range r.Members {
			problems = append(problems, kms.FieldProblem{Field: m, Reason: fmt.Sprintf(
				"custom key store %s is %s: %s (KMS answers %s)", s.id, s.connectivity, r.Message(), r.Code)})
		}
		return kms.NewValidationError(updateShape.Name, problems...)
	case kmsmodel.RuleConnectionState:
		if stateErr != nil {
			return stateErr
		}
		return fmt.Errorf("kms: plan for custom key store %s: %s: %w", s.id, r.Message(), kms.ErrCustomKeyStoreInvalidState)
	}
	return &InUseError{CustomKeyStoreId: s.id, Members: r.Members, OtherCustomKeyStoreId: r.OtherStoreID,
		Predicted: kms.ErrorForCode(r.Code), Code: r.Code, Reason: r.Message()}
}

// InUseError is the error of a plan whose update would give the store a
// value that another custom key store of the account already uses:
// KMS would answer UpdateCustomKeyStore with Code. Nothing was sent but
// DescribeCustomKeyStores. It matches Predicted with errors.Is:
// kms.ErrCustomKeyStoreNameInUse, kms.ErrXksProxyUriInUse,
// kms.ErrXksProxyUriEndpointInUse or kms.ErrXksProxyVpcEndpointServiceInUse.
type InUseError struct {
	// CustomKeyStoreId is the store planned.
	CustomKeyStoreId string
	// Members are the input members whose new values are in use.
	Members []string
	// OtherCustomKeyStoreId is the store that uses them.
	OtherCustomKeyStoreId string
	// Predicted is the kms Err value of the exception KMS would answer.
	Predicted error
	// Code is that exception's code, e.g. "XksProxyUriInUseException".
	Code string
	// Reason is KMS's message.
	Reason string
}

func (e *InUseError) Error() string {
	if e == nil {
		return "<nil *safeupdate.InUseError>"
	}
	return fmt.Sprintf("kms: plan for custom key store %s: UpdateCustomKeyStore would fail with %s: %s already used by custom key store %s: %s",
		e.CustomKeyStoreId, e.Code, strings.Join(e.Members, " and "), e.OtherCustomKeyStoreId, e.Reason)
}

// Unwrap returns Predicted.
func (e *InUseError) Unwrap() error {
	if e == nil {
		return nil
	}
	return e.Predicted
}

// String describes the plan for a person: the store and its state, each
// change (secrets only as "changed"), the steps, the preflight and the
// warnings.
func (p *Plan) String() string {
	if p == nil {
		return "<nil plan>"
	}
	var b strings.Builder
	s := p.snap
	fmt.Fprintf(&b, "Custom key store %s %q (%s) is %s", s.id, s.name, s.typ, s.state)
	if s.errorCode != "" {
		fmt.Fprintf(&b, " (%s)", s.errorCode)
	}
	b.WriteString("\nChanges:\n")
	if len(p.Changes) == 0 {
		b.WriteString("  none\n")
	}
	for _, ch := range p.Changes {
		fmt.Fprintf(&b, "  %s: ", ch.Member)
		switch {
		case ch.Secret:
			b.WriteString("changed")
		case ch.Same:
			fmt.Fprintf(&b, "%q (unchanged)", ch.To)
		default:
			fmt.Fprintf(&b, "%q → %q", ch.From, ch.To)
		}
		if ch.NeedsDisconnect {
			b.WriteString(" [needs DISCONNECTED]")
		}
		b.WriteByte('\n')
	}
	b.WriteString("Steps:\n")
	if len(p.Steps) == 0 {
		b.WriteString("  nothing to do\n")
	}
	for i, st := range p.Steps {
		fmt.Fprintf(&b, "  %d. %s: %s\n", i+1, st.Action, st.Reason)
	}
	if slices.ContainsFunc(p.Steps, func(s Step) bool { return s.Action == StepDisconnect }) &&
		!slices.ContainsFunc(p.Steps, func(s Step) bool { return s.Action == StepConnect }) {
		b.WriteString("  The store stays DISCONNECTED afterwards: call ConnectCustomKeyStore when ready.\n")
	}
	if r := p.Preflight; r != nil {
		b.WriteString("Preflight: ")
		b.WriteString(r.summary())
		b.WriteByte('\n')
	}
	b.WriteString("Checks:\n")
	for _, c := range p.Checks {
		fmt.Fprintf(&b, "  [%s] %s", c.Result, c.Name)
		if c.Detail != "" && c.Result != CheckPassed {
			fmt.Fprintf(&b, ": %s", c.Detail)
		}
		b.WriteByte('\n')
	}
	fmt.Fprintf(&b, "Verdict: %s\n", p.Verdict())
	if len(p.Warnings) > 0 {
		b.WriteString("Warnings:\n")
		for _, w := range p.Warnings {
			fmt.Fprintf(&b, "  - %s\n", w)
		}
	}
	return b.String()
}
