// Package exampleenv gives the examples a client and a key store ID: by
// default on an embedded kmstest fake, seeded by the example; with -endpoint,
// -region and -id, on a real KMS endpoint with credentials from the
// AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN environment
// variables. (For the SDK's full credential chain see examples/withconfig.)
package exampleenv

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/kmskit/kms"
	"github.com/kmskit/kms/kmstest"
)

// Env is where an example runs.
type Env struct {
	Client *kms.Client
	// StoreID is the key store the example updates.
	StoreID string
	// Fake is the embedded fake, nil on a real endpoint.
	Fake *kmstest.Server
	// Real reports whether Client talks to a real endpoint.
	Real bool
}

// Flags are the command-line flags every example takes.
type Flags struct {
	Endpoint, Region, ID *string
}

// RegisterFlags defines -endpoint, -region and -id on the default FlagSet.
func RegisterFlags() Flags {
	return Flags{
		Endpoint: flag.String("endpoint", "", "real KMS endpoint URL, e.g. https://kms.us-east-1.amazonaws.com (default: the embedded fake)"),
		Region:   flag.String("region", "", "AWS Region of -endpoint"),
		ID:       flag.String("id", "", "custom key store ID to update on -endpoint"),
	}
}

// Open returns an Env: the fake, created with opts and seeded with seed
// (which returns the store ID to use), unless -endpoint was given. Call
// Close when done.
func Open(f Flags, seed func(*kmstest.Server) (string, error), opts ...kmstest.Option) (*Env, error) {
	if *f.Endpoint != "" {
		if *f.Region == "" || *f.ID == "" {
			return nil, errors.New("-endpoint needs -region and -id")
		}
		key, secret := os.Getenv("AWS_ACCESS_KEY_ID"), os.Getenv("AWS_SECRET_ACCESS_KEY")
		if key == "" || secret == "" {
			return nil, errors.New("-endpoint needs AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY in the environment")
		}
		creds := aws.Credentials{AccessKeyID: key, SecretAccessKey: secret, SessionToken: os.Getenv("AWS_SESSION_TOKEN"), Source: "environment"}
		c := kms.New(kms.Options{
			Region:       *f.Region,
			BaseEndpoint: f.Endpoint,
			Credentials: aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
				return creds, nil
			}),
		})
		return &Env{Client: c, StoreID: *f.ID, Real: true}, nil
	}
	srv := kmstest.NewServer(opts...)
	id, err := seed(srv)
	if err != nil {
		srv.Close()
		return nil, fmt.Errorf("seed the fake: %w", err)
	}
	c := kms.New(kms.Options{
		Region:       "us-east-1",
		BaseEndpoint: aws.String(srv.URL),
		HTTPClient:   srv.Client(),
		Credentials: aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
			return aws.Credentials{AccessKeyID: "AKIDEXAMPLE", SecretAccessKey: "fake-secret"}, nil
		}),
	})
	return &Env{Client: c, StoreID: id, Fake: srv}, nil
}

// Close stops the fake, if any.
func (e *Env) Close() {
	if e.Fake != nil {
		e.Fake.Close()
	}
}

// Fail prints err and exits with status 1.
func Fail(err error) {
	fmt.Fprintln(os.Stderr, "error:", err)
	os.Exit(1)
}
