package scenarios

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestLoadValidScenario(t *testing.T) {
	f := mustLoadValid(t, Options{})
	if f.Name != "order-pipeline" || f.Duration.D() != 10*time.Minute || f.Warmup.D() != time.Minute || f.Seed != 42 || f.Replications != 3 {
		t.Errorf("top level = %q %v %v %d %d", f.Name, f.Duration, f.Warmup, f.Seed, f.Replications)
	}
	if got, want := f.Resources.Keys(), []string{"orders", "orders-dlq", "inventory", "stock-table"}; !slices.Equal(got, want) {
		t.Errorf("resources in %v, want document order %v", got, want)
	}
	q, _ := f.Resources.Get("orders")
	if q.Type != "queue" || q.Loc.Line != 20 || q.Loc.Path != "resources.orders" {
		t.Errorf("orders = %+v", q)
	}
	qs := q.Settings.(*fakeQueue)
	if qs.Kind != "standard" || qs.VisibilityTimeout.D() != 30*time.Second || qs.MaxSize != 256*1024 || qs.Redrive.DLQ.Name != "orders-dlq" || qs.Redrive.MaxReceiveCount != 3 {
		t.Errorf("orders settings = %+v %+v", qs, qs.Redrive)
	}
	dlq, _ := f.Resources.Get("orders-dlq")
	if s := dlq.Settings.(*fakeQueue); s.Redrive != nil || s.VisibilityTimeout.D() != 30*time.Second {
		t.Errorf("absent optional block must stay nil and defaults apply: %+v", s)
	}
	inv := fakeFunctionOf(t, f, "inventory")
	if inv.Memory != 512 || inv.ReservedConcurrency != 50 || inv.Trigger.BatchSize != 10 || len(inv.Steps) != 3 {
		t.Errorf("inventory = %+v", inv)
	}
	if st := inv.Steps; st[0].Kind != "call" || st[0].Target.Name != "stock-table" || st[1].Compute.Spec.Kind != "exponential" || st[2].Target.Loc.Path != "resources.inventory.steps.2.send" {
		t.Errorf("steps = %+v", st)
	}
	p, _ := f.Producers.Get("shoppers")
	if p.Target.Name != "orders" || p.Size != 2048 || p.Poison != 0.001 || p.Arrival.Process != "poisson" || p.Arrival.Spec.(*PoissonArrival).Rate != 200 {
		t.Errorf("shoppers = %+v", p)
	}
	typ, _ := p.Attributes.Get("type")
	amount, _ := p.Attributes.Get("amount")
	if typ.Categories == nil || !slices.Equal(typ.Categories.Keys(), []string{"order", "refund"}) || amount.Number == nil || amount.Number.Spec.Kind != "lognormal" {
		t.Errorf("attributes = %+v %+v", typ, amount)
	}
	wantThresholds := []string{"p99(latency: shoppers -> inventory) < 2s", "rate(dlq: orders) < 0.1%"}
	for i, th := range f.Thresholds {
		if th.Value != wantThresholds[i] {
			t.Errorf("threshold %d = %q, want %q", i, th.Value, wantThresholds[i])
		}
	}
	if f.Thresholds[0].Loc.Line != 44 || f.Thresholds[0].Loc.Path != "thresholds.0" {
		t.Errorf("threshold location = %+v", f.Thresholds[0].Loc)
	}
}

func TestDefaultsApplyToAMinimalScenario(t *testing.T) {
	f, err := Load("scenarios/minimal.yaml", []byte("resources:\n  q: {type: queue}\n"), testTypes(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if f.Name != "minimal" || f.Duration.D() != 10*time.Minute || f.Warmup != 0 || f.Seed != 1 || f.Replications != 1 {
		t.Errorf("defaults: %q %v %v %d %d", f.Name, f.Duration, f.Warmup, f.Seed, f.Replications)
	}
	if _, err := Load("empty.yaml", nil, testTypes(), nil); err != nil {
		t.Errorf("an empty file is an empty scenario, got %v", err)
	}
}

func TestRefCheckSuggestsAnExistingName(t *testing.T) {
	src := "producers:\n  p:\n    target: ordres\n    arrival: {process: constant, rate: 1/s}\nresources:\n  orders: {type: queue}\n"
	f, err := Load("x.yaml", []byte(src), testTypes(), nil)
	if err != nil {
		t.Fatal(err)
	}
	p, _ := f.Producers.Get("p")
	e := p.Target.Check("resource", f.Resources.Keys())
	want := `x.yaml:3:13: producers.p.target: resource "ordres" does not exist (did you mean "orders"?)`
	if e == nil || e.Error() != want {
		t.Errorf("Check = %v, want %s", e, want)
	}
	if e := p.Target.Check("resource", []string{"ordres"}); e != nil {
		t.Errorf("existing name reported: %v", e)
	}
}

func TestMergeKeysShareSettings(t *testing.T) {
	src := `resources:
  base: &base {type: function, memory: 256MB, reserved_concurrency: 5}
  a:
    <<: *base
    memory: 1GB
`
	f, err := Load("x.yaml", []byte(src), testTypes(), nil)
	if err != nil {
		t.Fatal(err)
	}
	a := fakeFunctionOf(t, f, "a")
	if a.Memory != 1024 || a.ReservedConcurrency != 5 {
		t.Errorf("a = %+v; want the explicit memory and the merged concurrency", a)
	}
}

func TestAliasExpansionBombIsAnErrorNotAHang(t *testing.T) {
	// Ten levels of mixtures of ten aliases each would expand to 10^10 components.
	var b strings.Builder
	b.WriteString("variants:\n  v:\n    a0: &a0 {weight: 1, dist: 1ms}\n")
	for i := 1; i <= 10; i++ {
		fmt.Fprintf(&b, "    a%d: &a%d {weight: 1, dist: {dist: mixture, of: [", i, i)
		for j := range 10 {
			if j > 0 {
				b.WriteString(", ")
			}
			fmt.Fprintf(&b, "*a%d", i-1)
		}
		b.WriteString("]}}\n")
	}
	b.WriteString("resources:\n  f: {type: function, duration: {dist: mixture, of: [*a10]}}\n")
	start := time.Now()
	err := loadErrors(t, b.String())
	if !strings.Contains(err, "document too large") {
		t.Errorf("errors = %.300s", err)
	}
	// Unbounded, the expansion would take hours; bounded, well under a second of CPU
	// (the limit leaves room for -race and a busy machine).
	if d := time.Since(start); d > 20*time.Second {
		t.Errorf("took %v", d)
	}
}

func TestErrorListSortsAndFormats(t *testing.T) {
	l := ErrorList{
		{File: setFile, Line: 1, Column: 1, Path: "seed", Message: "b"},
		{File: "x.yaml", Line: 9, Column: 2, Path: "a", Message: "late"},
		{File: "x.yaml", Line: 2, Column: 7, Message: "no path"},
		{File: "x.yaml", Line: 9, Column: 2, Path: "a", Message: "late"},
	}
	want := "x.yaml:2:7: no path\nx.yaml:9:2: a: late\n--set:1:1: seed: b"
	if got := l.Error(); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	if (ErrorList{}).Err() != nil {
		t.Error("empty list is not a nil error")
	}
}

func TestSuggest(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"visiblity_timeout", "visibility_timeout"},
		{"nmae", "name"},
		{"Name", "name"},
		{"colour", ""},
		{"x", ""},
	}
	for _, tt := range tests {
		if got := suggest(tt.in, []string{"name", "visibility_timeout", "seed"}); got != tt.want {
			t.Errorf("suggest(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// FuzzLoad checks that no input makes Load panic or hang, and that a scenario that
// loads renders to YAML that loads again.
func FuzzLoad(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.yaml")
	for _, name := range files {
		src, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(src)
	}
	f.Add([]byte("resources: {a: {type: function, duration: {dist: mixture, of: [{weight: 1, dist: {dist: mixture, of: [{weight: 1, dist: 1ms}]}}]}}}"))
	f.Add([]byte("a: &a [*a]"))
	f.Add([]byte("<<: {name: x}\nseed: !!binary aGVsbG8="))
	f.Add([]byte("variants: {v: {resources.q.x.0.y: 1, seed.z: 2, '': 3}}\nresources: {q: {type: queue}}"))
	f.Fuzz(func(t *testing.T, src []byte) {
		file, err := Load("fuzz.yaml", src, testTypes(), []string{"seed=3"})
		if err != nil {
			if _, ok := err.(ErrorList); !ok {
				t.Fatalf("error of type %T", err)
			}
			return
		}
		out, err := MarshalNode(file.Root)
		if err != nil {
			return // yaml.v3 cannot encode some parsed trees (e.g. odd tags); Load already succeeded
		}
		if _, err := Load("fuzz2.yaml", out, testTypes(), nil); err != nil {
			t.Fatalf("rendered scenario does not load again: %v\n--- input:\n%s\n--- rendered:\n%s", err, src, out)
		}
	})
}

func TestCheckTags(t *testing.T) {
	if err := CheckTags(testTypes()); err != nil {
		t.Errorf("test types: %v", err)
	}
	type bad struct {
		A int      `yaml:"a" default:"x"`
		B Duration `yaml:"b" range:"5s..1s"`
		C string   `yaml:"c" enum:"x,y" default:"z"`
		D int      `yaml:"d" required:"true" default:"1"`
		E string   `yaml:"e" range:"1..2"`
	}
	err := CheckTags(ResourceTypes{"bad": func() any { return &bad{} }})
	want := `scenario struct tags:
resource type bad: bad.a: default "x": want an integer, got "x"
resource type bad: bad.b: range "5s..1s": low bound above high bound
resource type bad: bad.c: default "z" is not in enum x,y
resource type bad: bad.d: both required and defaulted
resource type bad: bad.e: range on a non-numeric field`
	if err == nil || err.Error() != want {
		t.Errorf("got\n%v\nwant\n%s", err, want)
	}
}

func BenchmarkLoad(b *testing.B) {
	src, err := os.ReadFile("testdata/valid.yaml")
	if err != nil {
		b.Fatal(err)
	}
	types := testTypes()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Load("valid.yaml", src, types, []string{"seed=3"}); err != nil {
			b.Fatal(err)
		}
	}
}
