package main

import (
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/kmskit/kms"
	"github.com/kmskit/kms/safeupdate"
)

// planFlags are the flags of plan and apply.
type planFlags struct {
	aws             awsFlags
	update          updateFlags
	refusals        refusals
	allowDisconnect bool
	// secrets are the plan's secrets, new and previous, and the store's
	// AccessKeyId once planned: handed to cks's own calls about the store
	// (reportState), so that nothing they print shows one a server echoed.
	secrets []string
}

func (p *planFlags) register(fs *flag.FlagSet) {
	p.aws.register(fs)
	p.update.register(fs, &p.refusals)
	fs.BoolVar(&p.allowDisconnect, "allow-disconnect", false, "let the plan disconnect a CONNECTED store when a member needs it (every KMS key in the store is unusable until it reconnects)")
}

// print writes the plan, or the preflight report of a refused one, for a
// person, in cks's terms.
func (p *planFlags) print(e *env, plan *safeupdate.Plan, rep *safeupdate.PreflightReport, err error) {
	if plan != nil {
		fmt.Fprint(e.stdout, operatorText(plan.String()))
	}
	if rep != nil {
		printPreflight(e.stdout, rep, err, p.update.preflightView())
	}
}

// makePlan plans the update. On a preflight or same-key refusal it also
// returns the preflight's report, for its findings.
func (p *planFlags) makePlan(e *env, c *kms.Client) (*safeupdate.Plan, *safeupdate.PreflightReport, error) {
	in, err := p.update.input(e)
	if err != nil {
		return nil, nil, err
	}
	opts, err := p.update.planOptions(e, p.allowDisconnect)
	if err != nil {
		return nil, nil, err
	}
	p.secrets = planSecrets(in, opts)
	u := safeupdate.NewUpdater(c)
	plan, err := u.Plan(e.ctx, in, opts)
	if plan != nil && plan.Current.XksProxyConfiguration != nil {
		p.secrets = append(p.secrets, deref(plan.Current.XksProxyConfiguration.AccessKeyId))
	}
	var pe *safeupdate.PreflightError
	if err != nil && (errors.As(err, &pe) || errors.Is(err, safeupdate.ErrSameKeyGuard)) {
		rep, _ := u.PreflightXksProxy(e.ctx, in, opts.Preflight)
		return nil, rep, err
	}
	return plan, nil, err
}

// planSecrets are the secrets of in and opts.
func planSecrets(in *kms.UpdateCustomKeyStoreInput, opts safeupdate.PlanOptions) []string {
	var out []string
	add := func(v *string) {
		if v != nil && *v != "" {
			out = append(out, *v)
		}
	}
	for _, c := range []*kms.XksProxyAuthenticationCredentialType{in.XksProxyAuthenticationCredential, opts.Preflight.Credential} {
		if c != nil {
			add(c.AccessKeyId)
			add(c.RawSecretAccessKey)
		}
	}
	add(in.KeyStorePassword)
	add(opts.PreviousKeyStorePassword)
	return out
}

func runPlan(e *env, args []string) int {
	fs := newFlagSet(e, "plan", "--id ID [update flags] [--allow-disconnect] [--output text|json]")
	var p planFlags
	p.register(fs)
	output := fs.String("output", "text", "text or json")
	if code := parseFlags(e, fs, args, &p.refusals); code >= 0 {
		return code
	}
	if p.update.id == "" {
		return usageError(e, "plan", "--id is required")
	}
	if *output != "text" && *output != "json" {
		return usageError(e, "plan", "--output must be text or json")
	}
	c, err := p.aws.client(e)
	if err != nil {
		return fail(e, err)
	}
	plan, rep, err := p.makePlan(e, c)
	if errors.As(err, new(flagValueError)) {
		return fail(e, err) // a usage error, in text or JSON: nothing was sent
	}
	code := exitOK
	switch {
	case err != nil && refused(err):
		code = exitRefused
	case err != nil:
		code = exitError
	case plan.Verdict() == safeupdate.VerdictUnchecked:
		code = exitUnchecked
	}
	if *output == "json" {
		if werr := writePlanJSON(e.stdout, p.update.id, plan, rep, err, code, p.update.preflightView()); werr != nil {
			return fail(e, werr)
		}
		if err != nil {
			fmt.Fprintf(e.stderr, "cks: %s\n", operatorText(err.Error()))
		}
		return code
	}
	p.print(e, plan, rep, err)
	if err != nil {
		return fail(e, err)
	}
	if code == exitUnchecked {
		fmt.Fprintln(e.stdout, "Result: not everything KMS checks could be checked (exit 4):")
		printUnchecked(e.stdout, plan.Checks)
		return exitUnchecked
	}
	fmt.Fprintln(e.stdout, "Result: every check passed: KMS is expected to accept this change (exit 0).")
	return exitOK
}

// planJSON is `cks plan --output json`.
type planJSON struct {
	CustomKeyStoreId    string
	CustomKeyStoreType  string         `json:",omitempty"`
	ConnectionState     string         `json:",omitempty"`
	ConnectionErrorCode string         `json:",omitempty"`
	Changes             []changeJSON   `json:",omitempty"`
	Steps               []stepJSON     `json:",omitempty"`
	Preflight           *preflightJSON `json:",omitempty"`
	Warnings            []string       `json:",omitempty"`
	// Checks are what KMS verifies for the update and what the plan found.
	Checks []checkJSON `json:",omitempty"`
	// Verdict is the plan's: "accept", "unchecked" or "refuse"; absent
	// when no plan was made for another reason than a refusal (a network
	// error, say: Result is then "error").
	Verdict string `json:",omitempty"`
	// Result is "accept", "unchecked", "refused" or "error", as exit codes
	// 0, 4, 2, 1.
	Result   string
	ExitCode int
	Error    string `json:",omitempty"`
	// Members are the members an error names.
	Members []string `json:",omitempty"`
}

type changeJSON struct {
	Member          string
	From            string `json:",omitempty"`
	To              string `json:",omitempty"`
	Secret          bool   `json:",omitempty"`
	Changed         bool
	NeedsDisconnect bool `json:",omitempty"`
}

type stepJSON struct {
	Action string
	Reason string `json:",omitempty"`
}

// writePlanJSON writes `cks plan --output json`, its texts in cks's terms.
func writePlanJSON(w io.Writer, id string, plan *safeupdate.Plan, rep *safeupdate.PreflightReport, err error, code int, v preflightView) error {
	out := planJSON{CustomKeyStoreId: id, ExitCode: code,
		Result: map[int]string{exitOK: "accept", exitUnchecked: "unchecked", exitRefused: "refused", exitError: "error"}[code]}
	if plan != nil || code == exitRefused {
		out.Verdict = string(plan.Verdict())
	}
	if plan != nil {
		cur := plan.Current
		out.CustomKeyStoreType = string(cur.CustomKeyStoreType)
		out.ConnectionState = string(cur.ConnectionState)
		out.ConnectionErrorCode = string(cur.ConnectionErrorCode)
		for _, ch := range plan.Changes {
			out.Changes = append(out.Changes, changeJSON{Member: ch.Member, From: ch.From, To: ch.To, Secret: ch.Secret, Changed: !ch.Same, NeedsDisconnect: ch.NeedsDisconnect})
		}
		for _, st := range plan.Steps {
			out.Steps = append(out.Steps, stepJSON{Action: string(st.Action), Reason: operatorText(st.Reason)})
		}
		out.Warnings = operatorTexts(plan.Warnings)
		out.Checks = checksToJSON(plan.Checks)
		rep = plan.Preflight
	}
	if rep != nil {
		out.Preflight = preflightToJSON(rep, err, v)
	}
	if err != nil {
		out.Error = operatorText(err.Error())
		out.Members = errorMembers(err)
	}
	return writeJSON(w, out)
}

// errorMembers are the AWS members an error names, when it names any.
func errorMembers(err error) []string {
	var ve *kms.ValidationError
	var de *safeupdate.DisconnectNotAllowedError
	var ie *safeupdate.InUseError
	switch {
	case errors.As(err, &ve):
		return ve.Fields()
	case errors.As(err, &de):
		return de.Members
	case errors.As(err, &ie):
		return ie.Members
	}
	return nil
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
