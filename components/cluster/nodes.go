package cluster

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/eks"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/vpc"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/acme/platform/internal/parts"
)

// RootDeviceName is the root device of the AL2023 EKS-optimized AMIs.
const RootDeviceName = "/dev/xvda"

// nodeIAM creates the node role with the worker and ECR read-only policies
// only.
func (b *builder) nodeIAM() error {
	trust, err := nodeTrust(b.args.Account).JSON()
	if err != nil {
		return fmt.Errorf("node role trust policy: %w", err)
	}
	role, err := iam.NewRole(b.ctx, b.name+"-nodes", &iam.RoleArgs{
		Description:      pulumi.String("EKS nodes of " + b.clusterName),
		AssumeRolePolicy: pulumi.String(trust),
		Tags:             b.tags("-nodes", nil),
	}, b.parent)
	if err != nil {
		return fmt.Errorf("node role: %w", err)
	}
	for _, policy := range NodePolicies {
		a, err := iam.NewRolePolicyAttachment(b.ctx, b.name+"-nodes-"+policy, &iam.RolePolicyAttachmentArgs{
			Role:      role.ID(),
			PolicyArn: pulumi.String(parts.ManagedPolicyARN(b.args.Account, policy)),
		}, b.parent)
		if err != nil {
			return fmt.Errorf("node role policy %s: %w", policy, err)
		}
		b.nodeReady = append(b.nodeReady, a)
	}
	b.nodeRole = role
	b.c.NodeRoleARN = role.Arn
	return nil
}

// nodeSecurityGroup creates the node security group with the rules
// terraform-aws-eks calls "recommended": nodes talk to each other freely,
// the control plane reaches webhooks (443), the kubelet (10250) and
// extension API servers on high ports, and nodes may reach anything outside
// (ECR, STS and the other AWS APIs through NAT or endpoints). The group is
// not tagged kubernetes.io/cluster/<name>: the cluster security group, which
// nodes carry too, already is, and load-balancer controllers want one.
func (b *builder) nodeSecurityGroup() (*ec2.SecurityGroup, error) {
	ctx, name := b.ctx, b.name+"-nodes"
	sg, err := parts.NewSecurityGroup(ctx, name, b.args.VPCID,
		"EKS nodes of "+b.clusterName+": node-to-node, control plane to nodes, egress", b.args.Tags, b.parent)
	if err != nil {
		return nil, err
	}
	clusterSG := b.c.ClusterSecurityGroupID
	if err := parts.AllowFrom(ctx, name, sg.ID(), []parts.Port{
		{Number: 443, Description: "Admission webhooks"},
		{Number: 10250, Description: "Kubelet API (logs, exec, metrics)"},
	}, map[string]pulumi.StringInput{"cluster": clusterSG}, b.parent); err != nil {
		return nil, err
	}
	if _, err := vpc.NewSecurityGroupIngressRule(ctx, name+"-cluster-ephemeral", &vpc.SecurityGroupIngressRuleArgs{
		SecurityGroupId:           sg.ID(),
		ReferencedSecurityGroupId: clusterSG,
		IpProtocol:                pulumi.String("tcp"),
		FromPort:                  pulumi.Int(1025),
		ToPort:                    pulumi.Int(65535),
		Description:               pulumi.String("Control plane to extension API servers and webhooks on high ports"),
		Tags:                      parts.TagsFor(ctx, name+"-cluster-ephemeral", nil),
	}, b.parent); err != nil {
		return nil, fmt.Errorf("node ingress from the control plane: %w", err)
	}
	if _, err := vpc.NewSecurityGroupIngressRule(ctx, name+"-self", &vpc.SecurityGroupIngressRuleArgs{
		SecurityGroupId:           sg.ID(),
		ReferencedSecurityGroupId: sg.ID(),
		IpProtocol:                pulumi.String("-1"),
		Description:               pulumi.String("Node to node: pod networking, DNS, kubelet"),
		Tags:                      parts.TagsFor(ctx, name+"-self", nil),
	}, b.parent); err != nil {
		return nil, fmt.Errorf("node-to-node ingress: %w", err)
	}
	if _, err := vpc.NewSecurityGroupEgressRule(ctx, name+"-egress", &vpc.SecurityGroupEgressRuleArgs{
		SecurityGroupId: sg.ID(),
		CidrIpv4:        pulumi.String("0.0.0.0/0"),
		IpProtocol:      pulumi.String("-1"),
		Description:     pulumi.String("Nodes and pods to AWS APIs, registries and the internet through NAT"),
		Tags:            parts.TagsFor(ctx, name+"-egress", nil),
	}, b.parent); err != nil {
		return nil, fmt.Errorf("node egress: %w", err)
	}
	b.c.NodeSecurityGroupID = sg.ID().ToStringOutput()
	return sg, nil
}

// nodeGroups creates a launch template per entry and a managed node group
// per entry, or per entry and zone for PerAZ entries. Groups wait for the
// node role's policies, the pre-compute add-ons (without a CNI nodes never
// become Ready) and the private subnets' egress (without it they cannot pull
// images). Each group's Auto Scaling group then publishes its group metrics.
func (b *builder) nodeGroups(sg *ec2.SecurityGroup, addons []pulumi.Resource) ([]pulumi.Resource, error) {
	deps := slices.Concat(b.nodeReady, addons, b.args.NodeDependsOn)
	var out []pulumi.Resource
	for _, g := range b.cfg.NodeGroups {
		lt, err := b.launchTemplate(g, sg)
		if err != nil {
			return nil, err
		}
		placements := []placement{{res: b.name + "-" + g.Name, subnets: b.args.SubnetIDs}}
		if g.PerAZ {
			placements = placements[:0]
			for _, zs := range b.args.ZoneSubnets {
				placements = append(placements, placement{
					res:     b.name + "-" + g.Name + "-" + zs.Zone,
					subnets: pulumi.StringArray{zs.SubnetID},
				})
			}
		}
		for _, pl := range placements {
			ng, err := b.nodeGroup(g, pl, lt, deps)
			if err != nil {
				return nil, err
			}
			out = append(out, ng)
			asg := ng.Resources.Index(pulumi.Int(0)).AutoscalingGroups().Index(pulumi.Int(0)).Name().Elem()
			if err := b.enableGroupMetrics(pl.res, asg, ng); err != nil {
				return nil, err
			}
			b.c.Groups = append(b.c.Groups, NodeGroupInfo{
				Name: strings.TrimPrefix(pl.res, b.name+"-"), MinSize: g.MinSize, MaxSize: g.MaxSize,
				ASGName: asg,
			})
		}
	}
	return out, nil
}

// placement is where one managed node group runs: its resource name and
// subnets.
type placement struct {
	res     string
	subnets pulumi.StringArrayInput
}

func (b *builder) nodeGroup(g NodeGroup, pl placement, lt *ec2.LaunchTemplate, deps []pulumi.Resource) (*eks.NodeGroup, error) {
	args := &eks.NodeGroupArgs{
		ClusterName: b.cluster.Name,
		// Following the cluster's version output makes node groups upgrade
		// after the control plane, never before.
		Version:      b.cluster.Version,
		NodeRoleArn:  b.nodeRole.Arn,
		SubnetIds:    pl.subnets,
		CapacityType: pulumi.String(g.CapacityType),
		AmiType:      pulumi.String(g.AMIType),
		ScalingConfig: &eks.NodeGroupScalingConfigArgs{
			MinSize:     pulumi.Int(g.MinSize),
			MaxSize:     pulumi.Int(g.MaxSize),
			DesiredSize: pulumi.Int(g.desired()),
		},
		UpdateConfig: &eks.NodeGroupUpdateConfigArgs{
			MaxUnavailable: pulumi.Int(g.MaxUnavailable),
		},
		// A new template version rolls the nodes; it never replaces the
		// group.
		LaunchTemplate: &eks.NodeGroupLaunchTemplateArgs{
			Id: lt.ID(),
			Version: lt.LatestVersion.ApplyT(func(v int) string {
				return strconv.Itoa(v)
			}).(pulumi.StringOutput),
		},
		NodeRepairConfig: &eks.NodeGroupNodeRepairConfigArgs{
			Enabled: pulumi.Bool(g.AutoRepair),
		},
		Tags: b.tags(strings.TrimPrefix(pl.res, b.name), autoscalerTags(b.clusterName)),
	}
	if len(g.InstanceTypes) > 1 {
		// EKS cannot change a node group's instance types: a new list
		// replaces the group (a blue/green roll: the new group comes up
		// before the old one drains). A single type lives in the launch
		// template instead, where a change is a rolling update.
		args.InstanceTypes = pulumi.ToStringArray(g.InstanceTypes)
	}
	if g.ReleaseVersion != "" {
		args.ReleaseVersion = pulumi.String(g.ReleaseVersion)
	}
	labels := maps.Clone(g.Labels)
	taints := slices.Clone(g.Taints)
	if g.System {
		if labels == nil {
			labels = map[string]string{}
		}
		labels[SystemLabel[0]] = SystemLabel[1]
		taints = append(taints, SystemTaint)
	}
	if len(labels) > 0 {
		args.Labels = pulumi.ToStringMap(labels)
	}
	if len(taints) > 0 {
		var ts eks.NodeGroupTaintArray
		for _, t := range taints {
			ta := eks.NodeGroupTaintArgs{Key: pulumi.String(t.Key), Effect: pulumi.String(t.Effect)}
			if t.Value != "" {
				ta.Value = pulumi.String(t.Value)
			}
			ts = append(ts, ta)
		}
		args.Taints = ts
	}
	opts := []pulumi.ResourceOption{b.parent, pulumi.DependsOn(deps)}
	if b.cfg.Autoscaler.Enabled {
		// The autoscaler owns the group's size between min and max; `pulumi
		// up` must not reset it to the configured value.
		opts = append(opts, pulumi.IgnoreChanges([]string{"scalingConfig.desiredSize"}))
	}
	ng, err := eks.NewNodeGroup(b.ctx, pl.res, args, opts...)
	if err != nil {
		return nil, fmt.Errorf("node group %s: %w", strings.TrimPrefix(pl.res, b.name+"-"), err)
	}
	return ng, nil
}

// launchTemplate creates a group's launch template: IMDSv2 required, an
// encrypted gp3 root volume under the volume key, detailed monitoring, both
// security groups (with a template, EKS no longer adds the cluster security
// group itself) and tags on instances, volumes and interfaces. No AMI is
// set, so EKS picks the AL2023 image and writes its own user data.
func (b *builder) launchTemplate(g NodeGroup, sg *ec2.SecurityGroup) (*ec2.LaunchTemplate, error) {
	res := b.name + "-" + g.Name
	instanceTags := map[string]string{}
	maps.Copy(instanceTags, b.args.InstanceTags)
	maps.Copy(instanceTags, b.args.Tags)
	instanceTags["Name"] = parts.NameTag(b.ctx, res)
	var specs ec2.LaunchTemplateTagSpecificationArray
	for _, rt := range []string{"instance", "volume", "network-interface"} {
		specs = append(specs, ec2.LaunchTemplateTagSpecificationArgs{
			ResourceType: pulumi.String(rt),
			Tags:         pulumi.ToStringMap(instanceTags),
		})
	}
	ltArgs := &ec2.LaunchTemplateArgs{
		Description:          pulumi.String("EKS node group " + g.Name + " of " + b.clusterName),
		UpdateDefaultVersion: pulumi.Bool(true),
		MetadataOptions: &ec2.LaunchTemplateMetadataOptionsArgs{
			HttpEndpoint:            pulumi.String("enabled"),
			HttpTokens:              pulumi.String("required"),
			HttpPutResponseHopLimit: pulumi.Int(g.MetadataHopLimit),
			InstanceMetadataTags:    pulumi.String("disabled"),
		},
		BlockDeviceMappings: ec2.LaunchTemplateBlockDeviceMappingArray{
			ec2.LaunchTemplateBlockDeviceMappingArgs{
				DeviceName: pulumi.String(RootDeviceName),
				Ebs: &ec2.LaunchTemplateBlockDeviceMappingEbsArgs{
					VolumeSize:          pulumi.Int(g.DiskSizeGiB),
					VolumeType:          pulumi.String("gp3"),
					Encrypted:           pulumi.String("true"),
					KmsKeyId:            b.volumeKey.ARN,
					DeleteOnTermination: pulumi.String("true"),
				},
			},
		},
		Monitoring:          &ec2.LaunchTemplateMonitoringArgs{Enabled: pulumi.Bool(true)},
		VpcSecurityGroupIds: pulumi.StringArray{b.c.ClusterSecurityGroupID, sg.ID()},
		TagSpecifications:   specs,
		Tags:                b.tags("-"+g.Name, nil),
	}
	if len(g.InstanceTypes) == 1 {
		ltArgs.InstanceType = pulumi.String(g.InstanceTypes[0])
	}
	lt, err := ec2.NewLaunchTemplate(b.ctx, res, ltArgs, b.parent)
	if err != nil {
		return nil, fmt.Errorf("launch template for %s: %w", g.Name, err)
	}
	return lt, nil
}
