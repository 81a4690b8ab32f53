package pack

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"sync"
	"sync/atomic"
	"unsafe"

	"github.com/blang/semver"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/policyx"
	"github.com/santhosh-tekuri/jsonschema/v5"
)

// Name is the policy pack's name as the engine reports it.
const Name = "platform-policies"

// Version is the pack's version; PulumiPolicy.yaml carries the same.
var Version = semver.MustParse("0.1.0")

// New builds the pack; policyx.Main calls it when the engine configures the
// stack. The pack-level enforcement level is ignored by policyx at this pin,
// so every policy carries its own.
func New(*pulumi.Context) (policyx.PolicyPack, error) {
	return policyx.NewPolicyPack(Name, Version, policyx.EnforcementLevelAdvisory, Policies())
}

// Policies returns every policy of the pack, in the order they run. Each
// call returns a fresh set: the stack policies of one set share what its
// resource policies were configured with, and nothing else.
func Policies() []policyx.Policy {
	return newRuleSet().policies()
}

// rule is one policy: its metadata and its judgement, which is a pure
// function of the resource(s) and the settings so tests drive it directly.
type rule struct {
	name        string
	description string
	level       policyx.EnforcementLevel
	// types are the resource types the rule judges (resource rules) or
	// reads (stack rules); resources of other types are ignored.
	types []string
	// matches, when set, replaces the types check (for rules whose reach
	// is wider than a list of types).
	matches func(policyx.AnalyzerResource) bool
	schema  schemaProps

	// check judges one resource and returns one message per violation.
	check func(r policyx.AnalyzerResource, s settings) []string
	// stack judges all resources at once.
	stack func(rs []policyx.AnalyzerResource, s settings) []finding
	// settingsFrom names the resource rules whose configuration a stack rule
	// reads, as "<policy>.<property>" keys (stack policies receive no
	// configuration at this policyx pin).
	settingsFrom []string

	once      sync.Once
	schemaVal *jsonschema.Schema
	schemaErr error
}

// finding is a stack rule's violation on one resource.
type finding struct {
	urn     string
	message string
}

func (r *rule) applies(res policyx.AnalyzerResource) bool {
	if r.matches != nil {
		return r.matches(res)
	}
	return slices.Contains(r.types, res.Type)
}

// ruleSet is one instance of every rule plus the registry their policyx
// wrappers share.
type ruleSet struct {
	rules []*rule
	reg   *registry
}

// newRuleSet lists every rule explicitly, service by service.
func newRuleSet() *ruleSet {
	groups := [][]*rule{
		rdsRules(),
		elasticacheRules(),
		mqRules(),
		eksRules(),
		ec2Rules(),
		iamRules(),
		kmsRules(),
		secretsManagerRules(),
		cloudwatchRules(),
		kubernetesRules(),
		tagRules(),
		stackRules(),
	}
	rs := &ruleSet{reg: &registry{}}
	for _, g := range groups {
		rs.rules = append(rs.rules, g...)
	}
	return rs
}

func (rs *ruleSet) byName() map[string]*rule {
	out := make(map[string]*rule, len(rs.rules))
	for _, r := range rs.rules {
		out[r.name] = r
	}
	return out
}

func (rs *ruleSet) policies() []policyx.Policy {
	out := make([]policyx.Policy, 0, len(rs.rules))
	for _, r := range rs.rules {
		out = append(out, rs.policy(r))
	}
	return out
}

// policy wraps a rule for policyx: read and validate the configuration,
// skip other resource types, report each message.
func (rs *ruleSet) policy(r *rule) policyx.Policy {
	var schema *policyx.ConfigSchema
	if len(r.schema) > 0 {
		schema = &policyx.ConfigSchema{Properties: r.schema}
	}
	if r.stack != nil {
		return policyx.NewStackValidationPolicy(r.name, policyx.StackValidationPolicyArgs{
			Description:      r.description,
			EnforcementLevel: r.level,
			ConfigSchema:     schema,
			ValidateStack: func(_ context.Context, args policyx.StackValidationArgs) error {
				s, err := rs.borrowed(r.settingsFrom)
				if err != nil {
					return fmt.Errorf("%s: %w", r.name, err)
				}
				for _, f := range r.stack(args.Resources, s) {
					args.Manager.ReportViolation(f.message, f.urn)
				}
				return nil
			},
		})
	}
	// The engine hands every Analyze call the same configuration map until
	// it configures the pack again, so the validated settings are kept for
	// that map: validating a JSON schema per resource would dominate the
	// pack's run time on large stacks.
	var last atomic.Pointer[cachedSettings]
	settingsFor := func(configured map[string]any) (settings, error) {
		key := reflect.ValueOf(configured).UnsafePointer()
		if c := last.Load(); c != nil && c.key == key && (key != nil || len(configured) == 0) {
			return c.settings, nil
		}
		s, err := r.settings(configured)
		if err != nil {
			return nil, err
		}
		rs.reg.record(r.name, s)
		last.Store(&cachedSettings{key: key, config: configured, settings: s})
		return s, nil
	}
	return policyx.NewResourceValidationPolicy(r.name, policyx.ResourceValidationPolicyArgs{
		Description:      r.description,
		EnforcementLevel: r.level,
		ConfigSchema:     schema,
		ValidateResource: func(_ context.Context, args policyx.ResourceValidationArgs) error {
			s, err := settingsFor(args.Config)
			if err != nil {
				return fmt.Errorf("%s: invalid configuration: %w", r.name, err)
			}
			if !r.applies(args.Resource) {
				return nil
			}
			for _, msg := range r.check(args.Resource, s) {
				args.Manager.ReportViolation(msg, "")
			}
			return nil
		},
	})
}

// cachedSettings are the settings validated for one configuration map. It
// holds the map itself so that, while cached, its address cannot be reused
// by another map.
type cachedSettings struct {
	key      unsafe.Pointer
	config   map[string]any
	settings settings
}

// borrowed collects the settings a stack rule reads from resource rules:
// what they last ran with, else their schema defaults.
func (rs *ruleSet) borrowed(from []string) (settings, error) {
	out := settings{}
	byName := rs.byName()
	for _, name := range from {
		s, ok := rs.reg.lookup(name)
		if !ok {
			src, known := byName[name]
			if !known {
				return nil, fmt.Errorf("reads settings of unknown policy %q", name)
			}
			var err error
			if s, err = src.settings(nil); err != nil {
				return nil, err
			}
		}
		for k, v := range s {
			out[name+"."+k] = v
		}
	}
	return out, nil
}
