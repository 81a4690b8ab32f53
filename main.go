// Command platform is the Pulumi program that stands up the platform on AWS.
// Everything it does lives in package stacks.
package main

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/acme/platform/stacks"
)

func main() {
	pulumi.Run(stacks.Run)
}
