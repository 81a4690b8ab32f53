package parts

import (
	"fmt"
	"maps"
	"regexp"
	"slices"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/vpc"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/acme/platform/internal/check"
)

// NewSecurityGroup creates a security group with no rules at all: AWS's
// default allow-all egress rule is removed by the provider, and ingress is
// added only through AllowFrom, as separate rule resources.
func NewSecurityGroup(ctx *pulumi.Context, name string, vpcID pulumi.StringInput, description string, tags map[string]string, opts ...pulumi.ResourceOption) (*ec2.SecurityGroup, error) {
	sg, err := ec2.NewSecurityGroup(ctx, name, &ec2.SecurityGroupArgs{
		VpcId:       vpcID,
		Description: pulumi.String(description),
		Tags:        TagsFor(ctx, name, tags),
	}, opts...)
	if err != nil {
		return nil, fmt.Errorf("security group %q: %w", name, err)
	}
	return sg, nil
}

// Port is a TCP port and what it is for.
type Port struct {
	Number      int
	Description string
}

// AllowFrom adds one ingress rule per (source, port) to the security group:
// TCP from the named source security groups only. Each rule is its own
// resource, so the group (and whatever uses it) never waits for the sources
// to exist: a database does not wait for the cluster that will connect to it.
// Rule names are "<name>-<source>-<port>", stable as sources are added.
func AllowFrom(ctx *pulumi.Context, name string, sgID pulumi.StringInput, ports []Port, sources map[string]pulumi.StringInput, opts ...pulumi.ResourceOption) error {
	for _, src := range slices.Sorted(maps.Keys(sources)) {
		for _, port := range ports {
			rule := fmt.Sprintf("%s-%s-%d", name, src, port.Number)
			if _, err := vpc.NewSecurityGroupIngressRule(ctx, rule, &vpc.SecurityGroupIngressRuleArgs{
				SecurityGroupId:           sgID,
				ReferencedSecurityGroupId: sources[src],
				IpProtocol:                pulumi.String("tcp"),
				FromPort:                  pulumi.Int(port.Number),
				ToPort:                    pulumi.Int(port.Number),
				Description:               pulumi.String(fmt.Sprintf("%s from %s", port.Description, src)),
				Tags:                      TagsFor(ctx, rule, nil),
			}, opts...); err != nil {
				return fmt.Errorf("ingress rule %q: %w", rule, err)
			}
		}
	}
	return nil
}

var sourceNameRE = regexp.MustCompile(`^[a-z0-9]([a-z0-9-]*[a-z0-9])?$`)

// ValidateSources checks the sources a component hands to AllowFrom before
// anything is registered: each name becomes part of a rule's resource name
// (lower-case letters, digits and inner hyphens), and each needs a security
// group ID. Problems are reported under ingressFrom["<name>"].
func ValidateSources(sources map[string]pulumi.StringInput) error {
	var p check.Problems
	for _, src := range slices.Sorted(maps.Keys(sources)) {
		path := fmt.Sprintf("ingressFrom[%q]", src)
		if !sourceNameRE.MatchString(src) {
			p.Addf(path, "source names must be lower-case letters, digits and inner hyphens (they name the rule)")
		}
		if sources[src] == nil {
			p.Addf(path, "needs a security group ID")
		}
	}
	return p.Err()
}
