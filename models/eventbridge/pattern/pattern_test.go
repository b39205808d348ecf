package pattern

import (
	"encoding/json"
	"strings"
	"testing"
)

// ec2Event is the sample event of [E-RULER] used by most cases below.
const ec2Event = `{
  "version": "0",
  "id": "ddddd4-aaaa-7777-4444-345dd43cc333",
  "detail-type": "EC2 Instance State-change Notification",
  "source": "aws.ec2",
  "account": "012345679012",
  "time": "2017-10-02T16:24:49Z",
  "region": "us-east-1",
  "resources": ["arn:aws:ec2:us-east-1:123456789012:instance/i-000000aaaaaa00000"],
  "detail": {
    "c-count": 5,
    "d-count": 3,
    "x-limit": 301.8,
    "source-ip": "10.0.0.33",
    "instance-id": "i-000000aaaaaa00000",
    "state": "running"
  }
}`

const employeesEvent = `{"employees": [
  {"firstName": "John", "lastName": "Doe"},
  {"firstName": "Anna", "lastName": "Smith"},
  {"firstName": "Peter", "lastName": "Jones"}
]}`

type matchCase struct {
	name    string
	pattern string
	event   string // "" means ec2Event
	want    bool
}

// matchCases covers every operator and example of reference §4.2, each with a match and
// a non-match, plus the edge cases of notes 17 and 24.
var matchCases = []matchCase{
	// Exact values, AND across fields, OR inside a list.
	{"exact fields all match", `{"detail-type":["EC2 Instance State-change Notification"],"resources":["arn:aws:ec2:us-east-1:123456789012:instance/i-000000aaaaaa00000"],"detail":{"state":["initializing","running"]}}`, "", true},
	{"exact value not in list", `{"detail":{"state":["initializing","stopped"]}}`, "", false},
	{"one failing field fails the AND", `{"source":["aws.ec2"],"region":["eu-west-1"]}`, "", false},
	{"fields not named are ignored", `{"source":["aws.ec2"]}`, "", true},
	{"exact match is case-sensitive", `{"source":["AWS.EC2"]}`, "", false},
	{"exact string does not match a number", `{"detail":{"c-count":["5"]}}`, "", false},
	{"exact number does not match a string", `{"account":[12345679012]}`, "", false},
	{"number 5 matches 5.0", `{"n":[5]}`, `{"n":5.0}`, true},
	{"number 5.0 matches 5", `{"n":[5.0]}`, `{"n":5}`, true},
	{"number 3.018e2 matches 301.8", `{"detail":{"x-limit":[3.018e2]}}`, "", true},
	{"number 5 does not match 6", `{"n":[5]}`, `{"n":6}`, false},
	{"exact number beyond the numeric range", `{"account":[123456789012]}`, `{"account":123456789012}`, true},
	{"true matches true", `{"b":[true]}`, `{"b":true}`, true},
	{"true does not match the string true", `{"b":[true]}`, `{"b":"true"}`, false},
	{"false does not match true", `{"b":[false]}`, `{"b":true}`, false},
	{"null matches null", `{"f":[null]}`, `{"f":null}`, true},
	{"null does not match empty string", `{"f":[null]}`, `{"f":""}`, false},
	{"empty string matches empty string", `{"f":[""]}`, `{"f":""}`, true},
	{"empty string does not match null", `{"f":[""]}`, `{"f":null}`, false},
	{"null does not match a missing field", `{"f":[null]}`, `{}`, false},
	{"exact value does not match an object", `{"detail":["running"]}`, "", false},

	// Arrays in events.
	{"event array intersects pattern list", `{"resources":["arn:x","arn:aws:ec2:us-east-1:123456789012:instance/i-000000aaaaaa00000"]}`, "", true},
	{"event array disjoint from pattern list", `{"tags":["a","b"]}`, `{"tags":["c","d"]}`, false},
	{"numeric on any array element", `{"n":[{"numeric":[">",10]}]}`, `{"n":[1,2,30]}`, true},
	{"nested event arrays are flattened", `{"n":["x"]}`, `{"n":[["a"],["b",["x"]]]}`, true},
	{"empty event array matches nothing", `{"n":["x"]}`, `{"n":[]}`, false},

	// prefix, suffix, equals-ignore-case.
	{"prefix matches", `{"time":[{"prefix":"2017-10-02"}]}`, "", true},
	{"prefix does not match", `{"time":[{"prefix":"2017-10-03"}]}`, "", false},
	{"prefix is case-sensitive", `{"source":[{"prefix":"AWS."}]}`, "", false},
	{"prefix ignores numbers", `{"detail":{"c-count":[{"prefix":"5"}]}}`, "", false},
	{"empty prefix matches any string", `{"source":[{"prefix":""}]}`, "", true},
	{"suffix matches", `{"source":[{"suffix":"ec2"}]}`, "", true},
	{"suffix does not match", `{"source":[{"suffix":".png"}]}`, "", false},
	{"equals-ignore-case matches", `{"source":[{"equals-ignore-case":"AWS.EC2"}]}`, "", true},
	{"equals-ignore-case needs the whole string", `{"source":[{"equals-ignore-case":"AWS.EC"}]}`, "", false},
	{"equals-ignore-case folds Unicode", `{"s":[{"equals-ignore-case":"ÉCOLE"}]}`, `{"s":"école"}`, true},
	{"prefix with equals-ignore-case matches", `{"source":[{"prefix":{"equals-ignore-case":"AWS."}}]}`, "", true},
	{"prefix with equals-ignore-case does not match", `{"source":[{"prefix":{"equals-ignore-case":"AWS.S3"}}]}`, "", false},
	{"suffix with equals-ignore-case matches", `{"source":[{"suffix":{"equals-ignore-case":"EC2"}}]}`, "", true},
	{"suffix with equals-ignore-case does not match", `{"source":[{"suffix":{"equals-ignore-case":"S3"}}]}`, "", false},

	// wildcard.
	{"wildcard matches runs", `{"detail-type":[{"wildcard":"EC2*State-change*"}]}`, "", true},
	{"wildcard must match the whole string", `{"detail-type":[{"wildcard":"EC2*State"}]}`, "", false},
	{"wildcard star alone matches any string", `{"source":[{"wildcard":"*"}]}`, "", true},
	{"wildcard star alone does not match a number", `{"detail":{"c-count":[{"wildcard":"*"}]}}`, "", false},
	{"wildcard star matches empty run", `{"s":[{"wildcard":"a*b"}]}`, `{"s":"ab"}`, true},
	{"wildcard without star is equality", `{"s":[{"wildcard":"ab"}]}`, `{"s":"abc"}`, false},
	{"wildcard prefix and suffix may not overlap", `{"s":[{"wildcard":"ab*ba"}]}`, `{"s":"aba"}`, false},
	{"wildcard escaped star is literal", `{"s":[{"wildcard":"a\\*b"}]}`, `{"s":"a*b"}`, true},
	{"wildcard escaped star is not a wildcard", `{"s":[{"wildcard":"a\\*b"}]}`, `{"s":"axb"}`, false},
	{"wildcard escaped backslash is literal", `{"s":[{"wildcard":"a\\\\*"}]}`, `{"s":"a\\bc"}`, true},
	{"wildcard escaped star then star", `{"s":[{"wildcard":"\\**"}]}`, `{"s":"*xyz"}`, true},

	{"wildcard file in folder", `{"FileName":[{"wildcard":"dir/*.png"}]}`, `{"FileName":"dir/cat.png"}`, true},
	{"wildcard file in folder other extension", `{"FileName":[{"wildcard":"dir/*.png"}]}`, `{"FileName":"dir/cat.jpg"}`, false},
	{"suffix ignore case mixed-case operand", `{"service":[{"suffix":{"equals-ignore-case":"tBridge"}}]}`, `{"service":"EventBridge"}`, true},

	// anything-but.
	{"anything-but string excludes", `{"detail":{"state":[{"anything-but":"running"}]}}`, "", false},
	{"anything-but string admits others", `{"detail":{"state":[{"anything-but":"initializing"}]}}`, "", true},
	{"anything-but number admits others", `{"detail":{"x-limit":[{"anything-but":123}]}}`, "", true},
	{"anything-but number excludes numerically", `{"detail":{"x-limit":[{"anything-but":3.018e2}]}}`, "", false},
	{"anything-but string list admits others", `{"detail":{"state":[{"anything-but":["stopped","overloaded"]}]}}`, "", true},
	{"anything-but string list excludes", `{"detail":{"state":[{"anything-but":["stopped","running"]}]}}`, "", false},
	{"anything-but number list admits others", `{"detail":{"x-limit":[{"anything-but":[100,200,300]}]}}`, "", true},
	{"anything-but number list excludes", `{"detail":{"c-count":[{"anything-but":[4,5.0]}]}}`, "", false},
	{"anything-but string admits a number", `{"detail":{"c-count":[{"anything-but":"5"}]}}`, "", true},
	{"anything-but number admits a string", `{"detail":{"state":[{"anything-but":[5]}]}}`, "", true},
	{"anything-but prefix excludes", `{"detail":{"state":[{"anything-but":{"prefix":"run"}}]}}`, "", false},
	{"anything-but prefix admits others", `{"detail":{"state":[{"anything-but":{"prefix":"init"}}]}}`, "", true},
	{"anything-but suffix excludes", `{"detail":{"state":[{"anything-but":{"suffix":"ing"}}]}}`, "", false},
	{"anything-but suffix admits others", `{"detail":{"state":[{"anything-but":{"suffix":"ed"}}]}}`, "", true},
	{"anything-but wildcard excludes", `{"detail":{"state":[{"anything-but":{"wildcard":"r*g"}}]}}`, "", false},
	{"anything-but wildcard admits others", `{"detail":{"state":[{"anything-but":{"wildcard":"s*"}}]}}`, "", true},
	{"anything-but wildcard path excludes", `{"FilePath":[{"anything-but":{"wildcard":"*/lib/*"}}]}`, `{"FilePath":"/usr/lib/libc.so"}`, false},
	{"anything-but wildcard path admits others", `{"FilePath":[{"anything-but":{"wildcard":"*/lib/*"}}]}`, `{"FilePath":"/usr/bin/ls"}`, true},
	{"anything-but equals-ignore-case excludes", `{"detail":{"state":[{"anything-but":{"equals-ignore-case":"RUNNING"}}]}}`, "", false},
	{"anything-but equals-ignore-case list admits others", `{"detail":{"state":[{"anything-but":{"equals-ignore-case":["STOPPED","PENDING"]}}]}}`, "", true},
	{"anything-but does not match a missing field", `{"detail":{"nope":[{"anything-but":"x"}]}}`, "", false},
	{"anything-but on array matches if some element is not excluded", `{"tags":[{"anything-but":"a"}]}`, `{"tags":["a","b"]}`, true},
	{"anything-but on array of only excluded elements", `{"tags":[{"anything-but":["a","b"]}]}`, `{"tags":["a","b"]}`, false},

	// numeric.
	{"numeric range matches", `{"detail":{"c-count":[{"numeric":[">",0,"<=",5]}]}}`, "", true},
	{"numeric open bound excludes", `{"detail":{"c-count":[{"numeric":[">",5]}]}}`, "", false},
	{"numeric closed bound includes", `{"detail":{"c-count":[{"numeric":[">=",5]}]}}`, "", true},
	{"numeric less than", `{"detail":{"d-count":[{"numeric":["<",10]}]}}`, "", true},
	{"numeric less or equal excludes", `{"detail":{"d-count":[{"numeric":["<=",2]}]}}`, "", false},
	{"numeric equals", `{"detail":{"x-limit":[{"numeric":["=",3.018e2]}]}}`, "", true},
	{"numeric equals other", `{"detail":{"x-limit":[{"numeric":["=",301]}]}}`, "", false},
	{"numeric range upper bound open", `{"n":[{"numeric":[">=",0,"<",5]}]}`, `{"n":5}`, false},
	{"numeric does not match a numeric string", `{"n":[{"numeric":[">",0]}]}`, `{"n":"5"}`, false},
	{"numeric compares at 6 decimals", `{"n":[{"numeric":["<=",5]}]}`, `{"n":5.0000001}`, true},
	{"numeric below 6 decimals is zero", `{"n":[{"numeric":[">",0]}]}`, `{"n":0.0000001}`, false},
	{"numeric handles negatives", `{"n":[{"numeric":[">",-10,"<",-1]}]}`, `{"n":-5}`, true},

	// exists.
	{"exists true on present field", `{"detail":{"c-count":[{"exists":true}]}}`, "", true},
	{"exists true on missing field", `{"detail":{"e-count":[{"exists":true}]}}`, "", false},
	{"exists false on present field", `{"detail":{"c-count":[{"exists":false}]}}`, "", false},
	{"exists false on missing field", `{"detail":{"e-count":[{"exists":false}]}}`, "", true},
	{"exists false on missing parent", `{"other":{"c-count":[{"exists":false}]}}`, "", true},
	{"exists false when path ends in an object", `{"detail":{"c-count":[{"exists":false}]}}`, `{"detail":{"c-count":{"c1":100}}}`, true},
	{"exists true when path ends in an object", `{"detail":{"c-count":[{"exists":true}]}}`, `{"detail":{"c-count":{"c1":100}}}`, false},
	{"exists true on null", `{"f":[{"exists":true}]}`, `{"f":null}`, true},
	{"exists false on empty array", `{"f":[{"exists":false}]}`, `{"f":[]}`, true},
	{"exists false or a value", `{"f":["x",{"exists":false}]}`, `{"f":"x"}`, true},

	// cidr.
	{"cidr v4 contains", `{"detail":{"source-ip":[{"cidr":"10.0.0.0/24"}]}}`, "", true},
	{"cidr v4 excludes", `{"detail":{"source-ip":[{"cidr":"10.0.1.0/24"}]}}`, "", false},
	{"cidr host bits are ignored", `{"detail":{"source-ip":[{"cidr":"10.0.0.200/24"}]}}`, "", true},
	{"cidr v6 contains", `{"ip":[{"cidr":"2001:db8::/32"}]}`, `{"ip":"2001:db8:0:1::5"}`, true},
	{"cidr v6 excludes", `{"ip":[{"cidr":"2001:db8::/32"}]}`, `{"ip":"2001:db9::1"}`, false},
	{"cidr v4 does not contain v6", `{"ip":[{"cidr":"10.0.0.0/8"}]}`, `{"ip":"2001:db8::1"}`, false},
	{"cidr does not match a non-address", `{"ip":[{"cidr":"10.0.0.0/8"}]}`, `{"ip":"10.0.0.x"}`, false},

	// Complex example from [E-RULER].
	{"complex example", `{"time":[{"prefix":"2017-10-02"}],"detail":{"state":[{"anything-but":"initializing"}],"c-count":[{"numeric":[">",0,"<=",5]}],"d-count":[{"numeric":["<",10]}],"x-limit":[{"anything-but":[100,200,300]}],"source-ip":[{"cidr":"10.0.0.0/8"}]}}`, "", true},

	// $or.
	{"$or second alternative", `{"source":["aws.cloudwatch"],"$or":[{"metricName":["CPUUtilization","ReadLatency"]},{"namespace":["AWS/EC2","AWS/ES"]}]}`, `{"source":"aws.cloudwatch","namespace":"AWS/ES"}`, true},
	{"$or no alternative", `{"source":["aws.cloudwatch"],"$or":[{"metricName":["CPUUtilization"]},{"namespace":["AWS/EC2"]}]}`, `{"source":"aws.cloudwatch","namespace":"AWS/S3"}`, false},
	{"$or AND outside still applies", `{"source":["aws.cloudwatch"],"$or":[{"metricName":["CPUUtilization"]},{"namespace":["AWS/EC2"]}]}`, `{"source":"aws.ec2","namespace":"AWS/EC2"}`, false},
	{"$or alternative with AND inside", `{"$or":[{"metricName":["CPU"]},{"metricType":["MetricType"],"namespace":["AWS/EC2"]}]}`, `{"metricType":"MetricType","namespace":"AWS/EC2"}`, true},
	{"$or alternative with AND inside half met", `{"$or":[{"metricName":["CPU"]},{"metricType":["MetricType"],"namespace":["AWS/EC2"]}]}`, `{"metricType":"MetricType","namespace":"AWS/ES"}`, false},
	{"nested $or inner alternative", `{"source":["aws.cloudwatch"],"$or":[{"metricName":["CPU"]},{"metricType":["MetricType"],"namespace":["AWS/EC2"],"$or":[{"metricId":[1234]},{"spaceId":[1000]}]},{"scope":["Service"]}]}`, `{"source":"aws.cloudwatch","metricType":"MetricType","namespace":"AWS/EC2","spaceId":1000}`, true},
	{"nested $or inner alternatives all fail", `{"source":["aws.cloudwatch"],"$or":[{"metricName":["CPU"]},{"metricType":["MetricType"],"namespace":["AWS/EC2"],"$or":[{"metricId":[1234]},{"spaceId":[1000]}]},{"scope":["Service"]}]}`, `{"source":"aws.cloudwatch","metricType":"MetricType","namespace":"AWS/EC2","spaceId":7}`, false},
	{"parallel $or at two levels", `{"$or":[{"metricName":["CPU"]},{"namespace":["AWS/EC2"]}],"detail":{"$or":[{"source":["aws.cloudwatch"]},{"detail-type":["Alarm"]}]}}`, `{"namespace":"AWS/EC2","detail":{"detail-type":"Alarm"}}`, true},
	{"parallel $or one level fails", `{"$or":[{"metricName":["CPU"]},{"namespace":["AWS/EC2"]}],"detail":{"$or":[{"source":["aws.cloudwatch"]},{"detail-type":["Alarm"]}]}}`, `{"namespace":"AWS/EC2","detail":{"detail-type":"Other"}}`, false},

	// Nested objects and array-consistent matching.
	{"nested object descends", `{"detail":{"state":["running"]}}`, "", true},
	{"nested object over a scalar", `{"region":{"name":["us-east-1"]}}`, "", false},
	{"array of objects any element", `{"employees":{"firstName":["Anna"]}}`, employeesEvent, true},
	{"array of objects same element", `{"employees":{"firstName":["Anna"],"lastName":["Smith"]}}`, employeesEvent, true},
	{"array of objects different elements", `{"employees":{"firstName":["Anna"],"lastName":["Jones"]}}`, employeesEvent, false},
	{"multi-level arrays of objects", `{"employees":{"firstName":["Peter"],"lastName":["Jones"]}}`, `{"employees":[[{"firstName":"John","lastName":"Doe"}],[{"firstName":"Peter","lastName":"Jones"}]]}`, true},
	{"array-consistent across $or", `{"a":{"b":[1]},"$or":[{"a":{"c":[2]}},{"d":[3]}]}`, `{"a":[{"b":1},{"c":2}]}`, false},
	{"array-consistent across $or same element", `{"a":{"b":[1]},"$or":[{"a":{"c":[2]}},{"d":[3]}]}`, `{"a":[{"b":1,"c":2}]}`, true},
	{"exists false inside array element", `{"employees":{"firstName":["John"],"middle":[{"exists":false}]}}`, employeesEvent, true},
}

func TestMatch(t *testing.T) {
	for _, tc := range matchCases {
		t.Run(tc.name, func(t *testing.T) {
			p, err := Compile([]byte(tc.pattern))
			if err != nil {
				t.Fatalf("Compile(%s): %v", tc.pattern, err)
			}
			ev := tc.event
			if ev == "" {
				ev = ec2Event
			}
			got, err := p.Match([]byte(ev))
			if err != nil {
				t.Fatalf("Match: %v", err)
			}
			if got != tc.want {
				t.Errorf("pattern %s on event %s: got %v, want %v", tc.pattern, ev, got, tc.want)
			}
			var v any
			if err := json.Unmarshal([]byte(ev), &v); err != nil {
				t.Fatal(err)
			}
			if got := p.MatchValue(v); got != tc.want {
				t.Errorf("MatchValue disagrees with Match: got %v", got)
			}
		})
	}
}

type invalidCase struct {
	name    string
	pattern string
	reason  string // substring expected in the error
}

// invalidCases are patterns EventBridge rejects, with a fragment of the reason.
var invalidCases = []invalidCase{
	{"not JSON", `{"source":`, "not valid JSON"},
	{"trailing data", `{"a":["x"]} {}`, "not valid JSON"},
	{"array pattern", `["aws.ec2"]`, "not an object"},
	{"string pattern", `"aws.ec2"`, "not an object"},
	{"null pattern", `null`, "not an object"},
	{"empty pattern", `{}`, "Empty objects"},
	{"empty nested object", `{"detail":{}}`, "Empty objects"},
	{"bare string leaf", `{"source":"aws.ec2"}`, "must be an object or an array"},
	{"bare number leaf", `{"n":5}`, "must be an object or an array"},
	{"bare null leaf", `{"n":null}`, "must be an object or an array"},
	{"empty leaf array", `{"source":[]}`, "Empty arrays"},
	{"array inside leaf", `{"source":[["aws.ec2"]]}`, "Match value must be"},
	{"unknown operator", `{"source":[{"regex":"aws.*"}]}`, "Unrecognized match type regex"},
	{"operator with two keys", `{"source":[{"prefix":"a","suffix":"b"}]}`, "Only one key"},
	{"empty operator object", `{"source":[{}]}`, "Match expression name not found"},
	{"prefix not a string", `{"source":[{"prefix":5}]}`, "prefix match pattern must be a string"},
	{"prefix with other inner operator", `{"source":[{"prefix":{"wildcard":"a*"}}]}`, "equals-ignore-case"},
	{"suffix not a string", `{"source":[{"suffix":["a"]}]}`, "suffix match pattern must be a string"},
	{"equals-ignore-case not a string", `{"source":[{"equals-ignore-case":1}]}`, "must be a string"},
	{"wildcard consecutive stars", `{"source":[{"wildcard":"a**b"}]}`, "Consecutive wildcard"},
	{"wildcard bad escape", `{"source":[{"wildcard":"a\\b"}]}`, "Invalid escape"},
	{"wildcard trailing backslash", `{"source":[{"wildcard":"a\\"}]}`, "Invalid escape"},
	{"wildcard not a string", `{"source":[{"wildcard":true}]}`, "must be a string"},
	{"anything-but mixed list", `{"n":[{"anything-but":["a",1]}]}`, "mixed type"},
	{"anything-but empty list", `{"n":[{"anything-but":[]}]}`, "all values are number or string"},
	{"anything-but boolean", `{"n":[{"anything-but":true}]}`, "anything-but must be an array or single string/number"},
	{"anything-but null", `{"n":[{"anything-but":null}]}`, "anything-but must be an array or single string/number"},
	{"anything-but list with null", `{"n":[{"anything-but":["a",null]}]}`, "not supported"},
	{"anything-but numeric operator", `{"n":[{"anything-but":{"numeric":[">",1]}}]}`, "Unsupported anything-but pattern"},
	{"anything-but empty prefix", `{"n":[{"anything-but":{"prefix":""}}]}`, "Null prefix/suffix"},
	{"anything-but prefix number", `{"n":[{"anything-but":{"prefix":5}}]}`, "must be a string"},
	{"anything-but wildcard consecutive stars", `{"n":[{"anything-but":{"wildcard":"**"}}]}`, "Consecutive wildcard"},
	{"anything-but equals-ignore-case number", `{"n":[{"anything-but":{"equals-ignore-case":[1]}}]}`, "must be a string"},
	{"anything-but number out of range", `{"n":[{"anything-but":2e9}]}`, "out of range"},
	{"numeric not an array", `{"n":[{"numeric":5}]}`, "must be an array"},
	{"numeric unknown operator", `{"n":[{"numeric":["!=",5]}]}`, "Unrecognized numeric range operator"},
	{"numeric value is a string", `{"n":[{"numeric":[">","5"]}]}`, "must be numeric"},
	{"numeric operator is a number", `{"n":[{"numeric":[5,">"]}]}`, "Invalid member"},
	{"numeric above 1e9", `{"n":[{"numeric":[">",1e10]}]}`, "out of range"},
	{"numeric below -1e9", `{"n":[{"numeric":["<",-1000000001]}]}`, "out of range"},
	{"numeric reversed range", `{"n":[{"numeric":["<",5,">",0]}]}`, "Too many elements"},
	{"numeric empty range", `{"n":[{"numeric":[">",5,"<",5]}]}`, "Bottom must be less than top"},
	{"numeric inverted range", `{"n":[{"numeric":[">=",10,"<=",0]}]}`, "Bottom must be less than top"},
	{"numeric equals with a bound", `{"n":[{"numeric":["=",5,"<",6]}]}`, "Too many elements"},
	{"numeric two lower bounds", `{"n":[{"numeric":[">",0,">",5]}]}`, "Bad numeric range operator"},
	{"numeric missing value", `{"n":[{"numeric":[">",0,"<"]}]}`, "numeric must be"},
	{"numeric too many terms", `{"n":[{"numeric":[">",0,"<",5,"<",6]}]}`, "numeric must be"},
	{"exists not boolean", `{"n":[{"exists":"true"}]}`, "either true or false"},
	{"cidr without prefix length", `{"ip":[{"cidr":"10.0.0.1"}]}`, "Malformed CIDR"},
	{"cidr prefix too long", `{"ip":[{"cidr":"10.0.0.0/33"}]}`, "Malformed CIDR"},
	{"cidr not an address", `{"ip":[{"cidr":"abc/8"}]}`, "Malformed CIDR"},
	{"cidr not a string", `{"ip":[{"cidr":10}]}`, "must be a string"},
	{"$or not an array", `{"$or":{"a":["x"]}}`, "must be an array"},
	{"$or one alternative", `{"$or":[{"a":["x"]}]}`, "at least 2"},
	{"$or non-object alternative", `{"$or":[{"a":["x"]},"b"]}`, "Only JSON objects"},
	{"$or empty alternative", `{"$or":[{},{"a":["x"]}]}`, "Empty objects"},
	{"$or reserved field name", `{"$or":[{"prefix":["x"]},{"a":["y"]}]}`, "reserved field name"},
	{"$or invalid nested value", `{"$or":[{"a":"x"},{"b":["y"]}]}`, "must be an object or an array"},
}

func TestCompileRejects(t *testing.T) {
	for _, tc := range invalidCases {
		t.Run(tc.name, func(t *testing.T) {
			p, err := Compile([]byte(tc.pattern))
			if err == nil {
				t.Fatalf("Compile(%s) = %v, want an error containing %q", tc.pattern, p, tc.reason)
			}
			if !strings.Contains(err.Error(), tc.reason) {
				t.Errorf("Compile(%s) error %q does not contain %q", tc.pattern, err, tc.reason)
			}
		})
	}
}

func TestCompileErrorNamesTheField(t *testing.T) {
	_, err := Compile([]byte(`{"detail":{"state":[{"anything-but":true}]}}`))
	if err == nil || !strings.Contains(err.Error(), "detail.state") {
		t.Fatalf("error %v does not name detail.state", err)
	}
}

func TestMatchRejectsInvalidEvent(t *testing.T) {
	p := MustCompile(`{"source":["aws.ec2"]}`)
	if _, err := p.Match([]byte(`{"source":`)); err == nil {
		t.Fatal("Match of truncated JSON returned no error")
	}
}

func TestMatchValueAcceptsGoNumbers(t *testing.T) {
	p := MustCompile(`{"n":[5],"m":[{"numeric":[">",1]}]}`)
	for _, ev := range []map[string]any{
		{"n": 5, "m": int64(2)},
		{"n": json.Number("5.0"), "m": 2.5},
	} {
		if !p.MatchValue(ev) {
			t.Errorf("MatchValue(%v) = false, want true", ev)
		}
	}
}

func TestMatchValueDoesNotAllocate(t *testing.T) {
	p := MustCompile(`{"source":["aws.ec2"],"detail":{"state":[{"anything-but":"stopped"}],"c-count":[{"numeric":[">",0,"<=",5]}]}}`)
	var v any
	if err := json.Unmarshal([]byte(ec2Event), &v); err != nil {
		t.Fatal(err)
	}
	if n := testing.AllocsPerRun(100, func() { p.MatchValue(v) }); n != 0 {
		t.Errorf("MatchValue allocates %v times per call, want 0", n)
	}
}
