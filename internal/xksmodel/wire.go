package xksmodel

// RequestMetadata is the requestMetadata object of every request. Which
// members are required depends on the operation (see Required).
type RequestMetadata struct {
	AwsPrincipalArn string `json:"awsPrincipalArn,omitempty"`
	AwsSourceVpc    string `json:"awsSourceVpc,omitempty"`
	AwsSourceVpce   string `json:"awsSourceVpce,omitempty"`
	KmsKeyArn       string `json:"kmsKeyArn,omitempty"`
	KmsOperation    string `json:"kmsOperation,omitempty"`
	KmsRequestId    string `json:"kmsRequestId,omitempty"`
	KmsViaService   string `json:"kmsViaService,omitempty"`
}

// MissingRequired returns the wire names of the requestMetadata members
// that op requires and m leaves empty.
func (m *RequestMetadata) MissingRequired(op string) []string {
	var missing []string
	need := func(name, v string) {
		if v == "" {
			missing = append(missing, name)
		}
	}
	switch op {
	case OpGetHealthStatus:
	case OpGetKeyMetadata:
		need("awsPrincipalArn", m.AwsPrincipalArn)
	default:
		need("awsPrincipalArn", m.AwsPrincipalArn)
		need("kmsKeyArn", m.KmsKeyArn)
	}
	need("kmsOperation", m.KmsOperation)
	need("kmsRequestId", m.KmsRequestId)
	return missing
}

// Request is the body of any request: requestMetadata plus the members of
// the operation (absent ones are omitted). Byte members travel as standard
// Base64.
type Request struct {
	RequestMetadata *RequestMetadata `json:"requestMetadata,omitempty"`

	Plaintext                             []byte `json:"plaintext,omitempty"`
	Ciphertext                            []byte `json:"ciphertext,omitempty"`
	CiphertextMetadata                    []byte `json:"ciphertextMetadata,omitempty"`
	AdditionalAuthenticatedData           []byte `json:"additionalAuthenticatedData,omitempty"`
	InitializationVector                  []byte `json:"initializationVector,omitempty"`
	AuthenticationTag                     []byte `json:"authenticationTag,omitempty"`
	EncryptionAlgorithm                   string `json:"encryptionAlgorithm,omitempty"`
	CiphertextDataIntegrityValueAlgorithm string `json:"ciphertextDataIntegrityValueAlgorithm,omitempty"`
}

// HealthResponse is the body of a successful GetHealthStatus. Pointers tell
// an absent member from a zero one.
type HealthResponse struct {
	XksProxyFleetSize *int            `json:"xksProxyFleetSize"`
	XksProxyVendor    *string         `json:"xksProxyVendor"`
	XksProxyModel     *string         `json:"xksProxyModel"`
	EkmVendor         *string         `json:"ekmVendor"`
	EkmFleetDetails   []EkmFleetEntry `json:"ekmFleetDetails"`
}

// EkmFleetEntry is one external key manager in ekmFleetDetails.
type EkmFleetEntry struct {
	ID           *string `json:"id"`
	Model        *string `json:"model"`
	HealthStatus *string `json:"healthStatus"`
}

// KeyMetadataResponse is the body of a successful GetKeyMetadata.
type KeyMetadataResponse struct {
	KeySpec   *string  `json:"keySpec"`
	KeyUsage  []string `json:"keyUsage"`
	KeyStatus *string  `json:"keyStatus"`
}

// EncryptResponse is the body of a successful Encrypt.
type EncryptResponse struct {
	Ciphertext                   []byte `json:"ciphertext"`
	CiphertextMetadata           []byte `json:"ciphertextMetadata,omitempty"`
	InitializationVector         []byte `json:"initializationVector"`
	AuthenticationTag            []byte `json:"authenticationTag"`
	CiphertextDataIntegrityValue []byte `json:"ciphertextDataIntegrityValue,omitempty"`
}

// DecryptResponse is the body of a successful Decrypt.
type DecryptResponse struct {
	Plaintext []byte `json:"plaintext"`
}

// ErrorResponse is the body of an error answer.
type ErrorResponse struct {
	ErrorName    string `json:"errorName"`
	ErrorMessage string `json:"errorMessage,omitempty"`
}
