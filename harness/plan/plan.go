package plan

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/internals"

	"github.com/acme/platform/harness/offline"
	"github.com/acme/platform/policy/pack"
	"github.com/acme/platform/stacks"
)

// Options select what to plan.
type Options struct {
	// Dir holds Pulumi.yaml and the stack files; default ".".
	Dir string
	// Stack is the stack name (dev, prod); required.
	Stack string
	// PolicyConfigPath is a --policy-pack-config file; default none (every
	// policy at its own level).
	PolicyConfigPath string
	// Config, when set, is used instead of reading the stack files (tests
	// and benchmarks vary one key of a real stack this way).
	Config *offline.StackConfig
	// RoleARN is the IAM role the plan assumes it deploys as; default the
	// first of platform:cluster.adminRoleArns (the role `pulumi up` runs
	// as, the stack files say), else offline.DefaultIdentity.
	RoleARN string
}

// Output is one stack output after the run.
type Output struct {
	Value  any
	Secret bool
	// Known is false for a value only known once the resources exist.
	Known bool
}

// Assumption is the identity the offline run assumes, and why.
type Assumption struct {
	offline.Identity
	// Source says where it comes from ("--assume-role", "the first of
	// platform:cluster.adminRoleArns", "the offline default").
	Source string
}

// Result is a finished plan.
type Result struct {
	Project string
	Stack   string
	// Resources are the registrations as the mock recorded them, with the
	// made-up values the program ran on.
	Resources []*offline.Resource
	// Providers are the default providers the resources use, as the engine
	// would create them from the stack's configuration.
	Providers []*offline.Resource
	Outputs   map[string]Output
	// Violations are the policy pack's findings, mandatory first.
	Violations []pack.Violation
	// CriticalPath is the estimated longest chain of waits in `pulumi up`.
	CriticalPath CriticalPath
	// Cost is the estimated monthly on-demand cost.
	Cost CostEstimate
	// Config is the stack configuration the program ran with.
	Config offline.StackConfig
	// Identity is who the run assumed it deploys as.
	Identity Assumption

	inv     invented
	planned []*offline.Resource // providers and resources as a preview shows them
}

// ConfigError is a problem with the stack's configuration or program: the
// plan could not be made. Its message names the config key.
type ConfigError struct{ Err error }

func (e *ConfigError) Error() string { return e.Err.Error() }
func (e *ConfigError) Unwrap() error { return e.Err }

// Run makes the plan: the program under mocks, then the policy pack over
// everything it registered, the critical path and the cost.
func Run(opts Options) (*Result, error) {
	if opts.Stack == "" && opts.Config == nil {
		return nil, &ConfigError{fmt.Errorf("a stack name is required (--stack dev)")}
	}
	dir := opts.Dir
	if dir == "" {
		dir = "."
	}
	var cfg offline.StackConfig
	if opts.Config != nil {
		cfg = *opts.Config
	} else {
		var err error
		cfg, err = offline.LoadStackConfig(dir, opts.Stack)
		if err != nil {
			return nil, &ConfigError{err}
		}
	}
	policyCfg := pack.Config{}
	if opts.PolicyConfigPath != "" {
		var err error
		policyCfg, err = pack.LoadConfig(filepath.Clean(opts.PolicyConfigPath))
		if err != nil {
			return nil, &ConfigError{err} // LoadConfig names the file
		}
	}
	who, err := assumedIdentity(cfg, opts.RoleARN)
	if err != nil {
		return nil, &ConfigError{err}
	}

	var platform *stacks.Platform
	var programErr error
	rec, err := offline.Run(cfg, true, func(ctx *pulumi.Context) error {
		platform, programErr = stacks.Program(ctx)
		return programErr
	}, offline.WithIdentity(who.Identity))
	if programErr != nil {
		// The program's own error, without the runtime's wrapping: it
		// names the config key.
		return nil, &ConfigError{cfg.Locate(programErr)}
	}
	if err != nil {
		return nil, &ConfigError{err}
	}
	outputs, err := awaitOutputs(platform.Outputs)
	if err != nil {
		return nil, &ConfigError{err}
	}
	res := &Result{
		Project:   cfg.Project,
		Stack:     cfg.Stack,
		Resources: rec.Resources(),
		Outputs:   outputs,
		Config:    cfg,
		Identity:  who,
	}
	res.inv = collectInvented(res.Resources)
	res.Providers, res.planned = withDefaultProviders(res.Project, res.Stack, cfg, res.Resources)
	res.planned = append(slices.Clone(res.Providers), res.planned...)
	res.CriticalPath = Analyze(res.Resources)
	res.Cost = EstimateCost(res)
	res.Violations, err = pack.Evaluate(res.AnalyzerResources(), policyCfg)
	if err != nil {
		return nil, &ConfigError{fmt.Errorf("policy pack: %w", err)}
	}
	sort.SliceStable(res.Violations, func(i, j int) bool {
		a, b := res.Violations[i], res.Violations[j]
		if a.Level != b.Level {
			return a.Level == pack.Mandatory
		}
		if a.Policy != b.Policy {
			return a.Policy < b.Policy
		}
		return a.URN < b.URN
	})
	return res, nil
}

// assumedIdentity decides who the offline run deploys as.
func assumedIdentity(cfg offline.StackConfig, roleARN string) (Assumption, error) {
	const session = "offline-plan"
	if roleARN != "" {
		id, err := offline.IdentityFromRole(roleARN, session)
		if err != nil {
			return Assumption{}, fmt.Errorf("--assume-role: %w", err)
		}
		return Assumption{Identity: id, Source: "--assume-role"}, nil
	}
	var cluster struct {
		AdminRoleArns []string `json:"adminRoleArns"`
	}
	if raw, ok := cfg.Values[cfg.Project+":cluster"]; ok && json.Unmarshal([]byte(raw), &cluster) == nil && len(cluster.AdminRoleArns) > 0 {
		if id, err := offline.IdentityFromRole(cluster.AdminRoleArns[0], session); err == nil {
			return Assumption{Identity: id, Source: "the first role of " + cfg.Project + ":cluster.adminRoleArns, the role `pulumi up` runs as"}, nil
		}
	}
	id := offline.DefaultIdentity
	id.Session = session
	return Assumption{Identity: id, Source: "the offline default (no role in " + cfg.Project + ":cluster.adminRoleArns)"}, nil
}

func awaitOutputs(m pulumi.Map) (map[string]Output, error) {
	out := make(map[string]Output, len(m))
	for k, v := range m {
		r, err := internals.UnsafeAwaitOutput(context.Background(), pulumi.ToOutput(v))
		if err != nil {
			return nil, fmt.Errorf("stack output %s: %w", k, err)
		}
		out[k] = Output{Value: r.Value, Secret: r.Secret, Known: r.Known}
	}
	return out, nil
}

// Mandatory returns the violations at the mandatory level.
func (r *Result) Mandatory() []pack.Violation {
	var out []pack.Violation
	for _, v := range r.Violations {
		if v.Level == pack.Mandatory {
			out = append(out, v)
		}
	}
	return out
}

// ExitCode is what cmd/plan exits with for the policy gate: 1 if a
// mandatory policy is violated, else 0. (The replacement gate adds its own
// 1; 2, for a configuration or program error, is decided by Run's error.)
func (r *Result) ExitCode() int {
	if len(r.Mandatory()) > 0 {
		return 1
	}
	return 0
}

// CountByType counts the planned resources by type, the stack itself
// excluded.
func (r *Result) CountByType() map[string]int {
	out := map[string]int{}
	for _, res := range r.Resources {
		out[res.Type]++
	}
	return out
}

// StackURN is the URN of the stack resource.
func (r *Result) StackURN() string {
	return fmt.Sprintf("urn:pulumi:%s::%s::pulumi:pulumi:Stack::%s-%s", r.Stack, r.Project, r.Project, r.Stack)
}

// Types returns the resource types in the plan, sorted.
func (r *Result) Types() []string {
	counts := r.CountByType()
	out := make([]string, 0, len(counts))
	for t := range counts {
		out = append(out, t)
	}
	slices.Sort(out)
	return out
}

// Planned returns the default providers and the resources as `pulumi
// preview` of a new stack shows them: every value built from something the
// mock made up is unknown, and each resource names its provider.
func (r *Result) Planned() []*offline.Resource {
	out := make([]*offline.Resource, 0, len(r.planned))
	for _, p := range r.planned {
		c := *p
		c.Inputs = r.inv.maskInputs(p)
		if c.Custom && !strings.HasPrefix(c.Type, "pulumi:providers:") && c.Provider != "" {
			// Providers are created by the update too: their IDs are
			// unknown.
			c.Provider = providerURN(c.Provider) + "::" + unknownID
		}
		out = append(out, &c)
	}
	return out
}

// outputProperties turns the stack outputs into the stack resource's
// properties, secrets kept secret; masked, made-up values are unknown, as a
// preview shows them.
func (r *Result) outputProperties(masked bool) resource.PropertyMap {
	m := resource.PropertyMap{}
	for k, o := range r.Outputs {
		v := resource.NewPropertyValue(o.Value)
		if !o.Known {
			v = resource.MakeComputed(resource.NewProperty(""))
		}
		if masked {
			v = r.inv.mask(v, nil)
		}
		if o.Secret {
			v = resource.MakeSecret(v)
		}
		m[resource.PropertyKey(k)] = v
	}
	return m
}
