package scenarios

import (
	"errors"
	"io"
	"path/filepath"
	"reflect"
	"regexp"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// File is a decoded scenario document: the architecture (producers and resources), how
// long and how often to run it, the SLO thresholds, and named variants for compare.
type File struct {
	Name         string                      `yaml:"name" doc:"Scenario name; names the output directory. Defaults to the file name without extension."`
	Description  string                      `yaml:"description" doc:"One or two sentences on what the scenario shows."`
	Duration     Duration                    `yaml:"duration" default:"10m" range:"1ns.." doc:"Simulated time measured, after the warm-up."`
	Warmup       Duration                    `yaml:"warmup" default:"0" doc:"Simulated time run before measuring, excluded from statistics."`
	Seed         int64                       `yaml:"seed" default:"1" range:"0.." doc:"Seed of all random streams; same seed, same results."`
	Replications int                         `yaml:"replications" default:"1" range:"1..10000" doc:"Independent runs, each with its own random streams, for confidence intervals."`
	Producers    OrderedMap[Producer]        `yaml:"producers" doc:"Traffic sources, by name."`
	Resources    OrderedMap[Resource]        `yaml:"resources" doc:"The architecture's components, by name; each has a type."`
	Thresholds   []Threshold                 `yaml:"thresholds" doc:"SLOs such as 'p99(latency: shoppers -> inventory) < 2s'; a violated one makes the run exit non-zero."`
	Variants     OrderedMap[OrderedMap[Raw]] `yaml:"variants" doc:"Named overrides of the base scenario for compare: variant name -> field path -> value."`
	Learn        string                      `yaml:"learn" doc:"What to look at in the results (for teaching)."`

	// Path is the file the scenario was loaded from (as given to Load).
	Path string `yaml:"-"`
	// Variant is the name of the variant applied, if any.
	Variant string `yaml:"-"`
	// Root is the resolved document: the file with the variant and --set overrides
	// applied. MarshalNode(Root) is the scenario.yaml written into a run directory.
	Root *yaml.Node `yaml:"-"`
}

// Producer is a source of messages: an arrival process sending to a target resource.
type Producer struct {
	Target     Ref                   `yaml:"target" required:"true" doc:"The resource that receives what the producer sends."`
	Arrival    Arrival               `yaml:"arrival" required:"true" doc:"When messages are produced."`
	Attributes OrderedMap[Attribute] `yaml:"attributes" doc:"Message attributes / body fields, for filters and patterns: categorical weights {order: 0.9, refund: 0.1} or a number distribution."`
	Size       Size                  `yaml:"size" default:"1KB" range:"1B..1GB" doc:"Message size (KB = 1024 bytes)."`
	Poison     Percent               `yaml:"poison" doc:"Fraction of messages that always fail processing (poison messages)."`
	Groups     int                   `yaml:"groups" default:"0" range:"0..1000000" doc:"FIFO message groups the messages are spread over uniformly (0: 100 when the target is FIFO, else none)."`
	Duplicates Percent               `yaml:"duplicates" doc:"Fraction of messages sent twice with the same deduplication id (an SDK retry after a lost response); FIFO queues and topics drop the second."`
	BatchSize  int                   `yaml:"batch_size" default:"1" range:"1..10" doc:"Messages per SendMessageBatch call when the target is an SQS queue (one quota token and one request per 64 KB of the call); other targets get one send per message."`
	Linger     Duration              `yaml:"linger" default:"0s" range:"0s.." doc:"How long a batch waits for more messages after its first before it is sent anyway."`
}

// ResourceTypes maps a resource `type` (sqs, lambda, ...) to a constructor of a pointer to
// its settings struct. It is a value built by the caller and passed to Load, never a
// package-level registry:
//
//	types := scenarios.ResourceTypes{
//		"sqs":    func() any { return &SQSSettings{} },
//		"lambda": func() any { return &LambdaSettings{} },
//	}
type ResourceTypes map[string]func() any

// Resource is one component of the architecture: its type and the settings struct that
// the registered constructor returned, decoded from the rest of the mapping.
type Resource struct {
	Type     string
	Settings any // the pointer returned by the ResourceTypes constructor; nil if the type is unknown
	Loc      Loc // the resource's mapping
}

// DecodeYAML decodes a resource through the decoder's ResourceTypes.
func (r *Resource) DecodeYAML(d *Decoder, n *yaml.Node, path string) {
	kind, v, _ := d.DecodeUnion(n, path, "type", Kinds(d.Types), "resource type")
	*r = Resource{Type: kind, Settings: v, Loc: d.Loc(n, path)}
}

// Options controls Load beyond the document itself.
type Options struct {
	// Types are the resource types the scenario may use.
	Types ResourceTypes
	// Variant, if not empty, names the variant whose overrides are applied to the base.
	Variant string
	// Sets are command-line overrides "path=value", applied after the variant.
	Sets []string
}

// Load decodes a scenario from src (path names it in error positions), applying the
// --set overrides in sets. It returns every problem found, as an ErrorList, at once.
func Load(path string, src []byte, types ResourceTypes, sets []string) (*File, error) {
	return LoadWith(path, src, Options{Types: types, Sets: sets})
}

// topLevelKeys are the keys a scenario document may have, in declaration order.
func topLevelKeys() []string {
	var out []string
	for _, f := range structFields(reflect.TypeFor[File]()) {
		out = append(out, f.name)
	}
	return out
}

// LoadWith is Load with a variant. When no variant is chosen, every variant is still
// checked (applied to a copy and decoded), so `msgsim validate` finds broken variants.
func LoadWith(path string, src []byte, opts Options) (*File, error) {
	d := NewDecoder(path, opts.Types)
	root, ok := d.parse(src)
	if !ok {
		return nil, d.Errors().Err()
	}
	var doc yaml.Node
	if root.Kind == yaml.DocumentNode {
		doc = *root
	} else {
		doc = yaml.Node{Kind: yaml.DocumentNode, Content: []*yaml.Node{root}, Line: 1, Column: 1}
	}
	body := Resolve(&doc)
	if body == nil || IsNull(body) {
		body = &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Line: 1, Column: 1}
		doc.Content = []*yaml.Node{body}
	}
	if body.Kind != yaml.MappingNode {
		d.Want(body, "", "a mapping with name, resources, ...")
		return nil, d.Errors().Err()
	}
	if doc.Content[0] != body { // the document is an alias: never modify an anchored node
		body = d.copyNode(body)
		doc.Content[0] = body
	}
	top := topLevelKeys()
	var overrides []Override
	if opts.Variant != "" {
		vo, _ := d.variantOverrides(body, opts.Variant)
		overrides = append(overrides, vo...)
	}
	for i, s := range opts.Sets {
		if o, ok := d.parseSet(i+1, s); ok {
			overrides = append(overrides, o)
		}
	}
	for _, o := range overrides {
		d.Apply(body, o, top)
	}
	f := &File{}
	d.Decode(body, "", f)
	f.Path, f.Variant, f.Root = path, opts.Variant, &doc
	if f.Name == "" {
		f.Name = strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
	}
	if opts.Variant == "" {
		d.checkVariants(body, f, top)
	}
	if errs := d.Errors(); len(errs) > 0 {
		return nil, errs
	}
	return f, nil
}

// checkVariants applies each variant to a copy of the document and decodes it, keeping
// the problems (those the base already has are merged when the list is sorted).
func (d *Decoder) checkVariants(body *yaml.Node, f *File, top []string) {
	for _, e := range f.Variants.Entries() {
		if d.stopped {
			return
		}
		cp := d.copyNode(body)
		vo, _ := d.variantOverrides(cp, e.Key)
		for _, o := range vo {
			d.Apply(cp, o, top)
		}
		d.Decode(cp, "", &File{})
	}
}

// yamlLine finds the line number in a yaml.v3 error message ("yaml: line 3: ...").
var yamlLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// parse reads exactly one YAML document, converting syntax errors to positioned Errors.
func (d *Decoder) parse(src []byte) (*yaml.Node, bool) {
	dec := yaml.NewDecoder(strings.NewReader(string(src)))
	var doc yaml.Node
	err := dec.Decode(&doc)
	if errors.Is(err, io.EOF) {
		return &yaml.Node{Kind: yaml.DocumentNode, Line: 1, Column: 1}, true
	}
	if err != nil {
		d.syntaxError(err)
		return nil, false
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); err == nil {
		d.Errorf(&extra, "", "want one YAML document, found another one here")
		return nil, false
	} else if !errors.Is(err, io.EOF) {
		d.syntaxError(err)
		return nil, false
	}
	return &doc, true
}

func (d *Decoder) syntaxError(err error) {
	msg := err.Error()
	line := 1
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		line, _ = strconv.Atoi(m[1])
		msg = m[2]
	} else {
		msg = strings.TrimPrefix(msg, "yaml: ")
	}
	d.errs.Add(Error{File: d.File, Line: line, Column: 1, Message: "invalid YAML: " + msg})
}
