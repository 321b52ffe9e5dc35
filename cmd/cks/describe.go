package main

import (
	"encoding/json"
	"fmt"
	"text/tabwriter"
	"time"

	"github.com/kmskit/kms"
)

func runDescribe(e *env, args []string) int {
	fs := newFlagSet(e, "describe", "[--id ID | --name NAME] [--output table|json]")
	var a awsFlags
	a.register(fs)
	var id, name *string
	fs.Var(optString{&id}, "id", "describe only this CustomKeyStoreId")
	fs.Var(optString{&name}, "name", "describe only the store of this CustomKeyStoreName")
	output := fs.String("output", "table", "table or json")
	pageSize := fs.Int("page-size", 0, "stores per DescribeCustomKeyStores call, 1 to 1000 (default: KMS's choice); every page is fetched")
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
	var stores []kms.CustomKeyStoresListEntry
	for p := kms.NewDescribeCustomKeyStoresPaginator(c, in); p.HasMorePages(); {
		page, err := p.NextPage(e.ctx)
		if err != nil {
			return fail(e, err)
		}
		stores = append(stores, page.CustomKeyStores...)
	}
	if *output == "json" {
		if stores == nil {
			stores = []kms.CustomKeyStoresListEntry{}
		}
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(struct {
			CustomKeyStores []kms.CustomKeyStoresListEntry
		}{stores}); err != nil {
			return fail(e, err)
		}
		return exitOK
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tNAME\tTYPE\tSTATE\tERROR CODE\tBACKING\tCREATED")
	for _, s := range stores {
		created := "-"
		if s.CreationDate != nil {
			created = s.CreationDate.UTC().Format(time.RFC3339)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", deref(s.CustomKeyStoreId), orDash(deref(s.CustomKeyStoreName)),
			s.CustomKeyStoreType, s.ConnectionState, orDash(string(s.ConnectionErrorCode)), backing(s), created)
	}
	if err := tw.Flush(); err != nil {
		return fail(e, err)
	}
	return exitOK
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
