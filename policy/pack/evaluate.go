package pack

import (
	"context"
	"fmt"

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

// Evaluate runs the pack in process, exactly as the policyx server would for
// an engine that loaded it with cfg as its --policy-pack-config: every
// resource policy on every resource (whose Properties should be its inputs,
// as in Analyze), then every stack policy once on all resources, each at its
// configured enforcement level (the config's, else "all"'s, else its own),
// disabled ones skipped, with the schema defaults filled in as the engine's
// ReconcilePolicyPackConfig does. The gate test and cmd/plan share it.
//
// Stack policies link resources by output values when they are present and
// by PropertyDependencies otherwise, so inputs (what a mock records) are
// enough for them too; the stack resource (pulumi:pulumi:Stack) should carry
// the stack outputs as its Properties.
//
// An error means the configuration is invalid (ParseConfig and LoadConfig
// reject such configurations up front).
func Evaluate(resources []policyx.AnalyzerResource, cfg Config) ([]Violation, error) {
	rs := newRuleSet()
	effective, err := rs.effective(cfg)
	if err != nil {
		return nil, err
	}
	policies := rs.policies()
	var out []Violation
	collect := func(name string, level Level, defaultURN string) *collector {
		return &collector{report: func(message, urn string) {
			if urn == "" {
				urn = defaultURN
			}
			out = append(out, Violation{Policy: name, Level: level, URN: urn, Message: message})
		}}
	}
	ctx := context.Background()
	for _, res := range resources {
		for _, p := range policies {
			rp, ok := p.(policyx.ResourceValidationPolicy)
			if !ok {
				continue
			}
			pc := effective[p.Name()]
			if pc.EnforcementLevel == Disabled {
				continue
			}
			err := rp.Validate(ctx, policyx.ResourceValidationArgs{
				Manager:  collect(p.Name(), pc.EnforcementLevel, res.URN),
				Resource: res,
				Config:   pc.Properties,
			})
			if err != nil {
				return nil, fmt.Errorf("resource %s, policy %s: %w", res.URN, p.Name(), err)
			}
		}
	}
	for _, p := range policies {
		sp, ok := p.(policyx.StackValidationPolicy)
		if !ok {
			continue
		}
		pc := effective[p.Name()]
		if pc.EnforcementLevel == Disabled {
			continue
		}
		err := sp.Validate(ctx, policyx.StackValidationArgs{
			Manager:   collect(p.Name(), pc.EnforcementLevel, ""),
			Resources: resources,
		})
		if err != nil {
			return nil, fmt.Errorf("stack policy %s: %w", p.Name(), err)
		}
	}
	return out, nil
}

// collector is the policy manager Evaluate hands to each policy.
type collector struct{ report func(message, urn string) }

func (c *collector) ReportViolation(message, urn string) { c.report(message, urn) }
