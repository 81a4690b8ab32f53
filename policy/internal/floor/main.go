// Command floor serves the benchmarks' control pack (pack.Floor): one policy
// that judges nothing, on the same server as the platform's pack, so the
// benchmarks can measure what every pack pays per resource and report the
// platform pack's cost above it.
package main

import (
	"fmt"
	"os"

	"github.com/acme/platform/policy/pack"
)

func main() {
	if err := pack.Serve(pack.Floor()); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
