package results

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestParseThresholdReadsEveryForm(t *testing.T) {
	tests := []struct {
		name, expr string
		want       Threshold
	}{
		{"path percentile in seconds", "p99(latency: shoppers -> warehouse) < 2s",
			Threshold{Func: "p99", Selector: "latency", Ref: "shoppers -> warehouse", Op: "<", Value: 2, Quantity: qDuration}},
		{"arrow without spaces is normalised", "p50(latency:a->b)<=500ms",
			Threshold{Func: "p50", Selector: "latency", Ref: "a -> b", Op: "<=", Value: 0.5, Quantity: qDuration}},
		{"plain number of seconds", "mean(latency: a -> b) > 0.25",
			Threshold{Func: "mean", Selector: "latency", Ref: "a -> b", Op: ">", Value: 0.25, Quantity: qDuration}},
		{"queue depth", "max(depth: order-queue) < 10000",
			Threshold{Func: "max", Selector: "depth", Ref: "order-queue", Op: "<", Value: 10000, Quantity: qCount}},
		{"dlq rate in percent", "rate(dlq: order-queue) < 0.1%",
			Threshold{Func: "rate", Selector: "dlq", Ref: "order-queue", Op: "<", Value: 0.001, Quantity: qRatio}},
		{"error rate as a fraction", "rate(errors: inventory) < 0.01",
			Threshold{Func: "rate", Selector: "errors", Ref: "inventory", Op: "<", Value: 0.01, Quantity: qRatio}},
		{"throttle sum", "sum(throttles: inventory) == 0",
			Threshold{Func: "sum", Selector: "throttles", Ref: "inventory", Op: "==", Value: 0, Quantity: qCount}},
		{"generic metric", "sum(metric: order-queue.NumberOfEmptyReceives) != 100",
			Threshold{Func: "sum", Selector: "metric", Ref: "order-queue.NumberOfEmptyReceives", Op: "!=", Value: 100, Quantity: qCount}},
		{"monthly cost", "cost(per_month) < 500",
			Threshold{Func: "cost", Selector: "per_month", Op: "<", Value: 500, Quantity: qMoney}},
		{"run cost in dollars", "cost(per_run) <= $0.50",
			Threshold{Func: "cost", Selector: "per_run", Op: "<=", Value: 0.5, Quantity: qMoney}},
		{"cost of one component", "cost(per_month: inventory) < 12.5$",
			Threshold{Func: "cost", Selector: "per_month", Ref: "inventory", Op: "<", Value: 12.5, Quantity: qMoney}},
		{"throughput per second", "throughput(latency: a -> b) >= 100/s",
			Threshold{Func: "throughput", Selector: "latency", Ref: "a -> b", Op: ">=", Value: 100, Quantity: qRate}},
		{"age in minutes", "max(age: q) < 1.5m",
			Threshold{Func: "max", Selector: "age", Ref: "q", Op: "<", Value: 90, Quantity: qDuration}},
		{"exponent and underscores", "count(latency: a -> b) > 1_000e1",
			Threshold{Func: "count", Selector: "latency", Ref: "a -> b", Op: ">", Value: 10000, Quantity: qCount}},
		{"upper case and spaces", "  P99 ( latency :  a -> b )  <  2 s ",
			Threshold{Func: "p99", Selector: "latency", Ref: "a -> b", Op: "<", Value: 2, Quantity: qDuration}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseThreshold(tt.expr)
			if err != nil {
				t.Fatal(err)
			}
			tt.want.Expr = tt.expr
			if got != tt.want {
				t.Errorf("got %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestParseThresholdErrorsSayWhereAndWhat(t *testing.T) {
	tests := []struct{ name, expr, want string }{
		{"empty", "", `threshold "": column 1: expected a function (p50, p90, p95, p99, mean, max, count, sum, rate, throughput or cost), found end of input`},
		{"unknown function", "p42(latency: a -> b) < 1s", `threshold "p42(latency: a -> b) < 1s": column 1: unknown function "p42": expected p50, p90, p95, p99, mean, max, count, sum, rate, throughput or cost`},
		{"missing parenthesis", "p99 latency: a -> b < 1s", `threshold "p99 latency: a -> b < 1s": column 5: expected '(' after p99, found 'l'`},
		{"selector the function does not take", "rate(latency: a -> b) < 1%", `threshold "rate(latency: a -> b) < 1%": column 6: rate does not take "latency": expected dlq, errors, throttles`},
		{"missing colon", "p99(latency shoppers) < 2s", `threshold "p99(latency shoppers) < 2s": column 13: expected ':' after the selector, found 's'`},
		{"unclosed", "p99(latency: a -> b < 2s", `threshold "p99(latency: a -> b < 2s": column 25: expected ')' after the reference, found end of input`},
		{"empty reference", "max(depth: ) < 3", `threshold "max(depth: ) < 3": column 12: expected a path, component or metric name, found ')'`},
		{"metric without a dot", "sum(metric: queue) < 3", `threshold "sum(metric: queue) < 3": column 13: expected component.MetricName after metric:, found "queue"`},
		{"missing operator", "p99(latency: a -> b) 2s", `threshold "p99(latency: a -> b) 2s": column 22: expected an operator (<, <=, >, >=, ==, !=), found '2'`},
		{"missing value", "p99(latency: a -> b) <", `threshold "p99(latency: a -> b) <": column 23: expected a number, found end of input`},
		{"percent on a latency", "p99(latency: a -> b) < 2%", `threshold "p99(latency: a -> b) < 2%": column 25: unit % fits only a rate(...) of dlq, errors or throttles`},
		{"time on a ratio", "rate(dlq: q) < 2s", `threshold "rate(dlq: q) < 2s": column 17: time unit s fits only a latency or an age`},
		{"dollar on a count", "max(depth: q) < $3", `threshold "max(depth: q) < $3": column 17: '$' fits only a cost`},
		{"unknown unit", "p99(latency: a -> b) < 2parsecs", `threshold "p99(latency: a -> b) < 2parsecs": column 25: unknown unit "parsecs": expected s, ms, us, ns, m, h, %, /s or $`},
		{"bad number", "max(depth: q) < 1..2", `threshold "max(depth: q) < 1..2": column 17: "1..2" is not a number`},
		{"trailing text", "max(depth: q) < 3 and more", `threshold "max(depth: q) < 3 and more": column 19: unknown unit "and": expected s, ms, us, ns, m, h, %, /s or $`},
		{"trailing text after unit", "p99(latency: a -> b) < 3s more", `threshold "p99(latency: a -> b) < 3s more": column 27: expected end of threshold, found 'm'`},
		{"column counts characters", "max(depth: é) < 3µ", `threshold "max(depth: é) < 3µ": column 18: unknown unit "µ": expected s, ms, us, ns, m, h, %, /s or $`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseThreshold(tt.expr)
			if err == nil {
				t.Fatal("parsed; want an error")
			}
			if err.Error() != tt.want {
				t.Errorf("error\n got %s\nwant %s", err, tt.want)
			}
		})
	}
}

// FuzzParseThreshold checks that the parser never panics, that every error names a column
// inside the expression (or just past it), and that what parses parses again the same.
func FuzzParseThreshold(f *testing.F) {
	for _, s := range []string{
		"p99(latency: shoppers -> warehouse) < 2s", "rate(dlq: order-queue) < 0.1%",
		"max(depth: order-queue) < 10000", "sum(throttles: inventory) == 0", "cost(per_month) < 500",
		"throughput(latency: a -> b) > 100/s", "sum(metric: q.NumberOfEmptyReceives) < 100",
		"cost(per_run: x) <= $1e-3", "p50(latency:a->b)<1µs", "((", "p99(", "max(depth: q) < 1..2",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		th, err := ParseThreshold(s)
		if err != nil {
			var pe *ParseError
			if !asParseError(err, &pe) {
				t.Fatalf("error %v is not a *ParseError", err)
			}
			if pe.Column < 1 || pe.Column > utf8.RuneCountInString(s)+1 {
				t.Fatalf("column %d outside %q", pe.Column, s)
			}
			if !strings.HasPrefix(err.Error(), "threshold ") {
				t.Fatalf("error %q lacks the expression", err)
			}
			return
		}
		again, err := ParseThreshold(s)
		if err != nil || again != th {
			t.Fatalf("parsing %q twice gave %+v, %v", s, again, err)
		}
	})
}

func asParseError(err error, pe **ParseError) bool {
	p, ok := err.(*ParseError)
	*pe = p
	return ok
}
