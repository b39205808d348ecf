package eventbridge

import "testing"

// Schedule expressions never panic: they parse or return an error.
func FuzzParseSchedule(f *testing.F) {
	for _, s := range []string{"rate(5 minutes)", "rate(1 day)", "cron(0 12 ? * MON-FRI *)", "cron(0/15 * * * ? *)",
		"cron(0 0 1 * ? 2027-2030)", "cron(0 12 ? * 2-6/2 *)", "cron(* * ? * 1,7 *)", "cron(0 0 L * ? *)"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, expr string) {
		s, err := parseSchedule(expr)
		if err != nil {
			return
		}
		if _, ok := s.first(DefaultStart); ok {
			_, _ = s.next(DefaultStart, 0)
		}
	})
}

// JSON paths and templates never panic, and rendering always ends.
func FuzzInputTransformer(f *testing.F) {
	f.Add("$.detail.state", `{"s": <v>, "t": "<v> is <v>"}`)
	f.Add("$.resources[*]", `"<v>" <aws.events.event>`)
	f.Add("$.detail.*", `<<v>> "\"<v>\"`)
	f.Fuzz(func(t *testing.T, path, tpl string) {
		in := Input{Kind: InputTransformer, PathsMap: map[string]string{"v": path}, Template: tpl}
		if checkInput(in) != nil {
			return
		}
		c, err := compileTemplate(in)
		if err != nil {
			t.Fatalf("checked input did not compile: %v", err)
		}
		root, detail := ec2Event()
		var r renderer
		r.reset(detail)
		r.template(c, root, &ruleInfo{arnV: "arn", nameV: "r"})
		if r.size(100) < 0 {
			t.Fatal("negative size")
		}
	})
}
