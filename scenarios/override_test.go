package scenarios

import (
	"os"
	"strings"
	"testing"
)

func loadValid(t *testing.T, opts Options) (*File, error) {
	t.Helper()
	src, err := os.ReadFile("testdata/valid.yaml")
	if err != nil {
		t.Fatal(err)
	}
	opts.Types = testTypes()
	return LoadWith("testdata/valid.yaml", src, opts)
}

func mustLoadValid(t *testing.T, opts Options) *File {
	t.Helper()
	f, err := loadValid(t, opts)
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	return f
}

func fakeFunctionOf(t *testing.T, f *File, name string) *fakeFunction {
	t.Helper()
	r, ok := f.Resources.Get(name)
	if !ok {
		t.Fatalf("no resource %q", name)
	}
	return r.Settings.(*fakeFunction)
}

func TestSetOverridesFields(t *testing.T) {
	tests := []struct {
		name  string
		sets  []string
		check func(t *testing.T, f *File)
	}{
		{"a top-level scalar", []string{"seed=7"}, func(t *testing.T, f *File) {
			if f.Seed != 7 {
				t.Errorf("seed = %d", f.Seed)
			}
		}},
		{"a nested scalar", []string{"resources.inventory.trigger.batch_size=100"}, func(t *testing.T, f *File) {
			if got := fakeFunctionOf(t, f, "inventory").Trigger.BatchSize; got != 100 {
				t.Errorf("batch_size = %d", got)
			}
		}},
		{"a flow mapping replaces the block, absent keys take defaults", []string{"resources.inventory.trigger={queue: orders-dlq, batch_size: 5}"}, func(t *testing.T, f *File) {
			tr := fakeFunctionOf(t, f, "inventory").Trigger
			if tr.Queue.Name != "orders-dlq" || tr.BatchSize != 5 || tr.BatchingWindow != 0 {
				t.Errorf("trigger = %+v", tr)
			}
		}},
		{"missing intermediate keys are created", []string{"resources.stock-table.trigger.queue=orders"}, func(t *testing.T, f *File) {
			tr := fakeFunctionOf(t, f, "stock-table").Trigger
			if tr == nil || tr.Queue.Name != "orders" || tr.BatchSize != 10 {
				t.Errorf("trigger = %+v", tr)
			}
		}},
		{"a list item by index", []string{"resources.inventory.steps.0.call=other-table"}, func(t *testing.T, f *File) {
			if got := fakeFunctionOf(t, f, "inventory").Steps[0].Target.Name; got != "other-table" {
				t.Errorf("steps.0 = %q", got)
			}
		}},
		{"index equal to the length appends", []string{"resources.inventory.steps.3={send: orders}"}, func(t *testing.T, f *File) {
			s := fakeFunctionOf(t, f, "inventory").Steps
			if len(s) != 4 || s[3].Kind != "send" || s[3].Target.Name != "orders" {
				t.Errorf("steps = %+v", s)
			}
		}},
		{"a new resource", []string{"resources.extra={type: queue}"}, func(t *testing.T, f *File) {
			if got := f.Resources.Keys(); got[len(got)-1] != "extra" {
				t.Errorf("keys = %v", got)
			}
		}},
		{"later sets win", []string{"seed=7", "seed=8"}, func(t *testing.T, f *File) {
			if f.Seed != 8 {
				t.Errorf("seed = %d", f.Seed)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.check(t, mustLoadValid(t, Options{Sets: tt.sets}))
		})
	}
}

func TestSetErrorsPointAtTheOverride(t *testing.T) {
	tests := []struct {
		name string
		sets []string
		want string
	}{
		{"unknown top-level path", []string{"sed=1"},
			`--set:1:1: sed: unknown field "sed" (did you mean "seed"?)`},
		{"wrong value type, column within the argument", []string{"name=x", "seed=x"},
			`--set:2:6: seed: want an integer, got "x"`},
		{"unknown nested field", []string{"resources.inventory.trigger.batchsize=5"},
			`--set:1:1: resources.inventory.trigger.batchsize: unknown field "batchsize" (did you mean "batch_size"?)`},
		{"unknown field inside a flow value", []string{"resources.inventory.trigger={queue: orders, batch_siz: 5}"},
			`--set:1:45: resources.inventory.trigger.batch_siz: unknown field "batch_siz" (did you mean "batch_size"?)`},
		{"created block misses a required field", []string{"resources.orders-dlq.redrive.max_receive_count=5"},
			`--set:1:1: resources.orders-dlq.redrive.dlq: required field is missing`},
		{"list index out of range", []string{"resources.inventory.steps.9.call=x"},
			`--set:1:1: resources.inventory.steps.9.call: resources.inventory.steps.9: want a list index from 0 to 3, got "9"`},
		{"path through a scalar", []string{"name.first=x"},
			`--set:1:1: name.first: cannot set name.first: name is "order-pipeline", not a mapping or list`},
		{"no equals sign", []string{"seed"},
			`--set:1:1: want path=value, got "seed"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := loadValid(t, Options{Sets: tt.sets})
			if err == nil || err.Error() != tt.want {
				t.Errorf("errors:\n got %v\nwant %s", err, tt.want)
			}
		})
	}
}

func TestVariants(t *testing.T) {
	f := mustLoadValid(t, Options{Variant: "bigger-batches"})
	if got := fakeFunctionOf(t, f, "inventory").Trigger.BatchSize; got != 100 {
		t.Errorf("bigger-batches: batch_size = %d, want 100", got)
	}
	f = mustLoadValid(t, Options{Variant: "slow-table", Sets: []string{"seed=9"}})
	if got := fakeFunctionOf(t, f, "stock-table").Duration.Spec.Kind; got != "constant" || f.Seed != 9 {
		t.Errorf("slow-table: duration %s, seed %d; want constant and the --set seed 9 applied last", got, f.Seed)
	}
	if got := f.Variants.Keys(); strings.Join(got, ",") != "bigger-batches,slow-table" {
		t.Errorf("variants = %v", got)
	}

	_, err := loadValid(t, Options{Variant: "bigger-batch"})
	want := `testdata/valid.yaml:48:3: variants: unknown variant "bigger-batch" (did you mean "bigger-batches"?); known: bigger-batches, slow-table`
	if err == nil || err.Error() != want {
		t.Errorf("unknown variant:\n got %v\nwant %s", err, want)
	}
}

func TestBrokenVariantIsReportedAtItsValueEvenWhenNotSelected(t *testing.T) {
	src := `resources:
  orders: {type: queue}
variants:
  fast: {resources.orders.visibility_timeout: 99h}
  typo: {resources.orders.visiblity_timeout: 1s}
`
	want := strings.Join([]string{
		`x.yaml:4:47: resources.orders.visibility_timeout: 99h is out of range 0s..12h`,
		`x.yaml:5:10: resources.orders.visiblity_timeout: unknown field "visiblity_timeout" (did you mean "visibility_timeout"?)`,
	}, "\n")
	if got := loadErrors(t, src); got != want {
		t.Errorf("errors:\n got %s\nwant %s", got, want)
	}
}

func TestOverrideThroughAliasLeavesTheAnchorAlone(t *testing.T) {
	src := `resources:
  a: &fn {type: function, memory: 256MB}
  b: *fn
`
	f, err := Load("x.yaml", []byte(src), testTypes(), []string{"resources.b.memory=1GB"})
	if err != nil {
		t.Fatal(err)
	}
	a, _ := f.Resources.Get("a")
	b, _ := f.Resources.Get("b")
	if a.Settings.(*fakeFunction).Memory != 256 || b.Settings.(*fakeFunction).Memory != 1024 {
		t.Errorf("a = %v, b = %v; want 256MB and 1024MB", a.Settings.(*fakeFunction).Memory, b.Settings.(*fakeFunction).Memory)
	}
}

func TestResolvedScenarioRendersDeterministicallyAndLoadsBack(t *testing.T) {
	f := mustLoadValid(t, Options{Variant: "bigger-batches", Sets: []string{"seed=99", "resources.orders.delay=5s"}})
	out, err := MarshalNode(f.Root)
	if err != nil {
		t.Fatal(err)
	}
	again, _ := MarshalNode(f.Root)
	if string(out) != string(again) {
		t.Error("two renders differ")
	}
	g, err := Load("scenario.yaml", out, testTypes(), nil)
	if err != nil {
		t.Fatalf("rendered scenario does not load: %v\n%s", err, out)
	}
	if g.Seed != 99 || fakeFunctionOf(t, g, "inventory").Trigger.BatchSize != 100 {
		t.Errorf("rendered scenario lost overrides:\n%s", out)
	}
	q, _ := g.Resources.Get("orders")
	if q.Settings.(*fakeQueue).Delay.D().String() != "5s" {
		t.Errorf("delay = %v", q.Settings.(*fakeQueue).Delay)
	}
	if !strings.Contains(string(out), "# simulated time after warm-up") {
		t.Errorf("comments were not kept:\n%s", out)
	}
}
