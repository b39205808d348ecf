package scenarios

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
)

// CheckTags verifies the struct tags of every registered settings type (and the
// document's own types): each default decodes, each range parses in the field's units
// with lo ≤ hi, each enum is on a string field and contains its default, and a field is
// not both required and defaulted. Tag mistakes are programming errors that would
// otherwise show up as "internal error" messages to users, so each resource package
// should call this in a test:
//
//	if err := scenarios.CheckTags(types); err != nil { t.Fatal(err) }
func CheckTags(types ResourceTypes) error {
	c := &tagChecker{seen: map[reflect.Type]bool{}}
	c.check(reflect.TypeFor[File](), "File")
	for _, name := range Kinds(types).names() {
		t := reflect.TypeOf(types[name]())
		if t == nil || t.Kind() != reflect.Pointer {
			c.probs = append(c.probs, fmt.Sprintf("resource type %q: constructor returns %v, want a pointer", name, t))
			continue
		}
		c.check(t, "resource type "+name)
	}
	for _, name := range ArrivalProcesses().names() {
		c.check(reflect.TypeOf(ArrivalProcesses()[name]()), "arrival process "+name)
	}
	if len(c.probs) == 0 {
		return nil
	}
	return fmt.Errorf("scenario struct tags:\n%s", strings.Join(c.probs, "\n"))
}

type tagChecker struct {
	seen  map[reflect.Type]bool
	probs []string
}

func (c *tagChecker) check(t reflect.Type, where string) {
	for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct || c.seen[t] {
		return
	}
	c.seen[t] = true
	if reflect.PointerTo(t).Implements(reflect.TypeFor[NodeDecoder]()) {
		return // a custom form checks itself
	}
	for _, f := range structFields(t) {
		at := fmt.Sprintf("%s: %s.%s", where, t.Name(), f.name)
		probf := func(format string, args ...any) {
			c.probs = append(c.probs, at+": "+fmt.Sprintf(format, args...))
		}
		d := &Decoder{File: "tag"}
		if f.def != "" {
			d.decodeValue(parseYAMLText(f.def), f.name, reflect.New(f.typ).Elem())
			for _, e := range d.errs {
				probf("default %q: %s", f.def, e.Message)
			}
			if f.required {
				probf("both required and defaulted")
			}
		}
		if f.rng != "" {
			lo, hi, err := d.parseRange(f.rng, f.typ)
			_, isNum := numeric(reflect.New(f.typ).Elem())
			switch {
			case !isNum:
				probf("range on a non-numeric field")
			case err != "":
				probf("range %q: %s", f.rng, err)
			case lo != nil && hi != nil && *lo > *hi:
				probf("range %q: low bound above high bound", f.rng)
			}
		}
		if len(f.enum) > 0 {
			if f.typ.Kind() != reflect.String {
				probf("enum on a non-string field")
			} else if f.def != "" && !slices.Contains(f.enum, f.def) {
				probf("default %q is not in enum %s", f.def, strings.Join(f.enum, ","))
			}
		}
		c.check(f.typ, where)
	}
}
