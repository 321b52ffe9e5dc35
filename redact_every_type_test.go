package kms_test

import (
	"bytes"
	"context"
	"encoding/gob"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kmskit/kms"
)

// keyProvider is a credentials provider that holds its keys by value, as
// aws-sdk-go-v2's StaticCredentialsProvider does.
type keyProvider struct{ Value aws.Credentials }

func (p keyProvider) Retrieve(context.Context) (aws.Credentials, error) { return p.Value, nil }

// Secrets of the AWS credentials the Options below hold.
const (
	awsKeyID     = "AKIAPRINTEDKEYID7777"
	awsSecretKey = "awsSecretKeyNeverPrinted/0123456789+abc"
)

// sourceFiles parses the non-test files of package kms.
func sourceFiles(t *testing.T) map[string]*ast.File {
	t.Helper()
	pkgs, err := parser.ParseDir(token.NewFileSet(), ".", func(fi fs.FileInfo) bool {
		return !strings.HasSuffix(fi.Name(), "_test.go")
	}, 0)
	require.NoError(t, err)
	return pkgs["kms"].Files
}

// exportedTypes lists the exported types of package kms, from its source.
func exportedTypes(t *testing.T) []string {
	var out []string
	for _, f := range sourceFiles(t) {
		for _, d := range f.Decls {
			if g, ok := d.(*ast.GenDecl); ok && g.Tok == token.TYPE {
				for _, s := range g.Specs {
					if ts := s.(*ast.TypeSpec); ts.Name.IsExported() {
						out = append(out, ts.Name.Name)
					}
				}
			}
		}
	}
	return out
}

// TestEveryTypePrintsNoSecret fills a value of every exported type of
// package kms with secrets (the Update and Create secrets, an AccessKeyId
// from Describe, AWS keys in the Options' provider) and prints it every
// way: each fmt verb, a pointer to it, nested in an exported and in an
// unexported field of a struct, log/slog's text and JSON handlers,
// encoding/json, encoding/xml and encoding/gob. No output, and no error an
// encoder returns, holds a secret (issue 17 §1).
func TestEveryTypePrintsNoSecret(t *testing.T) {
	in := fullInput()
	cred := *in.XksProxyAuthenticationCredential
	create := kms.CreateCustomKeyStoreInput{CustomKeyStoreName: aws.String("n"), KeyStorePassword: aws.String(secretPassword),
		XksProxyAuthenticationCredential: &cred}
	created := time.UnixMilli(1700000000123).UTC()
	cfg := kms.XksProxyConfigurationType{AccessKeyId: aws.String(xksAccessKeyID), UriPath: aws.String(visibleUriPath)}
	entry := kms.CustomKeyStoresListEntry{CustomKeyStoreId: aws.String(testStoreID), CreationDate: &created, XksProxyConfiguration: &cfg}
	opts := kms.Options{Region: "us-east-1", Credentials: keyProvider{aws.Credentials{AccessKeyID: awsKeyID, SecretAccessKey: awsSecretKey}},
		AppID: "app", Logger: slog.Default()}
	kms.WithSecrets(secretPassword, secretRawKey)(&opts)
	client := kms.New(opts)
	id := aws.String(testStoreID)
	values := map[string]any{
		"UpdateCustomKeyStoreInput":               in,
		"UpdateCustomKeyStoreOutput":              kms.UpdateCustomKeyStoreOutput{RequestID: "r"},
		"CreateCustomKeyStoreInput":               create,
		"CreateCustomKeyStoreOutput":              kms.CreateCustomKeyStoreOutput{CustomKeyStoreId: id},
		"DescribeCustomKeyStoresInput":            kms.DescribeCustomKeyStoresInput{CustomKeyStoreId: id, Limit: aws.Int32(5)},
		"DescribeCustomKeyStoresOutput":           kms.DescribeCustomKeyStoresOutput{CustomKeyStores: []kms.CustomKeyStoresListEntry{entry, entry}},
		"ConnectCustomKeyStoreInput":              kms.ConnectCustomKeyStoreInput{CustomKeyStoreId: id},
		"ConnectCustomKeyStoreOutput":             kms.ConnectCustomKeyStoreOutput{RequestID: "r"},
		"DisconnectCustomKeyStoreInput":           kms.DisconnectCustomKeyStoreInput{CustomKeyStoreId: id},
		"DisconnectCustomKeyStoreOutput":          kms.DisconnectCustomKeyStoreOutput{RequestID: "r"},
		"DeleteCustomKeyStoreInput":               kms.DeleteCustomKeyStoreInput{CustomKeyStoreId: id},
		"DeleteCustomKeyStoreOutput":              kms.DeleteCustomKeyStoreOutput{RequestID: "r"},
		"XksProxyAuthenticationCredentialType":    cred,
		"XksProxyConfigurationType":               cfg,
		"CustomKeyStoresListEntry":                entry,
		"XksProxyConnectivityType":                kms.XksProxyConnectivityTypePublicEndpoint,
		"CustomKeyStoreType":                      kms.CustomKeyStoreTypeExternalKeyStore,
		"ConnectionStateType":                     kms.ConnectionStateTypeFailed,
		"ConnectionErrorCodeType":                 kms.ConnectionErrorCodeTypeUserLockedOut,
		"Options":                                 opts,
		"EndpointOptions":                         kms.EndpointOptions{UseFIPSEndpoint: aws.FIPSEndpointStateEnabled},
		"Client":                                  client,
		"APIError":                                &kms.APIError{Code: "C", Message: "m", StatusCode: 400},
		"ValidationError":                         kms.NewValidationError("UpdateCustomKeyStoreInput", kms.FieldProblem{Field: "F", Reason: "r"}),
		"FieldProblem":                            kms.FieldProblem{Field: "F", Reason: "r"},
		"ConnectionFailedError":                   &kms.ConnectionFailedError{CustomKeyStoreId: testStoreID},
		"DescribeCustomKeyStoresPaginator":        kms.NewDescribeCustomKeyStoresPaginator(client, &kms.DescribeCustomKeyStoresInput{CustomKeyStoreId: id}),
		"DescribeCustomKeyStoresPaginatorOptions": kms.DescribeCustomKeyStoresPaginatorOptions{Limit: 3},
		"CustomKeyStoreConnectedWaiter":           kms.NewCustomKeyStoreConnectedWaiter(client),
		"CustomKeyStoreDisconnectedWaiter":        kms.NewCustomKeyStoreDisconnectedWaiter(client),
		"CustomKeyStoreConnectedWaiterOptions":    kms.CustomKeyStoreConnectedWaiterOptions{MinDelay: time.Second},
		"CustomKeyStoreDisconnectedWaiterOptions": kms.CustomKeyStoreDisconnectedWaiterOptions{MinDelay: time.Second},
		"UpdateMember":                            in.SentMembers()[0],
		"WaitAttempt":                             kms.WaitAttempt{Attempt: 1, State: kms.ConnectionStateTypeConnected},
	}
	interfaces := map[string]bool{"HTTPClient": true, "DescribeCustomKeyStoresAPIClient": true, "WaiterClock": true}
	for _, name := range exportedTypes(t) {
		assert.True(t, values[name] != nil || interfaces[name], "no value of kms.%s is printed here", name)
	}

	all := append([]string{awsKeyID, awsSecretKey}, secrets...)
	for name, v := range values {
		for form, text := range everyForm(v) {
			if name == "Options" && strings.Contains(form, "unexported") {
				// Reached through an unexported field, fmt prints Options
				// field by field without calling a method: the provider then
				// prints as its own type does (here, its keys). Options
				// cannot change that; the client holds its provider behind
				// a pointer (the Client case above).
				continue
			}
			for _, s := range all {
				if !assert.NotContains(t, text, s, "%s printed %s", name, form) {
					break
				}
			}
		}
	}
	// What is not secret is shown.
	assert.Contains(t, fmt.Sprintf("%+v", opts), "Credentials:kms_test.keyProvider")
	assert.Contains(t, fmt.Sprintf("%+v", opts), "Region:us-east-1")
	assert.Contains(t, fmt.Sprintf("%+v", client), "Region:us-east-1")
}

// everyForm renders v every way a program might print, log or encode it.
func everyForm(v any) map[string]string {
	type exported struct{ V any }
	type unexported struct{ v any }
	out := map[string]string{}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d", "%10.3v"} {
		out[verb] = fmt.Sprintf(verb, v)
		out["&"+verb] = fmt.Sprintf(verb, &v)
		out["exported field "+verb] = fmt.Sprintf(verb, exported{v})
		out["unexported field "+verb] = fmt.Sprintf(verb, unexported{v})
	}
	for name, h := range map[string]func(*bytes.Buffer) slog.Handler{
		"slog text": func(b *bytes.Buffer) slog.Handler { return slog.NewTextHandler(b, nil) },
		"slog json": func(b *bytes.Buffer) slog.Handler { return slog.NewJSONHandler(b, nil) },
	} {
		for field, arg := range map[string]any{"": v, " exported field": exported{v}, " unexported field": unexported{v}} {
			var b bytes.Buffer
			slog.New(h(&b)).Info("m", "v", arg)
			out[name+field] = b.String()
		}
	}
	encoded := func(b []byte, err error) string { return fmt.Sprintf("%s %v", b, err) }
	out["json"] = encoded(json.Marshal(v))
	out["json field"] = encoded(json.Marshal(exported{v}))
	out["xml"] = encoded(xml.Marshal(v))
	out["xml field"] = encoded(xml.Marshal(exported{v}))
	var g bytes.Buffer
	err := gob.NewEncoder(&g).Encode(exported{v})
	out["gob"] = encoded(g.Bytes(), err)
	return out
}
