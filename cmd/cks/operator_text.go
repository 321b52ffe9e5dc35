package main

import "strings"

// goOptionFlags maps the Go option fields that library messages name (the
// settings of a Go caller) to the cks flags that set them, so that an
// operator reads the flag to pass, never a Go field.
var goOptionFlags = []string{
	"PlanOptions.AllowDisconnect", "--allow-disconnect",
	"PlanOptions.PreviousKeyStorePassword", "--previous-key-store-password-file",
	"PreflightOptions.Credential", "--current-access-key-id with --current-secret-access-key-file",
	"PreflightOptions.ExternalKeyIDs", "--external-key-id",
	"PreflightOptions.HTTPClient", "--xks-resolve and --xks-ca-file",
	"PreflightOptions.Timeout", "--proxy-timeout",
	"RotateOptions.NewUriPath", "--new-xks-path",
	"RotateOptions.HTTPClient", "--xks-resolve and --xks-ca-file",
	"RotateOptions.Timeout", "--proxy-timeout",
	"ApplyOptions.AcceptUnchecked", "--accept-unchecked",
	"ApplyOptions.PollInterval", "--poll-interval",
	"ApplyOptions.MaxWait", "--max-wait",
	"Options.Region", "--region",
	"Options.Credentials", "AWS credentials (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or --profile)",
	"Options.Logger", "--debug",
}

var goOptionReplacer = strings.NewReplacer(goOptionFlags...)

// operatorText is a library message as an operator reads it: every Go
// option field it names replaced by the cks flag that sets it.
func operatorText(s string) string { return goOptionReplacer.Replace(s) }
