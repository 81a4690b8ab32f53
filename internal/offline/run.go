package offline

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
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
// The returned Recorder is complete: RunErr waits for every registration.
// dryRun selects preview (true) or update (false) semantics.
func Run(cfg StackConfig, dryRun bool, program pulumi.RunFunc, opts ...Option) (*Recorder, error) {
	rec := NewRecorder(cfg.Project, cfg.Stack, cfg.Region())
	for _, o := range opts {
		o(rec)
	}
	err := pulumi.RunErr(program,
		pulumi.WithMocks(cfg.Project, cfg.Stack, rec),
		cfg.RunOption(),
		func(info *pulumi.RunInfo) { info.DryRun = dryRun },
	)
	return rec, err
}
