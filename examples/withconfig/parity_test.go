package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	awskms "github.com/aws/aws-sdk-go-v2/service/kms"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kmskit/kms"
)

// capture is an HTTPClient that records each request and answers {}.
type capture struct {
	mu   sync.Mutex
	reqs []*http.Request
}

func (c *capture) Do(r *http.Request) (*http.Response, error) {
	c.mu.Lock()
	c.reqs = append(c.reqs, r)
	c.mu.Unlock()
	if r.Body != nil {
		_, _ = io.Copy(io.Discard, r.Body)
		_ = r.Body.Close()
	}
	return &http.Response{
		StatusCode: http.StatusOK,
		Header:     http.Header{"Content-Type": {"application/x-amz-json-1.1"}, "X-Amzn-Requestid": {"req-1"}},
		Body:       io.NopCloser(strings.NewReader("{}")),
		Request:    r,
	}, nil
}

// wire is what one request showed: where it went, the Region its signature
// names and the app/ token of its User-Agent ("" when none).
type wire struct {
	url, signingRegion, app string
}

var (
	credentialScope = regexp.MustCompile(`Credential=[^/]+/\d{8}/([^/]+)/kms/aws4_request`)
	appToken        = regexp.MustCompile(`(?:^| )app/(\S+)`)
)

func (c *capture) only(t *testing.T) wire {
	t.Helper()
	c.mu.Lock()
	defer c.mu.Unlock()
	require.Len(t, c.reqs, 1)
	r := c.reqs[0]
	m := credentialScope.FindStringSubmatch(r.Header.Get("Authorization"))
	require.Len(t, m, 2, "Authorization: %q", r.Header.Get("Authorization"))
	w := wire{url: r.URL.String(), signingRegion: m[1]}
	if a := appToken.FindStringSubmatch(r.Header.Get("User-Agent")); a != nil {
		w.app = a[1]
	}
	return w
}

// configEnv lists every variable that config.LoadDefaultConfig or the
// clients read and a row might change; each row starts with all of them unset.
var configEnv = []string{
	"AWS_REGION", "AWS_DEFAULT_REGION", "AWS_PROFILE", "AWS_DEFAULT_PROFILE",
	"AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_KMS", "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS",
	"AWS_USE_FIPS_ENDPOINT", "AWS_USE_DUALSTACK_ENDPOINT", "AWS_SDK_UA_APP_ID",
	"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
	"AWS_ROLE_ARN", "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_CONTAINER_CREDENTIALS_FULL_URI",
	"AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_CA_BUNDLE", "AWS_MAX_ATTEMPTS", "AWS_RETRY_MODE",
}

// parityRow is one environment and shared config file.
type parityRow struct {
	name   string
	env    map[string]string
	config string // the shared config file; [default] unless AWS_PROFILE says otherwise
	// wantURL and wantRegion are what this library sends and signs for.
	wantURL, wantRegion string
	// officialRegion, when set, is the Region aws-sdk-go-v2 signs for
	// instead (FIPS pseudo-regions).
	officialRegion string
	// officialErr, when set, is the error aws-sdk-go-v2 fails with instead
	// of sending (it refuses FIPS or dual-stack with a custom endpoint; this
	// library sends to the custom endpoint).
	officialErr string
	// app is the app/ token both User-Agents carry.
	app string
}

const servicesKMS = `
[services local]
kms =
  endpoint_url = http://127.0.0.1:4600
`

func parityRows() []parityRow {
	rows := []parityRow{
		{name: "AWS_REGION alone", env: map[string]string{"AWS_REGION": "us-east-1"},
			wantURL: "https://kms.us-east-1.amazonaws.com/", wantRegion: "us-east-1"},
		{name: "region in shared config", config: "[default]\nregion = eu-central-1\n",
			wantURL: "https://kms.eu-central-1.amazonaws.com/", wantRegion: "eu-central-1"},
		{name: "AWS_ENDPOINT_URL alone", env: map[string]string{"AWS_REGION": "us-east-1", "AWS_ENDPOINT_URL": "http://127.0.0.1:4599"},
			wantURL: "http://127.0.0.1:4599/", wantRegion: "us-east-1"},
		{name: "AWS_ENDPOINT_URL_KMS alone", env: map[string]string{"AWS_REGION": "us-east-1", "AWS_ENDPOINT_URL_KMS": "http://127.0.0.1:4599"},
			wantURL: "http://127.0.0.1:4599/", wantRegion: "us-east-1"},
		{name: "AWS_ENDPOINT_URL_KMS beats AWS_ENDPOINT_URL", env: map[string]string{"AWS_REGION": "us-east-1", "AWS_ENDPOINT_URL": "http://127.0.0.1:1111", "AWS_ENDPOINT_URL_KMS": "http://127.0.0.1:4599"},
			wantURL: "http://127.0.0.1:4599/", wantRegion: "us-east-1"},
		{name: "endpoint_url in profile", config: "[default]\nregion = us-west-2\nendpoint_url = http://127.0.0.1:1111\n",
			wantURL: "http://127.0.0.1:1111/", wantRegion: "us-west-2"},
		{name: "services section", config: "[default]\nregion = us-west-2\nservices = local\n" + servicesKMS,
			wantURL: "http://127.0.0.1:4600/", wantRegion: "us-west-2"},
		{name: "services section beats endpoint_url", config: "[default]\nregion = us-west-2\nendpoint_url = http://127.0.0.1:1111\nservices = local\n" + servicesKMS,
			wantURL: "http://127.0.0.1:4600/", wantRegion: "us-west-2"},
		{name: "AWS_ENDPOINT_URL without AWS_ENDPOINT_URL_KMS ignores services section", env: map[string]string{"AWS_ENDPOINT_URL": "http://127.0.0.1:1111"},
			config:  "[default]\nregion = us-west-2\nservices = local\n" + servicesKMS,
			wantURL: "http://127.0.0.1:1111/", wantRegion: "us-west-2"},
		{name: "empty AWS_ENDPOINT_URL still stops before services section", env: map[string]string{"AWS_ENDPOINT_URL": ""},
			config:  "[default]\nregion = us-west-2\nservices = local\n" + servicesKMS,
			wantURL: "https://kms.us-west-2.amazonaws.com/", wantRegion: "us-west-2"},
		{name: "AWS_ENDPOINT_URL_KMS beats services section", env: map[string]string{"AWS_ENDPOINT_URL_KMS": "http://127.0.0.1:4599"},
			config:  "[default]\nregion = us-west-2\nservices = local\n" + servicesKMS,
			wantURL: "http://127.0.0.1:4599/", wantRegion: "us-west-2"},
		{name: "services section for another service only", config: "[default]\nregion = us-west-2\nservices = s3only\n[services s3only]\ns3 =\n  endpoint_url = http://127.0.0.1:9000\n",
			wantURL: "https://kms.us-west-2.amazonaws.com/", wantRegion: "us-west-2"},
		{name: "services section of AWS_PROFILE", env: map[string]string{"AWS_PROFILE": "dev"},
			config:  "[default]\nregion = us-east-1\n[profile dev]\nregion = ap-southeast-2\nservices = local\n" + servicesKMS,
			wantURL: "http://127.0.0.1:4600/", wantRegion: "ap-southeast-2"},
		{name: "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", env: map[string]string{"AWS_REGION": "us-east-1", "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS": "true", "AWS_ENDPOINT_URL": "http://127.0.0.1:1111", "AWS_ENDPOINT_URL_KMS": "http://127.0.0.1:4599"},
			wantURL: "https://kms.us-east-1.amazonaws.com/", wantRegion: "us-east-1"},
		{name: "ignore_configured_endpoint_urls in shared config", config: "[default]\nregion = us-west-2\nignore_configured_endpoint_urls = true\nendpoint_url = http://127.0.0.1:1111\nservices = local\n" + servicesKMS,
			wantURL: "https://kms.us-west-2.amazonaws.com/", wantRegion: "us-west-2"},
		{name: "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=false beats the shared switch", env: map[string]string{"AWS_IGNORE_CONFIGURED_ENDPOINT_URLS": "false"},
			config:  "[default]\nregion = us-west-2\nignore_configured_endpoint_urls = true\nservices = local\n" + servicesKMS,
			wantURL: "http://127.0.0.1:4600/", wantRegion: "us-west-2"},
		{name: "AWS_USE_FIPS_ENDPOINT", env: map[string]string{"AWS_REGION": "us-east-1", "AWS_USE_FIPS_ENDPOINT": "true"},
			wantURL: "https://kms-fips.us-east-1.amazonaws.com/", wantRegion: "us-east-1"},
		{name: "use_fips_endpoint in shared config", config: "[default]\nregion = us-gov-west-1\nuse_fips_endpoint = true\n",
			wantURL: "https://kms-fips.us-gov-west-1.amazonaws.com/", wantRegion: "us-gov-west-1"},
		{name: "AWS_USE_DUALSTACK_ENDPOINT", env: map[string]string{"AWS_REGION": "us-east-1", "AWS_USE_DUALSTACK_ENDPOINT": "true"},
			wantURL: "https://kms.us-east-1.api.aws/", wantRegion: "us-east-1"},
		{name: "use_dualstack_endpoint in shared config with AWS_USE_FIPS_ENDPOINT", env: map[string]string{"AWS_USE_FIPS_ENDPOINT": "true"},
			config:  "[default]\nregion = us-gov-east-1\nuse_dualstack_endpoint = true\n",
			wantURL: "https://kms-fips.us-gov-east-1.api.aws/", wantRegion: "us-gov-east-1"},
		{name: "AWS_USE_DUALSTACK_ENDPOINT=false beats shared config", env: map[string]string{"AWS_USE_DUALSTACK_ENDPOINT": "false"},
			config:  "[default]\nregion = eu-west-1\nuse_dualstack_endpoint = true\n",
			wantURL: "https://kms.eu-west-1.amazonaws.com/", wantRegion: "eu-west-1"},
		{name: "pseudo-region fips-us-east-1", env: map[string]string{"AWS_REGION": "fips-us-east-1"},
			wantURL: "https://kms-fips.us-east-1.amazonaws.com/", wantRegion: "us-east-1", officialRegion: "fips-us-east-1"},
		{name: "pseudo-region us-west-2-fips in shared config", config: "[default]\nregion = us-west-2-fips\n",
			wantURL: "https://kms-fips.us-west-2.amazonaws.com/", wantRegion: "us-west-2", officialRegion: "us-west-2-fips"},
		{name: "pseudo-region us-gov-fips-west-1", env: map[string]string{"AWS_REGION": "us-gov-fips-west-1"},
			wantURL: "https://kms-fips.us-gov-west-1.amazonaws.com/", wantRegion: "us-gov-west-1", officialRegion: "us-gov-fips-west-1"},
		{name: "pseudo-region fips-ca-central-1 with dual-stack", env: map[string]string{"AWS_REGION": "fips-ca-central-1", "AWS_USE_DUALSTACK_ENDPOINT": "true"},
			wantURL: "https://kms-fips.ca-central-1.api.aws/", wantRegion: "ca-central-1", officialRegion: "fips-ca-central-1"},
		{name: "AWS_SDK_UA_APP_ID", env: map[string]string{"AWS_REGION": "us-east-1", "AWS_SDK_UA_APP_ID": "billing-svc_v2"},
			wantURL: "https://kms.us-east-1.amazonaws.com/", wantRegion: "us-east-1", app: "billing-svc_v2"},
		{name: "sdk_ua_app_id in shared config, sanitised", config: "[default]\nregion = us-east-1\nsdk_ua_app_id = team/app (blue)+v1\n",
			wantURL: "https://kms.us-east-1.amazonaws.com/", wantRegion: "us-east-1", app: "team-app--blue-+v1"},

		// Documented differences: a custom endpoint with FIPS or dual-stack.
		{name: "AWS_ENDPOINT_URL_KMS with AWS_USE_FIPS_ENDPOINT", env: map[string]string{"AWS_REGION": "us-east-1", "AWS_ENDPOINT_URL_KMS": "http://127.0.0.1:4599", "AWS_USE_FIPS_ENDPOINT": "true"},
			wantURL: "http://127.0.0.1:4599/", wantRegion: "us-east-1", officialErr: "FIPS and custom endpoint are not supported"},
		{name: "AWS_ENDPOINT_URL_KMS with pseudo-region", env: map[string]string{"AWS_REGION": "fips-us-east-1", "AWS_ENDPOINT_URL_KMS": "http://127.0.0.1:4599"},
			wantURL: "http://127.0.0.1:4599/", wantRegion: "us-east-1", officialErr: "FIPS and custom endpoint are not supported"},
		{name: "services section with use_dualstack_endpoint", config: "[default]\nregion = us-west-2\nuse_dualstack_endpoint = true\nservices = local\n" + servicesKMS,
			wantURL: "http://127.0.0.1:4600/", wantRegion: "us-west-2", officialErr: "Dualstack and custom endpoint are not supported"},
	}

	// Dual-stack x FIPS in every partition.
	partitions := []struct{ region, suffix, dualStackSuffix string }{
		{"us-east-2", "amazonaws.com", "api.aws"},
		{"cn-northwest-1", "amazonaws.com.cn", "api.amazonwebservices.com.cn"},
		{"us-gov-west-1", "amazonaws.com", "api.aws"},
		{"us-iso-east-1", "c2s.ic.gov", "api.aws.ic.gov"},
		{"us-isob-east-1", "sc2s.sgov.gov", "api.aws.scloud"},
		{"eu-isoe-west-1", "cloud.adc-e.uk", "api.cloud-aws.adc-e.uk"},
		{"us-isof-south-1", "csp.hci.ic.gov", "api.aws.hci.ic.gov"},
		{"eusc-de-east-1", "amazonaws.eu", "api.amazonwebservices.eu"},
	}
	for _, p := range partitions {
		for _, dualStack := range []bool{false, true} {
			for _, fips := range []bool{false, true} {
				host, suffix := "kms.", p.suffix
				if fips {
					host = "kms-fips."
				}
				if dualStack {
					suffix = p.dualStackSuffix
				}
				rows = append(rows, parityRow{
					name:    fmt.Sprintf("%s dual-stack=%t fips=%t", p.region, dualStack, fips),
					config:  fmt.Sprintf("[default]\nregion = %s\nuse_dualstack_endpoint = %t\nuse_fips_endpoint = %t\n", p.region, dualStack, fips),
					wantURL: "https://" + host + p.region + "." + suffix + "/", wantRegion: p.region,
				})
			}
		}
	}
	return rows
}

// TestParityWithOfficialClient loads each environment and shared config file
// with config.LoadDefaultConfig, builds this client and aws-sdk-go-v2's from
// the same aws.Config, and checks that both send the same request to the same
// URL, signed for the same Region. Differences, asserted as such: for a FIPS
// pseudo-region this library signs for the real Region where aws-sdk-go-v2
// signs for the pseudo-region, and with a custom endpoint plus FIPS or
// dual-stack it sends to the custom endpoint where aws-sdk-go-v2 fails.
func TestParityWithOfficialClient(t *testing.T) {
	for _, row := range parityRows() {
		t.Run(row.name, func(t *testing.T) {
			cfg := loadConfig(t, row)

			ours := &capture{}
			_, err := kms.NewFromConfig(cfg, func(o *kms.Options) { o.HTTPClient = ours }).
				UpdateCustomKeyStore(context.Background(), &kms.UpdateCustomKeyStoreInput{
					CustomKeyStoreId:      aws.String("cks-1234567890abcdef0"),
					NewCustomKeyStoreName: aws.String("parity"),
				})
			require.NoError(t, err)
			got := ours.only(t)
			assert.Equal(t, row.wantURL, got.url, "our URL")
			assert.Equal(t, row.wantRegion, got.signingRegion, "our signing Region")
			assert.Equal(t, row.app, got.app, "our app/ token")

			official := &capture{}
			_, err = awskms.NewFromConfig(cfg, func(o *awskms.Options) { o.HTTPClient = official }).
				UpdateCustomKeyStore(context.Background(), &awskms.UpdateCustomKeyStoreInput{
					CustomKeyStoreId:      aws.String("cks-1234567890abcdef0"),
					NewCustomKeyStoreName: aws.String("parity"),
				})
			if row.officialErr != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), row.officialErr)
				assert.Empty(t, official.reqs, "the official client sent nothing")
				t.Logf("%s -> ours %s signed for %s; official: error %q", row.name, got.url, got.signingRegion, row.officialErr)
				return
			}
			require.NoError(t, err)
			want := official.only(t)
			assert.Equal(t, want.url, got.url, "same URL as aws-sdk-go-v2")
			assert.Equal(t, want.app, got.app, "same app/ token as aws-sdk-go-v2")
			officialRegion := row.wantRegion
			if row.officialRegion != "" {
				officialRegion = row.officialRegion
			}
			assert.Equal(t, officialRegion, want.signingRegion, "aws-sdk-go-v2's signing Region")
			t.Logf("%s -> %s; signed for %s (official: %s)", row.name, got.url, got.signingRegion, want.signingRegion)
		})
	}
}

// loadConfig sets up the row's environment, a temporary shared config file
// and a shared credentials file with static keys, and loads them.
func loadConfig(t *testing.T, row parityRow) aws.Config {
	t.Helper()
	for _, k := range configEnv {
		t.Setenv(k, "")
		require.NoError(t, os.Unsetenv(k))
	}
	dir := t.TempDir()
	configFile := filepath.Join(dir, "config")
	credsFile := filepath.Join(dir, "credentials")
	require.NoError(t, os.WriteFile(configFile, []byte(row.config), 0o600))
	creds := "[default]\naws_access_key_id = AKIDEXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY\n"
	if row.env["AWS_PROFILE"] != "" {
		creds += strings.Replace(creds, "[default]", "["+row.env["AWS_PROFILE"]+"]", 1)
	}
	require.NoError(t, os.WriteFile(credsFile, []byte(creds), 0o600))
	t.Setenv("AWS_CONFIG_FILE", configFile)
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", credsFile)
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	for k, v := range row.env {
		t.Setenv(k, v)
	}
	cfg, err := config.LoadDefaultConfig(context.Background())
	require.NoError(t, err)
	return cfg
}
