package kmstest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
)

// createInput is a decoded CreateCustomKeyStore request.
type createInput struct {
	CustomKeyStoreName               *string
	CloudHsmClusterId                *string
	CustomKeyStoreType               *string
	KeyStorePassword                 *string
	TrustAnchorCertificate           *string
	XksProxyAuthenticationCredential *credentialInput
	XksProxyConnectivity             *string
	XksProxyUriEndpoint              *string
	XksProxyUriPath                  *string
	XksProxyVpcEndpointServiceName   *string
	XksProxyVpcEndpointServiceOwner  *string
}

// cTrustAnchor is the model's constraint on TrustAnchorCertificate.
var cTrustAnchor = constraint{min: 1, max: 5000}

// decodeCreate decodes and validates a CreateCustomKeyStore body against
// the model and the documented members of each store type.
func decodeCreate(body []byte) (createInput, *apiError) {
	var in createInput
	obj, err := decodeObject(body)
	if err != nil {
		return in, err
	}
	var probs []problem
	str := func(name string) *string {
		s, p := stringMember(obj, name, lowerFirst(name))
		if p != nil {
			probs = append(probs, *p)
		}
		return s
	}
	in.CustomKeyStoreName = str("CustomKeyStoreName")
	in.CloudHsmClusterId = str("CloudHsmClusterId")
	in.CustomKeyStoreType = str("CustomKeyStoreType")
	in.KeyStorePassword = str("KeyStorePassword")
	in.TrustAnchorCertificate = str("TrustAnchorCertificate")
	in.XksProxyConnectivity = str("XksProxyConnectivity")
	in.XksProxyUriEndpoint = str("XksProxyUriEndpoint")
	in.XksProxyUriPath = str("XksProxyUriPath")
	in.XksProxyVpcEndpointServiceName = str("XksProxyVpcEndpointServiceName")
	in.XksProxyVpcEndpointServiceOwner = str("XksProxyVpcEndpointServiceOwner")
	in.XksProxyAuthenticationCredential, probs = decodeCredential(obj, probs)

	if in.CustomKeyStoreName == nil && !hasPath(probs, "customKeyStoreName") {
		probs = append(probs, problem{path: "customKeyStoreName", rule: "Member must not be null"})
	}
	probs = cCustomKeyStoreNm.check(probs, "customKeyStoreName", in.CustomKeyStoreName)
	probs = cCloudHsmClusterId.check(probs, "cloudHsmClusterId", in.CloudHsmClusterId)
	if v := in.CustomKeyStoreType; v != nil && StoreType(*v) != TypeCloudHSM && StoreType(*v) != TypeExternal {
		probs = append(probs, problem{path: "customKeyStoreType", value: v,
			rule: "Member must satisfy enum value set: [AWS_CLOUDHSM, EXTERNAL_KEY_STORE]"})
	}
	probs = cKeyStorePassword.check(probs, "keyStorePassword", in.KeyStorePassword)
	probs = cTrustAnchor.check(probs, "trustAnchorCertificate", in.TrustAnchorCertificate)
	probs = checkCredential(probs, in.XksProxyAuthenticationCredential)
	if v := in.XksProxyConnectivity; v != nil && Connectivity(*v) != ConnectivityPublicEndpoint && Connectivity(*v) != ConnectivityVpcEndpointService {
		probs = append(probs, problem{path: "xksProxyConnectivity", value: v,
			rule: "Member must satisfy enum value set: [VPC_ENDPOINT_SERVICE, PUBLIC_ENDPOINT]"})
	}
	probs = cUriEndpoint.check(probs, "xksProxyUriEndpoint", in.XksProxyUriEndpoint)
	probs = cUriPath.check(probs, "xksProxyUriPath", in.XksProxyUriPath)
	probs = cVpcServiceName.check(probs, "xksProxyVpcEndpointServiceName", in.XksProxyVpcEndpointServiceName)
	probs = cVpcServiceOwner.check(probs, "xksProxyVpcEndpointServiceOwner", in.XksProxyVpcEndpointServiceOwner)
	if err := validationError(probs); err != nil {
		return in, err
	}
	return in, checkCreateMembers(in)
}

// decodeCredential decodes XksProxyAuthenticationCredential from obj.
func decodeCredential(obj map[string]json.RawMessage, probs []problem) (*credentialInput, []problem) {
	const name = "XksProxyAuthenticationCredential"
	raw, ok := obj[name]
	if !ok || isNull(raw) {
		return nil, probs
	}
	var cred map[string]json.RawMessage
	if json.Unmarshal(raw, &cred) != nil || cred == nil {
		return nil, append(probs, problem{path: lowerFirst(name), rule: "Member must be a structure"})
	}
	c := &credentialInput{}
	for _, m := range []struct {
		name string
		dst  **string
	}{{"AccessKeyId", &c.AccessKeyId}, {"RawSecretAccessKey", &c.RawSecretAccessKey}} {
		s, p := stringMember(cred, m.name, lowerFirst(name)+"."+lowerFirst(m.name))
		if p != nil {
			probs = append(probs, *p)
		}
		*m.dst = s
	}
	return c, probs
}

// checkCredential appends the model problems of a decoded credential.
func checkCredential(probs []problem, c *credentialInput) []problem {
	if c == nil {
		return probs
	}
	const base = "xksProxyAuthenticationCredential."
	if c.AccessKeyId == nil && !hasPath(probs, base+"accessKeyId") {
		probs = append(probs, problem{path: base + "accessKeyId", rule: "Member must not be null"})
	}
	probs = cAccessKeyId.check(probs, base+"accessKeyId", c.AccessKeyId)
	if c.RawSecretAccessKey == nil && !hasPath(probs, base+"rawSecretAccessKey") {
		probs = append(probs, problem{path: base + "rawSecretAccessKey", rule: "Member must not be null"})
	}
	return cRawSecretKey.check(probs, base+"rawSecretAccessKey", c.RawSecretAccessKey)
}

// storeType returns the type the request creates (AWS_CLOUDHSM by default).
func (in createInput) storeType() StoreType {
	if in.CustomKeyStoreType == nil {
		return TypeCloudHSM
	}
	return StoreType(*in.CustomKeyStoreType)
}

// checkCreateMembers checks that the request has the members its store
// type needs and none of the other type's: ValidationException, or
// XksProxyInvalidConfigurationException for a VPC endpoint service on a
// PUBLIC_ENDPOINT store.
func checkCreateMembers(in createInput) *apiError {
	t := in.storeType()
	cloud := []member{
		{"CloudHsmClusterId", in.CloudHsmClusterId != nil},
		{"KeyStorePassword", in.KeyStorePassword != nil},
		{"TrustAnchorCertificate", in.TrustAnchorCertificate != nil},
	}
	xks := []member{
		{"XksProxyAuthenticationCredential", in.XksProxyAuthenticationCredential != nil},
		{"XksProxyConnectivity", in.XksProxyConnectivity != nil},
		{"XksProxyUriEndpoint", in.XksProxyUriEndpoint != nil},
		{"XksProxyUriPath", in.XksProxyUriPath != nil},
	}
	own, other := cloud, append(xks,
		member{"XksProxyVpcEndpointServiceName", in.XksProxyVpcEndpointServiceName != nil},
		member{"XksProxyVpcEndpointServiceOwner", in.XksProxyVpcEndpointServiceOwner != nil})
	if t == TypeExternal {
		own, other = xks, cloud
		if in.XksProxyConnectivity != nil && Connectivity(*in.XksProxyConnectivity) == ConnectivityVpcEndpointService {
			own = append(own, member{"XksProxyVpcEndpointServiceName", in.XksProxyVpcEndpointServiceName != nil})
		}
	}
	if err := rejectMembers(t, other); err != nil {
		return err
	}
	var missing []string
	for _, m := range own {
		if !m.present {
			missing = append(missing, m.name)
		}
	}
	if len(missing) > 0 {
		return newError(CodeValidation, fmt.Sprintf(
			"A custom key store whose CustomKeyStoreType is %s needs %s.", t, strings.Join(missing, ", ")))
	}
	if t == TypeExternal && Connectivity(*in.XksProxyConnectivity) == ConnectivityPublicEndpoint {
		if in.XksProxyVpcEndpointServiceName != nil || in.XksProxyVpcEndpointServiceOwner != nil {
			return newError(CodeXksProxyInvalidConfiguration,
				"XksProxyVpcEndpointServiceName and XksProxyVpcEndpointServiceOwner are valid only with an XksProxyConnectivity of VPC_ENDPOINT_SERVICE.")
		}
	}
	return nil
}

// serveCreate runs CreateCustomKeyStore.
func serveCreate(f *Fake, _ context.Context, body []byte) ([]byte, *apiError) {
	in, err := decodeCreate(body)
	if err != nil {
		return nil, err
	}
	id, err := f.create(in)
	if err != nil {
		return nil, err
	}
	b, _ := json.Marshal(struct{ CustomKeyStoreId string }{id})
	return b, nil
}

// create adds the store in describes, DISCONNECTED, and returns its ID.
// in has passed decodeCreate.
func (f *Fake) create(in createInput) (string, *apiError) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.settleLocked()

	name := *in.CustomKeyStoreName
	if other := storeNamed(f.stores, name); other != nil {
		return "", newError(CodeCustomKeyStoreNameInUse, fmt.Sprintf(
			"The custom key store name %q is already used by another custom key store in this account and Region.", name))
	}
	if f.limit > 0 && len(f.stores) >= f.limit {
		return "", newError(CodeLimitExceeded, fmt.Sprintf(
			"This account and Region already have %d custom key stores, the most allowed.", len(f.stores)))
	}
	st := Store{
		CustomKeyStoreId:   f.newStoreIDLocked(),
		CustomKeyStoreName: name,
		CustomKeyStoreType: in.storeType(),
		ConnectionState:    StateDisconnected,
		CreationDate:       f.now().Round(0),
	}
	if st.CustomKeyStoreType == TypeCloudHSM {
		if err := f.checkNewCluster(*in.CloudHsmClusterId, *in.TrustAnchorCertificate); err != nil {
			return "", err
		}
		st.CloudHsmClusterId = *in.CloudHsmClusterId
		st.TrustAnchorCertificate = *in.TrustAnchorCertificate
		st.KeyStorePassword = *in.KeyStorePassword
	} else {
		x := XksProxyConfiguration{
			AccessKeyId:        *in.XksProxyAuthenticationCredential.AccessKeyId,
			RawSecretAccessKey: *in.XksProxyAuthenticationCredential.RawSecretAccessKey,
			Connectivity:       Connectivity(*in.XksProxyConnectivity),
			UriEndpoint:        *in.XksProxyUriEndpoint,
			UriPath:            *in.XksProxyUriPath,
		}
		if x.Connectivity == ConnectivityVpcEndpointService {
			x.VpcEndpointServiceName = *in.XksProxyVpcEndpointServiceName
			if in.XksProxyVpcEndpointServiceOwner != nil {
				x.VpcEndpointServiceOwner = *in.XksProxyVpcEndpointServiceOwner
			}
		}
		if err := f.checkNewProxy(x); err != nil {
			return "", err
		}
		st.XksProxyConfiguration = x
	}
	f.stores[st.CustomKeyStoreId] = &st
	return st.CustomKeyStoreId, nil
}

// checkNewCluster checks that a new CloudHSM store can use cluster id with
// the trust anchor certificate: it exists, no CloudHSM store uses it or a
// cluster sharing its backup history, it is active, the certificate is its
// trust anchor, and it has the configuration and two HSMs a store needs.
func (f *Fake) checkNewCluster(id, trustAnchor string) *apiError {
	c, ok := f.clusters[id]
	if !ok {
		return newError(CodeCloudHsmClusterNotFound, fmt.Sprintf("CloudHSM cluster %s does not exist.", id))
	}
	for _, o := range f.stores {
		if o.CustomKeyStoreType != TypeCloudHSM {
			continue
		}
		oc, ok := f.clusters[o.CloudHsmClusterId]
		if !ok {
			oc = Cluster{ClusterId: o.CloudHsmClusterId}
		}
		if oc.lineage() == c.lineage() {
			return newError(CodeCloudHsmClusterInUse, fmt.Sprintf(
				"CloudHSM cluster %s, or a cluster that shares its backup history, is already associated with custom key store %s.",
				id, o.CustomKeyStoreId))
		}
	}
	if !c.active() {
		return newError(CodeCloudHsmClusterNotActive, fmt.Sprintf("CloudHSM cluster %s is %s, not ACTIVE.", id, c.State))
	}
	if c.TrustAnchorCertificate != "" && c.TrustAnchorCertificate != trustAnchor {
		return newError(CodeIncorrectTrustAnchor, fmt.Sprintf(
			"The trust anchor certificate is not the trust anchor certificate of CloudHSM cluster %s.", id))
	}
	if c.InvalidConfiguration || c.hsms() < 2 {
		return newError(CodeCloudHsmClusterInvalidConfiguration, fmt.Sprintf(
			"CloudHSM cluster %s does not fulfill the requirements for a custom key store (it has %d active HSMs; at least two are needed, in different Availability Zones).",
			id, c.hsms()))
	}
	return nil
}

// checkNewProxy checks a new external store's proxy configuration: its URI
// is unused, its VPC endpoint service (if any) is found, unused and
// configured right, and a PUBLIC_ENDPOINT proxy answers KMS's test.
func (f *Fake) checkNewProxy(x XksProxyConfiguration) *apiError {
	if err := f.checkURIUnique("", x); err != nil {
		return err
	}
	if x.Connectivity == ConnectivityPublicEndpoint {
		for _, o := range f.stores {
			ox := o.XksProxyConfiguration
			if o.CustomKeyStoreType == TypeExternal && ox.Connectivity == ConnectivityVpcEndpointService && ox.UriEndpoint == x.UriEndpoint {
				return newError(CodeXksProxyUriEndpointInUse, fmt.Sprintf(
					"XksProxyUriEndpoint %s is the private DNS name of external key store %s, which uses VPC_ENDPOINT_SERVICE connectivity.",
					x.UriEndpoint, o.CustomKeyStoreId))
			}
		}
		return f.tryProxy(x, kmsOpCreate)
	}
	return f.checkVpcService("", x)
}

// newStoreIDLocked returns an unused ID of KMS's shape: "cks-" and 17
// hexadecimal digits.
func (f *Fake) newStoreIDLocked() string {
	for {
		var b [9]byte
		_, _ = rand.Read(b[:])
		id := "cks-" + hex.EncodeToString(b[:])[:17]
		if _, ok := f.stores[id]; !ok {
			return id
		}
	}
}
