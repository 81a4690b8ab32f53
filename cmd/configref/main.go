// Command configref rewrites the generated parts of README.md: the
// configuration reference (from the components' types, defaults and doc
// comments and the stack files) and the list of policies (from the pack).
//
//	go run ./cmd/configref          # rewrite README.md
//	go run ./cmd/configref -check   # fail if README.md is out of date
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/acme/platform/internal/configref"
)

func main() {
	check := flag.Bool("check", false, "only check that README.md is up to date")
	flag.Parse()
	readme, err := os.ReadFile("README.md")
	if err != nil {
		fmt.Fprintln(os.Stderr, "configref:", err)
		os.Exit(2)
	}
	out, err := configref.Update(".", string(readme))
	if err != nil {
		fmt.Fprintln(os.Stderr, "configref:", err)
		os.Exit(2)
	}
	if *check {
		if out != string(readme) {
			fmt.Fprintln(os.Stderr, "configref: README.md's configuration reference is out of date; run `go run ./cmd/configref`")
			os.Exit(1)
		}
		return
	}
	if err := os.WriteFile("README.md", []byte(out), 0o644); err != nil { //nolint:gosec // a README is world-readable
		fmt.Fprintln(os.Stderr, "configref:", err)
		os.Exit(2)
	}
}
