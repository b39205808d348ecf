package scenarios

import (
	"testing"
	"time"
)

func TestFaultsListsOutagesOfServicesEndpointsAndAPIs(t *testing.T) {
	src := []byte(`
name: f
producers:
  p: {target: api, arrival: {process: poisson, rate: 1/s}}
resources:
  api: {type: apigateway, flavor: http, target: svc, outages: [{from: 1m, to: 2m, mode: timeout}]}
  svc: {type: service, outages: [{from: 3m, to: 4m}]}
  mail: {type: endpoint, protocol: email, outages: [{from: 5m, to: 6m}]}
`)
	f, err := Load("f.yaml", src, Types(), nil)
	if err != nil {
		t.Fatal(err)
	}
	got := f.Faults()
	want := []FaultWindow{
		{"api", time.Minute, 2 * time.Minute, "timeout"},
		{"svc", 3 * time.Minute, 4 * time.Minute, "error"},
		{"mail", 5 * time.Minute, 6 * time.Minute, "error"},
	}
	if len(got) != len(want) {
		t.Fatalf("faults %+v", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("fault %d = %+v, want %+v", i, got[i], want[i])
		}
	}
}
