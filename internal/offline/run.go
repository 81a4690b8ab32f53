package offline

import (
	"context"
	"maps"
	"slices"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/acme/platform/internal/parts"
)

// Run runs program for the stack under mocks and returns what it registered.
// The returned Recorder is complete: the run waits for every registration.
// dryRun selects preview (true) or update (false) semantics. The program
// sees the configuration as the engine hands it over, and can list its keys
// (parts.ConfigKeys) as it can under the engine.
func Run(cfg StackConfig, dryRun bool, program pulumi.RunFunc) (*Recorder, error) {
	rec := NewRecorder(cfg.Project, cfg.Stack, cfg.Region())
	if id := cfg.Identity(); id != "" {
		if err := rec.Assume(id); err != nil {
			return rec, err
		}
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
