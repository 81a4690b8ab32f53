// Command configref rewrites the configuration reference in README.md from
// the code (types, defaults, doc comments) and the stack files.
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
	body, err := configref.Render(".")
	if err != nil {
		fmt.Fprintln(os.Stderr, "configref:", err)
		os.Exit(2)
	}
	readme, err := os.ReadFile("README.md")
	if err != nil {
		fmt.Fprintln(os.Stderr, "configref:", err)
		os.Exit(2)
	}
	out, err := configref.Splice(string(readme), body)
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
