package scenarios

import (
	"slices"
	"strings"
)

// Graph is the architecture of a scenario as nodes (producers and resources) and labelled
// edges: send (asynchronous), call (synchronous), poll (an event source mapping reading a
// queue), redrive (to a dead-letter queue), deliver (fan-out and routing).
type Graph struct {
	Nodes []GraphNode
	Edges []GraphEdge
}

// GraphNode is one producer or resource.
type GraphNode struct {
	Name string
	Kind string // "producer", or the resource type (sqs, sqs-fifo, lambda, ...)
}

// GraphEdge is one interaction. Poll edges point from the queue to its consumer, so that
// every edge follows the direction messages travel.
type GraphEdge struct {
	From, To string
	Label    string
}

func (g *Graph) node(name, kind string) {
	g.Nodes = append(g.Nodes, GraphNode{Name: name, Kind: kind})
}

func (g *Graph) edge(from, to, label string) {
	g.Edges = append(g.Edges, GraphEdge{From: from, To: to, Label: label})
}

// Sinks returns, in node order, the nodes with no outgoing edge other than redrive.
func (g *Graph) Sinks() []string {
	var out []string
	for _, n := range g.Nodes {
		if !g.forwards(n.Name) {
			out = append(out, n.Name)
		}
	}
	return out
}

// forwards reports whether messages leave name along a send, poll or deliver edge.
func (g *Graph) forwards(name string) bool {
	for _, e := range g.Edges {
		if e.From == name && e.Label != "redrive" && e.Label != "call" {
			return true
		}
	}
	return false
}

// cycles returns the strongly connected components of the message-flow edges (send, poll,
// deliver) that contain a cycle, each as node names in node order (Tarjan's algorithm,
// iterating nodes and edges in declaration order so the result is deterministic).
func (g *Graph) cycles() [][]string {
	index := map[string]int{}
	for i, n := range g.Nodes {
		index[n.Name] = i
	}
	adj := make([][]int, len(g.Nodes))
	self := make([]bool, len(g.Nodes))
	for _, e := range g.Edges {
		if e.Label == "redrive" || e.Label == "call" {
			continue
		}
		a, okA := index[e.From]
		b, okB := index[e.To]
		if !okA || !okB {
			continue
		}
		adj[a] = append(adj[a], b)
		if a == b {
			self[a] = true
		}
	}
	var (
		next    int
		idx     = make([]int, len(g.Nodes))
		low     = make([]int, len(g.Nodes))
		onStack = make([]bool, len(g.Nodes))
		stack   []int
		out     [][]string
		visit   func(v int)
	)
	for i := range idx {
		idx[i] = -1
	}
	visit = func(v int) {
		idx[v], low[v] = next, next
		next++
		stack = append(stack, v)
		onStack[v] = true
		for _, w := range adj[v] {
			if idx[w] < 0 {
				visit(w)
				low[v] = min(low[v], low[w])
			} else if onStack[w] {
				low[v] = min(low[v], idx[w])
			}
		}
		if low[v] == idx[v] {
			var comp []int
			for {
				w := stack[len(stack)-1]
				stack = stack[:len(stack)-1]
				onStack[w] = false
				comp = append(comp, w)
				if w == v {
					break
				}
			}
			if len(comp) > 1 || self[comp[0]] {
				slices.Sort(comp)
				names := make([]string, len(comp))
				for i, c := range comp {
					names[i] = g.Nodes[c].Name
				}
				out = append(out, names)
			}
		}
	}
	for v := range g.Nodes {
		if idx[v] < 0 {
			visit(v)
		}
	}
	slices.SortFunc(out, func(a, b []string) int { return index[a[0]] - index[b[0]] })
	return out
}

// describeCycle renders a cycle as "a -> b -> a".
func describeCycle(names []string) string {
	return strings.Join(append(slices.Clone(names), names[0]), " -> ")
}
