package kms

import (
	"errors"

	"github.com/kmskit/kms/internal/kmsmodel"
)

// ErrCustomKeyStoreConnectionFailed matches, with errors.Is, every
// *ConnectionFailedError: the custom key store did not connect.
var ErrCustomKeyStoreConnectionFailed = errors.New("kms: custom key store connection failed")

// ConnectionFailedError is returned by the CustomKeyStoreConnected waiter
// when a store stops short of CONNECTED: its ConnectionState is FAILED
// (ConnectionErrorCode says why), or DISCONNECTED or DISCONNECTING (the
// connection attempt ended, or none was started). Its message says what
// the code means and the documented fix: disconnect the store, correct the
// cause, update the store if a property is wrong, connect again.
type ConnectionFailedError struct {
	// CustomKeyStoreId is the store that did not connect.
	CustomKeyStoreId string
	// ConnectionErrorCode is KMS's reason when ConnectionState is FAILED;
	// empty otherwise.
	ConnectionErrorCode ConnectionErrorCodeType
	// ConnectionState is the state the waiter saw: FAILED, DISCONNECTED or
	// DISCONNECTING.
	ConnectionState ConnectionStateType
	// CustomKeyStoreType is the store's type, when KMS said; it selects the
	// meaning of INVALID_CREDENTIALS.
	CustomKeyStoreType CustomKeyStoreType
}

// Error says which store failed, what its ConnectionErrorCode means and how
// to fix it.
func (e *ConnectionFailedError) Error() string {
	if e == nil {
		return "kms: <nil *ConnectionFailedError>"
	}
	s := "kms: custom key store " + e.CustomKeyStoreId
	if e.ConnectionState != ConnectionStateTypeFailed {
		return s + " is " + string(e.ConnectionState) + ", not connecting: the connection attempt ended without connecting, or ConnectCustomKeyStore was not called (or was followed by DisconnectCustomKeyStore); call ConnectCustomKeyStore and wait again"
	}
	s += " failed to connect (ConnectionState FAILED)"
	if e.ConnectionErrorCode == "" {
		s += " without a ConnectionErrorCode"
	} else {
		s += ": " + string(e.ConnectionErrorCode)
	}
	if doc, ok := kmsmodel.ConnectionErrorFor(string(e.ConnectionErrorCode), kmsmodel.StoreTypeOf(string(e.CustomKeyStoreType))); ok {
		s += ": " + doc.Meaning + " Fix: " + doc.Fix
	}
	return s + " To reconnect a FAILED store: DisconnectCustomKeyStore, correct the cause (UpdateCustomKeyStore if a property is wrong), then ConnectCustomKeyStore."
}

// Is reports whether target is ErrCustomKeyStoreConnectionFailed.
func (e *ConnectionFailedError) Is(target error) bool {
	return target == ErrCustomKeyStoreConnectionFailed
}
