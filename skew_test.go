package kms_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kmskit/kms"
	"github.com/kmskit/kms/internal/sigv4check"
)

// skewedServer accepts only requests whose X-Amz-Date is within 5 minutes of
// its own clock, which runs ahead of the local one by ahead. Others get a
// 400 with code and, unless noDate, a Date header of its clock.
type skewedServer struct {
	ahead    time.Duration
	code     string
	noDate   bool
	date     string // a fixed Date header instead of the server's clock
	age      bool   // send an Age header, as a cache would
	attempts atomic.Int32
	accepted atomic.Int32
}

func (s *skewedServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.attempts.Add(1)
	body, _ := io.ReadAll(r.Body)
	if _, err := sigv4check.Verify(r, body, testCreds); err != nil {
		w.WriteHeader(http.StatusForbidden)
		_, _ = fmt.Fprintf(w, `{"__type":"IncompleteSignatureException","message":%q}`, err.Error())
		return
	}
	now := time.Now().Add(s.ahead)
	signed, err := time.Parse("20060102T150405Z", r.Header.Get("X-Amz-Date"))
	if err != nil || now.Sub(signed).Abs() > 5*time.Minute {
		if !s.noDate {
			w.Header().Set("Date", now.UTC().Format(http.TimeFormat))
		}
		if s.age {
			w.Header().Set("Age", "3")
		}
		w.WriteHeader(http.StatusBadRequest)
		_, _ = fmt.Fprintf(w, `{"__type":%q,"message":"Signature expired"}`, s.code)
		return
	}
	s.accepted.Add(1)
	_, _ = io.WriteString(w, "{}")
}

func newSkewClient(t *testing.T, srv *httptest.Server, optFns ...func(*kms.Options)) *kms.Client {
	t.Helper()
	return kms.New(kms.Options{
		Region:       "us-east-1",
		Credentials:  staticCreds(),
		BaseEndpoint: aws.String(srv.URL),
		HTTPClient:   srv.Client(),
		Retryer:      fastRetryer(3),
	}, optFns...)
}

func TestClockSkewIsCorrected(t *testing.T) {
	tests := []struct {
		code  string
		ahead time.Duration
	}{
		{"InvalidSignatureException", time.Hour},
		{"InvalidSignatureException", -time.Hour},
		{"RequestExpired", 10 * time.Minute},
		{"RequestTimeTooSkewed", -6 * time.Minute},
		{"SignatureDoesNotMatch", 23 * time.Hour},
		{"AuthFailure", time.Hour},
	}
	in := &kms.UpdateCustomKeyStoreInput{CustomKeyStoreId: aws.String("cks-1")}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s/%v", tt.code, tt.ahead), func(t *testing.T) {
			s := &skewedServer{ahead: tt.ahead, code: tt.code}
			srv := httptest.NewServer(s)
			defer srv.Close()
			c := newSkewClient(t, srv)

			_, err := c.UpdateCustomKeyStore(context.Background(), in)
			require.NoError(t, err)
			assert.EqualValues(t, 2, s.attempts.Load(), "rejected once, then accepted re-signed")

			_, err = c.UpdateCustomKeyStore(context.Background(), in)
			require.NoError(t, err)
			assert.EqualValues(t, 3, s.attempts.Load(), "the next call uses the learned offset at once")

			// A per-call option builds another sender; it keeps the offset.
			_, err = c.UpdateCustomKeyStore(context.Background(), in, func(o *kms.Options) { o.RetryMaxAttempts = 1 })
			require.NoError(t, err)
			assert.EqualValues(t, 4, s.attempts.Load())

			// The offset belongs to the client: a new one starts over.
			other := newSkewClient(t, srv)
			_, err = other.UpdateCustomKeyStore(context.Background(), in)
			require.NoError(t, err)
			assert.EqualValues(t, 6, s.attempts.Load())
			assert.EqualValues(t, 4, s.accepted.Load())
		})
	}
}

func TestClockSkewNotCorrected(t *testing.T) {
	tests := []struct {
		name         string
		server       *skewedServer
		maxAttempts  int
		wantAttempts int32
	}{
		{"no Date header", &skewedServer{ahead: time.Hour, code: "InvalidSignatureException", noDate: true}, 3, 1},
		{"cached response", &skewedServer{ahead: time.Hour, code: "InvalidSignatureException", age: true}, 3, 1},
		{"not a skew code", &skewedServer{ahead: time.Hour, code: "CustomKeyStoreNotFoundException"}, 3, 1},
		{"Date agrees", &skewedServer{ahead: 0, code: "InvalidSignatureException"}, 3, 1},
		{"Date within the threshold", &skewedServer{ahead: 3 * time.Minute, code: "RequestTimeTooSkewed"}, 3, 1},
		// A correction is bounded: a Date more than a day off is ignored, and
		// only a clock skew code counts (AccessDeniedException used to).
		{"Date more than a day ahead", &skewedServer{ahead: 25 * time.Hour, code: "InvalidSignatureException"}, 3, 1},
		{"Date more than a day behind", &skewedServer{ahead: -25 * time.Hour, code: "SignatureDoesNotMatch"}, 3, 1},
		{"Date in the year 9999", &skewedServer{date: "Fri, 31 Dec 9999 23:59:59 GMT", code: "InvalidSignatureException"}, 3, 1},
		{"AccessDeniedException is no skew code", &skewedServer{ahead: time.Hour, code: "AccessDeniedException"}, 3, 1},
	}
	in := &kms.UpdateCustomKeyStoreInput{CustomKeyStoreId: aws.String("cks-1")}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(rejectAll(tt.server))
			defer srv.Close()
			c := newSkewClient(t, srv, func(o *kms.Options) { o.Retryer = fastRetryer(tt.maxAttempts) })
			_, err := c.UpdateCustomKeyStore(context.Background(), in)
			require.Error(t, err)
			var apiErr *kms.APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, tt.server.code, apiErr.Code)
			assert.Equal(t, tt.wantAttempts, tt.server.attempts.Load())
		})
	}

	t.Run("one correction per call", func(t *testing.T) {
		// The server's Date jumps by an hour on every answer, so each answer
		// looks skewed; the client corrects once and then gives up, with
		// retries to spare or turned off (the correction is not a retry).
		var n atomic.Int32
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			k := n.Add(1)
			w.Header().Set("Date", time.Now().Add(time.Duration(k)*time.Hour).UTC().Format(http.TimeFormat))
			w.WriteHeader(http.StatusBadRequest)
			_, _ = io.WriteString(w, `{"__type":"InvalidSignatureException"}`)
		}))
		defer srv.Close()
		for _, maxAttempts := range []int{1, 3} {
			n.Store(0)
			c := newSkewClient(t, srv, func(o *kms.Options) { o.RetryMaxAttempts = maxAttempts })
			_, err := c.UpdateCustomKeyStore(context.Background(), in)
			var apiErr *kms.APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, "InvalidSignatureException", apiErr.Code)
			assert.EqualValues(t, 2, n.Load(), "max attempts %d", maxAttempts)
		}
	})
}

// rejectAll answers every request as s does a skewed one.
func rejectAll(s *skewedServer) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.attempts.Add(1)
		switch {
		case s.date != "":
			w.Header().Set("Date", s.date)
		case !s.noDate:
			w.Header().Set("Date", time.Now().Add(s.ahead).UTC().Format(http.TimeFormat))
		}
		if s.age {
			w.Header().Set("Age", "3")
		}
		w.WriteHeader(http.StatusBadRequest)
		_, _ = fmt.Fprintf(w, `{"__type":%q}`, s.code)
	})
}
