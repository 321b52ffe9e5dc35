package kms

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// PlanOptions configures [Client.PlanCustomKeyStoreUpdate].
type PlanOptions struct {
	// AllowDisconnect lets the plan disconnect a CONNECTED or CONNECTING
	// store when the update sends a member that KMS changes only while the
	// store is DISCONNECTED (see [UpdateCustomKeyStoreInput.RequiresDisconnect]).
	// Disconnecting makes every KMS key in the store unusable until it is
	// CONNECTED again. Without it such a plan is an error that wraps
	// ErrDisconnectNotAllowed and names those members. A FAILED store is
	// disconnected whatever this says: its keys are unusable already, and
	// disconnecting it is the documented fix.
	AllowDisconnect bool

	// Preflight configures the check of an external key store's new proxy
	// settings (see [Client.PreflightXksProxy]). The preflight runs when the
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

// ErrStalePlan is matched (errors.Is) by the error of Apply when the store
// changed since the plan was made.
var ErrStalePlan = errors.New("kms: the custom key store changed since the plan was made")

// DisconnectNotAllowedError is the error of a plan that needs to
// disconnect the store without PlanOptions.AllowDisconnect. It matches
// ErrDisconnectNotAllowed.
type DisconnectNotAllowedError struct {
	// CustomKeyStoreId is the store.
	CustomKeyStoreId string
	// State is the store's ConnectionState when planned.
	State ConnectionStateType
	// Members are the AWS names of the members that need DISCONNECTED.
	Members []string
}

func (e *DisconnectNotAllowedError) Error() string {
	return fmt.Sprintf("kms: plan for custom key store %s: %s can change only while the store is DISCONNECTED and it is %s;"+
		" disconnecting makes every KMS key in the store unusable until it reconnects: set PlanOptions.AllowDisconnect to allow it,"+
		" or leave those members out (NewCustomKeyStoreName, XksProxyAuthenticationCredential and XksProxyUriPath change while CONNECTED)",
		e.CustomKeyStoreId, strings.Join(e.Members, ", "), e.State)
}

// Is matches ErrDisconnectNotAllowed.
func (e *DisconnectNotAllowedError) Is(target error) bool { return target == ErrDisconnectNotAllowed }

// StalePlanError is the error of Apply when DescribeCustomKeyStores shows
// the store different from when it was planned. Nothing was changed. It
// matches ErrStalePlan.
type StalePlanError struct {
	// CustomKeyStoreId is the store.
	CustomKeyStoreId string
	// Differences name what changed, e.g. "ConnectionState: CONNECTED → FAILED".
	// Secret members are named without their values.
	Differences []string
}

func (e *StalePlanError) Error() string {
	return fmt.Sprintf("kms: apply to custom key store %s: the store changed since the plan was made (%s); nothing was changed: make a new plan",
		e.CustomKeyStoreId, strings.Join(e.Differences, "; "))
}

// Is matches ErrStalePlan.
func (e *StalePlanError) Is(target error) bool { return target == ErrStalePlan }

// StepAction is what one step of an [UpdatePlan] does.
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
	// *ConnectionFailedError.
	StepWaitConnected StepAction = "WaitUntilConnected"
)

// PlanStep is one step of a plan.
type PlanStep struct {
	// Action is what the step does.
	Action StepAction
	// Input is the update a StepUpdate sends; nil for other steps.
	Input *UpdateCustomKeyStoreInput
	// Reason says why the step is needed.
	Reason string
}

// PlannedChange is one member an update sends.
type PlannedChange struct {
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

// UpdatePlan is the whole procedure of one custom key store update, made
// by [Client.PlanCustomKeyStoreUpdate]: what the store looks like now, what
// changes, the steps, the preflight's findings. Print it with String; run
// it with Apply, which runs Steps as listed; the other fields are for
// reading (Apply keeps its own copy of what it compares and rolls back).
type UpdatePlan struct {
	// Current is the store as DescribeCustomKeyStores showed it when
	// planned. Apply refuses to run if it changed since.
	Current CustomKeyStoresListEntry
	// Input is a copy of the update.
	Input *UpdateCustomKeyStoreInput
	// Changes are the members the update sends, in member order.
	Changes []PlannedChange
	// Steps are what Apply does, in order. Empty when there is nothing to do.
	Steps []PlanStep
	// Preflight is the preflight's report, or nil when none ran.
	Preflight *PreflightReport
	// Warnings are findings that do not stop the plan.
	Warnings []string

	client *Client
	snap   storeSnapshot
	in     *UpdateCustomKeyStoreInput // Apply's own copy of the input
	opts   PlanOptions
}

// PlanCustomKeyStoreUpdate plans the update in of one custom key store,
// changing nothing: it validates in offline, describes the store, checks
// that the members fit the store's type, runs the XKS preflight when the
// update changes the proxy settings of an external key store (a predicted
// failure is returned as the *PreflightError), and lists the steps:
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
// Errors: *ValidationError for bad input, including a member of the other
// store type (e.g. XksProxyUriPath for an AWS_CLOUDHSM store); the Describe error (e.g.
// ErrCustomKeyStoreNotFound); *DisconnectNotAllowedError; *PreflightError;
// *SameKeyError from the same-key guard. The plan is nil on error.
func (c *Client) PlanCustomKeyStoreUpdate(ctx context.Context, in *UpdateCustomKeyStoreInput, opts PlanOptions) (*UpdatePlan, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	entry, err := c.describeStore(ctx, *in.CustomKeyStoreId)
	if err != nil {
		return nil, err
	}
	snap := snapshotOf(entry)
	if err := checkStoreType(snap, in); err != nil {
		return nil, err
	}
	steps, err := planSteps(snap, in, opts.AllowDisconnect)
	if err != nil {
		return nil, err
	}
	p := &UpdatePlan{
		Current: entry,
		Input:   copyUpdateInput(in),
		Changes: plannedChanges(snap, in),
		Steps:   steps,
		client:  c,
		snap:    snap,
		in:      copyUpdateInput(in),
		opts:    opts,
	}
	for _, ch := range p.Changes {
		if ch.Same && ch.NeedsDisconnect && slices.ContainsFunc(steps, func(s PlanStep) bool { return s.Action == StepDisconnect }) {
			p.Warnings = append(p.Warnings, fmt.Sprintf("%s is already %q; leave it out of the input to avoid disconnecting the store", ch.Member, ch.To))
		}
	}
	if c := in.XksProxyAuthenticationCredential; c != nil && c.AccessKeyId != nil && *c.AccessKeyId == snap.accessKeyID && snap.typ == CustomKeyStoreTypeExternalKeyStore {
		p.Warnings = append(p.Warnings, "the new XksProxyAuthenticationCredential keeps the store's AccessKeyId: an access key ID names one secret (XKS proxy API specification),"+
			" so the proxy cannot accept the old and the new secret at once while KMS hosts switch over; rotate to a new access key ID instead (RotateXksCredential)")
	}
	if snap.typ == CustomKeyStoreTypeExternalKeyStore && changesProxySettings(in) {
		rep, err := c.preflightUpdate(ctx, in, entry, opts.Preflight)
		if err != nil {
			return nil, err
		}
		p.Preflight = rep
		p.Warnings = append(p.Warnings, rep.Warnings...)
		if rep.NotChecked != "" {
			p.Warnings = append(p.Warnings, "preflight: "+rep.NotChecked)
		}
	}
	return p, nil
}

// describeStore returns the list entry of one store.
func (c *Client) describeStore(ctx context.Context, id string) (CustomKeyStoresListEntry, error) {
	out, err := c.DescribeCustomKeyStores(ctx, &DescribeCustomKeyStoresInput{CustomKeyStoreId: &id})
	if err != nil {
		return CustomKeyStoresListEntry{}, err
	}
	for _, e := range out.CustomKeyStores {
		if e.CustomKeyStoreId != nil && *e.CustomKeyStoreId == id {
			return e, nil
		}
	}
	return CustomKeyStoresListEntry{}, fmt.Errorf("kms: DescribeCustomKeyStores returned no entry for custom key store %s", id)
}

// storeSnapshot is what a plan depends on of a store, comparable with ==.
type storeSnapshot struct {
	id, name     string
	typ          CustomKeyStoreType
	state        ConnectionStateType
	errorCode    ConnectionErrorCodeType
	cluster      string
	accessKeyID  string // sensitive: compared, never printed
	connectivity XksProxyConnectivityType
	endpoint     string
	path         string
	vpcName      string
	vpcOwner     string
}

// snapshotOf reads a list entry.
func snapshotOf(e CustomKeyStoresListEntry) storeSnapshot {
	s := storeSnapshot{
		id:        deref(e.CustomKeyStoreId),
		name:      deref(e.CustomKeyStoreName),
		typ:       e.CustomKeyStoreType,
		state:     e.ConnectionState,
		errorCode: e.ConnectionErrorCode,
		cluster:   deref(e.CloudHsmClusterId),
	}
	if x := e.XksProxyConfiguration; x != nil {
		s.accessKeyID = deref(x.AccessKeyId)
		s.connectivity = x.Connectivity
		s.endpoint = deref(x.UriEndpoint)
		s.path = deref(x.UriPath)
		s.vpcName = deref(x.VpcEndpointServiceName)
		s.vpcOwner = deref(x.VpcEndpointServiceOwner)
	}
	return s
}

// differences lists what differs between a and b, secrets without values.
func (a storeSnapshot) differences(b storeSnapshot) []string {
	var out []string
	add := func(name, x, y string) {
		if x != y {
			out = append(out, fmt.Sprintf("%s: %q → %q", name, x, y))
		}
	}
	add("CustomKeyStoreName", a.name, b.name)
	add("CustomKeyStoreType", string(a.typ), string(b.typ))
	add("ConnectionState", string(a.state), string(b.state))
	add("ConnectionErrorCode", string(a.errorCode), string(b.errorCode))
	add("CloudHsmClusterId", a.cluster, b.cluster)
	if a.accessKeyID != b.accessKeyID {
		out = append(out, "XksProxyConfiguration.AccessKeyId changed")
	}
	add("XksProxyConfiguration.Connectivity", string(a.connectivity), string(b.connectivity))
	add("XksProxyConfiguration.UriEndpoint", a.endpoint, b.endpoint)
	add("XksProxyConfiguration.UriPath", a.path, b.path)
	add("XksProxyConfiguration.VpcEndpointServiceName", a.vpcName, b.vpcName)
	add("XksProxyConfiguration.VpcEndpointServiceOwner", a.vpcOwner, b.vpcOwner)
	return out
}

// sentMember is one member an update input sends.
type sentMember struct {
	name   string
	value  string // "" for a secret
	secret bool
	store  CustomKeyStoreType // the store type the member belongs to; "" for both
}

// sentMembers lists the members in sends besides CustomKeyStoreId, in
// member order.
func sentMembers(in *UpdateCustomKeyStoreInput) []sentMember {
	var out []sentMember
	str := func(name string, v *string, t CustomKeyStoreType) {
		if v != nil {
			out = append(out, sentMember{name: name, value: *v, store: t})
		}
	}
	str(fieldCloudHsmClusterID, in.CloudHsmClusterId, CustomKeyStoreTypeAwsCloudhsm)
	if in.KeyStorePassword != nil {
		out = append(out, sentMember{name: fieldKeyStorePassword, secret: true, store: CustomKeyStoreTypeAwsCloudhsm})
	}
	str(fieldNewCustomKeyStoreName, in.NewCustomKeyStoreName, "")
	if in.XksProxyAuthenticationCredential != nil {
		out = append(out, sentMember{name: fieldXksCredential, secret: true, store: CustomKeyStoreTypeExternalKeyStore})
	}
	if in.XksProxyConnectivity != "" {
		out = append(out, sentMember{name: fieldXksConnectivity, value: string(in.XksProxyConnectivity), store: CustomKeyStoreTypeExternalKeyStore})
	}
	str(fieldXksURIEndpoint, in.XksProxyUriEndpoint, CustomKeyStoreTypeExternalKeyStore)
	str(fieldXksURIPath, in.XksProxyUriPath, CustomKeyStoreTypeExternalKeyStore)
	str(fieldXksVpcServiceName, in.XksProxyVpcEndpointServiceName, CustomKeyStoreTypeExternalKeyStore)
	str(fieldXksVpcServiceOwner, in.XksProxyVpcEndpointServiceOwner, CustomKeyStoreTypeExternalKeyStore)
	return out
}

// currentValue returns the store's current value of a non-secret member.
func (s storeSnapshot) currentValue(member string) string {
	switch member {
	case fieldCloudHsmClusterID:
		return s.cluster
	case fieldNewCustomKeyStoreName:
		return s.name
	case fieldXksConnectivity:
		return string(s.connectivity)
	case fieldXksURIEndpoint:
		return s.endpoint
	case fieldXksURIPath:
		return s.path
	case fieldXksVpcServiceName:
		return s.vpcName
	case fieldXksVpcServiceOwner:
		return s.vpcOwner
	}
	return ""
}

// checkStoreType rejects members of the other store type, as KMS would
// (ValidationException), before anything is changed: a *ValidationError
// with one problem per such member.
func checkStoreType(s storeSnapshot, in *UpdateCustomKeyStoreInput) error {
	ve := &ValidationError{}
	for _, m := range sentMembers(in) {
		if m.store != "" && m.store != s.typ {
			ve.add(m.name, fmt.Sprintf("cannot be used with a custom key store whose CustomKeyStoreType is %s (custom key store %s); it applies only to %s",
				s.typ, s.id, m.store))
		}
	}
	return ve.orNil()
}

// storeTypeError is the *ValidationError of an operation that needs a
// store of type want on store s, which is another type.
func storeTypeError(s storeSnapshot, want CustomKeyStoreType, why string) error {
	ve := &ValidationError{}
	ve.add(fieldCustomKeyStoreID, fmt.Sprintf("custom key store %s is %s, not %s: %s", s.id, s.typ, want, why))
	return ve
}

// plannedChanges lists the members in sends with current and new values.
func plannedChanges(s storeSnapshot, in *UpdateCustomKeyStoreInput) []PlannedChange {
	disc := in.DisconnectRequiredFields()
	var out []PlannedChange
	for _, m := range sentMembers(in) {
		ch := PlannedChange{Member: m.name, Secret: m.secret, NeedsDisconnect: slices.Contains(disc, m.name)}
		if !m.secret {
			ch.From, ch.To = s.currentValue(m.name), m.value
			ch.Same = ch.From == ch.To
		}
		out = append(out, ch)
	}
	return out
}

// changesProxySettings reports whether in changes what KMS uses to reach
// an external key store's proxy.
func changesProxySettings(in *UpdateCustomKeyStoreInput) bool {
	return in.XksProxyAuthenticationCredential != nil || in.XksProxyConnectivity != "" ||
		in.XksProxyUriEndpoint != nil || in.XksProxyUriPath != nil ||
		in.XksProxyVpcEndpointServiceName != nil || in.XksProxyVpcEndpointServiceOwner != nil
}

// planSteps decides the steps of updating store s with in.
func planSteps(s storeSnapshot, in *UpdateCustomKeyStoreInput, allowDisconnect bool) ([]PlanStep, error) {
	if len(sentMembers(in)) == 0 {
		return nil, nil
	}
	disc := in.DisconnectRequiredFields()
	update := PlanStep{Action: StepUpdate, Input: copyUpdateInput(in), Reason: "send the change"}
	disconnect := func(why string) []PlanStep {
		return []PlanStep{
			{Action: StepDisconnect, Reason: why},
			{Action: StepWaitDisconnected, Reason: "UpdateCustomKeyStore needs the store DISCONNECTED; the update is sent the moment it is"},
		}
	}
	reconnect := []PlanStep{
		{Action: StepConnect, Reason: "the store was " + string(s.state) + " before the plan disconnected it"},
		{Action: StepWaitConnected, Reason: "the KMS keys in the store are usable again once it is CONNECTED"},
	}
	switch s.state {
	case ConnectionStateTypeDisconnected:
		return []PlanStep{update}, nil
	case ConnectionStateTypeDisconnecting:
		return []PlanStep{
			{Action: StepWaitDisconnected, Reason: "the store is DISCONNECTING; UpdateCustomKeyStore needs it settled"},
			update,
		}, nil
	case ConnectionStateTypeFailed:
		steps := disconnect("the store is FAILED (" + string(s.errorCode) + "): the documented fix is to disconnect, correct, update and connect again")
		return append(steps, update), nil
	case ConnectionStateTypeConnected, ConnectionStateTypeConnecting:
		if len(disc) == 0 {
			if s.state == ConnectionStateTypeConnecting {
				return []PlanStep{
					{Action: StepWaitConnected, Reason: "the store is CONNECTING; UpdateCustomKeyStore needs it CONNECTED or DISCONNECTED"},
					update,
				}, nil
			}
			return []PlanStep{update}, nil
		}
		if !allowDisconnect {
			return nil, &DisconnectNotAllowedError{CustomKeyStoreId: s.id, State: s.state, Members: disc}
		}
		steps := disconnect(strings.Join(disc, ", ") + " can change only while the store is DISCONNECTED; its KMS keys are unusable until it is CONNECTED again")
		steps = append(steps, update)
		return append(steps, reconnect...), nil
	}
	return nil, fmt.Errorf("kms: plan for custom key store %s: unknown ConnectionState %q", s.id, s.state)
}

// copyUpdateInput returns a deep copy of in.
func copyUpdateInput(in *UpdateCustomKeyStoreInput) *UpdateCustomKeyStoreInput {
	if in == nil {
		return nil
	}
	cp := func(p *string) *string {
		if p == nil {
			return nil
		}
		v := *p
		return &v
	}
	out := &UpdateCustomKeyStoreInput{
		CustomKeyStoreId:                cp(in.CustomKeyStoreId),
		CloudHsmClusterId:               cp(in.CloudHsmClusterId),
		KeyStorePassword:                cp(in.KeyStorePassword),
		NewCustomKeyStoreName:           cp(in.NewCustomKeyStoreName),
		XksProxyConnectivity:            in.XksProxyConnectivity,
		XksProxyUriEndpoint:             cp(in.XksProxyUriEndpoint),
		XksProxyUriPath:                 cp(in.XksProxyUriPath),
		XksProxyVpcEndpointServiceName:  cp(in.XksProxyVpcEndpointServiceName),
		XksProxyVpcEndpointServiceOwner: cp(in.XksProxyVpcEndpointServiceOwner),
	}
	if c := in.XksProxyAuthenticationCredential; c != nil {
		out.XksProxyAuthenticationCredential = &XksProxyAuthenticationCredentialType{AccessKeyId: cp(c.AccessKeyId), RawSecretAccessKey: cp(c.RawSecretAccessKey)}
	}
	return out
}

// String describes the plan for a person: the store and its state, each
// change (secrets only as "changed"), the steps, the preflight and the
// warnings.
func (p *UpdatePlan) String() string {
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
	if slices.ContainsFunc(p.Steps, func(s PlanStep) bool { return s.Action == StepDisconnect }) &&
		!slices.ContainsFunc(p.Steps, func(s PlanStep) bool { return s.Action == StepConnect }) {
		b.WriteString("  The store stays DISCONNECTED afterwards: call ConnectCustomKeyStore when ready.\n")
	}
	if r := p.Preflight; r != nil {
		b.WriteString("Preflight: ")
		b.WriteString(r.summary())
		b.WriteByte('\n')
	}
	if len(p.Warnings) > 0 {
		b.WriteString("Warnings:\n")
		for _, w := range p.Warnings {
			fmt.Fprintf(&b, "  - %s\n", w)
		}
	}
	return b.String()
}

// ApplyOptions configures [UpdatePlan.Apply].
type ApplyOptions struct {
	// OnStep, when set, is called before and after each step, from the
	// goroutine that called Apply.
	OnStep func(StepEvent)

	// OnPoll, when set, is called after each DescribeCustomKeyStores call
	// of a wait step with the state it saw, from the goroutine that called
	// Apply, between that step's two OnStep calls. It sends nothing itself.
	OnPoll func(PollEvent)

	// PollInterval is the time between two DescribeCustomKeyStores calls
	// of a wait. Zero means 1 s, the fastest rate the custom key store
	// request quota allows by default; the waiters' own default backoff
	// (2 s to 30 s) would keep the store's keys unusable longer.
	PollInterval time.Duration

	// MaxWait bounds each wait. Zero means 20 minutes.
	MaxWait time.Duration
}

// StepEvent reports one step of Apply: once when it starts (Done false) and
// once when it ends (Done true, with Duration and Err).
type StepEvent struct {
	// Index counts the steps of this Apply from 0, rollback steps included.
	Index int
	// Step is the step.
	Step PlanStep
	// Rollback: the step restores the previous state after a failure.
	Rollback bool
	// Done: the step ended.
	Done bool
	// Start is when the step started.
	Start time.Time
	// Duration is how long it took (Done only).
	Duration time.Duration
	// Err is the step's error (Done only).
	Err error
}

// StepResult is one step Apply ran.
type StepResult struct {
	// Step is the step.
	Step PlanStep
	// Rollback: the step restored the previous state after a failure.
	Rollback bool
	// Start is when it started; Duration how long it took.
	Start    time.Time
	Duration time.Duration
	// Err is the step's error, nil when it succeeded.
	Err error
}

// ApplyReport is what Apply did.
type ApplyReport struct {
	// CustomKeyStoreId is the store.
	CustomKeyStoreId string
	// Steps are the steps run, rollback steps included, in order.
	Steps []StepResult
	// Start is when Apply started; Duration how long it took.
	Start    time.Time
	Duration time.Duration
	// Unavailable is how long, as seen from here, the store was not
	// CONNECTED because of Apply: from the DisconnectCustomKeyStore call
	// until a wait saw it CONNECTED again (or until Apply returned). Zero
	// when Apply did not disconnect a connected store.
	Unavailable time.Duration
}

// String lists the steps with their timing.
func (r *ApplyReport) String() string {
	if r == nil {
		return "<nil report>"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "Applied to custom key store %s in %s", r.CustomKeyStoreId, r.Duration.Round(time.Millisecond))
	if r.Unavailable > 0 {
		fmt.Fprintf(&b, " (not CONNECTED for %s)", r.Unavailable.Round(time.Millisecond))
	}
	b.WriteByte('\n')
	for i, s := range r.Steps {
		fmt.Fprintf(&b, "  %d. %s", i+1, s.Step.Action)
		if s.Rollback {
			b.WriteString(" (rollback)")
		}
		fmt.Fprintf(&b, ": %s", s.Duration.Round(time.Millisecond))
		if s.Err != nil {
			fmt.Fprintf(&b, ": %v", s.Err)
		}
		b.WriteByte('\n')
	}
	return b.String()
}

// RollbackOutcome is what Apply did to restore a store after a failure.
type RollbackOutcome struct {
	// Input is the update that restored the previous values, or nil when
	// none was needed or none was possible.
	Input *UpdateCustomKeyStoreInput
	// Restored names the members set back to their previous values.
	Restored []string
	// NotRestored names the changed members whose previous values are
	// unknown (a KeyStorePassword or credential the caller did not supply,
	// or a credential whose AccessKeyId is not the one the store held).
	NotRestored []string
	// Reconnected: the store is CONNECTED again.
	Reconnected bool
	// Err is why the rollback did not complete, or nil.
	Err error
}

// ApplyError is the error of an Apply that failed after changing something.
// It holds the failure and what the rollback did. errors.Is and errors.As
// see both: the failure (for a failed reconnect a *ConnectionFailedError,
// errors.Is ErrCustomKeyStoreConnectionFailed) and the rollback's error.
type ApplyError struct {
	// CustomKeyStoreId is the store.
	CustomKeyStoreId string
	// Step is the step that failed.
	Step StepAction
	// Err is the failure.
	Err error
	// ConnectionErrorCode is why the store failed to connect, when it did.
	ConnectionErrorCode ConnectionErrorCodeType
	// Rollback is what was done to restore the store; nil when nothing was
	// attempted.
	Rollback *RollbackOutcome
}

func (e *ApplyError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "kms: apply to custom key store %s: %s failed", e.CustomKeyStoreId, e.Step)
	if e.ConnectionErrorCode != "" {
		fmt.Fprintf(&b, " with ConnectionErrorCode %s", e.ConnectionErrorCode)
	}
	fmt.Fprintf(&b, ": %v", e.Err)
	r := e.Rollback
	if r == nil {
		b.WriteString("; no rollback attempted")
		return b.String()
	}
	if len(r.Restored) > 0 {
		fmt.Fprintf(&b, "; rolled back %s", strings.Join(r.Restored, ", "))
	}
	if len(r.NotRestored) > 0 {
		fmt.Fprintf(&b, "; could not restore %s (previous value not supplied)", strings.Join(r.NotRestored, ", "))
	}
	switch {
	case r.Err != nil:
		fmt.Fprintf(&b, "; rollback failed: %v", r.Err)
	case r.Reconnected:
		b.WriteString("; the store is CONNECTED again")
	default:
		b.WriteString("; the store is left DISCONNECTED")
	}
	return b.String()
}

// Unwrap returns the failure and the rollback's error.
func (e *ApplyError) Unwrap() []error {
	errs := []error{e.Err}
	if e.Rollback != nil && e.Rollback.Err != nil {
		errs = append(errs, e.Rollback.Err)
	}
	return errs
}

// Apply runs the plan. It describes the store first and returns a
// *StalePlanError, changing nothing, if the store differs from
// plan.Current (a store that was CONNECTING and is now CONNECTED, or
// DISCONNECTING and now DISCONNECTED, has only done what the plan waits
// for). Then it runs the steps in order, sending the update the
// moment the store is seen DISCONNECTED, and polling every
// opts.PollInterval (1 s by default) while it waits.
//
// If a step fails after the store was disconnected or updated, Apply
// restores what it can: when the reconnect ends FAILED (or the update is
// rejected), it disconnects the store if needed, sends back the previous
// values of the members it changed (the name, cluster, endpoint, path,
// connectivity and VPC endpoint service from the plan's Describe; the
// password and credential only if PlanOptions supplied the previous ones),
// reconnects if the store was CONNECTED or CONNECTING, waits, and returns
// an *ApplyError with the failure and the RollbackOutcome. The report lists
// every step run with its timing, and is returned with any error.
func (p *UpdatePlan) Apply(ctx context.Context, opts ApplyOptions) (*ApplyReport, error) {
	if p == nil || p.client == nil {
		return nil, errors.New("kms: Apply needs a plan made by PlanCustomKeyStoreUpdate")
	}
	r := &applyRun{c: p.client, id: p.snap.id, opts: opts}
	if r.opts.PollInterval <= 0 {
		r.opts.PollInterval = time.Second
	}
	if r.opts.MaxWait <= 0 {
		r.opts.MaxWait = 20 * time.Minute
	}
	r.report = &ApplyReport{CustomKeyStoreId: p.snap.id, Start: time.Now()}
	defer r.finish()

	entry, err := p.client.describeStore(ctx, p.snap.id)
	if err != nil {
		return r.report, fmt.Errorf("kms: apply to custom key store %s: %w", p.snap.id, err)
	}
	now := snapshotOf(entry)
	if settled(p.snap.state, now.state) {
		now.state = p.snap.state // the plan's first wait expects exactly this
	}
	if d := p.snap.differences(now); len(d) > 0 {
		return r.report, &StalePlanError{CustomKeyStoreId: p.snap.id, Differences: d}
	}

	reconnects := slices.ContainsFunc(p.Steps, func(s PlanStep) bool { return s.Action == StepConnect })
	updated := false
	for _, st := range p.Steps {
		err := r.step(ctx, st, false)
		if err == nil {
			if st.Action == StepUpdate {
				updated = true
			}
			continue
		}
		aerr := &ApplyError{CustomKeyStoreId: p.snap.id, Step: st.Action, Err: err}
		var cf *ConnectionFailedError
		if errors.As(err, &cf) {
			aerr.ConnectionErrorCode = cf.ConnectionErrorCode
		}
		disconnected := r.disconnectedAt != (time.Time{})
		switch {
		case !disconnected && !updated:
			return r.report, aerr // nothing changed
		case ctx.Err() != nil:
			aerr.Rollback = &RollbackOutcome{Err: fmt.Errorf("not attempted: %w", ctx.Err())}
			return r.report, aerr
		}
		var rb *UpdateCustomKeyStoreInput
		outcome := &RollbackOutcome{}
		if updated || !definitelyRejected(err) && st.Action == StepUpdate {
			rb, outcome.Restored, outcome.NotRestored = rollbackInput(p.snap, p.in, p.opts.PreviousKeyStorePassword, p.opts.Preflight.Credential)
		}
		outcome.Input = rb
		outcome.Err = r.restore(ctx, rb, reconnects)
		outcome.Reconnected = outcome.Err == nil && reconnects
		aerr.Rollback = outcome
		return r.report, aerr
	}
	return r.report, nil
}

// settled reports whether a store planned in state from and now in state to
// only finished the transition the plan waits for first.
func settled(from, to ConnectionStateType) bool {
	return from == ConnectionStateTypeConnecting && to == ConnectionStateTypeConnected ||
		from == ConnectionStateTypeDisconnecting && to == ConnectionStateTypeDisconnected
}

// definitelyRejected reports whether err proves that KMS did not apply the
// request: a validation error or an error response.
func definitelyRejected(err error) bool {
	var ve *ValidationError
	var ae *APIError
	return errors.As(err, &ve) || errors.As(err, &ae)
}

// applyRun is the state of one Apply.
type applyRun struct {
	c      *Client
	id     string
	opts   ApplyOptions
	report *ApplyReport
	index  int

	disconnectedAt time.Time // when Apply first disconnected a connected store
	reconnectedAt  time.Time // when a wait then saw it CONNECTED
}

// finish completes the report.
func (r *applyRun) finish() {
	end := time.Now()
	r.report.Duration = end.Sub(r.report.Start)
	if !r.disconnectedAt.IsZero() {
		until := r.reconnectedAt
		if until.IsZero() {
			until = end
		}
		r.report.Unavailable = until.Sub(r.disconnectedAt)
	}
}

// step runs one step, reporting it.
func (r *applyRun) step(ctx context.Context, st PlanStep, rollback bool) error {
	ev := StepEvent{Index: r.index, Step: st, Rollback: rollback, Start: time.Now()}
	r.index++
	if r.opts.OnStep != nil {
		r.opts.OnStep(ev)
	}
	id := r.id
	var err error
	switch st.Action {
	case StepDisconnect:
		if r.disconnectedAt.IsZero() {
			r.disconnectedAt = ev.Start
		}
		_, err = r.c.DisconnectCustomKeyStore(ctx, &DisconnectCustomKeyStoreInput{CustomKeyStoreId: &id})
	case StepWaitDisconnected:
		err = NewCustomKeyStoreDisconnectedWaiter(r.c, func(o *CustomKeyStoreDisconnectedWaiterOptions) {
			o.MinDelay, o.MaxDelay = r.opts.PollInterval, r.opts.PollInterval
			o.OnAttempt = pollHook(r.opts, ev)
		}).Wait(ctx, &DescribeCustomKeyStoresInput{CustomKeyStoreId: &id}, r.opts.MaxWait)
	case StepUpdate:
		_, err = r.c.UpdateCustomKeyStore(ctx, st.Input)
	case StepConnect:
		_, err = r.c.ConnectCustomKeyStore(ctx, &ConnectCustomKeyStoreInput{CustomKeyStoreId: &id})
	case StepWaitConnected:
		err = NewCustomKeyStoreConnectedWaiter(r.c, func(o *CustomKeyStoreConnectedWaiterOptions) {
			o.MinDelay, o.MaxDelay = r.opts.PollInterval, r.opts.PollInterval
			o.OnAttempt = pollHook(r.opts, ev)
		}).Wait(ctx, &DescribeCustomKeyStoresInput{CustomKeyStoreId: &id}, r.opts.MaxWait)
		if err == nil && !r.disconnectedAt.IsZero() && r.reconnectedAt.IsZero() {
			r.reconnectedAt = time.Now()
		}
	default:
		err = fmt.Errorf("kms: unknown plan step %q", st.Action)
	}
	ev.Done, ev.Duration, ev.Err = true, time.Since(ev.Start), err
	r.report.Steps = append(r.report.Steps, StepResult{Step: st, Rollback: rollback, Start: ev.Start, Duration: ev.Duration, Err: err})
	if r.opts.OnStep != nil {
		r.opts.OnStep(ev)
	}
	return err
}

// restore brings the store back after a failure: settles it DISCONNECTED
// when it must be, sends rb (when not nil), and reconnects when asked.
func (r *applyRun) restore(ctx context.Context, rb *UpdateCustomKeyStoreInput, reconnect bool) error {
	entry, err := r.c.describeStore(ctx, r.id)
	if err != nil {
		return err
	}
	var steps []PlanStep
	settle := []PlanStep{
		{Action: StepDisconnect, Reason: "rollback: settle the store DISCONNECTED"},
		{Action: StepWaitDisconnected, Reason: "rollback: wait until DISCONNECTED"},
	}
	switch entry.ConnectionState {
	case ConnectionStateTypeFailed, ConnectionStateTypeConnecting:
		steps = append(steps, settle...)
	case ConnectionStateTypeDisconnecting:
		steps = append(steps, settle[1])
	case ConnectionStateTypeConnected:
		if rb.RequiresDisconnect() {
			steps = append(steps, settle...)
		} else if rb == nil {
			reconnect = false // already there
		}
	}
	if rb != nil {
		steps = append(steps, PlanStep{Action: StepUpdate, Input: rb, Reason: "rollback: restore the previous values"})
	}
	if reconnect {
		steps = append(steps,
			PlanStep{Action: StepConnect, Reason: "rollback: reconnect"},
			PlanStep{Action: StepWaitConnected, Reason: "rollback: wait until CONNECTED"})
	}
	for _, st := range steps {
		if err := r.step(ctx, st, true); err != nil {
			return fmt.Errorf("%s: %w", st.Action, err)
		}
	}
	return nil
}

// rollbackInput returns the update that sets the members in changed back
// to their values in s, with the names of those restored and of those whose
// previous values are unknown. prevPassword and prevCred are the previous
// secrets when the caller supplied them. It returns nil when nothing can be
// restored.
func rollbackInput(s storeSnapshot, in *UpdateCustomKeyStoreInput, prevPassword *string, prevCred *XksProxyAuthenticationCredentialType) (rb *UpdateCustomKeyStoreInput, restored, notRestored []string) {
	id := s.id
	rb = &UpdateCustomKeyStoreInput{CustomKeyStoreId: &id}
	val := func(v string) *string { return &v }
	if in.NewCustomKeyStoreName != nil && *in.NewCustomKeyStoreName != s.name {
		rb.NewCustomKeyStoreName = val(s.name)
		restored = append(restored, fieldNewCustomKeyStoreName)
	}
	if in.CloudHsmClusterId != nil && *in.CloudHsmClusterId != s.cluster {
		rb.CloudHsmClusterId = val(s.cluster)
		restored = append(restored, fieldCloudHsmClusterID)
	}
	if in.KeyStorePassword != nil {
		if prevPassword != nil {
			rb.KeyStorePassword = val(*prevPassword)
			restored = append(restored, fieldKeyStorePassword)
		} else {
			notRestored = append(notRestored, fieldKeyStorePassword)
		}
	}
	if in.XksProxyAuthenticationCredential != nil {
		// Only the credential the store held: one whose AccessKeyId differs
		// from Describe's was never KMS's, and "restoring" it would lock the
		// store out of its proxy.
		if prevCred != nil && prevCred.AccessKeyId != nil && prevCred.RawSecretAccessKey != nil && *prevCred.AccessKeyId == s.accessKeyID {
			rb.XksProxyAuthenticationCredential = &XksProxyAuthenticationCredentialType{
				AccessKeyId: val(*prevCred.AccessKeyId), RawSecretAccessKey: val(*prevCred.RawSecretAccessKey)}
			restored = append(restored, fieldXksCredential)
		} else {
			notRestored = append(notRestored, fieldXksCredential)
		}
	}
	switch {
	case in.XksProxyConnectivity != "" && in.XksProxyConnectivity != s.connectivity:
		// Switching back needs the endpoint and, for a VPC store, the
		// service; for a public store the service name is cleared.
		rb.XksProxyConnectivity = s.connectivity
		rb.XksProxyUriEndpoint = val(s.endpoint)
		restored = append(restored, fieldXksConnectivity, fieldXksURIEndpoint)
		if s.connectivity == XksProxyConnectivityTypeVpcEndpointService {
			rb.XksProxyVpcEndpointServiceName = val(s.vpcName)
			restored = append(restored, fieldXksVpcServiceName)
			if s.vpcOwner != "" {
				rb.XksProxyVpcEndpointServiceOwner = val(s.vpcOwner)
				restored = append(restored, fieldXksVpcServiceOwner)
			}
		}
	default:
		if in.XksProxyUriEndpoint != nil && *in.XksProxyUriEndpoint != s.endpoint {
			rb.XksProxyUriEndpoint = val(s.endpoint)
			restored = append(restored, fieldXksURIEndpoint)
		}
		if in.XksProxyVpcEndpointServiceName != nil && *in.XksProxyVpcEndpointServiceName != s.vpcName {
			rb.XksProxyVpcEndpointServiceName = val(s.vpcName)
			restored = append(restored, fieldXksVpcServiceName)
		}
		if in.XksProxyVpcEndpointServiceOwner != nil && *in.XksProxyVpcEndpointServiceOwner != s.vpcOwner {
			if s.vpcOwner != "" {
				rb.XksProxyVpcEndpointServiceOwner = val(s.vpcOwner)
				restored = append(restored, fieldXksVpcServiceOwner)
			} else {
				notRestored = append(notRestored, fieldXksVpcServiceOwner)
			}
		}
	}
	if in.XksProxyUriPath != nil && *in.XksProxyUriPath != s.path {
		rb.XksProxyUriPath = val(s.path)
		restored = append(restored, fieldXksURIPath)
	}
	if len(restored) == 0 {
		return nil, nil, notRestored
	}
	return rb, restored, notRestored
}
