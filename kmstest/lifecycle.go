package kmstest

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/kmskit/kms/internal/kmsmodel"
)

// DefaultTransitionDelay is how long a store stays CONNECTING or
// DISCONNECTING unless [WithTransitionDelay] says otherwise: short, but long
// enough that a client sees the intermediate state and has to wait.
const DefaultTransitionDelay = 200 * time.Millisecond

// WithTransitionDelay sets how long ConnectCustomKeyStore keeps a store
// CONNECTING before it becomes CONNECTED or FAILED, and how long
// DisconnectCustomKeyStore keeps it DISCONNECTING before it becomes
// DISCONNECTED. 0 (or less) makes both immediate. The default is
// [DefaultTransitionDelay]. Time is read from the clock of [WithClock].
func WithTransitionDelay(d time.Duration) Option {
	return func(c *config) {
		c.transitionDelay = max(d, 0)
		c.transitionDelaySet = true
	}
}

// transition is a store's pending move out of CONNECTING or DISCONNECTING.
type transition struct {
	at   time.Time       // when it happens
	to   ConnectionState // CONNECTED, FAILED or DISCONNECTED
	code string          // the ConnectionErrorCode when to is FAILED
}

// now reads the fake's clock.
func (f *Fake) now() time.Time { return f.cfg.now() }

// settleLocked applies every pending transition that is due. Transitions
// are evaluated lazily: every operation and every accessor settles first,
// under f.mu, so what anyone sees is what the clock says.
func (f *Fake) settleLocked() {
	if len(f.pending) == 0 {
		return
	}
	now := f.now()
	for id, tr := range f.pending {
		if now.Before(tr.at) {
			continue
		}
		delete(f.pending, id)
		if st, ok := f.stores[id]; ok {
			st.ConnectionState, st.ConnectionErrorCode = tr.to, tr.code
		}
	}
}

// scheduleLocked moves st to the intermediate state from and schedules its
// move to to (with code, for FAILED) after the transition delay.
func (f *Fake) scheduleLocked(st *Store, from, to ConnectionState, code string) {
	st.ConnectionState, st.ConnectionErrorCode = from, ""
	if f.cfg.transitionDelay <= 0 {
		delete(f.pending, st.CustomKeyStoreId)
		st.ConnectionState, st.ConnectionErrorCode = to, code
		return
	}
	f.pending[st.CustomKeyStoreId] = transition{at: f.now().Add(f.cfg.transitionDelay), to: to, code: code}
}

// storeLocked returns the store with that ID, or CustomKeyStoreNotFoundException.
func (f *Fake) storeLocked(id string) (*Store, *apiError) {
	st, ok := f.stores[id]
	if !ok {
		return nil, notFound(id)
	}
	return st, nil
}

// seededStoreLocked returns the store with that ID for a seeding method,
// or an error naming it.
func (f *Fake) seededStoreLocked(id string) (*Store, error) {
	s, ok := f.stores[id]
	if !ok {
		return nil, fmt.Errorf("kmstest: no store %s", id)
	}
	return s, nil
}

// notFound is CustomKeyStoreNotFoundException for the store id.
func notFound(id string) *apiError {
	return newError(CodeCustomKeyStoreNotFound,
		fmt.Sprintf("Custom key store %s does not exist in this account and Region.", echo(id)))
}

// invalidState is CustomKeyStoreInvalidStateException for op on st. It
// reads st, so f.mu must be held.
func invalidState(st *Store, op, rule string) *apiError {
	return newError(CodeCustomKeyStoreInvalidState, fmt.Sprintf(
		"Custom key store %s is %s; %s %s.", st.CustomKeyStoreId, st.ConnectionState, op, rule))
}

// disconnect runs DisconnectCustomKeyStore: any state but DISCONNECTING and
// DISCONNECTED moves to DISCONNECTING, then DISCONNECTED.
func (f *Fake) disconnect(id string) *apiError {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.settleLocked()
	st, err := f.storeLocked(id)
	if err != nil {
		return err
	}
	if slices.Contains(kmsmodel.DisconnectRejectedStates, string(st.ConnectionState)) {
		return invalidState(st, "DisconnectCustomKeyStore",
			"is not valid in "+strings.Join(kmsmodel.DisconnectRejectedStates, " or "))
	}
	f.scheduleLocked(st, StateDisconnecting, StateDisconnected, "")
	return nil
}

// deleteStore runs DeleteCustomKeyStore: the store must be DISCONNECTED and
// hold no KMS keys.
func (f *Fake) deleteStore(id string) *apiError {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.settleLocked()
	st, err := f.storeLocked(id)
	if err != nil {
		return err
	}
	if !slices.Contains(kmsmodel.DeleteAllowedStates, string(st.ConnectionState)) {
		return invalidState(st, "DeleteCustomKeyStore",
			"is valid only when it is "+strings.Join(kmsmodel.DeleteAllowedStates, " or ")+" (use DisconnectCustomKeyStore first)")
	}
	if st.KeyCount > 0 {
		return newError(CodeCustomKeyStoreHasCMKs, fmt.Sprintf(
			"Custom key store %s contains %d KMS keys. Delete them with ScheduleKeyDeletion before deleting the custom key store.",
			id, st.KeyCount))
	}
	delete(f.stores, id)
	delete(f.pending, id)
	return nil
}

// SetKeyCount sets how many KMS keys a store holds (see [Store.KeyCount]).
func (f *Fake) SetKeyCount(id string, n int) error {
	if n < 0 {
		return fmt.Errorf("kmstest: negative key count %d", n)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	s, err := f.seededStoreLocked(id)
	if err != nil {
		return err
	}
	s.KeyCount = n
	return nil
}

// decodeStoreID decodes and validates the input of Connect, Disconnect or
// Delete (shape): one required CustomKeyStoreId.
func decodeStoreID(shape *kmsmodel.Shape, body []byte) (string, *apiError) {
	obj, err := decodeObject(body)
	if err != nil {
		return "", err
	}
	vals, probs := decodeMembers(obj, shape, "", map[string]*string{}, nil)
	probs = validateShape(shape, "", func(name string) *string { return vals[name] }, probs,
		func(*kmsmodel.Member) bool { return false })
	if err := validationError(probs); err != nil {
		return "", err
	}
	return *vals["CustomKeyStoreId"], nil
}

// storeIDOperation is an operation whose input is one CustomKeyStoreId
// (shape) and whose output is empty; run does the work.
func storeIDOperation(shape *kmsmodel.Shape, run func(f *Fake, ctx context.Context, id string) *apiError) operation {
	return func(f *Fake, ctx context.Context, body []byte) ([]byte, *apiError) {
		id, err := decodeStoreID(shape, body)
		if err != nil {
			return nil, err
		}
		if err := run(f, ctx, id); err != nil {
			return nil, err
		}
		return emptyObject, nil
	}
}

// ConnectCustomKeyStore, DisconnectCustomKeyStore, DeleteCustomKeyStore.
var (
	serveConnect    = storeIDOperation(kmsmodel.ConnectCustomKeyStoreInput, (*Fake).connect)
	serveDisconnect = storeIDOperation(kmsmodel.DisconnectCustomKeyStoreInput,
		func(f *Fake, _ context.Context, id string) *apiError { return f.disconnect(id) })
	serveDelete = storeIDOperation(kmsmodel.DeleteCustomKeyStoreInput,
		func(f *Fake, _ context.Context, id string) *apiError { return f.deleteStore(id) })
)

// SetCustomKeyStoreLimit sets the most custom key stores the account may
// have; CreateCustomKeyStore beyond it is LimitExceededException. 0, the
// default, is no limit.
func (f *Fake) SetCustomKeyStoreLimit(n int) error {
	if n < 0 {
		return fmt.Errorf("kmstest: negative custom key store limit %d", n)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.limit = n
	return nil
}
