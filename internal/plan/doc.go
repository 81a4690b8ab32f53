// Package plan is the offline plan: it runs the real program for a stack
// under mocks with the stack's real configuration, and reports what `pulumi
// preview` would create (a tree by parent, the properties a reviewer cares
// about, counts by type), what the policy pack says about it, and the
// estimated critical path of `pulumi up`. It needs no Pulumi CLI, no
// provider plugin and no cloud account. cmd/plan is its command line.
package plan
