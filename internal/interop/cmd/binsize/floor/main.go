// Command floor posts the body of the same rename with net/http alone,
// unsigned: the least any Go program that calls KMS over HTTPS contains. It
// exists to be measured (see package binsize).
package main

import (
	"fmt"
	"net/http"
	"os"
	"strings"
)

func main() {
	body := `{"CustomKeyStoreId":"cks-1234567890abcdef0","NewCustomKeyStoreName":"ExampleKeyStore"}`
	resp, err := http.Post("https://kms."+os.Getenv("AWS_REGION")+".amazonaws.com/", "application/x-amz-json-1.1", strings.NewReader(body))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	resp.Body.Close()
}
