package kms_test

import (
	"context"
	"errors"
	"fmt"
	"go/ast"
	"log/slog"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kmskit/kms"
)

// exportedMethods lists the exported functions and methods of package kms,
// from its source, as "Func" or "Type.Method".
func exportedMethods(t *testing.T) []string {
	var out []string
	for _, f := range sourceFiles(t) {
		for _, d := range f.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if !ok || !fd.Name.IsExported() {
				continue
			}
			if fd.Recv == nil {
				out = append(out, fd.Name.Name)
				continue
			}
			typ := fd.Recv.List[0].Type
			if star, ok := typ.(*ast.StarExpr); ok {
				typ = star.X
			}
			if id := typ.(*ast.Ident); id.IsExported() {
				out = append(out, id.Name+"."+fd.Name.Name)
			}
		}
	}
	return out
}

// printable is a type with the methods of the types that hold a secret.
type printable interface {
	fmt.Formatter
	fmt.Stringer
	fmt.GoStringer
	slog.LogValuer
	MarshalJSON() ([]byte, error)
	MarshalText() ([]byte, error)
	GobEncode() ([]byte, error)
}

// TestNoPanicOnBadReceivers calls every exported function and method of
// package kms with what a careless caller passes: a nil or zero-value
// receiver, a nil context, a nil input, a nil option function, a nil
// client. None panics; each that can fail returns an error naming what is
// wrong (issue 17 §6). The table must list every exported method, so a new
// one cannot be left out.
func TestNoPanicOnBadReceivers(t *testing.T) {
	var nilCtx context.Context //nolint:staticcheck // a nil context is the point
	ctx := context.Background()
	good, _ := setup(t, answerOK(`{}`))
	var nilClient *kms.Client
	zero := &kms.Client{}
	id := aws.String(testStoreID)
	const (
		zeroClient = "the Client is nil or its zero value"
		nilContext = "nil Context"
		nilInput   = "required: input is nil"
		noClient   = "no client"
		nilWaiter  = "nil waiter"
	)

	// ops calls each operation of c with ctx and a valid input, or a nil
	// one.
	ops := func(c *kms.Client, ctx context.Context, nilInput bool) map[string]error {
		up, cr := &kms.UpdateCustomKeyStoreInput{CustomKeyStoreId: id}, cloudHsmCreate()
		de, co := &kms.DescribeCustomKeyStoresInput{}, &kms.ConnectCustomKeyStoreInput{CustomKeyStoreId: id}
		di, dl := &kms.DisconnectCustomKeyStoreInput{CustomKeyStoreId: id}, &kms.DeleteCustomKeyStoreInput{CustomKeyStoreId: id}
		if nilInput {
			up, cr, de, co, di, dl = nil, nil, nil, nil, nil, nil
		}
		out := map[string]error{}
		_, out["UpdateCustomKeyStore"] = c.UpdateCustomKeyStore(ctx, up, nil)
		_, out["CreateCustomKeyStore"] = c.CreateCustomKeyStore(ctx, cr, nil)
		_, out["DescribeCustomKeyStores"] = c.DescribeCustomKeyStores(ctx, de, nil)
		_, out["ConnectCustomKeyStore"] = c.ConnectCustomKeyStore(ctx, co, nil)
		_, out["DisconnectCustomKeyStore"] = c.DisconnectCustomKeyStore(ctx, di, nil)
		_, out["DeleteCustomKeyStore"] = c.DeleteCustomKeyStore(ctx, dl, nil)
		return out
	}
	checkOps := func(t *testing.T, errs map[string]error, want map[string]string) {
		t.Helper()
		for op, err := range errs {
			if w := want[op]; w == "" {
				assert.NoError(t, err, op)
			} else {
				assert.ErrorContains(t, err, w, op)
			}
		}
	}
	every := func(s string) map[string]string {
		return map[string]string{"UpdateCustomKeyStore": s, "CreateCustomKeyStore": s, "DescribeCustomKeyStores": s,
			"ConnectCustomKeyStore": s, "DisconnectCustomKeyStore": s, "DeleteCustomKeyStore": s}
	}
	clientOps := func(t *testing.T) {
		checkOps(t, ops(nilClient, ctx, false), every(zeroClient))
		checkOps(t, ops(zero, ctx, false), every(zeroClient))
		checkOps(t, ops(good, nilCtx, false), every(nilContext))
		nilInputs := every(nilInput)
		nilInputs["DescribeCustomKeyStores"] = "" // nil: every store
		checkOps(t, ops(good, ctx, true), nilInputs)
		checkOps(t, ops(good, ctx, false), every(""))
		checkOps(t, ops(kms.New(kms.Options{}, nil), ctx, false), every("no Region set"))
	}
	// stringers checks a type's printing and encoding methods on its zero
	// value: they run, and decoding into nil fails.
	stringers := func(v printable, decode func([]byte) error) func(t *testing.T) {
		return func(t *testing.T) {
			_ = fmt.Sprintf("%v %+v %#v %s %d", v, v, v, v, v)
			_, _ = v.String(), v.GoString()
			_ = v.LogValue().Resolve()
			_, err := v.MarshalJSON()
			assert.NoError(t, err)
			_, err = v.MarshalText()
			assert.NoError(t, err)
			b, err := v.GobEncode()
			if decode != nil {
				require.NoError(t, err)
				assert.ErrorContains(t, decode(b), "nil pointer")
			}
		}
	}
	var (
		nilPager    *kms.DescribeCustomKeyStoresPaginator
		nilConn     *kms.CustomKeyStoreConnectedWaiter
		nilDisc     *kms.CustomKeyStoreDisconnectedWaiter
		nilAPIErr   *kms.APIError
		nilFailed   *kms.ConnectionFailedError
		nilValidErr *kms.ValidationError
		params      = &kms.DescribeCustomKeyStoresInput{CustomKeyStoreId: id}
	)
	waiters := func(t *testing.T) {
		for name, wait := range map[string]func(context.Context, *kms.DescribeCustomKeyStoresInput) error{
			"connected": func(ctx context.Context, p *kms.DescribeCustomKeyStoresInput) error {
				return kms.NewCustomKeyStoreConnectedWaiter(good, nil).Wait(ctx, p, time.Minute, nil)
			},
			"disconnected": func(ctx context.Context, p *kms.DescribeCustomKeyStoresInput) error {
				_, err := kms.NewCustomKeyStoreDisconnectedWaiter(good, nil).WaitForOutput(ctx, p, time.Minute, nil)
				return err
			},
		} {
			assert.ErrorContains(t, wait(nilCtx, params), nilContext, name)
			assert.ErrorContains(t, wait(ctx, nil), "required by the", name)
		}
		assert.ErrorContains(t, kms.NewCustomKeyStoreConnectedWaiter(nil).Wait(ctx, params, time.Minute), noClient)
		assert.ErrorContains(t, kms.NewCustomKeyStoreDisconnectedWaiter(nil).Wait(ctx, params, time.Minute), noClient)
		assert.ErrorContains(t, nilConn.Wait(ctx, params, time.Minute), nilWaiter)
		_, err := nilConn.WaitForOutput(ctx, params, time.Minute)
		assert.ErrorContains(t, err, nilWaiter)
		assert.ErrorContains(t, nilDisc.Wait(ctx, params, time.Minute), nilWaiter)
		_, err = nilDisc.WaitForOutput(ctx, params, time.Minute)
		assert.ErrorContains(t, err, nilWaiter)
		assert.ErrorContains(t, kms.NewCustomKeyStoreConnectedWaiter(nilClient).Wait(ctx, params, time.Minute), zeroClient)
		assert.ErrorContains(t, kms.NewCustomKeyStoreDisconnectedWaiter(zero).Wait(ctx, params, time.Minute), zeroClient)
	}
	pager := func(t *testing.T) {
		_, err := kms.NewDescribeCustomKeyStoresPaginator(nil, nil, nil).NextPage(ctx)
		assert.ErrorContains(t, err, noClient)
		_, err = nilPager.NextPage(ctx)
		assert.ErrorContains(t, err, noClient)
		assert.False(t, nilPager.HasMorePages())
		_, err = kms.NewDescribeCustomKeyStoresPaginator(nilClient, nil).NextPage(ctx)
		assert.ErrorContains(t, err, zeroClient)
		_, err = kms.NewDescribeCustomKeyStoresPaginator(good, nil).NextPage(nilCtx)
		assert.ErrorContains(t, err, nilContext)
		p := kms.NewDescribeCustomKeyStoresPaginator(good, nil)
		_, err = p.NextPage(ctx, nil)
		assert.NoError(t, err)
		assert.False(t, p.HasMorePages())
	}
	validate := func(t *testing.T) {
		assert.ErrorContains(t, (*kms.UpdateCustomKeyStoreInput)(nil).Validate(), nilInput)
		assert.ErrorContains(t, (*kms.CreateCustomKeyStoreInput)(nil).Validate(), nilInput)
		assert.ErrorContains(t, (*kms.ConnectCustomKeyStoreInput)(nil).Validate(), nilInput)
		assert.ErrorContains(t, (*kms.DisconnectCustomKeyStoreInput)(nil).Validate(), nilInput)
		assert.ErrorContains(t, (*kms.DeleteCustomKeyStoreInput)(nil).Validate(), nilInput)
		assert.NoError(t, (*kms.DescribeCustomKeyStoresInput)(nil).Validate(), "nil: every store")
	}
	apiErr := func(t *testing.T) {
		assert.Equal(t, "kms: HTTP 0", nilAPIErr.Error())
		assert.Equal(t, "HTTP 0", nilAPIErr.ErrorCode())
		assert.Empty(t, nilAPIErr.ErrorMessage())
		assert.Zero(t, nilAPIErr.HTTPStatusCode())
		_ = nilAPIErr.ErrorFault()
		assert.False(t, nilAPIErr.Is(kms.ErrKMSInternal))
		assert.False(t, (&kms.APIError{Code: "X"}).Is(nil))
	}
	cases := map[string]func(t *testing.T){
		"New":                                            func(t *testing.T) { assert.NotNil(t, kms.New(kms.Options{}, nil)) },
		"NewFromConfig":                                  func(t *testing.T) { clientOpsOn(t, kms.NewFromConfig(aws.Config{}, nil)) },
		"Client.UpdateCustomKeyStore":                    clientOps,
		"Client.CreateCustomKeyStore":                    clientOps,
		"Client.DescribeCustomKeyStores":                 clientOps,
		"Client.ConnectCustomKeyStore":                   clientOps,
		"Client.DisconnectCustomKeyStore":                clientOps,
		"Client.DeleteCustomKeyStore":                    clientOps,
		"Client.Options":                                 func(t *testing.T) { assert.Equal(t, kms.Options{}, nilClient.Options()); _ = zero.Options() },
		"Client.Format":                                  func(t *testing.T) { _ = fmt.Sprintf("%v %s %#v %v", *zero, zero, zero, nilClient) },
		"Options.Copy":                                   func(t *testing.T) { assert.Equal(t, kms.Options{}, kms.Options{}.Copy()) },
		"Options.Format":                                 func(t *testing.T) { _ = fmt.Sprintf("%v %d", kms.Options{}, kms.Options{}) },
		"Options.MarshalJSON":                            func(t *testing.T) { _, err := kms.Options{}.MarshalJSON(); assert.NoError(t, err) },
		"Options.MarshalText":                            func(t *testing.T) { _, err := kms.Options{}.MarshalText(); assert.NoError(t, err) },
		"Options.GobEncode":                              func(t *testing.T) { _, err := kms.Options{}.GobEncode(); assert.ErrorContains(t, err, "refusing") },
		"NewDescribeCustomKeyStoresPaginator":            pager,
		"DescribeCustomKeyStoresPaginator.NextPage":      pager,
		"DescribeCustomKeyStoresPaginator.HasMorePages":  pager,
		"NewCustomKeyStoreConnectedWaiter":               waiters,
		"NewCustomKeyStoreDisconnectedWaiter":            waiters,
		"CustomKeyStoreConnectedWaiter.Wait":             waiters,
		"CustomKeyStoreConnectedWaiter.WaitForOutput":    waiters,
		"CustomKeyStoreDisconnectedWaiter.Wait":          waiters,
		"CustomKeyStoreDisconnectedWaiter.WaitForOutput": waiters,
		"UpdateCustomKeyStoreInput.Validate":             validate,
		"CreateCustomKeyStoreInput.Validate":             validate,
		"DescribeCustomKeyStoresInput.Validate":          validate,
		"ConnectCustomKeyStoreInput.Validate":            validate,
		"DisconnectCustomKeyStoreInput.Validate":         validate,
		"DeleteCustomKeyStoreInput.Validate":             validate,
		"UpdateCustomKeyStoreInput.RequiresDisconnect": func(t *testing.T) {
			assert.False(t, (*kms.UpdateCustomKeyStoreInput)(nil).RequiresDisconnect())
		},
		"UpdateCustomKeyStoreInput.SentMembers": func(t *testing.T) {
			assert.Nil(t, (*kms.UpdateCustomKeyStoreInput)(nil).SentMembers())
		},
		"UpdateCustomKeyStoreInput.Copy": func(t *testing.T) { assert.Nil(t, (*kms.UpdateCustomKeyStoreInput)(nil).Copy()) },
		"UpdateCustomKeyStoreInput.SetMember": func(t *testing.T) {
			assert.False(t, (*kms.UpdateCustomKeyStoreInput)(nil).SetMember("NewCustomKeyStoreName", "n"))
		},
		"UpdateCustomKeyStoreInput.DisconnectRequiredFields": func(t *testing.T) {
			assert.Nil(t, (*kms.UpdateCustomKeyStoreInput)(nil).DisconnectRequiredFields())
		},
		"APIError.Error":          apiErr,
		"APIError.ErrorCode":      apiErr,
		"APIError.ErrorMessage":   apiErr,
		"APIError.ErrorFault":     apiErr,
		"APIError.HTTPStatusCode": apiErr,
		"APIError.Is":             apiErr,
		"ConnectionFailedError.Error": func(t *testing.T) {
			assert.Equal(t, "kms: <nil *ConnectionFailedError>", nilFailed.Error())
			_ = (&kms.ConnectionFailedError{}).Error()
		},
		"ConnectionFailedError.Is": func(t *testing.T) { assert.True(t, nilFailed.Is(kms.ErrCustomKeyStoreConnectionFailed)) },
		"ValidationError.Error":    func(t *testing.T) { assert.Contains(t, nilValidErr.Error(), "kms: invalid") },
		"ValidationError.Fields":   func(t *testing.T) { assert.Nil(t, nilValidErr.Fields()) },
		"ValidationError.Problems": func(t *testing.T) { assert.Nil(t, nilValidErr.Problems()) },
		"NewValidationError": func(t *testing.T) {
			assert.Contains(t, kms.NewValidationError("", kms.FieldProblem{}).Error(), "kms: invalid")
		},
		"ErrorForCode": func(t *testing.T) { assert.Nil(t, kms.ErrorForCode("")) },
		"WithSecrets": func(t *testing.T) {
			var o kms.Options
			kms.WithSecrets()(&o)
			kms.WithSecrets("", "x")(&o)
			_, err := good.DescribeCustomKeyStores(ctx, nil, kms.WithSecrets(), nil)
			assert.NoError(t, err)
		},
		"XksProxyConnectivityType.Values": func(t *testing.T) { assert.Len(t, kms.XksProxyConnectivityType("").Values(), 2) },
		"CustomKeyStoreType.Values":       func(t *testing.T) { assert.Len(t, kms.CustomKeyStoreType("").Values(), 2) },
		"ConnectionStateType.Values":      func(t *testing.T) { assert.Len(t, kms.ConnectionStateType("").Values(), 5) },
		"ConnectionErrorCodeType.Values":  func(t *testing.T) { assert.NotEmpty(t, kms.ConnectionErrorCodeType("").Values()) },
	}
	for typ, decode := range map[string]func([]byte) error{
		"UpdateCustomKeyStoreInput":            (*kms.UpdateCustomKeyStoreInput)(nil).GobDecode,
		"CreateCustomKeyStoreInput":            (*kms.CreateCustomKeyStoreInput)(nil).GobDecode,
		"XksProxyAuthenticationCredentialType": (*kms.XksProxyAuthenticationCredentialType)(nil).GobDecode,
		"XksProxyConfigurationType":            (*kms.XksProxyConfigurationType)(nil).GobDecode,
		"CustomKeyStoresListEntry":             (*kms.CustomKeyStoresListEntry)(nil).GobDecode,
	} {
		var v printable
		switch typ {
		case "UpdateCustomKeyStoreInput":
			v = kms.UpdateCustomKeyStoreInput{}
		case "CreateCustomKeyStoreInput":
			v = kms.CreateCustomKeyStoreInput{}
		case "XksProxyAuthenticationCredentialType":
			v = kms.XksProxyAuthenticationCredentialType{}
		case "XksProxyConfigurationType":
			v = kms.XksProxyConfigurationType{}
		case "CustomKeyStoresListEntry":
			v = kms.CustomKeyStoresListEntry{}
		}
		check := stringers(v, decode)
		for _, m := range []string{"Format", "String", "GoString", "LogValue", "MarshalJSON", "MarshalText", "GobEncode", "GobDecode"} {
			cases[typ+"."+m] = check
		}
	}

	for _, name := range exportedMethods(t) {
		assert.Contains(t, cases, name, "%s is not called with bad arguments here", name)
	}
	for name, run := range cases {
		t.Run(name, func(t *testing.T) {
			defer func() {
				if r := recover(); r != nil {
					t.Fatalf("%s panicked: %v", name, r)
				}
			}()
			run(t)
		})
	}
}

// clientOpsOn checks that a client without Region fails every call with an
// error naming it.
func clientOpsOn(t *testing.T, c *kms.Client) {
	_, err := c.DescribeCustomKeyStores(context.Background(), nil)
	assert.ErrorContains(t, err, "no Region set")
	assert.True(t, errors.Is(err, err))
}
