package results

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

// shopGraph is an e-commerce architecture: an order topic fans out to a queue (polled by
// a function that calls a table and sends to the warehouse) and to an email service; the
// queue redrives to a DLQ.
func shopGraph() *Graph {
	return &Graph{
		Nodes: []Node{
			{"shoppers", "producer"}, {"orders", "sns"}, {"order-queue", "sqs"}, {"inventory", "lambda"},
			{"stock", "dynamodb"}, {"warehouse", "service"}, {"email", "service"}, {"order-dlq", "sqs"},
		},
		Edges: []Edge{
			{"shoppers", "orders", EdgeSend}, {"orders", "order-queue", EdgeDeliver}, {"orders", "email", EdgeDeliver},
			{"order-queue", "inventory", EdgePoll}, {"inventory", "stock", EdgeCall}, {"inventory", "warehouse", EdgeSend},
			{"order-queue", "order-dlq", EdgeRedrive},
		},
	}
}

func layerOfName(t *testing.T, g *Graph) map[string]int {
	t.Helper()
	_, layerOf, err := g.Layers()
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]int{}
	for i, n := range g.Nodes {
		m[n.Name] = layerOf[i]
	}
	return m
}

func TestLayersPutProducersLeftAndSinksRight(t *testing.T) {
	tests := []struct {
		name string
		g    *Graph
		want map[string]int
	}{
		{"a chain is one node per layer", &Graph{
			Nodes: []Node{{"p", "producer"}, {"q", "sqs"}, {"f", "lambda"}, {"s", "service"}},
			Edges: []Edge{{"p", "q", "send"}, {"q", "f", "poll"}, {"f", "s", "call"}}},
			map[string]int{"p": 0, "q": 1, "f": 2, "s": 3}},
		{"a layer is the longest path from a producer and every sink is in the last", shopGraph(),
			map[string]int{"shoppers": 0, "orders": 1, "order-queue": 2, "inventory": 3,
				"stock": 4, "warehouse": 4, "email": 4, "order-dlq": 4}},
		{"a cycle is broken at the edge that closes it", &Graph{
			Nodes: []Node{{"p", "producer"}, {"a", "lambda"}, {"b", "sqs"}, {"s", "service"}},
			Edges: []Edge{{"p", "a", "send"}, {"a", "b", "send"}, {"b", "a", "poll"}, {"b", "s", "send"}}},
			map[string]int{"p": 0, "a": 1, "b": 2, "s": 3}},
		{"a self-loop does not move its node", &Graph{
			Nodes: []Node{{"p", "producer"}, {"q", "sqs"}},
			Edges: []Edge{{"p", "q", "send"}, {"q", "q", "redrive"}}},
			map[string]int{"p": 0, "q": 1}},
		{"an isolated node stays in layer 0", &Graph{
			Nodes: []Node{{"p", "producer"}, {"q", "sqs"}, {"lonely", "dynamodb"}},
			Edges: []Edge{{"p", "q", "send"}}},
			map[string]int{"p": 0, "q": 1, "lonely": 0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := layerOfName(t, tt.g)
			for n, w := range tt.want {
				if got[n] != w {
					t.Errorf("layer of %s = %d, want %d (all: %v)", n, got[n], w, got)
				}
			}
		})
	}
}

func TestLayersAreOrderedWithinAColumn(t *testing.T) {
	layers, _, err := shopGraph().Layers()
	if err != nil {
		t.Fatal(err)
	}
	g := shopGraph()
	var last []string
	for _, v := range layers[len(layers)-1] {
		last = append(last, g.Nodes[v].Name)
	}
	// By the rows of their predecessors in layer 3: inventory (row 0) then the places of
	// the long edges order-queue -> order-dlq (row 1, under inventory, since the queue
	// is row 0 of layer 2) and orders -> email (row 2, under the queue in layer 2).
	want := []string{"stock", "warehouse", "order-dlq", "email"}
	if !slices.Equal(last, want) {
		t.Errorf("last layer %v, want %v", last, want)
	}
}

func TestGraphErrorsNameTheBadEdgeOrNode(t *testing.T) {
	tests := []struct {
		name, want string
		g          *Graph
	}{
		{"an edge to an unknown node", "unknown node", &Graph{Nodes: []Node{{"p", "producer"}}, Edges: []Edge{{"p", "q", "send"}}}},
		{"a node named twice", `"p" appears twice`, &Graph{Nodes: []Node{{"p", "producer"}, {"p", "sqs"}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, _, err := tt.g.Layers(); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Layers() error %v, want one containing %q", err, tt.want)
			}
			if _, err := tt.g.SVG(); err == nil {
				t.Error("SVG() accepted a bad graph")
			}
		})
	}
}

func TestDiagramSVGDrawsEveryNodeAndLabel(t *testing.T) {
	g := shopGraph()
	g.Nodes[6].Name = `email <"marketing">` // must be escaped
	g.Edges[2].To = g.Nodes[6].Name
	svg, err := g.SVG()
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Count(svg, `<g class="node">`); got != len(g.Nodes) {
		t.Errorf("%d boxes, want %d", got, len(g.Nodes))
	}
	if got := strings.Count(svg, `marker-end=`); got != len(g.Edges) {
		t.Errorf("%d arrows, want %d", got, len(g.Edges))
	}
	for _, s := range []string{">send<", ">poll<", ">call<", ">deliver<", ">redrive<", "&lt;&#34;marketing&#34;&gt;", kindColor("lambda")} {
		if !strings.Contains(svg, s) {
			t.Errorf("diagram lacks %q", s)
		}
	}
	if strings.Contains(svg, `<"marketing">`) {
		t.Error("a node name is not escaped")
	}
	again, _ := g.SVG()
	if again != svg {
		t.Error("two renderings of the same graph differ")
	}
}

func TestGraphDOTAndMermaidMatchGolden(t *testing.T) {
	g := shopGraph()
	g.Nodes = append(g.Nodes, Node{Name: `odd "name"`, Kind: ""})
	g.Edges = append(g.Edges, Edge{From: "inventory", To: `odd "name"`})
	golden(t, "graph.dot.golden", []byte(g.DOT()))
	golden(t, "graph.mmd.golden", []byte(g.Mermaid()))
}

func ExampleGraph_Mermaid() {
	g := Graph{
		Nodes: []Node{{"shoppers", "producer"}, {"orders", "sqs"}, {"fulfil", "lambda"}},
		Edges: []Edge{{"shoppers", "orders", EdgeSend}, {"orders", "fulfil", EdgePoll}},
	}
	fmt.Print(g.Mermaid())
	// Output:
	// flowchart LR
	//   n0["shoppers<br/><small>producer</small>"]:::producer
	//   n1["orders<br/><small>sqs</small>"]:::sqs
	//   n2["fulfil<br/><small>lambda</small>"]:::lambda
	//   n0 -->|send| n1
	//   n1 -->|poll| n2
	//   classDef producer fill:#dbeafe,stroke:#4b5563
	//   classDef sqs fill:#fde68a,stroke:#4b5563
	//   classDef lambda fill:#fed7aa,stroke:#4b5563
}
