package scenarios

import (
	"embed"
	"io/fs"
	"path"
	"slices"
	"strings"
)

// builtinFS holds the built-in scenarios, one YAML file each; the file name (without
// .yaml) is the name `msgsim run NAME` accepts.
//
//go:embed builtin/*.yaml
var builtinFS embed.FS

// BuiltinScenario is one embedded scenario.
type BuiltinScenario struct {
	Name        string
	Path        string // "builtin/NAME.yaml", as error positions show it
	Source      []byte
	Description string // the scenario's description line
}

// Builtins lists the built-in scenarios in name order.
func Builtins() []BuiltinScenario {
	entries, _ := fs.ReadDir(builtinFS, "builtin") // embedded: cannot fail
	var out []BuiltinScenario
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".yaml") {
			continue
		}
		b, _ := Builtin(strings.TrimSuffix(e.Name(), ".yaml"))
		out = append(out, b)
	}
	slices.SortFunc(out, func(a, b BuiltinScenario) int { return strings.Compare(a.Name, b.Name) })
	return out
}

// Builtin returns the built-in scenario called name.
func Builtin(name string) (BuiltinScenario, bool) {
	if name == "" || strings.ContainsAny(name, "/\\") {
		return BuiltinScenario{}, false
	}
	p := path.Join("builtin", name+".yaml")
	src, err := builtinFS.ReadFile(p)
	if err != nil {
		return BuiltinScenario{}, false
	}
	return BuiltinScenario{Name: name, Path: p, Source: src, Description: descriptionOf(src)}, true
}

// descriptionOf finds the top-level `description:` line of a scenario without decoding it.
func descriptionOf(src []byte) string {
	for _, line := range strings.Split(string(src), "\n") {
		if rest, ok := strings.CutPrefix(line, "description:"); ok {
			return strings.Trim(strings.TrimSpace(rest), `"'`)
		}
	}
	return ""
}
