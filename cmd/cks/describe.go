package main

import (
	"fmt"
	"text/tabwriter"
	"time"

	"github.com/kmskit/kms"
	"github.com/kmskit/kms/internal/display"
)

func runDescribe(e *env, args []string) int {
	fs := newFlagSet(e, "describe", "[--id ID | --name NAME] [--output table|json] [--show-access-key-id]")
	var a awsFlags
	a.register(fs)
	var id, name *string
	fs.Var(optString{&id}, "id", "describe only this CustomKeyStoreId")
	fs.Var(optString{&name}, "name", "describe only the store of this CustomKeyStoreName")
	output := fs.String("output", "table", "table or json")
	pageSize := fs.Int("page-size", 0, "stores per DescribeCustomKeyStores call, 1 to 1000 (default: KMS's choice); every page is fetched")
	showKeyID := fs.Bool("show-access-key-id", false, "show the XKS proxy AccessKeyId KMS holds whole (default: only its last 4 characters)")
	if code := parseFlags(e, fs, args, nil); code >= 0 {
		return code
	}
	if *output != "table" && *output != "json" {
		return usageError(e, "describe", "--output must be table or json")
	}
	in := &kms.DescribeCustomKeyStoresInput{CustomKeyStoreId: id, CustomKeyStoreName: name}
	if *pageSize != 0 {
		n := int32(*pageSize)
		in.Limit = &n
	}
	c, err := a.client(e)
	if err != nil {
		return fail(e, err)
	}
	stores, err := describeAll(e, c, in)
	if err != nil {
		return fail(e, err)
	}
	keyID := display.MaskAccessKeyID
	if *showKeyID {
		keyID = func(s string) string { return s }
	}
	if *output == "json" {
		out := describeJSON{CustomKeyStores: []storeJSON{}}
		for _, s := range stores {
			out.CustomKeyStores = append(out.CustomKeyStores, toStoreJSON(s, keyID))
		}
		if err := writeJSON(e.stdout, out); err != nil {
			return fail(e, err)
		}
		return exitOK
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tNAME\tTYPE\tSTATE\tERROR CODE\tBACKING\tXKS ACCESS KEY ID\tCREATED")
	for _, s := range stores {
		created := "-"
		if s.CreationDate != nil {
			created = s.CreationDate.UTC().Format(time.RFC3339)
		}
		accessKeyID := "-"
		if x := s.XksProxyConfiguration; x != nil && x.AccessKeyId != nil {
			accessKeyID = keyID(*x.AccessKeyId)
		}
		cols := []string{deref(s.CustomKeyStoreId), orDash(deref(s.CustomKeyStoreName)), string(s.CustomKeyStoreType),
			string(s.ConnectionState), orDash(string(s.ConnectionErrorCode)), backing(s), accessKeyID, created}
		for i, col := range cols {
			sep := "\t"
			if i == len(cols)-1 {
				sep = "\n"
			}
			fmt.Fprint(tw, orDash(display.Clean(col)), sep)
		}
	}
	if err := tw.Flush(); err != nil {
		return fail(e, err)
	}
	return exitOK
}

// maxDescribePages bounds a listing: an account's custom key stores fill a
// few pages even at --page-size 1 (KMS sends up to 1000 a page). An
// endpoint still sending new NextMarkers after this many is not listing
// stores.
const maxDescribePages = 1000

// describeAll returns every store of every page. The paginator refuses a
// NextMarker the listing already sent (the pages would repeat for ever) and
// a page that is Truncated without a NextMarker; a listing longer than
// maxDescribePages pages is refused here. Each is an error, and nothing is
// printed.
func describeAll(e *env, c *kms.Client, in *kms.DescribeCustomKeyStoresInput) ([]kms.CustomKeyStoresListEntry, error) {
	var stores []kms.CustomKeyStoresListEntry
	for p, pages := kms.NewDescribeCustomKeyStoresPaginator(c, in), 0; p.HasMorePages(); pages++ {
		if pages == maxDescribePages {
			return nil, fmt.Errorf("DescribeCustomKeyStores: stopped after %d pages, each with a new NextMarker (%d stores so far): far more than the custom key stores an account can hold; the endpoint is not listing stores as KMS does", pages, len(stores))
		}
		page, err := p.NextPage(e.ctx)
		if err != nil {
			return nil, err
		}
		stores = append(stores, page.CustomKeyStores...)
	}
	return stores, nil
}

// backing is the cluster of a CloudHSM store, or the proxy endpoint, path
// and connectivity of an external one.
func backing(s kms.CustomKeyStoresListEntry) string {
	if x := s.XksProxyConfiguration; x != nil {
		b := deref(x.UriEndpoint) + deref(x.UriPath) + " (" + string(x.Connectivity)
		if x.VpcEndpointServiceName != nil && *x.VpcEndpointServiceName != "" {
			b += " " + *x.VpcEndpointServiceName
		}
		return b + ")"
	}
	return orDash(deref(s.CloudHsmClusterId))
}

// describeJSON is `cks describe --output json`: DescribeCustomKeyStores's
// members as KMS names them, CreationDate in epoch seconds, the XKS
// AccessKeyId masked unless --show-access-key-id.
type describeJSON struct {
	CustomKeyStores []storeJSON
}

type storeJSON struct {
	CloudHsmClusterId      *string        `json:",omitempty"`
	ConnectionErrorCode    string         `json:",omitempty"`
	ConnectionState        string         `json:",omitempty"`
	CreationDate           *float64       `json:",omitempty"`
	CustomKeyStoreId       *string        `json:",omitempty"`
	CustomKeyStoreName     *string        `json:",omitempty"`
	CustomKeyStoreType     string         `json:",omitempty"`
	TrustAnchorCertificate *string        `json:",omitempty"`
	XksProxyConfiguration  *xksConfigJSON `json:",omitempty"`
}

type xksConfigJSON struct {
	AccessKeyId             *string `json:",omitempty"`
	Connectivity            string  `json:",omitempty"`
	UriEndpoint             *string `json:",omitempty"`
	UriPath                 *string `json:",omitempty"`
	VpcEndpointServiceName  *string `json:",omitempty"`
	VpcEndpointServiceOwner *string `json:",omitempty"`
}

func toStoreJSON(s kms.CustomKeyStoresListEntry, keyID func(string) string) storeJSON {
	out := storeJSON{
		CloudHsmClusterId: s.CloudHsmClusterId, ConnectionErrorCode: string(s.ConnectionErrorCode),
		ConnectionState: string(s.ConnectionState), CustomKeyStoreId: s.CustomKeyStoreId,
		CustomKeyStoreName: s.CustomKeyStoreName, CustomKeyStoreType: string(s.CustomKeyStoreType),
		TrustAnchorCertificate: s.TrustAnchorCertificate,
	}
	if t := s.CreationDate; t != nil {
		sec := float64(t.UnixMilli()) / 1000
		out.CreationDate = &sec
	}
	if x := s.XksProxyConfiguration; x != nil {
		out.XksProxyConfiguration = &xksConfigJSON{
			Connectivity: string(x.Connectivity), UriEndpoint: x.UriEndpoint, UriPath: x.UriPath,
			VpcEndpointServiceName: x.VpcEndpointServiceName, VpcEndpointServiceOwner: x.VpcEndpointServiceOwner,
		}
		if x.AccessKeyId != nil {
			k := keyID(*x.AccessKeyId)
			out.XksProxyConfiguration.AccessKeyId = &k
		}
	}
	return out
}
