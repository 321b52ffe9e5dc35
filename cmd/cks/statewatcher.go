package main

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
)

// stateWatcher passes each request to next and shows onState the
// ConnectionState of each successful DescribeCustomKeyStores answer that
// holds one store: that is how a wait's polls become a progress line
// without extra requests against KMS's low request quota. It reads only
// the state members; the body is handed on unchanged.
type stateWatcher struct {
	next interface {
		Do(*http.Request) (*http.Response, error)
	}
	onState func(state, code string)
}

// maxWatchedBody is the largest answer the watcher decodes; a larger one
// is passed on without a look.
const maxWatchedBody = 1 << 20

func (w *stateWatcher) Do(req *http.Request) (*http.Response, error) {
	resp, err := w.next.Do(req)
	if err != nil || resp.StatusCode != http.StatusOK ||
		req.Header.Get("X-Amz-Target") != "TrentService.DescribeCustomKeyStores" {
		return resp, err
	}
	head, rerr := io.ReadAll(io.LimitReader(resp.Body, maxWatchedBody+1))
	resp.Body = struct {
		io.Reader
		io.Closer
	}{io.MultiReader(bytes.NewReader(head), resp.Body), resp.Body}
	if rerr != nil || len(head) > maxWatchedBody {
		return resp, nil
	}
	var out struct {
		CustomKeyStores []struct {
			ConnectionState     string
			ConnectionErrorCode string
		}
	}
	if json.Unmarshal(head, &out) == nil && len(out.CustomKeyStores) == 1 {
		s := out.CustomKeyStores[0]
		w.onState(s.ConnectionState, s.ConnectionErrorCode)
	}
	return resp, nil
}
