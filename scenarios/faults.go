package scenarios

import "time"

// FaultWindow is a period during which a component of the scenario is down: the report
// shades it on every time plot, so the cause sits next to its effect.
type FaultWindow struct {
	Component string
	From, To  time.Duration
	Mode      string // "error" or "timeout"
}

// Faults lists the outage windows of every resource, in document order.
func (f *File) Faults() []FaultWindow {
	var out []FaultWindow
	for _, e := range f.Resources.Entries() {
		switch s := e.Value.Settings.(type) {
		case *ServiceSettings:
			for _, o := range s.Outages {
				out = append(out, FaultWindow{Component: e.Key, From: o.From.D(), To: o.To.D(), Mode: o.Mode})
			}
		case *APIGatewaySettings:
			for _, o := range s.Outages {
				out = append(out, FaultWindow{Component: e.Key, From: o.From.D(), To: o.To.D(), Mode: o.Mode})
			}
		case *EndpointSettings:
			for _, o := range s.Outages {
				out = append(out, FaultWindow{Component: e.Key, From: o.From.D(), To: o.To.D(), Mode: "error"})
			}
		}
	}
	return out
}
