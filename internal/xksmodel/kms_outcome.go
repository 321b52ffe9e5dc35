package xksmodel

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net"
	"time"

	"github.com/kmskit/kms/internal/kmsmodel"
)

// KMS's answer to a proxy failure during CreateCustomKeyStore,
// UpdateCustomKeyStore (an exception) and ConnectCustomKeyStore (a FAILED
// store's ConnectionErrorCode), from the specification's table of KMS
// exceptions and the KMS API reference's ConnectionErrorCode meanings.
// Package safeupdate predicts with it (preflight); kmstest answers with it
// when it calls a routed fake proxy.

// Failure is how a GetHealthStatus call from KMS to a proxy went wrong.
type Failure uint8

// The failures the table distinguishes.
const (
	// FailureErrorName: the proxy answered with an error name (see
	// OutcomeForErrorName).
	FailureErrorName Failure = iota + 1
	// FailureTCP: no TCP connection (refused, no route, unknown host).
	FailureTCP
	// FailureTLS: no TLS connection (handshake, certificate, host name).
	FailureTLS
	// FailureTimeout: no answer within KMS's budget (socket timeout).
	FailureTimeout
	// FailureMalformed: an answer KMS cannot interpret (not JSON, missing
	// members, an HTTP error without the error body).
	FailureMalformed
	// FailureAllUnavailable: a healthy answer whose every external key
	// manager is UNAVAILABLE.
	FailureAllUnavailable
)

// KMSLatencyBudget is how long KMS waits for any proxy answer.
const KMSLatencyBudget = 250 * time.Millisecond

// KMSOutcome is what KMS answers for one failure.
type KMSOutcome struct {
	// Exception is the code CreateCustomKeyStore and UpdateCustomKeyStore
	// answer with.
	Exception string
	// ConnectionErrorCode is what a ConnectCustomKeyStore ends FAILED with.
	ConnectionErrorCode string
	// Message is the table's KMS exception message (the scenario, for
	// people).
	Message string
}

// uninterpretable is KMS's answer to a proxy answer it cannot interpret.
var uninterpretable = KMSOutcome{kmsmodel.CodeXksProxyInvalidResponse, kmsmodel.ConnectionErrorXksProxyInvalidResponse,
	"AWS KMS cannot interpret the response from the external key store proxy. If you see this error repeatedly, report it to your external key store proxy administrator."}

// OutcomeForErrorName returns KMS's answer to a proxy error name. Names the
// table gives no Create/Update exception for (they are not GetHealthStatus
// answers) and unknown names are answers KMS cannot interpret.
func OutcomeForErrorName(name string) KMSOutcome {
	switch name {
	case AuthenticationFailedException:
		return KMSOutcome{kmsmodel.CodeXksProxyIncorrectAuthenticationCredential, kmsmodel.ConnectionErrorInvalidCredentials,
			"The external key store proxy rejected the request because it could not authenticate AWS KMS. Verify the XKS proxy authentication credentials for your external key store and update if necessary."}
	case InvalidUriPathException:
		return KMSOutcome{kmsmodel.CodeXksProxyInvalidConfiguration, kmsmodel.ConnectionErrorXksProxyInvalidConfiguration,
			"The external key store proxy rejected the request because of an invalid URI path. Verify the URI path for your external key store and update if necessary."}
	case ThrottlingException:
		return KMSOutcome{kmsmodel.CodeXksProxyUriUnreachable, kmsmodel.ConnectionErrorXksProxyNotReachable,
			"The external key store proxy rejected the request due to a very high request rate. Reduce the frequency of your calls using KMS keys in this external key store."}
	case DependencyTimeoutException:
		return KMSOutcome{kmsmodel.CodeXksProxyUriUnreachable, kmsmodel.ConnectionErrorXksProxyTimedOut,
			"The external key store proxy did not respond to the request in the time allotted. Retry the request. If you see this error repeatedly, report it to your external key store proxy administrator."}
	case InternalException:
		return KMSOutcome{kmsmodel.CodeXksProxyInvalidResponse, kmsmodel.ConnectionErrorXksProxyInvalidResponse,
			"The external key store proxy rejected the request because it cannot communicate with the external key manager. Verify that the external key store proxy configuration is correct and that the external key manager is available."}
	case AccessDeniedException:
		return KMSOutcome{kmsmodel.CodeXksProxyInvalidResponse, kmsmodel.ConnectionErrorXksProxyAccessDenied,
			"The external key store proxy denied access to the operation. Verify that the user and the external key are both authorized for this operation, and try the request again."}
	}
	return uninterpretable
}

// OutcomeFor returns KMS's answer to a failure other than an error name.
func OutcomeFor(f Failure) KMSOutcome {
	switch f {
	case FailureTCP:
		return KMSOutcome{kmsmodel.CodeXksProxyUriUnreachable, kmsmodel.ConnectionErrorXksProxyNotReachable,
			"AWS KMS cannot communicate with the external key store proxy. This might be a transient network issue. If you see this error repeatedly, verify that your external key store proxy is active and is connected to the network, and that its endpoint URI is correct in your external keystore."}
	case FailureTLS:
		return KMSOutcome{kmsmodel.CodeXksProxyUriUnreachable, kmsmodel.ConnectionErrorXksProxyInvalidTLSConfiguration,
			"AWS KMS cannot establish a TLS connection to the external key store proxy. Verify the TLS configuration, including its certificate."}
	case FailureTimeout:
		return KMSOutcome{kmsmodel.CodeXksProxyUriUnreachable, kmsmodel.ConnectionErrorXksProxyTimedOut,
			"AWS KMS rejected the request because the external key store proxy did not respond in time. Retry the request. If you see this error repeatedly, report it to your external key store proxy administrator."}
	case FailureAllUnavailable:
		return KMSOutcome{kmsmodel.CodeXksProxyUriUnreachable, kmsmodel.ConnectionErrorXksProxyNotReachable,
			"The external key store proxy reports that all external key manager instances are unavailable."}
	}
	return uninterpretable
}

// TransportFailure classifies an error of sending a request to a proxy
// (not an answer): FailureTLS for a handshake or certificate failure,
// FailureTimeout for a deadline or timeout, else FailureTCP.
func TransportFailure(err error) Failure {
	var hostErr x509.HostnameError
	var authErr x509.UnknownAuthorityError
	var invalid x509.CertificateInvalidError
	var certErr *tls.CertificateVerificationError
	var recErr tls.RecordHeaderError
	var alert tls.AlertError
	var netErr net.Error
	switch {
	case errors.As(err, &hostErr), errors.As(err, &authErr), errors.As(err, &invalid),
		errors.As(err, &certErr), errors.As(err, &recErr), errors.As(err, &alert):
		return FailureTLS
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &netErr) && netErr.Timeout():
		return FailureTimeout
	}
	return FailureTCP
}
