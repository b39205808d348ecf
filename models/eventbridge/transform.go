package eventbridge

import (
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"
)

// Predefined input-transformer variables ([E-INPUTTR][E-TRANSFORM]).
const (
	VarRuleARN       = "aws.events.rule-arn"
	VarRuleName      = "aws.events.rule-name"
	VarEvent         = "aws.events.event"      // the event without its detail, as JSON
	VarEventJSON     = "aws.events.event.json" // the whole event, as JSON
	VarIngestionTime = "aws.events.event.ingestion-time"
)

// References of template parts to predefined variables (user variables are ≥ 0).
const (
	refLiteral = -1 - iota
	refRuleARN
	refRuleName
	refEvent
	refEventJSON
	refIngestion
)

var predefined = map[string]int{
	VarRuleARN: refRuleARN, VarRuleName: refRuleName, VarEvent: refEvent,
	VarEventJSON: refEventJSON, VarIngestionTime: refIngestion,
}

// template is a compiled InputTransformer: the variables of InputPathsMap (sorted by
// name) and the InputTemplate cut into literal text and placeholders.
type template struct {
	vars  []tplVar
	parts []tplPart
}

type tplVar struct {
	name string
	path jsonPath
}

type tplPart struct {
	lit    string
	ref    int
	quoted bool // the placeholder sits inside a JSON string of the template
}

// compileTemplate compiles an InputTransformer. A placeholder is <name> where name is a
// key of the paths map or a predefined variable; any other <...> is literal text, since
// "<" and ">" cannot be escaped. Whether a placeholder sits inside a JSON string is read
// from the template's double quotes (a backslash inside a string escapes the next
// character).
func compileTemplate(in Input) (*template, error) {
	t := &template{}
	index := make(map[string]int)
	for _, name := range sortedKeys(in.PathsMap) {
		p, err := compilePath(in.PathsMap[name])
		if err != nil {
			return nil, err
		}
		index[name] = len(t.vars)
		t.vars = append(t.vars, tplVar{name: name, path: p})
	}
	s := in.Template
	inStr, esc := false, false
	lit := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case inStr && esc:
			esc = false
			continue
		case inStr && c == '\\':
			esc = true
			continue
		case c == '"':
			inStr = !inStr
			continue
		case c != '<':
			continue
		}
		j := strings.IndexByte(s[i+1:], '>')
		if j < 0 {
			continue
		}
		name := s[i+1 : i+1+j]
		ref, ok := index[name]
		if !ok {
			if ref, ok = predefined[name]; !ok {
				continue
			}
		}
		if lit < i {
			t.parts = append(t.parts, tplPart{lit: s[lit:i], ref: refLiteral})
		}
		t.parts = append(t.parts, tplPart{ref: ref, quoted: inStr})
		i += j + 1
		lit = i + 1
	}
	if lit < len(s) {
		t.parts = append(t.parts, tplPart{lit: s[lit:], ref: refLiteral})
	}
	return t, nil
}

// renderer writes inputs into a reusable buffer. It notes where it wrote the detail
// object of the current event, so that the size of an input counts the detail as the
// message's Size: the event value carries only the message's attributes, while the
// message's Size is its whole body.
type renderer struct {
	buf    []byte
	keys   []string
	detail reflect.Value // the current event's detail map (identity only)
	// detailBytes is how many bytes of buf renderings of the detail took, hits how many
	// renderings there were.
	detailBytes, hits int
}

// reset starts a rendering for an event whose detail object is detail.
func (r *renderer) reset(detail map[string]any) {
	r.buf = r.buf[:0]
	r.detail = reflect.ValueOf(detail)
	r.detailBytes, r.hits = 0, 0
}

// size is the size of the rendered input with every detail counted as body bytes.
func (r *renderer) size(body int32) int32 {
	n := len(r.buf) - r.detailBytes + r.hits*int(body)
	if n < 0 {
		n = 0
	}
	if n > math.MaxInt32 {
		n = math.MaxInt32
	}
	return int32(n)
}

// template renders t for an event, following the documented rules [E-INPUTTR]: outside
// a JSON string a value is written as JSON (strings get quotes); inside one, a string is
// written as is (EventBridge does not escape it), a number or boolean as its text, and an
// object or array as JSON with its quotes removed. aws.events.event and
// aws.events.event.json are written as raw JSON wherever they appear. A variable whose
// path selects nothing is written as nothing (it "does not appear in the output").
func (r *renderer) template(t *template, root map[string]any, rule *ruleInfo) {
	for _, p := range t.parts {
		var v any
		ok := true
		switch p.ref {
		case refLiteral:
			r.buf = append(r.buf, p.lit...)
			continue
		case refRuleARN:
			v = rule.arnV
		case refRuleName:
			v = rule.nameV
		case refIngestion:
			v = root["time"]
		case refEvent:
			r.appendObject(root, "detail")
			continue
		case refEventJSON:
			r.appendJSON(root)
			continue
		default:
			v, ok = t.vars[p.ref].path.eval(root)
		}
		if !ok {
			continue
		}
		if !p.quoted {
			r.appendJSON(v)
			continue
		}
		switch x := v.(type) {
		case string:
			r.buf = append(r.buf, x...)
		case map[string]any, []any:
			start := len(r.buf)
			r.appendJSON(x)
			r.buf = removeQuotes(r.buf, start)
		default:
			r.appendJSON(x)
		}
	}
}

// path renders the value a JSON path selects as JSON ("null" when it selects nothing).
func (r *renderer) path(p *jsonPath, root map[string]any) {
	v, ok := p.eval(root)
	if !ok {
		r.buf = append(r.buf, "null"...)
		return
	}
	r.appendJSON(v)
}

func removeQuotes(b []byte, start int) []byte {
	out := start
	for i := start; i < len(b); i++ {
		if b[i] != '"' {
			b[out] = b[i]
			out++
		}
	}
	return b[:out]
}

// appendJSON writes v as compact JSON, object keys in sorted order (so that the output
// never depends on map order).
func (r *renderer) appendJSON(v any) {
	switch x := v.(type) {
	case nil:
		r.buf = append(r.buf, "null"...)
	case bool:
		r.buf = strconv.AppendBool(r.buf, x)
	case float64:
		r.buf = appendNumber(r.buf, x)
	case int:
		r.buf = strconv.AppendInt(r.buf, int64(x), 10)
	case int64:
		r.buf = strconv.AppendInt(r.buf, x, 10)
	case json.Number:
		r.buf = append(r.buf, x...)
	case string:
		r.buf = appendString(r.buf, x)
	case []any:
		r.buf = append(r.buf, '[')
		for i, e := range x {
			if i > 0 {
				r.buf = append(r.buf, ',')
			}
			r.appendJSON(e)
		}
		r.buf = append(r.buf, ']')
	case map[string]any:
		r.appendObject(x, "")
	default:
		r.buf = append(r.buf, "null"...)
	}
}

// appendObject writes an object, leaving out key skip ("" skips nothing).
func (r *renderer) appendObject(m map[string]any, skip string) {
	isDetail := r.detail.IsValid() && !r.detail.IsNil() && reflect.ValueOf(m).UnsafePointer() == r.detail.UnsafePointer()
	start := len(r.buf)
	base := len(r.keys)
	for k := range m {
		if k != skip {
			r.keys = append(r.keys, k)
		}
	}
	n := len(r.keys) - base
	slices.Sort(r.keys[base:])
	r.buf = append(r.buf, '{')
	for i := 0; i < n; i++ {
		if i > 0 {
			r.buf = append(r.buf, ',')
		}
		k := r.keys[base+i]
		r.buf = appendString(r.buf, k)
		r.buf = append(r.buf, ':')
		r.appendJSON(m[k])
	}
	r.buf = append(r.buf, '}')
	r.keys = r.keys[:base]
	if isDetail {
		r.detailBytes += len(r.buf) - start
		r.hits++
	}
}

// appendNumber writes a float as encoding/json does (non-finite numbers as null).
func appendNumber(b []byte, f float64) []byte {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return append(b, "null"...)
	}
	format := byte('f')
	if a := math.Abs(f); a != 0 && (a < 1e-6 || a >= 1e21) {
		format = 'e'
	}
	b = strconv.AppendFloat(b, f, format, -1, 64)
	if format == 'e' {
		// clean up e-09 to e-9, as encoding/json does
		n := len(b)
		if n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	return b
}

const hexDigits = "0123456789abcdef"

// appendString writes s as a JSON string (UTF-8 kept as is; quotes, backslashes and
// control characters escaped).
func appendString(b []byte, s string) []byte {
	b = append(b, '"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"' || c == '\\':
			b = append(b, '\\', c)
		case c == '\n':
			b = append(b, '\\', 'n')
		case c == '\r':
			b = append(b, '\\', 'r')
		case c == '\t':
			b = append(b, '\\', 't')
		case c < 0x20:
			b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
		default:
			b = append(b, c)
		}
	}
	return append(b, '"')
}

// inputPlan is a target's compiled input.
type inputPlan struct {
	kind      InputKind
	constSize int32
	path      jsonPath
	tpl       *template
}

func compileInput(in Input) (inputPlan, error) {
	p := inputPlan{kind: in.Kind}
	var err error
	switch in.Kind {
	case InputConstant:
		p.constSize = int32(len(in.Constant))
	case InputPath:
		p.path, err = compilePath(in.Path)
	case InputTransformer:
		p.tpl, err = compileTemplate(in)
	case InputEvent:
	default:
		err = fmt.Errorf("unknown input kind %d", in.Kind)
	}
	return p, err
}

// readsID reports whether the input can show the event's id (so the bus must fill it).
func (p *inputPlan) readsID() bool {
	switch p.kind {
	case InputPath:
		return p.path.first() == "" || p.path.first() == "id"
	case InputTransformer:
		for _, part := range p.tpl.parts {
			if part.ref == refEvent || part.ref == refEventJSON {
				return true
			}
		}
		for _, v := range p.tpl.vars {
			if f := v.path.first(); f == "" || f == "id" {
				return true
			}
		}
	}
	return false
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
