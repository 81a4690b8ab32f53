package offline

import (
	"context"
	"fmt"
	"maps"
	"slices"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/acme/platform/internal/parts"
)

// Option adjusts the recorder of a run.
type Option func(*Recorder)

// WithIdentity makes the mock answer as the given principal: its account
// shapes the ARNs the mock returns.
func WithIdentity(id Identity) Option {
	return func(r *Recorder) {
		r.Identity = id
		r.AccountID = id.AccountID
	}
}

// Run runs program for the stack under mocks and returns what it registered.
// The returned Recorder is complete: the run waits for every registration.
// dryRun selects preview (true) or update (false) semantics. The program
// sees the configuration as the engine hands it over, and can list its keys
// (parts.ConfigKeys) as it can under the engine. Unless an option says
// otherwise, the run assumes the identity the stack's configuration implies
// (StackConfig.Identity: its first cluster admin role).
func Run(cfg StackConfig, dryRun bool, program pulumi.RunFunc, opts ...Option) (*Recorder, error) {
	rec := NewRecorder(cfg.Project, cfg.Stack, cfg.Region())
	if role := cfg.Identity(); role != "" {
		id, err := IdentityFromRole(role, "offline-plan")
		if err != nil {
			return rec, fmt.Errorf("offline identity: %w", err)
		}
		WithIdentity(id)(rec)
	}
	for _, o := range opts {
		o(rec)
	}
	var info pulumi.RunInfo
	for _, opt := range []pulumi.RunOption{pulumi.WithMocks(cfg.Project, cfg.Stack, rec), cfg.RunOption()} {
		opt(&info)
	}
	info.DryRun = dryRun
	keys := slices.Sorted(maps.Keys(cfg.Values))
	ctx, err := pulumi.NewContext(parts.WithConfigKeys(context.Background(), keys), info)
	if err != nil {
		return rec, err
	}
	defer func() { _ = ctx.Close() }()
	return rec, pulumi.RunWithContext(ctx, program)
}
