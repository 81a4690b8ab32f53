package offline

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Run runs program for the stack under mocks and returns what it registered.
// The returned Recorder is complete: RunErr waits for every registration.
// dryRun selects preview (true) or update (false) semantics.
func Run(cfg StackConfig, dryRun bool, program pulumi.RunFunc) (*Recorder, error) {
	rec := NewRecorder(cfg.Project, cfg.Stack, cfg.Region())
	if id := cfg.Identity(); id != "" {
		if err := rec.Assume(id); err != nil {
			return rec, err
		}
	}
	err := pulumi.RunErr(program,
		pulumi.WithMocks(cfg.Project, cfg.Stack, rec),
		cfg.RunOption(),
		func(info *pulumi.RunInfo) { info.DryRun = dryRun },
	)
	return rec, err
}
