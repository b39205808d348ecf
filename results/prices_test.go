package results

import (
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

func TestDefaultPricesAreValid(t *testing.T) {
	if err := DefaultPrices().Validate(); err != nil {
		t.Fatal(err)
	}
	if v := DefaultPrices().PricingVersion; v != "2026-06" {
		t.Errorf("pricing version %q", v)
	}
}

func TestScenarioYAMLOverridesOnlyTheFieldsItNames(t *testing.T) {
	p := DefaultPrices()
	src := "pricing_version: custom\nsqs_standard_requests: [{per_million: 0.5}]\nlambda_free_requests: 0\n"
	if err := yaml.Unmarshal([]byte(src), &p); err != nil {
		t.Fatal(err)
	}
	if p.PricingVersion != "custom" || p.SQSStandardRequests.Base() != 0.5 || len(p.SQSStandardRequests) != 1 || p.LambdaFreeRequests != 0 {
		t.Errorf("overrides not applied: %+v", p)
	}
	if p.LambdaRequests.Base() != 0.20 || p.SQSFreeRequests != 1e6 {
		t.Error("fields not named were changed")
	}
}

func TestValidateReportsEveryBadPrice(t *testing.T) {
	p := DefaultPrices()
	p.SQSFIFORequests = Tiers{{UpTo: 0, PerMillion: 1}, {UpTo: 5, PerMillion: -1}}
	p.EventBridgeEvents = nil
	p.LambdaFreeGBSeconds = -3
	err := p.Validate()
	if err == nil {
		t.Fatal("no error")
	}
	for _, want := range []string{
		"sqs_fifo_requests[0].up_to: only the last tier may be unbounded",
		"sqs_fifo_requests[1].per_million: -1 is not a non-negative price",
		"eventbridge_events: no price tiers",
		"lambda_free_gb_seconds: -3 is not a non-negative allowance",
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
}
