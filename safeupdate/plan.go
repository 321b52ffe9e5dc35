package safeupdate

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/kmskit/kms"
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
// changes, the steps, the preflight's findings. Print it with String; run
// it with Apply, which runs Steps as listed; the other fields are for
// reading (Apply keeps its own copy of what it compares and rolls back).
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
	// Preflight is the preflight's report, or nil when none ran.
	Preflight *PreflightReport
	// Warnings are findings that do not stop the plan.
	Warnings []string

	api  API
	snap storeSnapshot
	in   *kms.UpdateCustomKeyStoreInput // Apply's own copy of the input
	opts PlanOptions
}

// Plan plans the update in of one custom key store,
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
// Errors: *kms.ValidationError for bad input, including a member of the
// other store type (e.g. XksProxyUriPath for an AWS_CLOUDHSM store); the
// Describe error (e.g. kms.ErrCustomKeyStoreNotFound);
// *DisconnectNotAllowedError; *PreflightError; *SameKeyError from the
// same-key guard. The plan is nil on error.
func (u *Updater) Plan(ctx context.Context, in *kms.UpdateCustomKeyStoreInput, opts PlanOptions) (*Plan, error) {
	entry, err := u.describeInputStore(ctx, in)
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
	p := &Plan{
		Current: entry,
		Input:   copyUpdateInput(in),
		Changes: plannedChanges(snap, in),
		Steps:   steps,
		api:     u.api,
		snap:    snap,
		in:      copyUpdateInput(in),
		opts:    opts,
	}
	for _, ch := range p.Changes {
		if ch.Same && ch.NeedsDisconnect && slices.ContainsFunc(steps, func(s Step) bool { return s.Action == StepDisconnect }) {
			p.Warnings = append(p.Warnings, fmt.Sprintf("%s is already %q; leave it out of the input to avoid disconnecting the store", ch.Member, ch.To))
		}
	}
	if c := in.XksProxyAuthenticationCredential; c != nil && c.AccessKeyId != nil && *c.AccessKeyId == snap.accessKeyID && snap.typ == kms.CustomKeyStoreTypeExternalKeyStore {
		p.Warnings = append(p.Warnings, "the new XksProxyAuthenticationCredential keeps the store's AccessKeyId: an access key ID names one secret (XKS proxy API specification),"+
			" so the proxy cannot accept the old and the new secret at once while KMS hosts switch over; rotate to a new access key ID instead (RotateXksCredential)")
	}
	if snap.typ == kms.CustomKeyStoreTypeExternalKeyStore && changesProxySettings(in) {
		rep, err := u.preflightUpdate(ctx, in, entry, opts.Preflight)
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

// sentMember is one member an update input sends.
type sentMember struct {
	name   string
	value  string // "" for a secret
	secret bool
	store  kms.CustomKeyStoreType // the store type the member belongs to; "" for both
}

// sentMembers lists the members in sends besides CustomKeyStoreId, in
// member order.
func sentMembers(in *kms.UpdateCustomKeyStoreInput) []sentMember {
	var out []sentMember
	add := func(name string, sent, secret bool, value string) {
		if sent {
			out = append(out, sentMember{name: name, value: value, secret: secret, store: memberStore(name)})
		}
	}
	add(fieldCloudHsmClusterID, in.CloudHsmClusterId != nil, false, aws.ToString(in.CloudHsmClusterId))
	add(fieldKeyStorePassword, in.KeyStorePassword != nil, true, "")
	add(fieldNewCustomKeyStoreName, in.NewCustomKeyStoreName != nil, false, aws.ToString(in.NewCustomKeyStoreName))
	add(fieldXksCredential, in.XksProxyAuthenticationCredential != nil, true, "")
	add(fieldXksConnectivity, in.XksProxyConnectivity != "", false, string(in.XksProxyConnectivity))
	add(fieldXksURIEndpoint, in.XksProxyUriEndpoint != nil, false, aws.ToString(in.XksProxyUriEndpoint))
	add(fieldXksURIPath, in.XksProxyUriPath != nil, false, aws.ToString(in.XksProxyUriPath))
	add(fieldXksVpcServiceName, in.XksProxyVpcEndpointServiceName != nil, false, aws.ToString(in.XksProxyVpcEndpointServiceName))
	add(fieldXksVpcServiceOwner, in.XksProxyVpcEndpointServiceOwner != nil, false, aws.ToString(in.XksProxyVpcEndpointServiceOwner))
	return out
}

// checkStoreType rejects members of the other store type, as KMS would
// (ValidationException), before anything is changed: a *kms.ValidationError
// with one problem per such member.
func checkStoreType(s storeSnapshot, in *kms.UpdateCustomKeyStoreInput) error {
	var problems []kms.FieldProblem
	for _, m := range sentMembers(in) {
		if m.store != "" && m.store != s.typ {
			problems = append(problems, kms.FieldProblem{Field: m.name, Reason: fmt.Sprintf(
				"cannot be used with a custom key store whose CustomKeyStoreType is %s (custom key store %s); it applies only to %s",
				s.typ, s.id, m.store)})
		}
	}
	if len(problems) == 0 {
		return nil
	}
	return kms.NewValidationError(updateShape.Name, problems...)
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
	for _, m := range sentMembers(in) {
		ch := Change{Member: m.name, Secret: m.secret, NeedsDisconnect: slices.Contains(disc, m.name)}
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
func changesProxySettings(in *kms.UpdateCustomKeyStoreInput) bool {
	return in.XksProxyAuthenticationCredential != nil || in.XksProxyConnectivity != "" ||
		in.XksProxyUriEndpoint != nil || in.XksProxyUriPath != nil ||
		in.XksProxyVpcEndpointServiceName != nil || in.XksProxyVpcEndpointServiceOwner != nil
}

// planSteps decides the steps of updating store s with in.
func planSteps(s storeSnapshot, in *kms.UpdateCustomKeyStoreInput, allowDisconnect bool) ([]Step, error) {
	if len(sentMembers(in)) == 0 {
		return nil, nil
	}
	disc := in.DisconnectRequiredFields()
	update := Step{Action: StepUpdate, Input: copyUpdateInput(in), Reason: "send the change"}
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
	switch s.state {
	case kms.ConnectionStateTypeDisconnected:
		return []Step{update}, nil
	case kms.ConnectionStateTypeDisconnecting:
		return []Step{
			{Action: StepWaitDisconnected, Reason: "the store is DISCONNECTING; UpdateCustomKeyStore needs it settled"},
			update,
		}, nil
	case kms.ConnectionStateTypeFailed:
		steps := disconnect("the store is FAILED (" + string(s.errorCode) + "): the documented fix is to disconnect, correct, update and connect again")
		return append(steps, update), nil
	case kms.ConnectionStateTypeConnected, kms.ConnectionStateTypeConnecting:
		if len(disc) == 0 {
			if s.state == kms.ConnectionStateTypeConnecting {
				return []Step{
					{Action: StepWaitConnected, Reason: "the store is CONNECTING; UpdateCustomKeyStore needs it CONNECTED or DISCONNECTED"},
					update,
				}, nil
			}
			return []Step{update}, nil
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
func copyUpdateInput(in *kms.UpdateCustomKeyStoreInput) *kms.UpdateCustomKeyStoreInput {
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
	out := &kms.UpdateCustomKeyStoreInput{
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
		out.XksProxyAuthenticationCredential = &kms.XksProxyAuthenticationCredentialType{AccessKeyId: cp(c.AccessKeyId), RawSecretAccessKey: cp(c.RawSecretAccessKey)}
	}
	return out
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
	if len(p.Warnings) > 0 {
		b.WriteString("Warnings:\n")
		for _, w := range p.Warnings {
			fmt.Fprintf(&b, "  - %s\n", w)
		}
	}
	return b.String()
}
