// Package awsjson sends awsJson1.1 requests: it builds the HTTP request,
// signs it with SigV4, sends it with retries, and decodes the error envelope
// of a failed response. It knows nothing of any one operation.
package awsjson
