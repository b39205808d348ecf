package scenarios

import "slices"

// Some models check their downstream when they are constructed: a function's call and
// send targets must already serve calls or accept sends, a service's target must accept
// sends. Resources are written in any order, so each resource builds what it sends to or
// calls first (depth first along the graph's call, send, deliver and redrive edges), and
// a resource already built is skipped when the builder reaches it in document order.
// A service does not wait for its target: it is wired once everything is built, which
// cuts the one cycle that calls can close (a function calling a service whose completed
// requests go back to the function). Any other cycle is cut where it closes; queues,
// built before everything else, are where real cycles pass.

// constructor is implemented by settings whose build goes through buildInOrder.
type constructor interface {
	construct(b *builder, name string, loc Loc)
}

// built reports whether name's component exists (a reserved name is neither a target nor
// a callee until its component is added).
func (b *builder) built(name string) bool {
	id, ok := b.w.Lookup(name)
	return ok && (b.w.IsTarget(id) || b.w.IsCallee(id))
}

// buildInOrder builds name's downstream resources, then name itself, unless it is built
// already or on the stack of resources being built.
func (b *builder) buildInOrder(name string, stack []string) {
	if b.built(name) || slices.Contains(stack, name) || len(stack) > 64 {
		return
	}
	r, ok := b.f.Resources.Entry(name)
	if !ok {
		return // a queue or producer name: queues are built first, producers last
	}
	_, lateTarget := r.Value.Settings.(*ServiceSettings) // wires its target afterwards
	stack = append(stack, name)
	for _, e := range b.g.Edges {
		if e.From == name && e.Label != "poll" && !(lateTarget && e.Label == "send") {
			b.buildInOrder(e.To, stack)
		}
	}
	if b.built(name) {
		return
	}
	if c, ok := r.Value.Settings.(constructor); ok {
		c.construct(b, name, r.Value.Loc)
	}
}
