package kms

import (
	"encoding/json"
	"math"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/aws/aws-sdk-go-v2/aws"
)

// oraclePage is a DescribeCustomKeyStores body as encoding/json decodes it
// into plain types: what the client's decoder must agree with.
type oraclePage struct {
	CustomKeyStores []struct {
		CloudHsmClusterId, CustomKeyStoreId, CustomKeyStoreName, TrustAnchorCertificate *string
		ConnectionErrorCode, ConnectionState, CustomKeyStoreType                        string
		CreationDate                                                                    *json.Number
		XksProxyConfiguration                                                           *struct {
			AccessKeyId, UriEndpoint, UriPath, VpcEndpointServiceName, VpcEndpointServiceOwner *string
			Connectivity                                                                       string
		}
	}
	NextMarker *string
	Truncated  bool
}

// FuzzDescribeDecode decodes arbitrary DescribeCustomKeyStores and
// CreateCustomKeyStore bodies as the client does and compares what it
// decodes with what encoding/json makes of them: the same values member by
// member whenever the client accepts a body, and an error from the client
// whenever encoding/json fails, or for its own rules only (more than 1000
// stores, a CreationDate that is not a number of seconds from year 1 to
// 9999). It never panics, its errors are valid UTF-8, and a decoded store
// survives its own MarshalJSON (the logging form).
func FuzzDescribeDecode(f *testing.F) {
	f.Add([]byte(`{"CustomKeyStores":[{"CustomKeyStoreId":"cks-1","ConnectionState":"CONNECTED","CreationDate":1.700000000123E9}],"Truncated":false}`))
	f.Add([]byte(`{"CustomKeyStores":[{"XksProxyConfiguration":{"AccessKeyId":"ABCDEFGHIJKLMNOPQRST","Connectivity":"PUBLIC_ENDPOINT"}}],"NextMarker":"m","Truncated":true}`))
	f.Add([]byte(`{"CustomKeyStores":[{"CreationDate":-62135596800},{"CreationDate":253402300799.999}]}`))
	f.Add([]byte(`{"CustomKeyStores":[{"CreationDate":1e400}]}`))
	f.Add([]byte(`{"CustomKeyStores":[{"CreationDate":"1700000000"}]}`))
	f.Add([]byte(`{"CustomKeyStores":null,"Truncated":null,"NextMarker":null}`))
	f.Add([]byte(`{"CustomKeyStores":[],"Truncated":false}`))
	f.Add([]byte(`[` + strings.Repeat(`[`, 100) + `]`))
	f.Add([]byte("\xff\xfe{}"))
	f.Add([]byte(`{"NextMarker":"\ud83d\ude00 \ud800 \u00e9 \" \\ \/ \b\f\n\r\t","Truncated":true,"X":[1.5e-3,-0,true,false,null,{"a":"b"}]}`))
	f.Add([]byte(`{"CustomKeyStores":[{"CreationDate":01}]}`))
	f.Add([]byte(`{"CustomKeyStores":[{"CreationDate":1.}]}`))
	f.Add([]byte(`{"customkeystores":[{"customkeystoreid":"lower"}],"NEXTMARKER":"m"}`))
	f.Add([]byte(`{"CustomKeyStores":[{"CreationDate":1700000000.5,"XksProxyConfiguration":null,"ConnectionState":null}]}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		var out DescribeCustomKeyStoresOutput
		err := out.decode(body, nil)
		var want oraclePage
		oracleErr := json.Unmarshal(body, &want)
		if len(body) == 0 {
			oracleErr = nil // an empty body is an empty listing
		}
		switch {
		case err != nil && !utf8.ValidString(err.Error()):
			t.Fatalf("error text is not valid UTF-8: %q", err)
		case err != nil && oracleErr == nil && !strings.Contains(err.Error(), "CreationDate") &&
			!strings.Contains(err.Error(), "more than 1000 custom key stores"):
			t.Fatalf("rejected what encoding/json accepts, for no rule of its own: %v (%q)", err, body)
		case err == nil && oracleErr != nil:
			t.Fatalf("accepted what encoding/json rejects (%v): %q", oracleErr, body)
		case err != nil:
			return
		}
		same := func(what string, a, b *string) {
			t.Helper()
			if (a == nil) != (b == nil) || (a != nil && *a != *b) {
				t.Fatalf("%s: decoded %v, encoding/json %v (%q)", what, a, b, body)
			}
		}
		same("NextMarker", out.NextMarker, want.NextMarker)
		if out.Truncated != want.Truncated || len(out.CustomKeyStores) != len(want.CustomKeyStores) {
			t.Fatalf("Truncated %v and %d stores, encoding/json %v and %d", out.Truncated, len(out.CustomKeyStores), want.Truncated, len(want.CustomKeyStores))
		}
		if (out.CustomKeyStores == nil) != (want.CustomKeyStores == nil) {
			t.Fatalf("CustomKeyStores nil %v, encoding/json's nil %v (%q)", out.CustomKeyStores == nil, want.CustomKeyStores == nil, body)
		}
		for i, e := range out.CustomKeyStores {
			w := want.CustomKeyStores[i]
			same("CloudHsmClusterId", e.CloudHsmClusterId, w.CloudHsmClusterId)
			same("CustomKeyStoreId", e.CustomKeyStoreId, w.CustomKeyStoreId)
			same("CustomKeyStoreName", e.CustomKeyStoreName, w.CustomKeyStoreName)
			same("TrustAnchorCertificate", e.TrustAnchorCertificate, w.TrustAnchorCertificate)
			if string(e.ConnectionErrorCode) != w.ConnectionErrorCode || string(e.ConnectionState) != w.ConnectionState ||
				string(e.CustomKeyStoreType) != w.CustomKeyStoreType {
				t.Fatalf("entry %d enums %v, encoding/json %+v", i, e, w)
			}
			if (e.CreationDate == nil) != (w.CreationDate == nil) {
				t.Fatalf("entry %d CreationDate %v, encoding/json %v", i, e.CreationDate, w.CreationDate)
			}
			if e.CreationDate != nil {
				secs, ferr := w.CreationDate.Float64()
				if ms := float64(e.CreationDate.UnixMilli()); ferr != nil || math.Abs(ms-secs*1000) > 1 {
					t.Fatalf("entry %d CreationDate %v, encoding/json %s seconds", i, e.CreationDate, *w.CreationDate)
				}
			}
			if (e.XksProxyConfiguration == nil) != (w.XksProxyConfiguration == nil) {
				t.Fatalf("entry %d XksProxyConfiguration %v, encoding/json %v", i, e.XksProxyConfiguration, w.XksProxyConfiguration)
			}
			if x, wx := e.XksProxyConfiguration, w.XksProxyConfiguration; x != nil {
				same("AccessKeyId", x.AccessKeyId, wx.AccessKeyId)
				same("UriEndpoint", x.UriEndpoint, wx.UriEndpoint)
				same("UriPath", x.UriPath, wx.UriPath)
				same("VpcEndpointServiceName", x.VpcEndpointServiceName, wx.VpcEndpointServiceName)
				same("VpcEndpointServiceOwner", x.VpcEndpointServiceOwner, wx.VpcEndpointServiceOwner)
				if string(x.Connectivity) != wx.Connectivity {
					t.Fatalf("entry %d Connectivity %q, encoding/json %q", i, x.Connectivity, wx.Connectivity)
				}
			}
		}

		// Create: the ID as encoding/json decodes it.
		var wantCreate struct{ CustomKeyStoreId *string }
		if id, cerr := decodeCreate(body, nil); cerr == nil {
			_ = json.Unmarshal(body, &wantCreate)
			same("Create's CustomKeyStoreId", id, wantCreate.CustomKeyStoreId)
		} else if json.Unmarshal(body, &wantCreate) == nil {
			t.Fatalf("Create rejected what encoding/json accepts: %v (%q)", cerr, body)
		}

		entries := out.CustomKeyStores
		for i, e := range entries {
			js, merr := e.MarshalJSON()
			if merr != nil {
				t.Fatalf("entry %d: MarshalJSON: %v", i, merr)
			}
			var back CustomKeyStoresListEntry
			if gerr := back.GobDecode(js); gerr != nil {
				t.Fatalf("entry %d: decoding its own JSON %s: %v", i, js, gerr)
			}
			// The logging form writes milliseconds as a decimal fraction,
			// which a float64 may round by one millisecond.
			if (e.CreationDate == nil) != (back.CreationDate == nil) ||
				(e.CreationDate != nil && e.CreationDate.Sub(*back.CreationDate).Abs() > time.Millisecond) {
				t.Fatalf("entry %d: CreationDate %v came back as %v", i, e.CreationDate, back.CreationDate)
			}
			if e.ConnectionState != back.ConnectionState || aws.ToString(e.CustomKeyStoreId) != aws.ToString(back.CustomKeyStoreId) {
				t.Fatalf("entry %d changed: %v -> %v", i, e, back)
			}
		}
	})
}
