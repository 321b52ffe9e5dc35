package kms_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kmskit/kms"
)

// listServer serves DescribeCustomKeyStores over n stores, pages of at most
// Limit (default 50), with opaque markers it issued; another marker gets
// InvalidMarkerException.
type listServer struct {
	n int

	mu      sync.Mutex
	limits  []string // the Limit of each request, "" when absent
	markers map[string]int
}

func (s *listServer) handler(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Limit  *int
		Marker *string
	}
	body, _ := io.ReadAll(r.Body)
	if err := json.Unmarshal(body, &in); err != nil {
		http.Error(w, "bad body", 400)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.markers == nil {
		s.markers = map[string]int{}
	}
	limit := 50
	if in.Limit != nil {
		limit = *in.Limit
		s.limits = append(s.limits, strconv.Itoa(limit))
	} else {
		s.limits = append(s.limits, "")
	}
	start := 0
	if in.Marker != nil {
		i, ok := s.markers[*in.Marker]
		if !ok {
			w.Header().Set("X-Amzn-Errortype", "InvalidMarkerException")
			w.WriteHeader(400)
			_, _ = io.WriteString(w, `{"message":"marker not issued"}`)
			return
		}
		start = i
	}
	end := min(start+limit, s.n)
	var b strings.Builder
	b.WriteString(`{"CustomKeyStores":[`)
	for i := start; i < end; i++ {
		if i > start {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"CustomKeyStoreId":"cks-%017x","CustomKeyStoreName":"store-%d","ConnectionState":"DISCONNECTED","CreationDate":%d.5}`, i, i, 1700000000+i)
	}
	b.WriteString(`]`)
	if end < s.n {
		m := fmt.Sprintf("opaque-%x", len(s.markers)*7919+end)
		s.markers[m] = end
		fmt.Fprintf(&b, `,"NextMarker":%q,"Truncated":true`, m)
	} else {
		b.WriteString(`,"Truncated":false`)
	}
	b.WriteString(`}`)
	w.Header().Set("X-Amzn-Requestid", "req-page")
	_, _ = io.WriteString(w, b.String())
}

// listAll pages through p to the end and checks that it lists n stores,
// each once, in pages of at most limit whose Truncated agrees with
// HasMorePages; it returns the number of pages.
func listAll(t *testing.T, p *kms.DescribeCustomKeyStoresPaginator, n int, limit int32) int {
	t.Helper()
	seen := make(map[string]bool, n)
	pages := 0
	for p.HasMorePages() {
		page, err := p.NextPage(context.Background())
		require.NoError(t, err)
		pages++
		assert.LessOrEqual(t, len(page.CustomKeyStores), int(limit))
		for _, e := range page.CustomKeyStores {
			id := aws.ToString(e.CustomKeyStoreId)
			require.False(t, seen[id], "store %s listed twice", id)
			seen[id] = true
		}
		assert.Equal(t, p.HasMorePages(), page.Truncated)
	}
	assert.Len(t, seen, n, "every store once")
	assert.Equal(t, (n+int(limit)-1)/int(limit), pages)
	return pages
}

func TestDescribeCustomKeyStoresPaginator2500(t *testing.T) {
	const n = 2500
	for _, limit := range []int32{1, 7, 1000} {
		t.Run("Limit "+strconv.Itoa(int(limit)), func(t *testing.T) {
			srv := &listServer{n: n}
			c, rec := setup(t, srv.handler)
			p := kms.NewDescribeCustomKeyStoresPaginator(c, nil, func(o *kms.DescribeCustomKeyStoresPaginatorOptions) { o.Limit = limit })
			pages := listAll(t, p, n, limit)
			assert.Len(t, rec.all(), pages, "one request per page")
			srv.mu.Lock()
			for _, l := range srv.limits {
				assert.Equal(t, strconv.Itoa(int(limit)), l)
			}
			srv.mu.Unlock()
			_, err := p.NextPage(context.Background())
			assert.ErrorContains(t, err, "no more pages")
		})
	}
}

func TestDescribeCustomKeyStoresPaginatorParams(t *testing.T) {
	srv := &listServer{n: 5}
	c, rec := setup(t, srv.handler)
	// Limit from params, and no Limit at all.
	p := kms.NewDescribeCustomKeyStoresPaginator(c, &kms.DescribeCustomKeyStoresInput{Limit: aws.Int32(2)})
	total := 0
	for p.HasMorePages() {
		page, err := p.NextPage(context.Background())
		require.NoError(t, err)
		total += len(page.CustomKeyStores)
	}
	assert.Equal(t, 5, total)
	assert.Len(t, rec.all(), 3)
	p = kms.NewDescribeCustomKeyStoresPaginator(c, nil)
	page, err := p.NextPage(context.Background())
	require.NoError(t, err)
	assert.Len(t, page.CustomKeyStores, 5)
	assert.False(t, p.HasMorePages())
	last := rec.all()[len(rec.all())-1]
	assert.Equal(t, `{}`, string(last.body), "no Limit, no Marker")

	// A marker the server did not issue.
	p = kms.NewDescribeCustomKeyStoresPaginator(c, &kms.DescribeCustomKeyStoresInput{Marker: aws.String("forged")})
	_, err = p.NextPage(context.Background())
	assert.ErrorIs(t, err, kms.ErrInvalidMarker)
	assert.True(t, p.HasMorePages(), "an error leaves the paginator where it was")

	// A bad Limit is caught offline.
	p = kms.NewDescribeCustomKeyStoresPaginator(c, nil, func(o *kms.DescribeCustomKeyStoresPaginatorOptions) { o.Limit = 1001 })
	before := len(rec.all())
	_, err = p.NextPage(context.Background())
	var ve *kms.ValidationError
	assert.ErrorAs(t, err, &ve)
	assert.Len(t, rec.all(), before)
}

func TestDescribeCustomKeyStoresPaginatorDuplicateToken(t *testing.T) {
	// A server that always answers with the marker it was sent.
	same := func(w http.ResponseWriter, _ *http.Request) {
		answerOK(`{"CustomKeyStores":[{"CustomKeyStoreId":"cks-1"}],"NextMarker":"same","Truncated":true}`)(w, nil)
	}
	for _, stop := range []bool{true, false} {
		c, rec := setup(t, same)
		p := kms.NewDescribeCustomKeyStoresPaginator(c, nil, func(o *kms.DescribeCustomKeyStoresPaginatorOptions) { o.StopOnDuplicateToken = stop })
		pages := 0
		var err error
		for p.HasMorePages() && pages < 5 && err == nil {
			if _, err = p.NextPage(context.Background()); err == nil {
				pages++
			}
		}
		if stop {
			require.NoError(t, err)
			assert.Equal(t, 2, pages, "the second page repeats the marker")
			assert.False(t, p.HasMorePages())
			assert.Len(t, rec.all(), pages)
		} else {
			// Issue 17 §7: the listing stops with an error naming the marker.
			require.Error(t, err)
			assert.Contains(t, err.Error(), `NextMarker "same", a marker this listing has already sent`)
			assert.Equal(t, 1, pages)
			assert.True(t, p.HasMorePages(), "the paginator stays where it was")
			assert.Len(t, rec.all(), 2)
		}
	}
}

// TestDescribeCustomKeyStoresPaginatorMarkerCycle: a server cycling
// A -> B -> A is caught when A comes back, not only an immediate repeat.
func TestDescribeCustomKeyStoresPaginatorMarkerCycle(t *testing.T) {
	var n atomic.Int32
	c, rec := setup(t, func(w http.ResponseWriter, _ *http.Request) {
		next := [...]string{"A", "B"}[n.Add(1)%2]
		answerOK(`{"CustomKeyStores":[],"NextMarker":"`+next+`","Truncated":true}`)(w, nil)
	})
	p := kms.NewDescribeCustomKeyStoresPaginator(c, nil)
	var err error
	pages := 0
	for ; pages < 10 && err == nil; pages++ {
		_, err = p.NextPage(context.Background())
	}
	require.ErrorContains(t, err, `NextMarker "B", a marker this listing has already sent`)
	assert.Len(t, rec.all(), 3, "nil -> B, B -> A, A -> B (sent before): stop")
}

// TestDescribeCustomKeyStoresPaginatorTruncatedWithoutMarker: a page that
// says more stores follow (Truncated) but gives no NextMarker is an error,
// not the end of the listing, and the paginator stays where it was.
func TestDescribeCustomKeyStoresPaginatorTruncatedWithoutMarker(t *testing.T) {
	for name, body := range map[string]string{
		"no NextMarker":    `{"CustomKeyStores":[{"CustomKeyStoreId":"cks-1"}],"Truncated":true}`,
		"empty NextMarker": `{"CustomKeyStores":[{"CustomKeyStoreId":"cks-1"}],"NextMarker":"","Truncated":true}`,
		"null NextMarker":  `{"CustomKeyStores":[{"CustomKeyStoreId":"cks-1"}],"NextMarker":null,"Truncated":true}`,
	} {
		t.Run(name, func(t *testing.T) {
			c, rec := setup(t, answerOK(body))
			p := kms.NewDescribeCustomKeyStoresPaginator(c, nil)
			page, err := p.NextPage(context.Background())
			require.EqualError(t, err, "kms: DescribeCustomKeyStores paginator: KMS returned a page with Truncated true and no NextMarker: more stores follow, but there is no marker to ask for them")
			assert.Nil(t, page)
			assert.True(t, p.HasMorePages(), "the paginator stays where it was")
			assert.Len(t, rec.all(), 1)
		})
	}

	// The last page of a listing (Truncated false, no NextMarker) ends it.
	c, _ := setup(t, answerOK(`{"CustomKeyStores":[{"CustomKeyStoreId":"cks-1"}],"Truncated":false}`))
	p := kms.NewDescribeCustomKeyStoresPaginator(c, nil)
	_, err := p.NextPage(context.Background())
	require.NoError(t, err)
	assert.False(t, p.HasMorePages())
}
