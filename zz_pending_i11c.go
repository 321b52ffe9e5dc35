package kms

// TEMPORARY (branch i12plan): the issue-11 names that plan.go uses, until
// branch i11c is merged. Deleted by the merge of i11c.

import (
	"context"
	"errors"
	"time"
)

type CustomKeyStoreType string

const (
	CustomKeyStoreTypeAwsCloudhsm      CustomKeyStoreType = "AWS_CLOUDHSM"
	CustomKeyStoreTypeExternalKeyStore CustomKeyStoreType = "EXTERNAL_KEY_STORE"
)

type ConnectionStateType string

const (
	ConnectionStateTypeConnected     ConnectionStateType = "CONNECTED"
	ConnectionStateTypeConnecting    ConnectionStateType = "CONNECTING"
	ConnectionStateTypeFailed        ConnectionStateType = "FAILED"
	ConnectionStateTypeDisconnected  ConnectionStateType = "DISCONNECTED"
	ConnectionStateTypeDisconnecting ConnectionStateType = "DISCONNECTING"
)

type ConnectionErrorCodeType string

const ConnectionErrorCodeTypeInvalidCredentials ConnectionErrorCodeType = "INVALID_CREDENTIALS"

type CustomKeyStoresListEntry struct {
	CloudHsmClusterId      *string
	ConnectionErrorCode    ConnectionErrorCodeType
	ConnectionState        ConnectionStateType
	CreationDate           *time.Time
	CustomKeyStoreId       *string
	CustomKeyStoreName     *string
	CustomKeyStoreType     CustomKeyStoreType
	TrustAnchorCertificate *string
	XksProxyConfiguration  *XksProxyConfigurationType
}

type XksProxyConfigurationType struct {
	AccessKeyId             *string
	Connectivity            XksProxyConnectivityType
	UriEndpoint             *string
	UriPath                 *string
	VpcEndpointServiceName  *string
	VpcEndpointServiceOwner *string
}

type DescribeCustomKeyStoresInput struct {
	CustomKeyStoreId   *string
	CustomKeyStoreName *string
	Limit              *int32
	Marker             *string
}

type DescribeCustomKeyStoresOutput struct {
	CustomKeyStores []CustomKeyStoresListEntry
	NextMarker      *string
	Truncated       bool
}

var errPending = errors.New("kms: not merged yet")

func (c *Client) DescribeCustomKeyStores(context.Context, *DescribeCustomKeyStoresInput, ...func(*Options)) (*DescribeCustomKeyStoresOutput, error) {
	return nil, errPending
}

type ConnectCustomKeyStoreInput struct{ CustomKeyStoreId *string }
type ConnectCustomKeyStoreOutput struct{}
type DisconnectCustomKeyStoreInput struct{ CustomKeyStoreId *string }
type DisconnectCustomKeyStoreOutput struct{}

func (c *Client) ConnectCustomKeyStore(context.Context, *ConnectCustomKeyStoreInput, ...func(*Options)) (*ConnectCustomKeyStoreOutput, error) {
	return nil, errPending
}

func (c *Client) DisconnectCustomKeyStore(context.Context, *DisconnectCustomKeyStoreInput, ...func(*Options)) (*DisconnectCustomKeyStoreOutput, error) {
	return nil, errPending
}

type ConnectionFailedError struct {
	CustomKeyStoreId    string
	ConnectionErrorCode ConnectionErrorCodeType
}

func (e *ConnectionFailedError) Error() string { return "kms: connection failed" }

type CustomKeyStoreConnectedWaiterOptions struct {
	MinDelay, MaxDelay time.Duration
	LogWaitAttempts    bool
}
type CustomKeyStoreConnectedWaiter struct{}

func NewCustomKeyStoreConnectedWaiter(*Client, ...func(*CustomKeyStoreConnectedWaiterOptions)) *CustomKeyStoreConnectedWaiter {
	return &CustomKeyStoreConnectedWaiter{}
}

func (w *CustomKeyStoreConnectedWaiter) Wait(context.Context, *DescribeCustomKeyStoresInput, time.Duration, ...func(*CustomKeyStoreConnectedWaiterOptions)) error {
	return errPending
}

type CustomKeyStoreDisconnectedWaiterOptions struct {
	MinDelay, MaxDelay time.Duration
	LogWaitAttempts    bool
}
type CustomKeyStoreDisconnectedWaiter struct{}

func NewCustomKeyStoreDisconnectedWaiter(*Client, ...func(*CustomKeyStoreDisconnectedWaiterOptions)) *CustomKeyStoreDisconnectedWaiter {
	return &CustomKeyStoreDisconnectedWaiter{}
}

func (w *CustomKeyStoreDisconnectedWaiter) Wait(context.Context, *DescribeCustomKeyStoresInput, time.Duration, ...func(*CustomKeyStoreDisconnectedWaiterOptions)) error {
	return errPending
}
