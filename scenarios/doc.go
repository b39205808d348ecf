// Package scenarios reads msgsim's scenario language: YAML files that describe producers,
// resources (queues, functions, topics, ...), thresholds and variants.
//
// Loading is strict and complete: every problem in a file is reported at once, each as
// FILE:LINE:COL: PATH: MESSAGE, where PATH is the dotted field path
// (resources.inventory.trigger.batch_size, resources.validate.steps.0.send):
//
//	f, err := scenarios.Load("orders.yaml", src, types, []string{"seed=7"})
//	if err != nil {
//		fmt.Fprintln(os.Stderr, err) // one problem per line, sorted by position
//	}
//
// The machinery, one concept per file:
//
//   - errors.go: Error, ErrorList, Loc and "did you mean" suggestions;
//   - decode.go: the reflective Decoder, driven by struct tags (yaml, default, required,
//     range, enum, doc), with the NodeDecoder and Validator hooks for custom forms and
//     cross-field checks, and DecodeUnion for "one of, by a type field";
//   - orderedmap.go: OrderedMap, mappings that keep document order;
//   - units.go: Duration, Rate, Size, Percent, Memory;
//   - dist.go: DurationDist and NumberDist, validated by sim.NewDist;
//   - override.go: --set path=value and variant overrides on the node tree, and
//     MarshalNode to write the resolved scenario back out;
//   - scenario.go, arrival.go, attribute.go, threshold.go, ref.go: the document's types;
//   - schema.go: the JSON Schema of the language, generated from the same types.
//
// Resource settings are not defined here: the caller passes a ResourceTypes value mapping
// each `type` to a constructor of its settings struct, so this package has no global
// registry and knows nothing about AWS.
package scenarios
