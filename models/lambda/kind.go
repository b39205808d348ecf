package lambda

import "msgsim/models/core"

// Kind is "lambda" (core.Kinded).
func (f *Function) Kind() string { return core.KindLambda }

// Architecture is the function's instruction set, "x86_64" or "arm64" (core.Architectured):
// it changes the price of a GB-second.
func (f *Function) Architecture() string {
	if f.cfg.Architecture == "" {
		return "x86_64"
	}
	return f.cfg.Architecture
}
