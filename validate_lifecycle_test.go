package kms_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kmskit/kms"
)

// lifecycleCall runs one lifecycle operation with in through c.
type lifecycleCall func(c *kms.Client, optFns ...func(*kms.Options)) error

func createCall(in *kms.CreateCustomKeyStoreInput) lifecycleCall {
	return func(c *kms.Client, optFns ...func(*kms.Options)) error {
		_, err := c.CreateCustomKeyStore(context.Background(), in, optFns...)
		return err
	}
}

func describeCall(in *kms.DescribeCustomKeyStoresInput) lifecycleCall {
	return func(c *kms.Client, optFns ...func(*kms.Options)) error {
		_, err := c.DescribeCustomKeyStores(context.Background(), in, optFns...)
		return err
	}
}

func connectCall(in *kms.ConnectCustomKeyStoreInput) lifecycleCall {
	return func(c *kms.Client, optFns ...func(*kms.Options)) error {
		_, err := c.ConnectCustomKeyStore(context.Background(), in, optFns...)
		return err
	}
}

func disconnectCall(in *kms.DisconnectCustomKeyStoreInput) lifecycleCall {
	return func(c *kms.Client, optFns ...func(*kms.Options)) error {
		_, err := c.DisconnectCustomKeyStore(context.Background(), in, optFns...)
		return err
	}
}

func deleteCall(in *kms.DeleteCustomKeyStoreInput) lifecycleCall {
	return func(c *kms.Client, optFns ...func(*kms.Options)) error {
		_, err := c.DeleteCustomKeyStore(context.Background(), in, optFns...)
		return err
	}
}

func modCreate(base *kms.CreateCustomKeyStoreInput, fn func(in *kms.CreateCustomKeyStoreInput)) *kms.CreateCustomKeyStoreInput {
	fn(base)
	return base
}

func TestLifecycleValidation(t *testing.T) {
	public := kms.XksProxyConnectivityTypePublicEndpoint
	vpc := kms.XksProxyConnectivityTypeVpcEndpointService
	tests := []struct {
		name   string
		call   lifecycleCall
		input  string   // the input type the error names
		fields []string // Fields(), in member order
		reason []string // substrings of the message
	}{
		// CreateCustomKeyStore.
		{"create: nil input", createCall(nil), "CreateCustomKeyStoreInput", []string{"CreateCustomKeyStoreInput"}, []string{"input is nil"}},
		{"create: name missing", createCall(modCreate(cloudHsmCreate(), func(in *kms.CreateCustomKeyStoreInput) { in.CustomKeyStoreName = nil })),
			"CreateCustomKeyStoreInput", []string{"CustomKeyStoreName"}, []string{"CustomKeyStoreName: required"}},
		{"create: name empty", createCall(modCreate(cloudHsmCreate(), func(in *kms.CreateCustomKeyStoreInput) { in.CustomKeyStoreName = aws.String("") })),
			"CreateCustomKeyStoreInput", []string{"CustomKeyStoreName"}, []string{"length 0 is below the minimum 1"}},
		{"create: name too long", createCall(modCreate(cloudHsmCreate(), func(in *kms.CreateCustomKeyStoreInput) { in.CustomKeyStoreName = aws.String(strings.Repeat("n", 257)) })),
			"CreateCustomKeyStoreInput", []string{"CustomKeyStoreName"}, []string{"length 257 is above the maximum 256"}},
		{"create: CloudHSM needs cluster, password and trust anchor", createCall(&kms.CreateCustomKeyStoreInput{CustomKeyStoreName: aws.String("s")}),
			"CreateCustomKeyStoreInput", []string{"CloudHsmClusterId", "KeyStorePassword", "TrustAnchorCertificate"},
			[]string{"CloudHsmClusterId: required for an AWS_CLOUDHSM custom key store (CustomKeyStoreType is empty, which means AWS_CLOUDHSM"}},
		{"create: CloudHSM bad cluster, short password, long anchor", createCall(modCreate(cloudHsmCreate(), func(in *kms.CreateCustomKeyStoreInput) {
			in.CloudHsmClusterId = aws.String("cluster-1a23b4cdefg")
			in.KeyStorePassword = aws.String("short1")
			in.TrustAnchorCertificate = aws.String(strings.Repeat("c", 5001))
		})), "CreateCustomKeyStoreInput", []string{"CloudHsmClusterId", "KeyStorePassword", "TrustAnchorCertificate"},
			[]string{"does not match the pattern cluster-[2-7a-zA-Z]{11,16}", "KeyStorePassword: length 6 is below the minimum 7", "length 5001 is above the maximum 5000"}},
		{"create: external needs connectivity, credential, endpoint and path", createCall(&kms.CreateCustomKeyStoreInput{
			CustomKeyStoreName: aws.String("s"), CustomKeyStoreType: kms.CustomKeyStoreTypeExternalKeyStore,
		}), "CreateCustomKeyStoreInput", []string{"XksProxyAuthenticationCredential", "XksProxyConnectivity", "XksProxyUriEndpoint", "XksProxyUriPath"},
			[]string{"XksProxyUriPath: required for an EXTERNAL_KEY_STORE custom key store"}},
		{"create: VPC_ENDPOINT_SERVICE needs a service name", createCall(modCreate(xksCreate(vpc), func(in *kms.CreateCustomKeyStoreInput) { in.XksProxyVpcEndpointServiceName = nil })),
			"CreateCustomKeyStoreInput", []string{"XksProxyVpcEndpointServiceName"}, []string{"required when XksProxyConnectivity is VPC_ENDPOINT_SERVICE"}},
		{"create: PUBLIC_ENDPOINT takes no service name or owner", createCall(modCreate(xksCreate(public), func(in *kms.CreateCustomKeyStoreInput) {
			in.XksProxyVpcEndpointServiceName = aws.String(lifecycleVpcEndpointServiceName)
			in.XksProxyVpcEndpointServiceOwner = aws.String(lifecycleVpcEndpointServiceOwner)
		})), "CreateCustomKeyStoreInput", []string{"XksProxyVpcEndpointServiceName", "XksProxyVpcEndpointServiceOwner"},
			[]string{"must be nil when XksProxyConnectivity is PUBLIC_ENDPOINT"}},
		{"create: XKS members on a CloudHSM store", createCall(modCreate(cloudHsmCreate(), func(in *kms.CreateCustomKeyStoreInput) {
			in.XksProxyUriPath = aws.String(lifecyclePath)
		})), "CreateCustomKeyStoreInput", []string{"XksProxyUriPath"}, []string{"cannot be mixed; sent: XksProxyUriPath"}},
		{"create: CloudHSM members on an external store", createCall(modCreate(xksCreate(public), func(in *kms.CreateCustomKeyStoreInput) {
			in.KeyStorePassword = aws.String(lifecyclePassword)
			in.TrustAnchorCertificate = aws.String(lifecycleTrustAnchor)
		})), "CreateCustomKeyStoreInput", []string{"KeyStorePassword"}, []string{"not valid for an EXTERNAL_KEY_STORE custom key store", "sent: KeyStorePassword, TrustAnchorCertificate"}},
		{"create: XKS members with the type left out", createCall(modCreate(xksCreate(public), func(in *kms.CreateCustomKeyStoreInput) { in.CustomKeyStoreType = "" })),
			"CreateCustomKeyStoreInput", []string{"CloudHsmClusterId", "KeyStorePassword", "TrustAnchorCertificate", "XksProxyAuthenticationCredential"},
			[]string{"set EXTERNAL_KEY_STORE for an external key store"}},
		{"create: credential needs both members, checked by the model", createCall(modCreate(xksCreate(public), func(in *kms.CreateCustomKeyStoreInput) {
			in.XksProxyAuthenticationCredential = &kms.XksProxyAuthenticationCredentialType{AccessKeyId: aws.String("lower-case-key-id-xxxx")}
		})), "CreateCustomKeyStoreInput", []string{"XksProxyAuthenticationCredential.AccessKeyId", "XksProxyAuthenticationCredential.RawSecretAccessKey"},
			[]string{"value not shown", "KMS needs both AccessKeyId and RawSecretAccessKey"}},
		{"create: a password that is the redaction marker", createCall(modCreate(cloudHsmCreate(), func(in *kms.CreateCustomKeyStoreInput) {
			in.KeyStorePassword = aws.String("[REDACTED]")
		})), "CreateCustomKeyStoreInput", []string{"KeyStorePassword"}, []string{"the value was lost when the input was printed or encoded"}},
		{"create: secret outside its pattern", createCall(modCreate(xksCreate(public), func(in *kms.CreateCustomKeyStoreInput) {
			in.XksProxyAuthenticationCredential.RawSecretAccessKey = aws.String(strings.Repeat("#", 44))
		})), "CreateCustomKeyStoreInput", []string{"XksProxyAuthenticationCredential.RawSecretAccessKey"}, []string{"(length 44; character 1 is not in [a-zA-Z0-9/+=]; value not shown)"}},
		{"create: bad endpoint and path", createCall(modCreate(xksCreate(public), func(in *kms.CreateCustomKeyStoreInput) {
			in.XksProxyUriEndpoint = aws.String("http://myproxy.example.com")
			in.XksProxyUriPath = aws.String("/kms/xks/v1/extra")
		})), "CreateCustomKeyStoreInput", []string{"XksProxyUriEndpoint", "XksProxyUriPath"}, []string{`value "http://myproxy.example.com"`}},
		{"create: type in the wrong case", createCall(modCreate(xksCreate(public), func(in *kms.CreateCustomKeyStoreInput) { in.CustomKeyStoreType = "external_key_store" })),
			"CreateCustomKeyStoreInput", []string{"CustomKeyStoreType"}, []string{"did you mean EXTERNAL_KEY_STORE?"}},
		{"create: connectivity in the wrong case", createCall(modCreate(xksCreate(public), func(in *kms.CreateCustomKeyStoreInput) { in.XksProxyConnectivity = "public_endpoint" })),
			"CreateCustomKeyStoreInput", []string{"XksProxyConnectivity"}, []string{"did you mean PUBLIC_ENDPOINT?"}},
		{"create: invalid UTF-8 name", createCall(modCreate(cloudHsmCreate(), func(in *kms.CreateCustomKeyStoreInput) { in.CustomKeyStoreName = aws.String("a\xffb") })),
			"CreateCustomKeyStoreInput", []string{"CustomKeyStoreName"}, []string{"not valid UTF-8"}},

		// DescribeCustomKeyStores.
		{"describe: ID and name", describeCall(&kms.DescribeCustomKeyStoresInput{CustomKeyStoreId: aws.String(lifecycleStoreID), CustomKeyStoreName: aws.String("n")}),
			"DescribeCustomKeyStoresInput", []string{"CustomKeyStoreName"}, []string{"cannot be sent with CustomKeyStoreId"}},
		{"describe: Limit 0", describeCall(&kms.DescribeCustomKeyStoresInput{Limit: aws.Int32(0)}),
			"DescribeCustomKeyStoresInput", []string{"Limit"}, []string{"0 is outside the range 1-1000"}},
		{"describe: Limit 1001", describeCall(&kms.DescribeCustomKeyStoresInput{Limit: aws.Int32(1001)}),
			"DescribeCustomKeyStoresInput", []string{"Limit"}, []string{"1001 is outside the range 1-1000"}},
		{"describe: empty marker, empty ID", describeCall(&kms.DescribeCustomKeyStoresInput{CustomKeyStoreId: aws.String(""), Marker: aws.String("")}),
			"DescribeCustomKeyStoresInput", []string{"CustomKeyStoreId", "Marker"}, []string{"Marker: length 0 is below the minimum 1"}},
		{"describe: marker too long", describeCall(&kms.DescribeCustomKeyStoresInput{Marker: aws.String(strings.Repeat("m", 1025))}),
			"DescribeCustomKeyStoresInput", []string{"Marker"}, []string{"length 1025 is above the maximum 1024"}},

		// Connect, Disconnect, Delete.
		{"connect: nil input", connectCall(nil), "ConnectCustomKeyStoreInput", []string{"ConnectCustomKeyStoreInput"}, []string{"input is nil"}},
		{"connect: ID missing", connectCall(&kms.ConnectCustomKeyStoreInput{}), "ConnectCustomKeyStoreInput", []string{"CustomKeyStoreId"}, []string{"CustomKeyStoreId: required"}},
		{"disconnect: ID empty", disconnectCall(&kms.DisconnectCustomKeyStoreInput{CustomKeyStoreId: aws.String("")}),
			"DisconnectCustomKeyStoreInput", []string{"CustomKeyStoreId"}, []string{"required: length 0 is below the minimum 1"}},
		{"delete: ID too long", deleteCall(&kms.DeleteCustomKeyStoreInput{CustomKeyStoreId: aws.String(strings.Repeat("c", 65))}),
			"DeleteCustomKeyStoreInput", []string{"CustomKeyStoreId"}, []string{"length 65 is above the maximum 64"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, rec := setup(t, nil)
			err := tt.call(c)
			var ve *kms.ValidationError
			require.True(t, errors.As(err, &ve), "want a *kms.ValidationError, got %v", err)
			assert.Equal(t, tt.fields, ve.Fields())
			assert.Contains(t, err.Error(), "kms: invalid "+tt.input+": ")
			for _, r := range tt.reason {
				assert.Contains(t, err.Error(), r)
			}
			for _, secret := range []string{lifecyclePassword, lifecycleSecret, lifecycleAccessKeyID, "lower-case-key-id-xxxx", "short1"} {
				assert.NotContains(t, err.Error(), secret, "no secret in a validation error")
			}
			assert.Empty(t, rec.all(), "nothing is sent for a bad input")
		})
	}
}

func TestLifecycleValidInputsPass(t *testing.T) {
	vpc := xksCreate(kms.XksProxyConnectivityTypeVpcEndpointService)
	vpc.XksProxyVpcEndpointServiceOwner = aws.String(lifecycleVpcEndpointServiceOwner)
	for name, err := range map[string]error{
		"create CloudHSM":             cloudHsmCreate().Validate(),
		"create XKS public":           xksCreate(kms.XksProxyConnectivityTypePublicEndpoint).Validate(),
		"create XKS VPC":              vpc.Validate(),
		"create unknown future type":  (&kms.CreateCustomKeyStoreInput{CustomKeyStoreName: aws.String("s"), CustomKeyStoreType: "FUTURE_STORE"}).Validate(),
		"describe nil":                (*kms.DescribeCustomKeyStoresInput)(nil).Validate(),
		"describe Limit 1":            (&kms.DescribeCustomKeyStoresInput{Limit: aws.Int32(1)}).Validate(),
		"describe Limit 1000, marker": (&kms.DescribeCustomKeyStoresInput{Limit: aws.Int32(1000), Marker: aws.String("m-1 é")}).Validate(),
		"describe by name":            (&kms.DescribeCustomKeyStoresInput{CustomKeyStoreName: aws.String("n")}).Validate(),
		"connect":                     (&kms.ConnectCustomKeyStoreInput{CustomKeyStoreId: aws.String(lifecycleStoreID)}).Validate(),
		"disconnect":                  (&kms.DisconnectCustomKeyStoreInput{CustomKeyStoreId: aws.String(lifecycleStoreID)}).Validate(),
		"delete":                      (&kms.DeleteCustomKeyStoreInput{CustomKeyStoreId: aws.String(lifecycleStoreID)}).Validate(),
	} {
		assert.NoError(t, err, name)
	}
}

func TestLifecycleDisableClientValidationKeepsRequired(t *testing.T) {
	off := func(o *kms.Options) { o.DisableClientValidation = true }
	c, rec := setup(t, answerOK(`{}`))
	// Required members are still checked.
	for _, call := range []lifecycleCall{
		createCall(&kms.CreateCustomKeyStoreInput{}),
		connectCall(&kms.ConnectCustomKeyStoreInput{}),
		disconnectCall(nil),
		deleteCall(&kms.DeleteCustomKeyStoreInput{CustomKeyStoreId: aws.String("")}),
	} {
		var ve *kms.ValidationError
		assert.ErrorAs(t, call(c, off), &ve)
	}
	assert.Empty(t, rec.all())
	// Everything else is left to KMS.
	require.NoError(t, createCall(&kms.CreateCustomKeyStoreInput{CustomKeyStoreName: aws.String("s")})(c, off))
	require.NoError(t, describeCall(&kms.DescribeCustomKeyStoresInput{Limit: aws.Int32(5000)})(c, off))
	reqs := rec.all()
	require.Len(t, reqs, 2)
	assert.Equal(t, `{"CustomKeyStoreName":"s"}`, string(reqs[0].body))
	assert.Equal(t, `{"Limit":5000}`, string(reqs[1].body))
}
