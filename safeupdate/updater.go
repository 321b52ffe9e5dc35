package safeupdate

import (
	"context"
	"errors"
	"time"

	"github.com/kmskit/kms"
	"github.com/kmskit/kms/internal/awsjson"
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

	// Clock is the time the Updater reads and waits on: the times of
	// Apply's report and events, the pace of its waits and retries, its
	// bounds (ApplyOptions.MaxWait, RestoreTimeout) and rotation's
	// confirmation. Nil means the real clock. Tests pass a simulated one,
	// such as kmstest.ManualClock (whose Sleep moves it on), so that an
	// Apply takes no real time and ends the same way every run.
	Clock kms.WaiterClock
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
	if c, ok := api.(*kms.Client); ok && c == nil {
		api = nil // a nil *kms.Client: no Options to read, nothing to call
	}
	var o Options
	if c, ok := api.(interface{ Options() kms.Options }); ok {
		o.Region = c.Options().Region
	}
	for _, fn := range optFns {
		if fn != nil {
			fn(&o)
		}
	}
	if o.Clock == nil {
		o.Clock = realClock{}
	}
	return &Updater{api: api, options: o}
}

// errNoAPI is the error of an Updater without an API.
var errNoAPI = errors.New("kms: safeupdate: the Updater has no API: make it with NewUpdater(client)")

// errNilContext is the error of a call with a nil context.
var errNilContext = errors.New("kms: safeupdate: nil context: pass context.Background() or a context of your own")

// ready returns an error naming what is missing when u cannot send with
// ctx.
func (u *Updater) ready(ctx context.Context) error {
	if u == nil || u.api == nil {
		return errNoAPI
	}
	if ctx == nil {
		return errNilContext
	}
	return nil
}

// clock returns u's clock (the real one for an Updater not made by
// NewUpdater).
func (u *Updater) clock() kms.WaiterClock {
	if u == nil || u.options.Clock == nil {
		return realClock{}
	}
	return u.options.Clock
}

// realClock is the wall clock.
type realClock struct{}

func (realClock) Now() time.Time { return time.Now() }

func (realClock) Sleep(ctx context.Context, d time.Duration) error { return awsjson.Sleep(ctx, d) }
