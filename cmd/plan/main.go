// Command plan is the offline plan: it runs the real program for a stack under
// mocks with the stack's real configuration, shows what `pulumi preview` of a
// new stack would create, what it costs per month and how long `pulumi up`
// takes, and gates it with the policy pack and, against a base branch's
// plan, with the replacement gate. It needs nothing but Go. Run `plan -h`
// for the flags and exit codes; docs/plan.md is the reference.
package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/acme/platform/harness/plan"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// Exit statuses.
const (
	exitPass  = 0 // both gates pass
	exitFail  = 1 // a mandatory policy violation, or a blocked replacement or deletion
	exitError = 2 // no plan could be made: configuration, program, flags, baseline or approvals in error
)

const usageHead = `plan: the offline plan of a stack.

Runs the real program (stacks.Run) under Pulumi's mocks with the stack's real
Pulumi.<stack>.yaml: no Pulumi CLI, no provider plugin, no cloud account, no
credentials. Prints what ` + "`pulumi preview`" + ` of a new stack would create (a tree
with preview's short type names and markers; values known only after
` + "`pulumi up`" + ` shown as [unknown], secrets as [secret]), the identity it assumes,
the estimated duration of ` + "`pulumi up`" + ` and the estimated monthly cost, and the
policy pack's verdicts. With --baseline (the --json plan of the base branch)
it also shows what the change updates, replaces and deletes, and fails on
replacements and deletions that lose data, credentials or recovery points
unless an approvals file lets them through.

Usage:
  plan --stack <stack> [flags]

Flags:
`

const usageTail = `
Examples:
  make bin/plan
  bin/plan --stack dev
  bin/plan --stack prod --policy-pack-config policy/config/prod.json
  bin/plan --stack prod --json > base.json                  # on the base branch
  bin/plan --stack prod --baseline base.json --approvals .github/replacements.allow

Approvals file, one line per replacement or deletion made on purpose:
  --allow-replace <urn> <reason>
  --allow-delete  <urn> <reason>

Exit status:
  0  no mandatory policy violation, and nothing blocked by the replacement gate
  1  a mandatory policy violation, or (with --baseline) a replacement or
     deletion that loses something and is neither superseded nor approved
  2  no plan could be made: the configuration or the program is in error (the
     message names the key), or a flag, the baseline or the approvals file is
     in error
`

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("plan", flag.ContinueOnError)
	// The flag package prints its message and the usage while parsing; -h
	// sends them to stdout (and exits 0), a mistake to stderr.
	var parseOut bytes.Buffer
	fs.SetOutput(&parseOut)
	stack := fs.String("stack", "", "stack to plan (dev, prod): reads Pulumi.<stack>.yaml; required")
	dir := fs.String("dir", ".", "directory holding Pulumi.yaml and the stack files")
	policyConfig := fs.String("policy-pack-config", "", "policy pack configuration (as for pulumi --policy-pack-config)")
	asJSON := fs.Bool("json", false, "write the plan as one JSON document in the shape of pulumi preview --json")
	baseline := fs.String("baseline", "", "a --json plan of the same stack from the base branch: "+
		"show what changes, and gate replacements and deletions")
	approvals := fs.String("approvals", "", "with --baseline: a `file` of \"--allow-replace <urn> <reason>\" and "+
		"\"--allow-delete <urn> <reason>\" lines letting those changes through")
	role := fs.String("assume-role", "", "the IAM role ARN the plan assumes it deploys as "+
		"(default: the first of platform:cluster.adminRoleArns)")
	fs.Usage = func() {
		out := fs.Output()
		_, _ = fmt.Fprint(out, usageHead)
		fs.PrintDefaults()
		_, _ = fmt.Fprint(out, usageTail)
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			_, _ = stdout.Write(parseOut.Bytes())
			return exitPass
		}
		_, _ = stderr.Write(parseOut.Bytes())
		return exitError
	}
	if *stack == "" {
		_, _ = fmt.Fprintln(stderr, "plan: --stack is required (e.g. --stack dev); plan -h shows the flags")
		return exitError
	}
	if fs.NArg() > 0 {
		_, _ = fmt.Fprintf(stderr, "plan: unexpected argument %q; plan -h shows the flags\n", fs.Arg(0))
		return exitError
	}
	if *approvals != "" && *baseline == "" {
		_, _ = fmt.Fprintln(stderr, "plan: --approvals needs --baseline: approvals judge changes against a base plan")
		return exitError
	}

	var base *plan.Baseline
	if *baseline != "" {
		var err error
		if base, err = plan.LoadBaseline(*baseline); err != nil {
			_, _ = fmt.Fprintf(stderr, "plan: %v\n", err)
			return exitError
		}
	}
	res, err := plan.Run(plan.Options{Dir: *dir, Stack: *stack, PolicyConfigPath: *policyConfig, RoleARN: *role})
	if err != nil {
		var cfgErr *plan.ConfigError
		if errors.As(err, &cfgErr) {
			_, _ = fmt.Fprintf(stderr, "plan: stack %s: %v\n", *stack, cfgErr.Err)
		} else {
			_, _ = fmt.Fprintf(stderr, "plan: %v\n", err)
		}
		return exitError
	}
	var cmp *plan.Comparison
	if base != nil {
		var allowed []plan.Approval
		if *approvals != "" {
			if allowed, err = plan.LoadApprovals(*approvals); err != nil {
				_, _ = fmt.Fprintf(stderr, "plan: %v\n", err)
				return exitError
			}
		}
		if cmp, err = res.CompareWithBaseline(base, allowed); err != nil {
			_, _ = fmt.Fprintf(stderr, "plan: %v\n", err)
			return exitError
		}
	}

	if *asJSON {
		err = res.WriteJSON(stdout, cmp)
	} else {
		err = res.WriteText(stdout, cmp)
	}
	if err != nil {
		_, _ = fmt.Fprintf(stderr, "plan: writing the plan: %v\n", err)
		return exitError
	}
	code := res.ExitCode()
	if cmp != nil && !cmp.Verdict.Passed() {
		code = exitFail
		if *asJSON {
			// The document says it all; a line for whoever reads the log.
			_, _ = fmt.Fprintf(stderr, "plan: the replacement gate blocks %d change(s): see .replacements.blocking\n", len(cmp.Verdict.Blocking))
		}
	}
	return code
}
