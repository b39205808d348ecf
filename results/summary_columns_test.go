package results

import (
	"strings"
	"testing"
)

func TestProvisionedColumnsShowOnlyWhenAFunctionHasProvisionedConcurrency(t *testing.T) {
	count := func(name string, n float64) MetricStats {
		return MetricStats{Name: name, Kind: MetricCounter, Counter: &CounterStats{Total: Stat{Mean: n}}}
	}
	plain := ComponentStats{Name: "plain-fn", Kind: "lambda", Metrics: []MetricStats{count("Invocations", 10)}}
	prov := ComponentStats{Name: "prov-fn", Kind: "lambda", Metrics: []MetricStats{count("Invocations", 12),
		count("ProvisionedConcurrencyInvocations", 9), count("ProvisionedConcurrencySpilloverInvocations", 3)}}
	header := func(s *Summary) string {
		for _, line := range strings.Split(Text(s, TextOptions{Width: 160}), "\n") {
			if strings.HasPrefix(strings.TrimSpace(line), "functions") {
				return line
			}
		}
		t.Fatalf("no functions table in\n%s", Text(s, TextOptions{Width: 160}))
		return ""
	}
	if h := header(&Summary{Replications: 1, Components: []ComponentStats{plain}}); strings.Contains(h, "spillover") || strings.Contains(h, "provisioned") {
		t.Errorf("without provisioned concurrency the header is %q: want no provisioned columns", h)
	}
	s := &Summary{Replications: 1, Components: []ComponentStats{plain, prov}}
	if h := header(s); !strings.Contains(h, "provisioned") || !strings.Contains(h, "spillover") {
		t.Errorf("header %q lacks the provisioned columns", h)
	}
	var row string
	for _, line := range strings.Split(Text(s, TextOptions{Width: 160}), "\n") {
		if strings.HasPrefix(strings.TrimSpace(line), "prov-fn") {
			row = line
		}
	}
	if f := strings.Fields(row); len(f) < 3 || f[len(f)-2] != "9" || f[len(f)-1] != "3" {
		t.Errorf("row %q: want 9 provisioned invocations and 3 spillovers last", row)
	}
}
