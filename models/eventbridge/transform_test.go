package eventbridge

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

// ec2Event is the example event of the AWS input-transformer documentation.
func ec2Event() (root, detail map[string]any) {
	detail = map[string]any{"instance-id": "i-0123456789", "state": "RUNNING", "count": 3.0}
	root = map[string]any{
		"version": "0", "id": "7bf73129-1428-4cd3-a780-95db273d1602",
		"detail-type": "EC2 Instance State-change Notification", "source": "aws.ec2",
		"account": "123456789012", "time": "2015-11-11T21:29:54Z", "region": "us-east-1",
		"resources": []any{"arn:aws:ec2:us-east-1:123456789012:instance/i-abcd1111"},
		"detail":    detail,
	}
	return root, detail
}

func TestInputTransformerRendersTemplate(t *testing.T) {
	paths := map[string]string{
		"instance": "$.detail.instance-id", "state": "$.detail.state", "count": "$.detail.count",
		"detail": "$.detail", "res": "$.resources", "nope": "$.detail.missing", "first": "$.resources[0]",
	}
	rule := &ruleInfo{arnV: "arn:aws:events:us-east-1:123456789012:rule/bus/r", nameV: "r"}
	tests := []struct {
		name, template, want string
	}{
		{"values outside quotes are JSON",
			`{"instance": <instance>, "state": [9, <state>, true], "n": <count>}`,
			`{"instance": "i-0123456789", "state": [9, "RUNNING", true], "n": 3}`},
		{"strings inside quotes are inserted as they are",
			`"<instance> is in state <state>"`,
			`"i-0123456789 is in state RUNNING"`},
		{"escaped quotes stay inside the string",
			`"<instance> is in state \"<state>\""`,
			`"i-0123456789 is in state \"RUNNING\""`},
		{"numbers inside quotes are their text",
			`{"msg": "count <count>"}`,
			`{"msg": "count 3"}`},
		{"objects outside quotes are JSON with sorted keys",
			`{"d": <detail>, "r": <res>}`,
			`{"d": {"count":3,"instance-id":"i-0123456789","state":"RUNNING"}, "r": ["arn:aws:ec2:us-east-1:123456789012:instance/i-abcd1111"]}`},
		{"objects inside quotes lose their quotes",
			`"Detail <detail>"`,
			`"Detail {count:3,instance-id:i-0123456789,state:RUNNING}"`},
		{"a path that selects nothing renders as nothing",
			`{"x": "<nope>", "y": 1}`,
			`{"x": "", "y": 1}`},
		{"predefined rule variables",
			`{"rule": <aws.events.rule-name>, "arn": "<aws.events.rule-arn>"}`,
			`{"rule": "r", "arn": "arn:aws:events:us-east-1:123456789012:rule/bus/r"}`},
		{"ingestion time is the event time",
			`{"at": <aws.events.event.ingestion-time>}`,
			`{"at": "2015-11-11T21:29:54Z"}`},
		{"aws.events.event is the event without its detail",
			`{"e": <aws.events.event>}`,
			`{"e": {"account":"123456789012","detail-type":"EC2 Instance State-change Notification","id":"7bf73129-1428-4cd3-a780-95db273d1602","region":"us-east-1","resources":["arn:aws:ec2:us-east-1:123456789012:instance/i-abcd1111"],"source":"aws.ec2","time":"2015-11-11T21:29:54Z","version":"0"}}`},
		{"unknown <names> are literal text",
			`<b>instance</b> <first>`,
			`<b>instance</b> "arn:aws:ec2:us-east-1:123456789012:instance/i-abcd1111"`},
		{"plain text templates quote string values outside quotes",
			`instance <instance> is <state>`,
			`instance "i-0123456789" is "RUNNING"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tpl, err := compileTemplate(Input{Kind: InputTransformer, PathsMap: paths, Template: tc.template})
			if err != nil {
				t.Fatal(err)
			}
			root, detail := ec2Event()
			var r renderer
			r.reset(detail)
			r.template(tpl, root, rule)
			if got := string(r.buf); got != tc.want {
				t.Errorf("\n got %s\nwant %s", got, tc.want)
			}
		})
	}
}

func TestInputPathSelectsValue(t *testing.T) {
	tests := []struct{ path, want string }{
		{"$.detail.state", `"RUNNING"`},
		{"$.detail", `{"count":3,"instance-id":"i-0123456789","state":"RUNNING"}`},
		{"$.resources[0]", `"arn:aws:ec2:us-east-1:123456789012:instance/i-abcd1111"`},
		{"$.resources[1]", `null`},
		{"$.detail.missing", `null`},
		{"$.detail.*", `[3,"i-0123456789","RUNNING"]`},
		{"$.resources[*]", `["arn:aws:ec2:us-east-1:123456789012:instance/i-abcd1111"]`},
		{"$.source", `"aws.ec2"`},
	}
	for _, tc := range tests {
		t.Run(tc.path, func(t *testing.T) {
			p, err := compilePath(tc.path)
			if err != nil {
				t.Fatal(err)
			}
			root, detail := ec2Event()
			var r renderer
			r.reset(detail)
			r.path(&p, root)
			if got := string(r.buf); got != tc.want {
				t.Errorf("got %s, want %s", got, tc.want)
			}
			if !json.Valid(r.buf) {
				t.Errorf("output %s is not JSON", r.buf)
			}
		})
	}
}

func TestInvalidJSONPathsAreRejected(t *testing.T) {
	for _, p := range []string{"", "detail", "$.", "$..a", "$.a[b]", "$.a['b']", "$.a[-1]", "$.a[1", "$ a"} {
		if _, err := compilePath(p); err == nil {
			t.Errorf("path %q: want an error", p)
		}
	}
}

// A target's copy carries the size of its input: the whole event is the detail (Size)
// plus the envelope, a constant its length, a transformer its rendered length with the
// detail counted as Size.
func TestCopySizeFollowsTargetInput(t *testing.T) {
	w := newWorld(time.Minute)
	e := newEmitter(w, "shop", "type")
	whole, konst, tr, det, path := newFake(w, "whole"), newFake(w, "const"), newFake(w, "tr"), newFake(w, "det"), newFake(w, "path")
	target := func(f *fakeTarget, in Input) Target {
		t := NewTarget(f.id)
		t.Input = in
		return t
	}
	b := mustBus(t, w, Config{Name: "bus", DeliveryLatency: fixed(0), Rules: []Rule{{
		Name: "r", Pattern: `{"detail":{"type":["order"]}}`,
		Targets: []Target{
			target(whole, Input{}),
			target(konst, Input{Kind: InputConstant, Constant: `{"ping":true}`}),
			target(tr, Input{Kind: InputTransformer, PathsMap: map[string]string{"t": "$.detail.type"}, Template: `{"kind": <t>}`}),
			target(det, Input{Kind: InputTransformer, PathsMap: map[string]string{"d": "$.detail"}, Template: `{"d": <d>}`}),
			target(path, Input{Kind: InputPath, Path: "$.detail"}),
		},
	}}})
	e.to = b.ID()
	e.at(time.Second, 5000, "order")
	run(t, w)
	// the envelope: the rendered event minus its detail
	root := map[string]any{"version": "0", "id": placeholderID, "account": Account, "region": "us-east-1",
		"time": "2026-01-01T00:00:01Z", "source": "shop", "detail-type": "shop", "resources": []any{}, "detail": map[string]any{}}
	envelope, _ := json.Marshal(root)
	overhead := len(envelope) - len(`{}`)
	want := map[*fakeTarget]int32{
		whole: int32(5000 + overhead),
		konst: int32(len(`{"ping":true}`)),
		tr:    int32(len(`{"kind": "order"}`)),
		det:   int32(len(`{"d": }`) + 5000),
		path:  5000,
	}
	for f, size := range want {
		if len(f.log) != 1 || f.log[0].size != size {
			t.Errorf("%s: deliveries %+v, want one of size %d", f.name, f.log, size)
		}
	}
	conserve(t, w)
}

func TestInputConfigErrors(t *testing.T) {
	tests := []struct {
		name string
		in   Input
		want string
	}{
		{"constant must be JSON", Input{Kind: InputConstant, Constant: `{x`}, "not valid JSON"},
		{"path must start with $", Input{Kind: InputPath, Path: "detail"}, "must start with $"},
		{"template must not be empty", Input{Kind: InputTransformer}, "template length 0"},
		{"variables must not use the AWS prefix", Input{Kind: InputTransformer, Template: "x",
			PathsMap: map[string]string{"AWS.x": "$.a"}}, `"AWS.x"`},
		{"variable paths are checked", Input{Kind: InputTransformer, Template: "x",
			PathsMap: map[string]string{"v": "$.a[x]"}}, "array index"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := checkInput(tc.in)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want one containing %q", err, tc.want)
			}
		})
	}
}
