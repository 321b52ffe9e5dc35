package safeupdate_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"

	"github.com/kmskit/kms"
	"github.com/kmskit/kms/kmstest"
	"github.com/kmskit/kms/safeupdate"
)

// BenchmarkApplyDowntime measures how long Apply keeps a store's keys
// unusable beyond what KMS itself needs: an endpoint change of a CONNECTED
// external key store (disconnect, update, reconnect) on kmstest with fixed
// transitions each way (3 s, which Apply's 1 s polling happens to hit in
// phase, and 3.5 s, which it does not), with Apply's default options (one
// Describe per second while waiting). The store leaves CONNECTED when the
// fake accepts DisconnectCustomKeyStore and is CONNECTED again one
// transition after it accepts ConnectCustomKeyStore; the fake's call hook
// timestamps both.
//
//	s_outside_connected/op  time the store was not CONNECTED
//	s_overhead/op           that minus the fake's own two transitions
//	                        (issue 19: at most 0.6 s; see BENCHMARKS.md)
//
// Run: go test -run '^$' -bench BenchmarkApplyDowntime -benchtime 3x ./safeupdate
func BenchmarkApplyDowntime(b *testing.B) {
	for _, d := range []time.Duration{3 * time.Second, 3500 * time.Millisecond} {
		b.Run("transition="+d.String(), func(b *testing.B) { benchApplyDowntime(b, d) })
	}
}

func benchApplyDowntime(b *testing.B, benchTransition time.Duration) {
	var mu sync.Mutex
	var disconnectAt, connectAt time.Time
	srv := kmstest.NewServer(kmstest.WithTransitionDelay(benchTransition), kmstest.WithXksProxyTimeout(10*time.Second),
		kmstest.WithCallHook(func(c kmstest.Call) {
			now := time.Now()
			mu.Lock()
			defer mu.Unlock()
			switch {
			case c.Code != "":
			case c.Target == kmstest.TargetDisconnectCustomKeyStore:
				disconnectAt = now
			case c.Target == kmstest.TargetConnectCustomKeyStore:
				connectAt = now
			}
		}))
	defer srv.Close()
	var proxies []*kmstest.XksProxyServer
	for _, ep := range []string{routedEndpoint, routedOtherEndpoint} {
		p := kmstest.NewXksProxyServer(kmstest.WithXksEndpoint(ep), kmstest.WithXksURIPrefix("/tenant-a"),
			kmstest.WithXksCredentials(kmstest.XksCredential{AccessKeyID: routedAccessKeyID, SecretAccessKey: routedSecret}),
			kmstest.WithXksKeys(kmstest.XksKey{ID: "key-1", Material: keyMaterial}))
		defer p.Close()
		srv.RouteXksProxy(p)
		proxies = append(proxies, p)
	}
	hc := kmstest.XksProxiesClient(proxies...)
	loadWorld(b, srv)
	updater := safeupdate.NewUpdater(kms.New(kms.Options{Region: "us-east-1", Credentials: staticCreds(), BaseEndpoint: aws.String(srv.URL), HTTPClient: srv.Client()}))
	cred1 := xksCred(routedAccessKeyID, routedSecret)
	ctx := context.Background()

	var outside time.Duration
	b.ResetTimer()
	for i := range b.N {
		target := routedOtherEndpoint
		if i%2 == 1 {
			target = routedEndpoint
		}
		in := &kms.UpdateCustomKeyStoreInput{CustomKeyStoreId: aws.String(routedStoreID), XksProxyUriEndpoint: aws.String(target)}
		plan, err := updater.Plan(ctx, in, safeupdate.PlanOptions{
			AllowDisconnect: true,
			Preflight:       safeupdate.PreflightOptions{HTTPClient: hc, Credential: &cred1, ExternalKeyIDs: []string{"key-1"}},
		})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := plan.Apply(ctx, safeupdate.ApplyOptions{}); err != nil {
			b.Fatal(err)
		}
		mu.Lock()
		outside += connectAt.Add(benchTransition).Sub(disconnectAt)
		mu.Unlock()
	}
	b.StopTimer()
	per := outside.Seconds() / float64(b.N)
	b.ReportMetric(per, "s_outside_connected/op")
	b.ReportMetric(per-2*benchTransition.Seconds(), "s_overhead/op")
}
