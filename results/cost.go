package results

import (
	"strings"

	"msgsim/models/core"
)

// MonthSeconds is the length of the month costs are extrapolated to: 30 days.
const MonthSeconds = 30 * 24 * 3600

// CostOptions are the choices of the cost model.
type CostOptions struct {
	// FreeTier subtracts the monthly free allowances (SQS, Lambda, API Gateway) from the
	// monthly volume before pricing it. Off by default: a production account rarely has
	// them to spare.
	FreeTier bool
}

// Cost is what a run's counted requests cost.
//
// PerRun prices the run's post-warm-up counts at the first-tier (list) price, without free
// tier: what the measured traffic costs. PerMonth extrapolates the post-warm-up rate to a
// 30-day month (count × MonthSeconds / measured duration), prices each item's monthly
// volume — all components of the account together, as AWS does — through its volume
// tiers, minus the free tier if asked, and shares the item's cost among the components in
// proportion to their volume.
type Cost struct {
	PricingVersion string          `json:"pricing_version"`
	FreeTier       bool            `json:"free_tier"`
	PerRun         float64         `json:"per_run_usd"`
	PerMonth       float64         `json:"per_month_usd"`
	Components     []ComponentCost `json:"components"`
}

// ComponentCost is one component's cost, with the priced lines it comes from. A component
// whose kind has no price costs $0 and says why in Unpriced.
type ComponentCost struct {
	Name     string     `json:"name"`
	Kind     string     `json:"kind"`
	PerRun   float64    `json:"per_run_usd"`
	PerMonth float64    `json:"per_month_usd"`
	Lines    []CostLine `json:"lines"`
	Unpriced string     `json:"unpriced,omitempty"`
}

// CostLine is one priced quantity: Units of Item counted by Metric after the warm-up.
type CostLine struct {
	Item         string  `json:"item"`
	Metric       string  `json:"metric"`
	Units        float64 `json:"units"`
	MonthlyUnits float64 `json:"monthly_units"`
	PerRun       float64 `json:"per_run_usd"`
	PerMonth     float64 `json:"per_month_usd"`
}

// A priceItem is one thing AWS charges for; its free allowance comes from a pool that
// several items may share (SQS standard and FIFO requests).
type priceItem struct {
	name     string
	tiers    func(p *Prices) Tiers
	freePool string
}

// priceItems in the order free allowances are consumed.
var priceItems = []priceItem{
	{"sqs standard requests", func(p *Prices) Tiers { return p.SQSStandardRequests }, "sqs"},
	{"sqs fifo requests", func(p *Prices) Tiers { return p.SQSFIFORequests }, "sqs"},
	{"sns standard publishes", func(p *Prices) Tiers { return p.SNSStandardPublishes }, ""},
	{"sns fifo publishes", func(p *Prices) Tiers { return p.SNSFIFOPublishes }, ""},
	{"sns deliveries http", func(p *Prices) Tiers { return p.SNSDeliveryHTTP }, ""},
	{"sns deliveries email", func(p *Prices) Tiers { return p.SNSDeliveryEmail }, ""},
	{"sns deliveries mobile", func(p *Prices) Tiers { return p.SNSDeliveryMobile }, ""},
	{"sns deliveries sqs", func(p *Prices) Tiers { return p.SNSDeliverySQS }, ""},
	{"sns deliveries lambda", func(p *Prices) Tiers { return p.SNSDeliveryLambda }, ""},
	{"eventbridge events", func(p *Prices) Tiers { return p.EventBridgeEvents }, ""},
	{"lambda requests", func(p *Prices) Tiers { return p.LambdaRequests }, "lambda-requests"},
	{"lambda gb-seconds x86_64", func(p *Prices) Tiers { return p.LambdaGBSecondsX86 }, "lambda-gb-s"},
	{"lambda gb-seconds arm64", func(p *Prices) Tiers { return p.LambdaGBSecondsARM }, "lambda-gb-s"},
	{"lambda provisioned concurrency gb-seconds x86_64", func(p *Prices) Tiers { return p.LambdaProvisionedConcurrencyX86 }, ""},
	{"lambda provisioned concurrency gb-seconds arm64", func(p *Prices) Tiers { return p.LambdaProvisionedConcurrencyARM }, ""},
	{"lambda provisioned duration gb-seconds x86_64", func(p *Prices) Tiers { return p.LambdaProvisionedDurationX86 }, ""},
	{"lambda provisioned duration gb-seconds arm64", func(p *Prices) Tiers { return p.LambdaProvisionedDurationARM }, ""},
	{"api gateway rest requests", func(p *Prices) Tiers { return p.APIGatewayRESTRequests }, "apigw-rest"},
	{"api gateway http requests", func(p *Prices) Tiers { return p.APIGatewayHTTPRequests }, "apigw-http"},
	{"dynamodb write request units", func(p *Prices) Tiers { return p.DynamoDBWriteRequestUnits }, ""},
	{"dynamodb read request units", func(p *Prices) Tiers { return p.DynamoDBReadRequestUnits }, ""},
}

func freeAllowance(p *Prices, pool string) float64 {
	switch pool {
	case "sqs":
		return p.SQSFreeRequests
	case "lambda-requests":
		return p.LambdaFreeRequests
	case "lambda-gb-s":
		return p.LambdaFreeGBSeconds
	case "apigw-rest":
		return p.APIGatewayFreeRESTRequests
	case "apigw-http":
		return p.APIGatewayFreeHTTPRequests
	}
	return 0
}

// snsProtocols maps an SNS subscription protocol to its delivery price item.
var snsProtocols = []struct{ protocol, item string }{
	{"http", "sns deliveries http"}, {"https", "sns deliveries http"},
	{"email", "sns deliveries email"}, {"email-json", "sns deliveries email"},
	{"application", "sns deliveries mobile"},
	{"sqs", "sns deliveries sqs"}, {"lambda", "sns deliveries lambda"},
}

// SNSDeliveryMetricPrefix starts the name of the counters an SNS topic keeps of its
// deliveries by subscription protocol ("Deliveries.https", "Deliveries.sqs"): the cost
// model prices each by its protocol. Protocols without a price (sms, firehose) are $0.
const SNSDeliveryMetricPrefix = "Deliveries."

// usage is one counted quantity of a component and the item that prices it.
type usage struct {
	item, metric string
	units        float64
}

// usageOf lists what a component is billed for, by kind and CloudWatch metric name:
//
//	sqs, sqs-fifo      Requests (billable requests: 64 KiB chunks, empty receives included)
//	sns, sns-fifo      Requests (billable publishes in 64 KiB chunks), or
//	                   NumberOfMessagesPublished if the topic has no Requests counter;
//	                   Deliveries.<protocol> (deliveries by subscription protocol)
//	eventbridge        Requests (billable events: PutEvents entries in 64 KiB chunks)
//	lambda             Invocations; BilledGBSeconds (unit "MB-ms" or "GB-s") priced by
//	                   the function's architecture (core.Architectured; x86_64 if unknown);
//	                   with provisioned concurrency, ProvisionedBilledGBSeconds (the part
//	                   of BilledGBSeconds run on provisioned environments) is taken out of
//	                   it and priced as provisioned duration, and
//	                   ProvisionedConcurrencyGBSeconds (configured amount × measured time)
//	                   as provisioned concurrency
//	apigateway-rest    Count
//	apigateway-http    Count
//	dynamodb           ConsumedWriteCapacityUnits, ConsumedReadCapacityUnits (on-demand
//	                   request units)
//
// Any other kind (producer, service, "") has no price: it returns a reason instead.
func usageOf(c *ComponentSummary) ([]usage, string) {
	var out []usage
	add := func(item, metric string) bool {
		m, ok := c.Metric(metric)
		if !ok || m.Counter == nil {
			return false
		}
		out = append(out, usage{item, metric, float64(m.Counter.Total)})
		return true
	}
	switch c.Kind {
	case core.KindSQS:
		add("sqs standard requests", "Requests")
	case core.KindSQSFIFO:
		add("sqs fifo requests", "Requests")
	case core.KindSNS, core.KindSNSFIFO:
		item := "sns standard publishes"
		if c.Kind == core.KindSNSFIFO {
			item = "sns fifo publishes"
		}
		if !add(item, "Requests") {
			add(item, "NumberOfMessagesPublished")
		}
		for _, m := range c.Metrics {
			proto, ok := strings.CutPrefix(m.Name, SNSDeliveryMetricPrefix)
			if !ok || m.Counter == nil {
				continue
			}
			for _, sp := range snsProtocols {
				if sp.protocol == proto {
					add(sp.item, m.Name)
				}
			}
		}
	case core.KindEventBridge:
		add("eventbridge events", "Requests")
	case core.KindLambda:
		add("lambda requests", "Invocations")
		arch := "x86_64"
		if c.Architecture == "arm64" {
			arch = "arm64"
		}
		prov, hasProv := gbSecondsOf(c, "ProvisionedBilledGBSeconds")
		if all, ok := gbSecondsOf(c, "BilledGBSeconds"); ok {
			metric := "BilledGBSeconds"
			if hasProv {
				// on-demand duration only; both counters are exact integers (MB-ms), so
				// the difference is exact before it is converted
				all, metric = all.minus(prov), "BilledGBSeconds - ProvisionedBilledGBSeconds"
			}
			out = append(out, usage{"lambda gb-seconds " + arch, metric, all.gbs()})
		}
		if hasProv {
			out = append(out, usage{"lambda provisioned duration gb-seconds " + arch, "ProvisionedBilledGBSeconds", prov.gbs()})
		}
		if conf, ok := gbSecondsOf(c, "ProvisionedConcurrencyGBSeconds"); ok {
			out = append(out, usage{"lambda provisioned concurrency gb-seconds " + arch, "ProvisionedConcurrencyGBSeconds", conf.gbs()})
		}
	case core.KindAPIGatewayREST:
		add("api gateway rest requests", "Count")
	case core.KindAPIGatewayHTTP:
		add("api gateway http requests", "Count")
	case core.KindDynamoDB:
		add("dynamodb write request units", "ConsumedWriteCapacityUnits")
		add("dynamodb read request units", "ConsumedReadCapacityUnits")
	default:
		if c.Kind == "" {
			return nil, "kind unknown: no price"
		}
		return nil, "no price for kind " + c.Kind
	}
	if len(out) == 0 {
		return nil, "no billable metric counted"
	}
	return out, ""
}

// gbCount is a GB-second counter's post-warm-up total in its own unit: MB-ms (exact
// integers, as the Lambda model keeps them) or GB-s.
type gbCount struct {
	n    float64
	mbms bool
}

// gbs converts the count to GB-seconds: 1 GB = 1,024 MB (Lambda's memory GB), 1 s =
// 1,000 ms.
func (g gbCount) gbs() float64 {
	if g.mbms {
		return g.n / (1024 * 1000)
	}
	return g.n
}

// minus is g − o, in g's unit when both share it (exact while the counts are integers
// below 2^53), else in GB-s.
func (g gbCount) minus(o gbCount) gbCount {
	if g.mbms == o.mbms {
		return gbCount{g.n - o.n, g.mbms}
	}
	return gbCount{g.gbs() - o.gbs(), false}
}

// gbSecondsOf reads the post-warm-up total of GB-second counter name of c.
func gbSecondsOf(c *ComponentSummary, name string) (gbCount, bool) {
	m, ok := c.Metric(name)
	if !ok || m.Counter == nil {
		return gbCount{}, false
	}
	return gbCount{float64(m.Counter.Total), m.Unit == "MB-ms"}, true
}

// ComputeCost prices a run's counted requests with prices (see Cost for the rules).
func ComputeCost(r *Run, prices Prices, opts CostOptions) Cost {
	cost := Cost{PricingVersion: prices.PricingVersion, FreeTier: opts.FreeTier, Components: []ComponentCost{}}
	scale := 0.0 // run → month
	if r.DurationSeconds > 0 {
		scale = MonthSeconds / r.DurationSeconds
	}
	itemIndex := func(name string) int {
		for i, it := range priceItems {
			if it.name == name {
				return i
			}
		}
		return -1
	}
	monthly := make([]float64, len(priceItems)) // account-wide monthly units per item
	for i := range r.Components {
		c := &r.Components[i]
		cc := ComponentCost{Name: c.Name, Kind: c.Kind, Lines: []CostLine{}}
		uses, why := usageOf(c)
		cc.Unpriced = why
		for _, u := range uses {
			k := itemIndex(u.item)
			line := CostLine{Item: u.item, Metric: u.metric, Units: u.units, MonthlyUnits: u.units * scale}
			line.PerRun = u.units * priceItems[k].tiers(&prices).Base() / 1e6
			monthly[k] += line.MonthlyUnits
			cc.Lines = append(cc.Lines, line)
			cc.PerRun += line.PerRun
		}
		cost.PerRun += cc.PerRun
		cost.Components = append(cost.Components, cc)
	}

	// Monthly cost of each item over the whole account, then shared pro rata.
	itemCost := make([]float64, len(priceItems))
	type pool struct {
		name string
		left float64
	}
	var pools []pool
	for k, it := range priceItems {
		free := 0.0
		if opts.FreeTier && it.freePool != "" {
			j := -1
			for i := range pools {
				if pools[i].name == it.freePool {
					j = i
				}
			}
			if j < 0 {
				pools = append(pools, pool{it.freePool, freeAllowance(&prices, it.freePool)})
				j = len(pools) - 1
			}
			free = min(pools[j].left, monthly[k])
			pools[j].left -= free
		}
		itemCost[k] = it.tiers(&prices).between(free, monthly[k])
	}
	for i := range cost.Components {
		cc := &cost.Components[i]
		for j := range cc.Lines {
			l := &cc.Lines[j]
			k := itemIndex(l.Item)
			if monthly[k] > 0 {
				l.PerMonth = itemCost[k] * l.MonthlyUnits / monthly[k]
			}
			cc.PerMonth += l.PerMonth
		}
		cost.PerMonth += cc.PerMonth
	}
	return cost
}

// CostSummary is the cost over the replications.
type CostSummary struct {
	PricingVersion string               `json:"pricing_version"`
	FreeTier       bool                 `json:"free_tier"`
	PerRun         Stat                 `json:"per_run_usd"`
	PerMonth       Stat                 `json:"per_month_usd"`
	Components     []ComponentCostStats `json:"components"`
}

// ComponentCostStats is one component's cost over the replications.
type ComponentCostStats struct {
	Name     string `json:"name"`
	Kind     string `json:"kind"`
	PerRun   Stat   `json:"per_run_usd"`
	PerMonth Stat   `json:"per_month_usd"`
	Unpriced string `json:"unpriced,omitempty"`
}

func aggregateCost(runs []*Run) CostSummary {
	cs := CostSummary{PricingVersion: runs[0].Cost.PricingVersion, FreeTier: runs[0].Cost.FreeTier,
		Components: []ComponentCostStats{}}
	var run, month []float64
	for _, r := range runs {
		run, month = append(run, r.Cost.PerRun), append(month, r.Cost.PerMonth)
	}
	cs.PerRun, cs.PerMonth = statOf(run), statOf(month)
	for _, name := range names(runs, func(r *Run) []string {
		ns := make([]string, len(r.Cost.Components))
		for i, c := range r.Cost.Components {
			ns[i] = c.Name
		}
		return ns
	}) {
		ccs := ComponentCostStats{Name: name}
		var pr, pm []float64
		for _, r := range runs {
			var a, b float64
			for _, c := range r.Cost.Components {
				if c.Name == name {
					a, b = c.PerRun, c.PerMonth
					if ccs.Kind == "" && ccs.Unpriced == "" {
						ccs.Kind, ccs.Unpriced = c.Kind, c.Unpriced
					}
				}
			}
			pr, pm = append(pr, a), append(pm, b)
		}
		ccs.PerRun, ccs.PerMonth = statOf(pr), statOf(pm)
		cs.Components = append(cs.Components, ccs)
	}
	return cs
}
