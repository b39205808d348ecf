package core

// Kinded is implemented by components that say what kind of AWS resource (or simulator
// part) they are. Reports use the kind to choose a component's headline figures and
// thresholds, and the cost model uses it to choose the price of each counted metric. The
// kind strings are:
//
//	"producer"         a load generator (models/producer)
//	"sqs"              an SQS standard queue
//	"sqs-fifo"         an SQS FIFO queue
//	"lambda"           a Lambda function
//	"sns"              an SNS standard topic
//	"sns-fifo"         an SNS FIFO topic
//	"eventbridge"      an EventBridge event bus with its rules
//	"apigateway-rest"  an API Gateway REST API
//	"apigateway-http"  an API Gateway HTTP API
//	"dynamodb"         a DynamoDB table (on-demand)
//	"service"          a generic downstream service station (models/service)
type Kinded interface {
	Kind() string
}

// Component kinds returned by Kinded.Kind.
const (
	KindProducer       = "producer"
	KindSQS            = "sqs"
	KindSQSFIFO        = "sqs-fifo"
	KindLambda         = "lambda"
	KindSNS            = "sns"
	KindSNSFIFO        = "sns-fifo"
	KindEventBridge    = "eventbridge"
	KindAPIGatewayREST = "apigateway-rest"
	KindAPIGatewayHTTP = "apigateway-http"
	KindDynamoDB       = "dynamodb"
	KindService        = "service"
	KindConsumer       = "consumer"   // a fleet of SQS workers (models/consumer)
	KindESM            = "lambda-esm" // the metrics of a Lambda event source mapping
	KindEndpointHTTP   = "endpoint-http"
	KindEndpointHTTPS  = "endpoint-https"
	KindEndpointEmail  = "endpoint-email"
	KindEndpointSMS    = "endpoint-sms"
)

// KindOf returns c's kind, or "" if c does not implement Kinded.
func KindOf(c Component) string {
	if k, ok := c.(Kinded); ok {
		return k.Kind()
	}
	return ""
}

// Architectured is implemented by Lambda functions to report their instruction set
// architecture, "x86_64" or "arm64": it changes only the price of a GB-second (§8). A
// function that does not implement it is priced as x86_64.
type Architectured interface {
	Architecture() string
}
