package noredirect

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type doer interface {
	Do(*http.Request) (*http.Response, error)
}

type otherDoer struct{}

func (otherDoer) Do(*http.Request) (*http.Response, error) { return nil, nil }

func TestClientRefusesRedirects(t *testing.T) {
	var followed bool
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/elsewhere" {
			followed = true
			return
		}
		http.Redirect(w, r, "/elsewhere", http.StatusFound)
	}))
	defer srv.Close()

	user := &http.Client{}
	var c doer = Client[doer](user)
	require.NotSame(t, user, c, "the user's client is copied, not changed")
	assert.Nil(t, user.CheckRedirect, "the user's client is left as it was")

	req, err := http.NewRequest(http.MethodPost, srv.URL+"/", nil)
	require.NoError(t, err)
	resp, err := c.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusFound, resp.StatusCode)
	assert.False(t, followed, "the redirect target was never asked")
}

func TestClientKeepsOtherDoers(t *testing.T) {
	var d doer = otherDoer{}
	assert.Equal(t, d, Client(d))
	var nilClient *http.Client
	assert.Nil(t, Client(nilClient))
}
