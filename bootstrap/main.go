// Command bootstrap creates what the platform's first `pulumi up` needs in an
// AWS account: the state bucket, the secrets-provider key, the GitHub OIDC
// provider, and per platform stack a deploy role and a preview role for the
// repository's workflows. It is a Pulumi project of its own (Pulumi.yaml in
// this directory); README.md has the first run and the move of its own state
// into the bucket it creates.
package main

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

func main() {
	pulumi.Run(func(ctx *pulumi.Context) error {
		_, err := run(ctx)
		return err
	})
}
