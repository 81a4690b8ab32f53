// Command configref rewrites what is generated from the code: the
// configuration reference of docs/configuration.md (from the components'
// types, defaults and doc comments and the stack files), the rule table of
// policy/README.md (from the pack), and the stack files' editor schema,
// docs/stack-config.schema.json (from the components' types).
//
//	go run ./cmd/configref          # rewrite them
//	go run ./cmd/configref -check   # fail if one is out of date
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/acme/platform/harness/configref"
	"github.com/acme/platform/stacks"
)

func main() {
	check := flag.Bool("check", false, "only check that the generated files are up to date")
	flag.Parse()
	files := []struct {
		path   string
		update func(string) (string, error)
	}{
		{"docs/configuration.md", func(s string) (string, error) { return configref.Update(".", s) }},
		{"policy/README.md", configref.UpdatePolicyReadme},
		{stacks.EditorSchemaPath, func(string) (string, error) {
			b, err := stacks.EditorSchema(".", "platform")
			return string(b), err
		}},
	}
	stale := false
	for _, f := range files {
		readme, err := os.ReadFile(f.path)
		if err != nil && !os.IsNotExist(err) {
			fmt.Fprintln(os.Stderr, "configref:", err)
			os.Exit(2)
		}
		out, err := f.update(string(readme))
		if err != nil {
			fmt.Fprintf(os.Stderr, "configref: %s: %v\n", f.path, err)
			os.Exit(2)
		}
		if *check {
			if out != string(readme) {
				fmt.Fprintf(os.Stderr, "configref: %s is out of date; run `go run ./cmd/configref`\n", f.path)
				stale = true
			}
			continue
		}
		if err := os.WriteFile(f.path, []byte(out), 0o644); err != nil { //nolint:gosec // a README is world-readable
			fmt.Fprintln(os.Stderr, "configref:", err)
			os.Exit(2)
		}
	}
	if stale {
		os.Exit(1)
	}
}
