package interop

import (
	"context"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	awskms "github.com/aws/aws-sdk-go-v2/service/kms"
	awstypes "github.com/aws/aws-sdk-go-v2/service/kms/types"

	"github.com/kmskit/kms"
)

// The lifecycle inputs convert to the official ones field by field: the
// names and types are the same by design.

func createToOfficial(in *kms.CreateCustomKeyStoreInput) *awskms.CreateCustomKeyStoreInput {
	out := &awskms.CreateCustomKeyStoreInput{
		CustomKeyStoreName:              in.CustomKeyStoreName,
		CloudHsmClusterId:               in.CloudHsmClusterId,
		CustomKeyStoreType:              awstypes.CustomKeyStoreType(in.CustomKeyStoreType),
		KeyStorePassword:                in.KeyStorePassword,
		TrustAnchorCertificate:          in.TrustAnchorCertificate,
		XksProxyConnectivity:            awstypes.XksProxyConnectivityType(in.XksProxyConnectivity),
		XksProxyUriEndpoint:             in.XksProxyUriEndpoint,
		XksProxyUriPath:                 in.XksProxyUriPath,
		XksProxyVpcEndpointServiceName:  in.XksProxyVpcEndpointServiceName,
		XksProxyVpcEndpointServiceOwner: in.XksProxyVpcEndpointServiceOwner,
	}
	if c := in.XksProxyAuthenticationCredential; c != nil {
		out.XksProxyAuthenticationCredential = &awstypes.XksProxyAuthenticationCredentialType{
			AccessKeyId: c.AccessKeyId, RawSecretAccessKey: c.RawSecretAccessKey,
		}
	}
	return out
}

func createCase(name string, noValidate bool, in *kms.CreateCustomKeyStoreInput) wireCase {
	return wireCase{
		name: "Create: " + name, op: "CreateCustomKeyStore", noValidate: noValidate,
		ours: func(ctx context.Context, c *kms.Client, optFns ...func(*kms.Options)) error {
			_, err := c.CreateCustomKeyStore(ctx, in, optFns...)
			return err
		},
		official: func(ctx context.Context, c *awskms.Client) error {
			_, err := c.CreateCustomKeyStore(ctx, createToOfficial(in))
			return err
		},
	}
}

func describeCase(name string, in *kms.DescribeCustomKeyStoresInput) wireCase {
	return wireCase{
		name: "Describe: " + name, op: "DescribeCustomKeyStores",
		ours: func(ctx context.Context, c *kms.Client, optFns ...func(*kms.Options)) error {
			_, err := c.DescribeCustomKeyStores(ctx, in, optFns...)
			return err
		},
		official: func(ctx context.Context, c *awskms.Client) error {
			var o *awskms.DescribeCustomKeyStoresInput
			if in != nil {
				o = &awskms.DescribeCustomKeyStoresInput{
					CustomKeyStoreId: in.CustomKeyStoreId, CustomKeyStoreName: in.CustomKeyStoreName,
					Limit: in.Limit, Marker: in.Marker,
				}
			}
			_, err := c.DescribeCustomKeyStores(ctx, o)
			return err
		},
	}
}

// storeIDCases are Connect, Disconnect and Delete with id.
func storeIDCases(name, id string) []wireCase {
	return []wireCase{
		{
			name: "Connect: " + name, op: "ConnectCustomKeyStore",
			ours: func(ctx context.Context, c *kms.Client, optFns ...func(*kms.Options)) error {
				_, err := c.ConnectCustomKeyStore(ctx, &kms.ConnectCustomKeyStoreInput{CustomKeyStoreId: aws.String(id)}, optFns...)
				return err
			},
			official: func(ctx context.Context, c *awskms.Client) error {
				_, err := c.ConnectCustomKeyStore(ctx, &awskms.ConnectCustomKeyStoreInput{CustomKeyStoreId: aws.String(id)})
				return err
			},
		},
		{
			name: "Disconnect: " + name, op: "DisconnectCustomKeyStore",
			ours: func(ctx context.Context, c *kms.Client, optFns ...func(*kms.Options)) error {
				_, err := c.DisconnectCustomKeyStore(ctx, &kms.DisconnectCustomKeyStoreInput{CustomKeyStoreId: aws.String(id)}, optFns...)
				return err
			},
			official: func(ctx context.Context, c *awskms.Client) error {
				_, err := c.DisconnectCustomKeyStore(ctx, &awskms.DisconnectCustomKeyStoreInput{CustomKeyStoreId: aws.String(id)})
				return err
			},
		},
		{
			name: "Delete: " + name, op: "DeleteCustomKeyStore",
			ours: func(ctx context.Context, c *kms.Client, optFns ...func(*kms.Options)) error {
				_, err := c.DeleteCustomKeyStore(ctx, &kms.DeleteCustomKeyStoreInput{CustomKeyStoreId: aws.String(id)}, optFns...)
				return err
			},
			official: func(ctx context.Context, c *awskms.Client) error {
				_, err := c.DeleteCustomKeyStore(ctx, &awskms.DeleteCustomKeyStoreInput{CustomKeyStoreId: aws.String(id)})
				return err
			},
		},
	}
}

const trustAnchor = "-----BEGIN CERTIFICATE-----\nMIICdzCCAeCgAwIBAgIJAMw=\n-----END CERTIFICATE-----\n"

func cloudHsmCreateInput() *kms.CreateCustomKeyStoreInput {
	return &kms.CreateCustomKeyStoreInput{
		CustomKeyStoreName:     aws.String("ExampleCloudHsmStore"),
		CloudHsmClusterId:      aws.String(clusterID),
		KeyStorePassword:       aws.String(hsmPassword),
		TrustAnchorCertificate: aws.String(trustAnchor),
	}
}

func xksCreateInput(conn kms.XksProxyConnectivityType) *kms.CreateCustomKeyStoreInput {
	in := &kms.CreateCustomKeyStoreInput{
		CustomKeyStoreName:               aws.String("ExampleExternalStore"),
		CustomKeyStoreType:               kms.CustomKeyStoreTypeExternalKeyStore,
		XksProxyAuthenticationCredential: xksCred(xksKeyID, xksSecret),
		XksProxyConnectivity:             conn,
		XksProxyUriEndpoint:              aws.String(xksEndpoint),
		XksProxyUriPath:                  aws.String(xksPath),
	}
	if conn == kms.XksProxyConnectivityTypeVpcEndpointService {
		in.XksProxyVpcEndpointServiceName = aws.String(vpcService)
	}
	return in
}

// lifecycleWireCases are every input shape of the five lifecycle
// operations: each member alone (with the required ones), the realistic
// combinations, every member at once, and names that exercise the string
// encoder.
func lifecycleWireCases() []wireCase {
	typed := cloudHsmCreateInput()
	typed.CustomKeyStoreType = kms.CustomKeyStoreTypeAwsCloudhsm
	withOwner := xksCreateInput(kms.XksProxyConnectivityTypeVpcEndpointService)
	withOwner.XksProxyVpcEndpointServiceOwner = aws.String(vpcOwner)
	all := xksCreateInput(kms.XksProxyConnectivityTypeVpcEndpointService)
	all.XksProxyVpcEndpointServiceOwner = aws.String(vpcOwner)
	all.CloudHsmClusterId = aws.String(clusterID)
	all.KeyStorePassword = aws.String(hsmPassword)
	all.TrustAnchorCertificate = aws.String(trustAnchor)
	name := func(n string) *kms.CreateCustomKeyStoreInput {
		in := cloudHsmCreateInput()
		in.CustomKeyStoreName = aws.String(n)
		return in
	}
	cases := []wireCase{
		createCase("name only", true, &kms.CreateCustomKeyStoreInput{CustomKeyStoreName: aws.String("OnlyAName")}),
		createCase("CloudHSM", false, cloudHsmCreateInput()),
		createCase("CloudHSM with type", false, typed),
		createCase("XKS public endpoint", false, xksCreateInput(kms.XksProxyConnectivityTypePublicEndpoint)),
		createCase("XKS VPC endpoint service", false, xksCreateInput(kms.XksProxyConnectivityTypeVpcEndpointService)),
		createCase("XKS VPC endpoint service with owner", false, withOwner),
		createCase("every member", true, all),
		createCase("non-ASCII name", false, name("Schlüssel-Speicher 鍵ストア 🔑")),
		createCase("name with JSON and HTML specials", false, name(`quote " backslash \ slash / <tag> & amp`)),
		createCase("name with control characters and line separators", false, name("tab\tnl\ncr\r\x01\x1f del\x7f ls\u2028 ps\u2029")),
		createCase("256-character name", false, name(strings.Repeat("é", 256))),
		createCase("5000-character trust anchor", false, func() *kms.CreateCustomKeyStoreInput {
			in := cloudHsmCreateInput()
			in.TrustAnchorCertificate = aws.String(strings.Repeat("A", 4999) + "\n")
			return in
		}()),

		describeCase("nil input", nil),
		describeCase("empty input", &kms.DescribeCustomKeyStoresInput{}),
		describeCase("by ID", &kms.DescribeCustomKeyStoresInput{CustomKeyStoreId: aws.String(storeID)}),
		describeCase("by name", &kms.DescribeCustomKeyStoresInput{CustomKeyStoreName: aws.String("Name \"é\" 🔑")}),
		describeCase("Limit 1", &kms.DescribeCustomKeyStoresInput{Limit: aws.Int32(1)}),
		describeCase("Limit 1000 and marker", &kms.DescribeCustomKeyStoresInput{Limit: aws.Int32(1000), Marker: aws.String("AAEAAeyJ+/=ÿ marker")}),
		describeCase("marker only", &kms.DescribeCustomKeyStoresInput{Marker: aws.String("next-page")}),
	}
	cases = append(cases, storeIDCases("ID", storeID)...)
	cases = append(cases, storeIDCases("ID with specials", `cks-"\é`)...)
	return cases
}
