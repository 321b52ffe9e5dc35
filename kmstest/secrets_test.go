package kmstest_test

import (
	"bytes"
	"encoding/gob"
	"encoding/hex"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"log"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kmskit/kms/kmstest"
)

// The secrets that secretSeed holds, each distinct.
const (
	pSecretStorePassword = "storepassword-secret-1"
	pSecretStoreAKID     = "AKIASTOREXKSSECRET23"
	pSecretStoreRaw      = "storeRawSecretAccessKeySecretSecretSecret1234"
	pSecretKmsuser       = "kmsuser-secret-password"
	pSecretProxyAKID     = "AKIAPROXYSECRET23456"
	pSecretProxyRaw      = "proxyRawSecretAccessKeySecretSecretSecret1234"
	pSecretCredAKID      = "AKIACREDENTIALSECRET"
	pSecretCredKey       = "credential-secret-access-key"
	pSecretCredToken     = "credential-session-token"
	pSecretXksAKID       = "AKIAXKSCREDSECRET234"
	pSecretXksKey        = "xksCredentialSecretAccessKeySecretSecret12345"
)

var pSecrets = []string{pSecretStorePassword, pSecretStoreAKID, pSecretStoreRaw, pSecretKmsuser, pSecretProxyAKID,
	pSecretProxyRaw, pSecretCredAKID, pSecretCredKey, pSecretCredToken, pSecretXksAKID, pSecretXksKey}

// secretSeed is a seed whose every secret field is set.
func secretSeed() kmstest.Seed {
	created := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	return kmstest.Seed{
		Stores: []kmstest.Store{
			{CustomKeyStoreId: "cks-secrets000000001", CustomKeyStoreName: "hsm", CustomKeyStoreType: kmstest.TypeCloudHSM,
				ConnectionState: kmstest.StateDisconnected, CreationDate: created, CloudHsmClusterId: "cluster-secret2345ab",
				TrustAnchorCertificate: "anchor", KeyStorePassword: pSecretStorePassword},
			{CustomKeyStoreId: "cks-secrets000000002", CustomKeyStoreName: "xks", CustomKeyStoreType: kmstest.TypeExternal,
				ConnectionState: kmstest.StateConnected, CreationDate: created,
				XksProxyConfiguration: kmstest.XksProxyConfiguration{AccessKeyId: pSecretStoreAKID, RawSecretAccessKey: pSecretStoreRaw,
					Connectivity: kmstest.ConnectivityPublicEndpoint, UriEndpoint: "https://xks.example.com", UriPath: "/kms/xks/v1"}},
		},
		Clusters:            []kmstest.Cluster{{ClusterId: "cluster-secret2345ab", HsmCount: intp(3), KmsuserPassword: pSecretKmsuser}},
		XksProxies:          []kmstest.XksProxy{{UriEndpoint: "https://xks.example.com", AccessKeyId: pSecretProxyAKID, RawSecretAccessKey: pSecretProxyRaw}},
		VpcEndpointServices: []kmstest.VpcEndpointService{{ServiceName: "com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0"}},
		Credentials:         []kmstest.Credential{{AccessKeyId: pSecretCredAKID, SecretAccessKey: pSecretCredKey, SessionToken: pSecretCredToken}},
		CustomKeyStoreLimit: 5,
	}
}

// unexported holds kmstest's fakes and servers in unexported fields of a
// struct, as a program's own types might, by pointer and by value. (fmt
// calls no method of a value it reaches through an unexported field, and
// with a verb such as %s it prints even a pointer's target: the seed
// types, whose secrets are plain string fields, print them there. Their
// documentation says so.)
type unexported struct {
	fake   *kmstest.Fake
	srv    *kmstest.Server
	srvVal kmstest.Server
	xks    *kmstest.XksProxyServer
	xksVal kmstest.XksProxyServer
	fakeX  *kmstest.XksProxyFake
}

// TestNoTypePrintsASecret: every exported kmstest type that holds a secret
// (the seed types, the XKS credential, the fakes and servers that keep
// them), filled with secrets, prints none with any fmt verb, log.Printf,
// slog's text and JSON handlers, encoding/json, encoding/xml or
// encoding/gob (which refuses instead), alone, in a slice, a map or an
// exported field; the fakes and servers also in an unexported field.
func TestNoTypePrintsASecret(t *testing.T) {
	seed := secretSeed()
	st, x, cl, px, cr := seed.Stores[0], seed.Stores[1].XksProxyConfiguration, seed.Clusters[0], seed.XksProxies[0], seed.Credentials[0]
	xc := kmstest.XksCredential{AccessKeyID: pSecretXksAKID, SecretAccessKey: pSecretXksKey}

	fake := kmstest.NewFake()
	require.NoError(t, fake.Load(seed))
	srv := kmstest.NewServer()
	t.Cleanup(srv.Close)
	require.NoError(t, srv.Load(seed))
	xks := kmstest.NewXksProxyServer(kmstest.WithXksCredentials(xc), kmstest.WithXksKeys(kmstest.XksKey{ID: "foo"}))
	t.Cleanup(xks.Close)
	fakeX, err := kmstest.NewXksProxyFake(kmstest.WithXksCredentials(xc))
	require.NoError(t, err)

	values := map[string]any{
		"Store": st, "*Store": &st, "XksProxyConfiguration": x, "*XksProxyConfiguration": &x, "external Store": seed.Stores[1],
		"Cluster": cl, "*Cluster": &cl, "XksProxy": px, "*XksProxy": &px, "Credential": cr, "*Credential": &cr,
		"Seed": seed, "*Seed": &seed, "XksCredential": xc, "*XksCredential": &xc,
		"*Fake": fake, "*Server": srv, "Server": *srv, "*XksProxyServer": xks, "XksProxyServer": *xks, "*XksProxyFake": fakeX,
		"[]Store": seed.Stores,
		"map":     map[string]kmstest.XksProxy{"p": px},
		"exported fields": struct {
			S kmstest.Store
			C []kmstest.Cluster
			X kmstest.XksCredential
		}{st, seed.Clusters, xc},
		"unexported fields": unexported{fake: fake, srv: srv, srvVal: *srv, xks: xks, xksVal: *xks, fakeX: fakeX},
	}
	for name, v := range values {
		t.Run(name, func(t *testing.T) {
			var out []string
			for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%10.5v"} {
				out = append(out, verb+": "+fmt.Sprintf(verb, v))
			}
			var logged bytes.Buffer
			log.New(&logged, "", 0).Printf("%v %+v", v, v)
			slog.New(slog.NewTextHandler(&logged, nil)).Info("value", "v", v)
			slog.New(slog.NewJSONHandler(&logged, nil)).Info("value", "v", v)
			out = append(out, logged.String())
			j, err := json.Marshal(v)
			out = append(out, "json: "+string(j)+fmt.Sprint(err))
			xm, err := xml.Marshal(v)
			out = append(out, "xml: "+string(xm)+fmt.Sprint(err))
			var g bytes.Buffer
			err = gob.NewEncoder(&g).Encode(v)
			out = append(out, "gob: "+g.String()+fmt.Sprint(err))
			text := strings.Join(out, "\n")
			for _, s := range pSecrets {
				assert.NotContains(t, text, s)
				assert.NotContains(t, strings.ToLower(text), hex.EncodeToString([]byte(s)))
				assert.NotContains(t, text, fmt.Sprintf("%q", s))
			}
			if t.Failed() {
				t.Log(text)
			}
		})
	}

	// What they print instead: the marker where a secret is set, the rest
	// as it is.
	assert.Contains(t, fmt.Sprintf("%+v", st), "KeyStorePassword:"+kmstest.Redacted)
	assert.Contains(t, fmt.Sprintf("%+v", st), "CustomKeyStoreId:cks-secrets000000001")
	assert.True(t, strings.HasPrefix(fmt.Sprintf("%#v", st), `kmstest.Store{CustomKeyStoreId:"cks-secrets000000001"`), "%#v", st)
	assert.Contains(t, fmt.Sprintf("%#v", seed.Stores[1]), `XksProxyConfiguration:kmstest.XksProxyConfiguration{AccessKeyId:"`+kmstest.Redacted+`"`)
	assert.Equal(t, fmt.Sprint(st), st.String())
	assert.Equal(t, fmt.Sprintf("%#v", cl), cl.GoString())
	assert.Contains(t, fmt.Sprintf("%+v", kmstest.Cluster{ClusterId: "cluster-x"}), "KmsuserPassword: ", "an unset secret prints empty")
	j, err := json.Marshal(cr)
	require.NoError(t, err)
	assert.JSONEq(t, `{"AccessKeyId":"`+kmstest.Redacted+`","SecretAccessKey":"`+kmstest.Redacted+`","SessionToken":"`+kmstest.Redacted+`"}`, string(j))
	assert.Equal(t, "kmstest.Fake(2 stores, SigV4 on)", fmt.Sprint(fake))
	assert.Equal(t, "kmstest.Server("+srv.URL+", kmstest.Fake(2 stores, SigV4 on))", fmt.Sprint(srv))
	assert.Equal(t, "kmstest.XksProxyFake(/kms/xks/v1, 0 keys, 1 credentials)", fmt.Sprint(fakeX))
	var g bytes.Buffer
	assert.ErrorContains(t, gob.NewEncoder(&g).Encode(st), "kmstest: refusing to encode a secret: a kmstest.Store with KeyStorePassword set")
}

// TestGobRoundTripsWithoutSecrets: a seed type without secrets set
// round-trips through encoding/gob.
func TestGobRoundTripsWithoutSecrets(t *testing.T) {
	type holder struct {
		S kmstest.Store
		C kmstest.Cluster
		P kmstest.XksProxy
		K kmstest.Credential
	}
	in := holder{
		S: kmstest.Store{CustomKeyStoreId: "cks-1", CustomKeyStoreType: kmstest.TypeExternal, CreationDate: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC),
			XksProxyConfiguration: kmstest.XksProxyConfiguration{UriEndpoint: "https://xks.example.com", UriPath: "/kms/xks/v1"}},
		C: kmstest.Cluster{ClusterId: "cluster-1", HsmCount: intp(1)},
		P: kmstest.XksProxy{UriEndpoint: "https://xks.example.com", Unreachable: true},
	}
	var g bytes.Buffer
	require.NoError(t, gob.NewEncoder(&g).Encode(in))
	var out holder
	require.NoError(t, gob.NewDecoder(&g).Decode(&out))
	assert.Equal(t, in, out)
}

// TestWriteSeedKeepsSecrets: WriteSeed writes what ReadSeed reads back,
// secrets included, while json.Marshal of a seed redacts them; seeding
// what json.Marshal wrote is refused, naming the lost secret, instead of
// seeding the marker as a password.
func TestWriteSeedKeepsSecrets(t *testing.T) {
	seed := secretSeed()
	var b bytes.Buffer
	require.NoError(t, kmstest.WriteSeed(&b, seed))
	for _, s := range pSecrets[:9] {
		assert.Contains(t, b.String(), s)
	}
	back, err := kmstest.ReadSeed(&b)
	require.NoError(t, err)
	assert.Equal(t, seed, back)

	var empty bytes.Buffer
	require.NoError(t, kmstest.WriteSeed(&empty, kmstest.Seed{}))
	assert.JSONEq(t, `{}`, empty.String())

	logged, err := json.Marshal(seed)
	require.NoError(t, err)
	for _, s := range pSecrets {
		assert.NotContains(t, string(logged), s)
	}
	lost, err := kmstest.ReadSeed(bytes.NewReader(logged))
	require.NoError(t, err, "the redacted seed still decodes")
	err = kmstest.NewFake().Load(lost)
	assert.ErrorContains(t, err, "kmstest: store cks-secrets000000001: KeyStorePassword is the redaction marker")

	f := kmstest.NewFake()
	for _, err := range []error{
		f.AddStore(lost.Stores[1]),
		f.SetCluster(lost.Clusters[0]),
		f.SetXksProxy(lost.XksProxies[0]),
		f.AcceptCredential(lost.Credentials[0]),
	} {
		assert.ErrorContains(t, err, "is the redaction marker")
		assert.ErrorContains(t, err, "WriteSeed")
	}
	assert.Empty(t, f.Stores(), "nothing was seeded")
}
