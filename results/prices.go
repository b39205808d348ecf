package results

import (
	"errors"
	"fmt"
	"math"
	"strings"
)

// Tier is one step of a price that falls with monthly volume: the units of a month beyond
// the previous tier's UpTo and up to this tier's UpTo cost PerMillion dollars per million
// units. UpTo 0 means no upper bound (the last tier). Every price of the table is per
// million units, GB-seconds included ($0.0000166667 per GB-s = $16.6667 per million GB-s),
// so one shape fits all.
type Tier struct {
	UpTo       float64 `yaml:"up_to" json:"up_to"`
	PerMillion float64 `yaml:"per_million" json:"per_million"`
}

// Tiers is a volume-tiered price, in increasing order of UpTo.
type Tiers []Tier

// Base is the first tier's price per million units (the list price of a small volume).
func (t Tiers) Base() float64 {
	if len(t) == 0 {
		return 0
	}
	return t[0].PerMillion
}

// Cost is the price of units in one month, walking the tiers: Σ over tiers of the units
// falling in the tier × its price. Units beyond the last bounded tier are priced at the
// last tier.
func (t Tiers) Cost(units float64) float64 {
	if len(t) == 0 || !(units > 0) {
		return 0
	}
	cost, from := 0.0, 0.0
	for i, tier := range t {
		to := tier.UpTo
		if to <= 0 || i == len(t)-1 {
			to = math.Inf(1)
		}
		if units <= from {
			break
		}
		n := math.Min(units, to) - from
		cost += n * tier.PerMillion / 1e6
		from = to
	}
	return cost
}

// between is the price of the units from a to b of a month (a ≤ b): the part of the
// volume above a free allowance of a units.
func (t Tiers) between(a, b float64) float64 {
	if b <= a {
		return 0
	}
	return t.Cost(b) - t.Cost(a)
}

// Prices is the price table the cost model applies, us-east-1, in US dollars. Defaults come
// from DefaultPrices (docs/aws-semantics §8); a scenario may override any field (yaml
// tags). Free allowances are per month and apply only when the free tier is asked for.
type Prices struct {
	PricingVersion string `yaml:"pricing_version" json:"pricing_version"`

	SQSStandardRequests Tiers `yaml:"sqs_standard_requests" json:"sqs_standard_requests"`
	SQSFIFORequests     Tiers `yaml:"sqs_fifo_requests" json:"sqs_fifo_requests"`
	// SQSFreeRequests is shared by standard and FIFO queues.
	SQSFreeRequests float64 `yaml:"sqs_free_requests" json:"sqs_free_requests"`

	SNSStandardPublishes Tiers `yaml:"sns_standard_publishes" json:"sns_standard_publishes"`
	SNSFIFOPublishes     Tiers `yaml:"sns_fifo_publishes" json:"sns_fifo_publishes"`
	// SNS deliveries by subscription protocol (http and https share a price, as do email
	// and email-json; "application" is mobile push).
	SNSDeliveryHTTP   Tiers `yaml:"sns_delivery_http" json:"sns_delivery_http"`
	SNSDeliveryEmail  Tiers `yaml:"sns_delivery_email" json:"sns_delivery_email"`
	SNSDeliveryMobile Tiers `yaml:"sns_delivery_mobile" json:"sns_delivery_mobile"`
	SNSDeliverySQS    Tiers `yaml:"sns_delivery_sqs" json:"sns_delivery_sqs"`
	SNSDeliveryLambda Tiers `yaml:"sns_delivery_lambda" json:"sns_delivery_lambda"`

	EventBridgeEvents Tiers `yaml:"eventbridge_events" json:"eventbridge_events"`

	LambdaRequests     Tiers   `yaml:"lambda_requests" json:"lambda_requests"`
	LambdaGBSecondsX86 Tiers   `yaml:"lambda_gb_seconds_x86_64" json:"lambda_gb_seconds_x86_64"`
	LambdaGBSecondsARM Tiers   `yaml:"lambda_gb_seconds_arm64" json:"lambda_gb_seconds_arm64"`
	LambdaFreeRequests float64 `yaml:"lambda_free_requests" json:"lambda_free_requests"`
	// LambdaFreeGBSeconds is shared by both architectures.
	LambdaFreeGBSeconds float64 `yaml:"lambda_free_gb_seconds" json:"lambda_free_gb_seconds"`
	// Provisioned concurrency: the configured amount (GB-s for as long as it is enabled)
	// and the duration run on provisioned environments, which replaces the on-demand
	// duration price there. The free tier does not apply to either.
	LambdaProvisionedConcurrencyX86 Tiers `yaml:"lambda_provisioned_concurrency_x86_64" json:"lambda_provisioned_concurrency_x86_64"`
	LambdaProvisionedConcurrencyARM Tiers `yaml:"lambda_provisioned_concurrency_arm64" json:"lambda_provisioned_concurrency_arm64"`
	LambdaProvisionedDurationX86    Tiers `yaml:"lambda_provisioned_duration_x86_64" json:"lambda_provisioned_duration_x86_64"`
	LambdaProvisionedDurationARM    Tiers `yaml:"lambda_provisioned_duration_arm64" json:"lambda_provisioned_duration_arm64"`

	APIGatewayRESTRequests     Tiers   `yaml:"apigateway_rest_requests" json:"apigateway_rest_requests"`
	APIGatewayHTTPRequests     Tiers   `yaml:"apigateway_http_requests" json:"apigateway_http_requests"`
	APIGatewayFreeRESTRequests float64 `yaml:"apigateway_free_rest_requests" json:"apigateway_free_rest_requests"`
	APIGatewayFreeHTTPRequests float64 `yaml:"apigateway_free_http_requests" json:"apigateway_free_http_requests"`

	DynamoDBWriteRequestUnits Tiers `yaml:"dynamodb_write_request_units" json:"dynamodb_write_request_units"`
	DynamoDBReadRequestUnits  Tiers `yaml:"dynamodb_read_request_units" json:"dynamodb_read_request_units"`
}

// DefaultPrices is the us-east-1 price table of aws-semantics §8 (pricing version
// 2026-06). The bracketed keys are the sources listed in §10 of that document.
func DefaultPrices() Prices {
	const B = 1e9 // a billion units per month
	return Prices{
		PricingVersion: "2026-06",

		// [CB-SQS][UA-SQS]: $0.40/M up to 100 B requests a month, $0.30/M for the next
		// 100 B, $0.24/M above 200 B.
		SQSStandardRequests: Tiers{{UpTo: 100 * B, PerMillion: 0.40}, {UpTo: 200 * B, PerMillion: 0.30}, {PerMillion: 0.24}},
		// [CB-SQS][UA-SQS]: $0.50/M, $0.35/M above 200 B (§8 gives no middle tier).
		SQSFIFORequests: Tiers{{UpTo: 200 * B, PerMillion: 0.50}, {PerMillion: 0.35}},
		// [CB-SQS][UA-SQS]: the first 1 M requests a month are free, standard and FIFO together.
		SQSFreeRequests: 1e6,

		// [FM-SNS]: standard publishes $0.50/M (64 KB chunks).
		SNSStandardPublishes: Tiers{{PerMillion: 0.50}},
		// [FM-SNS]: FIFO publishes $0.30/M; the per-GB payload charge is not modelled
		// (§8 gives no figure).
		SNSFIFOPublishes: Tiers{{PerMillion: 0.30}},
		// [FM-SNS]: HTTP/S deliveries $0.60/M.
		SNSDeliveryHTTP: Tiers{{PerMillion: 0.60}},
		// [FM-SNS]: email $2.00 per 100,000 = $20/M.
		SNSDeliveryEmail: Tiers{{PerMillion: 20.00}},
		// [FM-SNS]: mobile push $0.50/M.
		SNSDeliveryMobile: Tiers{{PerMillion: 0.50}},
		// §8: no delivery charge to SQS and Lambda (an assumption: not verified on the
		// pricing page). SMS is priced per destination country and is not in the table.
		SNSDeliverySQS:    Tiers{{PerMillion: 0}},
		SNSDeliveryLambda: Tiers{{PerMillion: 0}},

		// [CB-EB][FM-EB]: custom and partner events $1.00/M (64 KB chunks).
		EventBridgeEvents: Tiers{{PerMillion: 1.00}},

		// [L-PRICE-CC][AMNIC-L]: requests $0.20/M; free tier 1 M requests and 400,000 GB-s
		// a month.
		LambdaRequests:      Tiers{{PerMillion: 0.20}},
		LambdaFreeRequests:  1e6,
		LambdaFreeGBSeconds: 400_000,
		// [L-PRICE-CC]: x86_64 $0.0000166667/GB-s for the first 6 B GB-s, $0.000015 for the
		// next 9 B, $0.0000133334 above 15 B.
		LambdaGBSecondsX86: Tiers{{UpTo: 6 * B, PerMillion: 16.6667}, {UpTo: 15 * B, PerMillion: 15.0}, {PerMillion: 13.3334}},
		// [L-PRICE-CC]: arm64 $0.0000133334/GB-s for the first 7.5 B, $0.0000120001 for the
		// next 11.25 B; §8 says only "lower above", so the last tier keeps $0.0000120001
		// (an upper bound).
		LambdaGBSecondsARM: Tiers{{UpTo: 7.5 * B, PerMillion: 13.3334}, {PerMillion: 12.0001}},
		// Provisioned concurrency — ASSUMPTION, not in aws-semantics §8: source "AWS Lambda
		// pricing page" (us-east-1, 2026), list prices without volume tiers or Savings
		// Plans. Configured provisioned concurrency $0.0000041667/GB-s x86_64,
		// $0.0000033334/GB-s arm64; duration on provisioned environments $0.0000097222/GB-s
		// x86_64, $0.0000077778/GB-s arm64 (instead of the on-demand duration price);
		// requests stay LambdaRequests.
		LambdaProvisionedConcurrencyX86: Tiers{{PerMillion: 4.1667}},
		LambdaProvisionedConcurrencyARM: Tiers{{PerMillion: 3.3334}},
		LambdaProvisionedDurationX86:    Tiers{{PerMillion: 9.7222}},
		LambdaProvisionedDurationARM:    Tiers{{PerMillion: 7.7778}},

		// [AMNIC-APIGW][WRING-APIGW]: REST $3.50/M for the first 333 M, then $2.80, $2.38
		// and $1.51/M. §8 lists the prices without the tier bounds; the bounds (next 667 M,
		// next 19 B, above 20 B) are those of [APIGW-PRICE].
		APIGatewayRESTRequests: Tiers{{UpTo: 333e6, PerMillion: 3.50}, {UpTo: 1 * B, PerMillion: 2.80}, {UpTo: 20 * B, PerMillion: 2.38}, {PerMillion: 1.51}},
		// [APIGW-PRICE][AMNIC-APIGW]: HTTP APIs $1.00/M for the first 300 M, $0.90/M after.
		APIGatewayHTTPRequests: Tiers{{UpTo: 300e6, PerMillion: 1.00}, {PerMillion: 0.90}},
		// [APIGW-PRICE]: 1 M REST and 1 M HTTP calls a month free (first 12 months).
		APIGatewayFreeRESTRequests: 1e6,
		APIGatewayFreeHTTPRequests: 1e6,

		// [DDB-PRICE][DDB-NOTES]: on-demand $0.625 per million write request units (after
		// the 2024-11-01 cut) and $0.125 per million read request units.
		DynamoDBWriteRequestUnits: Tiers{{PerMillion: 0.625}},
		DynamoDBReadRequestUnits:  Tiers{{PerMillion: 0.125}},
	}
}

// Validate checks a price table (after a scenario's overrides): every price and free
// allowance is finite and non-negative, every item has at least one tier, and tier bounds
// increase, only the last being unbounded (0). All problems are reported together.
func (p Prices) Validate() error {
	var errs []string
	check := func(name string, t Tiers) {
		if len(t) == 0 {
			errs = append(errs, name+": no price tiers")
		}
		prev := 0.0
		for i, tier := range t {
			if !(tier.PerMillion >= 0) || math.IsInf(tier.PerMillion, 0) {
				errs = append(errs, fmt.Sprintf("%s[%d].per_million: %v is not a non-negative price", name, i, tier.PerMillion))
			}
			last := i == len(t)-1
			switch {
			case tier.UpTo == 0 && !last:
				errs = append(errs, fmt.Sprintf("%s[%d].up_to: only the last tier may be unbounded", name, i))
			case tier.UpTo != 0 && !(tier.UpTo > prev) || math.IsInf(tier.UpTo, 0):
				errs = append(errs, fmt.Sprintf("%s[%d].up_to: %v must be finite and above the previous tier's %v", name, i, tier.UpTo, prev))
			}
			prev = tier.UpTo
		}
	}
	free := func(name string, v float64) {
		if !(v >= 0) || math.IsInf(v, 0) {
			errs = append(errs, fmt.Sprintf("%s: %v is not a non-negative allowance", name, v))
		}
	}
	check("sqs_standard_requests", p.SQSStandardRequests)
	check("sqs_fifo_requests", p.SQSFIFORequests)
	check("sns_standard_publishes", p.SNSStandardPublishes)
	check("sns_fifo_publishes", p.SNSFIFOPublishes)
	check("sns_delivery_http", p.SNSDeliveryHTTP)
	check("sns_delivery_email", p.SNSDeliveryEmail)
	check("sns_delivery_mobile", p.SNSDeliveryMobile)
	check("sns_delivery_sqs", p.SNSDeliverySQS)
	check("sns_delivery_lambda", p.SNSDeliveryLambda)
	check("eventbridge_events", p.EventBridgeEvents)
	check("lambda_requests", p.LambdaRequests)
	check("lambda_gb_seconds_x86_64", p.LambdaGBSecondsX86)
	check("lambda_gb_seconds_arm64", p.LambdaGBSecondsARM)
	check("lambda_provisioned_concurrency_x86_64", p.LambdaProvisionedConcurrencyX86)
	check("lambda_provisioned_concurrency_arm64", p.LambdaProvisionedConcurrencyARM)
	check("lambda_provisioned_duration_x86_64", p.LambdaProvisionedDurationX86)
	check("lambda_provisioned_duration_arm64", p.LambdaProvisionedDurationARM)
	check("apigateway_rest_requests", p.APIGatewayRESTRequests)
	check("apigateway_http_requests", p.APIGatewayHTTPRequests)
	check("dynamodb_write_request_units", p.DynamoDBWriteRequestUnits)
	check("dynamodb_read_request_units", p.DynamoDBReadRequestUnits)
	free("sqs_free_requests", p.SQSFreeRequests)
	free("lambda_free_requests", p.LambdaFreeRequests)
	free("lambda_free_gb_seconds", p.LambdaFreeGBSeconds)
	free("apigateway_free_rest_requests", p.APIGatewayFreeRESTRequests)
	free("apigateway_free_http_requests", p.APIGatewayFreeHTTPRequests)
	if len(errs) > 0 {
		return errors.New("prices: " + strings.Join(errs, "; "))
	}
	return nil
}
