package main

import "strings"

// goOptionFlags maps the Go option fields that library messages name (the
// settings of a Go caller) to the cks flags that set them, so that an
// operator reads the flag to pass, never a Go field.
var goOptionFlags = []string{
	"PlanOptions.AllowDisconnect", "--allow-disconnect",
	"PlanOptions.PreviousKeyStorePassword", "--previous-key-store-password-file",
	"PreflightOptions.Credential", "--current-credential-file (or --current-access-key-id with --current-secret-access-key-file)",
	"PreflightOptions.ExternalKeyIDs", "--external-key-id",
	"PreflightOptions.HTTPClient", "--xks-resolve and --xks-ca-file",
	"PreflightOptions.Timeout", "--proxy-timeout",
	"RotateOptions.NewUriPath", "--new-xks-path",
	"RotateOptions.HTTPClient", "--xks-resolve and --xks-ca-file",
	"RotateOptions.Timeout", "--proxy-timeout",
	"ApplyOptions.AcceptUnchecked", "--accept-unchecked",
	"ApplyOptions.PollInterval", "--poll-interval",
	"ApplyOptions.MaxWait", "--max-wait",
	"PreflightOptions.RootCAs", "--xks-ca-file",
	"RotateOptions.RootCAs", "--xks-ca-file",
	"Options.Region", "--region",
	"Options.Credentials", "AWS credentials (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or --profile)",
	"Options.Logger", "--debug",
}

// goOptionReplacer replaces "set <field>" by "pass <flag>", and a field
// named otherwise by its flag.
var goOptionReplacer = func() *strings.Replacer {
	var pairs []string
	for i := 0; i < len(goOptionFlags); i += 2 {
		if field, flag := goOptionFlags[i], goOptionFlags[i+1]; strings.HasPrefix(flag, "--") {
			pairs = append(pairs, "set "+field, "pass "+flag)
		}
	}
	return strings.NewReplacer(append(pairs, goOptionFlags...)...)
}()

// operatorText is a library message as an operator reads it: every Go
// option field it names replaced by the cks flag that sets it.
func operatorText(s string) string { return goOptionReplacer.Replace(s) }

// operatorTexts is operatorText of each of texts.
func operatorTexts(texts []string) []string {
	var out []string
	for _, t := range texts {
		out = append(out, operatorText(t))
	}
	return out
}
