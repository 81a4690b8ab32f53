package pack

import (
	"context"
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/policyx"
)

// RunPolicy runs one policy through its policyx wrapper as the server does
// (resource policies on each resource, stack policies once on all), with
// props over its schema defaults. Tests of a single rule use it.
func RunPolicy(name string, rs []policyx.AnalyzerResource, props map[string]any) ([]Violation, error) {
	set := newRuleSet()
	cfg := Config{}
	if props != nil {
		cfg[name] = PolicyConfig{Properties: props}
	}
	eff, err := set.effective(cfg)
	if err != nil {
		return nil, err
	}
	pc, ok := eff[name]
	if !ok {
		return nil, fmt.Errorf("no policy %q", name)
	}
	var out []Violation
	for _, p := range set.policies() {
		if p.Name() != name {
			continue
		}
		mgr := func(urn string) *collector {
			return &collector{report: func(msg, u string) {
				if u == "" {
					u = urn
				}
				out = append(out, Violation{Policy: name, Level: pc.EnforcementLevel, URN: u, Message: msg})
			}}
		}
		switch p := p.(type) {
		case policyx.ResourceValidationPolicy:
			for _, r := range rs {
				if err := p.Validate(context.Background(), policyx.ResourceValidationArgs{Manager: mgr(r.URN), Resource: r, Config: pc.Properties}); err != nil {
					return nil, err
				}
			}
		case policyx.StackValidationPolicy:
			if err := p.Validate(context.Background(), policyx.StackValidationArgs{Manager: mgr(""), Resources: rs}); err != nil {
				return nil, err
			}
		}
	}
	return out, nil
}

// Rule is what tests and docs need to know about a policy.
type Rule struct {
	Name, Description string
	Level             Level
	Stack             bool
	Types             []string
	Schema            map[string]map[string]any
}

// Rules lists every rule's metadata in pack order.
func Rules() []Rule {
	var out []Rule
	for _, r := range newRuleSet().rules {
		out = append(out, Rule{Name: r.name, Description: r.description, Level: levelOf(r.level), Stack: r.stack != nil, Types: r.types, Schema: r.schema})
	}
	return out
}

// Credential detection, exported for its own tests.
var (
	IsCredentialKey   = isCredentialKey
	IsAssignmentKey   = isAssignmentKey
	CredentialContent = credentialContent
)
