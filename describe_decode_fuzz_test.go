package kms

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// FuzzDescribeDecode decodes arbitrary DescribeCustomKeyStores bodies as
// the client does: it never panics; a body encoding/json rejects as JSON
// the readers reject too; a decoded listing survives its own MarshalJSON
// (the logging form) with the same timestamps, states and IDs.
func FuzzDescribeDecode(f *testing.F) {
	f.Add([]byte(`{"CustomKeyStores":[{"CustomKeyStoreId":"cks-1","ConnectionState":"CONNECTED","CreationDate":1.700000000123E9}],"Truncated":false}`))
	f.Add([]byte(`{"CustomKeyStores":[{"XksProxyConfiguration":{"AccessKeyId":"ABCDEFGHIJKLMNOPQRST","Connectivity":"PUBLIC_ENDPOINT"}}],"NextMarker":"m","Truncated":true}`))
	f.Add([]byte(`{"CustomKeyStores":[{"CreationDate":-62135596800},{"CreationDate":253402300799.999}]}`))
	f.Add([]byte(`{"CustomKeyStores":[{"CreationDate":1e400}]}`))
	f.Add([]byte(`{"CustomKeyStores":[{"CreationDate":"1700000000"}]}`))
	f.Add([]byte(`{"CustomKeyStores":null,"Truncated":null,"NextMarker":null}`))
	f.Add([]byte(`[` + strings.Repeat(`[`, 100) + `]`))
	f.Add([]byte("\xff\xfe{}"))
	f.Add([]byte(`{"NextMarker":"\ud83d\ude00 \ud800 \u00e9 \" \\ \/ \b\f\n\r\t","Truncated":true,"X":[1.5e-3,-0,true,false,null,{"a":"b"}]}`))
	f.Add([]byte(`{"CustomKeyStores":[{"CreationDate":01}]}`))
	f.Add([]byte(`{"CustomKeyStores":[{"CreationDate":1.}]}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		var out DescribeCustomKeyStoresOutput
		err := out.decode(body, nil)
		if err == nil && len(body) > 0 && !json.Valid(body) {
			t.Fatalf("the reader accepted a body that is not JSON: %q", body)
		}
		if id, cerr := decodeCreate(body, nil); cerr == nil && len(body) > 0 && !json.Valid(body) {
			t.Fatalf("the Create reader accepted a body that is not JSON (ID %v): %q", id, body)
		}
		entries := out.CustomKeyStores
		if err != nil {
			msg := err.Error()
			if !utf8.ValidString(msg) {
				t.Fatalf("error text is not valid UTF-8: %q", msg)
			}
			return
		}
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
			if e.ConnectionState != back.ConnectionState || deref(e.CustomKeyStoreId) != deref(back.CustomKeyStoreId) {
				t.Fatalf("entry %d changed: %v -> %v", i, e, back)
			}
		}
	})
}
