package results

import (
	"math"
	"testing"
)

// near compares dollar amounts computed through a few float operations: the relative
// error of each is ≤ 2^-53, so 1e-12 relative is ample and still catches any wrong price.
func near(got, want float64) bool {
	return math.Abs(got-want) <= 1e-12*math.Max(1, math.Abs(want))
}

func component(name, kind string, ms ...MetricSummary) ComponentSummary {
	return ComponentSummary{Name: name, Kind: kind, Metrics: ms}
}

func gbSeconds(mbms uint64) MetricSummary {
	return MetricSummary{Name: "BilledGBSeconds", Unit: "MB-ms", Kind: MetricCounter, Counter: &CounterFigures{Total: mbms}}
}

func TestCostEqualsTheHandComputation(t *testing.T) {
	const month = MonthSeconds
	tests := []struct {
		name              string
		duration          float64
		freeTier          bool
		components        []ComponentSummary
		perRun, perMonth  float64
		perComponentMonth []float64
	}{
		{
			name: "1,000,000 SQS requests cost $0.40", duration: month,
			components: []ComponentSummary{component("q", "sqs", counter("Requests", 1_000_000))},
			perRun:     0.40, perMonth: 0.40,
		},
		{
			// 2 M × $0.20/M = $0.40; 512 MB × 100 ms = 0.05 GB-s each, 100,000 GB-s in all
			// (the counter holds 2 M × 100 ms × 512 MB = 1.024e11 MB-ms) × $0.0000166667.
			name: "2,000,000 Lambda invocations at 512 MB × 100 ms", duration: month,
			components: []ComponentSummary{component("fn", "lambda", counter("Invocations", 2_000_000), gbSeconds(2_000_000*100*512))},
			perRun:     0.40 + 100_000*0.0000166667, perMonth: 0.40 + 100_000*0.0000166667,
		},
		{
			name: "arm64 GB-seconds cost $0.0000133334", duration: month,
			components: []ComponentSummary{{Name: "fn", Kind: "lambda", Architecture: "arm64",
				Metrics: []MetricSummary{counter("Invocations", 0), gbSeconds(100_000 * 1_024_000)}}},
			perRun: 100_000 * 0.0000133334, perMonth: 100_000 * 0.0000133334,
		},
		{
			// The hour's 1 M requests are 720 M a month at $0.40/M.
			name: "an hour extrapolates to 720 hours", duration: 3600,
			components: []ComponentSummary{component("q", "sqs", counter("Requests", 1_000_000))},
			perRun:     0.40, perMonth: 720 * 0.40,
		},
		{
			// 150 B a month: 100 B at $0.40/M + 50 B at $0.30/M = $40,000 + $15,000.
			name: "monthly volume walks the tiers", duration: month,
			components: []ComponentSummary{component("q", "sqs", counter("Requests", 150e9))},
			perRun:     150e3 * 0.40, perMonth: 55_000,
		},
		{
			// Tiers apply to the account: 200 B in all = $40,000 + $30,000, half each.
			name: "two queues share the tiers pro rata", duration: month,
			components: []ComponentSummary{component("a", "sqs", counter("Requests", 100e9)), component("b", "sqs", counter("Requests", 100e9))},
			perRun:     2 * 100e3 * 0.40, perMonth: 70_000, perComponentMonth: []float64{35_000, 35_000},
		},
		{
			// The free 1 M covers the 600 k standard requests and 400 k of the FIFO ones:
			// 200 k FIFO × $0.50/M = $0.10. Per run ignores the free tier: $0.24 + $0.30.
			name: "the free tier is shared by standard and FIFO queues", duration: month, freeTier: true,
			components: []ComponentSummary{component("s", "sqs", counter("Requests", 600_000)), component("f", "sqs-fifo", counter("Requests", 600_000))},
			perRun:     0.24 + 0.30, perMonth: 0.10, perComponentMonth: []float64{0, 0.10},
		},
		{
			// 1 M publishes × $0.50/M + 1 M https × $0.60/M + 100,000 email × $2.00/100,000
			// + 1 M sqs × $0 + 5 sms (no price).
			name: "SNS publishes and deliveries by protocol", duration: month,
			components: []ComponentSummary{component("t", "sns", counter("NumberOfMessagesPublished", 1_000_000),
				counter("Deliveries.https", 1_000_000), counter("Deliveries.email", 100_000),
				counter("Deliveries.sqs", 1_000_000), counter("Deliveries.sms", 5))},
			perRun: 0.50 + 0.60 + 2.00, perMonth: 0.50 + 0.60 + 2.00,
		},
		{
			name: "EventBridge, API Gateway and DynamoDB", duration: month,
			components: []ComponentSummary{
				component("bus", "eventbridge", counter("Requests", 2_000_000)),
				component("rest", "apigateway-rest", counter("Count", 1_000_000)),
				component("http", "apigateway-http", counter("Count", 1_000_000)),
				component("table", "dynamodb", counter("ConsumedWriteCapacityUnits", 1_000_000), counter("ConsumedReadCapacityUnits", 4_000_000)),
			},
			perRun: 2.00 + 3.50 + 1.00 + 0.625 + 0.50, perMonth: 2.00 + 3.50 + 1.00 + 0.625 + 0.50,
		},
		{
			name: "kinds without a price cost nothing", duration: month,
			components: []ComponentSummary{component("svc", "service", counter("Requests", 1e9)), component("x", "", counter("Requests", 1e9))},
			perRun:     0, perMonth: 0, perComponentMonth: []float64{0, 0},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := &Run{DurationSeconds: tt.duration, Components: tt.components}
			c := ComputeCost(r, DefaultPrices(), CostOptions{FreeTier: tt.freeTier})
			if !near(c.PerRun, tt.perRun) || !near(c.PerMonth, tt.perMonth) {
				t.Errorf("per run $%v, per month $%v; want $%v, $%v", c.PerRun, c.PerMonth, tt.perRun, tt.perMonth)
			}
			for i, want := range tt.perComponentMonth {
				if !near(c.Components[i].PerMonth, want) {
					t.Errorf("%s per month $%v, want $%v", c.Components[i].Name, c.Components[i].PerMonth, want)
				}
			}
			if len(c.Components) != len(tt.components) {
				t.Errorf("%d components priced, want every one of %d listed", len(c.Components), len(tt.components))
			}
		})
	}
}

func TestUnpricedComponentsSayWhy(t *testing.T) {
	r := &Run{DurationSeconds: 10, Components: []ComponentSummary{
		component("svc", "service"), component("x", ""), component("q", "sqs", counter("NumberOfMessagesSent", 3))}}
	c := ComputeCost(r, DefaultPrices(), CostOptions{})
	want := []string{"no price for kind service", "kind unknown: no price", "no billable metric counted"}
	for i, w := range want {
		if c.Components[i].Unpriced != w {
			t.Errorf("%s: unpriced %q, want %q", c.Components[i].Name, c.Components[i].Unpriced, w)
		}
	}
}

func TestTiersCost(t *testing.T) {
	x86 := DefaultPrices().LambdaGBSecondsX86
	// 20 B GB-s: 6 B × 16.6667 + 9 B × 15 + 5 B × 13.3334 (per million).
	want := 6e3*16.6667 + 9e3*15 + 5e3*13.3334
	if got := x86.Cost(20e9); !near(got, want) {
		t.Errorf("20 B GB-s cost $%v, want $%v", got, want)
	}
	if got := (Tiers{}).Cost(5); got != 0 {
		t.Errorf("empty tiers cost %v", got)
	}
}

// mbms is a GB-second counter of the Lambda model: a post-warm-up total in MB-ms.
func mbms(name string, total uint64) MetricSummary {
	return MetricSummary{Name: name, Unit: "MB-ms", Kind: MetricCounter, Counter: &CounterFigures{Total: total}}
}

func TestProvisionedConcurrencyCostEqualsTheHandComputation(t *testing.T) {
	// A month measured (per run = per month without the free tier), 1,024 MB, 10
	// provisioned environments: 10 × 1 GB × 2,592,000 s = 25,920,000 GB-s configured.
	// 1.2 M invocations of 100 ms: 1 M on provisioned environments (100,000 GB-s) and
	// 200,000 spilled over (20,000 GB-s on demand); BilledGBSeconds holds all 120,000.
	const gb = 1024 * 1000 // MB-ms per GB-s
	fn := func(arch string) ComponentSummary {
		return ComponentSummary{Name: "fn", Kind: "lambda", Architecture: arch, Metrics: []MetricSummary{
			counter("Invocations", 1_200_000),
			mbms("BilledGBSeconds", 120_000*gb),
			mbms("ProvisionedBilledGBSeconds", 100_000*gb),
			mbms("ProvisionedConcurrencyGBSeconds", 25_920_000*gb),
		}}
	}
	tests := []struct {
		name     string
		arch     string
		freeTier bool
		lines    map[string]float64 // item → per-month dollars
		perMonth float64
	}{
		{
			// 25,920,000 × $0.0000041667 = $108.000864; 100,000 × $0.0000097222 = $0.97222;
			// 20,000 × $0.0000166667 = $0.333334; 1.2 M × $0.20/M = $0.24; total $109.546418.
			name: "x86_64", arch: "x86_64",
			lines: map[string]float64{
				"lambda provisioned concurrency gb-seconds x86_64": 108.000864,
				"lambda provisioned duration gb-seconds x86_64":    0.97222,
				"lambda gb-seconds x86_64":                         0.333334,
				"lambda requests":                                  0.24,
			},
			perMonth: 109.546418,
		},
		{
			// 25,920,000 × $0.0000033334 = $86.401728; 100,000 × $0.0000077778 = $0.77778;
			// 20,000 × $0.0000133334 = $0.266668; requests $0.24; total $87.686176.
			name: "arm64", arch: "arm64",
			lines: map[string]float64{
				"lambda provisioned concurrency gb-seconds arm64": 86.401728,
				"lambda provisioned duration gb-seconds arm64":    0.77778,
				"lambda gb-seconds arm64":                         0.266668,
				"lambda requests":                                 0.24,
			},
			perMonth: 87.686176,
		},
		{
			// The free tier covers the 20,000 on-demand GB-s and 1 M requests (0.2 M ×
			// $0.20/M = $0.04 left), never provisioned concurrency: total $109.013084.
			name: "the free tier does not cover provisioned concurrency", arch: "x86_64", freeTier: true,
			lines: map[string]float64{
				"lambda provisioned concurrency gb-seconds x86_64": 108.000864,
				"lambda provisioned duration gb-seconds x86_64":    0.97222,
				"lambda gb-seconds x86_64":                         0,
				"lambda requests":                                  0.04,
			},
			perMonth: 109.013084,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := &Run{DurationSeconds: MonthSeconds, Components: []ComponentSummary{fn(tt.arch)}}
			c := ComputeCost(r, DefaultPrices(), CostOptions{FreeTier: tt.freeTier})
			if !near(c.PerMonth, tt.perMonth) {
				t.Errorf("per month $%v, want $%v", c.PerMonth, tt.perMonth)
			}
			if !tt.freeTier && !near(c.PerRun, tt.perMonth) {
				t.Errorf("per run $%v, want $%v (a month measured)", c.PerRun, tt.perMonth)
			}
			got := c.Components[0].Lines
			if len(got) != len(tt.lines) {
				t.Fatalf("%d cost lines %+v, want %d", len(got), got, len(tt.lines))
			}
			for _, l := range got {
				want, ok := tt.lines[l.Item]
				if !ok || !near(l.PerMonth, want) {
					t.Errorf("line %s (%s) $%v, want $%v", l.Item, l.Metric, l.PerMonth, want)
				}
			}
		})
	}
}
