package pack

import (
	"slices"
	"sort"
	"sync"

	"github.com/blang/semver"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/policyx"
	"github.com/santhosh-tekuri/jsonschema/v5"
)

// Name is the policy pack's name as the engine reports it.
const Name = "platform-policies"

// Version is the pack's version; PulumiPolicy.yaml carries the same.
var Version = semver.MustParse("0.2.0")

// Description is the pack's description as GetAnalyzerInfo reports it;
// PulumiPolicy.yaml carries the same (a test keeps them equal).
const Description = "The platform's guardrails for AWS and Kubernetes: encryption with " +
	"customer-managed keys, credentials only as Pulumi secrets, backups, DR copies " +
	"and deletion protection, nothing public, least-privilege IAM, hardened " +
	"workloads, ownership tags. Covers RDS, ElastiCache, Amazon MQ, EKS, EC2/VPC, " +
	"IAM, KMS, Secrets Manager, SNS, AWS Backup, CloudWatch Logs and Kubernetes " +
	"workloads."

// Pack is a set of policies served together: the platform's (New) or the
// benchmarks' control (Floor).
type Pack struct {
	name, description string
	version           semver.Version
	rules             []*rule
	byName            map[string]*rule
}

// New returns the platform's policy pack.
func New() *Pack {
	groups := [][]*rule{
		rdsRules(),
		elasticacheRules(),
		mqRules(),
		eksRules(),
		ec2Rules(),
		iamRules(),
		kmsRules(),
		secretsManagerRules(),
		snsRules(),
		backupRules(),
		cloudwatchRules(),
		kubernetesRules(),
		tagRules(),
		resilienceRules(),
		stackRules(),
	}
	var rules []*rule
	for _, g := range groups {
		rules = append(rules, g...)
	}
	return newPack(Name, Description, Version, rules)
}

// Floor returns the control pack of the benchmarks: one resource policy that
// applies to every resource and judges nothing. Served by the same server,
// it pays everything a pack pays whatever its rules do (the engine's
// marshaling, the round trip, one unmarshal and conversion per resource),
// so the platform pack's cost above it is the cost of its rules.
func Floor() *Pack {
	return newPack("platform-policies-floor", "A control pack whose one policy judges nothing.", Version, []*rule{{
		name:        "floor-judges-nothing",
		description: "Judges nothing; measures what every policy pack pays per resource.",
		level:       Advisory,
		severity:    Low,
		types:       []string{"*"},
		matches:     func(policyx.AnalyzerResource) bool { return true },
		check:       func(policyx.AnalyzerResource, settings) []string { return nil },
	}})
}

func newPack(name, description string, version semver.Version, rules []*rule) *Pack {
	p := &Pack{name: name, description: description, version: version, rules: rules, byName: map[string]*rule{}}
	for _, r := range rules {
		p.byName[r.name] = r
	}
	return p
}

// Severity is how bad a violation of a policy is, as Pulumi Cloud shows it.
// Where AWS Security Hub or Pulumi's Compliance-Ready policies rate the same
// control, the rule carries their rating.
type Severity string

// The severities of the Analyzer protocol.
const (
	Low      Severity = "low"
	Medium   Severity = "medium"
	High     Severity = "high"
	Critical Severity = "critical"
)

// rule is one policy: its metadata and its judgement, which is a pure
// function of the resource(s) and the settings so tests drive it directly.
type rule struct {
	name        string
	description string
	level       Level
	severity    Severity
	// types are the resource types the rule judges (resource rules) or
	// reads (stack rules); resources of other types are ignored. A stack
	// rule is handed only resources of its types.
	types []string
	// typesSetting names a list setting of the rule whose types it judges
	// too, so configuring the list also routes those resources to it.
	typesSetting string
	// matches, when set, replaces the types check (for rules whose reach
	// is wider than a list of types); such a rule is tried on every
	// resource.
	matches func(policyx.AnalyzerResource) bool
	schema  schemaProps

	// check judges one resource and returns one message per violation.
	check func(r policyx.AnalyzerResource, s settings) []string
	// stack judges all resources at once.
	stack func(rs []policyx.AnalyzerResource, s settings) []finding

	once      sync.Once
	schemaVal *jsonschema.Schema
	schemaErr error
}

// finding is a stack rule's violation on one resource.
type finding struct {
	urn     string
	message string
}

// PolicyInfo is what the pack says about one of its policies: what
// GetAnalyzerInfo reports, and what the documentation lists.
type PolicyInfo struct {
	Name, Description string
	// Level is the policy's own enforcement level (before configuration).
	Level    Level
	Severity Severity
	// Stack is true for stack policies (judged once on all resources).
	Stack bool
	// Types are the resource types the policy judges or reads.
	Types []string
	// Schema is the policy's configuration: property name to JSON schema.
	Schema map[string]map[string]any
}

// Policies lists the platform pack's policies in pack order.
func Policies() []PolicyInfo {
	return New().Policies()
}

// Policies lists the pack's policies in pack order.
func (p *Pack) Policies() []PolicyInfo {
	out := make([]PolicyInfo, 0, len(p.rules))
	for _, r := range p.rules {
		types := slices.Clone(r.types)
		if r.typesSetting != "" {
			if def, ok := r.schema[r.typesSetting]["default"].([]any); ok {
				for _, t := range def {
					types = append(types, t.(string))
				}
			}
		}
		sort.Strings(types)
		types = slices.Compact(types)
		out = append(out, PolicyInfo{
			Name: r.name, Description: r.description, Level: r.level, Severity: r.severity,
			Stack: r.stack != nil, Types: types, Schema: r.schema,
		})
	}
	return out
}

// Name is the pack's name.
func (p *Pack) Name() string { return p.name }
