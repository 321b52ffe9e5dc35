package safeupdate

import (
	"context"
	"fmt"

	"github.com/kmskit/kms"
)

// RollbackOutcome is what Apply did to restore a store after a failure.
type RollbackOutcome struct {
	// Input is the update that restored the previous values, or nil when
	// none was needed or none was possible.
	Input *kms.UpdateCustomKeyStoreInput
	// Restored names the members set back to their previous values.
	Restored []string
	// NotRestored names the changed members whose previous values are
	// unknown (a KeyStorePassword or credential the caller did not supply,
	// or a credential whose AccessKeyId is not the one the store held).
	NotRestored []string
	// Reconnected: the store is CONNECTED again.
	Reconnected bool
	// Err is why the rollback did not complete, or nil.
	Err error
}

// restore brings the store back after a failure: settles it DISCONNECTED
// when it must be, sends rb (when not nil), and reconnects when asked.
func (r *applyRun) restore(ctx context.Context, rb *kms.UpdateCustomKeyStoreInput, reconnect bool) error {
	entry, err := describeStore(ctx, r.api, r.id)
	if err != nil {
		return err
	}
	var steps []Step
	settle := []Step{
		{Action: StepDisconnect, Reason: "rollback: settle the store DISCONNECTED"},
		{Action: StepWaitDisconnected, Reason: "rollback: wait until DISCONNECTED"},
	}
	switch entry.ConnectionState {
	case kms.ConnectionStateTypeFailed, kms.ConnectionStateTypeConnecting:
		steps = append(steps, settle...)
	case kms.ConnectionStateTypeDisconnecting:
		steps = append(steps, settle[1])
	case kms.ConnectionStateTypeConnected:
		if rb.RequiresDisconnect() {
			steps = append(steps, settle...)
		} else if rb == nil {
			reconnect = false // already there
		}
	}
	if rb != nil {
		steps = append(steps, Step{Action: StepUpdate, Input: rb, Reason: "rollback: restore the previous values"})
	}
	if reconnect {
		steps = append(steps,
			Step{Action: StepConnect, Reason: "rollback: reconnect"},
			Step{Action: StepWaitConnected, Reason: "rollback: wait until CONNECTED"})
	}
	for _, st := range steps {
		if err := r.step(ctx, st, true); err != nil {
			return fmt.Errorf("%s: %w", st.Action, err)
		}
	}
	return nil
}

// rollbackInput returns the update that sets the members in changed back
// to their values in s, with the names of those restored and of those whose
// previous values are unknown. prevPassword and prevCred are the previous
// secrets when the caller supplied them. It returns nil when nothing can be
// restored.
func rollbackInput(s storeSnapshot, in *kms.UpdateCustomKeyStoreInput, prevPassword *string, prevCred *kms.XksProxyAuthenticationCredentialType) (rb *kms.UpdateCustomKeyStoreInput, restored, notRestored []string) {
	id := s.id
	rb = &kms.UpdateCustomKeyStoreInput{CustomKeyStoreId: &id}
	val := func(v string) *string { return &v }
	if in.NewCustomKeyStoreName != nil && *in.NewCustomKeyStoreName != s.name {
		rb.NewCustomKeyStoreName = val(s.name)
		restored = append(restored, fieldNewCustomKeyStoreName)
	}
	if in.CloudHsmClusterId != nil && *in.CloudHsmClusterId != s.cluster {
		rb.CloudHsmClusterId = val(s.cluster)
		restored = append(restored, fieldCloudHsmClusterID)
	}
	if in.KeyStorePassword != nil {
		if prevPassword != nil {
			rb.KeyStorePassword = val(*prevPassword)
			restored = append(restored, fieldKeyStorePassword)
		} else {
			notRestored = append(notRestored, fieldKeyStorePassword)
		}
	}
	if in.XksProxyAuthenticationCredential != nil {
		// Only the credential the store held: one whose AccessKeyId differs
		// from Describe's was never KMS's, and "restoring" it would lock the
		// store out of its proxy.
		if prevCred != nil && prevCred.AccessKeyId != nil && prevCred.RawSecretAccessKey != nil && *prevCred.AccessKeyId == s.accessKeyID {
			rb.XksProxyAuthenticationCredential = &kms.XksProxyAuthenticationCredentialType{
				AccessKeyId: val(*prevCred.AccessKeyId), RawSecretAccessKey: val(*prevCred.RawSecretAccessKey)}
			restored = append(restored, fieldXksCredential)
		} else {
			notRestored = append(notRestored, fieldXksCredential)
		}
	}
	switch {
	case in.XksProxyConnectivity != "" && in.XksProxyConnectivity != s.connectivity:
		// Switching back needs the endpoint and, for a VPC store, the
		// service; for a public store the service name is cleared.
		rb.XksProxyConnectivity = s.connectivity
		rb.XksProxyUriEndpoint = val(s.endpoint)
		restored = append(restored, fieldXksConnectivity, fieldXksURIEndpoint)
		if s.connectivity == kms.XksProxyConnectivityTypeVpcEndpointService {
			rb.XksProxyVpcEndpointServiceName = val(s.vpcName)
			restored = append(restored, fieldXksVpcServiceName)
			if s.vpcOwner != "" {
				rb.XksProxyVpcEndpointServiceOwner = val(s.vpcOwner)
				restored = append(restored, fieldXksVpcServiceOwner)
			}
		}
	default:
		if in.XksProxyUriEndpoint != nil && *in.XksProxyUriEndpoint != s.endpoint {
			rb.XksProxyUriEndpoint = val(s.endpoint)
			restored = append(restored, fieldXksURIEndpoint)
		}
		if in.XksProxyVpcEndpointServiceName != nil && *in.XksProxyVpcEndpointServiceName != s.vpcName {
			rb.XksProxyVpcEndpointServiceName = val(s.vpcName)
			restored = append(restored, fieldXksVpcServiceName)
		}
		if in.XksProxyVpcEndpointServiceOwner != nil && *in.XksProxyVpcEndpointServiceOwner != s.vpcOwner {
			if s.vpcOwner != "" {
				rb.XksProxyVpcEndpointServiceOwner = val(s.vpcOwner)
				restored = append(restored, fieldXksVpcServiceOwner)
			} else {
				notRestored = append(notRestored, fieldXksVpcServiceOwner)
			}
		}
	}
	if in.XksProxyUriPath != nil && *in.XksProxyUriPath != s.path {
		rb.XksProxyUriPath = val(s.path)
		restored = append(restored, fieldXksURIPath)
	}
	if len(restored) == 0 {
		return nil, nil, notRestored
	}
	return rb, restored, notRestored
}
