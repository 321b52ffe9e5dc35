package main

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/kmskit/kms/internal/display"
	"github.com/kmskit/kms/safeupdate"
)

func runPreflight(e *env, args []string) int {
	fs := newFlagSet(e, "preflight", "--id ID [--xks-* flags] [--current-credential-file F] [--external-key-id K ...] [--xks-resolve NAME=ADDRESS ...] [--output text|json]")
	var p planFlags
	p.aws.register(fs)
	p.update.registerXKS(fs, &p.refusals)
	output := fs.String("output", "text", "text or json")
	if code := parseFlags(e, fs, args, &p.refusals); code >= 0 {
		return code
	}
	if p.update.id == "" {
		return usageError(e, "preflight", "--id is required")
	}
	if *output != "text" && *output != "json" {
		return usageError(e, "preflight", "--output must be text or json")
	}
	in, err := p.update.input(e)
	if err != nil {
		return fail(e, err)
	}
	opts, err := p.update.preflightOptions(e)
	if err != nil {
		return fail(e, err)
	}
	c, err := p.aws.client(e)
	if err != nil {
		return fail(e, err)
	}
	rep, err := safeupdate.NewUpdater(c).PreflightXksProxy(e.ctx, in, opts)
	view := p.update.preflightView()
	if *output == "json" && rep != nil {
		if werr := writeJSON(e.stdout, preflightToJSON(rep, err, view)); werr != nil {
			return fail(e, werr)
		}
	} else if rep != nil {
		printPreflight(e.stdout, rep, err, view)
	}
	if err != nil {
		return fail(e, err)
	}
	if rep.Result != safeupdate.CheckPassed {
		if *output != "json" {
			fmt.Fprintln(e.stdout, "Result: not checked (exit 4):")
			printUnchecked(e.stdout, rep.Checks)
		}
		return exitUnchecked
	}
	if *output != "json" {
		fmt.Fprintln(e.stdout, "Result: KMS is expected to accept these proxy settings (exit 0).")
	}
	return exitOK
}

// preflightView is what printing a preflight needs to name its inputs in
// cks's terms.
type preflightView struct {
	newCredFlag     string // the new credential's flag: --xks-access-key-id, rotate's --access-key-id
	currentCredFlag string // the current credential's: --current-credential-file or --current-access-key-id
	caFile          string // --xks-ca-file, when given
}

// preflightView is the view of the update flags' preflight.
func (u *updateFlags) preflightView() preflightView {
	return preflightView{newCredFlag: "--xks-access-key-id", currentCredFlag: u.currentCredentialFlag(), caFile: u.reach.caFile}
}

// printPreflight writes a preflight report for a person: library text in
// cks's terms (operatorText), what the proxy said cleaned for the terminal.
func printPreflight(w io.Writer, r *safeupdate.PreflightReport, err error, v preflightView) {
	fmt.Fprintf(w, "Preflight (%s) of %s through %s%s (%s):\n", r.Operation, orDash(r.CustomKeyStoreId), r.UriEndpoint, r.UriPath, r.Connectivity)
	if r.CredentialSource != "" {
		fmt.Fprintf(w, "  credential:  from %s\n", v.credentialSource(r.CredentialSource))
	}
	if r.Result == safeupdate.CheckNotChecked {
		for _, c := range r.Checks {
			fmt.Fprintf(w, "  not checked: %s\n", operatorText(c.Detail))
		}
	} else {
		switch {
		case !r.Answered:
			fmt.Fprintln(w, "  health:      no answer from the proxy")
		case r.Predicted != nil && r.ProxyVendor == "" && r.ProxyModel == "" && len(r.EkmFleet) == 0:
			fmt.Fprintf(w, "  health:      answered with an error in %s (KMS allows 250ms)\n", r.Latency.Round(time.Millisecond))
		default:
			fmt.Fprintf(w, "  health:      answered in %s (KMS allows 250ms)\n", r.Latency.Round(time.Millisecond))
		}
		if r.ProxyVendor != "" || r.ProxyModel != "" {
			fmt.Fprintf(w, "  proxy:       %s %s, key manager %s\n", display.Clean(r.ProxyVendor), display.Clean(r.ProxyModel), display.Clean(r.EkmVendor))
		}
		var fleet []string
		for _, m := range r.EkmFleet {
			fleet = append(fleet, display.Clean(m.ID+" "+m.HealthStatus))
		}
		if len(fleet) > 0 {
			fmt.Fprintf(w, "  fleet:       %s\n", strings.Join(fleet, ", "))
		}
		if r.TLSIssuer != "" {
			checked := ""
			if v.caFile != "" {
				checked = " (checked against --xks-ca-file " + v.caFile + ", not the public CAs KMS trusts)"
			}
			fmt.Fprintf(w, "  TLS issuer:  %s%s\n", display.Clean(r.TLSIssuer), checked)
		}
	}
	for _, k := range r.Keys {
		status := "ok"
		if k.Err != nil {
			status = "PROBLEM: " + operatorText(k.Err.Error())
		}
		canary := ""
		if k.CanaryChecked {
			canary = ", canary decrypted through the new settings"
		}
		fmt.Fprintf(w, "  key %s:  %s %s %s%s: %s\n", k.ExternalKeyID, display.Clean(k.KeySpec), display.Clean(strings.Join(k.KeyUsage, "+")), display.Clean(k.KeyStatus), canary, status)
	}
	for _, warn := range r.Warnings {
		fmt.Fprintf(w, "  warning:     %s\n", operatorText(warn))
	}
	var pe *safeupdate.PreflightError
	if errors.As(err, &pe) {
		if pe.ConnectionErrorCode != "" {
			fmt.Fprintf(w, "  predicted:   %s would end FAILED with ConnectionErrorCode %s: %s\n", pe.Operation, pe.ConnectionErrorCode, operatorText(pe.Reason))
		} else {
			fmt.Fprintf(w, "  predicted:   KMS would answer %s with %s: %s\n", pe.Operation, predictedName(pe.Predicted), operatorText(pe.Reason))
		}
	}
}

// credentialSource names where the checked credential came from, a
// PreflightReport.CredentialSource, by the cks flag that gave it.
func (v preflightView) credentialSource(s string) string {
	switch s {
	case "input":
		return v.newCredFlag + " (the new credential)"
	case "PreflightOptions.Credential", "current":
		return v.currentCredFlag + " (the credential KMS holds now)"
	}
	return operatorText(s)
}

// predictedName is the exception name of a predicted Err value.
func predictedName(err error) string {
	if err == nil {
		return ""
	}
	return strings.TrimPrefix(err.Error(), "kms: ") // the Err values read "kms: <Code>"
}

// preflightJSON is a preflight report as data.
type preflightJSON struct {
	CustomKeyStoreId string `json:",omitempty"`
	Operation        string
	Connectivity     string
	UriEndpoint      string
	UriPath          string
	CredentialSource string `json:",omitempty"`
	// Result is the check's: "passed", "failed" or "not checked".
	Result string
	Checks []checkJSON
	// Answered: the proxy answered GetHealthStatus (with an error too);
	// LatencyMillis is then how long it took, 0 otherwise.
	Answered      bool
	LatencyMillis int64
	ProxyVendor   string                      `json:",omitempty"`
	ProxyModel    string                      `json:",omitempty"`
	EkmVendor     string                      `json:",omitempty"`
	EkmFleet      []safeupdate.EkmFleetMember `json:",omitempty"`
	TLSIssuer     string                      `json:",omitempty"`
	Keys          []keyJSON                   `json:",omitempty"`
	Warnings      []string                    `json:",omitempty"`
	Predicted     string                      `json:",omitempty"`
	Reason        string                      `json:",omitempty"`
	Error         string                      `json:",omitempty"`
}

type keyJSON struct {
	ExternalKeyID string
	KeySpec       string   `json:",omitempty"`
	KeyUsage      []string `json:",omitempty"`
	KeyStatus     string   `json:",omitempty"`
	CanaryChecked bool
	Problem       string `json:",omitempty"`
}

// preflightToJSON is r as data, its texts in cks's terms (operatorText)
// and CredentialSource the flag that gave the credential.
func preflightToJSON(r *safeupdate.PreflightReport, err error, v preflightView) *preflightJSON {
	out := &preflightJSON{
		CustomKeyStoreId: r.CustomKeyStoreId, Operation: r.Operation, Connectivity: string(r.Connectivity),
		UriEndpoint: r.UriEndpoint, UriPath: r.UriPath,
		Result: string(r.Result), Checks: checksToJSON(r.Checks), Answered: r.Answered, LatencyMillis: r.Latency.Milliseconds(),
		ProxyVendor: r.ProxyVendor, ProxyModel: r.ProxyModel, EkmVendor: r.EkmVendor, EkmFleet: r.EkmFleet,
		TLSIssuer: r.TLSIssuer, Warnings: operatorTexts(r.Warnings), Predicted: predictedName(r.Predicted),
	}
	if r.CredentialSource != "" {
		out.CredentialSource = strings.Fields(v.credentialSource(r.CredentialSource))[0]
	}
	for _, k := range r.Keys {
		kj := keyJSON{ExternalKeyID: k.ExternalKeyID, KeySpec: k.KeySpec, KeyUsage: k.KeyUsage, KeyStatus: k.KeyStatus, CanaryChecked: k.CanaryChecked}
		if k.Err != nil {
			kj.Problem = operatorText(k.Err.Error())
		}
		out.Keys = append(out.Keys, kj)
	}
	var pe *safeupdate.PreflightError
	if errors.As(err, &pe) {
		out.Predicted, out.Reason = predictedName(pe.Predicted), operatorText(pe.Reason)
	}
	if err != nil {
		out.Error = operatorText(err.Error())
	}
	return out
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
