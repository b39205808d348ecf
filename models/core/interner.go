package core

// Interner maps strings (attribute values, group ids) to small integers while the model
// is built, so messages carry integers and the hot path never hashes a string.
type Interner struct {
	ids   map[string]int32
	names []string
}

// ID returns the id of s, adding it if new.
func (in *Interner) ID(s string) int32 {
	if in.ids == nil {
		in.ids = make(map[string]int32)
	}
	if id, ok := in.ids[s]; ok {
		return id
	}
	id := int32(len(in.names))
	in.ids[s] = id
	in.names = append(in.names, s)
	return id
}

// Name returns the string of an id.
func (in *Interner) Name(id int32) string { return in.names[id] }

// Len is the number of interned strings.
func (in *Interner) Len() int { return len(in.names) }
