package stacks

import (
	"fmt"
	"slices"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/acme/platform/components/cluster"
	"github.com/acme/platform/components/network"
	"github.com/acme/platform/internal/check"
	"github.com/acme/platform/internal/parts"
)

// ExampleAccount is the account AWS's documentation uses in examples
// (111122223333), which the stack files carry as placeholders. Offline the
// program assumes an identity in it; deploying for real from any other
// account refuses every placeholder still in the configuration.
const ExampleAccount = "111122223333"

// Environment is what the preflight learned from AWS before anything is
// registered.
type Environment struct {
	// Account is the caller's account, region and partition.
	Account parts.Account
	// Caller is the IAM identity the AWS provider acts as: for an assumed
	// role, the role's ARN (the session's issuer).
	Caller string
	// Zones are the availability zones the network uses: none that EKS
	// refuses.
	Zones []string
	// AutoScalingServiceRole reports whether the account has the EC2 Auto
	// Scaling service-linked role the cluster's volume key names.
	AutoScalingServiceRole bool
}

// Preflight asks AWS, through the provider's data sources, what the
// configuration needs to know or must be checked against, and reports every
// problem at once, each naming its key, before any resource is registered:
// the caller must be one of the cluster's admins (`pulumi up`) or viewers
// (`pulumi preview`); placeholders from the documentation are refused when
// deploying for real; zones EKS refuses are never chosen; what the
// configuration names must be offered in the region (checkOfferings).
func Preflight(ctx *pulumi.Context, cfg Config) (Environment, error) {
	var env Environment
	var err error
	if env.Account, err = parts.LookupAccount(ctx); err != nil {
		return env, err
	}
	var p check.Problems
	key := func(k string) string { return ctx.Project() + ":" + k }

	caller, err := aws.GetCallerIdentity(ctx, nil)
	if err != nil {
		return env, fmt.Errorf("looking up the caller: %w", err)
	}
	session, err := iam.GetSessionContext(ctx, &iam.GetSessionContextArgs{Arn: caller.Arn})
	if err != nil {
		return env, fmt.Errorf("looking up the caller's role: %w", err)
	}
	env.Caller = session.IssuerArn
	checkCaller(&p, key, cfg.Cluster, env.Caller, ctx.DryRun())
	if env.Account.ID != ExampleAccount {
		checkPlaceholders(&p, key, cfg)
	}

	env.Zones, err = network.ChooseZones(ctx, cfg.Network, cluster.UnsupportedZoneIDs)
	if err != nil {
		p.Merge(key("network"), err)
	}

	if err := checkOfferings(ctx, &p, key, cfg, env.Zones); err != nil {
		return env, err
	}

	slr, err := iam.GetRoles(ctx, &iam.GetRolesArgs{
		NameRegex:  pulumi.StringRef("^AWSServiceRoleForAutoScaling$"),
		PathPrefix: pulumi.StringRef("/aws-service-role/" + env.Account.GlobalServicePrincipal("autoscaling") + "/"),
	})
	if err != nil {
		return env, fmt.Errorf("looking up the Auto Scaling service-linked role: %w", err)
	}
	env.AutoScalingServiceRole = len(slr.Arns) > 0
	return env, p.Err()
}

// checkCaller requires the caller's role among the admins (an update
// changes the cluster and deploys into it) or, for a preview, among the
// admins or viewers: any other identity gets 401 from the Kubernetes API
// once the cluster exists, after which every Kubernetes resource fails.
func checkCaller(p *check.Problems, key func(string) string, c cluster.Config, caller string, preview bool) {
	matches := func(arns []string) bool {
		return slices.ContainsFunc(arns, func(a string) bool { return sameRole(a, caller) })
	}
	switch {
	case matches(c.AdminRoleARNs):
	case preview && matches(c.ViewerRoleARNs):
	case preview:
		p.Addf(key("cluster.adminRoleArns"), "the caller %s is neither an admin nor a viewer of the cluster (%s or %s), so it cannot read the in-cluster resources: add its role to one of them, or run `pulumi preview` as a listed role",
			caller, key("cluster.adminRoleArns"), key("cluster.viewerRoleArns"))
	default:
		p.Addf(key("cluster.adminRoleArns"), "the caller %s is not one of the cluster's admins, and the cluster grants its creator nothing: add the role `pulumi up` runs as (the deploy role), or run as a listed role", caller)
	}
}

// sameRole compares a configured role ARN with the caller's issuer: the
// account and the role's name decide (the issuer may carry the role's path
// or not).
func sameRole(configured, caller string) bool {
	account := func(arn string) string {
		parts := strings.SplitN(arn, ":", 6)
		if len(parts) < 6 {
			return ""
		}
		return parts[4]
	}
	name := func(arn string) string {
		i := strings.LastIndex(arn, "/")
		if i < 0 || !strings.Contains(arn, ":role/") {
			return ""
		}
		return arn[i+1:]
	}
	return account(configured) != "" && account(configured) == account(caller) && name(configured) != "" && name(configured) == name(caller)
}

// checkPlaceholders refuses the documentation placeholders the stack files
// ship with: the example account in role ARNs, the RFC 5737 documentation
// blocks as the deployers' egress, a private source described as an
// example (its CIDR is a real private range, so the description marks it),
// and example.com endpoints. Each would
// fail at AWS (a role that does not exist, an address EKS refuses) or
// deliver nowhere.
func checkPlaceholders(p *check.Problems, key func(string) string, cfg Config) {
	for list, arns := range map[string][]string{"cluster.adminRoleArns": cfg.Cluster.AdminRoleARNs, "cluster.viewerRoleArns": cfg.Cluster.ViewerRoleARNs} {
		for i, arn := range arns {
			if strings.Contains(arn, ":"+ExampleAccount+":") {
				p.Addf(fmt.Sprintf("%s[%d]", key(list), i), "%q is in %s, the AWS documentation's example account: replace it with a role of your account (bootstrap/ creates the deploy and preview roles)", arn, ExampleAccount)
			}
		}
	}
	for i, cidr := range cfg.Cluster.APIAccess.PublicCIDRs {
		if cluster.IsDocumentation(cidr) {
			p.Addf(fmt.Sprintf("%s[%d]", key("cluster.apiAccess.publicCidrs"), i), "%s is a documentation block (RFC 5737), a placeholder: list your deploy runners' static egress addresses", cidr)
		}
	}
	for i, s := range cfg.Cluster.APIAccess.PrivateSources {
		if strings.HasPrefix(strings.ToLower(s.Description), "example") {
			p.Addf(fmt.Sprintf("%s[%d]", key("cluster.apiAccess.privateSources"), i), "is the stack file's example (%q): name the network your deploy runners really come from, and describe it", s.Description)
		}
	}
	for i, s := range cfg.Monitoring.Subscriptions {
		if host := endpointDomain(s.Endpoint); host == "example.com" || strings.HasSuffix(host, ".example.com") {
			p.Addf(fmt.Sprintf("%s[%d].endpoint", key("monitoring.subscriptions"), i), "%q is a placeholder (example.com delivers nowhere): use your on-call address", s.Endpoint)
		}
	}
}

// endpointDomain returns the domain of an e-mail address or URL endpoint.
func endpointDomain(endpoint string) string {
	s := endpoint
	if i := strings.Index(s, "://"); i >= 0 {
		s = s[i+3:]
	}
	if i := strings.LastIndex(s, "@"); i >= 0 {
		s = s[i+1:]
	}
	if i := strings.IndexAny(s, "/:?"); i >= 0 {
		s = s[:i]
	}
	return strings.ToLower(s)
}
