// Package offline runs the Pulumi program without an engine, a provider plugin
// or a cloud account: it loads a stack's real Pulumi.<stack>.yaml (with the
// project defaults from Pulumi.yaml), runs the program under pulumi.WithMocks,
// and records every resource registration and invoke exactly as it was sent.
// The state it returns for each registration is the type's mock state in the
// plan's catalog (harness/plan/catalog), which marks the values that exist
// only once the resource does; invokes answer as an assumed identity.
//
// The component tests, the whole-stack tests, the policy gate and cmd/plan all
// use this one recorder, so what they check is what the program registers.
package offline
