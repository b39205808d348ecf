package scenarios

import (
	"strings"
	"testing"

	"msgsim/models/lambda"
)

// lambdaConfig builds replication 0 of src and returns function name's configuration.
func lambdaConfig(t *testing.T, src, name string) lambda.Config {
	t.Helper()
	m, err := Build(mustLoadReal(t, src), 0)
	if err != nil {
		t.Fatalf("build:\n%v", err)
	}
	id, ok := m.World.Lookup(name)
	if !ok {
		t.Fatalf("no component %q", name)
	}
	return m.World.Component(id).(*lambda.Function).Config()
}

func TestLambdaProvisionedConcurrencyDecodes(t *testing.T) {
	tests := []struct {
		name, src string
		want      int
	}{
		{"absent means none", "resources:\n  f: {type: lambda}\n", 0},
		{"without a reservation", "resources:\n  f: {type: lambda, provisioned_concurrency: 25}\n", 25},
		{"equal to the reservation", "resources:\n  f: {type: lambda, reserved_concurrency: 10, provisioned_concurrency: 10}\n", 10},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := lambdaConfig(t, tt.src, "f").ProvisionedConcurrency; got != tt.want {
				t.Errorf("ProvisionedConcurrency = %d, want %d", got, tt.want)
			}
		})
	}
}

func TestLambdaProvisionedConcurrencyReportsProblems(t *testing.T) {
	tests := []struct{ name, src, want string }{
		{"above the reservation", "resources:\n  f: {type: lambda, reserved_concurrency: 3, provisioned_concurrency: 5}\n",
			`x.yaml:2:71: resources.f.provisioned_concurrency: 5 is more than reserved_concurrency 3: provisioned concurrency cannot exceed the function's reserved concurrency`},
		{"on a disabled function", "resources:\n  f: {type: lambda, reserved_concurrency: 0, provisioned_concurrency: 1}\n",
			`x.yaml:2:71: resources.f.provisioned_concurrency: 1 is more than reserved_concurrency 0`},
		{"negative", "resources:\n  f: {type: lambda, provisioned_concurrency: -1}\n",
			`x.yaml:2:46: resources.f.provisioned_concurrency: -1 is out of range 0..100000`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantErrorLines(t, realErrors(t, tt.src), tt.want)
		})
	}
}

func TestLambdaProvisionedConcurrencyMustFitTheAccount(t *testing.T) {
	// the account quota is 1,000 and 100 must stay unreserved: 600 + 400 is too much
	src := "resources:\n  a: {type: lambda, reserved_concurrency: 600}\n  b: {type: lambda, provisioned_concurrency: 400}\n"
	_, err := Build(mustLoadReal(t, src), 0)
	if err == nil || !strings.Contains(err.Error(), "provisioned_concurrency: 400 is more than the 300 the account can reserve") {
		t.Errorf("error %v, want provisioned_concurrency beyond the account", err)
	}
}
