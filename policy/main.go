// Command policy serves the platform's policy pack to the Pulumi engine over
// the Analyzer protocol, with the pack's own server (pack.Serve). The rules
// live in package pack.
package main

import (
	"fmt"
	"os"

	"github.com/acme/platform/policy/pack"
)

func main() {
	if err := pack.Serve(pack.New()); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
