package kmstest

import "github.com/kmskit/kms/internal/xksmodel"

// seededProxyFailure is how KMS's GetHealthStatus call, with the settings
// x, fails on the proxy p seeded at x's endpoint (found false: none), as
// the XKS proxy API specification's table turns each failure into KMS's
// answer: the answers a routed proxy gives for the same failure (see
// callRoutedProxy). A path the proxy does not serve is the proxy's
// InvalidUriPathException: XksProxyInvalidConfigurationException, or
// XKS_PROXY_INVALID_CONFIGURATION on connect. failed is false when the call
// succeeds. p.ConnectionErrorCode, which only connect reads, is not
// considered.
func seededProxyFailure(p XksProxy, found bool, x XksProxyConfiguration) (out xksmodel.KMSOutcome, failed bool) {
	switch {
	case !found || p.Unreachable:
		return xksmodel.OutcomeFor(xksmodel.FailureTCP), true
	case p.UriPath != "" && p.UriPath != x.UriPath:
		return xksmodel.OutcomeForErrorName(xksmodel.InvalidUriPathException), true
	case !p.accepts(x.AccessKeyId, x.RawSecretAccessKey):
		return xksmodel.OutcomeForErrorName(xksmodel.AuthenticationFailedException), true
	case p.InvalidResponse:
		return xksmodel.OutcomeFor(xksmodel.FailureMalformed), true
	}
	return xksmodel.KMSOutcome{}, false
}

// outcomeError is the exception of Create or Update for out.
func outcomeError(out xksmodel.KMSOutcome) *apiError { return newError(out.Exception, out.Message) }
