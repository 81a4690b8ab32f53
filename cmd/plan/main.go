// Command plan is the offline plan: it runs the real program for a stack under
// mocks with the stack's real configuration, prints what `pulumi preview`
// would create, and gates it with the policy pack. It needs nothing but Go.
//
//	go run ./cmd/plan --stack dev [--policy-pack-config policy/config/dev.json] [--json] [--baseline base.json]
//
// Exit status: 0 when no mandatory policy is violated, 1 when one is (or when
// --baseline shows a stateful resource replaced or deleted), 2 when the
// configuration or the program is in error (the message names the key).
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/acme/platform/internal/plan"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("plan", flag.ContinueOnError)
	fs.SetOutput(stderr)
	stack := fs.String("stack", "", "stack to plan (dev, prod): reads Pulumi.<stack>.yaml")
	dir := fs.String("dir", ".", "directory holding Pulumi.yaml and the stack files")
	policyConfig := fs.String("policy-pack-config", "", "policy pack configuration (as for pulumi --policy-pack-config)")
	asJSON := fs.Bool("json", false, "write the plan as one JSON document")
	baseline := fs.String("baseline", "", "a --json plan of the same stack from the base branch: "+
		"report the stateful resources this change would replace or delete, and fail if there are any")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *stack == "" {
		_, _ = fmt.Fprintln(stderr, "plan: --stack is required (e.g. --stack dev)")
		return 2
	}
	res, err := plan.Run(plan.Options{Dir: *dir, Stack: *stack, PolicyConfigPath: *policyConfig})
	if err != nil {
		var cfgErr *plan.ConfigError
		if errors.As(err, &cfgErr) {
			_, _ = fmt.Fprintf(stderr, "plan: stack %s: %v\n", *stack, cfgErr.Err)
		} else {
			_, _ = fmt.Fprintf(stderr, "plan: %v\n", err)
		}
		return 2
	}
	write := res.WriteText
	if *asJSON {
		write = res.WriteJSON
	}
	if err := write(stdout); err != nil {
		_, _ = fmt.Fprintf(stderr, "plan: writing the plan: %v\n", err)
		return 2
	}
	code := res.ExitCode()
	if *baseline != "" {
		base, err := plan.LoadBaseline(*baseline)
		if err != nil {
			_, _ = fmt.Fprintf(stderr, "plan: %v\n", err)
			return 2
		}
		changes, err := res.CompareWithBaseline(base)
		if err != nil {
			_, _ = fmt.Fprintf(stderr, "plan: %v\n", err)
			return 2
		}
		// The verdict goes to stderr so that --json output stays one
		// document.
		if unsafe := plan.Unsafe(changes); len(unsafe) > 0 {
			_, _ = fmt.Fprintf(stderr, "\nCompared with the baseline, this change replaces or deletes %d stateful resource(s):\n%s\n",
				len(unsafe), plan.Describe(unsafe))
			code = 1
		} else {
			_, _ = fmt.Fprintf(stderr, "\nCompared with the baseline: %d resource(s) change, no stateful resource is replaced or deleted.\n", len(changes))
		}
	}
	return code
}
