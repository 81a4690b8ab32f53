// Package plan is the offline plan: it runs the real program for a stack
// under mocks with the stack's real configuration, and reports what `pulumi
// preview` of a new stack would show (a tree by parent with preview's short
// type names and markers, values known only after `pulumi up` as unknowns,
// secrets redacted), the identity it assumes, what the policy pack says, the
// estimated duration of `pulumi up` and the estimated monthly cost. Compared
// with the JSON plan of a base branch, it is the replacement gate: what would
// be updated, replaced and deleted, and what that loses. Its JSON document has
// the shape of `pulumi preview --json`.
//
// What it knows per resource type (replacements and their provider source,
// sets, timings, highlights, mock state, cost) is in the catalog subpackage.
// It needs no Pulumi CLI, no provider plugin and no cloud account. cmd/plan
// is its command line; docs/plan.md its reference.
package plan
