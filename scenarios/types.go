package scenarios

// Types returns the resource types of the scenario language, each with its settings
// struct. Each call returns a new map: there is no package-level registry.
func Types() ResourceTypes {
	return ResourceTypes{
		"sqs":         func() any { return &SQSSettings{} },
		"lambda":      func() any { return &LambdaSettings{} },
		"service":     func() any { return &ServiceSettings{} },
		"dynamodb":    func() any { return &DynamoDBSettings{} },
		"sns":         func() any { return &SNSSettings{} },
		"endpoint":    func() any { return &EndpointSettings{} },
		"eventbridge": func() any { return &EventBridgeSettings{} },
		"apigateway":  func() any { return &APIGatewaySettings{} },
		"consumer":    func() any { return &ConsumerSettings{} },
	}
}

// interaction capabilities of each resource type, for reference checks.
type capability uint8

const (
	canReceive capability = 1 << iota // accepts sends (a producer's or step's target)
	canServe                          // serves synchronous calls
	isQueue                           // an SQS queue (DLQs, triggers)
)

func capabilities(kind string) capability {
	switch kind {
	case "sqs":
		return canReceive | isQueue
	case "lambda":
		return canReceive | canServe
	case "service":
		return canReceive | canServe
	case "dynamodb":
		return canServe
	case "sns", "eventbridge", "endpoint":
		return canReceive
	case "apigateway":
		return canReceive
	case "consumer": // polls its queue; nothing sends to it or calls it
		return 0
	}
	return 0
}
