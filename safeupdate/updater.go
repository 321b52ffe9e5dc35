package safeupdate

import (
	"context"
	"errors"

	"github.com/kmskit/kms"
)

// API is the part of the KMS client an Updater calls. *kms.Client
// satisfies it; a test can pass its own.
type API interface {
	DescribeCustomKeyStores(ctx context.Context, params *kms.DescribeCustomKeyStoresInput, optFns ...func(*kms.Options)) (*kms.DescribeCustomKeyStoresOutput, error)
	UpdateCustomKeyStore(ctx context.Context, params *kms.UpdateCustomKeyStoreInput, optFns ...func(*kms.Options)) (*kms.UpdateCustomKeyStoreOutput, error)
	ConnectCustomKeyStore(ctx context.Context, params *kms.ConnectCustomKeyStoreInput, optFns ...func(*kms.Options)) (*kms.ConnectCustomKeyStoreOutput, error)
	DisconnectCustomKeyStore(ctx context.Context, params *kms.DisconnectCustomKeyStoreInput, optFns ...func(*kms.Options)) (*kms.DisconnectCustomKeyStoreOutput, error)
}

// Options configures an Updater.
type Options struct {
	// Region is the AWS Region of the KMS endpoint the stores live in; the
	// preflight signs its XKS proxy requests for it, as KMS does. It
	// defaults to the client's Region when the API has an
	// Options() kms.Options method, as *kms.Client has.
	Region string
}

// Updater plans, checks and applies custom key store updates over an API.
// Make one with NewUpdater; it is safe for concurrent use when its API is.
type Updater struct {
	api     API
	options Options
}

// NewUpdater returns an Updater that calls api, configured by optFns
// applied in order over the defaults. api must not be nil: every call of a
// nil-API Updater returns an error.
func NewUpdater(api API, optFns ...func(*Options)) *Updater {
	var o Options
	if c, ok := api.(interface{ Options() kms.Options }); ok {
		o.Region = c.Options().Region
	}
	for _, fn := range optFns {
		fn(&o)
	}
	return &Updater{api: api, options: o}
}

// errNoAPI is the error of an Updater without an API.
var errNoAPI = errors.New("kms: safeupdate: the Updater has no API: make it with NewUpdater(client)")

// ready returns errNoAPI when u cannot send anything.
func (u *Updater) ready() error {
	if u == nil || u.api == nil {
		return errNoAPI
	}
	return nil
}
