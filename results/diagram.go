package results

import (
	"fmt"
	"html"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"msgsim/models/core"
)

// Graph is a scenario's architecture: its components and how they interact. The scenario
// builder fills it (Meta.Graph); the report draws it as an SVG diagram and the CLI's
// `graph` command prints it as Graphviz DOT or Mermaid. Nodes and edges keep the builder's
// order, which makes every rendering deterministic.
type Graph struct {
	Nodes []Node `json:"nodes"`
	Edges []Edge `json:"edges"`
}

// Node is one component: its name and kind (core.KindOf: producer, sqs, lambda, ...).
type Node struct {
	Name string `json:"name"`
	Kind string `json:"kind"`
}

// Edge is one interaction From → To. Label says how: "send" (an asynchronous send into a
// queue, topic or bus), "call" (a synchronous request), "poll" (an event source mapping
// reading a queue: drawn from the queue to the function, the direction messages flow),
// "deliver" (a topic or bus delivering to a subscriber), "redrive" (a queue's dead-letter
// queue), or any other word.
type Edge struct {
	From  string `json:"from"`
	To    string `json:"to"`
	Label string `json:"label"`
}

// Edge labels the scenario builder uses.
const (
	EdgeSend    = "send"
	EdgeCall    = "call"
	EdgePoll    = "poll"
	EdgeDeliver = "deliver"
	EdgeRedrive = "redrive"
)

// index returns the position of each edge's ends in g.Nodes, or an error naming the first
// edge that refers to an unknown node or a duplicated node name.
func (g *Graph) index() (from, to []int, err error) {
	pos := make(map[string]int, len(g.Nodes)) // lookups only; never iterated
	for i, n := range g.Nodes {
		if _, dup := pos[n.Name]; dup {
			return nil, nil, fmt.Errorf("results: graph: node %q appears twice", n.Name)
		}
		pos[n.Name] = i
	}
	from, to = make([]int, len(g.Edges)), make([]int, len(g.Edges))
	for i, e := range g.Edges {
		f, ok1 := pos[e.From]
		t, ok2 := pos[e.To]
		if !ok1 || !ok2 {
			return nil, nil, fmt.Errorf("results: graph: edge %d (%s -> %s) refers to an unknown node", i, e.From, e.To)
		}
		from[i], to[i] = f, t
	}
	return from, to, nil
}

// Layers assigns every node a layer (a column of the diagram, left to right) and returns
// the layers, each a list of node indices in drawing order (top to bottom), and the
// node's layer by index. The layer of a node is the length of the longest path to it from
// a node without predecessors (producers first), so producers are in layer 0; nodes
// without successors (sinks) are moved to the last layer. Cycles (a queue redriving into
// itself, a function calling back) are broken deterministically: a depth-first search
// from the producers, then the other sources, then the remaining nodes, each in node
// order, ignores the edges that close a cycle. An edge that spans several layers holds a
// place in each layer it crosses, so that it passes between the boxes; within a layer,
// nodes and such places are ordered by the mean position of their predecessors in the
// layer before (ties in node order, then edge order).
func (g *Graph) Layers() (layers [][]int, layerOf []int, err error) {
	lay, err := g.layout()
	if err != nil {
		return nil, nil, err
	}
	layers = make([][]int, len(lay.cols))
	for l, col := range lay.cols {
		layers[l] = []int{}
		for _, it := range col {
			if it.node >= 0 {
				layers[l] = append(layers[l], it.node)
			}
		}
	}
	return layers, lay.layerOf, nil
}

// slot is one place in a column of the diagram: a node (node ≥ 0), or a long edge
// crossing the column (node < 0, edge its index).
type slot struct{ node, edge int }

// graphLayout is the arrangement of a graph: the columns of slots, top to bottom, the
// layer of each node, the ends of each edge, and which edges close a cycle.
type graphLayout struct {
	cols     [][]slot
	layerOf  []int
	from, to []int
	back     []bool
}

// forward says whether edge e is drawn left to right (through its crossing slots).
func (l *graphLayout) forward(e int) bool {
	return !l.back[e] && l.layerOf[l.to[e]] > l.layerOf[l.from[e]]
}

func (g *Graph) layout() (*graphLayout, error) {
	from, to, err := g.index()
	if err != nil {
		return nil, err
	}
	n := len(g.Nodes)
	lay := &graphLayout{from: from, to: to, back: g.backEdges(from, to), layerOf: make([]int, n)}
	out := make([][]int, n) // acyclic edges by source, in edge order
	indeg := make([]int, n)
	for i := range g.Edges {
		if !lay.back[i] {
			out[from[i]] = append(out[from[i]], i)
			indeg[to[i]]++
		}
	}
	// Longest path by Kahn's algorithm over the acyclic edges, visiting in node order.
	queue := make([]int, 0, n)
	for v := range n {
		if indeg[v] == 0 {
			queue = append(queue, v)
		}
	}
	for len(queue) > 0 {
		v := queue[0]
		queue = queue[1:]
		for _, e := range out[v] {
			w := to[e]
			lay.layerOf[w] = max(lay.layerOf[w], lay.layerOf[v]+1)
			if indeg[w]--; indeg[w] == 0 {
				queue = append(queue, w)
			}
		}
	}
	last := 0
	for _, l := range lay.layerOf {
		last = max(last, l)
	}
	for v := range n {
		if len(out[v]) == 0 && lay.layerOf[v] > 0 { // a sink (not an isolated node)
			lay.layerOf[v] = last
		}
	}
	if n == 0 {
		return lay, nil
	}
	// Columns in input order: nodes by index, then the crossing slots by edge index.
	lay.cols = make([][]slot, last+1)
	for v := range n {
		lay.cols[lay.layerOf[v]] = append(lay.cols[lay.layerOf[v]], slot{node: v, edge: -1})
	}
	for e := range g.Edges {
		if lay.forward(e) {
			for l := lay.layerOf[from[e]] + 1; l < lay.layerOf[to[e]]; l++ {
				lay.cols[l] = append(lay.cols[l], slot{node: -1, edge: e})
			}
		}
	}
	// Order each column by the mean row of the slot's predecessors in the column before.
	// Layer 0: producers, then the other nodes, in node order.
	row := map[slot]float64{} // lookups only; never iterated
	for l, col := range lay.cols {
		rank := make([]float64, len(col))
		for i, s := range col {
			rank[i] = float64(i) + 1e9 // no predecessor: after the others, in input order
			if l == 0 {
				rank[i] = float64(s.node)
				if g.Nodes[s.node].Kind != core.KindProducer {
					rank[i] += float64(n)
				}
				continue
			}
			sum, k := 0.0, 0
			for e := range g.Edges {
				if !lay.forward(e) || lay.layerOf[from[e]] >= l || s.node >= 0 && to[e] != s.node || s.node < 0 && e != s.edge {
					continue
				}
				prev := slot{node: -1, edge: e} // the edge's slot in the column before ...
				if lay.layerOf[from[e]] == l-1 {
					prev = slot{node: from[e], edge: -1} // ... or its source
				}
				sum += row[prev]
				k++
			}
			if k > 0 {
				rank[i] = sum / float64(k)
			}
		}
		idx := make([]int, len(col))
		for i := range idx {
			idx[i] = i
		}
		slices.SortStableFunc(idx, func(a, b int) int {
			switch {
			case rank[a] < rank[b]:
				return -1
			case rank[a] > rank[b]:
				return 1
			}
			return 0
		})
		sorted := make([]slot, len(col))
		for r, i := range idx {
			sorted[r] = col[i]
			row[col[i]] = float64(r)
		}
		lay.cols[l] = sorted
	}
	return lay, nil
}

// backEdges marks the edges that close a cycle in a depth-first search started from the
// producers, then the other nodes without predecessors, then every remaining node, each
// in node order and following edges in edge order. Self-loops are back edges.
func (g *Graph) backEdges(from, to []int) []bool {
	n := len(g.Nodes)
	out := make([][]int, n)
	indeg := make([]int, n)
	for i := range g.Edges {
		out[from[i]] = append(out[from[i]], i)
		indeg[to[i]]++
	}
	var roots []int
	for v := range n {
		if g.Nodes[v].Kind == core.KindProducer {
			roots = append(roots, v)
		}
	}
	for v := range n {
		if indeg[v] == 0 && g.Nodes[v].Kind != core.KindProducer {
			roots = append(roots, v)
		}
	}
	for v := range n {
		roots = append(roots, v)
	}
	const (
		white = iota
		grey  // on the stack
		black // done
	)
	state := make([]int, n)
	back := make([]bool, len(g.Edges))
	type frame struct{ v, next int }
	for _, r := range roots {
		if state[r] != white {
			continue
		}
		stack := []frame{{r, 0}}
		state[r] = grey
		for len(stack) > 0 {
			f := &stack[len(stack)-1]
			if f.next == len(out[f.v]) {
				state[f.v] = black
				stack = stack[:len(stack)-1]
				continue
			}
			e := out[f.v][f.next]
			f.next++
			switch state[to[e]] {
			case grey:
				back[e] = true
			case white:
				state[to[e]] = grey
				stack = append(stack, frame{to[e], 0})
			}
		}
	}
	return back
}

// kindColor is the fill of a node of the given kind in the diagram, DOT and Mermaid: one
// pale colour per family of services, grey for anything else.
func kindColor(kind string) string {
	switch kind {
	case core.KindProducer:
		return "#dbeafe" // blue
	case core.KindSQS, core.KindSQSFIFO:
		return "#fde68a" // amber
	case core.KindLambda:
		return "#fed7aa" // orange
	case core.KindSNS, core.KindSNSFIFO:
		return "#fbcfe8" // pink
	case core.KindEventBridge:
		return "#e9d5ff" // violet
	case core.KindAPIGatewayREST, core.KindAPIGatewayHTTP:
		return "#c7d2fe" // indigo
	case core.KindDynamoDB:
		return "#bbf7d0" // green
	case core.KindService:
		return "#d1fae5" // mint
	}
	return "#e5e7eb"
}

// Diagram geometry, in CSS pixels.
const (
	dgBoxH    = 46.0
	dgSlotH   = 16.0 // the place of an edge crossing a column
	dgGapX    = 110.0
	dgGapY    = 24.0
	dgLane    = 16.0 // between the lanes of edges drawn backwards, below the boxes
	dgMargin  = 16.0
	dgCharW   = 7.6 // width of a character of the 13px name font
	dgMinBoxW = 120.0
	dgMaxName = 30 // longer names are cut with an ellipsis
)

// SVG draws the graph as a standalone <svg> element for inline use in HTML: layers as
// columns left to right (Layers), each node a rounded box filled by kind with its name
// and kind, each edge an arrow from the right side of its source to the left side of its
// target, through its places in the columns it crosses, labelled with Edge.Label. Edges
// that close a cycle or stay within a column leave their source to the right, run along a
// lane below the boxes and enter their target from the left; a self-loop is a small loop
// on the right of its box. The same graph always gives the same bytes.
func (g *Graph) SVG() (string, error) {
	lay, err := g.layout()
	if err != nil {
		return "", err
	}
	boxW := dgMinBoxW
	for _, nd := range g.Nodes {
		boxW = max(boxW, float64(utf8.RuneCountInString(cut(nd.Name, dgMaxName)))*dgCharW+24)
	}
	colH := func(col []slot) float64 {
		h := 0.0
		for i, s := range col {
			if i > 0 {
				h += dgGapY
			}
			h += dgBoxH
			if s.node < 0 {
				h += dgSlotH - dgBoxH
			}
		}
		return h
	}
	boxesH := 0.0
	for _, col := range lay.cols {
		boxesH = max(boxesH, colH(col))
	}
	// Positions: x of each column, y of the centre of each slot.
	colX := func(l int) float64 { return dgMargin + float64(l)*(boxW+dgGapX) }
	cy := map[slot]float64{} // lookups only; never iterated
	for _, col := range lay.cols {
		y := dgMargin + (boxesH-colH(col))/2
		for _, s := range col {
			h := dgBoxH
			if s.node < 0 {
				h = dgSlotH
			}
			cy[s] = y + h/2
			y += h + dgGapY
		}
	}
	nodeY := func(v int) float64 { return cy[slot{node: v, edge: -1}] }
	lanes, loopRight := 0, 0.0
	for e := range g.Edges {
		if !lay.forward(e) && lay.from[e] != lay.to[e] {
			lanes++
		}
		if lay.from[e] == lay.to[e] && lay.layerOf[lay.from[e]] == len(lay.cols)-1 {
			loopRight = 40 // room for a self-loop right of the last column
		}
	}
	width := 2*dgMargin + float64(len(lay.cols))*boxW + float64(max(len(lay.cols)-1, 0))*dgGapX + loopRight
	height := 2*dgMargin + boxesH + float64(lanes)*dgLane
	if lanes > 0 {
		height += 8
	}
	// Fan-out and fan-in per source and target of each first segment, to place labels.
	outDeg, inDeg := make([]int, len(g.Nodes)), make([]int, len(g.Nodes))
	for e := range g.Edges {
		if lay.forward(e) {
			outDeg[lay.from[e]]++
			if lay.layerOf[lay.to[e]] == lay.layerOf[lay.from[e]]+1 {
				inDeg[lay.to[e]]++
			}
		}
	}
	f := func(v float64) string { return strconv.FormatFloat(v, 'f', 1, 64) }
	var b, labels strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" class="diagram" viewBox="0 0 %s %s" width="%s" height="%s" role="img" aria-label="architecture diagram">`+"\n",
		f(width), f(height), f(width), f(height))
	b.WriteString(`<defs><marker id="msgsim-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#374151"/></marker></defs>` + "\n")
	label := func(text string, x, y float64) {
		if text == "" {
			return
		}
		w := float64(utf8.RuneCountInString(text))*6.4 + 8
		fmt.Fprintf(&labels, `<rect x="%s" y="%s" width="%s" height="16" rx="3" fill="#ffffff" fill-opacity="0.9"/>`+
			`<text x="%s" y="%s" font-size="11" text-anchor="middle" fill="#374151">%s</text>`+"\n",
			f(x-w/2), f(y-8), f(w), f(x), f(y+4), html.EscapeString(text))
	}
	lane := 0
	for e, ed := range g.Edges {
		a, c := lay.from[e], lay.to[e]
		la, lc := lay.layerOf[a], lay.layerOf[c]
		var d strings.Builder
		switch {
		case lay.forward(e):
			x1, y1 := colX(la)+boxW, nodeY(a)
			d.WriteString("M" + f(x1) + "," + f(y1))
			for l := la + 1; l <= lc; l++ {
				x2, y2 := colX(l)-2, nodeY(c)
				if l < lc {
					x2, y2 = colX(l), cy[slot{node: -1, edge: e}]
				}
				mx := (x1 + x2) / 2
				d.WriteString(" C" + f(mx) + "," + f(y1) + " " + f(mx) + "," + f(y2) + " " + f(x2) + "," + f(y2))
				if l == la+1 { // the label, on the first curve
					t := 0.5
					if outDeg[a] > 1 && (l < lc || inDeg[c] == 1) {
						t = 0.65 // fan-out: towards the end, where the curves have parted
					} else if l == lc && inDeg[c] > 1 && outDeg[a] == 1 {
						t = 0.35 // fan-in: towards the start
					}
					s := 3*t*t - 2*t*t*t // the cubic's progress at t, in x and y alike
					label(ed.Label, x1+(x2-x1)*s, y1+(y2-y1)*s)
				}
				if l < lc { // straight across the column
					x1, y1 = colX(l)+boxW, y2
					d.WriteString(" L" + f(x1) + "," + f(y1))
				}
			}
		case a == c: // a self-loop on the right of the box
			x, y := colX(la)+boxW, nodeY(a)
			d.WriteString("M" + f(x) + "," + f(y-14) + " C" + f(x+34) + "," + f(y-26) + " " + f(x+34) + "," + f(y+26) + " " + f(x+2) + "," + f(y+14))
			label(ed.Label, x+34, y)
		default: // backwards: right of the source, down to a lane, left, up to the target
			ly := dgMargin + boxesH + 8 + float64(lane)*dgLane + dgLane/2
			lane++
			x1, y1 := colX(la)+boxW, nodeY(a)
			xs := x1 + dgGapX*0.25
			x2, y2 := colX(lc)-2, nodeY(c)
			xt := colX(lc) - dgGapX*0.25
			d.WriteString("M" + f(x1) + "," + f(y1) + " Q" + f(xs) + "," + f(y1) + " " + f(xs) + "," + f(min(y1+10, ly)) +
				" L" + f(xs) + "," + f(ly) + " L" + f(xt) + "," + f(ly) + " L" + f(xt) + "," + f(y2+10) +
				" Q" + f(xt) + "," + f(y2) + " " + f(x2) + "," + f(y2))
			label(ed.Label, (xs+xt)/2, ly)
		}
		fmt.Fprintf(&b, `<path d="%s" fill="none" stroke="#374151" stroke-width="1.4" marker-end="url(#msgsim-arrow)"/>`+"\n", d.String())
	}
	for v, nd := range g.Nodes {
		kind := nd.Kind
		if kind == "" {
			kind = "component"
		}
		x, y := colX(lay.layerOf[v]), nodeY(v)-dgBoxH/2
		fmt.Fprintf(&b, `<g class="node"><title>%s (%s)</title><rect x="%s" y="%s" width="%s" height="%s" rx="7" fill="%s" stroke="#4b5563" stroke-width="1"/>`+
			`<text x="%s" y="%s" font-size="13" font-weight="600" text-anchor="middle" fill="#111827">%s</text>`+
			`<text x="%s" y="%s" font-size="11" text-anchor="middle" fill="#4b5563">%s</text></g>`+"\n",
			html.EscapeString(nd.Name), html.EscapeString(kind),
			f(x), f(y), f(boxW), f(dgBoxH), kindColor(nd.Kind),
			f(x+boxW/2), f(y+20), html.EscapeString(cut(nd.Name, dgMaxName)),
			f(x+boxW/2), f(y+36), html.EscapeString(kind))
	}
	b.WriteString(labels.String())
	b.WriteString("</svg>\n")
	return b.String(), nil
}

// cut shortens s to at most n runes, ending in an ellipsis when it was longer.
func cut(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

// DOT renders the graph in Graphviz's language, left to right, nodes filled by kind and
// labelled "name\nkind", edges labelled: `msgsim graph | dot -Tsvg > arch.svg`.
func (g *Graph) DOT() string {
	q := func(s string) string {
		return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`).Replace(s) + `"`
	}
	var b strings.Builder
	b.WriteString("digraph msgsim {\n")
	b.WriteString("  rankdir=LR;\n")
	b.WriteString(`  node [shape=box, style="rounded,filled", fontname="Helvetica", fontsize=11];` + "\n")
	b.WriteString(`  edge [fontname="Helvetica", fontsize=10];` + "\n")
	for _, n := range g.Nodes {
		label := q(n.Name)
		if n.Kind != "" {
			label = q(n.Name + "\n" + n.Kind)
		}
		fmt.Fprintf(&b, "  %s [label=%s, fillcolor=%s];\n", q(n.Name), label, q(kindColor(n.Kind)))
	}
	for _, e := range g.Edges {
		if e.Label != "" {
			fmt.Fprintf(&b, "  %s -> %s [label=%s];\n", q(e.From), q(e.To), q(e.Label))
		} else {
			fmt.Fprintf(&b, "  %s -> %s;\n", q(e.From), q(e.To))
		}
	}
	b.WriteString("}\n")
	return b.String()
}

// Mermaid renders the graph as a Mermaid flowchart (left to right), for Markdown that
// renders Mermaid (GitHub, GitLab). Nodes get ids n0, n1, ... in node order, since names
// may hold characters Mermaid ids cannot; each kind is a class with its fill.
func (g *Graph) Mermaid() string {
	q := func(s string) string {
		return strings.NewReplacer(`"`, "#quot;", "<", "#lt;", ">", "#gt;", "\n", " ").Replace(s)
	}
	cls := func(kind string) string {
		if kind == "" {
			return "other"
		}
		return strings.NewReplacer("-", "_", " ", "_").Replace(kind)
	}
	id := make(map[string]string, len(g.Nodes)) // lookups only; never iterated
	var b strings.Builder
	b.WriteString("flowchart LR\n")
	var kinds []string
	for i, n := range g.Nodes {
		id[n.Name] = "n" + strconv.Itoa(i)
		label := q(n.Name)
		if n.Kind != "" {
			label += "<br/><small>" + q(n.Kind) + "</small>"
		}
		fmt.Fprintf(&b, "  n%d[\"%s\"]:::%s\n", i, label, cls(n.Kind))
		if !slices.Contains(kinds, n.Kind) {
			kinds = append(kinds, n.Kind)
		}
	}
	for _, e := range g.Edges {
		f, t := id[e.From], id[e.To]
		if f == "" || t == "" {
			continue // an edge to an unknown node: nothing to draw it between
		}
		if e.Label != "" {
			fmt.Fprintf(&b, "  %s -->|%s| %s\n", f, q(e.Label), t)
		} else {
			fmt.Fprintf(&b, "  %s --> %s\n", f, t)
		}
	}
	for _, k := range kinds {
		fmt.Fprintf(&b, "  classDef %s fill:%s,stroke:#4b5563\n", cls(k), kindColor(k))
	}
	return b.String()
}
