package cluster

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/eks"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/vpc"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/acme/platform/internal/check"
	"github.com/acme/platform/internal/parts"
)

// typeToken is the cluster component's type; changing it needs
// pulumi.Aliases.
const typeToken = "platform:compute:Cluster"

// ClusterArgs configures a Cluster.
type ClusterArgs struct {
	// Config holds the settings that decide which resources exist: start from
	// DefaultConfig (see Config for each field's default) and check it with
	// Config.Validate; NewCluster uses it as given.
	Config
	// Account is where the cluster is created; required.
	Account parts.Account
	// VPCID is the VPC of the node security group; required.
	VPCID pulumi.StringInput
	// SubnetIDs are the private subnets, one per availability zone, for the
	// control plane's network interfaces and every node group; required.
	SubnetIDs pulumi.StringArrayInput
	// Protect makes the engine refuse to delete or replace the cluster and
	// its KMS keys; it also keeps the control-plane log group on delete.
	// Default false.
	Protect bool
	// Tags are added to every AWS resource (the provider's default tags
	// apply too) and to what AWS creates for the cluster; default none.
	Tags map[string]string
	// InstanceTags are added to what EKS and the EBS CSI driver create
	// outside Pulumi: node instances, their root volumes and network
	// interfaces (launch-template tag specifications) and persistent
	// volumes. Pass the provider's default tags here: the provider applies
	// them to top-level tags only, never to tag specifications
	// (hashicorp/terraform-provider-aws#19387), and EKS copies node-group
	// tags to nothing it launches (EKS UG create-managed-node-group.adoc).
	// Default none.
	InstanceTags map[string]string
	// ZoneSubnets are the private subnets by availability zone, the same
	// subnets as SubnetIDs; required while a node group is PerAZ.
	ZoneSubnets []ZoneSubnet
	// NodeDependsOn are what nodes need beyond the cluster before they
	// launch: the private subnets' routes and the VPC endpoints they pull
	// images through (network.Vpc.EgressReady). Default none.
	NodeDependsOn []pulumi.Resource
	// CreateAutoScalingServiceRole creates the EC2 Auto Scaling
	// service-linked role that the volume key's policy names, before the
	// key; set it when the account has none (the stack looks it up).
	// Default false.
	CreateAutoScalingServiceRole bool
	// CLI is how the AWS CLI that the kubeconfig and the node-group
	// commands run authenticates; default the ambient credentials.
	CLI AWSCLI
}

// ZoneSubnet is one private subnet and its availability zone.
type ZoneSubnet struct {
	Zone     string
	SubnetID pulumi.StringInput
}

// Cluster is the platform's EKS cluster with its node groups and add-ons.
type Cluster struct {
	pulumi.ResourceState

	ClusterName          pulumi.StringOutput `pulumi:"clusterName"`
	Endpoint             pulumi.StringOutput `pulumi:"endpoint"`
	CertificateAuthority pulumi.StringOutput `pulumi:"certificateAuthority"`
	OIDCProviderARN      pulumi.StringOutput `pulumi:"oidcProviderArn"`
	OIDCIssuerURL        pulumi.StringOutput `pulumi:"oidcIssuerUrl"`
	// ClusterSecurityGroupID is the security group EKS creates for the
	// control plane; nodes carry it too.
	ClusterSecurityGroupID pulumi.StringOutput `pulumi:"clusterSecurityGroupId"`
	// NodeSecurityGroupID is on every node (and so every pod): databases,
	// caches and brokers admit traffic from it.
	NodeSecurityGroupID pulumi.StringOutput `pulumi:"nodeSecurityGroupId"`
	NodeRoleARN         pulumi.StringOutput `pulumi:"nodeRoleArn"`
	// AutoscalerRoleARN is the Cluster Autoscaler's IRSA role; "" when the
	// autoscaler is disabled.
	AutoscalerRoleARN pulumi.StringOutput `pulumi:"autoscalerRoleArn"`
	// VolumeKMSKeyARN encrypts node root volumes and, through the default
	// StorageClass, persistent volumes.
	VolumeKMSKeyARN pulumi.StringOutput `pulumi:"volumeKmsKeyArn"`
	// Kubeconfig is a secret kubeconfig using `aws eks get-token`. It
	// resolves only once the access entries exist and have had time to
	// propagate, so a Kubernetes provider built from it never talks to a
	// cluster that would refuse it.
	Kubeconfig pulumi.StringOutput `pulumi:"kubeconfig"`

	// Name is the EKS cluster's name, known at preview.
	Name string
	// Region is the cluster's region.
	Region string
	// NodeGroups are the managed node groups: in-cluster workloads that need
	// nodes (Helm releases, jobs) depend on them.
	NodeGroups []pulumi.Resource
	// Groups describe the node groups, in configuration order, for
	// monitoring: bounds known at preview and the Auto Scaling group EKS
	// created for each.
	Groups []NodeGroupInfo
	// Addons are the managed add-ons, including CoreDNS and the EBS CSI
	// driver, which are created after the nodes.
	Addons []pulumi.Resource
	// PodsReady are what a pod needs before it can run and resolve names:
	// the node groups and CoreDNS (the CNI and kube-proxy come before the
	// nodes). In-cluster workloads wait for these and nothing else: the
	// EBS CSI driver, say, matters only to pods with persistent volumes.
	PodsReady []pulumi.Resource
}

// NodeGroupInfo describes one managed node group.
type NodeGroupInfo struct {
	Name             string
	MinSize, MaxSize int
	// ASGName is the Auto Scaling group behind the node group.
	ASGName pulumi.StringOutput
}

// NewCluster creates the EKS cluster: keys, log group, IAM roles, the
// control plane, access entries, the OIDC provider, add-ons, the node
// security group, launch templates, node groups and the autoscaler's role.
func NewCluster(ctx *pulumi.Context, name string, args *ClusterArgs, opts ...pulumi.ResourceOption) (*Cluster, error) {
	if args == nil {
		return nil, fmt.Errorf("cluster %q: args are required", name)
	}
	cfg := args.Config
	clusterName := parts.PhysicalName(ctx, name, 100)
	if err := errors.Join(args.Account.Validate(), validateArgs(args, clusterName)); err != nil {
		return nil, fmt.Errorf("cluster %q: %w", name, err)
	}

	c := &Cluster{Name: clusterName, Region: args.Account.Region}
	if err := ctx.RegisterComponentResource(typeToken, name, c, opts...); err != nil {
		return nil, fmt.Errorf("cluster %q: %w", name, err)
	}
	b := &builder{ctx: ctx, name: name, clusterName: clusterName, cfg: cfg, args: args, c: c, parent: pulumi.Parent(c)}
	if err := b.build(); err != nil {
		return nil, fmt.Errorf("cluster %q: %w", name, err)
	}
	if err := ctx.RegisterResourceOutputs(c, pulumi.Map{
		"clusterName":            c.ClusterName,
		"endpoint":               c.Endpoint,
		"certificateAuthority":   c.CertificateAuthority,
		"oidcProviderArn":        c.OIDCProviderARN,
		"oidcIssuerUrl":          c.OIDCIssuerURL,
		"clusterSecurityGroupId": c.ClusterSecurityGroupID,
		"nodeSecurityGroupId":    c.NodeSecurityGroupID,
		"nodeRoleArn":            c.NodeRoleARN,
		"autoscalerRoleArn":      c.AutoscalerRoleARN,
		"volumeKmsKeyArn":        c.VolumeKMSKeyARN,
		"kubeconfig":             c.Kubeconfig,
	}); err != nil {
		return nil, fmt.Errorf("cluster %q: registering outputs: %w", name, err)
	}
	return c, nil
}

// validateArgs checks what Config.Validate cannot: the inputs from other
// components, the derived cluster name, and the admin roles' partition.
func validateArgs(args *ClusterArgs, clusterName string) error {
	var p check.Problems
	if args.VPCID == nil {
		p.Addf("vpcId", "is required (the network's VPC ID)")
	}
	if args.SubnetIDs == nil {
		p.Addf("subnetIds", "is required (the network's private subnet IDs)")
	}
	for i, g := range args.NodeGroups {
		if g.PerAZ && len(args.ZoneSubnets) == 0 {
			p.Addf(fmt.Sprintf("nodeGroups[%d].perAz", i), "needs the private subnets by zone (ClusterArgs.ZoneSubnets)")
		}
	}
	for i, zs := range args.ZoneSubnets {
		if zs.Zone == "" || zs.SubnetID == nil {
			p.Addf(fmt.Sprintf("zoneSubnets[%d]", i), "needs a zone and a subnet ID")
		}
	}
	if !validClusterName(clusterName) {
		p.Addf("name", "the cluster name %q must start with a letter or digit and contain only letters, digits, '-' and '_'; rename the component", clusterName)
	}
	if part := args.Account.Partition; part != "" {
		for key, arns := range map[string][]string{"adminRoleArns": args.AdminRoleARNs, "viewerRoleArns": args.ViewerRoleARNs} {
			for i, arn := range arns {
				if strings.HasPrefix(arn, "arn:") && !strings.HasPrefix(arn, "arn:"+part+":") {
					p.Addf(fmt.Sprintf("%s[%d]", key, i), "%q is not in the account's partition %q", arn, part)
				}
			}
		}
	}
	return p.Err()
}

type builder struct {
	ctx         *pulumi.Context
	name        string
	clusterName string
	cfg         Config
	args        *ClusterArgs
	c           *Cluster
	parent      pulumi.ResourceOption

	clusterKey *parts.Key
	volumeKey  *parts.Key
	cluster    *eks.Cluster
	oidc       *iam.OpenIdConnectProvider
	nodeRole   *iam.Role
	nodeReady  []pulumi.Resource // what nodes need before they can join
	access     []pulumi.Resource // access policy associations
	paths      []pulumi.Resource // the deployers' network paths to the API

	coreDNSAddon *eks.Addon
}

func (b *builder) tags(suffix string, extra map[string]string) pulumi.StringMap {
	return parts.TagsFor(b.ctx, b.name+suffix, b.args.Tags, extra)
}

func (b *builder) build() error {
	steps := []func() error{
		b.keys,
		b.controlPlane,
		b.accessEntries,
		b.identity,
		b.nodeIAM,
	}
	for _, step := range steps {
		if err := step(); err != nil {
			return err
		}
	}
	nodeSG, err := b.nodeSecurityGroup()
	if err != nil {
		return err
	}
	before, err := b.addons(preCompute, nil)
	if err != nil {
		return err
	}
	groups, err := b.nodeGroups(nodeSG, before)
	if err != nil {
		return err
	}
	after, err := b.addons(postCompute, groups)
	if err != nil {
		return err
	}
	b.c.NodeGroups = groups
	b.c.Addons = append(before, after...)
	b.c.PodsReady = append(slices.Clone(groups), b.coreDNS()...)
	if err := b.autoscalerRole(); err != nil {
		return err
	}
	return b.kubeconfig()
}

// keys creates two customer-managed keys. The cluster key encrypts
// Kubernetes secrets and the control-plane logs; the volume key encrypts EBS
// volumes and must trust the Auto Scaling service-linked role with grants.
// Keeping that trust off the key that guards the secrets limits what a
// misused grant could decrypt.
func (b *builder) keys() error {
	var err error
	b.clusterKey, err = parts.NewKey(b.ctx, b.name+"-cluster", parts.KeyArgs{
		Account:       b.args.Account,
		Description:   "EKS " + b.clusterName + ": Kubernetes secrets envelope encryption and control-plane logs",
		LogGroupNames: []string{logGroupName(b.clusterName)},
		Protect:       b.args.Protect,
		Tags:          b.args.Tags,
	}, b.parent)
	if err != nil {
		return err
	}
	volumeOpts := []pulumi.ResourceOption{b.parent}
	if b.args.CreateAutoScalingServiceRole {
		// The role is the account's, not the stack's: the next run finds it
		// and no longer registers it, and RetainOnDelete makes the engine
		// forget it then instead of deleting it (nor does `pulumi destroy`
		// take it from other users of Auto Scaling in the account).
		slr, err := iam.NewServiceLinkedRole(b.ctx, b.name+"-autoscaling-service-role", &iam.ServiceLinkedRoleArgs{
			AwsServiceName: pulumi.String(b.args.Account.GlobalServicePrincipal("autoscaling")),
		}, b.parent, pulumi.RetainOnDelete(true))
		if err != nil {
			return fmt.Errorf("auto scaling service-linked role: %w", err)
		}
		volumeOpts = append(volumeOpts, pulumi.DependsOn([]pulumi.Resource{slr}))
	}
	b.volumeKey, err = parts.NewKey(b.ctx, b.name+"-volumes", parts.KeyArgs{
		Account:     b.args.Account,
		Description: "EKS " + b.clusterName + ": node root volumes and persistent volumes",
		Statements:  volumeKeyStatements(b.args.Account),
		Protect:     b.args.Protect,
		Tags:        b.args.Tags,
	}, volumeOpts...)
	if err != nil {
		return err
	}
	b.c.VolumeKMSKeyARN = b.volumeKey.ARN
	return nil
}

func (b *builder) controlPlane() error {
	ctx, name, acct := b.ctx, b.name, b.args.Account
	logs, err := parts.NewLogGroup(ctx, name+"-control-plane", parts.LogGroupArgs{
		Name:          logGroupName(b.clusterName),
		RetentionDays: b.cfg.LogRetentionDays,
		KMSKeyARN:     b.clusterKey.ARN,
		KeepOnDelete:  b.args.Protect,
		Tags:          b.args.Tags,
	}, b.parent)
	if err != nil {
		return err
	}

	trust, err := parts.ServiceTrust(acct, "eks").JSON()
	if err != nil {
		return fmt.Errorf("cluster role trust policy: %w", err)
	}
	role, err := iam.NewRole(ctx, name+"-cluster", &iam.RoleArgs{
		Description:      pulumi.String("EKS control plane of " + b.clusterName),
		AssumeRolePolicy: pulumi.String(trust),
		Tags:             b.tags("-cluster", nil),
	}, b.parent)
	if err != nil {
		return fmt.Errorf("cluster role: %w", err)
	}
	attach, err := iam.NewRolePolicyAttachment(ctx, name+"-cluster-policy", &iam.RolePolicyAttachmentArgs{
		Role:      role.ID(),
		PolicyArn: pulumi.String(parts.ManagedPolicyARN(acct, "AmazonEKSClusterPolicy")),
	}, b.parent)
	if err != nil {
		return fmt.Errorf("cluster role policy: %w", err)
	}
	keyUse, err := iam.NewRolePolicy(ctx, name+"-cluster-encryption", &iam.RolePolicyArgs{
		Role: role.ID(),
		Policy: b.clusterKey.ARN.ApplyT(func(arn string) (string, error) {
			return clusterKeyPolicy(arn).JSON()
		}).(pulumi.StringOutput),
	}, b.parent)
	if err != nil {
		return fmt.Errorf("cluster role key policy: %w", err)
	}

	public := b.cfg.APIAccess.PublicCIDRs
	vpcConfig := &eks.ClusterVpcConfigArgs{
		SubnetIds:             b.args.SubnetIDs,
		EndpointPrivateAccess: pulumi.Bool(true),
		EndpointPublicAccess:  pulumi.Bool(len(public) > 0),
	}
	if len(public) > 0 {
		vpcConfig.PublicAccessCidrs = pulumi.ToStringArray(public)
	}
	cluster, err := eks.NewCluster(ctx, name, &eks.ClusterArgs{
		Name:    pulumi.String(b.clusterName),
		Version: pulumi.String(b.cfg.Version),
		RoleArn: role.Arn,
		UpgradePolicy: &eks.ClusterUpgradePolicyArgs{
			SupportType: pulumi.String(b.cfg.UpgradeSupportType),
		},
		VpcConfig: vpcConfig,
		EncryptionConfig: &eks.ClusterEncryptionConfigArgs{
			Provider:  &eks.ClusterEncryptionConfigProviderArgs{KeyArn: b.clusterKey.ARN},
			Resources: pulumi.StringArray{pulumi.String("secrets")},
		},
		EnabledClusterLogTypes: pulumi.ToStringArray(logTypes),
		// Access entries only; the creator gets nothing implicitly (changing
		// this flag replaces the cluster, so it is fixed here).
		AccessConfig: &eks.ClusterAccessConfigArgs{
			AuthenticationMode:                      pulumi.String("API"),
			BootstrapClusterCreatorAdminPermissions: pulumi.Bool(false),
		},
		// The add-ons are managed below, pinned; EKS's unmanaged copies
		// would drift. Changing this flag replaces the cluster.
		BootstrapSelfManagedAddons: pulumi.Bool(false),
		Tags:                       b.tags("", nil),
	}, b.parent, pulumi.Protect(b.args.Protect),
		// The role must hold its policies while EKS creates (and later
		// deletes) the cluster's network interfaces, and the log group must
		// exist first or EKS creates it without retention or key.
		pulumi.DependsOn([]pulumi.Resource{attach, keyUse, logs}))
	if err != nil {
		return fmt.Errorf("cluster: %w", err)
	}
	b.cluster = cluster
	b.c.ClusterName = cluster.Name
	b.c.Endpoint = cluster.Endpoint
	b.c.CertificateAuthority = cluster.CertificateAuthority.Data().Elem()
	b.c.ClusterSecurityGroupID = cluster.VpcConfig.ClusterSecurityGroupId().Elem()
	b.c.OIDCIssuerURL = cluster.Identities.Index(pulumi.Int(0)).Oidcs().Index(pulumi.Int(0)).Issuer().Elem()
	return b.privateAccess()
}

// privateAccess admits each configured private source to the API server on
// 443, through the security group EKS puts on the control plane's network
// interfaces (EKS UG sec-group-reqs.adoc: it admits only itself by default).
func (b *builder) privateAccess() error {
	for _, s := range b.cfg.APIAccess.PrivateSources {
		args := &vpc.SecurityGroupIngressRuleArgs{
			SecurityGroupId: b.c.ClusterSecurityGroupID,
			IpProtocol:      pulumi.String("tcp"),
			FromPort:        pulumi.Int(443),
			ToPort:          pulumi.Int(443),
			Description:     pulumi.String(s.Description),
		}
		source := s.SecurityGroupID
		if s.CIDR != "" {
			args.CidrIpv4 = pulumi.String(s.CIDR)
			source = strings.NewReplacer(".", "-", "/", "-").Replace(s.CIDR)
		} else {
			args.ReferencedSecurityGroupId = pulumi.String(s.SecurityGroupID)
		}
		res := b.name + "-api-from-" + source
		args.Tags = parts.TagsFor(b.ctx, res, b.args.Tags)
		rule, err := vpc.NewSecurityGroupIngressRule(b.ctx, res, args, b.parent)
		if err != nil {
			return fmt.Errorf("API access from %s: %w", source, err)
		}
		b.paths = append(b.paths, rule)
	}
	return nil
}

// accessEntries gives each admin role cluster-admin
// (AmazonEKSClusterAdminPolicy) and each viewer role read access to every
// resource (AmazonEKSAdminViewPolicy), through access entries.
func (b *builder) accessEntries() error {
	for _, kind := range []struct {
		prefix, policy string
		arns           []string
	}{
		{"-admin-", clusterAdminPolicyARN(b.args.Account), b.cfg.AdminRoleARNs},
		{"-viewer-", ViewerPolicyARN(b.args.Account), b.cfg.ViewerRoleARNs},
	} {
		for _, arn := range kind.arns {
			res := b.name + kind.prefix + accessEntryKey(arn)
			entry, err := eks.NewAccessEntry(b.ctx, res, &eks.AccessEntryArgs{
				ClusterName:  b.cluster.Name,
				PrincipalArn: pulumi.String(arn),
				Type:         pulumi.String("STANDARD"),
				Tags:         b.tags(strings.TrimSuffix(kind.prefix, "-"), nil),
			}, b.parent)
			if err != nil {
				return fmt.Errorf("access entry for %s: %w", arn, err)
			}
			assoc, err := eks.NewAccessPolicyAssociation(b.ctx, res, &eks.AccessPolicyAssociationArgs{
				ClusterName:  b.cluster.Name,
				PrincipalArn: entry.PrincipalArn,
				PolicyArn:    pulumi.String(kind.policy),
				AccessScope:  &eks.AccessPolicyAssociationAccessScopeArgs{Type: pulumi.String("cluster")},
			}, b.parent)
			if err != nil {
				return fmt.Errorf("access policy for %s: %w", arn, err)
			}
			b.access = append(b.access, assoc)
		}
	}
	return nil
}

// accessEntryKey names an admin's resources after the role's account and
// name, stable whatever the order of the list.
func accessEntryKey(arn string) string {
	m := roleARNRE.FindStringSubmatch(arn)
	if m == nil {
		return strings.NewReplacer(":", "-", "/", "-").Replace(arn)
	}
	path := strings.Split(m[3], "/")
	return m[2] + "-" + path[len(path)-1]
}

// identity creates the OIDC provider that IAM roles for service accounts
// trust.
func (b *builder) identity() error {
	oidc, err := iam.NewOpenIdConnectProvider(b.ctx, b.name+"-oidc", &iam.OpenIdConnectProviderArgs{
		Url:           b.c.OIDCIssuerURL,
		ClientIdLists: pulumi.StringArray{pulumi.String("sts.amazonaws.com")},
		Tags:          b.tags("-oidc", nil),
	}, b.parent)
	if err != nil {
		return fmt.Errorf("OIDC provider: %w", err)
	}
	b.oidc = oidc
	b.c.OIDCProviderARN = oidc.Arn
	return nil
}

// irsaRole creates a role that one kube-system service account assumes
// through the cluster's OIDC provider, with the given managed policies and
// optional inline policy. It returns the role and what must exist before the
// service account's pods use it.
func (b *builder) irsaRole(suffix, serviceAccount, description string, managed []string, inline pulumi.StringInput) (*iam.Role, []pulumi.Resource, error) {
	ctx, res := b.ctx, b.name+"-"+suffix
	role, err := iam.NewRole(ctx, res, &iam.RoleArgs{
		Description:      pulumi.String(description),
		AssumeRolePolicy: parts.IRSATrust(b.oidc.Arn, b.c.OIDCIssuerURL, SystemNamespace, serviceAccount),
		Tags:             b.tags("-"+suffix, nil),
	}, b.parent)
	if err != nil {
		return nil, nil, fmt.Errorf("%s role: %w", suffix, err)
	}
	var ready []pulumi.Resource
	for _, policy := range managed {
		a, err := iam.NewRolePolicyAttachment(ctx, res+"-"+policyKey(policy), &iam.RolePolicyAttachmentArgs{
			Role:      role.ID(),
			PolicyArn: pulumi.String(parts.ManagedPolicyARN(b.args.Account, policy)),
		}, b.parent)
		if err != nil {
			return nil, nil, fmt.Errorf("%s role policy %s: %w", suffix, policy, err)
		}
		ready = append(ready, a)
	}
	if inline != nil {
		p, err := iam.NewRolePolicy(ctx, res, &iam.RolePolicyArgs{
			Role:   role.ID(),
			Policy: inline,
		}, b.parent)
		if err != nil {
			return nil, nil, fmt.Errorf("%s role inline policy: %w", suffix, err)
		}
		ready = append(ready, p)
	}
	return role, ready, nil
}

// policyKey turns "service-role/AmazonEBSCSIDriverPolicy" into
// "AmazonEBSCSIDriverPolicy" for resource names.
func policyKey(policy string) string {
	return policy[strings.LastIndex(policy, "/")+1:]
}

// autoscalerRole creates the Cluster Autoscaler's IRSA role when the
// autoscaler is on.
func (b *builder) autoscalerRole() error {
	if !b.cfg.Autoscaler.Enabled {
		b.c.AutoscalerRoleARN = pulumi.String("").ToStringOutput()
		return nil
	}
	policy, err := autoscalerPolicy(b.args.Account, b.clusterName).JSON()
	if err != nil {
		return err
	}
	role, _, err := b.irsaRole("autoscaler", AutoscalerServiceAccount,
		"Cluster Autoscaler of "+b.clusterName+": resizes only this cluster's node groups",
		nil, pulumi.String(policy))
	if err != nil {
		return err
	}
	b.c.AutoscalerRoleARN = role.Arn
	return nil
}

// kubeconfig renders the secret kubeconfig once the cluster exists, the
// access policies have propagated and the deployers' paths are open.
func (b *builder) kubeconfig() error {
	b.access = append(b.access, b.paths...)
	ready, err := b.waitForAccess()
	if err != nil {
		return err
	}
	region, cli := b.args.Account.Region, b.args.CLI
	out := pulumi.All(b.cluster.Name, b.c.Endpoint, b.c.CertificateAuthority, ready).ApplyT(func(v []any) (string, error) {
		return renderKubeconfig(kubeconfigArgs{
			ClusterName:          v[0].(string),
			Endpoint:             v[1].(string),
			CertificateAuthority: v[2].(string),
			Region:               region,
			CLI:                  cli,
		})
	}).(pulumi.StringOutput)
	b.c.Kubeconfig = pulumi.ToSecret(out).(pulumi.StringOutput)
	return nil
}
