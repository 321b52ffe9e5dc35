package safeupdate

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/kmskit/kms"
)

func TestNewUpdaterRegion(t *testing.T) {
	client := kms.New(kms.Options{Region: "eu-west-1"})
	assert.Equal(t, "eu-west-1", NewUpdater(client).options.Region, "the client's Region by default")
	assert.Equal(t, "us-west-2", NewUpdater(client, func(o *Options) { o.Region = "us-west-2" }).options.Region, "optFns win")

	type onlyAPI struct{ API } // no Options method
	assert.Empty(t, NewUpdater(onlyAPI{client}).options.Region, "no Region to default to")
}
