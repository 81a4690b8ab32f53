// Command policy serves the platform's policy pack to the Pulumi engine over
// the Analyzer protocol. The rules live in package pack.
package main

import (
	"fmt"
	"os"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/policyx"

	"github.com/acme/platform/policy/pack"
)

func main() {
	if err := policyx.Main(pack.New); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
