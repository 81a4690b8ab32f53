package cluster

import (
	"fmt"
	"strconv"

	"github.com/pulumi/pulumi-command/sdk/go/command/local"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// AWSCLI is how the AWS CLI authenticates where the program runs it: in the
// kubeconfig's `aws eks get-token` (which the Kubernetes provider executes)
// and in the node groups' metrics command. Without it the CLI uses the
// ambient credentials, which are the AWS provider's own only when the stack
// sets neither aws:profile nor aws:assumeRole: then the Kubernetes calls
// would be made as another identity than the one that created the cluster
// and granted itself access, and get 401.
type AWSCLI struct {
	// Profile is aws:profile; default none.
	Profile string
	// RoleARN is aws:assumeRole's roleArn; default none.
	RoleARN string
}

// env returns the environment the CLI needs for the profile.
func (a AWSCLI) env() map[string]string {
	if a.Profile == "" {
		return nil
	}
	return map[string]string{"AWS_PROFILE": a.Profile}
}

// assumeRoleScript is a shell prelude that replaces the ambient credentials
// with the role's, so a command acts as the AWS provider does. It prints
// nothing.
func (a AWSCLI) assumeRoleScript() string {
	if a.RoleARN == "" {
		return ""
	}
	return `set -- $(aws sts assume-role --role-arn ` + strconv.Quote(a.RoleARN) + ` --role-session-name platform-pulumi --query 'Credentials.[AccessKeyId,SecretAccessKey,SessionToken]' --output text)
export AWS_ACCESS_KEY_ID="$1" AWS_SECRET_ACCESS_KEY="$2" AWS_SESSION_TOKEN="$3"
`
}

// accessPropagationSeconds is how long the program waits after the access
// policy associations exist before anything talks to the Kubernetes API.
// EKS documents access entries as eventually consistent ("access entry
// creation and updates are eventually consistent, and may take several
// seconds to be effective after the initial API call returns successfully",
// EKS UG grant-k8s-access.adoc), and the Kubernetes provider marks the
// cluster unreachable for the whole run on its first 401.
const accessPropagationSeconds = 30

// waitForAccess registers a command that sleeps once each time the set of
// access policy associations changes, and returns its output: the kubeconfig
// is rendered from it, so the Kubernetes provider is configured only after
// the wait.
func (b *builder) waitForAccess() (pulumi.StringOutput, error) {
	var triggers pulumi.Array
	for _, a := range b.access {
		if cr, ok := a.(pulumi.CustomResource); ok {
			triggers = append(triggers, cr.ID())
		}
	}
	cmd, err := local.NewCommand(b.ctx, b.name+"-access-propagation", &local.CommandArgs{
		Create:   pulumi.String(fmt.Sprintf("sleep %d && echo ready", accessPropagationSeconds)),
		Triggers: triggers,
	}, b.parent, pulumi.DependsOn(b.access))
	if err != nil {
		return pulumi.StringOutput{}, fmt.Errorf("waiting for access entries: %w", err)
	}
	return cmd.Stdout, nil
}

// GroupMetrics are the Auto Scaling group metrics the node groups publish:
// EKS creates managed node groups' Auto Scaling groups without metrics
// collection, so CloudWatch has no AWS/AutoScaling GroupDesiredCapacity for
// them until it is enabled (EC2 Auto Scaling User Guide, "Monitor
// CloudWatch metrics for your Auto Scaling groups and instances": group
// metrics are published only after EnableMetricsCollection).
var GroupMetrics = []string{"GroupDesiredCapacity", "GroupInServiceInstances", "GroupMinSize", "GroupMaxSize"}

// enableGroupMetrics turns on one-minute group metrics for a node group's
// Auto Scaling group, once per group (a new group, a new command). Nothing
// runs on delete: the group goes with its node group.
func (b *builder) enableGroupMetrics(res string, asgName pulumi.StringOutput, after pulumi.Resource) error {
	script := b.args.CLI.assumeRoleScript() + `aws autoscaling enable-metrics-collection --region "$REGION" --auto-scaling-group-name "$ASG" --granularity 1Minute --metrics`
	for _, m := range GroupMetrics {
		script += " " + m
	}
	env := pulumi.StringMap{"ASG": asgName, "REGION": pulumi.String(b.args.Account.Region)}
	for k, v := range b.args.CLI.env() {
		env[k] = pulumi.String(v)
	}
	_, err := local.NewCommand(b.ctx, res+"-group-metrics", &local.CommandArgs{
		Create:      pulumi.String(script),
		Environment: env,
		Triggers:    pulumi.Array{asgName},
	}, b.parent, pulumi.DependsOn([]pulumi.Resource{after}))
	if err != nil {
		return fmt.Errorf("group metrics for %s: %w", res, err)
	}
	return nil
}
