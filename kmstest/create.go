package kmstest

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"strings"

	"github.com/kmskit/kms/internal/kmsmodel"
)

// createInput is a decoded CreateCustomKeyStore request: every member by
// (dotted) name, nil when absent.
type createInput struct {
	members map[string]*string
}

// value returns the member called name, nil when absent.
func (in createInput) value(name string) *string { return in.members[name] }

// str returns the member called name, "" when absent.
func (in createInput) str(name string) string {
	if v := in.members[name]; v != nil {
		return *v
	}
	return ""
}

// decodeCreate decodes and validates a CreateCustomKeyStore body against
// the model and the documented members of each store type.
func decodeCreate(body []byte) (createInput, *apiError) {
	obj, err := decodeObject(body)
	if err != nil {
		return createInput{}, err
	}
	shape := kmsmodel.CreateCustomKeyStoreInput
	vals, probs := decodeMembers(obj, shape, "", map[string]*string{}, nil)
	in := createInput{members: vals}
	probs = validateShape(shape, "", in.value, probs, func(*kmsmodel.Member) bool { return false })
	if err := validationError(probs); err != nil {
		return in, err
	}
	return in, checkCreateMembers(in)
}

// storeType returns the type the request creates (AWS_CLOUDHSM by default).
func (in createInput) storeType() StoreType {
	if v := in.value("CustomKeyStoreType"); v != nil {
		return StoreType(*v)
	}
	return TypeCloudHSM
}

// checkCreateMembers checks that the request has the members the model
// documents as required for its store type (and connectivity) and none of
// the other type's: ValidationException, or
// XksProxyInvalidConfigurationException for a VPC endpoint service on a
// PUBLIC_ENDPOINT store.
func checkCreateMembers(in createInput) *apiError {
	t := in.storeType()
	st := kmsmodel.StoreTypeOf(string(t))
	conn := in.str("XksProxyConnectivity")
	var wrong, missing []string
	for i := range kmsmodel.CreateCustomKeyStoreInput.Members {
		m := &kmsmodel.CreateCustomKeyStoreInput.Members[i]
		sent := in.value(m.Name) != nil
		if sent && !m.Stores.Has(st) {
			wrong = append(wrong, m.Name)
		}
		need := m.RequiredFor != 0 && m.RequiredFor.Has(st) ||
			m.RequiredWhenConnectivity != "" && m.Stores.Has(st) && m.RequiredWhenConnectivity == conn
		if need && !sent {
			missing = append(missing, m.Name)
		}
	}
	if len(wrong) > 0 {
		return newError(CodeValidation, fmt.Sprintf(
			"%s cannot be used with a custom key store whose CustomKeyStoreType is %s.", strings.Join(wrong, ", "), t))
	}
	if len(missing) > 0 {
		return newError(CodeValidation, fmt.Sprintf(
			"A custom key store whose CustomKeyStoreType is %s needs %s.", t, strings.Join(missing, ", ")))
	}
	if t == TypeExternal && conn == kmsmodel.XksProxyConnectivityPublicEndpoint &&
		(in.value("XksProxyVpcEndpointServiceName") != nil || in.value("XksProxyVpcEndpointServiceOwner") != nil) {
		return newError(CodeXksProxyInvalidConfiguration,
			"XksProxyVpcEndpointServiceName and XksProxyVpcEndpointServiceOwner are valid only with an XksProxyConnectivity of VPC_ENDPOINT_SERVICE.")
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

	name := in.str("CustomKeyStoreName")
	if err := refused(kmsmodel.NameInUse("", name, f.snapshotsLocked())); err != nil {
		return "", err
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
		if err := f.checkNewCluster(in.str("CloudHsmClusterId"), in.str("TrustAnchorCertificate")); err != nil {
			return "", err
		}
		st.CloudHsmClusterId = in.str("CloudHsmClusterId")
		st.TrustAnchorCertificate = in.str("TrustAnchorCertificate")
		st.KeyStorePassword = in.str("KeyStorePassword")
	} else {
		x := XksProxyConfiguration{
			AccessKeyId:        in.str("XksProxyAuthenticationCredential.AccessKeyId"),
			RawSecretAccessKey: in.str("XksProxyAuthenticationCredential.RawSecretAccessKey"),
			Connectivity:       Connectivity(in.str("XksProxyConnectivity")),
			UriEndpoint:        in.str("XksProxyUriEndpoint"),
			UriPath:            in.str("XksProxyUriPath"),
		}
		if x.Connectivity == ConnectivityVpcEndpointService {
			x.VpcEndpointServiceName = in.str("XksProxyVpcEndpointServiceName")
			x.VpcEndpointServiceOwner = in.str("XksProxyVpcEndpointServiceOwner")
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
		return newError(CodeCloudHsmClusterNotFound, fmt.Sprintf("CloudHSM cluster %s does not exist.", echo(id)))
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
				echo(id), o.CustomKeyStoreId))
		}
	}
	if !c.active() {
		return newError(CodeCloudHsmClusterNotActive, fmt.Sprintf("CloudHSM cluster %s is %s, not ACTIVE.", echo(id), c.State))
	}
	if c.TrustAnchorCertificate != "" && !sameCertificate(c.TrustAnchorCertificate, trustAnchor) {
		return newError(CodeIncorrectTrustAnchor, fmt.Sprintf(
			"The trust anchor certificate is not the trust anchor certificate of CloudHSM cluster %s.", echo(id)))
	}
	if c.InvalidConfiguration || c.hsms() < kmsmodel.MinHsmsToCreate {
		return newError(CodeCloudHsmClusterInvalidConfiguration, fmt.Sprintf(
			"CloudHSM cluster %s does not fulfill the requirements for a custom key store (it has %d active HSMs; at least %d are needed, in different Availability Zones).",
			echo(id), c.hsms(), kmsmodel.MinHsmsToCreate))
	}
	return nil
}

// sameCertificate reports whether two trust anchor certificates are the
// same: the same PEM certificate, whatever white space surrounds it (a PEM
// file ends with a newline, which aws kms create-custom-key-store
// --trust-anchor-certificate file://customerCA.crt sends) and however its
// lines end. Text that is not one PEM block is compared without the white
// space around it.
func sameCertificate(a, b string) bool { return certificateContent(a) == certificateContent(b) }

// certificateContent is what sameCertificate compares of s.
func certificateContent(s string) string {
	if blk, rest := pem.Decode([]byte(s)); blk != nil && len(bytes.TrimSpace(rest)) == 0 {
		return blk.Type + "\x00" + string(blk.Bytes)
	}
	return strings.TrimSpace(strings.ReplaceAll(s, "\r\n", "\n"))
}

// checkNewProxy checks a new external store's proxy configuration: its URI
// is unused, its VPC endpoint service (if any) is found, unused and
// configured right, and a PUBLIC_ENDPOINT proxy answers KMS's test.
func (f *Fake) checkNewProxy(x XksProxyConfiguration) *apiError {
	others := f.snapshotsLocked()
	next := storeSnapshot(&Store{XksProxyConfiguration: x}).Proxy
	if err := refused(kmsmodel.UriInUse("", next, others)); err != nil {
		return err
	}
	if x.Connectivity == ConnectivityVpcEndpointService {
		if err := refused(kmsmodel.UriEndpointInUse("", next, others)); err != nil {
			return err
		}
		if err := refused(kmsmodel.VpcServiceInUse("", x.VpcEndpointServiceName, others)); err != nil {
			return err
		}
		return f.checkVpcService(x)
	}
	if err := refused(kmsmodel.PrivateDNSNameInUse("", next, others)); err != nil {
		return err
	}
	return f.tryProxy(x, kmsOpCreate)
}

// newStoreIDLocked returns an unused ID of KMS's shape: "cks-" and 17
// hexadecimal digits.
func (f *Fake) newStoreIDLocked() string {
	for {
		var b [(kmsmodel.CustomKeyStoreIdHexDigits + 1) / 2]byte
		_, _ = rand.Read(b[:])
		id := kmsmodel.CustomKeyStoreIdPrefix + hex.EncodeToString(b[:])[:kmsmodel.CustomKeyStoreIdHexDigits]
		if _, ok := f.stores[id]; !ok {
			return id
		}
	}
}
