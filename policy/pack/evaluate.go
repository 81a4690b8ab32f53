package pack

import (
	"fmt"
	"runtime/debug"
	"slices"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/policyx"
)

// Violation is one policy diagnostic.
type Violation struct {
	// Policy is the policy's name, e.g. "aws-rds-instance-storage-encrypted".
	Policy string
	// Level is Advisory or Mandatory (disabled policies do not run).
	Level Level
	// URN is the resource the violation is about.
	URN string
	// Message says what is wrong and how to fix it. (The engine shows the
	// policy's description before it; Message is only the specific part.)
	Message string
}

// Evaluate runs the pack in process, exactly as its Analyzer server does
// for an engine that loaded it with cfg as its --policy-pack-config: every
// resource policy on every resource (whose Properties should be its inputs,
// as in Analyze), then every stack policy once on the resources of the types
// it reads, each at its configured enforcement level (the config's, else
// "all"'s, else its own), disabled ones skipped, with the schema defaults
// filled in as the engine's ReconcilePolicyPackConfig does. The gate test
// and cmd/plan share it.
//
// Stack policies link resources by output values when they are present and
// by PropertyDependencies otherwise, so inputs (what a mock records) are
// enough for them too; the stack resource (pulumi:pulumi:Stack) should carry
// the stack outputs as its Properties.
//
// An error means the configuration is invalid (ParseConfig and LoadConfig
// reject such configurations up front) or a policy failed.
func Evaluate(resources []policyx.AnalyzerResource, cfg Config) ([]Violation, error) {
	p := New()
	effective, err := p.effective(cfg)
	if err != nil {
		return nil, err
	}
	ev, err := p.configure(effective)
	if err != nil {
		return nil, err
	}
	return ev.evaluate(resources)
}

// evaluate runs every configured policy over resources, as Analyze on each
// and then AnalyzeStack on all would.
func (e *evaluator) evaluate(resources []policyx.AnalyzerResource) ([]Violation, error) {
	var out []Violation
	report := func(c *configured, urn, message string) {
		out = append(out, Violation{Policy: c.rule.name, Level: c.level, URN: urn, Message: message})
	}
	for _, r := range resources {
		if err := e.analyze(r, report); err != nil {
			return nil, err
		}
	}
	if err := e.analyzeStack(resources, report); err != nil {
		return nil, err
	}
	return out, nil
}

// configured is one enabled policy with the level and validated settings it
// runs with.
type configured struct {
	rule     *rule
	level    Level
	settings settings
	// types are the rule's types and those of its typesSetting.
	types []string
}

// evaluator runs a pack's enabled policies with their configuration. It is
// immutable once built, so Analyze calls may share it concurrently; a new
// configuration builds a new one.
type evaluator struct {
	// byType lists, for every type some resource policy names, the enabled
	// resource policies to try on it, in pack order; other types get
	// matchers only.
	byType   map[string][]*configured
	matchers []*configured
	stack    []*configured
	// stackTypes are the types some enabled stack policy reads: AnalyzeStack
	// converts only resources of these types.
	stackTypes map[string]bool
}

// configure validates each policy's configuration (level and properties
// over the schema defaults) and indexes the enabled policies by type.
// Policies absent from effective run at their own level with their
// defaults.
func (p *Pack) configure(effective map[string]PolicyConfig) (*evaluator, error) {
	e := &evaluator{byType: map[string][]*configured{}, stackTypes: map[string]bool{}}
	var enabled []*configured
	for _, r := range p.rules {
		pc, ok := effective[r.name]
		level := r.level
		if ok && pc.EnforcementLevel != "" {
			level = pc.EnforcementLevel
		}
		if !level.valid() {
			return nil, fmt.Errorf("policy %s: enforcement level must be advisory, mandatory or disabled, got %q", r.name, level)
		}
		s, err := r.settings(pc.Properties)
		if err != nil {
			return nil, fmt.Errorf("policy %s: invalid configuration: %w", r.name, err)
		}
		if level == Disabled {
			continue
		}
		c := &configured{rule: r, level: level, settings: s, types: r.types}
		if r.typesSetting != "" {
			c.types = append(slices.Clone(r.types), s.strs(r.typesSetting)...)
		}
		switch {
		case r.stack != nil:
			e.stack = append(e.stack, c)
			for _, t := range c.types {
				e.stackTypes[t] = true
			}
		case r.matches != nil:
			e.matchers = append(e.matchers, c)
		}
		enabled = append(enabled, c)
	}
	for _, c := range enabled {
		if c.rule.stack != nil || c.rule.matches != nil {
			continue
		}
		for _, t := range c.types {
			e.byType[t] = nil
		}
	}
	for t := range e.byType {
		var list []*configured
		for _, c := range enabled {
			switch {
			case c.rule.stack != nil:
			case c.rule.matches != nil:
				list = append(list, c)
			case slices.Contains(c.types, t):
				list = append(list, c)
			}
		}
		e.byType[t] = list
	}
	return e, nil
}

// reporter receives each violation a policy finds.
type reporter func(c *configured, urn, message string)

// candidates are the enabled resource policies that may judge typ.
func (e *evaluator) candidates(typ string) []*configured {
	if list, ok := e.byType[typ]; ok {
		return list
	}
	return e.matchers
}

// analyze runs the resource policies that judge r.
func (e *evaluator) analyze(r policyx.AnalyzerResource, report reporter) error {
	for _, c := range e.candidates(r.Type) {
		if c.rule.matches != nil && !c.rule.matches(r) {
			continue
		}
		msgs, err := runCheck(c.rule, r, c.settings)
		if err != nil {
			return fmt.Errorf("policy %s on %s: %w", c.rule.name, r.URN, err)
		}
		for _, m := range msgs {
			report(c, r.URN, m)
		}
	}
	return nil
}

// analyzeStack runs every stack policy on the resources of the types it
// reads.
func (e *evaluator) analyzeStack(rs []policyx.AnalyzerResource, report reporter) error {
	if len(e.stack) == 0 {
		return nil
	}
	byType := map[string][]policyx.AnalyzerResource{}
	for _, r := range rs {
		if e.stackTypes[r.Type] {
			byType[r.Type] = append(byType[r.Type], r)
		}
	}
	for _, c := range e.stack {
		var mine []policyx.AnalyzerResource
		for _, t := range slices.Compact(slices.Sorted(slices.Values(c.types))) {
			mine = append(mine, byType[t]...)
		}
		fs, err := runStack(c.rule, mine, c.settings)
		if err != nil {
			return fmt.Errorf("stack policy %s: %w", c.rule.name, err)
		}
		for _, f := range fs {
			report(c, f.urn, f.message)
		}
	}
	return nil
}

// runCheck and runStack turn a rule's panic (a bug) into an error, so the
// engine reports which policy failed instead of losing the pack process.
func runCheck(r *rule, res policyx.AnalyzerResource, s settings) (msgs []string, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("panic: %v\n%s", p, debug.Stack())
		}
	}()
	return r.check(res, s), nil
}

func runStack(r *rule, rs []policyx.AnalyzerResource, s settings) (fs []finding, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("panic: %v\n%s", p, debug.Stack())
		}
	}()
	return r.stack(rs, s), nil
}
