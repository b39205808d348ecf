package filter

import (
	"encoding/json"
	"strings"
	"testing"
)

// str, num and arr build attributes of the three compared types.
func str(v string) Attribute { return Attribute{Type: "String", Value: v} }
func num(v string) Attribute { return Attribute{Type: "Number", Value: v} }
func arr(v string) Attribute { return Attribute{Type: "String.Array", Value: v} }

type attrCase struct {
	name   string
	policy string
	attrs  map[string]Attribute
	want   bool
}

// attrCases covers every operator of reference §3.3 in attribute scope, each with a match
// and a non-match.
var attrCases = []attrCase{
	{"exact string in list", `{"interest":["rugby","football","baseball"]}`, map[string]Attribute{"interest": str("rugby")}, true},
	{"exact string not in list", `{"interest":["rugby","football"]}`, map[string]Attribute{"interest": str("soccer")}, false},
	{"exact string is case-sensitive", `{"interest":["rugby"]}`, map[string]Attribute{"interest": str("Rugby")}, false},
	{"missing attribute does not match", `{"interest":["rugby"]}`, map[string]Attribute{"other": str("rugby")}, false},
	{"no attributes at all", `{"interest":["rugby"]}`, nil, false},
	{"AND across keys", `{"interest":["rugby"],"store":["example_corp"]}`, map[string]Attribute{"interest": str("rugby"), "store": str("example_corp")}, true},
	{"AND across keys one fails", `{"interest":["rugby"],"store":["example_corp"]}`, map[string]Attribute{"interest": str("rugby"), "store": str("other")}, false},
	{"exact number", `{"price":[100]}`, map[string]Attribute{"price": num("100")}, true},
	{"exact number 5 matches 5.0", `{"price":[5]}`, map[string]Attribute{"price": num("5.0")}, true},
	{"exact number other value", `{"price":[5]}`, map[string]Attribute{"price": num("6")}, false},
	{"exact number does not match a String", `{"price":[5]}`, map[string]Attribute{"price": str("5")}, false},
	{"exact string does not match a Number", `{"price":["5"]}`, map[string]Attribute{"price": num("5")}, false},
	{"number compared at 5 decimals", `{"price":[100]}`, map[string]Attribute{"price": num("100.000001")}, true},
	{"number differs at the 5th decimal", `{"price":[100]}`, map[string]Attribute{"price": num("100.00001")}, false},
	{"malformed Number never matches", `{"price":[{"exists":true}]}`, map[string]Attribute{"price": num("abc")}, false},
	{"hexadecimal Number never matches", `{"price":[16]}`, map[string]Attribute{"price": num("0x10")}, false},
	{"prefix", `{"interest":[{"prefix":"bas"}]}`, map[string]Attribute{"interest": str("baseball")}, true},
	{"prefix mismatch", `{"interest":[{"prefix":"bas"}]}`, map[string]Attribute{"interest": str("rugby")}, false},
	{"suffix", `{"interest":[{"suffix":"ball"}]}`, map[string]Attribute{"interest": str("baseball")}, true},
	{"suffix mismatch", `{"interest":[{"suffix":"ball"}]}`, map[string]Attribute{"interest": str("rugby")}, false},
	{"equals-ignore-case", `{"interest":[{"equals-ignore-case":"RUGBY"}]}`, map[string]Attribute{"interest": str("Rugby")}, true},
	{"equals-ignore-case mismatch", `{"interest":[{"equals-ignore-case":"RUGBY"}]}`, map[string]Attribute{"interest": str("rugby league")}, false},
	{"anything-but strings admits others", `{"interest":[{"anything-but":["rugby","tennis"]}]}`, map[string]Attribute{"interest": str("football")}, true},
	{"anything-but strings excludes", `{"interest":[{"anything-but":["rugby","tennis"]}]}`, map[string]Attribute{"interest": str("rugby")}, false},
	{"anything-but single string", `{"interest":[{"anything-but":"rugby"}]}`, map[string]Attribute{"interest": str("golf")}, true},
	{"anything-but numbers excludes numerically", `{"price":[{"anything-but":[100,500]}]}`, map[string]Attribute{"price": num("100.0")}, false},
	{"anything-but numbers admits others", `{"price":[{"anything-but":[100,500]}]}`, map[string]Attribute{"price": num("50")}, true},
	{"anything-but prefix excludes", `{"interest":[{"anything-but":{"prefix":"bas"}}]}`, map[string]Attribute{"interest": str("baseball")}, false},
	{"anything-but prefix admits others", `{"interest":[{"anything-but":{"prefix":"bas"}}]}`, map[string]Attribute{"interest": str("rugby")}, true},
	{"anything-but suffix excludes", `{"interest":[{"anything-but":{"suffix":"ball"}}]}`, map[string]Attribute{"interest": str("football")}, false},
	{"anything-but suffix admits others", `{"interest":[{"anything-but":{"suffix":"ball"}}]}`, map[string]Attribute{"interest": str("rugby")}, true},
	{"anything-but does not match a missing attribute", `{"interest":[{"anything-but":["rugby"]}]}`, map[string]Attribute{}, false},
	{"anything-but or exists false on missing", `{"store":[{"anything-but":["example_corp"]},{"exists":false}]}`, map[string]Attribute{}, true},
	{"anything-but or exists false on other", `{"store":[{"anything-but":["example_corp"]},{"exists":false}]}`, map[string]Attribute{"store": str("other")}, true},
	{"anything-but or exists false on excluded", `{"store":[{"anything-but":["example_corp"]},{"exists":false}]}`, map[string]Attribute{"store": str("example_corp")}, false},
	{"numeric range", `{"price":[{"numeric":[">=",100,"<",200]}]}`, map[string]Attribute{"price": num("150")}, true},
	{"numeric range open top", `{"price":[{"numeric":[">=",100,"<",200]}]}`, map[string]Attribute{"price": num("200")}, false},
	{"numeric equals", `{"price":[{"numeric":["=",301.5]}]}`, map[string]Attribute{"price": num("3.015e2")}, true},
	{"numeric greater than", `{"price":[{"numeric":[">",0]}]}`, map[string]Attribute{"price": num("-1")}, false},
	{"numeric does not match a String", `{"price":[{"numeric":[">",0]}]}`, map[string]Attribute{"price": str("5")}, false},
	{"exists true on present", `{"store":[{"exists":true}]}`, map[string]Attribute{"store": str("x")}, true},
	{"exists true on missing", `{"store":[{"exists":true}]}`, map[string]Attribute{}, false},
	{"exists false on missing", `{"store":[{"exists":false}]}`, map[string]Attribute{"other": str("x")}, true},
	{"exists false on present", `{"store":[{"exists":false}]}`, map[string]Attribute{"store": str("x")}, false},
	{"Binary attribute is ignored", `{"store":["x"]}`, map[string]Attribute{"store": {Type: "Binary", Value: "x"}}, false},
	{"Binary attribute counts as absent", `{"store":[{"exists":false}]}`, map[string]Attribute{"store": {Type: "Binary", Value: "eA=="}}, true},
	{"unknown attribute type never matches", `{"store":[{"exists":true}]}`, map[string]Attribute{"store": {Type: "Object", Value: "{}"}}, false},
	{"cidr v4", `{"ip":[{"cidr":"10.0.0.0/24"}]}`, map[string]Attribute{"ip": str("10.0.0.255")}, true},
	{"cidr v4 outside", `{"ip":[{"cidr":"10.0.0.0/24"}]}`, map[string]Attribute{"ip": str("10.0.1.1")}, false},
	{"cidr v6", `{"ip":[{"cidr":"2001:db8::/32"}]}`, map[string]Attribute{"ip": str("2001:db8::7")}, true},
	{"cidr v6 outside", `{"ip":[{"cidr":"2001:db8::/32"}]}`, map[string]Attribute{"ip": str("2001:db9::7")}, false},
	{"$or first alternative", `{"source":["aws.cloudwatch"],"$or":[{"metricName":["CPUUtilization"]},{"namespace":["AWS/EC2"]}]}`, map[string]Attribute{"source": str("aws.cloudwatch"), "metricName": str("CPUUtilization")}, true},
	{"$or no alternative", `{"source":["aws.cloudwatch"],"$or":[{"metricName":["CPUUtilization"]},{"namespace":["AWS/EC2"]}]}`, map[string]Attribute{"source": str("aws.cloudwatch"), "namespace": str("AWS/ES")}, false},
	{"nested $or", `{"$or":[{"a":["1"]},{"b":["2"],"$or":[{"c":["3"]},{"d":["4"]}]}]}`, map[string]Attribute{"b": str("2"), "d": str("4")}, true},
	{"nested $or inner fails", `{"$or":[{"a":["1"]},{"b":["2"],"$or":[{"c":["3"]},{"d":["4"]}]}]}`, map[string]Attribute{"b": str("2"), "d": str("5")}, false},
	{"String.Array any element", `{"interest":["rugby"]}`, map[string]Attribute{"interest": arr(`["rugby","tennis"]`)}, true},
	{"String.Array no element", `{"interest":["rugby"]}`, map[string]Attribute{"interest": arr(`["soccer","golf"]`)}, false},
	{"String.Array numeric element", `{"size":[{"numeric":[">",10]}]}`, map[string]Attribute{"size": arr(`["x",42]`)}, true},
	{"String.Array prefix element", `{"interest":[{"prefix":"ten"}]}`, map[string]Attribute{"interest": arr(`["golf","tennis"]`)}, true},
	{"String.Array anything-but with an excluded element", `{"interest":[{"anything-but":["rugby"]}]}`, map[string]Attribute{"interest": arr(`["rugby","tennis"]`)}, false},
	{"String.Array anything-but with no excluded element", `{"interest":[{"anything-but":["rugby"]}]}`, map[string]Attribute{"interest": arr(`["tennis","golf"]`)}, true},
	{"String.Array anything-but prefix with an excluded element", `{"interest":[{"anything-but":{"prefix":"ru"}}]}`, map[string]Attribute{"interest": arr(`["golf","rugby"]`)}, false},
	{"String.Array that is not JSON never matches", `{"interest":[{"exists":true}]}`, map[string]Attribute{"interest": arr(`rugby`)}, false},
	{"empty String.Array has no value", `{"interest":[{"exists":false}]}`, map[string]Attribute{"interest": arr(`[]`)}, true},
}

func TestMatchAttributes(t *testing.T) {
	for _, tc := range attrCases {
		t.Run(tc.name, func(t *testing.T) {
			p, err := Compile([]byte(tc.policy), MessageAttributes)
			if err != nil {
				t.Fatalf("Compile(%s): %v", tc.policy, err)
			}
			if got := p.MatchAttributes(tc.attrs); got != tc.want {
				t.Errorf("policy %s on %v: got %v, want %v", tc.policy, tc.attrs, got, tc.want)
			}
		})
	}
}

type bodyCase struct {
	name   string
	policy string
	body   string
	want   bool
}

// bodyCases covers body-scope filtering: nested keys, arrays, null and "" (note 24).
var bodyCases = []bodyCase{
	{"top-level exact", `{"interest":["rugby"]}`, `{"interest":"rugby"}`, true},
	{"nested key", `{"store":{"city":["Seattle"]}}`, `{"store":{"city":"Seattle","zip":98101}}`, true},
	{"nested key mismatch", `{"store":{"city":["Seattle"]}}`, `{"store":{"city":"Boston"}}`, false},
	{"nested key over a scalar", `{"store":{"city":["Seattle"]}}`, `{"store":"Seattle"}`, false},
	{"body array any element", `{"interest":["rugby"]}`, `{"interest":["golf","rugby"]}`, true},
	{"body array anything-but with excluded element", `{"interest":[{"anything-but":"rugby"}]}`, `{"interest":["golf","rugby"]}`, false},
	{"body array anything-but without excluded element", `{"interest":[{"anything-but":"rugby"}]}`, `{"interest":["golf","tennis"]}`, true},
	{"body number 5 matches 5.0", `{"qty":[5]}`, `{"qty":5.0}`, true},
	{"body numeric range", `{"price":[{"numeric":[">",0,"<=",100]}]}`, `{"price":{"usd":1}}`, false},
	{"body numeric range nested", `{"price":{"usd":[{"numeric":[">",0,"<=",100]}]}}`, `{"price":{"usd":99.99}}`, true},
	{"body null matches null", `{"f":[null]}`, `{"f":null}`, true},
	{"body null does not match empty string", `{"f":[null]}`, `{"f":""}`, false},
	{"body empty string matches empty string", `{"f":[""]}`, `{"f":""}`, true},
	{"body empty string does not match null", `{"f":[""]}`, `{"f":null}`, false},
	{"body true matches true", `{"f":[true]}`, `{"f":true}`, true},
	{"body exists false on missing nested", `{"store":{"city":[{"exists":false}]}}`, `{"other":1}`, true},
	{"body exists false on object", `{"store":[{"exists":false}]}`, `{"store":{"city":"x"}}`, true},
	{"body exists true", `{"store":{"city":[{"exists":true}]}}`, `{"store":{"city":"x"}}`, true},
	{"body $or nested", `{"store":{"$or":[{"city":["Seattle"]},{"zip":[98101]}]}}`, `{"store":{"city":"Boston","zip":98101}}`, true},
	{"body $or nested fails", `{"store":{"$or":[{"city":["Seattle"]},{"zip":[98101]}]}}`, `{"store":{"city":"Boston","zip":2134}}`, false},
	{"body array of objects same element", `{"items":{"sku":["A"],"qty":[2]}}`, `{"items":[{"sku":"A","qty":1},{"sku":"B","qty":2}]}`, false},
	{"body array of objects one element", `{"items":{"sku":["B"],"qty":[2]}}`, `{"items":[{"sku":"A","qty":1},{"sku":"B","qty":2}]}`, true},
	{"body cidr", `{"ip":[{"cidr":"192.168.0.0/16"}]}`, `{"ip":"192.168.3.4"}`, true},
	{"body that is not an object", `{"f":["x"]}`, `["x"]`, false},
	{"five top-level keys with nested keys", `{"a":{"x":["1"],"y":["2"],"z":["3"]},"b":["1"],"c":["1"],"d":["1"],"e":["1"]}`, `{"a":{"x":"1","y":"2","z":"3"},"b":"1","c":"1","d":"1","e":"1"}`, true},
}

func TestMatchBody(t *testing.T) {
	for _, tc := range bodyCases {
		t.Run(tc.name, func(t *testing.T) {
			p, err := Compile([]byte(tc.policy), MessageBody)
			if err != nil {
				t.Fatalf("Compile(%s): %v", tc.policy, err)
			}
			got, err := p.MatchBody([]byte(tc.body))
			if err != nil {
				t.Fatalf("MatchBody: %v", err)
			}
			if got != tc.want {
				t.Errorf("policy %s on body %s: got %v, want %v", tc.policy, tc.body, got, tc.want)
			}
			var v any
			if err := json.Unmarshal([]byte(tc.body), &v); err != nil {
				t.Fatal(err)
			}
			if p.MatchBodyValue(v) != got {
				t.Errorf("MatchBodyValue disagrees with MatchBody")
			}
		})
	}
}

func TestMatchBodyRejectsInvalidJSON(t *testing.T) {
	p := MustCompile(`{"f":["x"]}`, MessageBody)
	if _, err := p.MatchBody([]byte(`plain text`)); err == nil {
		t.Fatal("MatchBody of a non-JSON body returned no error")
	}
}

type invalidCase struct {
	name   string
	scope  Scope
	policy string
	reason string
}

// manyValues returns a JSON list of n distinct strings.
func manyValues(n int) string {
	vs := make([]string, n)
	for i := range vs {
		vs[i] = `"v` + strings.Repeat("x", i) + `"`
	}
	return "[" + strings.Join(vs, ",") + "]"
}

// invalidCases are policies SNS refuses, with a fragment of the reason.
var invalidCases = []invalidCase{
	{"not JSON", MessageAttributes, `{"a":`, "not valid JSON"},
	{"not an object", MessageAttributes, `["a"]`, "not an object"},
	{"empty policy", MessageAttributes, `{}`, "Empty objects"},
	{"bare value", MessageAttributes, `{"a":"x"}`, "must be an object or an array"},
	{"empty value list", MessageAttributes, `{"a":[]}`, "Empty arrays"},
	{"nested keys in attribute scope", MessageAttributes, `{"store":{"city":["Seattle"]}}`, "nested keys are not allowed"},
	{"six keys", MessageAttributes, `{"a":["1"],"b":["1"],"c":["1"],"d":["1"],"e":["1"],"f":["1"]}`, "more than 5 keys"},
	{"six top-level keys in body scope", MessageBody, `{"a":{"x":["1"]},"b":["1"],"c":["1"],"d":["1"],"e":["1"],"f":["1"]}`, "more than 5 keys"},
	{"151 combinations", MessageAttributes, `{"a":` + manyValues(151) + `}`, "too complex"},
	{"10 times 16 combinations", MessageBody, `{"a":` + manyValues(10) + `,"b":{"c":` + manyValues(16) + `}}`, "too complex"},
	{"$or alternatives' combinations add up", MessageAttributes, `{"$or":[{"a":` + manyValues(100) + `},{"b":` + manyValues(51) + `}]}`, "too complex"},
	{"exact number above 1e9", MessageAttributes, `{"n":[1000000001]}`, "out of range"},
	{"numeric bound above 1e9", MessageAttributes, `{"n":[{"numeric":["<",1e10]}]}`, "out of range"},
	{"numeric bound below -1e9", MessageAttributes, `{"n":[{"numeric":[">",-2e9]}]}`, "out of range"},
	{"numeric inverted range", MessageAttributes, `{"n":[{"numeric":[">",10,"<",1]}]}`, "Bottom must be less than top"},
	{"numeric upper bound first", MessageAttributes, `{"n":[{"numeric":["<",10,">",1]}]}`, "Too many elements"},
	{"numeric unknown operator", MessageAttributes, `{"n":[{"numeric":["<>",1]}]}`, "Unrecognized numeric range operator"},
	{"numeric string value", MessageAttributes, `{"n":[{"numeric":["=","1"]}]}`, "must be numeric"},
	{"wildcard is not an SNS operator", MessageAttributes, `{"a":[{"wildcard":"a*"}]}`, "Unrecognized match type wildcard"},
	{"prefix with equals-ignore-case is not SNS", MessageAttributes, `{"a":[{"prefix":{"equals-ignore-case":"a"}}]}`, "prefix match pattern must be a string"},
	{"anything-but wildcard is not SNS", MessageAttributes, `{"a":[{"anything-but":{"wildcard":"a*"}}]}`, "Unsupported anything-but pattern"},
	{"anything-but equals-ignore-case is not SNS", MessageAttributes, `{"a":[{"anything-but":{"equals-ignore-case":"a"}}]}`, "Unsupported anything-but pattern"},
	{"anything-but mixed list", MessageAttributes, `{"a":[{"anything-but":["a",1]}]}`, "mixed type"},
	{"anything-but boolean", MessageAttributes, `{"a":[{"anything-but":false}]}`, "anything-but must be an array or single string/number"},
	{"anything-but number out of range", MessageAttributes, `{"a":[{"anything-but":[5e9]}]}`, "out of range"},
	{"exists not boolean", MessageAttributes, `{"a":[{"exists":1}]}`, "either true or false"},
	{"cidr malformed", MessageAttributes, `{"a":[{"cidr":"10.0.0.0/40"}]}`, "Malformed CIDR"},
	{"unknown operator", MessageAttributes, `{"a":[{"regex":"x"}]}`, "Unrecognized match type"},
	{"$or single alternative", MessageAttributes, `{"$or":[{"a":["1"]}]}`, "at least 2"},
	{"$or not an array", MessageBody, `{"$or":{"a":["1"]}}`, "must be an array"},
}

func TestCompileRejects(t *testing.T) {
	for _, tc := range invalidCases {
		t.Run(tc.name, func(t *testing.T) {
			p, err := Compile([]byte(tc.policy), tc.scope)
			if err == nil {
				t.Fatalf("Compile(%s, %v) = %v, want an error containing %q", tc.policy, tc.scope, p, tc.reason)
			}
			if !strings.Contains(err.Error(), tc.reason) {
				t.Errorf("Compile(%s) error %q does not contain %q", tc.policy, err, tc.reason)
			}
		})
	}
}

func TestCompileLimitsAtTheBoundary(t *testing.T) {
	for _, tc := range []struct {
		name   string
		scope  Scope
		policy string
	}{
		{"five keys", MessageAttributes, `{"a":["1"],"b":["1"],"c":["1"],"d":["1"],"e":["1"]}`},
		{"150 combinations", MessageAttributes, `{"a":` + manyValues(10) + `,"b":` + manyValues(15) + `}`},
		{"numbers at plus and minus 1e9", MessageAttributes, `{"n":[1e9,-1e9,{"numeric":[">=",-1e9,"<=",1e9]}]}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := Compile([]byte(tc.policy), tc.scope); err != nil {
				t.Errorf("Compile: %v", err)
			}
		})
	}
}

func TestCompileRejectsUnknownScope(t *testing.T) {
	if _, err := Compile([]byte(`{"a":["1"]}`), Scope(7)); err == nil {
		t.Fatal("Compile accepted scope 7")
	}
}

func TestMatchBodyValueDoesNotAllocate(t *testing.T) {
	p := MustCompile(`{"type":["order"],"store":{"city":["Seattle"]},"amount":[{"numeric":[">",0]}]}`, MessageBody)
	body := map[string]any{"type": "order", "store": map[string]any{"city": "Seattle"}, "amount": 12.5}
	if n := testing.AllocsPerRun(100, func() { p.MatchBodyValue(body) }); n != 0 {
		t.Errorf("MatchBodyValue allocates %v times per call, want 0", n)
	}
}
