package kms

import (
	"github.com/kmskit/kms/internal/kmsmodel"
)

// storeIDCall is the call of an operation whose only member is the
// required CustomKeyStoreId (Connect, Disconnect, Delete): shape is its
// input, isNil says the input itself is nil.
func storeIDCall(op string, shape *kmsmodel.Shape, isNil bool, id *string) call {
	return call{
		op: op,
		validate: func(full bool) error {
			if full {
				return validateStoreIDInput(shape, isNil, id)
			}
			return requireStoreID(shape, isNil, id)
		},
		encode: func(dst []byte) []byte {
			o := openObject(dst)
			o.str("CustomKeyStoreId", id)
			return o.close()
		},
	}
}

// validateStoreIDInput checks such an input: CustomKeyStoreId is required
// and within the model's length.
func validateStoreIDInput(shape *kmsmodel.Shape, isNil bool, id *string) error {
	if err := requireStoreID(shape, isNil, id); err != nil {
		return err
	}
	p := newShapeProblems(shape)
	p.str("CustomKeyStoreId", id)
	return p.result()
}

// requireStoreID is the check that runs even with
// Options.DisableClientValidation: an input with a CustomKeyStoreId.
func requireStoreID(shape *kmsmodel.Shape, isNil bool, id *string) error {
	if isNil {
		return nilInput(shape)
	}
	p := newShapeProblems(shape)
	p.required("CustomKeyStoreId", id)
	return p.result()
}
